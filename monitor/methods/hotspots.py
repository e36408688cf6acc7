"""
Hot and cold spots: spatial weights, rate smoothing, Getis-Ord Gi*, local and
global Moran's I, false-discovery-rate control and emerging-hotspot categories.

Pure functions on numpy/pandas/geopandas (no Streamlit, no I/O). The spatial
statistics are computed by PySAL ``esda``; this module chooses the weights,
prepares the values, handles islands, missing and suppressed units, applies the
Benjamini-Hochberg correction and turns results into labels that the UI
translates.

References
----------
.. [1] Getis, A. & Ord, J. K. (1992). The analysis of spatial association by
   use of distance statistics. Geographical Analysis 24(3), 189-206.
.. [2] Ord, J. K. & Getis, A. (1995). Local spatial autocorrelation statistics:
   distributional issues and an application. Geographical Analysis 27(4),
   286-306.
.. [3] Anselin, L. (1995). Local indicators of spatial association - LISA.
   Geographical Analysis 27(2), 93-115.
.. [4] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
   rate. Journal of the Royal Statistical Society B 57(1), 289-300.
.. [5] Marshall, R. J. (1991). Mapping disease and mortality rates using
   empirical Bayes estimators. Applied Statistics 40(2), 283-294.
.. [6] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro documentation,
   https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm
"""

from __future__ import annotations

import copy
import math
import threading
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
from libpysal.weights import KNN, DistanceBand, Queen, Rook, W
from libpysal.weights.util import min_threshold_distance
from scipy import stats

__all__ = [
    "CONFIDENCE_LEVELS",
    "EHSA_ALPHA",
    "EMERGING_CATEGORIES",
    "EXCLUSION_REASONS",
    "GSTAR_CLASSES",
    "INSUFFICIENT_DATA",
    "LISA_CLASSES",
    "MIN_MEAN_NEIGHBOURS",
    "MIN_UNITS",
    "PERMUTATIONS",
    "REASONS",
    "SCHEMES",
    "SEED",
    "GlobalMoranResult",
    "HotspotResult",
    "MannKendallResult",
    "WeightsInfo",
    "benjamini_hochberg",
    "bh_adjust",
    "check_testable",
    "emerging_hotspot_category",
    "emerging_hotspots",
    "empirical_bayes_rates",
    "global_moran",
    "gstar_classes",
    "gstar_panel",
    "hotspot_analysis",
    "lisa_classes",
    "local_gstar",
    "local_moran",
    "mann_kendall",
    "weights_for",
]

PERMUTATIONS = 999
SEED = 12345
MIN_UNITS = 30
MIN_MEAN_NEIGHBOURS = 2.0
PROJECTED_CRS = "EPSG:25832"
SCHEMES = ("queen", "rook", "knn", "distance")
CONFIDENCE_LEVELS = (0.90, 0.95, 0.99)
GSTAR_CLASSES = (
    "hot_99",
    "hot_95",
    "hot_90",
    "not_significant",
    "cold_90",
    "cold_95",
    "cold_99",
)
LISA_CLASSES = ("HH", "LL", "HL", "LH", "not_significant")
# Reason codes for "not testable" (the UI translates them).
REASONS = ("too_few_units", "too_few_neighbours", "no_variation")
# Exclusion codes for single units.
EXCLUSION_REASONS = (
    "suppressed",
    "missing",
    "invalid_denominator",
    "no_geometry",
)
# Significance level of a hot/cold bin and of the trend in emerging-hotspot
# analysis: Esri's bins count as significant from 90 % confidence on.
EHSA_ALPHA = 0.10
EMERGING_CATEGORIES = (
    "new_hot",
    "consecutive_hot",
    "intensifying_hot",
    "persistent_hot",
    "diminishing_hot",
    "sporadic_hot",
    "oscillating_hot",
    "historical_hot",
    "new_cold",
    "consecutive_cold",
    "intensifying_cold",
    "persistent_cold",
    "diminishing_cold",
    "sporadic_cold",
    "oscillating_cold",
    "historical_cold",
    "no_pattern",
)
INSUFFICIENT_DATA = "insufficient_data"

_QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}  # esda's PySAL scheme
# esda's conditional randomisation seeds numpy's global generator and esda
# mutates the weights it is given; serialise the calls (Streamlit runs sessions
# in threads) so that a seed always gives the same result, and restore the
# global generator afterwards so that callers see no side effect.
_ESDA_LOCK = threading.Lock()


@contextmanager
def _esda_call():
    with _ESDA_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state = np.random.get_state()
        try:
            yield
        finally:
            np.random.set_state(state)


