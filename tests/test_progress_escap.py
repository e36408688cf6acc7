"""monitor.methods.progress.escap against hand-computed reference values.

Every expected number is worked out in the comment next to it, so that a failing
test can be checked with a pocket calculator.
"""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

from monitor.methods.progress.escap import (
    anticipated_progress_index,
    current_status_index,
)

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


# ----------------------------------------- statsmodels at run time, frozen numbers

# A noisy falling share, 2014-2024 (weights 1 .. 11), target 22 % in 2030.
NOISY_YEARS = list(range(2014, 2025))
NOISY = [31.2, 30.8, 31.5, 30.1, 29.4, 29.9, 28.7, 28.9, 27.6, 27.9, 26.8]


def test_anticipated_progress_index_equals_statsmodels_wls():
    r = anticipated_progress_index(
        NOISY_YEARS, NOISY, target_value=22, target_year=2030
    )
    x = sm.add_constant(np.asarray(NOISY_YEARS, dtype=float))
    fit = sm.WLS(np.asarray(NOISY), x, weights=np.asarray(r.weights)).fit()
    assert_allclose([r.intercept, r.slope], fit.params, rtol=1e-10)
    assert_allclose(r.predicted_value, fit.predict([[1.0, 2030.0]])[0], rtol=1e-10)


def test_anticipated_progress_index_frozen_numbers():
    # statsmodels 0.15 WLS gave these (frozen, so an upgrade cannot move them):
    # slope -0.466853 %-points a year, 2030 prediction 24.2548,
    # API = (24.2548 - 31.2) / (22 - 31.2) = 0.7549
    r = anticipated_progress_index(
        NOISY_YEARS, NOISY, target_value=22, target_year=2030
    )
    assert_allclose(r.slope, -0.46685314685314677, rtol=1e-12)
    assert_allclose(r.predicted_value, 24.254825174825214, rtol=1e-12)
    assert_allclose(r.index, 0.7549103070842158, rtol=1e-12)
    assert r.category == "acceleration_needed"
