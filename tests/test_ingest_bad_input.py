"""Bad input is normal input: every kind gets a clear German message, no traceback
and no partial output (the importer raises IngestError or returns with a warning;
it never returns half a table together with an error)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from monitor.catalog import load_catalog
from monitor.ingest.assemble import (
    area_lookup,
    areas_of,
    assemble_indicator_values,
    template_specs,
)
from monitor.ingest.ba_excel import read_sheet
from monitor.ingest.boundaries import BoundaryMapping, import_boundaries
from monitor.ingest.genesis import read_genesis_table
from monitor.ingest.genesis_flat import read_genesis_flat
from monitor.ingest.geojson import read_geojson
from monitor.ingest.matching import match_areas
from monitor.ingest.problems import ERROR, IngestError
from monitor.ingest.safe_files import Limits, extract_zip, read_source
from monitor.ingest.template import read_template
from monitor.ingest.validation import validate_values
from monitor.ingest.vector_files import read_vector
from monitor.ingest.zensus_grid import read_zensus_grid

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures" / "ingest"
GENESIS = FIX / "genesis_12411-01-01-4_saarland.csv"
HEADER = "gebiet_schluessel;gebiet_name;indikator;jahr;zaehler;nenner\n"
MAPPING = BoundaryMapping(key="id", name="name", level="quartier")


def refused(call, *args, contains: str, **kwargs) -> IngestError:
    """The call raises IngestError whose German text contains ``contains``."""
    with pytest.raises(IngestError) as err:
        call(*args, **kwargs)
    assert contains in str(err.value), str(err.value)
    assert err.value.problems and all(p.message for p in err.value.problems)
    assert "Traceback" not in str(err.value)
    return err.value


def _template(body: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + body).encode(encoding)


def _geojson(geoms, crs_member=None, **props) -> bytes:
    features = []
    for i, geom in enumerate(geoms):
        properties = {"id": f"Q{i}", "name": f"Quartier {i}"}
        properties.update({k: v[i] for k, v in props.items()})
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": geom
                if isinstance(geom, dict | type(None))
                else json.loads(gpd.GeoSeries([geom]).to_json())["features"][0][
                    "geometry"
                ],
            }
        )
    data = {"type": "FeatureCollection", "features": features}
    if crs_member:
        data["crs"] = {"type": "name", "properties": {"name": crs_member}}
    return json.dumps(data).encode()


SQUARE = box(7.17, 49.34, 7.18, 49.35)


# 1 -- encodings -------------------------------------------------------------
def test_01_windows_1252_is_read_correctly_and_said():
    raw = GENESIS.read_text(encoding="utf-8").encode("cp1252", errors="replace")
    obs, problems = read_genesis_table(raw, "tabelle.csv")
    assert "Regionalverband Saarbrücken" in set(obs["area_name"])
    assert any(p.code == "encoding_cp1252" for p in problems)


def test_02_undecodable_bytes_are_refused():
    raw = b"gebiet_schluessel;name\n1;\x81\x8d\x90\n"
    refused(read_template, raw, "x.csv", contains="weder UTF-8 noch Windows-1252")


def test_03_a_byte_order_mark_does_not_hide_the_first_column():
    raw = "\ufeff".encode() + _template("10043114;Neunkirchen;einwohner;2023;46172;")
    obs, _ = read_template(raw, "vorlage.csv")
    assert list(obs["area_key"]) == ["10043114"]


# 2 -- separators and numbers ------------------------------------------------
def test_04_a_wrong_separator_is_named():
    raw = b"gebiet_schluessel|indikator|jahr|zaehler\n1|einwohner|2023|5\n"
    refused(read_template, raw, "x.csv", contains="Trennzeichen")


def test_05_german_decimals_and_thousands_are_read():
    raw = _template("1;A;sgb2_quote;2023;1.234;12.345,0\n")
    obs, _ = read_template(raw, "x.csv")
    assert sorted(obs["value"]) == [1234.0, 12345.0]


def test_06_text_in_a_number_column_names_row_and_column():
    err = refused(
        read_template,
        _template("1;A;einwohner;2023;viele;\n"),
        "x.csv",
        contains="„viele“ ist keine Zahl",
    )
    assert (err.problems[0].row, err.problems[0].column) == (2, "zaehler")


def test_07_a_year_that_is_no_year():
    refused(
        read_template, _template("1;A;einwohner;23;5;\n"), "x.csv", contains="kein Jahr"
    )


# 3 -- empty and incomplete files ---------------------------------------------
def test_08_an_empty_file():
    refused(read_template, b"", "leer.csv", contains="leer")


def test_09_a_file_of_blanks():
    refused(read_genesis_table, b"  \n \n", "leer.csv", contains="keinen Text")


def test_10_header_only():
    refused(read_template, HEADER.encode(), "x.csv", contains="nur die Kopfzeile")


def test_11_missing_columns_are_listed():
    raw = b"gebiet_schluessel;jahr\n1;2023\n"
    refused(read_template, raw, "x.csv", contains="indikator, zaehler")


def test_12_a_table_that_is_not_genesis():
    refused(
        read_genesis_table, b"a;b;c\nx;y;z\n", "x.csv", contains="Regionalschlüssel"
    )


def test_13_a_flat_file_with_a_foreign_header():
    refused(
        read_genesis_flat,
        b"a;b;c\n1;2;3\n",
        "x.csv",
        contains="keine GENESIS-Flatfile-Kopfzeile",
    )


# 4 -- keys and geometries -----------------------------------------------------
def test_14_duplicate_keys_name_all_rows():
    raw = _geojson([SQUARE, SQUARE, SQUARE], id=["A", "B", "A"])
    refused(
        import_boundaries,
        raw,
        MAPPING,
        name="q.geojson",
        contains="„A“ kommt mehrfach vor (Zeilen 1, 3)",
    )


def test_15_duplicate_values_are_found_by_validation():
    catalog = load_catalog(ROOT / "data/demo/catalog/indicators.yaml")
    rows = pd.DataFrame(
        [["a", "einwohner", 2023, 5.0, None, 5.0, "ok"]] * 2,
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
    problems = validate_values(rows, catalog)
    assert any("kommen mehrfach vor" in p.message for p in problems)


def test_16_an_invalid_geometry_is_repaired_and_reported():
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[7.17, 49.34], [7.19, 49.36], [7.19, 49.34], [7.17, 49.36], [7.17, 49.34]]
        ],
    }
    result = import_boundaries(_geojson([bowtie]), MAPPING, name="q.geojson")
    assert result.areas.geometry.iloc[0].is_valid
    assert any("repariert" in p.message for p in result.problems)


def test_17_an_empty_geometry_is_refused():
    empty = {"type": "Polygon", "coordinates": []}
    refused(
        import_boundaries,
        _geojson([SQUARE, empty]),
        MAPPING,
        name="q.geojson",
        contains="leere Geometrie",
    )


def test_18_a_feature_without_geometry_is_refused():
    refused(
        import_boundaries,
        _geojson([None]),
        MAPPING,
        name="q.geojson",
        contains="keine oder eine leere Geometrie",
    )


def test_19_points_are_no_areas():
    refused(
        import_boundaries,
        _geojson([Point(7.1, 49.3)]),
        MAPPING,
        name="q.geojson",
        contains="keine Fläche",
    )


def test_20_unreadable_coordinates():
    broken = {"type": "Polygon", "coordinates": [[["a", "b"]]]}
    refused(read_geojson, _geojson([broken]), name="q.geojson", contains="unlesbar")


def test_21_invalid_json():
    refused(
        read_geojson,
        b'{"type": "FeatureCollection", "features": [',
        name="q.json",
        contains="kein gültiges JSON",
    )


# 5 -- coordinate reference systems -------------------------------------------
@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_22_a_missing_crs_is_refused_with_a_hint(tmp_path):
    frame = gpd.GeoDataFrame(
        {"id": ["A"], "name": ["A"]}, geometry=[box(360000, 5466000, 361000, 5467000)]
    )
    frame.to_file(tmp_path / "q.shp")
    refused(
        import_boundaries,
        tmp_path / "q.shp",
        MAPPING,
        contains="nennt kein Koordinatensystem",
    )


def test_23_a_declared_crs_that_does_not_fit_the_coordinates():
    raw = _geojson([SQUARE], crs_member="urn:ogc:def:crs:EPSG::25832")
    refused(
        import_boundaries,
        raw,
        MAPPING,
        name="q.geojson",
        contains="aber Längen- und Breitengrade",
    )


def test_24_swapped_longitude_and_latitude():
    swapped = box(49.34, 7.17, 49.35, 7.18)
    refused(
        import_boundaries,
        _geojson([swapped]),
        MAPPING,
        name="q.geojson",
        contains="vertauscht",
    )


# 6 -- size, archives and file types ------------------------------------------
def test_25_a_200_mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "gross.csv"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written to disk
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read"))
    refused(read_template, big, contains="höchstens 100 MB")


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_26_a_zip_with_path_traversal_is_not_unpacked():
    raw = _zip({"ok.geojson": b"{}", "../../etc/cron.d/evil": b"x"})
    refused(read_vector, raw, name="grenzen.zip", contains="aus dem Zielordner")


def test_27_a_zip_bomb_is_refused_by_ratio_and_by_total_size():
    bomb = _zip({"grenzen.geojson": b"0" * (50 * 1024 * 1024)})
    assert len(bomb) < 200_000
    refused(read_vector, bomb, name="grenzen.zip", contains="ZIP-Bombe")
    plain = _zip({"a.csv": b"x" * 2_000_000}, zipfile.ZIP_STORED)
    refused(
        extract_zip,
        plain,
        "a.zip",
        Limits(max_unzipped_bytes=1_000_000),
        contains="würde entpackt",
    )


def test_28_a_file_named_zip_that_is_no_zip():
    refused(
        read_vector,
        b"das ist kein zip",
        name="grenzen.zip",
        contains="ist aber kein ZIP-Archiv",
    )


def test_29_an_html_page_saved_as_csv():
    html = b"<!DOCTYPE html>\n<html><head><title>GENESIS</title></head><body>x</body>"
    refused(read_template, html, "tabelle.csv", contains="Webseite (HTML)")


def test_30_an_excel_file_renamed_to_csv():
    raw = _zip({"xl/workbook.xml": b"<workbook/>"})
    refused(read_genesis_table, raw, "tabelle.csv", contains="keine Textdatei")


def test_31_an_old_xls_workbook():
    refused(
        read_sheet,
        b"\xd0\xcf\x11\xe0" + b"\0" * 600,
        name="ba.xls",
        contains="alte Excel-Datei",
    )


def test_32_a_lone_shp_upload():
    refused(
        read_vector,
        b"\x00\x00\x27\x0a" + b"\0" * 96,
        name="grenzen.shp",
        contains="mehreren Dateien",
    )


def test_33_a_file_that_does_not_exist(tmp_path):
    refused(read_source, tmp_path / "fehlt.csv", contains="nicht gefunden")


# 7 -- text that must stay text --------------------------------------------------
def test_34_a_script_tag_in_a_name_stays_inert_text():
    name = "<script>alert(1)</script> Innenstadt"
    result = import_boundaries(
        _geojson([SQUARE], name=[name]), MAPPING, name="q.geojson"
    )
    assert result.areas["name"].iloc[0] == name  # stored literally, not removed
    assert any("HTML-Zeichen" in p.message for p in result.problems)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_35_formula_starts_in_names_are_kept_and_reported(start):
    name = f'{start}HYPERLINK("http://x")'
    result = import_boundaries(
        _geojson([SQUARE], name=[name]), MAPPING, name="q.geojson"
    )
    assert result.areas["name"].iloc[0] == name
    assert any("Formel" in p.message for p in result.problems)


# 8 -- contents that contradict each other --------------------------------------
def test_36_numerator_above_denominator_is_an_error():
    catalog = load_catalog(ROOT / "data/demo/catalog/indicators.yaml")
    obs, _ = read_template(_template("1;A;sgb2_quote;2023;500;100\n"), "x.csv")
    report = match_areas(areas_of(obs), pd.DataFrame({"area_id": ["1"], "name": ["A"]}))
    values, _ = assemble_indicator_values(
        obs, template_specs(obs), catalog, area_lookup(obs, report)
    )
    problems = validate_values(values, catalog, file="x.csv")
    hit = [p for p in problems if p.code == "numerator_gt_denominator"]
    assert hit and hit[0].severity == ERROR and hit[0].row == 2


def test_37_an_unknown_level_name():
    mapping = BoundaryMapping(key="id", name="name", level_column="ebene")
    refused(
        import_boundaries,
        _geojson([SQUARE], ebene=["Bezirk"]),
        mapping,
        name="q.geojson",
        contains="Unbekannte Ebene „Bezirk“",
    )


def test_38_a_zensus_table_with_a_broken_cell_id():
    raw = b"GITTER_ID_100m;Einwohner\nCRS3035RES100mN2689100;5\n"
    refused(read_zensus_grid, raw, "z.csv", contains="keine INSPIRE-Gitterzellen-ID")


def test_39_mapping_columns_that_the_file_lacks():
    mapping = BoundaryMapping(key="AGS", name="GEN", level="stadt")
    refused(
        import_boundaries,
        _geojson([SQUARE]),
        mapping,
        name="q.geojson",
        contains="Die Spalte(n) AGS, GEN fehlen",
    )


def test_40_a_zip_with_a_symbolic_link():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("link.geojson")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    refused(extract_zip, buffer.getvalue(), "a.zip", contains="symbolischen Link")