# ---------------------------------------------------------------------------
# Spatial weights
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightsInfo:
    """Description of a spatial weights matrix for the UI ("Methodik").

    Attributes
    ----------
    scheme : str
        One of ``SCHEMES``.
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


def _ids(gdf: pd.DataFrame, id_col: str | None = "area_id") -> list:
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
    k: int = 8,
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
        Queen/rook contiguity for polygons (shared vertex / shared edge);
        k nearest neighbours or a fixed distance band between centroids for
        grids and points.
    k : int
        Number of neighbours for ``knn``.
    band : float, optional
        Distance band in metres for ``distance``. By default the smallest band
        that gives every unit at least one neighbour (the largest
        nearest-neighbour distance).
    id_col : str, optional
        Column holding the area ids.

    Returns
    -------
    w : libpysal.weights.W
        Binary weights (``transform == "B"``), ``id_order`` equal to the row
        order of ``gdf``. Statistics that need row standardisation (Moran)
        standardise their own copy; Gi* uses the binary weights plus the unit
        itself.
    info : WeightsInfo
        Neighbour counts, islands and connected components.

    Notes
    -----
    Distance-based schemes need a projected CRS; geographic coordinates are
    reprojected to EPSG:25832 (ETRS89 / UTM 32N, the Saarland's official CRS)
    first. Islands (units without neighbours) are reported in ``info``, never
    an error: the local statistics leave them out of the test.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise ValueError("gdf must be a GeoDataFrame")
    if len(gdf) == 0:
        raise ValueError("gdf has no rows")
    geom = gdf.geometry
    if geom.isna().any() or geom.is_empty.any():
        raise ValueError("every unit needs a non-empty geometry")
    ids = _ids(gdf, id_col)
    used_k: int | None = None
    used_band: float | None = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if scheme in ("queen", "rook"):
            cls = Queen if scheme == "queen" else Rook
            frame = gpd.GeoDataFrame(geometry=geom.to_numpy(), crs=gdf.crs)
            w = cls.from_dataframe(frame, ids=ids, silence_warnings=True)
        elif scheme == "knn":
            if not isinstance(k, int | np.integer) or k < 1:
                raise ValueError("k must be a positive integer")
            if k >= len(ids):
                raise ValueError(f"k={k} needs more than {k} units, got {len(ids)}")
            w = _relabel(KNN(_centroids(gdf), k=int(k)), ids)
            used_k = int(k)
        else:
            pts = _centroids(gdf)
            if band is None:
                band = float(min_threshold_distance(pts)) if len(ids) > 1 else 0.0
                band *= 1.0 + 1e-9  # the farthest nearest neighbour is inside
            if not band > 0:
                raise ValueError("band must be a positive distance in metres")
            w = DistanceBand(
                pts, threshold=float(band), binary=True, silence_warnings=True
            )
            w = _relabel(w, ids)
            used_band = float(band)
    if list(w.id_order) != ids:
        w = _subset(w, ids)
    w.transform = "B"
    return w, _describe(w, scheme, used_k, used_band)


def _relabel(w: W, ids: Sequence) -> W:
    """Weights built on positions 0..n-1 relabelled with the area ids.

    (libpysal turns ids into numpy scalars when it builds KNN/distance weights.)
    """
    neighbours = {ids[i]: [ids[j] for j in w.neighbors[i]] for i in range(w.n)}
    weights = {ids[i]: list(w.weights[i]) for i in range(w.n)}
    return W(neighbours, weights, id_order=list(ids), silence_warnings=True)


def _subset(w: W, ids: Sequence) -> W:
    """Weights restricted to ``ids`` (kept in that order, weights kept)."""
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


def _binary_copy(w: W) -> W:
    w = copy.deepcopy(w)
    w.transform = "B"
    return w


def _aligned(values: Any, w: W) -> np.ndarray:
    """Values as a float array in ``w.id_order`` (a Series is aligned by index)."""
    if isinstance(values, pd.Series):
        missing = set(w.id_order) - set(values.index)
        if missing:
            raise ValueError(f"values lack ids of the weights: {sorted(missing)[:5]}")
        y = values.reindex(w.id_order).to_numpy(dtype=float)
    else:
        y = np.asarray(values, dtype=float).ravel()
    if y.shape[0] != w.n:
        raise ValueError(f"{y.shape[0]} values for {w.n} units of the weights")
    if not np.isfinite(y).all():
        raise ValueError("values must be finite; drop missing units first")
    return y


def _split_islands(y: np.ndarray, w: W) -> tuple[np.ndarray, W, np.ndarray]:
    """Values and weights without islands, and the boolean mask of non-islands."""
    mask = np.array([w.cardinalities[i] > 0 for i in w.id_order], dtype=bool)
    if mask.all():
        return y, _binary_copy(w), mask
    ids = [i for i, m in zip(w.id_order, mask, strict=True) if m]
    sub = _subset(w, ids)
    sub.transform = "B"
    return y[mask], sub, mask


def _check_testable_values(y: np.ndarray) -> None:
    if y.size < 3:
        raise ValueError("at least 3 units with neighbours are needed")
    if np.ptp(y) == 0:
        raise ValueError("values have no variation")


def _seed(seed: int | None) -> int:
    if seed is None:
        return int(np.random.default_rng().integers(0, 2**31 - 1))
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError("seed must be a non-negative integer or None")
    return int(seed)


def _check_permutations(permutations: int) -> int:
    if not isinstance(permutations, int | np.integer) or permutations < 0:
        raise ValueError("permutations must be a non-negative integer")
    return int(permutations)


# ---------------------------------------------------------------------------
# Rate smoothing
# ---------------------------------------------------------------------------


def empirical_bayes_rates(numerator: Any, denominator: Any) -> np.ndarray:
    """Global (aspatial) empirical-Bayes smoothed rates.

    Small denominators give unstable rates whose extremes would dominate a hot
    spot map; empirical-Bayes shrinks each raw rate towards the overall rate,
    the more the smaller its denominator.

    Parameters
    ----------
    numerator : array-like
        Event counts (e.g. persons in SGB II), >= 0.
    denominator : array-like
        Population at risk, > 0.

    Returns
    -------
    numpy.ndarray
        Smoothed rates, same unit as ``numerator / denominator`` (the raw rate
        is simply ``numerator / denominator``).

    Notes
    -----
    Marshall's (1991) method-of-moments estimator, as in GeoDa and PySAL
    ``esda.smoothing.Empirical_Bayes``: with overall rate
    :math:`b = \\sum O_i / \\sum P_i`, raw rates :math:`r_i = O_i/P_i`,
    :math:`s^2 = \\sum P_i (r_i - b)^2 / \\sum P_i` and
    :math:`a = s^2 - b / \\bar P`, the shrinkage weight is
    :math:`w_i = a / (a + b / P_i)` and the smoothed rate
    :math:`w_i r_i + (1 - w_i) b`. When the moment estimate ``a`` is negative
    (less variation than Poisson noise alone explains) it is set to 0, so all
    rates shrink to ``b`` (Anselin, Lozano & Koschinsky 2006); esda leaves the
    negative value in, which can give weights outside [0, 1].

    References
    ----------
    .. [1] Marshall, R. J. (1991). Mapping disease and mortality rates using
       empirical Bayes estimators. Applied Statistics 40(2), 283-294.
    .. [2] Anselin, L., Lozano, N. & Koschinsky, J. (2006). Rate
       transformations and smoothing. GeoDa Center, University of Illinois.
    """
    o = np.asarray(numerator, dtype=float).ravel()
    p = np.asarray(denominator, dtype=float).ravel()
    if o.shape != p.shape:
        raise ValueError("numerator and denominator differ in length")
    if o.size == 0:
        raise ValueError("no units")
    if not (np.isfinite(o).all() and np.isfinite(p).all()):
        raise ValueError("counts must be finite; drop missing units first")
    if (p <= 0).any():
        raise ValueError("denominators must be positive")
    if (o < 0).any():
        raise ValueError("numerators must be non-negative")
    rate = o / p
    b = o.sum() / p.sum()
    s2 = (p * (rate - b) ** 2).sum() / p.sum()
    a = max(s2 - b / p.mean(), 0.0)
    if a == 0.0:
        return np.full_like(rate, b)
    weight = a / (a + b / p)
    return weight * rate + (1.0 - weight) * b


# ---------------------------------------------------------------------------
# Local and global statistics
# ---------------------------------------------------------------------------


def local_gstar(
    values: Any,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
) -> pd.DataFrame:
    """Getis-Ord Gi* per unit (hot spots: high values surrounded by high).

    Parameters
    ----------
    values : array-like or pandas.Series
        One finite value per unit of ``w`` (a Series is aligned on its index).
    w : libpysal.weights.W
        Spatial weights; used as binary weights plus a self-weight of 1.
    permutations : int
        Conditional permutations for the pseudo p-value (0: none).
    seed : int or None
        Seed of the permutations (same seed, same p-values).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``w.id_order``: ``z`` (Gi* z-score), ``p_sim`` (folded
        permutation pseudo p-value, as esda), ``p_norm`` (analytic normal
        p-value, as esda) and ``island``. Islands get NaN: a unit without
        neighbours has no local neighbourhood to test.

    Notes
    -----
    Computed with ``esda.G_Local(star=True, transform="B")``:

    .. math:: G_i^* = \\frac{\\sum_j w_{ij} x_j - \\bar x \\sum_j w_{ij}}
              {S \\sqrt{[n \\sum_j w_{ij}^2 - (\\sum_j w_{ij})^2]/(n-1)}}

    with :math:`w_{ii} = 1` and :math:`S` the population standard deviation.
    Both p-values are one-tailed in the direction of the observed deviation
    (esda/GeoDa convention: ``p_sim = (min(M, R - M) + 1) / (R + 1)`` with M
    the permutations at least as large as observed); double them for a
    two-sided test. Gi* is invariant to adding a constant to all values, so
    values that are not all positive are shifted before esda divides by their
    sum. Islands are removed before the computation, so they affect neither
    mean nor variance.

    References
    ----------
    .. [1] Getis, A. & Ord, J. K. (1992). Geographical Analysis 24(3), 189-206.
    .. [2] Ord, J. K. & Getis, A. (1995). Geographical Analysis 27(4), 286-306.
    """
    permutations = _check_permutations(permutations)
    y = _aligned(values, w)
    y_sub, w_sub, mask = _split_islands(y, w)
    _check_testable_values(y_sub)
    if y_sub.min() <= 0:
        y_sub = y_sub - y_sub.min() + np.ptp(y_sub)
    with _esda_call():
        g = esda.G_Local(
            y_sub,
            w_sub,
            transform="B",
            permutations=permutations,
            star=True,
            keep_simulations=False,
            n_jobs=1,
            seed=_seed(seed),
        )
    out = pd.DataFrame(
        {"z": np.nan, "p_sim": np.nan, "p_norm": np.nan, "island": ~mask},
        index=pd.Index(w.id_order, name="area_id"),
    )
    out.loc[mask, "z"] = g.Zs
    out.loc[mask, "p_norm"] = g.p_norm
    if permutations:
        out.loc[mask, "p_sim"] = g.p_sim
    return out


def local_moran(
    values: Any,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
) -> pd.DataFrame:
    """Local Moran's I (LISA) per unit: clusters (HH, LL) and outliers (HL, LH).

    Parameters
    ----------
    values : array-like or pandas.Series
        One finite value per unit of ``w``.
    w : libpysal.weights.W
        Spatial weights; row-standardised on a copy.
    permutations : int
        Conditional permutations for the pseudo p-value (0: none).
    seed : int or None
        Seed of the permutations.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``w.id_order``: ``Ii`` (local Moran), ``quadrant`` ("HH",
        "LH", "LL", "HL": own value vs. the mean of the neighbours, both
        standardised), ``p_sim`` (folded pseudo p-value, as esda), ``z_value``
        and ``lag`` (standardised value and its spatial lag, the axes of the
        Moran scatter plot) and ``island``. Islands get NaN / None.

    Notes
    -----
    ``esda.Moran_Local(transformation="r")``:
    :math:`I_i = (n-1) z_i \\sum_j w_{ij} z_j / \\sum_k z_k^2` with
    :math:`z` the deviations from the mean. ``p_sim`` is one-tailed in the
    direction of the observed value, as in esda/GeoDa.

    References
    ----------
    .. [1] Anselin, L. (1995). Local indicators of spatial association - LISA.
       Geographical Analysis 27(2), 93-115.
    """
    permutations = _check_permutations(permutations)
    y = _aligned(values, w)
    y_sub, w_sub, mask = _split_islands(y, w)
    _check_testable_values(y_sub)
    with _esda_call():
        lm = esda.Moran_Local(
            y_sub,
            w_sub,
            transformation="r",
            permutations=permutations,
            keep_simulations=True,
            n_jobs=1,
            seed=_seed(seed),
        )
        lag = np.asarray(lm.w.sparse @ lm.z).ravel()
    out = pd.DataFrame(
        {
            "Ii": np.nan,
            "quadrant": pd.Series([None] * w.n, dtype=object).to_numpy(),
            "p_sim": np.nan,
            "z_value": np.nan,
            "lag": np.nan,
            "island": ~mask,
        },
        index=pd.Index(w.id_order, name="area_id"),
    )
    out.loc[mask, "Ii"] = lm.Is
    out.loc[mask, "quadrant"] = [_QUADRANTS[int(q)] for q in lm.q]
    out.loc[mask, "z_value"] = lm.z
    out.loc[mask, "lag"] = lag
    if permutations:
        out.loc[mask, "p_sim"] = lm.p_sim
    return out


@dataclass(frozen=True)
class GlobalMoranResult:
    """Global Moran's I with analytic and permutation inference.

    ``p_norm`` is two-sided (normality assumption, esda default); ``p_sim`` is
    the folded one-tailed permutation pseudo p-value (esda convention).
    """

    I: float  # noqa: E741 - the statistic's conventional name
    expected_I: float  # noqa: N815
    z_norm: float
    p_norm: float
    p_sim: float
    z_sim: float
    permutations: int
    n: int
    n_islands: int = 0


def global_moran(
    values: Any,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
) -> GlobalMoranResult:
    """Global Moran's I: is the indicator spatially clustered overall?

    Parameters
    ----------
    values : array-like or pandas.Series
        One finite value per unit of ``w``.
    w : libpysal.weights.W
        Spatial weights; row-standardised on a copy.
    permutations : int
        Random permutations for ``p_sim`` (0: none, ``p_sim`` is NaN).
    seed : int or None
        Seed of the permutations.

    Returns
    -------
    GlobalMoranResult

    Notes
    -----
    I, E[I] = -1/(n-1), z and p under normality come from ``esda.Moran``
    (row-standardised weights). The permutations are drawn here from a private
    ``numpy.random.RandomState(seed)`` in the same order as esda draws them
    from the global generator, so ``np.random.seed(seed)`` followed by
    ``esda.Moran`` gives the same ``p_sim`` without touching global state.
    Islands are left out.

    References
    ----------
    .. [1] Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
       Biometrika 37, 17-23.
    .. [2] Cliff, A. D. & Ord, J. K. (1981). Spatial Processes. Pion, London.
    """
    permutations = _check_permutations(permutations)
    y = _aligned(values, w)
    y_sub, w_sub, mask = _split_islands(y, w)
    _check_testable_values(y_sub)
    with _esda_call():
        mi = esda.Moran(y_sub, w_sub, transformation="r", permutations=0)
    p_sim = z_sim = float("nan")
    if permutations:
        z = y_sub - y_sub.mean()
        rs = np.random.RandomState(_seed(seed))
        perm = np.stack([rs.permutation(z) for _ in range(permutations)])
        lag = np.asarray(mi.w.sparse @ perm.T)  # n x permutations
        sim = mi.n / mi.w.s0 * (perm.T * lag).sum(axis=0) / mi.z2ss
        larger = int((sim >= mi.I).sum())
        larger = min(larger, permutations - larger)
        p_sim = (larger + 1.0) / (permutations + 1.0)
        sd = sim.std()
        z_sim = float((mi.I - sim.mean()) / sd) if sd > 0 else float("nan")
    return GlobalMoranResult(
        I=float(mi.I),
        expected_I=float(mi.EI),
        z_norm=float(mi.z_norm),
        p_norm=float(mi.p_norm),
        p_sim=float(p_sim),
        z_sim=z_sim,
        permutations=permutations,
        n=int(y_sub.size),
        n_islands=int((~mask).sum()),
    )


# ---------------------------------------------------------------------------
# Multiple testing and classes
# ---------------------------------------------------------------------------


def _p_array(p_values: Any) -> np.ndarray:
    p = np.asarray(p_values, dtype=float).ravel()
    finite = p[np.isfinite(p)]
    if ((finite < 0) | (finite > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    return p


def _check_alpha(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    return float(alpha)


def bh_adjust(p_values: Any) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (step-up, monotone).

    Parameters
    ----------
    p_values : array-like
        Raw p-values; NaN marks "not tested" and stays NaN (it does not count
        in the number of tests m).

    Returns
    -------
    numpy.ndarray
        :math:`q_{(i)} = \\min_{j \\ge i} \\min(1, m p_{(j)} / j)` in the input
        order; ``q <= alpha`` is exactly the BH rejection at level alpha.

    References
    ----------
    .. [1] Benjamini, Y. & Hochberg, Y. (1995). JRSS B 57(1), 289-300.
    """
    p = _p_array(p_values)
    out = np.full(p.shape, np.nan)
    idx = np.flatnonzero(np.isfinite(p))
    m = idx.size
    if m == 0:
        return out
    order = idx[np.argsort(p[idx], kind="stable")]
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out[order] = np.minimum(q, 1.0)
    return out


