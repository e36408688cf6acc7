"""Validation before publishing (monitor/ingest/validation.py, pandera schemas)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from monitor.catalog import load_catalog
from monitor.ingest.validation import validate_areas, validate_values

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "data" / "demo" / "catalog" / "indicators.yaml")


def _areas(**changes) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "area_id": ["stadt", "nord", "sued"],
            "name": ["Stadt", "Nord", "Süd"],
            "level": ["stadt", "stadtteil", "stadtteil"],
            "parent_id": [None, "stadt", "stadt"],
            "in_focus": [False, False, False],
            "area_km2": [10.0, 5.0, 5.0],
        },
        geometry=[
            box(7.0, 49.0, 7.2, 49.2),
            box(7.0, 49.1, 7.2, 49.2),
            box(7.0, 49.0, 7.2, 49.1),
        ],
        crs=4326,
    )
    frame.index = [1, 2, 3]
    for column, (row, value) in changes.items():
        frame.loc[row, column] = value
    return frame


def _values(rows) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=[
            "area_id",
            "indicator_id",
            "year",
            "numerator",
            "denominator",
            "value",
            "status",
        ],
    )
    frame["source_row"] = range(2, len(frame) + 2)
    return frame


GOOD = [
    ("stadt", "sgb2_quote", 2023, 300.0, 3000.0, 10.0, "ok"),
    ("nord", "sgb2_quote", 2023, 100.0, 1000.0, 10.0, "ok"),
    ("sued", "sgb2_quote", 2023, 200.0, 2000.0, 10.0, "ok"),
]


def test_clean_data_has_no_problems(catalog):
    assert validate_areas(_areas()) == []
    assert validate_values(_values(GOOD), catalog, _areas()) == []


def _codes(problems) -> set[str]:
    return {p.code for p in problems}


def test_row_rules_name_file_row_and_column(catalog):
    rows = [
        *GOOD,
        ("nord", "sgb2_quote", 2022, 120.0, 100.0, 120.0, "ok"),  # n > d
        ("nord", "gibtsnicht", 2023, 1.0, 2.0, 50.0, "ok"),  # unknown indicator
        ("nord", "sgb2_quote", 1899, 1.0, 10.0, 10.0, "ok"),  # year
        ("nord", "einwohner", 2023, -5.0, None, -5.0, "ok"),  # negative count
        ("nirgendwo", "einwohner", 2023, 5.0, None, 5.0, "ok"),  # unknown area
        ("nord", "sgb2_quote", 2023, 100.0, 1000.0, 10.0, "ok"),  # duplicate
        ("nord", "kinderarmut", 2023, 5.0, None, None, "ok"),  # rate without d
        ("nord", "kinderarmut", 2021, None, None, None, "irgendwas"),  # status
    ]
    problems = validate_values(_values(rows), catalog, _areas(), "werte.csv")
    assert {
        "numerator_gt_denominator",
        "unknown_indicator",
        "schema_in_range",
        "schema_greater_than_or_equal_to",
        "unknown_area",
        "schema_multiple_fields_uniqueness",
        "missing_denominator",
        "schema_isin",
    } <= _codes(problems)
    n_gt_d = next(p for p in problems if p.code == "numerator_gt_denominator")
    assert (n_gt_d.file, n_gt_d.row, n_gt_d.column) == ("werte.csv", 5, "numerator")
    assert "größer als Nenner" in n_gt_d.message
    year = next(p for p in problems if p.code == "schema_in_range")
    assert year.row == 7 and year.column == "year" and "1899" in year.message


def test_an_indicator_on_a_level_the_catalogue_does_not_list(catalog):
    areas = _areas(level=(2, "raster"))
    rows = [("nord", "wahlbeteiligung", 2023, 10.0, 20.0, 50.0, "ok")]
    assert "raster" not in catalog["wahlbeteiligung"].levels
    problems = validate_values(_values(rows), catalog, areas)
    assert "indicator_level" in _codes(problems)


def test_counts_that_do_not_add_up_across_levels(catalog):
    rows = [GOOD[0], GOOD[1], ("sued", "sgb2_quote", 2023, 250.0, 2000.0, 12.5, "ok")]
    problems = validate_values(_values(rows), catalog, _areas())
    mismatch = [p for p in problems if p.code == "sum_mismatch"]
    assert mismatch and "350" in mismatch[0].message and "300" in mismatch[0].message
    assert mismatch[0].row == 2  # the parent's row


def test_suppressed_children_are_not_summed(catalog):
    rows = [
        GOOD[0],
        GOOD[1],
        ("sued", "sgb2_quote", 2023, None, 2000.0, None, "suppressed"),
    ]
    assert "sum_mismatch" not in _codes(
        validate_values(_values(rows), catalog, _areas())
    )


def test_missing_and_wrong_parents(catalog):
    problems = validate_areas(_areas(parent_id=(2, None)), "gebiete.geojson")
    assert "missing_parent" in _codes(problems)
    problems = validate_areas(_areas(parent_id=(3, "weg")))
    assert "unknown_parent" in _codes(problems)
    problems = validate_areas(_areas(parent_id=(3, "nord")))
    assert "parent_level" in _codes(problems)


def test_a_child_outside_its_parent_is_found_with_tolerance():
    shifted = box(7.1, 49.1, 7.3, 49.2)  # half outside the city
    problems = validate_areas(_areas(geometry=(2, shifted)))
    outside = [p for p in problems if p.code == "outside_parent"]
    assert outside and outside[0].row == 2 and "50 %" in outside[0].message
    sliver = box(7.0, 49.1, 7.202, 49.2)  # 1 % over the edge: only a warning
    problems = validate_areas(_areas(geometry=(2, sliver)))
    assert [p.severity for p in problems if p.code == "outside_parent"] == ["warning"]


def test_area_schema_levels_and_sizes():
    problems = validate_areas(_areas(level=(3, "bezirk"), area_km2=(2, 0.0)))
    assert {"schema_isin", "schema_greater_than"} <= _codes(problems)
    assert all(p.message for p in problems)
