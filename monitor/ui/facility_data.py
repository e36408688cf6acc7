"""Facilities (optional ``points.parquet``) per area and who lives near them,
cached per data version.

Children per raster cell are the published numerator of :data:`CHILDREN`
(under 18) with secret cells estimated from the cell's published residents
(:data:`RESIDENTS`) and its parent area's share
(:func:`monitor.methods.accessibility.estimate_suppressed`); the cell centroids
in the local UTM zone are the residents' places; cells are given to the areas
of a level by their centroid. Distances are straight lines (Luftlinie,
:func:`monitor.methods.accessibility.coverage`). Cached functions read only
their arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from monitor.methods.accessibility import (
    ESTIMATED,
    coverage,
    estimate_suppressed,
    points_per_area,
    project,
)
from monitor.points import CATEGORIES
from monitor.store import Store
from monitor.ui import data
from monitor.ui.shared_frames import cache_frames
from monitor.viewstate import data_year

__all__ = [
    "CHILDREN",
    "RESIDENTS",
    "DISTANCES",
    "Coverage",
    "points",
    "area_counts",
    "children_coverage",
]

CHILDREN = "anteil_unter18"
"""Indicator whose raster numerator counts the children (under 18)."""
RESIDENTS = "einwohner"
"""Indicator whose raster numerator counts the residents (estimate of secret
child counts)."""
DISTANCES = (300, 500, 1000)
"""Straight-line distances (m) offered; 500 m is the default."""
CELL_LEVEL = "raster"


@cache_frames(hash_funcs=data.STORE_HASH, max_entries=4)
def points(store: Store) -> pd.DataFrame:
    """The facilities of the data folder (empty frame without points.parquet)."""
    return store.points()


@cache_frames(hash_funcs=data.STORE_HASH, max_entries=16)
def area_counts(store: Store, level: str) -> pd.DataFrame:
    """Facilities of each category per area of ``level`` (index ``area_id``,
    one column per category of :data:`monitor.points.CATEGORIES`)."""

    pts = points(store)
    return points_per_area(
        pts.lon, pts.lat, pts.category, data.geometries(store, level), CATEGORIES
    )


@dataclass(frozen=True)
class Coverage:
    """Children within ``distance`` m straight line of the nearest facility:
    ``table`` per category and area (``category, group, weight, weight_within,
    share``), ``city`` per category (share of all children), the year of the
    counts and the share of children that is estimated."""

    table: pd.DataFrame
    city: pd.Series
    year: int
    distance: int
    estimated_share: float


def _cells(store: Store, year: int) -> gpd.GeoDataFrame | None:
    """Raster cells with their children (estimated where secret) and centroid in
    metres; None when the data have no raster counts of children."""
    catalog = store.catalog
    if CHILDREN not in catalog or RESIDENTS not in catalog:
        return None
    if CELL_LEVEL not in catalog[CHILDREN].levels:
        return None
    children = data.level_values(store, CHILDREN, year, CELL_LEVEL)
    if children.empty:
        return None
    residents = data.level_values(store, RESIDENTS, year, CELL_LEVEL)
    areas = data.areas(store).set_index("area_id")
    parents = areas.parent_id.reindex(children.area_id).to_numpy()
    parent_values = data.level_values(store, CHILDREN, year, _parent_level(areas))
    share = parent_values.set_index("area_id").value / catalog[CHILDREN].factor
    published = residents.numerator.where(residents.status == "ok")
    estimate = estimate_suppressed(
        children.numerator.where(children.status == "ok").to_numpy(float),
        children.area_id.map(
            dict(zip(residents.area_id, published, strict=True))
        ).to_numpy(float),
        pd.Series(parents).map(share).to_numpy(float),
    )
    geo = data.geometries(store, CELL_LEVEL).set_index("area_id")
    cells = gpd.GeoDataFrame(
        {"children": estimate.count, "estimated": estimate.status == ESTIMATED},
        geometry=geo.geometry.reindex(children.area_id).to_numpy(),
        crs=geo.crs,
    )
    cells = cells[~cells.geometry.isna()]
    metric = cells.geometry.to_crs(cells.estimate_utm_crs())
    cells["x"], cells["y"] = metric.centroid.x.to_numpy(), metric.centroid.y.to_numpy()
    cells["centroid"] = metric.centroid.to_crs(cells.crs)
    return cells


def _parent_level(areas: pd.DataFrame) -> str:
    """The level of the raster cells' parents (the Quartiere)."""
    cells = areas[areas.level == CELL_LEVEL]
    parent = cells.parent_id.dropna()
    if parent.empty:
        return "quartier"
    return str(areas.level.get(parent.iloc[0], "quartier"))


def _groups(cells: gpd.GeoDataFrame, areas: gpd.GeoDataFrame) -> np.ndarray:
    """The area of ``areas`` each cell's centroid lies in ("" for none)."""
    centroids = gpd.GeoDataFrame(geometry=cells["centroid"].to_numpy(), crs=cells.crs)
    joined = gpd.sjoin(centroids, areas[["area_id", "geometry"]], predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    return joined.area_id.reindex(range(len(cells))).fillna("").to_numpy(str)


@st.cache_data(hash_funcs=data.STORE_HASH, max_entries=24, show_spinner=False)
def children_coverage(
    store: Store, year: int, level: str, distance: int
) -> Coverage | None:
    """Share of children within ``distance`` m (Luftlinie) of each category's
    nearest facility, per area of ``level`` and for the city, from the children
    counts of ``year`` (or the latest earlier year); None without points or
    without raster counts of children."""
    pts = points(store)
    years = data.years_by_indicator(store).get(CHILDREN, ())
    count_year = data_year(years, year)
    if pts.empty or count_year is None:
        return None
    cells = _cells(store, int(count_year))
    if cells is None or cells.empty:
        return None
    cells = cells.reset_index(drop=True)
    groups = _groups(cells, data.geometries(store, level))
    px, py = project(pts.lon, pts.lat, cells.estimate_utm_crs().to_string())
    table = coverage(
        cells.x.to_numpy(),
        cells.y.to_numpy(),
        cells.children.to_numpy(),
        groups,
        px,
        py,
        pts.category.to_numpy(),
        float(distance),
    )
    totals = table.groupby("category")[["weight", "weight_within"]].sum()
    city = (totals.weight_within / totals.weight).where(totals.weight > 0)
    total = float(cells.children.sum())
    estimated = float(cells.children[cells.estimated].sum()) / total if total else 0.0
    return Coverage(
        table[table.group != ""].reset_index(drop=True),
        city,
        int(count_year),
        int(distance),
        estimated,
    )