def benjamini_hochberg(p_values: Any, alpha: float = 0.05) -> np.ndarray:
    """Rejections of the Benjamini-Hochberg false-discovery-rate procedure.

    With n areas tested at 5 %, about 5 % of them are flagged by chance; BH
    keeps the expected share of false flags among all flags at ``alpha``.

    Parameters
    ----------
    p_values : array-like
        Raw p-values (NaN: not tested, never rejected, not counted in m).
    alpha : float
        False discovery rate.

    Returns
    -------
    numpy.ndarray of bool
        True where the hypothesis is rejected: all :math:`p_{(i)}` with
        :math:`i \\le k`, k the largest rank with
        :math:`p_{(k)} \\le k \\alpha / m` (step-up).

    References
    ----------
    .. [1] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
       rate: a practical and powerful approach to multiple testing. JRSS B
       57(1), 289-300.
    """
    alpha = _check_alpha(alpha)
    q = bh_adjust(p_values)
    with np.errstate(invalid="ignore"):
        return np.isfinite(q) & (q <= alpha)


def _significant(p: np.ndarray, alpha: float, fdr: bool) -> np.ndarray:
    if fdr:
        return benjamini_hochberg(p, alpha)
    with np.errstate(invalid="ignore"):
        return np.isfinite(p) & (p <= alpha)


