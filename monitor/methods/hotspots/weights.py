"""Spatial weights: which units count as neighbours.

The weight schemes are registered in :data:`WEIGHTS`; :func:`weights_for` looks the
scheme up and calls its builder, as mapclassify's ``classify`` dispatches on its
classifier registry. The ids are stable: they appear in links (query key
``gewichtung``) and must not change.

==============  ==========================================  ======================
id              neighbours                                  implementation
==============  ==========================================  ======================
``queen``       polygons sharing an edge or a vertex        ``libpysal Queen``
``rook``        polygons sharing an edge                    ``libpysal Rook``
``knn``         the k nearest centroids                     ``libpysal KNN``
``distance``    centroids within a fixed distance band      ``libpysal DistanceBand``
==============  ==========================================  ======================

libpysal is imported where weights are built, so that importing this module for
the registry (the ids in links) stays cheap. All weights are binary. Statistics
that need row standardisation (Moran) standardise their own copy; Gi* uses the
binary weights plus the unit itself.

On a regular grid (every unit a square cell of the same size) only the distance
band of :data:`GRID_BAND_CELLS` cell widths is offered (:func:`weight_options`):
suppressed cells leave gaps, and k nearest neighbours or the smallest band that
reaches every cell would then join cells kilometres apart (demo raster: median
distance to the 8th published neighbour 559 m, maximum 2.3 km). With a fixed
band a cell without a published cell nearby is an island and is left out.

References
----------
.. [1] Anselin, L. (1988). Spatial Econometrics: Methods and Models, ch. 3
   (contiguity and distance-based weights). Kluwer, Dordrecht.
.. [2] Rey, S. J., Arribas-Bel, D. & Wolf, L. J. (2023). Geographic Data
   Science with Python, ch. 4 "Spatial Weights". CRC Press (pysal/libpysal).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from libpysal.weights import W

__all__ = [
    "BAND_TOLERANCE",
    "DEFAULT_K",
    "GRID_BAND_CELLS",
    "PROJECTED_CRS",
    "WEIGHTS",
    "WeightScheme",
    "WeightsInfo",
    "area_ids",
    "grid_cell_size",
    "subset",
    "weight_options",
    "weights_for",
]

PROJECTED_CRS = "EPSG:25832"
"""ETRS89 / UTM 32N, an official CRS of the Länder: distances in metres."""

DEFAULT_K = 8
"""Neighbours of the ``knn`` scheme."""

GRID_BAND_CELLS = 2
"""Distance band on a grid, in cell widths (250 m cells: 500 m, 12 neighbours)."""

BAND_TOLERANCE = 1e-3
"""Relative slack on a given band, for coordinates rounded in storage (a 500 m
band joins centroids up to 500.5 m apart)."""


@dataclass(frozen=True)
class WeightsInfo:
    """Description of a spatial weights matrix for the UI ("Methodik").

    Attributes
    ----------
    scheme : str
        One of ``WEIGHTS``.
    n : int
        Number of units.
    mean_neighbours, min_neighbours, max_neighbours : float, int, int
        Neighbour counts (islands count as 0).
    n_islands : int
        Units without any neighbour.
    islands : tuple
        Their ids.
    n_components : int
        Number of connected components of the neighbour graph.
    k : int or None
        Number of neighbours (``knn`` only).
    band : float or None
        Distance band in metres (``distance`` only).
    """

    scheme: str
    n: int
    mean_neighbours: float
    min_neighbours: int
    max_neighbours: int
    n_islands: int
    islands: tuple = ()
    n_components: int = 1
    k: int | None = None
    band: float | None = None


# A builder gets the units, their ids, k and band and returns the weights with
# the k and band it used (None where they do not apply).
Builder = Callable[
    [gpd.GeoDataFrame, list, int, float | None], "tuple[W, int | None, float | None]"
]


@dataclass(frozen=True)
class WeightScheme:
    """Entry of the weights registry.

    Attributes
    ----------
    id : str
        Stable id used in links (``gewichtung=<id>``).
    build : callable
        ``build(gdf, ids, k, band) -> (w, k_used, band_used)``.
    distance_based : bool
        Whether the scheme measures distances between centroids (and so needs a
        projected CRS).
    """

    id: str
    build: Builder
    distance_based: bool


def area_ids(gdf: pd.DataFrame, id_col: str | None = "area_id") -> list:
    """Unique ids from ``id_col`` if present, else from the index."""
    ids = gdf[id_col] if id_col is not None and id_col in gdf.columns else gdf.index
    ids = list(ids)
    if len(set(ids)) != len(ids):
        raise ValueError("area ids must be unique")
    return ids


def _centroids(gdf: gpd.GeoDataFrame) -> np.ndarray:
    if gdf.crs is None:
        raise ValueError(
            "the GeoDataFrame has no CRS; distance-based weights need one "
            f"(expected {PROJECTED_CRS})"
        )
    if gdf.crs.is_geographic:
        gdf = gdf.to_crs(PROJECTED_CRS)
    pts = gdf.geometry.centroid
    return np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])


def _relabel(w: W, ids: Sequence) -> W:
    """Weights built on positions 0..n-1 relabelled with the area ids.

    (libpysal turns ids into numpy scalars when it builds KNN/distance weights.)
    """
    from libpysal.weights import W

    neighbours = {ids[i]: [ids[j] for j in w.neighbors[i]] for i in range(w.n)}
    weights = {ids[i]: list(w.weights[i]) for i in range(w.n)}
    return W(neighbours, weights, id_order=list(ids), silence_warnings=True)


def subset(w: W, ids: Sequence) -> W:
    """Weights restricted to ``ids`` (kept in that order, weights kept)."""
    from libpysal.weights import W

    keep = set(ids)
    neighbours, weights = {}, {}
    for i in ids:
        pairs = [
            (j, wij)
            for j, wij in zip(w.neighbors[i], w.weights[i], strict=True)
            if j in keep
        ]
        neighbours[i] = [j for j, _ in pairs]
        weights[i] = [wij for _, wij in pairs]
    return W(neighbours, weights, id_order=list(ids), silence_warnings=True)


def _contiguity(name: str) -> Builder:
    def build(gdf, ids, k, band):
        del k, band  # contiguity has neither
        from libpysal import weights

        frame = gpd.GeoDataFrame(geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        w = getattr(weights, name).from_dataframe(frame, ids=ids, silence_warnings=True)
        return w, None, None

    return build


def _knn(gdf, ids, k, band):
    del band
    if not isinstance(k, int | np.integer) or k < 1:
        raise ValueError("k must be a positive integer")
    if k >= len(ids):
        raise ValueError(f"k={k} needs more than {k} units, got {len(ids)}")
    from libpysal.weights import KNN

    return _relabel(KNN(_centroids(gdf), k=int(k)), ids), int(k), None


def _distance_band(gdf, ids, k, band):
    del k
    from libpysal.weights import DistanceBand
    from libpysal.weights.util import min_threshold_distance

    pts = _centroids(gdf)
    if band is None:
        band = float(min_threshold_distance(pts)) if len(ids) > 1 else 0.0
        band *= 1.0 + 1e-9  # the farthest nearest neighbour is inside
        threshold = band
    else:
        threshold = band * (1.0 + BAND_TOLERANCE)
    if not band > 0:
        raise ValueError("band must be a positive distance in metres")
    w = DistanceBand(
        pts, threshold=float(threshold), binary=True, silence_warnings=True
    )
    return _relabel(w, ids), None, float(band)


WEIGHTS: Mapping[str, WeightScheme] = MappingProxyType(
    {
        s.id: s
        for s in (
            WeightScheme("queen", _contiguity("Queen"), distance_based=False),
            WeightScheme("rook", _contiguity("Rook"), distance_based=False),
            WeightScheme("knn", _knn, distance_based=True),
            WeightScheme("distance", _distance_band, distance_based=True),
        )
    }
)
"""Registry of weight schemes, keyed by their stable id."""


def _describe(w: W, scheme: str, k: int | None, band: float | None) -> WeightsInfo:
    card = np.array([w.cardinalities[i] for i in w.id_order], dtype=int)
    islands = tuple(i for i, c in zip(w.id_order, card, strict=True) if c == 0)
    return WeightsInfo(
        scheme=scheme,
        n=int(w.n),
        mean_neighbours=float(card.mean()) if card.size else 0.0,
        min_neighbours=int(card.min()) if card.size else 0,
        max_neighbours=int(card.max()) if card.size else 0,
        n_islands=len(islands),
        islands=islands,
        n_components=int(w.n_components),
        k=k,
        band=band,
    )


def weights_for(
    gdf: gpd.GeoDataFrame,
    scheme: str,
    k: int = DEFAULT_K,
    band: float | None = None,
    *,
    id_col: str | None = "area_id",
) -> tuple[W, WeightsInfo]:
    """Build binary spatial weights for the units of one level.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per unit. Ids come from ``id_col`` if present, else the index.
    scheme : {"queen", "rook", "knn", "distance"}
        Id from :data:`WEIGHTS`: queen/rook contiguity for polygons (shared
        vertex / shared edge); k nearest neighbours or a fixed distance band
        between centroids for grids and points.
    k : int
        Number of neighbours for ``knn``.
    band : float, optional
        Distance band in metres for ``distance`` (plus ``BAND_TOLERANCE``). By
        default the smallest band that gives every unit at least one neighbour
        (the largest nearest-neighbour distance).
    id_col : str, optional
        Column holding the area ids.

    Returns
    -------
    w : libpysal.weights.W
        Binary weights (``transform == "B"``), ``id_order`` equal to the row
        order of ``gdf``.
    info : WeightsInfo
        Neighbour counts, islands and connected components.

    Notes
    -----
    Distance-based schemes need a projected CRS; geographic coordinates are
    reprojected to EPSG:25832 first. Islands (units without neighbours) are
    reported in ``info``, never an error: the local statistics leave them out of
    the test.
    """
    if scheme not in WEIGHTS:
        raise ValueError(f"scheme must be one of {tuple(WEIGHTS)}, got {scheme!r}")
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise ValueError("gdf must be a GeoDataFrame")
    if len(gdf) == 0:
        raise ValueError("gdf has no rows")
    geom = gdf.geometry
    if geom.isna().any() or geom.is_empty.any():
        raise ValueError("every unit needs a non-empty geometry")
    ids = area_ids(gdf, id_col)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w, used_k, used_band = WEIGHTS[scheme].build(gdf, ids, k, band)
    if list(w.id_order) != ids:
        w = subset(w, ids)
    w.transform = "B"
    return w, _describe(w, scheme, used_k, used_band)


def grid_cell_size(gdf: gpd.GeoDataFrame) -> float | None:
    """Side in metres when every unit is a square cell of one size, else None.

    Cells may deviate by 1 % (coordinates stored in EPSG:4326 and projected
    back); the test runs in :data:`PROJECTED_CRS`.
    """
    if not isinstance(gdf, gpd.GeoDataFrame) or len(gdf) == 0 or gdf.crs is None:
        return None
    geom = gdf.geometry.to_crs(PROJECTED_CRS) if gdf.crs.is_geographic else gdf.geometry
    bounds = geom.bounds
    width = (bounds.maxx - bounds.minx).to_numpy()
    height = (bounds.maxy - bounds.miny).to_numpy()
    side = float(np.median(width))
    if not side > 0:
        return None
    square = (np.abs(width - side) <= 0.01 * side) & (
        np.abs(height - side) <= 0.01 * side
    )
    filled = np.abs(geom.area.to_numpy() - width * height) <= 0.01 * width * height
    return side if bool((square & filled).all()) else None


def weight_options(gdf: gpd.GeoDataFrame) -> dict[str, float | None]:
    """Weight schemes offered for the units of a level, with their band.

    Returns
    -------
    dict
        Scheme id -> band in metres (None: the scheme's default). A grid gets
        only ``{"distance": GRID_BAND_CELLS * cell side}`` (rounded to metres);
        other units get every scheme of :data:`WEIGHTS`.
    """
    side = grid_cell_size(gdf)
    if side is None:
        return dict.fromkeys(WEIGHTS)
    return {"distance": float(round(GRID_BAND_CELLS * side))}
