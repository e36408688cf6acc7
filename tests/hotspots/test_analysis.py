"""The Hotspots page analysis (hotspots.analysis): minimum units, exclusions."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from shapely.geometry import box

from monitor.methods import hotspots as hs
from tests.hotspots.examples import SEED, clustered_values, grid


def test_hotspot_analysis_finds_the_planted_clusters(grid10):
    # 100 tests: with 999 permutations BH lifts the smallest p (0.002) to 0.2, so
    # no class would be reachable; None picks 9999 (0.02: 90 and 95 %).
    res = hs.hotspot_analysis(grid10, "value", permutations=None, seed=SEED)
    assert res.params["permutations"] == 9999
    assert res.params["confidence_levels"] == (0.90, 0.95)
    assert res.params["unreachable_levels"] == (0.99,)
    assert res.reason is None and res.testable
    units = res.units
    assert units.index.name == "area_id"
    assert len(units) == 100
    centre_hot, centre_cold = "g022", "g077"  # cells (2, 2) and (7, 7)
    assert units.loc[centre_hot, "gi_class"].startswith("hot_")
    assert units.loc[centre_cold, "gi_class"].startswith("cold_")
    assert units.loc[centre_hot, "lisa_class"] == "HH"
    assert set(units["gi_class"]) <= set(hs.GSTAR_CLASSES)
    assert set(units["lisa_class"]) <= set(hs.LISA_CLASSES)
    assert res.global_moran.I > 0.3 and res.global_moran.p_sim <= 0.01
    assert_allclose(units["gi_p"], np.minimum(2 * units["gi_p_sim"], 1))
    assert res.excluded.empty
    assert res.weights.scheme == "queen"
    again = hs.hotspot_analysis(grid10, "value", permutations=None, seed=SEED)
    pd.testing.assert_frame_equal(again.units, units)


def test_hotspot_analysis_excludes_missing_and_suppressed_units(grid10):
    gdf = grid10.copy()
    gdf["status"] = "ok"
    gdf.loc[gdf["area_id"] == "g010", "status"] = "suppressed"
    gdf.loc[gdf["area_id"] == "g011", "value"] = np.nan
    res = hs.hotspot_analysis(gdf, "value", permutations=99)
    assert res.excluded.to_dict() == {"g010": "suppressed", "g011": "missing"}
    assert len(res.units) == 98
    assert "g010" not in res.units.index
    assert res.weights.n == 98


def test_hotspot_analysis_smooths_rates_from_counts(grid10):
    rng = np.random.default_rng(4)
    gdf = grid10.copy()
    gdf["den"] = rng.integers(30, 800, 100)
    gdf["num"] = rng.binomial(gdf["den"], gdf["value"] / 200)
    gdf["value"] = 100 * gdf["num"] / gdf["den"]  # percent
    gdf.loc[5, "den"] = 0
    res = hs.hotspot_analysis(gdf, "value", "num", "den", permutations=99)
    keep = gdf.index != 5
    expected = 100 * hs.empirical_bayes_rates(gdf["num"][keep], gdf["den"][keep])
    assert_allclose(res.units["value_smoothed"], expected)
    assert_allclose(res.units["value_used"], expected)
    assert_allclose(res.units["value_raw"], gdf["value"][keep])
    assert res.params["rate_scale"] == 100
    assert res.excluded.to_dict() == {"g005": "invalid_denominator"}
    raw = hs.hotspot_analysis(gdf, "value", "num", "den", smooth=False, permutations=99)
    assert_allclose(raw.units["value_used"], gdf["value"][keep])


def test_hotspot_analysis_refuses_too_few_units():
    gdf = grid(5, 5)  # 25 units < 30
    gdf["value"] = clustered_values(5, 5)
    res = hs.hotspot_analysis(gdf, "value")
    assert res.reason == "too_few_units"
    assert not res.testable
    assert res.global_moran is None
    assert "gi_z" not in res.units.columns
    assert len(res.units) == 25


def test_hotspot_analysis_counts_units_with_data_only():
    gdf = grid(6, 6)  # 36 units, 7 suppressed -> 29 with data
    gdf["value"] = clustered_values(6, 6)
    gdf["status"] = ["suppressed"] * 7 + ["ok"] * 29
    res = hs.hotspot_analysis(gdf, "value")
    assert res.reason == "too_few_units"
    assert len(res.excluded) == 7


def test_hotspot_analysis_refuses_too_few_neighbours():
    gdf = grid(40, 1)  # a strip: rook mean = (2 * 1 + 38 * 2) / 40 = 1.95
    gdf["value"] = np.arange(40.0) % 7
    res = hs.hotspot_analysis(gdf, "value", scheme="rook")
    assert res.reason == "too_few_neighbours"
    assert res.weights.mean_neighbours == pytest.approx(1.95)


def test_hotspot_analysis_refuses_constant_values(grid10):
    gdf = grid10.assign(value=5.0)
    assert hs.hotspot_analysis(gdf, "value").reason == "no_variation"


def test_islands_are_reported_and_left_out(grid10):
    far = gpd.GeoDataFrame(
        {"area_id": ["island"], "value": [99.0]},
        geometry=[box(360_000, 5_480_000, 360_100, 5_480_100)],
        crs=grid10.crs,
    )
    gdf = pd.concat([grid10, far], ignore_index=True)
    res = hs.hotspot_analysis(gdf, "value", permutations=999, seed=SEED)
    assert res.reason is None
    assert res.weights.islands == ("island",)
    row = res.units.loc["island"]
    assert bool(row["island"]) and row["n_neighbours"] == 0
    assert np.isnan(row["gi_z"]) and np.isnan(row["gi_p"])
    assert row["gi_class"] == "not_significant"
    assert row["lisa_class"] == "not_significant"
    # The island influences nothing: same results as without it.
    alone = hs.hotspot_analysis(grid10, "value", permutations=999, seed=SEED)
    assert_allclose(res.units["gi_z"].drop("island"), alone.units["gi_z"])
    assert_allclose(res.units["gi_p_sim"].drop("island"), alone.units["gi_p_sim"])
    assert res.global_moran.n_islands == 1
    assert_allclose(res.global_moran.I, alone.global_moran.I)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"value_col": "nope"}, id="unknown-column"),
        pytest.param({"value_col": None}, id="no-value-no-counts"),
        pytest.param(
            {"value_col": "value", "numerator_col": "value"}, id="half-counts"
        ),
        pytest.param({"value_col": "value", "scheme": "hexagon"}, id="bad-scheme"),
        pytest.param({"value_col": "value", "permutations": -1}, id="bad-permutations"),
        pytest.param({"value_col": "value", "seed": -3}, id="bad-seed"),
    ],
)
def test_hotspot_analysis_rejects_bad_arguments(grid10, kwargs):
    with pytest.raises(ValueError):
        hs.hotspot_analysis(grid10, **kwargs)


def test_hotspot_analysis_offers_only_reachable_classes(grid10):
    # 100 tests, 999 permutations: BH lifts 0.002 to 0.2 -> no level reachable;
    # the statistics are computed, every class is "not_significant".
    res = hs.hotspot_analysis(grid10, "value", permutations=999, seed=SEED)
    assert res.testable
    assert res.params["confidence_levels"] == ()
    assert set(res.units["gi_class"]) == {"not_significant"}
    assert not res.params["lisa_reachable"]
    assert set(res.units["lisa_class"]) == {"not_significant"}
    # 40 units: 40 * 0.002 = 0.08 -> 90 % only
    small = grid10.iloc[:40]
    res40 = hs.hotspot_analysis(small, "value", permutations=999, seed=SEED)
    assert res40.params["confidence_levels"] == (0.90,)
    assert set(res40.units["gi_class"]) <= set(hs.gstar_class_ids((0.90,)))
    # without FDR the floor 0.002 is below 1 %: all levels
    raw = hs.hotspot_analysis(grid10, "value", permutations=999, fdr=False)
    assert raw.params["confidence_levels"] == hs.CONFIDENCE_LEVELS


def test_hotspot_analysis_smooths_towards_the_given_prior_rate(grid10):
    rng = np.random.default_rng(4)
    gdf = grid10.copy()
    gdf["den"] = rng.integers(30, 800, 100)
    gdf["num"] = rng.binomial(gdf["den"], gdf["value"] / 200)
    gdf["value"] = 100 * gdf["num"] / gdf["den"]
    res = hs.hotspot_analysis(
        gdf, "value", "num", "den", permutations=99, prior_rate=0.08
    )
    expected = 100 * hs.empirical_bayes_rates(gdf["num"], gdf["den"], 0.08)
    assert_allclose(res.units["value_smoothed"], expected)
    assert res.params["prior_rate"] == 0.08
    assert res.params["prior_source"] == "city"
    pooled = hs.hotspot_analysis(gdf, "value", "num", "den", permutations=99)
    assert pooled.params["prior_source"] == "units"
    assert pooled.params["prior_rate"] == pytest.approx(gdf.num.sum() / gdf.den.sum())


@pytest.mark.parametrize(
    ("total", "reason"),
    [
        pytest.param(None, None, id="no-rule"),
        pytest.param(1.0, None, id="all-of-the-city"),
        pytest.param(1.0 / 0.79, "low_coverage", id="79-percent"),
        pytest.param(float("nan"), "coverage_unknown", id="city-not-published"),
    ],
)
def test_hotspot_analysis_refuses_low_coverage(grid10, total, reason):
    gdf = grid10.assign(num=np.round(grid10["value"]), den=100.0)
    reference = None if total is None else total * gdf["den"].sum()
    res = hs.hotspot_analysis(
        gdf,
        "value",
        "num",
        "den",
        smooth=False,
        permutations=0,
        reference_total=reference,
    )
    assert res.reason == reason
    if total is not None and np.isfinite(total):
        assert res.coverage.share == pytest.approx(1.0 / total)


def test_coverage_counts_the_tested_units_only(grid10):
    # All units are published (coverage 100 %), but the island holds a quarter
    # of the city and is not tested: the tested units hold 75 % < 80 %.
    far = gpd.GeoDataFrame(
        {"area_id": ["island"], "value": [grid10["value"].sum() / 3]},
        geometry=[box(360_000, 5_480_000, 360_100, 5_480_100)],
        crs=grid10.crs,
    )
    gdf = pd.concat([grid10, far], ignore_index=True)
    total = gdf["value"].sum()
    res = hs.hotspot_analysis(gdf, "value", permutations=0, reference_total=total)
    assert res.reason == "low_coverage"
    assert res.coverage.n_units == 100
    assert res.coverage.share == pytest.approx(0.75)