def gstar_classes(
    z: Any,
    p: Any,
    fdr: bool = True,
    levels: Sequence[float] = CONFIDENCE_LEVELS,
) -> np.ndarray:
    """Hot/cold spot labels at 90/95/99 % confidence from Gi* z and p.

    Parameters
    ----------
    z : array-like
        Gi* z-scores (sign gives hot or cold).
    p : array-like
        p-values (NaN: not tested, labelled "not_significant").
    fdr : bool
        If True a unit is significant at confidence c only if the
        Benjamini-Hochberg procedure at ``alpha = 1 - c`` rejects it.
    levels : sequence of float
        Confidence levels, by default (0.90, 0.95, 0.99).

    Returns
    -------
    numpy.ndarray of str
        "hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90" (the
        highest level reached) or "not_significant".
    """
    z = np.asarray(z, dtype=float).ravel()
    p = _p_array(p)
    if z.shape != p.shape:
        raise ValueError("z and p differ in length")
    labels = np.full(z.shape, "not_significant", dtype=object)
    for level in sorted(levels):  # ascending, so the highest level wins
        sig = _significant(p, _check_alpha(1.0 - level), fdr)
        tag = f"{round(level * 100):d}"
        labels[sig & (z > 0)] = f"hot_{tag}"
        labels[sig & (z < 0)] = f"cold_{tag}"
    return labels


