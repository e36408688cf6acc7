"""monitor.methods.progress.open_sdg against hand-computed reference values.

Every expected number is worked out in the comment next to it, so that a failing
test can be checked with a pocket calculator.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from monitor.methods.progress.open_sdg import (
    AggregateResult,
    aggregate_scores,
    assess_progress,
    cagr,
    category_from_score,
    limit_scaling_factor,
)

# ============================================================== CAGR basics


@pytest.mark.parametrize(
    ("y0", "yi", "t0", "ti", "expected"),
    [
        # (121/100)^(1/2) - 1 = 1.1 - 1 = 0.1
        pytest.param(100, 121, 2020, 2022, 0.1, id="growth-10pct"),
        # (81/100)^(1/2) - 1 = 0.9 - 1 = -0.1
        pytest.param(100, 81, 2020, 2022, -0.1, id="decline-10pct"),
        # negative series: (-9/-10)^(1/1) - 1 = -0.1 (magnitude shrinks)
        pytest.param(-10, -9, 2020, 2021, -0.1, id="negative-values"),
        # end value zero: (0/5)^(1/3) - 1 = -1
        pytest.param(5, 0, 2020, 2023, -1.0, id="end-zero"),
        # unchanged
        pytest.param(7, 7, 2010, 2020, 0.0, id="flat"),
    ],
)
def test_cagr_reference_values(y0, yi, t0, ti, expected):
    assert_allclose(cagr(y0, yi, t0, ti), expected, atol=1e-12)


@pytest.mark.parametrize(
    ("y0", "yi", "t0", "ti"),
    [
        pytest.param(0, 5, 2020, 2021, id="zero-base"),
        pytest.param(5, 6, 2020, 2020, id="same-year"),
        pytest.param(5, -6, 2020, 2021, id="sign-change"),
        pytest.param(float("nan"), 6, 2020, 2021, id="nan-base"),
    ],
)
def test_cagr_rejects_bad_arguments(y0, yi, t0, ti):
    with pytest.raises(ValueError):
        cagr(y0, yi, t0, ti)


def test_cagr_equals_the_geometric_mean_growth_of_scipy():
    # annual data: CAGR is the geometric mean of the yearly growth factors - 1
    # (scipy.stats.gmean at run time); frozen: (41.5/45)^(1/4) - 1 = -2.0039 %
    values = np.array([45.0, 44.1, 43.9, 42.2, 41.5])
    mean_growth = stats.gmean(values[1:] / values[:-1]) - 1
    assert_allclose(cagr(45, 41.5, 2020, 2024), mean_growth, rtol=1e-12)
    assert_allclose(cagr(45, 41.5, 2020, 2024), -0.020038766382807882, rtol=1e-12)


# ============================= worked examples of the programme's targets


def test_worked_example_child_sgb2_quota():
    # Baseline 45 % (2024), target 35 % (2034), observed 43 % (2026), lower is better.
    # CAGR_req = (35/45)^(1/10) - 1 = -2.48 %/yr
    # CAGR_obs = (43/45)^(1/2) - 1 = -2.25 %/yr
    # R = (-1)(-0.02247) / 0.02482 = 0.906 -> 0.91 -> acceleration needed
    # score = (R - 0.6) * 50/7 = 2.183
    r = assess_progress(
        [2024, 2026],
        [45, 43],
        higher_is_better=False,
        target_value=35,
        target_year=2034,
    )
    assert round(r.cagr_required, 4) == -0.0248
    assert round(r.cagr_observed, 4) == -0.0225
    assert round(r.ratio, 2) == 0.91
    assert r.category == "acceleration_needed"
    assert_allclose(r.cagr_required, (35 / 45) ** 0.1 - 1)
    assert_allclose(r.cagr_observed, (43 / 45) ** 0.5 - 1)
    assert_allclose(r.score, (r.ratio - 0.6) * 50 / 7)
    assert (r.base_year, r.base_value, r.latest_year, r.latest_value) == (
        2024,
        45.0,
        2026,
        43.0,
    )
    assert (r.target_year, r.target_value, r.method) == (2034, 35.0, "cagr_target")
    assert r.notes == ()


# ======================================= categories with a target, by hand

# Base 100 (2020), target in 2022, latest value in 2021 (one year):
# lower is better:  target 81  -> CAGR_req = sqrt(0.81) - 1 = -0.1
# higher is better: target 121 -> CAGR_req = sqrt(1.21) - 1 = +0.1
# CAGR_obs = latest/100 - 1, R = d * CAGR_obs / 0.1.
# Scores: R >= 0.6: (R - 0.6) * 50/7;  R < 0.6: (R - 0.6) * 25/6.


@pytest.mark.parametrize(
    ("higher", "target", "latest", "category", "ratio", "score"),
    [
        # 80 <= 81 -> achieved, score 5 (ratio still computed: 0.2/0.1 = 2)
        pytest.param(False, 81, 80, "target_achieved", 2.0, 5.0, id="lower-achieved"),
        # 90: CAGR -0.1, R = 1.0, score 0.4 * 50/7 = 20/7
        pytest.param(False, 81, 90, "on_track", 1.0, 20 / 7, id="lower-on-track"),
        # 92: R = 0.8, score 0.2 * 50/7 = 10/7
        pytest.param(
            False, 81, 92, "acceleration_needed", 0.8, 10 / 7, id="lower-accel"
        ),
        # 97: R = 0.3, score -0.3 * 25/6 = -1.25
        pytest.param(False, 81, 97, "limited_progress", 0.3, -1.25, id="lower-limited"),
        # 103: R = -0.3, score -0.9 * 25/6 = -3.75
        pytest.param(False, 81, 103, "deterioration", -0.3, -3.75, id="lower-deterior"),
        # 125 >= 121 -> achieved
        pytest.param(True, 121, 125, "target_achieved", 2.5, 5.0, id="higher-achieved"),
        pytest.param(True, 121, 110, "on_track", 1.0, 20 / 7, id="higher-on-track"),
        pytest.param(
            True, 121, 108, "acceleration_needed", 0.8, 10 / 7, id="higher-accel"
        ),
        pytest.param(
            True, 121, 103, "limited_progress", 0.3, -1.25, id="higher-limited"
        ),
        pytest.param(True, 121, 97, "deterioration", -0.3, -3.75, id="higher-deterior"),
    ],
)
def test_categories_with_target(higher, target, latest, category, ratio, score):
    r = assess_progress(
        [2020, 2021],
        [100, latest],
        higher_is_better=higher,
        target_value=target,
        target_year=2022,
    )
    assert r.category == category
    assert_allclose(r.ratio, ratio, atol=1e-12)
    assert_allclose(r.score, score, atol=1e-12)
    assert r.target_achieved == (category == "target_achieved")


# Score breakpoints with target: base 100 (2020), target 121 (2022) -> CAGR_req 0.1;
# latest (2021) = 100 * (1 + 0.1 R) gives exactly the ratio R.
@pytest.mark.parametrize(
    ("ratio", "score"),
    [
        pytest.param(-1.0, -5.0, id="R=-100%-clamped"),
        pytest.param(-0.6, -5.0, id="R=-60%"),
        pytest.param(0.0, -2.5, id="R=0"),
        pytest.param(0.6, 0.0, id="R=60%"),
        pytest.param(0.95, 2.5, id="R=95%"),
        pytest.param(1.3, 5.0, id="R=130%"),
        pytest.param(1.5, 5.0, id="R=150%-clamped"),
    ],
)
def test_score_breakpoints_with_target(ratio, score):
    r = assess_progress(
        [2020, 2021],
        [100, 100 * (1 + 0.1 * ratio)],
        higher_is_better=True,
        target_value=121,
        target_year=2022,
    )
    assert_allclose(r.ratio, ratio, atol=1e-12)
    assert_allclose(r.score, score, atol=1e-9)


# ==================================== categories without target, by hand

# Base 100 (2020), latest 2021: CAGR = latest/100 - 1, p = d * CAGR.
# Scores: p < 0: 125p - 2.5; [0, 0.5 %[: 500p - 2.5; [0.5 %, 1.5 %[: 250p - 1.25;
# >= 1.5 %: min(500p - 5, 5).


@pytest.mark.parametrize(
    ("higher", "latest", "category", "progress", "score"),
    [
        # 102: p = 0.02 -> on track, 500 * 0.02 - 5 = 5
        pytest.param(True, 102, "on_track", 0.02, 5.0, id="higher-on-track"),
        # 101: p = 0.01 -> 250 * 0.01 - 1.25 = 1.25
        pytest.param(True, 101, "acceleration_needed", 0.01, 1.25, id="higher-accel"),
        # 100.25: p = 0.0025 -> 500 * 0.0025 - 2.5 = -1.25
        pytest.param(
            True, 100.25, "limited_progress", 0.0025, -1.25, id="higher-limited"
        ),
        # 99: p = -0.01 -> 125 * -0.01 - 2.5 = -3.75
        pytest.param(True, 99, "deterioration", -0.01, -3.75, id="higher-deterior"),
        # lower is better: p = -CAGR
        pytest.param(False, 98, "on_track", 0.02, 5.0, id="lower-on-track"),
        pytest.param(False, 99, "acceleration_needed", 0.01, 1.25, id="lower-accel"),
        pytest.param(
            False, 99.75, "limited_progress", 0.0025, -1.25, id="lower-limited"
        ),
        pytest.param(False, 101, "deterioration", -0.01, -3.75, id="lower-deterior"),
        # unchanged: p = 0 -> limited progress, score -2.5
        pytest.param(True, 100, "limited_progress", 0.0, -2.5, id="flat"),
    ],
)
def test_categories_without_target(higher, latest, category, progress, score):
    r = assess_progress([2020, 2021], [100, latest], higher_is_better=higher)
    assert r.category == category
    assert r.method == "cagr_direction"
    assert r.cagr_required is None and r.ratio is None
    assert_allclose(r.progress_value, progress, atol=1e-12)
    assert_allclose(r.score, score, atol=1e-9)
    assert r.scaling_factor == 1.0


@pytest.mark.parametrize(
    ("growth", "score"),
    [
        pytest.param(-0.03, -5.0, id="-3%-clamped"),
        pytest.param(-0.02, -5.0, id="-2%"),
        pytest.param(0.0, -2.5, id="0%"),
        pytest.param(0.005, 0.0, id="0.5%"),
        pytest.param(0.015, 2.5, id="1.5%"),
        pytest.param(0.02, 5.0, id="2%"),
        pytest.param(0.03, 5.0, id="3%-clamped"),
    ],
)
def test_score_breakpoints_without_target(growth, score):
    r = assess_progress([2020, 2021], [100, 100 * (1 + growth)], higher_is_better=True)
    assert_allclose(r.score, score, atol=1e-9)


@pytest.mark.parametrize(
    ("score", "category"),
    [
        pytest.param(5.0, "on_track", id="5"),
        pytest.param(2.5, "on_track", id="2.5"),
        pytest.param(2.4999, "acceleration_needed", id="2.4999"),
        pytest.param(1.0, "acceleration_needed", id="1-doc-example"),
        pytest.param(0.0, "acceleration_needed", id="0"),
        pytest.param(-0.0001, "limited_progress", id="-0.0001"),
        pytest.param(-2.5, "limited_progress", id="-2.5"),
        pytest.param(-2.5001, "deterioration", id="-2.5001"),
        pytest.param(-5.0, "deterioration", id="-5"),
        pytest.param(None, "not_assessable", id="none"),
    ],
)
def test_category_from_score_bands(score, category):
    assert category_from_score(score) == category


def test_category_from_score_target_achieved_wins():
    assert category_from_score(1.0, target_achieved=True) == "target_achieved"


# ================================================================ edge rules


def test_single_point_not_assessable():
    r = assess_progress([2020], [10], higher_is_better=True)
    assert r.category == "not_assessable"
    assert r.score is None
    assert r.notes == ("too_few_points",)


def test_missing_values_are_dropped():
    # the NaN year disappears -> one point left -> not assessable
    r = assess_progress([2020, 2021], [10, float("nan")], higher_is_better=True)
    assert r.category == "not_assessable"
    # with None inside a longer series the remaining points are used: 100 -> 102
    r = assess_progress([2019, 2020, 2021], [100, None, 102], higher_is_better=True)
    assert_allclose(r.cagr_observed, 1.02**0.5 - 1)


def test_base_year_defaults_to_first_year_with_data():
    r = assess_progress([2022, 2018, 2020], [90, 100, 95], higher_is_better=False)
    assert (r.base_year, r.base_value, r.latest_year, r.latest_value) == (
        2018,
        100.0,
        2022,
        90.0,
    )


def test_base_year_moved_to_next_year_with_data():
    # base_year 2015 requested, data start 2016 -> base 2016 (value 50)
    r = assess_progress(
        [2014, 2016, 2018], [40, 50, 60.5], higher_is_better=True, base_year=2015
    )
    assert (r.base_year, r.base_value) == (2016, 50.0)
    assert "base_year_moved" in r.notes
    # (60.5/50)^(1/2) - 1 = 1.1 - 1 = 0.1
    assert_allclose(r.cagr_observed, 0.1)


def test_base_year_after_data_not_assessable():
    r = assess_progress([2016, 2018], [1, 2], higher_is_better=True, base_year=2019)
    assert r.category == "not_assessable"
    assert r.notes == ("no_data_from_base_year",)


def test_base_year_equal_to_latest_not_assessable():
    r = assess_progress([2016, 2018], [1, 2], higher_is_better=True, base_year=2018)
    assert r.category == "not_assessable"
    assert "too_few_points" in r.notes


def test_year_ranges_use_first_year():
    r = assess_progress(["2015-16", "2017-18"], [100, 121], higher_is_better=True)
    assert (r.base_year, r.latest_year) == (2015, 2017)
    assert_allclose(r.cagr_observed, 0.1)


def test_zero_base_replaced():
    # base 0 -> 0.001: CAGR = (2 / 0.001)^(1/1) - 1 = 1999 -> on track
    r = assess_progress([2020, 2021], [0, 2], higher_is_better=True)
    assert "zero_base_replaced" in r.notes
    assert r.base_value == 0.0
    assert_allclose(r.cagr_observed, 1999.0)
    assert r.category == "on_track"


def test_zero_target_replaced():
    # base 10 (2020), target 0 (2030) -> 0.001, latest 5 (2021), lower is better
    # CAGR_req = (0.001/10)^(1/10) - 1 = 10^-0.4 - 1 = -0.60189
    # CAGR_obs = 5/10 - 1 = -0.5;  R = 0.5 / 0.60189 = 0.8307 -> acceleration needed
    r = assess_progress(
        [2020, 2021], [10, 5], higher_is_better=False, target_value=0, target_year=2030
    )
    assert "zero_target_replaced" in r.notes
    assert r.target_value == 0.0
    assert_allclose(r.cagr_required, 10**-0.4 - 1)
    assert_allclose(r.ratio, 0.5 / (1 - 10**-0.4))
    assert r.category == "acceleration_needed"


@pytest.mark.parametrize(
    ("latest", "category", "progress"),
    [
        # higher is better, -10 -> -9: magnitude CAGR -0.1, s = -1, d = +1 -> p = 0.1
        pytest.param(-9, "on_track", 0.1, id="rising-negative-is-progress"),
        # -10 -> -11: magnitude CAGR +0.1 -> p = -0.1
        pytest.param(-11, "deterioration", -0.1, id="falling-negative-deteriorates"),
    ],
)
def test_all_negative_values_flip_direction(latest, category, progress):
    r = assess_progress([2020, 2021], [-10, latest], higher_is_better=True)
    assert r.category == category
    assert_allclose(r.progress_value, progress)
    assert "negative_values_direction_flipped" in r.notes


def test_all_negative_values_with_target():
    # higher is better, base -10 (2020), target -8.1 (2022), latest -9 (2021)
    # CAGR_obs = 0.9 - 1 = -0.1; CAGR_req = sqrt(0.81) - 1 = -0.1
    # R = s * d * CAGR_obs / |CAGR_req| = (-1)(+1)(-0.1) / 0.1 = 1 -> on track
    r = assess_progress(
        [2020, 2021],
        [-10, -9],
        higher_is_better=True,
        target_value=-8.1,
        target_year=2022,
    )
    assert_allclose(r.ratio, 1.0)
    assert r.category == "on_track"
    # -8 >= -8.1 -> achieved
    r = assess_progress(
        [2020, 2021],
        [-10, -8],
        higher_is_better=True,
        target_value=-8.1,
        target_year=2022,
    )
    assert r.category == "target_achieved"


def test_mixed_signs_not_assessable():
    r = assess_progress([2020, 2021, 2022], [-1, 2, 3], higher_is_better=True)
    assert r.category == "not_assessable"
    assert r.notes == ("mixed_signs",)


def test_values_before_base_year_do_not_count_for_sign_rule():
    r = assess_progress(
        [2019, 2020, 2021], [-1, 100, 102], higher_is_better=True, base_year=2020
    )
    assert r.category == "on_track"


def test_all_zero_not_assessable():
    r = assess_progress([2020, 2021], [0, 0], higher_is_better=False)
    assert r.category == "not_assessable"
    assert r.notes == ("all_values_zero",)


def test_target_sign_differs_not_assessable():
    r = assess_progress(
        [2020, 2021], [5, 4], higher_is_better=False, target_value=-1, target_year=2030
    )
    assert r.category == "not_assessable"
    assert "target_sign_differs" in r.notes


def test_target_year_not_after_base_not_assessable():
    r = assess_progress(
        [2020, 2021], [5, 4], higher_is_better=False, target_value=3, target_year=2020
    )
    assert r.category == "not_assessable"
    assert "target_year_not_after_base" in r.notes


def test_target_in_wrong_direction_and_missed_is_deterioration():
    # Lower is better, base 40 (2020) already below the target 50 (2030);
    # latest 55 (2021) slipped past the target.
    # CAGR_req = (50/40)^(1/10) - 1 = +0.0226 (against the desired direction)
    # CAGR_obs = 55/40 - 1 = 0.375; R = (-1)(0.375) / 0.0226 = -16.6 -> deterioration
    r = assess_progress(
        [2020, 2021],
        [40, 55],
        higher_is_better=False,
        target_value=50,
        target_year=2030,
    )
    assert "target_opposite_to_desired_direction" in r.notes
    assert_allclose(r.ratio, -0.375 / (1.25**0.1 - 1))
    assert r.category == "deterioration"
    assert r.score == -5.0


def test_target_in_wrong_direction_but_still_met_is_achieved():
    # same set-up, latest 45 <= 50 -> target achieved
    r = assess_progress(
        [2020, 2021],
        [40, 45],
        higher_is_better=False,
        target_value=50,
        target_year=2030,
    )
    assert r.category == "target_achieved"
    assert "target_opposite_to_desired_direction" in r.notes


def test_target_in_wrong_direction_higher_is_better():
    # higher is better, base 60 above target 50; latest 45 < 50 -> not achieved.
    # CAGR_obs = 45/60 - 1 = -0.25; R = (+1)(-0.25)/|CAGR_req| < 0 -> deterioration
    r = assess_progress(
        [2020, 2021], [60, 45], higher_is_better=True, target_value=50, target_year=2030
    )
    assert r.category == "deterioration"
    assert r.ratio < 0


def test_target_equal_to_base():
    # target 40 = base 40, lower is better, latest 42 -> moved away from a met target
    r = assess_progress(
        [2020, 2021],
        [40, 42],
        higher_is_better=False,
        target_value=40,
        target_year=2030,
    )
    assert r.category == "deterioration"
    assert r.score == -5.0
    assert r.ratio is None
    assert "target_equals_base" in r.notes
    r = assess_progress(
        [2020, 2021],
        [40, 39],
        higher_is_better=False,
        target_value=40,
        target_year=2030,
    )
    assert r.category == "target_achieved"


# ------------------------------------------------------------ natural limits


def test_limit_scaling_factor_near_maximum():
    # share of 95 % with maximum 100, rising 95 -> 95.5:
    # C = 1 - 0.95^4.44 = 0.2037; p = 95.5/95 - 1 = 0.526 % >= 1.5 % * C = 0.306 %
    # -> on track (without the limit: 0.5 % <= p < 1.5 % -> acceleration needed)
    # score: p / C = 2.58 % >= 2 % -> 5
    c = 1 - 0.95**4.44
    r = assess_progress([2020, 2021], [95, 95.5], higher_is_better=True, limit=100)
    assert_allclose(r.scaling_factor, c)
    assert r.category == "on_track"
    assert_allclose(r.score, 5.0)
    plain = assess_progress([2020, 2021], [95, 95.5], higher_is_better=True)
    assert plain.category == "acceleration_needed"


def test_limit_scaling_factor_near_minimum():
    # lower is better, minimum 10, base 12 -> 11.85:
    # C = 1 - ((2*10 - 12)/10)^4.44 = 1 - 0.8^4.44 = 0.6287
    # p = 1 - 11.85/12 = 1.25 % >= 1.5 % * C = 0.943 % -> on track
    # score: q = p/C = 1.988 % lies in [1.5 %, 2 %[ -> 500 q - 5 = 4.94
    c = 1 - 0.8**4.44
    r = assess_progress([2020, 2021], [12, 11.85], higher_is_better=False, limit=10)
    assert_allclose(r.scaling_factor, c)
    assert r.category == "on_track"
    assert_allclose(r.score, 500 * (0.0125 / c) - 5)


def test_limit_reached_at_base_counts_as_on_track():
    # base 100 = limit 100 -> C = 0; holding 100 (p = 0) -> on track, score 5
    r = assess_progress([2020, 2021], [100, 100], higher_is_better=True, limit=100)
    assert r.scaling_factor == 0.0
    assert r.category == "on_track"
    assert r.score == 5.0
    assert "limit_reached_at_base" in r.notes
    # falling away from the limit is scored as usual: p = -1 % -> -3.75
    r = assess_progress([2020, 2021], [100, 99], higher_is_better=True, limit=100)
    assert r.category == "deterioration"
    assert_allclose(r.score, -3.75)


def test_limit_not_in_desired_direction_is_ignored():
    # lower is better: a maximum of 100 does not restrict progress -> C = 1
    r = assess_progress([2020, 2021], [50, 49], higher_is_better=False, limit=100)
    assert r.scaling_factor == 1.0
    assert "limit_not_in_desired_direction" in r.notes


def test_limit_ignored_with_target():
    r = assess_progress(
        [2020, 2021],
        [95, 96],
        higher_is_better=True,
        target_value=99,
        target_year=2030,
        limit=100,
    )
    assert "limit_ignored_with_target" in r.notes
    assert r.scaling_factor == 1.0


@pytest.mark.parametrize(
    ("base", "limit", "higher", "expected"),
    [
        pytest.param(50, 100, True, 1 - 0.5**4.44, id="max-half-way"),
        pytest.param(100, 100, True, 0.0, id="max-at-limit"),
        pytest.param(0.001, 100, True, 1 - 0.00001**4.44, id="max-far"),
        pytest.param(15, 10, False, 1 - 0.5**4.44, id="min-half-way"),
        pytest.param(25, 10, False, 1.0, id="min-beyond-2L"),
        pytest.param(5, 0, False, 1.0, id="min-zero"),
        pytest.param(120, 100, True, None, id="max-below-base"),
    ],
)
def test_limit_scaling_factor_values(base, limit, higher, expected):
    c = limit_scaling_factor(base, limit, higher_is_better=higher)
    if expected is None:
        assert c is None
    else:
        assert_allclose(c, expected)


# ------------------------------------------------------------ bad arguments


@pytest.mark.parametrize(
    ("kwargs",),
    [
        pytest.param({"target_value": 5}, id="target-without-year"),
        pytest.param({"target_year": 2030}, id="year-without-target"),
        pytest.param({"higher_is_better": "yes"}, id="direction-not-bool"),
        pytest.param({"target_value": float("inf"), "target_year": 2030}, id="inf"),
    ],
)
def test_assess_progress_rejects_bad_arguments(kwargs):
    args = {"higher_is_better": True, **kwargs}
    with pytest.raises(ValueError):
        assess_progress([2020, 2021], [1, 2], **args)


@pytest.mark.parametrize(
    ("years", "values"),
    [
        pytest.param([2020, 2021], [1, 2, 3], id="length-mismatch"),
        pytest.param([2020, 2020], [1, 2], id="duplicate-years"),
        pytest.param(["twenty", 2021], [1, 2], id="bad-year"),
        pytest.param([2020, 2021], ["a", 2], id="bad-value"),
    ],
)
def test_assess_progress_rejects_bad_series(years, values):
    with pytest.raises(ValueError):
        assess_progress(years, values, higher_is_better=True)


def test_results_are_frozen():
    r = assess_progress([2020, 2021], [1, 2], higher_is_better=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.score = 0  # type: ignore[misc]


# ============================================================== aggregation


def _result(latest, *, target=121):
    """Series base 100 (2020) -> latest (2021), higher is better, target 121 (2022)."""
    return assess_progress(
        [2020, 2021],
        [100, latest],
        higher_is_better=True,
        target_value=target,
        target_year=2022,
    )


def test_aggregate_is_mean_of_scores():
    # scores 20/7 (R = 1) and -3.75 (R = -0.3): mean = (2.857 - 3.75)/2 = -0.446
    agg = aggregate_scores([_result(110), _result(97)])
    assert_allclose(agg.score, (20 / 7 - 3.75) / 2)
    assert agg.category == "limited_progress"
    assert (agg.n_series, agg.n_assessed, agg.n_target_achieved) == (2, 2, 0)


def test_aggregate_target_achieved_only_if_all_achieved():
    # scores 5 and 5 -> achieved; 5 and 20/7 -> mean 3.93 -> on track, not achieved
    both = aggregate_scores([_result(125), _result(130)])
    assert both.category == "target_achieved"
    assert both.target_achieved
    one = aggregate_scores([_result(125), _result(110)])
    assert_allclose(one.score, (5 + 20 / 7) / 2)
    assert one.category == "on_track"
    assert one.n_target_achieved == 1


def test_aggregate_ignores_not_assessable():
    lonely = assess_progress([2020], [1], higher_is_better=True)
    agg = aggregate_scores([lonely, _result(108)])
    assert_allclose(agg.score, 10 / 7)
    assert (agg.n_series, agg.n_assessed) == (2, 1)
    none = aggregate_scores([lonely])
    assert none.category == "not_assessable"
    assert none.score is None


def test_aggregate_groups_sub_series_first():
    # [A, [B, C]]: group mean (5 + (-3.75))/2 = 0.625; total (20/7 + 0.625)/2
    agg = aggregate_scores([_result(110), [_result(125), _result(97)]])
    assert_allclose(agg.score, (20 / 7 + (5 - 3.75) / 2) / 2)
    assert isinstance(agg, AggregateResult)


def test_aggregate_rejects_bad_input():
    with pytest.raises(ValueError):
        aggregate_scores([])
    with pytest.raises(ValueError):
        aggregate_scores([1.0])
