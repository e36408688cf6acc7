"""monitor.methods.progress.target_path against hand-computed reference values.

Every expected number is worked out in the comment next to it, so that a failing
test can be checked with a pocket calculator.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from numpy.testing import assert_allclose

from monitor.methods.progress.open_sdg import assess_progress, cagr
from monitor.methods.progress.target_path import (
    PATH_STATUSES,
    decimal_year,
    path_progress,
    target_path,
)

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


def test_target_path_equals_numpy_interpolation_in_decimal_years():
    # np.interp at run time; frozen: 600 + 390 * (2029.5 - 2025) / 10 with
    # 1 July 2029 = 2029 + 181/365 -> 600 + 390 * 0.449589 = 775.339726
    base, target = date(2025, 1, 1), date(2035, 1, 1)
    at = date(2029, 7, 1)
    expected = np.interp(
        decimal_year(at), [decimal_year(base), decimal_year(target)], [600, 990]
    )
    assert_allclose(target_path(600, 990, base, target, at), expected, rtol=1e-12)
    assert_allclose(
        target_path(600, 990, base, target, at), 775.3397260273996, rtol=1e-12
    )