def lisa_classes(
    quadrant: Any,
    p: Any,
    fdr: bool = True,
    alpha: float = 0.05,
) -> np.ndarray:
    """LISA cluster labels: quadrant where significant, else "not_significant".

    Parameters
    ----------
    quadrant : array-like of str
        "HH", "LL", "HL", "LH" (None for islands).
    p : array-like
        p-values (NaN: not tested).
    fdr : bool
        Benjamini-Hochberg at ``alpha`` instead of ``p <= alpha``.
    alpha : float
        Significance level / false discovery rate.

    Returns
    -------
    numpy.ndarray of str
        "HH" (hot spot), "LL" (cold spot), "HL", "LH" (outliers) or
        "not_significant".
    """
    q = np.asarray(quadrant, dtype=object).ravel()
    p = _p_array(p)
    if q.shape != p.shape:
        raise ValueError("quadrant and p differ in length")
    valid = np.array([x in ("HH", "LL", "HL", "LH") for x in q], dtype=bool)
    sig = _significant(np.where(valid, p, np.nan), _check_alpha(alpha), fdr)
    return np.where(sig, q, "not_significant").astype(object)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def check_testable(n_units: int, w_info: WeightsInfo | None) -> str | None:
    """Whether local hot spot statistics are meaningful for this set of units.

    Returns
    -------
    str or None
        None when testable; else a reason code from ``REASONS``:
        "too_few_units" (fewer than ``MIN_UNITS`` = 30 units with data and
        neighbours) or "too_few_neighbours" (mean neighbour count below 2).

    Notes
    -----
    With about 10 Stadtteile each unit has 2-4 neighbours and Gi*/LISA have
    next to no power; the statistics become usable from roughly 30 units
    (DOMAIN.md section 5.2).
    """
    if n_units < MIN_UNITS:
        return "too_few_units"
    if w_info is None or w_info.mean_neighbours < MIN_MEAN_NEIGHBOURS:
        return "too_few_neighbours"
    return None


@dataclass
class HotspotResult:
    """Result of :func:`hotspot_analysis`.

    Attributes
    ----------
    units : pandas.DataFrame
        Index ``area_id`` (units with data). Columns: ``value_raw`` (the
        indicator, or numerator/denominator scaled), ``value_smoothed``
        (empirical-Bayes, NaN without counts), ``value_used``
        (what was tested), ``n_neighbours``, ``island``, and, when testable,
        ``gi_z``, ``gi_p_sim``, ``gi_p_norm``, ``gi_p`` (p used for the
        classes), ``gi_class``, ``lisa_i``, ``lisa_quadrant``, ``lisa_p_sim``,
        ``lisa_p``, ``lisa_class``.
    global_moran : GlobalMoranResult or None
    weights : WeightsInfo or None
    excluded : pandas.Series
        Reason per excluded unit (index: area id; "suppressed", "missing",
        "invalid_denominator", "no_geometry").
    reason : str or None
        Why no statistics were computed (``REASONS``: "too_few_units",
        "too_few_neighbours", "no_variation"), None if they were.
    params : dict
        Settings used (scheme, permutations, seed, fdr, smoothing, sidedness).
    """

    units: pd.DataFrame
    global_moran: GlobalMoranResult | None
    weights: WeightsInfo | None
    excluded: pd.Series
    reason: str | None
    params: dict = field(default_factory=dict)

    @property
    def testable(self) -> bool:
        return self.reason is None


