"""Indicator tables: GENESIS classic and flat, BA Excel, Zensus grid, the template,
and their assembly into indicator rows."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from monitor.catalog import load_catalog
from monitor.ingest.assemble import (
    IndicatorSpec,
    area_lookup,
    areas_of,
    assemble_indicator_values,
    contract_values,
    template_specs,
)
from monitor.ingest.ba_excel import guess_ba_mapping, read_ba_excel
from monitor.ingest.boundaries import BoundaryMapping, import_boundaries
from monitor.ingest.genesis import read_genesis_table
from monitor.ingest.genesis_flat import read_genesis_flat
from monitor.ingest.matching import match_areas
from monitor.ingest.template import TEMPLATE_COLUMNS, read_template, write_template
from monitor.ingest.zensus_grid import assign_cells, parse_cell_ids, read_zensus_grid
from monitor.statuses import STATUS_CODES

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures" / "ingest"
SAARLAND = (
    ROOT / "tests/fixtures/realdata/saarland-gemeinden/saarland_gemeinden.geo.json"
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "data" / "demo" / "catalog" / "indicators.yaml")


@pytest.fixture(scope="module")
def gemeinden() -> gpd.GeoDataFrame:
    mapping = BoundaryMapping(key="AGS", name="GEN", level="stadt")
    return import_boundaries(SAARLAND, mapping).areas


def test_genesis_classic_table_reads_keys_years_and_flags():
    obs, _ = read_genesis_table(FIX / "genesis_12411-01-01-4_saarland.csv")
    assert set(obs["year"]) == {2022, 2023}
    assert set(obs["variable"]) == {
        "Bevölkerungsstand (Anzahl) | Insgesamt",
        "Bevölkerungsstand (Anzahl) | weiblich",
    }
    row = obs[(obs.area_key == "10043") & (obs.year == 2023)].iloc[0]
    assert row["area_name"] == "Neunkirchen, Landkreis"
    assert row["value"] == 131658 and row["flag"] == "p"
    assert row["source_row"] == 12  # the line in the file
    assert len(obs) == 7 * 4  # the footer is not data


def test_genesis_symbols_keep_their_meaning():
    obs, _ = read_genesis_table(FIX / "genesis_22811_symbole.csv")
    got = obs.set_index(["area_key", "year"])
    assert got.loc[("10043112", 2021), "value"] == 0  # "-" is exactly zero
    assert got.loc[("10043112", 2023), "status"] == "pending"
    assert got.loc[("10043113", 2022), "status"] == "suppressed"
    assert got.loc[("10043114", 2023), "status"] == "not_meaningful"
    assert got.loc[("10043115", 2022), "status"] == "uncertain"
    assert got.loc[("10043114", 2022), "flag"] == "r"
    assert got.loc[("10043115", 2021), "flag"] == "s"
    assert got.loc[("10043111", 2021), "value"] == 1203  # thousands separator


def test_genesis_flat_file_skips_the_total_row_and_keeps_quality_flags():
    obs, problems = read_genesis_flat(FIX / "genesis_flat_12411-0015.csv")
    assert "" not in set(obs["area_key"])
    assert any(p.code == "total_row" for p in problems)
    value = "BEV001__Bevoelkerungsstand__Anzahl"  # header had leading spaces
    row = obs[(obs.area_key == "10046") & (obs.variable == f"{value} | weiblich")]
    assert list(row.sort_values("year")["flag"]) == ["", "p"]
    assert set(obs["area_key"]) == {
        "10041",
        "10042",
        "10043",
        "10044",
        "10045",
        "10046",
    }


def test_genesis_flat_2024_layout():
    obs, _ = read_genesis_flat(FIX / "genesis_flat_2024_layout.csv")
    assert set(obs["variable"]) == {"BEV001 Bevölkerungsstand [Anzahl]"}
    assert set(obs["year"]) == {2023}


def test_ba_workbook_mapping_is_guessed_and_anonymised_values_are_secret():
    mapping = guess_ba_mapping(FIX / "ba_sgb2_gemeinden.xlsx")
    assert mapping.sheet == "Tabelle 1"
    assert mapping.first_data_row == 8 and mapping.year == 2023
    assert mapping.value_columns["C"] == "Bedarfsgemeinschaften (BG) | Insgesamt"
    assert mapping.value_columns["G"].endswith("darunter unter 15 Jahren")
    obs, _ = read_ba_excel(FIX / "ba_sgb2_gemeinden.xlsx", mapping)
    got = obs.set_index(["area_key", "variable"])
    assert got.loc[("10046111", mapping.value_columns["D"]), "status"] == "suppressed"
    assert got.loc[("10046112", mapping.value_columns["C"]), "value"] == 0
    assert "10043114" in set(obs.area_key)
    names = set(obs["area_name"])
    assert "Neunkirchen, Stadt" in names  # footnote marker "1)" removed
    assert not any(n.startswith(("*", "©")) for n in names)  # footnotes not read


def test_zensus_cell_ids_are_lower_left_corners_in_laea():
    ids = pd.Series(["CRS3035RES100mN2689100E4337000", "CRS3035RES1kmN2689000E4337000"])
    parts = parse_cell_ids(ids)
    assert list(parts["res"]) == [100, 1000]
    assert list(parts["e"]) == [4337000, 4337000]


def test_zensus_100m_grid_cells_secret_and_bracketed_values():
    grid = read_zensus_grid(FIX / "zensus2022_nettokaltmiete_100m.csv")
    assert grid.resolution_m == 100 and len(grid.cells) == 20
    assert grid.cells["area_km2"].eq(0.01).all()
    assert grid.cells.crs.to_epsg() == 4326
    metric = grid.cells.to_crs(3035).geometry.iloc[0]
    assert metric.bounds == pytest.approx((4116800, 2918500, 4116900, 2918600))
    obs = grid.observations
    assert (obs["status"] == "suppressed").sum() == 3  # "–" cells
    assert (obs["flag"] == "()").sum() == 4  # KLAMMERN
    assert obs["value"].dropna().between(5, 9).all()  # decimal comma


def test_zensus_cells_are_assigned_to_the_area_holding_their_centre(gemeinden):
    grid = read_zensus_grid(FIX / "zensus2022_bevoelkerungszahl_1km.csv")
    kreis = gemeinden[gemeinden.area_id.str.startswith("10043")]
    inside, problems = assign_cells(grid, kreis)
    assert 0 < len(inside.cells) < len(grid.cells)
    assert set(inside.cells["parent_id"]) <= set(kreis["area_id"])
    centres = inside.cells.to_crs(3035).centroid.to_crs(4326)
    parents = kreis.set_index("area_id").geometry
    for centre, parent in zip(centres, inside.cells["parent_id"], strict=True):
        assert parents[parent].contains(centre)
    assert set(inside.observations["area_key"]) == set(inside.cells["area_id"])
    assert problems[0].code == "cells_assigned"


def test_template_round_trip_csv_and_xlsx(catalog, gemeinden, tmp_path):
    kreis = gemeinden[gemeinden.area_id.str.startswith("10043")]
    for fmt in ("csv", "xlsx"):
        raw = write_template(fmt, catalog, kreis, 2023)
        path = tmp_path / f"vorlage.{fmt}"
        path.write_bytes(raw)
        if fmt == "csv":
            text = raw.decode("utf-8-sig")
            assert text.splitlines()[0] == ";".join(TEMPLATE_COLUMNS)
            lines = text.splitlines()
            filled = [lines[0]] + [
                line.replace(";2023;;", ";2023;10;200") for line in lines[1:]
            ]
            path.write_text("\n".join(filled), encoding="utf-8")
            obs, _ = read_template(path)
            assert obs["area_key"].str.len().eq(8).all()
            assert set(obs["year"]) == {2023}
        else:
            import openpyxl

            book = openpyxl.load_workbook(path)
            assert book.sheetnames == ["Daten", "Erläuterung"]
            assert [c.value for c in book["Daten"][1]] == list(TEMPLATE_COLUMNS)


def test_template_values_are_assembled_with_the_catalogue(catalog):
    csv = (
        b"gebiet_schluessel;gebiet_name;indikator;jahr;zaehler;nenner\n"
        b"10043114;Neunkirchen;sgb2_quote;2023;4.512;38.201\n"
        b"10043111;Eppelborn;sgb2_quote;2023;.;12.034\n"
        b"10043114;Neunkirchen;einwohner;2023;46.172;\n"
    )
    obs, _ = read_template(csv, "vorlage.csv")
    targets = pd.DataFrame(
        {"area_id": ["10043114", "10043111"], "name": ["Neunkirchen", "Eppelborn"]}
    )
    report = match_areas(areas_of(obs), targets)
    values, _ = assemble_indicator_values(
        obs, template_specs(obs), catalog, area_lookup(obs, report)
    )
    got = values.set_index(["area_id", "indicator_id"])
    assert got.loc[("10043114", "sgb2_quote"), "value"] == pytest.approx(
        100 * 4512 / 38201
    )
    assert got.loc[("10043111", "sgb2_quote"), "status"] == "suppressed"
    assert got.loc[("10043114", "einwohner"), "value"] == 46172
    stored = contract_values(values)
    assert set(stored["status"]) <= set(STATUS_CODES)
    assert stored.loc[stored.status == "suppressed", "value"].isna().all()


def test_genesis_variables_become_an_indicator_through_a_spec(catalog):
    obs, _ = read_genesis_table(FIX / "genesis_12411-01-01-4_saarland.csv")
    targets = pd.DataFrame({"area_id": ["10043"], "name": ["Neunkirchen, Landkreis"]})
    report = match_areas(areas_of(obs), targets)
    spec = IndicatorSpec(
        "einwohner", numerator="Bevölkerungsstand (Anzahl) | Insgesamt"
    )
    values, _ = assemble_indicator_values(
        obs, [spec], catalog, area_lookup(obs, report)
    )
    assert list(values.sort_values("year")["value"]) == [131810, 131658]
    assert list(values.sort_values("year")["flag"]) == ["", "p"]
    assert report.counts["unmatched"] == 6  # Saarland and the other five Kreise
