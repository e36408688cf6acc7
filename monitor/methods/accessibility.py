"""Infrastructure and the people it serves: facilities per area and the share of
children living within a straight-line distance of the nearest facility.

Distances are **straight lines** (Luftlinie) in a metric CRS (ETRS89 / UTM,
EPSG:25832 in the west of Germany), from the centroid of each raster cell to the
nearest point of a category, found with a k-d tree (``scipy.spatial.cKDTree``).
They are not walking times: rivers, railways and hills make real paths longer,
so the share within 500 m Luftlinie is an upper bound of the share within a
500 m walk. All residents of a cell are placed at its centroid, which moves
them by up to half a cell diagonal (177 m for 250 m cells); facilities outside
the city (across the border) are not in the data, so areas at the edge look
worse than they are.

Suppressed counts. The raster's counts of children are secret in cells with few
residents; :func:`estimate_suppressed` replaces such a count by the cell's
published resident count times the published share of its Quartier (the
Quartier's value is not suppressed where the raster's is), so that only
published numbers enter the result, and reports how much of the total is
estimated. Cells whose resident count is itself secret (1 or 2 residents) are
left out and counted.

References
----------
.. [1] Bentley, J. L. (1975). Multidimensional binary search trees used for
   associative searching. *Communications of the ACM* 18(9), 509-517.
.. [2] SciPy, ``scipy.spatial.cKDTree``,
   https://docs.scipy.org/doc/scipy/reference/generated/scipy.spatial.cKDTree.html
.. [3] Geurs, K. T., van Wee, B. (2004). Accessibility evaluation of land-use and
   transport strategies: review and research directions. *Journal of Transport
   Geography* 12(2), 127-140 (contour measures: share within a distance).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from scipy.spatial import cKDTree

__all__ = [
    "ESTIMATED",
    "PUBLISHED",
    "UNKNOWN",
    "Estimate",
    "coverage",
    "estimate_suppressed",
    "nearest_distance",
    "points_per_area",
    "project",
    "share_within",
]

PUBLISHED, ESTIMATED, UNKNOWN = 0, 1, 2
"""Status per cell of :class:`Estimate`."""


@dataclass(frozen=True, eq=False)
class Estimate:
    """Counts per cell (0 where unknown) and how each was obtained
    (:data:`PUBLISHED`, :data:`ESTIMATED`, :data:`UNKNOWN`)."""

    count: np.ndarray
    status: np.ndarray

    @property
    def estimated_share(self) -> float:
        """Share of the total count that is estimated, not published."""
        total = float(self.count.sum())
        return float(self.count[self.status == ESTIMATED].sum()) / total if total else 0

    @property
    def n_unknown(self) -> int:
        return int(np.count_nonzero(self.status == UNKNOWN))


def estimate_suppressed(count, total, fallback_share) -> Estimate:
    """Published counts, with secret ones estimated from published numbers.

    Parameters
    ----------
    count : array_like
        The count per cell (e.g. children under 18); NaN where suppressed.
    total : array_like
        The cell's published total (residents); NaN where suppressed too.
    fallback_share : array_like
        Share (0..1) of ``count`` in ``total`` for the larger area the cell lies
        in (its Quartier), published.

    Returns
    -------
    Estimate
        ``count`` where published; ``total * fallback_share`` where only the
        total is published; 0 with status :data:`UNKNOWN` otherwise.
    """
    c = np.asarray(count, dtype=float)
    t = np.asarray(total, dtype=float)
    s = np.asarray(fallback_share, dtype=float)
    if not (c.shape == t.shape == s.shape):
        raise ValueError("count, total and fallback_share must have the same shape")
    with np.errstate(invalid="ignore"):
        if np.any((s < 0) | (s > 1)):
            raise ValueError("fallback_share must be a share between 0 and 1")
    published = np.isfinite(c)
    estimable = ~published & np.isfinite(t) & np.isfinite(s)
    out = np.where(published, c, np.where(estimable, t * s, 0.0))
    status = np.where(published, PUBLISHED, np.where(estimable, ESTIMATED, UNKNOWN))
    return Estimate(out, status)


def project(lon, lat, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude (EPSG:4326) to metres in ``crs`` (e.g. EPSG:25832)."""
    target = pyproj.CRS.from_user_input(crs)
    if not target.is_projected:
        raise ValueError(f"{crs} is not a projected (metric) CRS")
    transformer = pyproj.Transformer.from_crs(4326, target, always_xy=True)
    x, y = transformer.transform(np.asarray(lon, float), np.asarray(lat, float))
    return np.asarray(x), np.asarray(y)