def _rate_scale(value: pd.Series, rate: pd.Series) -> float:
    """Power of ten that turns num/den into the unit of ``value`` (e.g. 100)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (value / rate).to_numpy(dtype=float)
    ratio = ratio[np.isfinite(ratio) & (ratio > 0)]
    if ratio.size == 0:
        return 1.0
    return float(10.0 ** round(math.log10(float(np.median(ratio)))))


def hotspot_analysis(
    gdf: gpd.GeoDataFrame,
    value_col: str | None,
    numerator_col: str | None = None,
    denominator_col: str | None = None,
    scheme: str = "queen",
    smooth: bool = True,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
    fdr: bool = True,
    *,
    k: int = 8,
    band: float | None = None,
    id_col: str | None = "area_id",
    status_col: str | None = "status",
    two_sided: bool = True,
    lisa_alpha: float = 0.05,
    rate_scale: float | None = None,
    gi_p_source: str = "sim",
) -> HotspotResult:
    """Hot spot analysis of one indicator, one year, one level.

    Steps: drop units with suppressed/missing values (listed in
    ``excluded``), smooth rates by empirical Bayes when counts are given,
    build weights on the remaining units, refuse when not testable
    (``reason``), else run Gi*, local Moran and global Moran and classify.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per unit; ids from ``id_col`` (else the index).
    value_col : str or None
        Indicator column; may be None when counts are given.
    numerator_col, denominator_col : str, optional
        Counts behind a rate; enable empirical-Bayes smoothing.
    scheme : {"queen", "rook", "knn", "distance"}
        Weights, see :func:`weights_for` (``k``, ``band``).
    smooth : bool
        Test the smoothed rate instead of the raw value (needs counts).
    permutations, seed : int
        Conditional permutations and their seed (0 permutations: analytic
        p-values are used for the classes).
    fdr : bool
        Benjamini-Hochberg correction for the classes.
    status_col : str, optional
        If present, rows with status "suppressed" or "missing" are excluded.
    two_sided : bool
        Classify with two-sided p-values (twice esda's one-tailed p, capped at
        1), so that "hot_95" means 95 % confidence as in ArcGIS' Gi*.
    lisa_alpha : float
        Level for the LISA classes.
    rate_scale : float, optional
        Factor from numerator/denominator to the unit of ``value_col``; by
        default the power of ten that matches the data (100 for percent).
    gi_p_source : {"sim", "norm"}
        p-value behind the Gi* classes: permutation ("sim", default) or the
        normal approximation ("norm", as ArcGIS' Hot Spot Analysis).

    Returns
    -------
    HotspotResult

    Notes
    -----
    Resolution of permutation p-values: with R permutations the smallest
    two-sided p is 2/(R+1) (0.002 for 999). Under the FDR correction at
    alpha = 0.01 a unit then needs rank k >= 0.002 m / 0.01, i.e. "hot_99"
    appears only when a fifth of all units share the smallest p. Use 9999
    permutations or ``gi_p_source="norm"`` when the 99 % class matters.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    if gi_p_source not in ("sim", "norm"):
        raise ValueError("gi_p_source must be 'sim' or 'norm'")
    permutations = _check_permutations(permutations)
    has_counts = numerator_col is not None or denominator_col is not None
    if has_counts and (numerator_col is None or denominator_col is None):
        raise ValueError("give both numerator_col and denominator_col, or neither")
    if value_col is None and not has_counts:
        raise ValueError("value_col is required when no counts are given")
    for col in (value_col, numerator_col, denominator_col):
        if col is not None and col not in gdf.columns:
            raise ValueError(f"column {col!r} not in the data")
    seed = _seed(seed)

    ids = _ids(gdf, id_col)
    index = pd.Index(ids, name="area_id")
    reason_of = pd.Series(None, index=index, dtype=object)

    def mark(mask: np.ndarray, code: str) -> None:
        reason_of[np.asarray(mask, dtype=bool) & reason_of.isna().to_numpy()] = code

    def column(col: str) -> pd.Series:
        numeric = pd.to_numeric(gdf[col], errors="coerce").astype("Float64")
        return pd.Series(numeric.to_numpy(dtype=float, na_value=np.nan), index=index)

    if status_col is not None and status_col in gdf.columns:
        status = gdf[status_col].astype(object).to_numpy()
        mark(status == "suppressed", "suppressed")
        mark(status == "missing", "missing")
    value = column(value_col) if value_col is not None else None
    if has_counts:
        num, den = column(numerator_col), column(denominator_col)
        mark(~(np.isfinite(num) & np.isfinite(den)).to_numpy(), "missing")
        mark(((den <= 0) | (num < 0)).to_numpy(), "invalid_denominator")
        rate = num / den
        if rate_scale is None:
            rate_scale = _rate_scale(value, rate) if value is not None else 1.0
        raw = rate * rate_scale
        if value is not None:
            raw = value.where(np.isfinite(value), raw)
    else:
        raw = value
        mark(~np.isfinite(raw.to_numpy()), "missing")
    geom = gdf.geometry
    mark((geom.isna() | geom.is_empty).to_numpy(), "no_geometry")

    keep = reason_of.isna().to_numpy()
    kept = index[keep]
    units = pd.DataFrame({"value_raw": raw[keep]}, index=kept)
    units["value_smoothed"] = np.nan
    if has_counts and keep.any():
        units["value_smoothed"] = (
            empirical_bayes_rates(num[keep], den[keep]) * rate_scale
        )
    use_smoothed = has_counts and smooth
    units["value_used"] = units["value_smoothed" if use_smoothed else "value_raw"]
    units["n_neighbours"] = np.nan
    units["island"] = False
    excluded = reason_of[~keep].rename("reason")
    params = {
        "scheme": scheme,
        "k": k if scheme == "knn" else None,
        "band": band,
        "permutations": permutations,
        "seed": seed,
        "fdr": fdr,
        "smoothed": use_smoothed,
        "rate_scale": rate_scale if has_counts else None,
        "two_sided": two_sided,
        "gi_p_source": gi_p_source if permutations else "norm",
        "confidence_levels": CONFIDENCE_LEVELS,
        "lisa_alpha": lisa_alpha,
    }

    def refuse(code: str, info: WeightsInfo | None) -> HotspotResult:
        return HotspotResult(units, None, info, excluded, code, params)

    if len(kept) < MIN_UNITS:
        return refuse("too_few_units", None)
    y = units["value_used"]
    if np.ptp(y.to_numpy()) == 0:
        return refuse("no_variation", None)

    sub = gdf.loc[keep]
    sub = gpd.GeoDataFrame(
        {"area_id": list(kept)}, geometry=sub.geometry.to_numpy(), crs=gdf.crs
    )
    w, info = weights_for(sub, scheme, k=k, band=band, id_col="area_id")
    params["band"] = info.band
    units["n_neighbours"] = [w.cardinalities[i] for i in kept]
    units["island"] = units["n_neighbours"] == 0
    code = check_testable(len(kept) - info.n_islands, info)
    if code is not None:
        return refuse(code, info)
    y_tested = y[~units["island"]]
    if np.ptp(y_tested.to_numpy()) == 0:
        return refuse("no_variation", info)

    gi = local_gstar(y, w, permutations=permutations, seed=seed)
    lm = local_moran(y, w, permutations=permutations, seed=seed)
    gm = global_moran(y, w, permutations=permutations, seed=seed)

    factor = 2.0 if two_sided else 1.0
    use_sim = permutations > 0 and gi_p_source == "sim"
    gi_p = gi["p_sim"] if use_sim else gi["p_norm"]
    gi_p = np.minimum(factor * gi_p, 1.0)
    units["gi_z"] = gi["z"]
    units["gi_p_sim"] = gi["p_sim"]
    units["gi_p_norm"] = gi["p_norm"]
    units["gi_p"] = gi_p
    units["gi_class"] = gstar_classes(gi["z"], gi_p, fdr=fdr)
    units["lisa_i"] = lm["Ii"]
    units["lisa_quadrant"] = lm["quadrant"]
    units["lisa_p_sim"] = lm["p_sim"]
    lisa_p = lm["p_sim"] if permutations else pd.Series(np.nan, index=lm.index)
    units["lisa_p"] = np.minimum(factor * lisa_p, 1.0)
    units["lisa_class"] = lisa_classes(
        lm["quadrant"], units["lisa_p"], fdr=fdr, alpha=lisa_alpha
    )
    return HotspotResult(units, gm, info, excluded, None, params)


# ---------------------------------------------------------------------------
# Emerging hot spots (space-time pattern mining)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MannKendallResult:
    """Mann-Kendall trend test of one series.

    ``trend`` is "increasing", "decreasing" or "no_trend" at the ``alpha``
    given to :func:`mann_kendall`.
    """

    n: int
    s: float
    var_s: float
    z: float
    p: float
    tau: float
    trend: str


def mann_kendall(series: Any, alpha: float = 0.05) -> MannKendallResult:
    """Mann-Kendall test for a monotonic trend (two-sided).

    Parameters
    ----------
    series : array-like
        Values in time order, finite, at least 2.
    alpha : float
        Level that decides ``trend``.

    Returns
    -------
    MannKendallResult
        ``s``, ``var_s`` (tie-corrected), ``z`` (continuity-corrected),
        two-sided ``p``, Kendall's ``tau`` (= S / (n(n-1)/2)) and ``trend``.

    Notes
    -----
    :math:`S = \\sum_{i<j} \\operatorname{sgn}(x_j - x_i)`,
    :math:`Var(S) = [n(n-1)(2n+5) - \\sum_t t(t-1)(2t+5)]/18` over groups of
    t tied values, :math:`z = (S - \\operatorname{sgn}(S))/\\sqrt{Var(S)}`
    and :math:`p = 2(1 - \\Phi(|z|))`. Same as ``pymannkendall.original_test``.

    References
    ----------
    .. [1] Mann, H. B. (1945). Nonparametric tests against trend.
       Econometrica 13(3), 245-259.
    .. [2] Kendall, M. G. (1975). Rank Correlation Methods. Griffin, London.
    """
    alpha = _check_alpha(alpha)
    x = np.asarray(series, dtype=float).ravel()
    n = x.size
    if n < 2:
        raise ValueError("the Mann-Kendall test needs at least 2 values")
    if not np.isfinite(x).all():
        raise ValueError("the series must be finite (no missing years)")
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(x[j] - x[i]).sum())
    _, t = np.unique(x, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - (t * (t - 1) * (2 * t + 5)).sum()) / 18.0
    z = 0.0 if var_s <= 0 or s == 0 else (s - np.sign(s)) / math.sqrt(var_s)
    p = float(2.0 * stats.norm.sf(abs(z)))
    if p <= alpha and z > 0:
        trend = "increasing"
    elif p <= alpha and z < 0:
        trend = "decreasing"
    else:
        trend = "no_trend"
    tau = s / (n * (n - 1) / 2.0)
    return MannKendallResult(n, s, float(var_s), float(z), p, float(tau), trend)


