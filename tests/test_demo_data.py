"""Invariants of the shipped demo data (data/demo) and of its generator."""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from monitor.demo.generate import generate
from monitor.demo.geography import METRIC_CRS, STADTTEILE
from monitor.methods.disclosure.structure import area_groups
from tests.conftest import DEMO_DIR


@pytest.fixture(scope="module")
def areas() -> gpd.GeoDataFrame:
    return gpd.read_parquet(DEMO_DIR / "areas.parquet").to_crs(METRIC_CRS)


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    return pd.read_parquet(DEMO_DIR / "indicator_values.parquet")


def _level(areas, level):
    return areas[areas.level == level]


@pytest.mark.parametrize(
    "child,parent", [("stadtteil", "stadt"), ("quartier", "stadtteil")]
)
def test_levels_tile_their_parent_without_gaps_or_overlaps(areas, child, parent):
    children = _level(areas, child)
    for parent_id, parent_geom in (
        _level(areas, parent).set_index("area_id").geometry.items()
    ):
        parts = children[children.parent_id == parent_id]
        union = parts.union_all()
        gap = parent_geom.symmetric_difference(union).area / parent_geom.area
        overlap = (parts.area.sum() - union.area) / parent_geom.area
        assert gap < 0.001, (parent_id, gap)
        assert overlap < 0.001, (parent_id, overlap)


def test_every_area_below_the_city_has_exactly_one_existing_parent(areas):
    ids = set(areas.area_id)
    assert areas.area_id.is_unique
    below = areas[areas.level != "stadt"]
    assert below.parent_id.notna().all()
    assert set(below.parent_id) <= ids
    expected_parent_level = {
        "stadtteil": "stadt",
        "quartier": "stadtteil",
        "raster": "quartier",
        "fokusgebiet": "stadtteil",
    }
    level_of = areas.set_index("area_id").level
    for level, parent_level in expected_parent_level.items():
        parents = _level(areas, level).parent_id.map(level_of)
        assert (parents == parent_level).all(), level


