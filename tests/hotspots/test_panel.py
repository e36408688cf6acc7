"""The analysis over all years (hotspots.panel): year panel, coverage, cube."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from monitor.methods import hotspots as hs
from tests.hotspots.examples import clustered_values, grid


def test_year_panel_smooths_each_year_over_its_published_units():
    frames = {
        2020: pd.DataFrame(
            {
                "area_id": ["a", "b", "c", "d"],
                "numerator": [5.0, 30.0, 12.0, np.nan],
                "denominator": [100.0, 300.0, 150.0, np.nan],
                "value": [5.0, 10.0, 8.0, np.nan],
                "status": ["ok", "ok", "ok", "suppressed"],
            }
        ),
        2021: pd.DataFrame(
            {
                "area_id": ["a", "b", "c", "d"],
                "numerator": [6.0, 33.0, 9.0, 4.0],
                "denominator": [100.0, 300.0, 150.0, 80.0],
                "value": [6.0, 11.0, 6.0, 5.0],
                "status": ["ok", "ok", "ok", "ok"],
            }
        ),
    }
    raw = hs.year_panel(frames, smooth=False, rate_scale=100.0)
    assert raw.loc["b", 2020] == 10.0 and np.isnan(raw.loc["d", 2020])
    smoothed = hs.year_panel(frames, smooth=True, rate_scale=100.0)
    ok = frames[2020].iloc[:3]
    expected = 100 * hs.empirical_bayes_rates(ok.numerator, ok.denominator)
    assert_allclose(smoothed.loc[["a", "b", "c"], 2020], expected)
    assert np.isnan(smoothed.loc["d", 2020])
    assert np.isfinite(smoothed[2021]).all()


def test_year_panel_leaves_a_year_without_published_units_empty():
    """A year whose every unit is suppressed (motorik_einschulung 2021 in the
    demo) stopped the Hotspots page with "no units"; it stays NaN."""
    frames = {
        year: pd.DataFrame(
            {
                "area_id": ["a", "b"],
                "numerator": [5.0, 6.0],
                "denominator": [100.0, 120.0],
                "value": [5.0, 5.0],
                "status": [status, status],
            }
        )
        for year, status in ((2020, "ok"), (2021, "suppressed"))
    }
    panel = hs.year_panel(frames, smooth=True, rate_scale=100.0)
    assert panel[2021].isna().all() and panel[2020].notna().all()


def test_year_panel_smooths_towards_each_years_prior_rate():
    frame = pd.DataFrame(
        {
            "area_id": ["a", "b", "c"],
            "numerator": [2.0, 30.0, 90.0],
            "denominator": [20.0, 100.0, 300.0],
            "value": [10.0, 30.0, 30.0],
            "status": ["ok", "ok", "ok"],
        }
    )
    out = hs.year_panel({2020: frame, 2021: frame}, True, 100.0, {2020: 0.2})
    expected = 100 * hs.empirical_bayes_rates(frame.numerator, frame.denominator, 0.2)
    assert_allclose(out[2020], expected)
    pooled = 100 * hs.empirical_bayes_rates(frame.numerator, frame.denominator)
    assert_allclose(out[2021], pooled)  # no prior for 2021: the pooled rate


def frames_for(nx=6, ny=6, years=range(2016, 2024), seed=3):
    """Published frames per year over an nx x ny grid with a growing cluster."""
    cells = grid(nx, ny)
    rng = np.random.default_rng(seed)
    base = clustered_values(nx, ny)
    frames = {}
    for k, year in enumerate(years):
        den = np.full(nx * ny, 400.0)
        num = np.round(den * (base + 0.3 * k + rng.normal(0, 0.3, nx * ny)) / 100)
        frames[year] = pd.DataFrame(
            {
                "area_id": cells["area_id"],
                "numerator": num,
                "denominator": den,
                "value": 100 * num / den,
                "status": "ok",
            }
        )
    return cells, frames


def test_emerging_analysis_runs_the_space_time_cube():
    cells, frames = frames_for()
    res = hs.emerging_analysis(cells, frames, scheme="queen", smooth=False)
    assert res.reason is None
    assert res.params["time_lag"] == hs.TIME_LAG == 1
    # 36 areas per year: 999 permutations reach only 90 % (36 * 0.002 = 0.072),
    # 9999 reach all levels (0.0072): the cube takes 9999
    assert res.params["permutations"] == 9999
    assert res.params["confidence_levels"] == hs.CONFIDENCE_LEVELS
    values = hs.year_panel(frames, False, 100.0)
    w, _ = hs.weights_for(cells, "queen")
    z, p = hs.gstar_panel(values.loc[list(w.id_order)], w, 9999, hs.SEED)
    pd.testing.assert_frame_equal(res.z, z)
    pd.testing.assert_frame_equal(res.categories, hs.emerging_hotspots(z, p))
    # the bins the categories count are the hot/cold classes of the strip
    hot = res.bins.apply(lambda col: col.str.startswith("hot_")).sum(axis=1)
    assert (hot == res.categories["n_hot"]).all()


@pytest.mark.parametrize(
    ("share", "reason"),
    [
        pytest.param(1.0, None, id="whole-city"),
        pytest.param(0.85, None, id="85-percent"),
        pytest.param(0.79, "low_coverage", id="79-percent"),
        pytest.param(None, "coverage_unknown", id="city-missing"),
    ],
)
def test_emerging_analysis_refuses_low_coverage_in_any_year(share, reason):
    cells, frames = frames_for(years=range(2019, 2024))
    totals = {y: f.denominator.sum() for y, f in frames.items()}
    if share is None:
        totals[2021] = None
    else:
        totals[2021] = totals[2021] / share  # one year with less coverage
    res = hs.emerging_analysis(
        cells,
        frames,
        smooth=False,
        fdr=False,
        rate_scale=100.0,
        reference_totals=totals,
        permutations=99,
    )
    assert res.reason == reason
    if share is not None:
        assert res.coverage.share == pytest.approx(share)


def test_emerging_analysis_leaves_out_areas_with_a_missing_year():
    cells, frames = frames_for(years=range(2019, 2024))
    frames[2020].loc[0, ["numerator", "denominator", "value"]] = np.nan
    frames[2020].loc[0, "status"] = "suppressed"
    res = hs.emerging_analysis(cells, frames, fdr=False, permutations=99)
    assert res.excluded == ["g000"]
    assert "g000" not in res.z.index
    few = {y: f for y, f in frames.items() if y >= 2021}
    assert hs.emerging_analysis(cells, few, permutations=99).reason == "too_few_years"


def test_emerging_analysis_of_the_demo_quartiere(demo_store):
    years = range(2014, 2026)
    frames = {y: demo_store.level_values("sgb2_quote", y, "quartier") for y in years}
    city = {
        y: hs.city_totals(demo_store.level_values("sgb2_quote", y, "stadt"))
        for y in years
    }
    res = hs.emerging_analysis(
        demo_store.geometries("quartier"),
        frames,
        rate_scale=100.0,
        prior_rates={y: c.rate for y, c in city.items()},
        reference_totals={y: c.denominator for y, c in city.items()},
    )
    assert res.reason is None
    assert res.coverage.share == pytest.approx(1.0)
    assert res.params["permutations"] == 9999
    assert set(res.categories["category"]) <= {*hs.EMERGING_CATEGORIES}


def test_emerging_analysis_refuses_cubes_too_large_to_wait_for():
    cells, frames = frames_for(years=range(2019, 2024))  # 36 areas x 5 years
    res = hs.emerging_analysis(cells, frames, fdr=False, permutations=99)
    assert res.reason is None and res.params["n_bins"] == 180
    big = hs.emerging_analysis(cells, frames, fdr=False, permutations=30_000)
    assert big.reason == "too_large"  # 180 x 30,000 > 5 million
