"""Tests for monitor.methods.progress against hand-computed reference values.

Every expected number is worked out in the comment next to it, so that a failing
test can be checked with a pocket calculator.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest
from numpy.testing import assert_allclose

from monitor.methods.progress import (
    CATEGORIES,
    NOTES,
    PATH_STATUSES,
    WEATHER_SYMBOLS,
    AggregateResult,
    aggregate_scores,
    anticipated_progress_index,
    assess_progress,
    cagr,
    category_from_score,
    current_status_index,
    decimal_year,
    limit_scaling_factor,
    path_progress,
    target_path,
    weather_symbol,
    worst_symbol,
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


# ============================================= DOMAIN.md 4.1 worked examples


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


def test_worked_example_kita_places_cagr_and_path():
    # 600 -> 990 places in 10 years: CAGR_req = (990/600)^(1/10) - 1 = +5.1 %/yr
    assert round(cagr(600, 990, 2025, 2035), 3) == 0.051
    # Linear Soll-Pfad: 600 + 390 * 2/10 = 678 on 2027-01-01
    expected = target_path(
        600, 990, date(2025, 1, 1), date(2035, 1, 1), date(2027, 1, 1)
    )
    assert_allclose(expected, 678.0)
    # Being exactly on the linear path after 2 years is "on track" by CAGR as well:
    # CAGR_obs = (678/600)^(1/2) - 1 = 6.30 %; R = 0.0630 / 0.0514 = 1.227 >= 0.95
    r = assess_progress(
        [2025, 2027],
        [600, 678],
        higher_is_better=True,
        target_value=990,
        target_year=2035,
    )
    assert r.category == "on_track"
    assert_allclose(r.ratio, ((678 / 600) ** 0.5 - 1) / ((990 / 600) ** 0.1 - 1))


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


def test_all_categories_and_notes_are_documented():
    assert set(CATEGORIES) >= {
        "target_achieved",
        "on_track",
        "acceleration_needed",
        "limited_progress",
        "deterioration",
        "not_assessable",
    }
    results = [
        assess_progress([2020, 2021], [0, 2], higher_is_better=True),
        assess_progress([2020, 2021], [-1, -2], higher_is_better=True, limit=-5),
        assess_progress(
            [2020, 2021],
            [9, 8],
            higher_is_better=False,
            target_value=0,
            target_year=2030,
        ),
        assess_progress([2016, 2018], [1, 2], higher_is_better=True, base_year=2017),
        weather_symbol([2015, 2017, 2018, 2019], [1, 2, 3, 4], higher_is_better=True),
        weather_symbol(
            range(2015, 2021),
            [1, 2, 3, 4, 5, 6],
            higher_is_better=True,
            target_value=3,
            target_year=2019,
        ),
    ]
    for r in results:
        assert set(r.notes) <= set(NOTES), r.notes


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


# ====================================================== DNS weather symbols

YEARS6 = list(range(2020, 2026))  # 2020..2025, latest 2025


@pytest.mark.parametrize(
    ("values", "symbol", "mean", "extrapolated", "miss"),
    [
        # lower is better, target 20 in 2030, latest 25 (gap 5), horizon 5 years
        # mean -1/yr -> 25 - 5 = 20 -> miss 0 -> sun
        pytest.param([30, 29, 28, 27, 26, 25], "sun", -1.0, 20.0, 0.0, id="sun"),
        # mean (25 - 29.5)/5 = -0.9 -> 20.5 -> miss 0.5/5 = 10 % -> leicht bewölkt
        pytest.param(
            [29.5, 28.6, 27.7, 26.8, 25.9, 25],
            "sun_cloud",
            -0.9,
            20.5,
            0.1,
            id="sun-cloud",
        ),
        # mean -0.5 -> 22.5 -> miss 2.5/5 = 50 % -> cloud
        pytest.param(
            [27.5, 27, 26.5, 26, 25.5, 25], "cloud", -0.5, 22.5, 0.5, id="cloud"
        ),
        # mean +1 (wrong direction) -> 30 -> miss 10/5 = 200 % -> thunderstorm
        pytest.param(
            [20, 21, 22, 23, 24, 25], "thunderstorm", 1.0, 30.0, 2.0, id="thunderstorm"
        ),
        # flat: not moving towards the target -> thunderstorm (miss 100 %)
        pytest.param([25] * 6, "thunderstorm", 0.0, 25.0, 1.0, id="flat-thunderstorm"),
        # overshoot: mean -2 -> 15, miss -5/5 = -100 % (exceeded) -> sun
        pytest.param([35, 33, 31, 29, 27, 25], "sun", -2.0, 15.0, -1.0, id="overshoot"),
    ],
)
def test_weather_target_variant(values, symbol, mean, extrapolated, miss):
    w = weather_symbol(
        YEARS6, values, higher_is_better=False, target_value=20, target_year=2030
    )
    assert w.symbol == symbol
    assert w.variant == "target"
    assert_allclose(w.mean_change, mean, atol=1e-12)
    assert_allclose(w.extrapolated_value, extrapolated, atol=1e-12)
    assert_allclose(w.gap, 5.0)
    assert_allclose(w.miss_share, miss, atol=1e-12)
    assert w.points_used == 6
    assert (w.window_start_year, w.latest_year) == (2020, 2025)


def test_weather_target_higher_is_better():
    # higher is better, target 100 in 2030, latest 80 (gap 20); mean +3 -> 95
    # miss 5/20 = 25 % -> cloud
    w = weather_symbol(
        YEARS6,
        [65, 68, 71, 74, 77, 80],
        higher_is_better=True,
        target_value=100,
        target_year=2030,
    )
    assert w.symbol == "cloud"
    assert_allclose(w.miss_share, 0.25)


@pytest.mark.parametrize(
    ("values", "symbol"),
    [
        # target 20 already met (19), still falling -> sun
        pytest.param([24, 23, 22, 21, 20, 19], "sun", id="reached-improving"),
        # met (19) but rising -> sun with cloud
        pytest.param([14, 15, 16, 17, 18, 19], "sun_cloud", id="reached-worsening"),
    ],
)
def test_weather_target_already_reached_uses_annual_rule(values, symbol):
    w = weather_symbol(
        YEARS6, values, higher_is_better=False, target_value=20, target_year=2030
    )
    assert w.symbol == symbol
    assert "target_already_reached" in w.notes
    assert w.miss_share is None


def test_weather_uses_only_last_six_points():
    # the wild early values (2016-2019) are outside the window 2020-2025
    years = list(range(2016, 2026))
    values = [90, 10, 90, 10, 30, 29, 28, 27, 26, 25]
    w = weather_symbol(
        years, values, higher_is_better=False, target_value=20, target_year=2030
    )
    assert w.points_used == 6
    assert w.window_start_year == 2020
    assert_allclose(w.mean_change, -1.0)
    assert w.symbol == "sun"


def test_weather_non_annual_spacing_uses_change_per_year():
    # biennial 2015..2025, 35 -> 25 over 10 years: mean -1/yr -> 2030: 20 -> sun
    w = weather_symbol(
        range(2015, 2026, 2),
        [35, 33, 31, 29, 27, 25],
        higher_is_better=False,
        target_value=20,
        target_year=2030,
    )
    assert_allclose(w.mean_change, -1.0)
    assert_allclose(w.last_change, -1.0)
    assert w.symbol == "sun"


def test_weather_four_points_enough_three_not():
    w = weather_symbol(
        [2022, 2023, 2024, 2025],
        [28, 27, 26, 25],
        higher_is_better=False,
        target_value=20,
        target_year=2030,
    )
    # mean (25 - 28)/3 = -1 -> 20 -> sun
    assert w.points_used == 4
    assert w.symbol == "sun"
    w = weather_symbol(
        [2023, 2024, 2025],
        [27, 26, 25],
        higher_is_better=False,
        target_value=20,
        target_year=2030,
    )
    assert w.symbol == "not_assessable"
    assert w.mean_change is None
    assert "fewer_than_4_consecutive_points" in w.notes


def test_weather_gap_breaks_consecutive_run():
    # 2018 missing: the trailing run is 2019-2021 (3 points) -> no symbol
    w = weather_symbol(
        [2014, 2015, 2016, 2017, 2019, 2020, 2021],
        [1, 2, 3, 4, 5, 6, 7],
        higher_is_better=True,
    )
    assert w.symbol == "not_assessable"
    assert w.points_used == 3
    assert set(w.notes) == {"gap_in_series", "fewer_than_4_consecutive_points"}


def test_weather_target_year_passed():
    # target year 2024 before latest 2025: horizon 0, extrapolated = latest
    w = weather_symbol(
        YEARS6,
        [30, 29, 28, 27, 26, 25],
        higher_is_better=False,
        target_value=20,
        target_year=2024,
    )
    assert "target_year_passed" in w.notes
    assert_allclose(w.extrapolated_value, 25.0)
    assert w.symbol == "cloud"  # right direction, 100 % of the gap missing


@pytest.mark.parametrize(
    ("values", "symbol"),
    [
        # lower is better, limit 10 every year
        # met (8 <= 10), mean (8 - 12)/5 = -0.8 not deteriorating -> sun
        pytest.param([12, 11, 10, 9.5, 9, 8], "sun", id="sun"),
        # met (9.5), mean +0.9 deteriorating -> sun with cloud
        pytest.param([5, 6, 7, 8, 9, 9.5], "sun_cloud", id="sun-cloud"),
        # not met (12), mean -0.6 towards the limit -> cloud
        pytest.param([15, 14, 13, 13, 12, 12], "cloud", id="cloud"),
        # not met, flat: not moving away -> cloud
        pytest.param([12] * 6, "cloud", id="cloud-flat"),
        # not met (15), mean +0.8 away -> thunderstorm
        pytest.param([11, 12, 12, 13, 14, 15], "thunderstorm", id="thunderstorm"),
        # exactly at the limit counts as met; flat -> sun
        pytest.param([10] * 6, "sun", id="at-limit"),
    ],
)
def test_weather_annual_limit_variant(values, symbol):
    w = weather_symbol(YEARS6, values, higher_is_better=False, annual_limit=10)
    assert w.symbol == symbol
    assert w.variant == "annual_limit"
    assert_allclose(w.gap, abs(10 - values[-1]))
    assert w.extrapolated_value is None


def test_weather_annual_limit_too_few_points():
    w = weather_symbol(
        [2023, 2024, 2025], [8, 9, 9], higher_is_better=False, annual_limit=10
    )
    assert w.symbol == "not_assessable"


@pytest.mark.parametrize(
    ("values", "symbol", "mean", "last"),
    [
        # higher is better
        # mean +1, last +1 -> sun
        pytest.param([10, 11, 12, 13, 14, 15], "sun", 1.0, 1.0, id="sun"),
        # mean (14 - 10)/5 = +0.8, last -1 -> sun with cloud
        pytest.param([10, 11, 12, 13, 15, 14], "sun_cloud", 0.8, -1.0, id="sun-cloud"),
        # mean +0.8, last 0 (flat) -> sun with cloud
        pytest.param([10, 11, 12, 13, 14, 14], "sun_cloud", 0.8, 0.0, id="last-flat"),
        # mean (11 - 15)/5 = -0.8, last +1 -> cloud
        pytest.param([15, 14, 13, 12, 10, 11], "cloud", -0.8, 1.0, id="cloud"),
        # mean 0 (stagnation), last +1 -> cloud
        pytest.param([12, 13, 12, 11, 11, 12], "cloud", 0.0, 1.0, id="mean-flat"),
        # mean -1, last -1 -> thunderstorm
        pytest.param([15, 14, 13, 12, 11, 10], "thunderstorm", -1.0, -1.0, id="storm"),
    ],
)
def test_weather_direction_variant(values, symbol, mean, last):
    w = weather_symbol(YEARS6, values, higher_is_better=True)
    assert w.symbol == symbol
    assert w.variant == "direction"
    assert_allclose(w.mean_change, mean, atol=1e-12)
    assert_allclose(w.last_change, last, atol=1e-12)
    assert w.gap is None and w.miss_share is None


def test_weather_direction_lower_is_better_mirrors():
    w = weather_symbol(YEARS6, [15, 14, 13, 12, 11, 10], higher_is_better=False)
    assert w.symbol == "sun"


def test_weather_direction_too_few_points():
    w = weather_symbol([2024, 2025], [1, 2], higher_is_better=True)
    assert w.symbol == "not_assessable"
    assert w.points_used == 2


def test_weather_rejects_target_and_limit_together():
    with pytest.raises(ValueError):
        weather_symbol(
            YEARS6,
            [1] * 6,
            higher_is_better=True,
            target_value=5,
            target_year=2030,
            annual_limit=3,
        )
    with pytest.raises(ValueError):
        weather_symbol(YEARS6, [1] * 6, higher_is_better=True, target_value=5)


def test_worst_symbol():
    assert worst_symbol(["sun", "cloud", "sun_cloud"]) == "cloud"
    assert worst_symbol(["sun", "not_assessable"]) == "sun"
    assert worst_symbol(["not_assessable"]) == "not_assessable"
    w = weather_symbol(YEARS6, [15, 14, 13, 12, 11, 10], higher_is_better=True)
    assert worst_symbol([w, "sun"]) == "thunderstorm"
    assert set(WEATHER_SYMBOLS) == {
        "sun",
        "sun_cloud",
        "cloud",
        "thunderstorm",
        "not_assessable",
    }
    with pytest.raises(ValueError):
        worst_symbol(["rain"])


# ================================================================= UN ESCAP


@pytest.mark.parametrize(
    ("latest", "index", "capped"),
    [
        # base 45 (2015), target 35: (40 - 45)/(35 - 45) = 0.5
        pytest.param(40, 0.5, 0.5, id="half-way"),
        # (30 - 45)/(-10) = 1.5 -> capped 1
        pytest.param(30, 1.5, 1.0, id="beyond-target"),
        # (60 - 45)/(-10) = -1.5 -> capped -1
        pytest.param(60, -1.5, -1.0, id="moved-away"),
        pytest.param(45, 0.0, 0.0, id="no-change"),
    ],
)
def test_current_status_index(latest, index, capped):
    r = current_status_index([2015, 2018, 2020], [45, 50, latest], target_value=35)
    assert_allclose(r.index, index)
    assert_allclose(r.index_capped, capped)
    assert (r.base_year, r.latest_year) == (2015, 2020)


def test_current_status_index_edge_cases():
    r = current_status_index([2015], [45], target_value=35)
    assert r.index is None and "too_few_points" in r.notes
    r = current_status_index([2015, 2020], [45, 40], target_value=45)
    assert r.index is None and "target_equals_base" in r.notes
    # base year moved from 2014 to 2015
    r = current_status_index([2015, 2020], [45, 40], target_value=35, base_year=2014)
    assert "base_year_moved" in r.notes
    assert_allclose(r.index, 0.5)


def test_anticipated_progress_index_exact_line():
    # values on the line y = 45 - (t - 2015): any weights give slope -1
    # prediction 2030: 30; target 35: API = (30 - 45)/(35 - 45) = 1.5 -> on track
    years = list(range(2015, 2021))
    values = [45, 44, 43, 42, 41, 40]
    r = anticipated_progress_index(years, values, target_value=35, target_year=2030)
    assert_allclose(r.slope, -1.0)
    assert_allclose(r.predicted_value, 30.0)
    assert_allclose(r.index, 1.5)
    assert_allclose(r.anticipated_gap, -0.5)
    assert r.category == "on_track"
    # target 20: API = (30 - 45)/(20 - 45) = 0.6, gap 0.4 -> acceleration needed
    r = anticipated_progress_index(years, values, target_value=20, target_year=2030)
    assert_allclose(r.index, 0.6)
    assert_allclose(r.anticipated_gap, 0.4)
    assert r.category == "acceleration_needed"
    # rising values while the target is lower -> reverse trend
    r = anticipated_progress_index(
        years, values[::-1], target_value=20, target_year=2030
    )
    assert r.category == "reverse_trend"
    assert r.index < 0


def test_anticipated_progress_index_weights_recent_years():
    # years 2020, 2021, 2022, values 0, 0, 3, weights 1, 2, 3:
    # weighted means t = 12128/6 = 2021.333, y = 9/6 = 1.5
    # Sxy = 1(-4/3)(-1.5) + 2(-1/3)(-1.5) + 3(2/3)(1.5) = 2 + 1 + 3 = 6
    # Sxx = 1(16/9) + 2(1/9) + 3(4/9) = 30/9 -> slope = 6 / (30/9) = 1.8
    # (unweighted OLS slope: 1.5) ; prediction 2023: 1.5 + 1.8 * (5/3) = 4.5
    # target 6, base 0: API = 4.5/6 = 0.75
    r = anticipated_progress_index(
        [2020, 2021, 2022], [0, 0, 3], target_value=6, target_year=2023
    )
    assert r.weights == (1.0, 2.0, 3.0)
    assert_allclose(r.slope, 1.8)
    assert_allclose(r.predicted_value, 4.5)
    assert_allclose(r.index, 0.75)
    assert r.category == "acceleration_needed"
    # cross-check with numpy: polyfit weights multiply residuals (sqrt of WLS weights)
    slope, intercept = np.polyfit(
        [2020, 2021, 2022], [0, 0, 3], 1, w=np.sqrt([1, 2, 3])
    )
    assert_allclose([r.slope, r.intercept], [slope, intercept], rtol=1e-9)


def test_anticipated_progress_index_edge_cases():
    r = anticipated_progress_index([2020], [1], target_value=2, target_year=2030)
    assert r.category == "not_assessable"
    assert r.index is None
    r = anticipated_progress_index(
        [2020, 2021], [1, 2], target_value=1, target_year=2030
    )
    assert r.index is None and "target_equals_base" in r.notes
    assert_allclose(r.predicted_value, 11.0)


# ================================================= linear target path (Soll-Pfad)

KITA = (600, 990, date(2025, 1, 1), date(2035, 1, 1))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        pytest.param(date(2025, 1, 1), 600.0, id="start"),
        # 600 + 390 * 2/10 = 678
        pytest.param(date(2027, 1, 1), 678.0, id="kita-2027"),
        # 600 + 390 * 5/10 = 795
        pytest.param(date(2030, 1, 1), 795.0, id="half-way"),
        pytest.param(date(2035, 1, 1), 990.0, id="end"),
        pytest.param(date(2024, 6, 1), 600.0, id="before-start-clamped"),
        pytest.param(date(2036, 1, 1), 990.0, id="after-end-clamped"),
        # mid-year: 2027 + 181/365 -> 600 + 390 * (2 + 181/365)/10
        pytest.param(date(2027, 7, 1), 600 + 39 * (2 + 181 / 365), id="mid-2027"),
    ],
)
def test_target_path_kita(at, expected):
    assert_allclose(target_path(*KITA, at), expected)


@pytest.mark.parametrize(
    ("actual", "status", "ratio"),
    [
        # expected 678 (increment 78)
        pytest.param(678, "on_path", 1.0, id="on-path"),
        # 650: 50/78 = 0.641 -> behind
        pytest.param(650, "behind", 50 / 78, id="behind"),
        # 720: 120/78 = 1.538 -> ahead
        pytest.param(720, "ahead", 120 / 78, id="ahead"),
        # 600: nothing delivered after 2 years -> behind (ratio 0)
        pytest.param(600, "behind", 0.0, id="nothing-yet"),
        # 995 >= 990 -> achieved early
        pytest.param(995, "achieved", 395 / 78, id="achieved"),
    ],
)
def test_path_progress_kita(actual, status, ratio):
    p = path_progress(*KITA, actual, date(2027, 1, 1))
    assert p.status == status
    assert_allclose(p.expected, 678.0)
    assert_allclose(p.expected_increment, 78.0)
    assert_allclose(p.achieved_increment, actual - 600)
    assert_allclose(p.ratio, ratio)
    assert_allclose(p.share_of_target, (actual - 600) / 390)
    assert_allclose(p.elapsed_share, 0.2)


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        # base 0, target 100 over 10 years; after 5 years expected 50
        pytest.param(44, "behind", id="ratio-0.88"),
        pytest.param(45, "on_path", id="ratio-0.90-boundary"),
        pytest.param(55, "on_path", id="ratio-1.10-boundary"),
        pytest.param(56, "ahead", id="ratio-1.12"),
    ],
)
def test_path_progress_tolerance_band(actual, status):
    p = path_progress(
        0, 100, date(2020, 1, 1), date(2030, 1, 1), actual, date(2025, 1, 1)
    )
    assert p.status == status


def test_path_progress_custom_tolerance():
    # ratio 0.95 is behind with a 2 % band
    p = path_progress(
        0,
        100,
        date(2020, 1, 1),
        date(2030, 1, 1),
        47.5,
        date(2025, 1, 1),
        tolerance=0.02,
    )
    assert p.status == "behind"


def test_path_progress_not_started():
    p = path_progress(*KITA, 600, date(2025, 1, 1))
    assert p.status == "not_started"
    assert p.ratio is None
    p = path_progress(*KITA, 600, date(2024, 12, 1))
    assert p.status == "not_started"


def test_path_progress_decreasing_target():
    # waiting list 100 -> 40 between 2025 and 2031; 2028 expected 70
    args = (100, 40, date(2025, 1, 1), date(2031, 1, 1))
    p = path_progress(*args, 70, date(2028, 1, 1))
    assert_allclose(p.expected, 70.0)
    assert p.status == "on_path"
    # 85: achieved -15 of expected -30 -> ratio 0.5 -> behind
    p = path_progress(*args, 85, date(2028, 1, 1))
    assert_allclose(p.ratio, 0.5)
    assert p.status == "behind"
    p = path_progress(*args, 39, date(2028, 1, 1))
    assert p.status == "achieved"


@pytest.mark.parametrize(
    ("kwargs",),
    [
        pytest.param({"target_date": date(2025, 1, 1)}, id="target-date-equals-base"),
        pytest.param({"target_date": date(2020, 1, 1)}, id="target-date-before-base"),
        pytest.param({"target_value": 600}, id="target-equals-base"),
        pytest.param({"actual_date": "2027-01-01"}, id="date-as-string"),
        pytest.param({"tolerance": 1.5}, id="tolerance-too-large"),
    ],
)
def test_path_progress_rejects_bad_arguments(kwargs):
    args = {
        "base_value": 600,
        "target_value": 990,
        "base_date": date(2025, 1, 1),
        "target_date": date(2035, 1, 1),
        "actual_value": 650,
        "actual_date": date(2027, 1, 1),
        **kwargs,
    }
    with pytest.raises(ValueError):
        path_progress(**args)


def test_path_statuses_documented():
    assert set(PATH_STATUSES) == {
        "ahead",
        "on_path",
        "behind",
        "not_started",
        "achieved",
    }


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(date(2027, 1, 1), 2027.0, id="new-year"),
        pytest.param(date(2024, 7, 1), 2024 + 182 / 366, id="leap-year"),
        pytest.param(date(2025, 12, 31), 2025 + 364 / 365, id="new-years-eve"),
    ],
)
def test_decimal_year(day, expected):
    assert_allclose(decimal_year(day), expected)