def test_raster_cells_belong_to_the_quarter_containing_their_centre(areas):
    cells = _level(areas, "raster")
    quarters = _level(areas, "quartier").set_index("area_id").geometry
    sample = cells.iloc[:: max(1, len(cells) // 60)]
    for cell in sample.itertuples():
        assert quarters.loc[cell.parent_id].contains(cell.geometry.centroid)
    cell_size = np.sqrt(cells.area)
    np.testing.assert_allclose(cell_size, 250, rtol=0.01)


def test_shape_of_the_city(areas):
    city = _level(areas, "stadt").geometry.iloc[0]
    assert 73 < city.area / 1e6 < 77  # 74.4 km² (VG250)
    assert len(_level(areas, "stadtteil")) == 10
    assert 30 <= len(_level(areas, "quartier")) <= 45
    stadtteile = _level(areas, "stadtteil").set_index("name").geometry
    seeds = gpd.GeoSeries(
        gpd.points_from_xy([s.lon for s in STADTTEILE], [s.lat for s in STADTTEILE]),
        crs="EPSG:4326",
    ).to_crs(METRIC_CRS)
    for spec, seed in zip(STADTTEILE, seeds, strict=True):
        assert stadtteile.loc[spec.name].contains(seed), spec.name
    # the Innenstadt is split finest
    counts = _level(areas, "quartier").parent_id.value_counts()
    assert counts.idxmax() == "innenstadt"


def test_perspektivquartier_size_and_population(areas, values):
    focus = _level(areas, "fokusgebiet")
    assert len(focus) == 1
    assert 50 <= focus.geometry.iloc[0].area / 1e4 <= 56  # about 53 ha
    members = _level(areas, "quartier")
    members = members[members.in_focus]
    assert (members.parent_id == "innenstadt").all()
    pop = values[
        (values.area_id == "perspektivquartier")
        & (values.indicator_id == "einwohner")
        & (values.year == 2022)
    ]
    assert 5500 <= pop.value.iloc[0] <= 6500


def _city(values, indicator, year):
    row = values[
        (values.area_id == "neunkirchen")
        & (values.indicator_id == indicator)
        & (values.year == year)
    ]
    return float(row.value.iloc[0])


def test_city_figures_are_near_the_published_ones(values):
    assert abs(_city(values, "einwohner", 2022) - 46882) < 300  # Zensus 2022 basis
    assert _city(values, "kinderarmut", 2016) > 30  # "higher than Saarbrücken's 35.5"
    assert 15.5 < _city(values, "auslaenderanteil", 2019) < 19  # 17.3 % (2019)
    assert 12 < _city(values, "sgb2_quote", 2014) < 20
    years = sorted(values.year.unique())
    assert years[0] == 2014 and years[-1] == 2025


def test_trends_show_refugee_effect_and_covid(values):
    sgb2 = {y: _city(values, "sgb2_quote", y) for y in (2021, 2022)}
    assert sgb2[2022] > sgb2[2021]  # Ukraine refugees enter SGB II from June 2022
    unemployed = {y: _city(values, "arbeitslosenanteil", y) for y in (2019, 2020)}
    assert unemployed[2020] > unemployed[2019]  # Covid


def test_deprivation_concentrates_in_the_inner_city(values):
    def rate(area):
        row = values[
            (values.area_id == area)
            & (values.indicator_id == "kinderarmut")
            & (values.year == 2024)
        ]
        return float(row.value.iloc[0])

    assert rate("perspektivquartier") > rate("innenstadt") > rate("neunkirchen")
    assert rate("furpach") < rate("neunkirchen")


def test_catalogue_covers_every_domain_with_enough_indicators(demo_store):
    catalog = demo_store.catalog
    assert len(catalog.indicators) >= 15
    assert {d.id for d in catalog.domains} == {i.domain for i in catalog.indicators}
    assert {d.id for d in catalog.domains} >= {
        "einkommen_arbeit",
        "bildung",
        "gesundheit",
        "wohnen",
        "teilhabe",
        "demografie",
    }


def test_published_counts_add_up_across_levels(areas, values):
    # where a total and all its parts are published, the parts sum to the total
    groups = area_groups(areas)
    shown = values[values.status == "ok"]
    parts = groups.merge(shown.rename(columns={"area_id": "part_id"}), on="part_id")
    size = groups.groupby("group_id").size().rename("n_parts")
    sums = (
        parts.groupby(["group_id", "total_id", "indicator_id", "year"])
        .agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            n=("part_id", "size"),
        )
        .join(size, on="group_id")
        .reset_index()
    )
    complete = sums[sums.n == sums.n_parts]
    totals = complete.merge(
        shown.rename(columns={"area_id": "total_id"}),
        on=["total_id", "indicator_id", "year"],
        suffixes=("", "_total"),
    )
    assert len(totals) > 1000
    np.testing.assert_allclose(totals.numerator, totals.numerator_total)
    den = totals.denominator_total.notna()
    np.testing.assert_allclose(totals.denominator[den], totals.denominator_total[den])


def test_small_cells_are_suppressed_without_counts(values, demo_store):
    assert (values.status == "suppressed").any()
    hidden = values[values.status == "suppressed"]
    assert hidden[["numerator", "denominator", "value"]].isna().all().all()
    shown = values[values.status == "ok"]
    indicators = shown.indicator_id.map(demo_store.catalog.__getitem__)
    min_num = indicators.map(lambda i: i.min_numerator)
    min_den = indicators.map(lambda i: i.min_denominator)
    assert not ((shown.numerator > 0) & (shown.numerator < min_num)).any()
    assert not (shown.denominator < min_den).any()


def test_the_report_states_a_passed_audit_of_every_year(values):
    report = json.loads((DEMO_DIR / "disclosure.json").read_text(encoding="utf-8"))
    assert report["passed"] and report["min_width"] >= 3
    assert [y["year"] for y in report["years"]] == sorted(values.year.unique())
    assert report["cells"] == len(values)
    suppressed = (values.status == "suppressed").sum()
    assert report["suppressed_primary"] + report["suppressed_secondary"] == suppressed


def test_generator_is_deterministic_and_matches_the_committed_files(tmp_path):
    out = tmp_path / "demo"
    (out / "catalog").mkdir(parents=True)
    shutil.copy(DEMO_DIR / "catalog" / "indicators.yaml", out / "catalog")
    generate(out)
    for name in (
        "areas.parquet",
        "indicator_values.parquet",
        "benchmarks.parquet",
        "meta.json",
        "goals.parquet",
        "measures.parquet",
        "progress_reports.parquet",
    ):
        assert (out / name).read_bytes() == (DEMO_DIR / name).read_bytes(), name
    # the disclosure report too, but for the time the audit took
    reports = [
        json.loads((folder / "disclosure.json").read_text(encoding="utf-8"))
        for folder in (out, DEMO_DIR)
    ]
    for report in reports:
        report.pop("seconds")
    assert reports[0] == reports[1]


# -- programme: goals, measures, progress reports (Demodaten) ----------------------


def test_programme_goals_have_working_groups_baselines_from_the_data(demo_store):
    from monitor.programme.vocabulary import HANDLUNGSFELDER

    goals = demo_store.goals()
    assert 20 <= len(goals) <= 30 and goals.goal_id.is_unique
    assert goals.working_group.nunique() == 5
    assert set(goals.handlungsfeld) <= set(HANDLUNGSFELDER)
    assert (goals.source.str.contains("Demodaten")).all()
    assert set(goals.indicator_id) <= set(demo_store.catalog.ids)
    assert set(goals.area_id) <= set(demo_store.areas().area_id)
    values = demo_store.area_values(sorted(set(goals.area_id))).set_index(
        ["area_id", "indicator_id", "year"]
    )
    for g in goals.itertuples():
        published = values.loc[(g.area_id, g.indicator_id, g.baseline_year), "value"]
        assert g.baseline_value == pytest.approx(published, abs=0.05), g.goal_id
        with_target = not pd.isna(g.target_value)
        assert with_target == (not pd.isna(g.target_year)), g.goal_id
        if with_target:
            assert g.target_year > g.baseline_year
            better = g.direction == "higher_is_better"
            assert (g.target_value > g.baseline_value) == better, g.goal_id
    assert goals.target_value.isna().sum() >= 3  # some goals have a direction only


def test_programme_has_the_86_measures_across_the_seven_fields(demo_store):
    from monitor.programme.vocabulary import (
        HANDLUNGSFELDER,
        MEASURE_STATUSES,
        RESPONSIBLE_BODIES,
    )

    measures = demo_store.measures()
    assert len(measures) == 86 and measures.measure_id.is_unique
    assert set(measures.handlungsfeld) == set(HANDLUNGSFELDER)
    assert set(measures.status) == set(MEASURE_STATUSES)
    assert set(measures.responsible) == set(RESPONSIBLE_BODIES)
    assert (measures.source.str.contains("Demodaten")).all()
    kita = measures[measures.title == "390 zusätzliche Kita-Plätze"].iloc[0]
    assert kita.target_value - kita.baseline_value == 390
    assert kita.output_unit == "Plätze"
    assert (measures.end >= measures.start).all()
    goal_ids = set(demo_store.goals().goal_id)
    assert all(set(ids) <= goal_ids for ids in measures.goal_ids)
    quantified = measures.target_value.notna()
    assert quantified.sum() >= 40
    assert measures[quantified].output_unit.notna().all()
    # located as a point inside the city, or as an area, or city-wide
    both = measures.lon.notna() & measures.area_id.notna()
    assert not both.any()
    city = gpd.read_parquet(DEMO_DIR / "areas.parquet").set_index("area_id")
    outline = city.geometry.loc["neunkirchen"]
    points = gpd.points_from_xy(measures.lon.dropna(), measures.lat.dropna())
    assert all(outline.contains(p) for p in points)
    assert set(measures.area_id.dropna()) <= set(city.index)


def test_progress_reports_2025_to_2026_within_the_measures_periods(demo_store):
    measures = demo_store.measures().set_index("measure_id")
    reports = demo_store.progress_reports()
    assert len(reports) > 100 and reports.report_id.is_unique
    assert reports.report_date.dt.year.between(2025, 2026).all()
    joined = reports.merge(measures.reset_index(), on="measure_id", suffixes=("", "_m"))
    assert (joined.report_date > joined.start).all()
    assert (joined.reported_by.str.contains("Demodaten")).all()
    quantified = joined[joined.target_value.notna()]
    assert quantified.value.notna().all()
    # cumulative outputs never fall
    for _, grp in quantified.groupby("measure_id"):
        assert grp.sort_values("report_date").value.is_monotonic_increasing
    planned = measures[measures.status == "planned"].index
    assert not reports.measure_id.isin(planned).any()
