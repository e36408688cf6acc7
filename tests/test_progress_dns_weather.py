"""monitor.methods.progress.dns_weather against hand-computed reference values.

Every expected number is worked out in the comment next to it, so that a failing
test can be checked with a pocket calculator.
"""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from monitor.methods.progress.dns_weather import (
    WEATHER_SYMBOLS,
    weather_symbol,
    worst_symbol,
)

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
