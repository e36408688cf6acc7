"""Confidence intervals of rates and the area-versus-city test, against statsmodels
and scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from monitor.methods.intervals import (
    SMALL_COUNT,
    compare_with_whole,
    interval_wider_than,
    proportion_interval,
    rate_interval,
)

RNG = np.random.default_rng(20251231)
DENOMINATORS = RNG.integers(1, 3000, size=400)
NUMERATORS = np.array([RNG.integers(0, n + 1) for n in DENOMINATORS])
EDGES_X = np.array([0, 1, 2, 3, 4, 5, 0, 1, 29, 30, 7, 30, 995, 1000])
EDGES_N = np.array([30, 30, 30, 30, 30, 30, 1, 1, 30, 30, 7, 31, 1000, 1000])
X = np.concatenate([NUMERATORS, EDGES_X])
N = np.concatenate([DENOMINATORS, EDGES_N])


@pytest.mark.parametrize(
    ("ours", "theirs"), [("wilson", "wilson"), ("clopper_pearson", "beta")]
)
@pytest.mark.parametrize("level", [0.95, 0.9, 0.99])
def test_bounds_equal_statsmodels(ours, theirs, level):
    iv = proportion_interval(X, N, method=ours, level=level)
    lower, upper = proportion_confint(X, N, alpha=1 - level, method=theirs)
    np.testing.assert_allclose(iv.lower, lower, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(iv.upper, upper, rtol=1e-10, atol=1e-12)
    assert set(iv.method) == {ours}


@pytest.mark.parametrize(
    ("ours", "theirs"), [("wilson", "wilson"), ("clopper_pearson", "exact")]
)
def test_bounds_equal_scipy_binomtest(ours, theirs):
    iv = proportion_interval(EDGES_X, EDGES_N, method=ours)
    for i, (x, n) in enumerate(zip(EDGES_X, EDGES_N, strict=True)):
        ci = stats.binomtest(int(x), int(n)).proportion_ci(0.95, method=theirs)
        assert iv.lower[i] == pytest.approx(ci.low, abs=1e-12)
        assert iv.upper[i] == pytest.approx(ci.high, abs=1e-12)


def test_auto_rule_uses_exact_interval_for_small_counts():
    iv = proportion_interval(X, N)
    small = (X < SMALL_COUNT) | (N - X < SMALL_COUNT)
    assert list(iv.method[small]) == ["clopper_pearson"] * int(small.sum())
    assert list(iv.method[~small]) == ["wilson"] * int((~small).sum())
    exact = proportion_confint(X, N, method="beta")
    wilson = proportion_confint(X, N, method="wilson")
    np.testing.assert_allclose(iv.lower, np.where(small, exact[0], wilson[0]))
    np.testing.assert_allclose(iv.upper, np.where(small, exact[1], wilson[1]))


def test_frozen_reference_numbers():
    # 12 of 80 (Wilson) and 2 of 30 (exact), frozen from statsmodels 0.15
    iv = proportion_interval([12, 2], [80, 30])
    np.testing.assert_allclose(iv.lower, [0.0879404, 0.0081781], atol=1e-7)
    np.testing.assert_allclose(iv.upper, [0.2441323, 0.2207354], atol=1e-7)


def test_rates_are_scaled_by_the_catalogue_unit():
    per_cent = rate_interval([12], [80], "percent")
    per_mille = rate_interval([12], [80], "per_mille")
    per_100 = rate_interval([12], [80], "per_100")
    assert per_cent.lower[0] == pytest.approx(8.79404, abs=1e-5)
    assert per_mille.upper[0] == pytest.approx(244.1323, abs=1e-4)
    assert per_100.lower[0] == per_cent.lower[0]
    assert per_cent.width[0] == pytest.approx(per_cent.upper[0] - per_cent.lower[0])


def test_count_indicators_have_no_interval():
    with pytest.raises(ValueError, match="count"):
        rate_interval([5], [None], "count")
    with pytest.raises(ValueError, match="unknown unit"):
        rate_interval([5], [10], "percentage")


def test_suppressed_missing_and_impossible_counts_give_nan():
    x = [np.nan, 3, 5, -1, 11, 4, 3]
    n = [40, np.nan, 0, 10, 10, 10, 30]
    iv = proportion_interval(x, n)
    assert np.isnan(iv.lower[:5]).all() and np.isnan(iv.upper[:5]).all()
    assert list(iv.method) == ["", "", "", "", "", "clopper_pearson", "clopper_pearson"]
    assert np.isfinite(iv.lower[5:]).all()


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="method"):
        proportion_interval([1], [10], method="wald")
    with pytest.raises(ValueError, match="level"):
        proportion_interval([1], [10], level=95)


# -- area against the whole city ------------------------------------------------------


def test_large_areas_use_the_pooled_z_test_of_statsmodels():
    city_x, city_n = 4_000, 40_000
    x = np.array([300, 150, 260, 150])
    n = np.array([2_000, 2_200, 2_600, 1_000])
    result = compare_with_whole(x, n, city_x, city_n)
    assert list(result.method) == ["z_test"] * 4
    for i in range(4):
        _, p = proportions_ztest([x[i], city_x - x[i]], [n[i], city_n - n[i]])
        assert result.p_value[i] == pytest.approx(p, rel=1e-12)
    # 15 % against 9.3 % of the rest: higher; 6.8 % lower; 10 % not; 15 % higher
    assert list(result.direction) == [1, -1, 0, 1]
    np.testing.assert_allclose(result.rest_rate, (city_x - x) / (city_n - n))


def test_small_areas_use_fishers_exact_test():
    city_x, city_n = 4_000, 40_000
    result = compare_with_whole([4, 0], [12, 20], city_x, city_n)
    assert list(result.method) == ["fisher", "fisher"]
    expected = stats.fisher_exact([[4, 8], [city_x - 4, city_n - 12 - city_x + 4]])
    assert result.p_value[0] == pytest.approx(expected.pvalue)
    # 4 of 12 (33 %) is significantly above 10 %; 0 of 20 is not below it
    assert result.p_value[0] < 0.05 < result.p_value[1]
    assert list(result.direction) == [1, 0]


def test_comparison_with_the_rest_has_the_sign_of_area_minus_city():
    # p_area - p_city = (1 - w) (p_area - p_rest) with w = n_area / n_city
    x, n, city_x, city_n = 300.0, 2_000.0, 4_000.0, 40_000.0
    w = n / city_n
    rest = (city_x - x) / (city_n - n)
    assert x / n - city_x / city_n == pytest.approx((1 - w) * (x / n - rest))
    assert compare_with_whole([x], [n], city_x, city_n).direction[0] == 1


def test_untestable_areas_and_fdr_control():
    result = compare_with_whole([np.nan, 50, 40_000], [100, 40_000, 40_000], 40, 400)
    assert np.isnan(result.p_value).all()
    assert list(result.method) == ["", "", ""]
    assert not result.significant.any()
    raw = compare_with_whole([130, 125, 100], [1_000, 1_000, 1_000], 4_000, 40_000)
    adjusted = compare_with_whole(
        [130, 125, 100], [1_000, 1_000, 1_000], 4_000, 40_000, fdr=True
    )
    np.testing.assert_allclose(
        adjusted.p_value, stats.false_discovery_control(raw.p_value)
    )
    assert (adjusted.p_value >= raw.p_value).all()


def test_interval_wider_than_the_difference():
    wider = interval_wider_than(
        [10.0, 10.0, np.nan, 10.0], [14.0, 11.0, 12.0, 14.0], [-2.5, 2.5, 1.0, np.nan]
    )
    assert wider.tolist() == [True, False, False, False]
