"""Geometry rules for areas: repair, area, parents by overlap, children inside parents.

Areas in EPSG:4326 are measured in ETRS89-LAEA (EPSG:3035), the equal-area projection
the EU and the Zensus use for statistics (INSPIRE), so km² and overlap shares are true
areas. Invalid polygons are repaired with GEOS ``MakeValid`` (shapely ``make_valid``)
and only their polygonal parts kept: a self-touching ring becomes a MultiPolygon, a
collapsed sliver disappears.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.validation import explain_validity

__all__ = [
    "EQUAL_AREA_CRS",
    "area_km2",
    "assign_parents",
    "outside_share",
    "polygonal_part",
    "repair",
]

EQUAL_AREA_CRS = "EPSG:3035"


def polygonal_part(geom):
    """The Polygon/MultiPolygon part of ``geom`` (``None`` when it has none)."""
    if geom is None or geom.is_empty:
        return None
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [
        g
        for g in getattr(geom, "geoms", [])
        if isinstance(g, Polygon | MultiPolygon) and not g.is_empty
    ]
    polygons = [p for g in parts for p in getattr(g, "geoms", [g])]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def repair(geom) -> tuple[object, str]:
    """``(valid polygonal geometry or None, reason)``; reason is ``""`` when the
    geometry was valid already, else the GEOS explanation of what was wrong."""
    if geom is None or geom.is_empty or geom.is_valid:
        return geom, ""
    reason = explain_validity(geom)
    return polygonal_part(shapely.make_valid(geom)), reason


def area_km2(geometries: gpd.GeoSeries) -> pd.Series:
    """Area of each geometry in km², measured in EPSG:3035."""
    return geometries.to_crs(EQUAL_AREA_CRS).area / 1e6


def assign_parents(
    children: gpd.GeoDataFrame, parents: gpd.GeoDataFrame, parent_key: str = "area_id"
) -> pd.DataFrame:
    """For each child, the parent it overlaps most (largest intersection area).

    Returns a frame indexed like ``children`` with ``parent_id`` (``None`` when no
    parent overlaps) and ``share`` (overlap / child area, 0–1), both computed in
    EPSG:3035.
    """
    kids = gpd.GeoDataFrame(geometry=children.geometry.to_crs(EQUAL_AREA_CRS))
    olds = gpd.GeoDataFrame(
        {parent_key: parents[parent_key].to_numpy()},
        geometry=parents.geometry.to_crs(EQUAL_AREA_CRS).to_numpy(),
        crs=EQUAL_AREA_CRS,
    )
    result = pd.DataFrame(
        {"parent_id": pd.Series([None] * len(kids), index=kids.index, dtype=object)}
    )
    result["share"] = 0.0
    left_idx, right_idx = olds.sindex.query(kids.geometry, predicate="intersects")
    if len(left_idx) == 0:
        return result
    left = kids.geometry.to_numpy()[left_idx]
    right = olds.geometry.to_numpy()[right_idx]
    overlap = shapely.area(shapely.intersection(left, right))
    pairs = pd.DataFrame(
        {"child": kids.index.to_numpy()[left_idx], "parent": right_idx, "area": overlap}
    )
    best = pairs.sort_values("area", ascending=False).drop_duplicates("child")
    best = best[best["area"] > 0].set_index("child")
    child_area = kids.geometry.area
    result.loc[best.index, "parent_id"] = olds[parent_key].to_numpy()[best["parent"]]
    result.loc[best.index, "share"] = (best["area"] / child_area[best.index]).clip(
        upper=1.0
    )
    return result


def outside_share(child, parent) -> float:
    """Share of ``child``'s area (0–1) outside ``parent``; both in EPSG:3035."""
    area = child.area
    if area == 0:
        return 0.0
    return float(child.difference(parent).area / area)
