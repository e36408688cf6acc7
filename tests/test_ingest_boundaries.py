"""Boundary files in every format and CRS → areas rows (ingest/boundaries.py)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from monitor.ingest.boundaries import BoundaryMapping, guess_mapping, import_boundaries
from monitor.ingest.geojson import read_geojson
from monitor.ingest.problems import IngestError

REAL = Path(__file__).parent / "fixtures" / "realdata"
SAARLAND = REAL / "saarland-gemeinden" / "saarland_gemeinden.geo.json"
AGS = BoundaryMapping(key="AGS", name="GEN", level="stadt")


@pytest.fixture(scope="module")
def saarland() -> gpd.GeoDataFrame:
    return read_geojson(SAARLAND)[0]


def test_saarland_imports_with_ags_keys_as_text():
    result = import_boundaries(SAARLAND, AGS)
    areas = result.areas
    assert len(areas) == 52
    assert areas["area_id"].str.fullmatch(r"\d{8}").all()
    assert areas.crs.to_epsg() == 4326
    neunkirchen = areas.set_index("area_id").loc["10043114"]
    assert neunkirchen["name"] == "Neunkirchen"
    assert neunkirchen["area_km2"] == pytest.approx(74.4, abs=0.1)  # VG250: 74.4 km²
    assert list(areas.columns) == [
        "area_id",
        "name",
        "level",
        "parent_id",
        "in_focus",
        "area_km2",
        "geometry",
    ]


def test_the_guessed_mapping_for_the_saarland_file_is_ags_and_gen(saarland):
    mapping = guess_mapping(saarland)
    assert (mapping.key, mapping.name, mapping.level) == ("AGS", "GEN", "stadt")


def _quirky(features: list[dict]) -> bytes:
    """The source layout of the VG250 republication: a top-level array mixing
    Features with nested FeatureCollections."""
    nested = {"type": "FeatureCollection", "features": features[10:20]}
    deeper = {"type": "FeatureCollection", "features": [nested, *features[20:]]}
    return json.dumps([*features[:10], deeper]).encode()


def test_a_top_level_array_with_nested_collections_is_read_and_said():
    features = json.loads(SAARLAND.read_text(encoding="utf-8"))["features"]
    result = import_boundaries(_quirky(features), AGS, name="gemeinden.geo.json")
    assert len(result.areas) == 52
    assert any(
        p.code == "layout" and "verschachtelten" in p.message for p in result.problems
    )


def _geojson(frame: gpd.GeoDataFrame, crs_member: str | None = None) -> bytes:
    data = json.loads(frame.to_json())
    if crs_member:
        data["crs"] = {"type": "name", "properties": {"name": crs_member}}
    else:
        data.pop("crs", None)
    return json.dumps(data).encode()


def test_a_crs_member_is_honoured(saarland):
    utm = saarland.to_crs(25832)
    raw = _geojson(utm, "urn:ogc:def:crs:EPSG::25832")
    result = import_boundaries(raw, AGS, name="utm.geojson")
    assert result.areas.set_index("area_id").loc["10043114", "area_km2"] == (
        pytest.approx(74.4, abs=0.1)
    )
    assert any(p.code == "crs_transformed" for p in result.problems)


def test_metres_without_a_crs_are_refused_with_the_likely_crs(saarland):
    raw = _geojson(saarland.to_crs(25832))
    with pytest.raises(IngestError) as err:
        import_boundaries(raw, AGS, name="utm.geojson")
    assert "EPSG:25832" in str(err.value)
    assert "keine Längen- und Breitengrade" in str(err.value)


def test_the_caller_can_say_the_crs(saarland):
    raw = _geojson(saarland.to_crs(25832))
    result = import_boundaries(raw, AGS, crs="EPSG:25832", name="utm.geojson")
    assert len(result.areas) == 52


@pytest.mark.parametrize("epsg", [3035, 31466])
def test_gauss_krueger_and_laea_geopackages_are_transformed(saarland, tmp_path, epsg):
    path = tmp_path / f"gemeinden_{epsg}.gpkg"
    saarland.to_crs(epsg).to_file(path, driver="GPKG")
    result = import_boundaries(path, AGS)
    got = result.areas.set_index("area_id").loc["10043114", "geometry"]
    want = saarland.set_index("AGS").loc["10043114", "geometry"]
    assert got.symmetric_difference(want).area / want.area < 1e-6


def test_a_zipped_shapefile_is_read(saarland, tmp_path):
    folder = tmp_path / "shp"
    folder.mkdir()
    saarland[["AGS", "GEN", "geometry"]].to_crs(25832).to_file(folder / "vg250.shp")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in folder.iterdir():
            archive.write(part, f"VG250_GEM/{part.name}")
    result = import_boundaries(buffer.getvalue(), AGS, name="vg250_gem.zip")
    assert len(result.areas) == 52
    assert result.areas["area_id"].str.len().eq(8).all()


def test_a_shapefile_without_prj_needs_a_crs(saarland, tmp_path):
    saarland[["AGS", "GEN", "geometry"]].to_crs(25832).to_file(tmp_path / "g.shp")
    (tmp_path / "g.prj").unlink()
    with pytest.raises(IngestError) as err:
        import_boundaries(tmp_path / "g.shp", AGS)
    assert "kein Koordinatensystem" in str(err.value)
    assert "EPSG:25832" in str(err.value)
    ok = import_boundaries(tmp_path / "g.shp", AGS, crs="EPSG:25832")
    assert len(ok.areas) == 52


def _frame(geoms, **extra) -> bytes:
    data = {"id": [f"Q{i}" for i in range(len(geoms))], "name": ["A"] * len(geoms)}
    data.update(extra)
    return _geojson(gpd.GeoDataFrame(data, geometry=geoms, crs=4326))


QUARTER = BoundaryMapping(key="id", name="name", level="quartier")


def test_an_invalid_bowtie_is_repaired_and_reported():
    bowtie = Polygon([(7.17, 49.34), (7.19, 49.36), (7.19, 49.34), (7.17, 49.36)])
    result = import_boundaries(_frame([bowtie, box(7.2, 49.3, 7.21, 49.31)]), QUARTER)
    fixed = result.areas.loc[1, "geometry"]
    assert fixed.is_valid and fixed.geom_type == "MultiPolygon"
    repaired = [p for p in result.problems if p.code == "geometry_repaired"]
    assert (
        repaired and repaired[0].row == 1 and "Self-intersection" in repaired[0].message
    )


def test_parents_are_assigned_by_largest_overlap_and_reported():
    city = gpd.GeoDataFrame(
        {"area_id": ["nord", "sued"]},
        geometry=[box(7.0, 49.35, 7.4, 49.5), box(7.0, 49.2, 7.4, 49.35)],
        crs=4326,
    )
    quarters = [box(7.1, 49.33, 7.2, 49.40), box(7.1, 49.21, 7.2, 49.34)]
    result = import_boundaries(_frame(quarters), QUARTER, parents=city)
    assert list(result.areas["parent_id"]) == ["nord", "sued"]
    notes = [p for p in result.problems if p.code == "parent_by_overlap"]
    assert len(notes) == 2 and "%" in notes[0].message


def test_area_is_measured_in_an_equal_area_crs():
    # one 1 km × 1 km square in EPSG:3035 near Neunkirchen
    square = gpd.GeoSeries([box(4116000, 2918000, 4117000, 2919000)], crs=3035)
    raw = _frame(list(square.to_crs(4326)))
    result = import_boundaries(raw, QUARTER)
    assert result.areas["area_km2"].iloc[0] == pytest.approx(1.0, abs=1e-3)
