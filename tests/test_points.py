"""Infrastructure points: the demo file, its generator and the importer."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from shapely.geometry import box

from monitor.demo.points import SOURCE, generate_points
from monitor.demo.points import main as generate_main
from monitor.ingest.points import read_points
from monitor.ingest.problems import IngestError
from monitor.points import CATEGORIES, COLUMNS, SCHEMA, write_points
from tests.conftest import DEMO_DIR

# -- the demo file ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_points() -> pd.DataFrame:
    return pd.read_parquet(DEMO_DIR / "points.parquet")


@pytest.fixture(scope="module")
def demo_areas() -> gpd.GeoDataFrame:
    return gpd.read_parquet(DEMO_DIR / "areas.parquet")


def test_generator_is_deterministic_and_matches_the_committed_file(tmp_path):
    for name in ("areas.parquet", "indicator_values.parquet"):
        (tmp_path / name).symlink_to(DEMO_DIR / name)
    generate_main(["--data", str(tmp_path)])
    committed = (DEMO_DIR / "points.parquet").read_bytes()
    assert (tmp_path / "points.parquet").read_bytes() == committed


def test_demo_has_plausible_counts_for_a_town_of_47000(demo_points):
    counts = demo_points.category.value_counts().to_dict()
    assert counts == {
        "kita": 30,
        "schule": 12,
        "beratung": 8,
        "jugend_familie": 6,
        "arzt": 32,
    }
    schools = demo_points[demo_points.category == "schule"].name
    assert schools.str.startswith("Grundschule").sum() == 8


def test_demo_follows_the_contract_and_is_labelled(demo_points):
    assert tuple(demo_points.columns) == COLUMNS
    assert pd.read_parquet(DEMO_DIR / "points.parquet").shape[0] == len(demo_points)
    assert demo_points.point_id.is_unique
    assert set(demo_points.category) <= set(CATEGORIES)
    assert (demo_points.source == SOURCE).all() and "Demodaten" in SOURCE
    assert demo_points.address.str.startswith("Musterstraße").all()
    assert demo_points.opening_year.between(1950, 2025).all()


def test_demo_points_lie_in_the_stadtteil_their_name_says(demo_points, demo_areas):
    stadtteile = demo_areas[demo_areas.level == "stadtteil"]
    points = gpd.GeoDataFrame(
        demo_points,
        geometry=gpd.points_from_xy(demo_points.lon, demo_points.lat),
        crs="EPSG:4326",
    )
    joined = points.sjoin(stadtteile[["name", "geometry"]], predicate="within")
    assert len(joined) == len(points)
    assert all(
        st in name for st, name in zip(joined.name_right, joined.name_left, strict=True)
    )


def test_more_kitas_where_more_children_live(demo_points, demo_areas):
    from monitor.methods.accessibility import points_per_area

    stadtteile = demo_areas[demo_areas.level == "stadtteil"]
    table = points_per_area(
        demo_points.lon, demo_points.lat, demo_points.category, stadtteile, CATEGORIES
    )
    assert table.loc["innenstadt", "kita"] == table.kita.max()
    assert table.kita.sum() == 30
    # every Stadtteil with at least 150 children has a Kita (Heinitz and
    # Sinnerthal, about 90 children each, have none)
    assert (table.kita == 0).sum() == 2


def test_generate_points_uses_only_published_numbers(demo_areas):
    values = pd.read_parquet(DEMO_DIR / "indicator_values.parquet")
    secret = values.status == "suppressed"
    scrambled = values.copy()
    scrambled.loc[secret, ["numerator", "value"]] = 999_999.0
    a = generate_points(demo_areas, values)
    b = generate_points(demo_areas, scrambled)
    pd.testing.assert_frame_equal(a, b)


# -- the importer -----------------------------------------------------------------


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_csv_with_german_decimals_and_names():
    raw = _csv(
        "Kategorie;Name;Adresse;Länge;Breite;Eröffnungsjahr\n"
        "Kindertagesstätte;Kita Regenbogen;Hauptstraße 1;7,1801;49,3468;1998\n"
        "Grundschule;GS Mitte;;7,185;49,349;\n"
        "arzt;Praxis Dr. A;Bahnhofstraße 3;7,19;49,35;2010.0\n"
    )
    points, problems = read_points(raw, "einrichtungen.csv")
    assert tuple(points.columns) == COLUMNS
    assert points.category.tolist() == ["kita", "schule", "arzt"]
    assert points.lon.tolist() == [7.1801, 7.185, 7.19]
    assert points.opening_year.tolist()[0] == 1998
    assert pd.isna(points.opening_year.tolist()[1])
    assert (points.source == "einrichtungen.csv").all()
    assert points.point_id.str.match(r"^(kita|schule|arzt)-[0-9a-f]{8}$").all()
    assert [p.code for p in problems] == ["read"]


def test_dot_decimals_are_not_read_as_thousands():
    raw = _csv("category,name,lat,lon\nkita,A,49.345,7.181\n")
    points, _ = read_points(raw, "a.csv")
    assert (points.lat[0], points.lon[0]) == (49.345, 7.181)


def test_utm_coordinates_with_named_crs_are_transformed():
    raw = _csv(
        "kategorie;name;rechtswert;hochwert\n"
        "schule;A;364.123,5;5.465.250\n"
        "schule;B;365000;5466000,25\n"
    )
    points, problems = read_points(raw, "utm.csv", crs="EPSG:25832")
    to_lonlat = pyproj.Transformer.from_crs(25832, 4326, always_xy=True)
    lon, lat = to_lonlat.transform([364123.5, 365000], [5465250, 5466000.25])
    np.testing.assert_allclose(points.lon, lon, atol=1e-7)
    np.testing.assert_allclose(points.lat, lat, atol=1e-7)
    assert "crs_transformed" in [p.code for p in problems]


def test_utm_coordinates_without_crs_are_refused_with_a_hint():
    raw = _csv("kategorie;name;x;y\nkita;A;364123;5465250\n")
    with pytest.raises(IngestError) as info:
        read_points(raw, "utm.csv")
    assert "Koordinatensystem angeben" in str(info.value)
    assert "EPSG:25832" in str(info.value)


def test_geojson_points_in_utm_with_crs_member():
    data = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"kategorie": "Familienzentrum", "name": "FZ Nord"},
                "geometry": {"type": "Point", "coordinates": [364123.5, 5465250.0]},
            },
            {
                "type": "Feature",
                "properties": {"kategorie": "beratung", "name": "SB", "id": "b1"},
                "geometry": {"type": "MultiPoint", "coordinates": [[365000, 5466000]]},
            },
        ],
    }
    points, _ = read_points(json.dumps(data).encode(), "punkte.geojson")
    assert points.category.tolist() == ["jugend_familie", "beratung"]
    assert points.point_id[1] == "b1"
    assert 7.1 < points.lon[0] < 7.3 and 49.3 < points.lat[0] < 49.4


def test_geojson_polygon_is_refused_with_its_feature_number():
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kategorie": "kita", "name": "A"},
                "geometry": {"type": "Point", "coordinates": [7.18, 49.35]},
            },
            {
                "type": "Feature",
                "properties": {"kategorie": "kita", "name": "B"},
                "geometry": box(7.1, 49.3, 7.2, 49.4).__geo_interface__,
            },
        ],
    }
    with pytest.raises(IngestError) as info:
        read_points(json.dumps(data).encode(), "p.geojson")
    [problem] = info.value.problems
    assert problem.row == 2 and "erwartet wird ein Punkt" in problem.message


def test_every_row_error_is_reported_at_once_in_german():
    raw = _csv(
        "kategorie;name;lon;lat;eroeffnungsjahr;id\n"
        "Bäckerei;A;7,18;49,34;;x1\n"
        "kita;;abc;49,34;;x2\n"
        "kita;C;7,18;49,35;1700;x3\n"
        "kita;D;7,18;49,35;;x3\n"
    )
    with pytest.raises(IngestError) as info:
        read_points(raw, "fehler.csv")
    found = {(p.row, p.column, p.code) for p in info.value.problems if p.code}
    assert (2, "kategorie", "category") in found
    assert (3, "lon", "coordinate") in found
    assert (4, "eroeffnungsjahr", "year") in found
    assert (5, "id", "duplicate_id") in found
    messages = [str(p) for p in info.value.problems]
    assert any("Zeile 3, Spalte „name“: Die Zelle ist leer." in m for m in messages)
    assert any("„Bäckerei“ ist keine bekannte Kategorie" in m for m in messages)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("name;lon;lat\nA;7,1;49,3\n", "Es fehlen die Spalten kategorie"),
        ("kategorie;name\nkita;A\n", "lon/lat oder x/y"),
        ("kategorie;name;lon;lat\n", "nur die Kopfzeile"),
        ("kategorie;name;lon;lat\nkita;A;49,35;7,18\n", "vertauscht"),
        ("kategorie;name;lon;lat\nkita;A;7,18;4935\n", "keine Längen- und Breiten"),
    ],
)
def test_file_level_problems_have_clear_messages(text, fragment):
    with pytest.raises(IngestError, match=fragment):
        read_points(_csv(text), "p.csv")


def test_spreadsheets_are_asked_to_be_saved_as_csv():
    with pytest.raises(IngestError, match="als CSV speichern"):
        read_points(b"PK\x03\x04 not really", "p.xlsx")


def test_warnings_for_doubles_outside_points_and_formulas():
    raw = _csv(
        "kategorie;name;lon;lat\n"
        "kita;=HYPERLINK(1);7,18;49,35\n"
        "kita;=HYPERLINK(1);7,18;49,35\n"
        "arzt;Weit weg;8,5;50,1\n"
    )
    outline = box(7.1, 49.3, 7.3, 49.4)
    points, problems = read_points(raw, "p.csv", outline=outline)
    assert len(points) == 3
    codes = [(p.row, p.code, p.severity) for p in problems]
    assert (3, "duplicate_point", "warning") in codes
    assert (4, "outside", "warning") in codes
    assert any("Formel" in p.message for p in problems)
    # generated ids come from category, name and place; the double gets "-2"
    assert points.point_id[1] == points.point_id[0] + "-2"


def test_imported_points_round_trip_through_the_contract(tmp_path):
    raw = _csv("kategorie;name;lon;lat;eroeffnungsjahr\nkita;A;7,18;49,35;2001\n")
    points, _ = read_points(raw, "p.csv")
    write_points(points, tmp_path / "points.parquet")
    back = pd.read_parquet(tmp_path / "points.parquet")
    assert tuple(back.columns) == COLUMNS
    assert back.opening_year.tolist() == [2001]
    import pyarrow.parquet as pq

    assert pq.read_schema(tmp_path / "points.parquet").equals(SCHEMA)


def test_write_points_refuses_unknown_categories(tmp_path):
    frame = pd.DataFrame(
        [["p1", "bad", "A", "", 7.1, 49.3, None, "x"]], columns=list(COLUMNS)
    )
    with pytest.raises(ValueError, match="unknown point categories"):
        write_points(frame, tmp_path / "p.parquet")


# -- the store ----------------------------------------------------------------------


def test_store_reads_points_and_folders_without_them_still_open(demo_store, tiny_store):
    points = demo_store.points()
    assert tuple(points.columns) == COLUMNS
    assert len(points) == 88
    assert points.opening_year.notna().all()
    empty = tiny_store.points()
    assert empty.empty and tuple(empty.columns) == COLUMNS
