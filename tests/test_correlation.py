"""Spearman's rank correlation of two indicators: scipy, a hand example with ties,
dropped pairs and refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from monitor.methods.correlation import MIN_PAIRS, spearman


def test_hand_example_with_ties():
    # x ranks 1, 2.5, 2.5, 4, 5.5, 5.5, 7; y ranks 1, 3, 3, 3, 6, 5, 7 (mean 4 each)
    # sum dx*dy = 25.5, sum dx^2 = 27, sum dy^2 = 26 -> rho = 25.5 / sqrt(702)
    x = [1, 2, 2, 3, 4, 4, 5]
    y = [10, 20, 20, 20, 40, 30, 50]
    result = spearman(x, y)
    rho = 25.5 / math.sqrt(702)
    assert result.rho == pytest.approx(rho, abs=1e-12)
    t = rho * math.sqrt(5 / (1 - rho**2))
    assert result.p_value == pytest.approx(2 * stats.t.sf(t, 5), rel=1e-9)
    assert (result.n, result.n_dropped, result.ok) == (7, 0, True)


def test_equals_scipy_on_random_indicators_with_missing_values():
    rng = np.random.default_rng(7)
    x = rng.gamma(2.0, 5.0, size=35)
    y = 0.6 * x + rng.normal(0, 4, size=35)
    x[[3, 10]] = np.nan
    y[[10, 20, 30]] = np.nan
    result = spearman(x, y)
    keep = np.isfinite(x) & np.isfinite(y)
    expected = stats.spearmanr(x[keep], y[keep])
    assert result.rho == pytest.approx(expected.statistic, abs=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert (result.n, result.n_dropped) == (31, 4)


def test_rounded_values_with_many_ties_equal_scipy():
    rng = np.random.default_rng(3)
    x = np.round(rng.uniform(0, 5, size=60))
    y = np.round(x + rng.normal(0, 1.5, size=60))
    expected = stats.spearmanr(x, y)
    result = spearman(x, y)
    assert result.rho == pytest.approx(expected.statistic, abs=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)


def test_too_few_pairs_are_refused_with_the_numbers():
    x = [1.0, 2.0, 3.0, 4.0, np.nan, 6.0]
    y = [2.0, 1.0, np.nan, 3.0, 5.0, 4.0]
    result = spearman(x, y)
    assert not result.ok
    assert result.reason == "too_few_pairs"
    assert result.params == {"n": 4, "min_pairs": MIN_PAIRS}
    assert math.isnan(result.rho) and math.isnan(result.p_value)
    assert (result.n, result.n_dropped) == (4, 2)


def test_constant_indicator_is_refused():
    result = spearman([1, 2, 3, 4, 5], [7, 7, 7, 7, 7])
    assert result.reason == "constant"
    assert math.isnan(result.rho)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="length"):
        spearman([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="min_pairs"):
        spearman([1, 2, 3], [1, 2, 3], min_pairs=2)