def _final_run(flags: np.ndarray) -> int:
    """Length of the run of True at the end of ``flags``."""
    run = 0
    for f in flags[::-1]:
        if not f:
            break
        run += 1
    return run


def _pattern(
    own: np.ndarray,
    other: np.ndarray,
    trend_up: bool,
    trend_down: bool,
) -> str | None:
    """Category suffix for a series whose final bin is significant in ``own``.

    ``trend_up``: the intensity of this kind of spot increases significantly.
    """
    n = own.size
    share = own.sum() / n
    if share >= 0.9:
        if trend_up:
            return "intensifying"
        if trend_down:
            return "diminishing"
        return "persistent"
    if other[:-1].any():
        return "oscillating"
    if own.sum() == 1:
        return "new"
    run = _final_run(own)
    if run >= 2 and not own[: n - run].any():
        return "consecutive"
    return "sporadic"


def emerging_hotspot_category(
    z_series: Any,
    p_series: Any,
    alpha: float = EHSA_ALPHA,
    mk_result: MannKendallResult | None = None,
    *,
    trend_alpha: float | None = None,
) -> str:
    """Esri emerging-hotspot category of one location's Gi* time series.

    Parameters
    ----------
    z_series : array-like
        Gi* z-scores, one per time step, oldest first.
    p_series : array-like
        Their p-values (FDR-adjusted if wanted, see :func:`emerging_hotspots`).
        A bin is a significant hot (cold) spot when ``p <= alpha`` and z > 0
        (z < 0).
    alpha : float
        Bin significance; default 0.10 (Esri's hot spot bins start at 90 %
        confidence).
    mk_result : MannKendallResult, optional
        Mann-Kendall test of ``z_series``; computed if not given.
    trend_alpha : float, optional
        Level for a significant trend in intensity; default ``alpha``.

    Returns
    -------
    str
        One of ``EMERGING_CATEGORIES``.

    Notes
    -----
    Definitions (Esri, "How Emerging Hot Spot Analysis works"), for hot spots
    ("hot" = significant hot spot bin; cold spots mirror them with "cold" and
    the intensity of cold clustering growing when z decreases):

    - New: hot in the final time step and never hot before.
    - Consecutive: a single uninterrupted run of at least two hot bins at the
      end, never hot before the run, less than 90 % of all bins hot.
    - Intensifying: hot in at least 90 % of the bins including the final one,
      and the clustering intensity (Gi* z) increases significantly
      (Mann-Kendall).
    - Persistent: hot in at least 90 % of the bins including the final one,
      no significant trend in z.
    - Diminishing: hot in at least 90 % of the bins including the final one,
      intensity decreases significantly.
    - Sporadic: hot in the final bin, an on-again off-again hot spot with less
      than 90 % of the bins hot, never a significant cold spot.
    - Oscillating: hot in the final bin, was a significant cold spot in some
      earlier bin, less than 90 % of the bins hot.
    - Historical: the final bin is not hot, but at least 90 % of the bins are.
    - No pattern: none of the above.

    The definitions overlap at their edges; the order that makes every series
    get exactly one category is: (1) the final bin decides the family - a hot
    final bin leads to a hot category, a cold one to a cold category (a
    currently cold location that was hot in 90 % of the bins is "oscillating
    cold", not "historical hot"); (2) within the family, >= 90 % gives
    intensifying / diminishing / persistent by the trend; (3) otherwise an
    earlier bin of the opposite kind gives "oscillating" (also when this is the
    first hot bin: a jump from cold to hot is oscillation, as in sfdep), then
    "new" (only the final bin), then "consecutive" (a final run of >= 2, none
    before), else "sporadic"; (4) a final bin that is not significant gives
    "historical" when >= 90 % of the bins were of one kind, else "no_pattern".

    Per-year Gi* here is purely spatial (Esri's cube also counts the same
    location in earlier time steps as neighbours).

    References
    ----------
    .. [1] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro
       documentation, Space Time Pattern Mining toolbox.
    .. [2] Parry, J. sfdep: emerging_hotspot_analysis (R package).
    """
    alpha = _check_alpha(alpha)
    trend_alpha = alpha if trend_alpha is None else _check_alpha(trend_alpha)
    z = np.asarray(z_series, dtype=float).ravel()
    p = _p_array(p_series)
    if z.shape != p.shape:
        raise ValueError("z_series and p_series differ in length")
    if z.size < 2:
        raise ValueError("at least 2 time steps are needed")
    if not (np.isfinite(z).all() and np.isfinite(p).all()):
        raise ValueError("the series must be complete (no missing time steps)")
    if mk_result is None:
        mk_result = mann_kendall(z, alpha=trend_alpha)
    sig = p <= alpha
    hot = sig & (z > 0)
    cold = sig & (z < 0)
    trend_sig = mk_result.p <= trend_alpha
    up = trend_sig and mk_result.z > 0
    down = trend_sig and mk_result.z < 0
    if hot[-1]:
        return f"{_pattern(hot, cold, trend_up=up, trend_down=down)}_hot"
    if cold[-1]:
        return f"{_pattern(cold, hot, trend_up=down, trend_down=up)}_cold"
    n = z.size
    if hot.sum() / n >= 0.9:
        return "historical_hot"
    if cold.sum() / n >= 0.9:
        return "historical_cold"
    return "no_pattern"


