"""Benjamini-Hochberg (monitor.methods.hotspots.fdr) by hand and against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from monitor.methods import hotspots as hs
from tests.hotspots.examples import BH_P, BH_Q, BH_REJECT


def test_benjamini_hochberg_hand_example():
    assert_array_equal(hs.benjamini_hochberg(BH_P, alpha=0.05), BH_REJECT)
    assert_allclose(hs.bh_adjust(BH_P), BH_Q, rtol=1e-12)


def test_bh_adjust_equals_scipy():
    p = np.random.default_rng(5).uniform(0, 0.2, 200) ** 2
    assert_allclose(hs.bh_adjust(p), stats.false_discovery_control(p), rtol=1e-12)


def test_benjamini_hochberg_ignores_missing_p_values():
    p = np.array([np.nan, *BH_P, np.nan])
    assert_array_equal(hs.benjamini_hochberg(p, 0.05), [False, *BH_REJECT, False])
    assert np.isnan(hs.bh_adjust(p)[[0, -1]]).all()


@pytest.mark.parametrize(
    ("p", "alpha"),
    [
        pytest.param([0.1, 1.2], 0.05, id="p-above-one"),
        pytest.param([0.1, -0.1], 0.05, id="negative-p"),
        pytest.param([0.1, 0.2], 0.0, id="alpha-zero"),
        pytest.param([0.1, 0.2], 1.5, id="alpha-above-one"),
    ],
)
def test_benjamini_hochberg_rejects_bad_arguments(p, alpha):
    with pytest.raises(ValueError):
        hs.benjamini_hochberg(p, alpha)


def test_min_p_value():
    assert hs.min_p_value(999) == pytest.approx(0.002)
    assert hs.min_p_value(999, two_sided=False) == pytest.approx(0.001)
    assert hs.min_p_value(9999) == pytest.approx(0.0002)
    assert hs.min_p_value(0) == 0.0  # analytic p-values have no floor


@pytest.mark.parametrize(
    ("alpha", "m", "permutations", "fdr", "expected"),
    [
        # 35 Quartiere, 999 permutations: BH lifts 0.002 to 35 * 0.002 = 0.07
        pytest.param(0.10, 35, 999, True, True, id="90pct-35-999"),
        pytest.param(0.05, 35, 999, True, False, id="95pct-35-999"),
        pytest.param(0.01, 35, 999, True, False, id="99pct-35-999"),
        # 9999 permutations: 35 * 0.0002 = 0.007
        pytest.param(0.01, 35, 9999, True, True, id="99pct-35-9999"),
        # 365 raster cells: 365 * 0.0002 = 0.073
        pytest.param(0.05, 365, 9999, True, False, id="95pct-365-9999"),
        pytest.param(0.10, 365, 9999, True, True, id="90pct-365-9999"),
        # without FDR only the floor counts
        pytest.param(0.01, 365, 999, False, True, id="99pct-no-fdr"),
        pytest.param(0.01, 35, 0, True, True, id="analytic"),
    ],
)
def test_reachable(alpha, m, permutations, fdr, expected):
    assert hs.reachable(alpha, m, permutations, fdr) is expected


@pytest.mark.parametrize("m", [1, 10, 35, 100, 365], ids=lambda m: f"m-{m}")
@pytest.mark.parametrize("permutations", [99, 999, 9999], ids=lambda r: f"R-{r}")
def test_reachable_is_what_bh_gives_one_extreme_unit(m, permutations):
    # One unit at the smallest possible p, all others at 1: its adjusted q is
    # exactly what the rule computes; it is significant iff the rule says so.
    p = np.ones(m)
    p[0] = hs.min_p_value(permutations)
    q = hs.bh_adjust(p)[0]
    for alpha in (0.10, 0.05, 0.01):
        assert hs.reachable(alpha, m, permutations) is bool(q <= alpha)
        assert hs.benjamini_hochberg(p, alpha)[0] is np.bool_(q <= alpha)


@pytest.mark.parametrize(
    ("alphas", "m", "expected"),
    [
        pytest.param([0.10], 35, 999, id="90pct-only"),
        pytest.param([0.10, 0.05, 0.01], 35, 9999, id="all-levels-quartiere"),
        pytest.param([0.10, 0.05, 0.01], 365, 9999, id="raster-largest-step"),
    ],
)
def test_permutations_for(alphas, m, expected):
    assert hs.permutations_for(alphas, m) == expected