def _metric(x, y, what: str) -> np.ndarray:
    xy = np.column_stack([np.asarray(x, float).ravel(), np.asarray(y, float).ravel()])
    if len(xy) and np.all(np.abs(xy[:, 0]) <= 180) and np.all(np.abs(xy[:, 1]) <= 90):
        raise ValueError(
            f"{what} look like degrees; project them to a metric CRS first "
            "(monitor.methods.accessibility.project)"
        )
    if not np.isfinite(xy).all():
        raise ValueError(f"{what} must be finite")
    return xy


def nearest_distance(cell_x, cell_y, point_x, point_y) -> np.ndarray:
    """Straight-line distance (m) from every cell centroid to the nearest point;
    ``inf`` for every cell when there is no point."""
    cells = _metric(cell_x, cell_y, "cell coordinates")
    points = _metric(point_x, point_y, "point coordinates")
    if len(points) == 0:
        return np.full(len(cells), np.inf)
    distance, _ = cKDTree(points).query(cells, k=1)
    return np.asarray(distance, dtype=float)


def share_within(distance, weights, groups, max_distance: float) -> pd.DataFrame:
    """Per group: the weight (children) in total, within ``max_distance`` and
    the share within it (NaN for a group without weight).

    Returns
    -------
    pandas.DataFrame
        Columns ``group, weight, weight_within, share``, groups in sorted order.
    """
    if not max_distance > 0:
        raise ValueError(f"max_distance must be positive, got {max_distance!r}")
    frame = pd.DataFrame(
        {
            "group": np.asarray(groups),
            "weight": np.asarray(weights, dtype=float),
            "within": np.asarray(distance, dtype=float) <= max_distance,
        }
    )
    frame["weight_within"] = frame["weight"].where(frame["within"], 0.0)
    out = frame.groupby("group", sort=True)[["weight", "weight_within"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(
            out["weight"] > 0, out["weight_within"] / out["weight"], np.nan
        )
    return out.reset_index()


def coverage(
    cell_x,
    cell_y,
    weights,
    groups,
    point_x,
    point_y,
    categories,
    max_distance: float,
) -> pd.DataFrame:
    """:func:`share_within` for every point category.

    Returns
    -------
    pandas.DataFrame
        Columns ``category, group, weight, weight_within, share`` (categories in
        order of first appearance, groups sorted).
    """
    cats = np.asarray(categories)
    px = np.asarray(point_x, float)
    py = np.asarray(point_y, float)
    parts = []
    for category in pd.unique(cats):
        keep = cats == category
        distance = nearest_distance(cell_x, cell_y, px[keep], py[keep])
        part = share_within(distance, weights, groups, max_distance)
        parts.append(part.assign(category=category))
    columns = ["category", "group", "weight", "weight_within", "share"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def points_per_area(
    lon, lat, categories, areas: gpd.GeoDataFrame, category_order=None
) -> pd.DataFrame:
    """Number of points of each category inside each area.

    Parameters
    ----------
    lon, lat, categories : array_like
        The points (EPSG:4326) and their category ids.
    areas : geopandas.GeoDataFrame
        Column ``area_id`` and polygons in EPSG:4326.
    category_order : sequence, optional
        Columns of the result (default: categories sorted); categories without
        a point get a column of zeros.

    Returns
    -------
    pandas.DataFrame
        Index ``area_id`` (in the order of ``areas``), one integer column per
        category. A point on the border of two areas counts in the first.
    """
    points = gpd.GeoDataFrame(
        {"category": np.asarray(categories)},
        geometry=gpd.points_from_xy(lon, lat),
        crs="EPSG:4326",
    )
    polygons = areas[["area_id", "geometry"]].reset_index(drop=True)
    polygons = polygons.set_crs(4326) if polygons.crs is None else polygons
    polygons = polygons.to_crs("EPSG:4326")
    joined = gpd.sjoin(points, polygons, predicate="intersects", how="inner")
    joined = joined.sort_values("index_right", kind="stable")
    joined = joined[~joined.index.duplicated(keep="first")]
    order = list(category_order) if category_order is not None else None
    table = pd.crosstab(joined["area_id"], joined["category"])
    columns = order or sorted(set(np.asarray(categories)))
    table = table.reindex(index=polygons["area_id"], columns=columns, fill_value=0)
    table.columns.name = None
    return table.astype(int)
