"""A map's data as GIS files: GeoJSON and GeoPackage, suppression kept.

The same rules as the table downloads (monitor.views.exports): a suppressed area
keeps its geometry, name and status but no number (every value column is empty,
never a number a GIS could show), and provenance travels in the file:

- GeoJSON (RFC 7946, EPSG:4326): a top-level ``"metadata"`` member, a foreign
  member that RFC 7946 §6.1 allows and GIS programs ignore.
- GeoPackage (OGC 12-128r18, written by GDAL through pyogrio): the same items as
  GDAL layer and dataset metadata (``layer_metadata=``/``dataset_metadata=``,
  stored in the ``gpkg_metadata`` tables) and the title with the data note as
  the layer's ``DESCRIPTION`` (``gpkg_contents.description``, which QGIS shows).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from monitor.i18n import t

__all__ = [
    "IDENTITY_COLUMNS",
    "MapExport",
    "export_frame",
    "geojson_bytes",
    "geopackage_bytes",
    "metadata",
]

IDENTITY_COLUMNS = ("area_id", "name", "level", "status")
"""Columns that stay filled for a suppressed area; every other one is emptied."""


@dataclass(frozen=True)
class MapExport:
    """What the file says about itself (all shown in its metadata)."""

    title: str
    indicator_id: str
    unit: str
    year: int
    level: str
    data_version: str
    data_date: str
    is_demo: bool
    source: str
    lang: str = "de"
    # when the served version was published (monitor/versions.py); data_version
    # is its id (Store.meta.version_id)
    published_at: str = ""


def metadata(meta: MapExport) -> dict[str, str]:
    """The metadata items (strings, as GDAL needs them)."""
    items = {
        "title": meta.title,
        "indicator_id": meta.indicator_id,
        "unit": meta.unit,
        "year": str(meta.year),
        "level": meta.level,
        "data_version": meta.data_version,
        "data_date": meta.data_date,
        "demo": "true" if meta.is_demo else "false",
        "source": meta.source,
        "suppression": t("geo_export.suppressed_note", meta.lang),
        "created": dt.date.today().isoformat(),
        "crs": "EPSG:4326",
    }
    if meta.published_at:
        items["published"] = meta.published_at
    if meta.is_demo:
        items["note"] = t("export.demo_text", meta.lang)
    return items


def export_frame(areas: gpd.GeoDataFrame, decimals: int | None = None):
    """The areas in EPSG:4326 with every value column emptied where the status
    is ``suppressed`` (and numbers rounded to ``decimals`` if given).

    ``areas`` needs ``area_id``, ``status`` (ok | suppressed | missing) and
    polygons; other columns (``value``, ``numerator``, interval bounds …) are
    exported as they are, except for suppressed areas.
    """
    for column in ("area_id", "status"):
        if column not in areas.columns:
            raise ValueError(f"areas need a column {column!r}")
    out = areas.to_crs("EPSG:4326") if areas.crs else areas.set_crs("EPSG:4326")
    out = out.copy()
    secret = out["status"].eq("suppressed").to_numpy()
    for column in out.columns:
        if column in IDENTITY_COLUMNS or column == out.geometry.name:
            continue
        if pd.api.types.is_numeric_dtype(out[column]):
            values = out[column].astype(float)
            if decimals is not None:
                values = values.round(decimals)
            out[column] = values.where(~secret, np.nan)
        else:
            out[column] = out[column].astype(object).where(~secret, None)
    return out


def geojson_bytes(
    areas: gpd.GeoDataFrame, meta: MapExport, decimals: int | None = None
) -> bytes:
    """RFC 7946 FeatureCollection with a top-level ``metadata`` member; NaN
    values are written as ``null``."""
    frame = export_frame(areas, decimals)
    collection = json.loads(frame.to_json(na="null", drop_id=True))
    collection.pop("crs", None)
    document = {"type": "FeatureCollection", "metadata": metadata(meta)}
    document["features"] = collection["features"]
    return json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")


def layer_name(meta: MapExport) -> str:
    """ASCII layer name such as ``kinderarmut_2025_quartier``."""
    raw = f"{meta.indicator_id}_{meta.year}_{meta.level}".lower()
    return re.sub(r"[^a-z0-9_]+", "_", raw).strip("_")[:60] or "karte"


def geopackage_bytes(
    areas: gpd.GeoDataFrame, meta: MapExport, decimals: int | None = None
) -> bytes:
    """One-layer GeoPackage; metadata as GDAL layer and dataset metadata and the
    layer description."""
    frame = export_frame(areas, decimals)
    items = metadata(meta)
    description = meta.title + (f" – {items['note']}" if "note" in items else "")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "karte.gpkg"
        pyogrio.write_dataframe(
            frame,
            path,
            layer=layer_name(meta),
            driver="GPKG",
            layer_metadata=items,
            dataset_metadata=items,
            layer_options={"IDENTIFIER": meta.title, "DESCRIPTION": description},
        )
        return path.read_bytes()