def emerging_hotspots(
    z_by_year: pd.DataFrame,
    p_by_year: pd.DataFrame,
    alpha: float = EHSA_ALPHA,
    fdr: bool = True,
    *,
    trend_alpha: float | None = None,
) -> pd.DataFrame:
    """Emerging-hotspot category and Mann-Kendall trend for every area.

    Parameters
    ----------
    z_by_year, p_by_year : pandas.DataFrame
        Area x year tables of Gi* z-scores and p-values (same labels), e.g.
        from :func:`gstar_panel`. Years are sorted ascending.
    alpha : float
        Bin significance (default 0.10, see
        :func:`emerging_hotspot_category`).
    fdr : bool
        Benjamini-Hochberg within each year (each year is one map of tests)
        before the bins are classified, as Esri corrects bins by FDR.
    trend_alpha : float, optional
        Level for the Mann-Kendall trend; default ``alpha``.

    Returns
    -------
    pandas.DataFrame
        Index: areas. Columns ``category`` (``EMERGING_CATEGORIES``, or
        ``INSUFFICIENT_DATA`` for an area with a missing year), ``n_steps``,
        ``n_hot``, ``n_cold``, ``mk_s``, ``mk_tau``, ``mk_z``, ``mk_p``,
        ``trend``.

    Notes
    -----
    Esri recommends at least 10 time steps; with fewer the 90 % rule means
    "every year".
    """
    alpha = _check_alpha(alpha)
    trend_alpha = alpha if trend_alpha is None else _check_alpha(trend_alpha)
    if not (
        z_by_year.index.equals(p_by_year.index)
        and set(z_by_year.columns) == set(p_by_year.columns)
    ):
        raise ValueError("z_by_year and p_by_year must have the same labels")
    years = sorted(z_by_year.columns)
    if len(years) < 2:
        raise ValueError("at least 2 time steps are needed")
    z = z_by_year[years].astype(float)
    p = p_by_year[years].astype(float)
    if fdr:
        p = p.apply(lambda col: pd.Series(bh_adjust(col), index=col.index))
    rows = []
    for area in z.index:
        zs, ps = z.loc[area].to_numpy(), p.loc[area].to_numpy()
        row: dict[str, Any] = {"area_id": area, "n_steps": len(years)}
        if not (np.isfinite(zs).all() and np.isfinite(ps).all()):
            row.update(category=INSUFFICIENT_DATA, n_hot=np.nan, n_cold=np.nan)
            row.update(mk_s=np.nan, mk_tau=np.nan, mk_z=np.nan, mk_p=np.nan)
            row.update(trend=None)
            rows.append(row)
            continue
        mk = mann_kendall(zs, alpha=trend_alpha)
        sig = ps <= alpha
        row.update(
            category=emerging_hotspot_category(
                zs, ps, alpha=alpha, mk_result=mk, trend_alpha=trend_alpha
            ),
            n_hot=int((sig & (zs > 0)).sum()),
            n_cold=int((sig & (zs < 0)).sum()),
            mk_s=mk.s,
            mk_tau=mk.tau,
            mk_z=mk.z,
            mk_p=mk.p,
            trend=mk.trend,
        )
        rows.append(row)
    columns = ["area_id", "category", "n_steps", "n_hot", "n_cold"]
    columns += ["mk_s", "mk_tau", "mk_z", "mk_p", "trend"]
    return pd.DataFrame(rows, columns=columns).set_index("area_id")


def gstar_panel(
    values_by_year: pd.DataFrame,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
    *,
    two_sided: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gi* z-scores and p-values per year, the input of :func:`emerging_hotspots`.

    Parameters
    ----------
    values_by_year : pandas.DataFrame
        Area x year values; index must contain ``w``'s ids. Units missing in a
        year are left out of that year's test (NaN in the output).
    w : libpysal.weights.W
        Weights of all areas.
    permutations, seed : int
        Permutations per year; year i uses seed ``seed + i``.
    two_sided : bool
        Return two-sided permutation p-values (twice esda's folded p).

    Returns
    -------
    (z_by_year, p_by_year) : tuple of pandas.DataFrame
        Area (``w.id_order``) x year.
    """
    permutations = _check_permutations(permutations)
    if permutations == 0:
        raise ValueError("gstar_panel needs permutations > 0")
    seed = _seed(seed)
    years = sorted(values_by_year.columns)
    ids = list(w.id_order)
    missing = set(ids) - set(values_by_year.index)
    if missing:
        raise ValueError(f"values lack ids of the weights: {sorted(missing)[:5]}")
    z_out = pd.DataFrame(np.nan, index=pd.Index(ids, name="area_id"), columns=years)
    p_out = z_out.copy()
    factor = 2.0 if two_sided else 1.0
    for i, year in enumerate(years):
        col = values_by_year.loc[ids, year].astype(float)
        present = [
            a for a, v in zip(ids, col.to_numpy(), strict=True) if np.isfinite(v)
        ]
        if len(present) < 3:
            continue
        w_year = w if len(present) == len(ids) else _subset(w, present)
        y = col[present]
        if np.ptp(y.to_numpy()) == 0:
            continue
        gi = local_gstar(y, w_year, permutations=permutations, seed=seed + i)
        z_out.loc[present, year] = gi["z"].to_numpy()
        p_out.loc[present, year] = np.minimum(factor * gi["p_sim"].to_numpy(), 1.0)
    return z_out, p_out
