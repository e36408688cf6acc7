"""Map data as GeoJSON and GeoPackage, read back: suppression kept, provenance in
the metadata."""

from __future__ import annotations

import io
import json
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest

from monitor.views.geo_exports import (
    MapExport,
    export_frame,
    geojson_bytes,
    geopackage_bytes,
    layer_name,
)
from tests.conftest import DEMO_DIR

META = MapExport(
    title="Kinderarmut 2025 nach 250-m-Raster",
    indicator_id="kinderarmut",
    unit="percent",
    year=2025,
    level="raster",
    data_version="demo-1",
    data_date="2025-12-31",
    is_demo=True,
    source="Statistik der Bundesagentur für Arbeit",
)


@pytest.fixture(scope="module")
def raster() -> gpd.GeoDataFrame:
    """The demo raster's child poverty 2025 as the store hands it out: no
    numbers where the status is suppressed."""
    areas = gpd.read_parquet(DEMO_DIR / "areas.parquet")
    values = pd.read_parquet(DEMO_DIR / "indicator_values.parquet")
    rows = values[(values.indicator_id == "kinderarmut") & (values.year == 2025)]
    cells = areas[areas.level == "raster"][["area_id", "name", "geometry"]]
    frame = cells.merge(rows[["area_id", "numerator", "value", "status"]])
    secret = frame.status == "suppressed"
    frame.loc[secret, ["numerator", "value"]] = np.nan
    return frame


def test_geojson_keeps_suppression_and_carries_metadata(raster):
    raw = geojson_bytes(raster, META, decimals=1)
    doc = json.loads(raw)
    assert doc["type"] == "FeatureCollection"
    meta = doc["metadata"]
    assert meta["data_version"] == "demo-1" and meta["demo"] == "true"
    assert "Synthetische Demodaten" in meta["note"]
    assert meta["data_date"] == "2025-12-31"
    features = doc["features"]
    assert len(features) == len(raster)
    by_id = {f["properties"]["area_id"]: f["properties"] for f in features}
    for row in raster.itertuples():
        props = by_id[row.area_id]
        assert props["status"] == row.status
        if row.status == "suppressed":
            assert props["value"] is None and props["numerator"] is None
        else:
            assert props["value"] == round(row.value, 1)
    back = gpd.read_file(io.BytesIO(raw))  # GDAL, as QGIS reads it
    assert len(back) == len(raster)
    assert back.geometry.is_valid.all()


def test_suppressed_numbers_never_reach_the_file_even_if_passed_in(raster):
    leaky = raster.copy()
    leaky.loc[leaky.status == "suppressed", "value"] = 12.5  # a secret value
    frame = export_frame(leaky)
    assert frame.loc[frame.status == "suppressed", "value"].isna().all()
    text = geojson_bytes(leaky, META).decode()
    doc = json.loads(text)
    secret = [f for f in doc["features"] if f["properties"]["status"] == "suppressed"]
    assert secret and all(f["properties"]["value"] is None for f in secret)


def test_geopackage_round_trip_with_metadata(raster, tmp_path):
    path = tmp_path / "karte.gpkg"
    path.write_bytes(geopackage_bytes(raster, META, decimals=1))
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    info = pyogrio.read_info(path)
    assert info["layer_metadata"]["data_version"] == "demo-1"
    assert info["dataset_metadata"]["demo"] == "true"
    assert "Synthetische Demodaten" in info["layer_metadata"]["note"]
    back = pyogrio.read_dataframe(path)
    assert len(back) == len(raster)
    merged = back.merge(raster[["area_id", "value"]], on="area_id")
    secret = merged.status == "suppressed"
    assert merged.loc[secret, "value_x"].isna().all()
    np.testing.assert_allclose(
        merged.loc[~secret, "value_x"], merged.loc[~secret, "value_y"].round(1)
    )
    with sqlite3.connect(path) as con:
        [(table, description)] = con.execute(
            "SELECT table_name, description FROM gpkg_contents"
        ).fetchall()
    assert table == layer_name(META) == "kinderarmut_2025_raster"
    assert description.startswith(META.title) and "Demodaten" in description


def test_real_data_has_no_demo_note(raster):
    real = MapExport(**{**META.__dict__, "is_demo": False, "data_version": "2026-03"})
    meta = json.loads(geojson_bytes(raster.head(3), real))["metadata"]
    assert meta["demo"] == "false" and "note" not in meta
    assert meta["data_version"] == "2026-03"


def test_areas_without_status_are_refused(raster):
    with pytest.raises(ValueError, match="status"):
        export_frame(raster.drop(columns="status"))
