"""The analyses of the Hotspots page: one indicator-year-level, and all years.

:func:`hotspot_analysis` drops units without a published value, smooths rates,
builds the weights, refuses when the units are too few or too sparse, else runs
Gi*, local and global Moran and turns the results into classes the UI
translates. :func:`emerging_analysis` builds the area x year panel of published
values and runs the emerging-hotspot analysis on it.

References
----------
.. [1] Getis, A. & Ord, J. K. (1992). The analysis of spatial association by
   use of distance statistics. Geographical Analysis 24(3), 189-206.
.. [2] Anselin, L. (1995). Local indicators of spatial association - LISA.
   Geographical Analysis 27(2), 93-115.
.. [3] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
   rate. Journal of the Royal Statistical Society B 57(1), 289-300.
.. [4] Marshall, R. J. (1991). Mapping disease and mortality rates using
   empirical Bayes estimators. Applied Statistics 40(2), 283-294.
.. [5] Anselin, L., Syabri, I. & Kho, Y. (2006). GeoDa: an introduction to
   spatial data analysis. Geographical Analysis 38(1), 5-22 (minimum number of
   units and neighbours for local statistics in practice).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from monitor.methods.hotspots._checks import check_permutations, check_seed
from monitor.methods.hotspots._esda import PERMUTATIONS, SEED
from monitor.methods.hotspots.classes import (
    CONFIDENCE_LEVELS,
    gstar_classes,
    lisa_classes,
)
from monitor.methods.hotspots.emerging import emerging_hotspots, gstar_panel
from monitor.methods.hotspots.getisord import local_gstar
from monitor.methods.hotspots.moran import (
    GlobalMoranResult,
    global_moran,
    local_moran,
)
from monitor.methods.hotspots.smoothing import empirical_bayes_rates
from monitor.methods.hotspots.weights import (
    DEFAULT_K,
    PROJECTED_CRS,
    WEIGHTS,
    WeightsInfo,
    area_ids,
    weights_for,
)

__all__ = [
    "EXCLUSION_REASONS",
    "MIN_MEAN_NEIGHBOURS",
    "MIN_UNITS",
    "MIN_YEARS",
    "REASONS",
    "EmergingResult",
    "HotspotResult",
    "check_testable",
    "emerging_analysis",
    "hotspot_analysis",
    "year_panel",
]

MIN_UNITS = 30
"""Fewest units with data and neighbours for local statistics."""

MIN_MEAN_NEIGHBOURS = 2.0
"""Fewest neighbours per unit on average."""

# Reason codes for "not testable" (the UI translates them).
REASONS = ("too_few_units", "too_few_neighbours", "no_variation")
# Exclusion codes for single units.
EXCLUSION_REASONS = (
    "suppressed",
    "missing",
    "invalid_denominator",
    "no_geometry",
)


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
    next to no power; the statistics become usable from roughly 30 units (a
    rule of thumb from practice, e.g. GeoDa workbooks; Anselin et al. 2006).
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


def _check_arguments(
    gdf: gpd.GeoDataFrame,
    value_col: str | None,
    numerator_col: str | None,
    denominator_col: str | None,
    scheme: str,
    gi_p_source: str,
) -> bool:
    """Raise ValueError for unusable arguments; return whether counts are given."""
    if scheme not in WEIGHTS:
        raise ValueError(f"scheme must be one of {tuple(WEIGHTS)}, got {scheme!r}")
    if gi_p_source not in ("sim", "norm"):
        raise ValueError("gi_p_source must be 'sim' or 'norm'")
    has_counts = numerator_col is not None or denominator_col is not None
    if has_counts and (numerator_col is None or denominator_col is None):
        raise ValueError("give both numerator_col and denominator_col, or neither")
    if value_col is None and not has_counts:
        raise ValueError("value_col is required when no counts are given")
    for col in (value_col, numerator_col, denominator_col):
        if col is not None and col not in gdf.columns:
            raise ValueError(f"column {col!r} not in the data")
    return has_counts


def _numeric(gdf: pd.DataFrame, col: str | None, index: pd.Index) -> pd.Series | None:
    if col is None:
        return None
    numeric = pd.to_numeric(gdf[col], errors="coerce").astype("Float64")
    return pd.Series(numeric.to_numpy(dtype=float, na_value=np.nan), index=index)


@dataclass
class _Inputs:
    """The columns of one analysis, aligned on the area ids."""

    value: pd.Series | None
    num: pd.Series | None
    den: pd.Series | None
    raw: pd.Series
    rate_scale: float | None


def _read_inputs(
    gdf: pd.DataFrame,
    index: pd.Index,
    value_col: str | None,
    numerator_col: str | None,
    denominator_col: str | None,
    rate_scale: float | None,
) -> _Inputs:
    """Value, counts and the raw value (the value, else the scaled rate)."""
    value = _numeric(gdf, value_col, index)
    if numerator_col is None:
        return _Inputs(value, None, None, value, None)
    num = _numeric(gdf, numerator_col, index)
    den = _numeric(gdf, denominator_col, index)
    rate = num / den
    if rate_scale is None:
        rate_scale = _rate_scale(value, rate) if value is not None else 1.0
    raw = rate * rate_scale
    if value is not None:
        raw = value.where(np.isfinite(value), raw)
    return _Inputs(value, num, den, raw, rate_scale)


def _exclusions(
    gdf: pd.DataFrame, index: pd.Index, status_col: str | None, inputs: _Inputs
) -> pd.Series:
    """Reason per unit why it is left out (None: kept); the first reason wins."""
    reason_of = pd.Series(None, index=index, dtype=object)

    def mark(mask, code: str) -> None:
        reason_of[np.asarray(mask, dtype=bool) & reason_of.isna().to_numpy()] = code

    if status_col is not None and status_col in gdf.columns:
        status = gdf[status_col].astype(object).to_numpy()
        mark(status == "suppressed", "suppressed")
        mark(status == "missing", "missing")
    if inputs.num is not None:
        num, den = inputs.num, inputs.den
        mark(~(np.isfinite(num) & np.isfinite(den)).to_numpy(), "missing")
        mark(((den <= 0) | (num < 0)).to_numpy(), "invalid_denominator")
    else:
        mark(~np.isfinite(inputs.raw.to_numpy()), "missing")
    geom = gdf.geometry
    mark((geom.isna() | geom.is_empty).to_numpy(), "no_geometry")
    return reason_of


def _unit_table(inputs: _Inputs, keep: np.ndarray, index: pd.Index, smooth: bool):
    """Raw, smoothed and tested value of the kept units."""
    kept = index[keep]
    units = pd.DataFrame({"value_raw": inputs.raw[keep]}, index=kept)
    units["value_smoothed"] = np.nan
    has_counts = inputs.num is not None
    if has_counts and keep.any():
        smoothed = empirical_bayes_rates(inputs.num[keep], inputs.den[keep])
        units["value_smoothed"] = smoothed * inputs.rate_scale
    use_smoothed = has_counts and smooth
    units["value_used"] = units["value_smoothed" if use_smoothed else "value_raw"]
    units["n_neighbours"] = np.nan
    units["island"] = False
    return units, use_smoothed


def _classify(
    units: pd.DataFrame,
    gi: pd.DataFrame,
    lm: pd.DataFrame,
    params: dict,
) -> None:
    """Add Gi* and LISA results and their classes to ``units`` (in place)."""
    factor = 2.0 if params["two_sided"] else 1.0
    permutations, fdr = params["permutations"], params["fdr"]
    use_sim = permutations > 0 and params["gi_p_source"] == "sim"
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
        lm["quadrant"], units["lisa_p"], fdr=fdr, alpha=params["lisa_alpha"]
    )


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
    k: int = DEFAULT_K,
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
        Weights, see :func:`~monitor.methods.hotspots.weights.weights_for`
        (``k``, ``band``).
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
    has_counts = _check_arguments(
        gdf, value_col, numerator_col, denominator_col, scheme, gi_p_source
    )
    permutations = check_permutations(permutations)
    seed = check_seed(seed)
    index = pd.Index(area_ids(gdf, id_col), name="area_id")
    inputs = _read_inputs(
        gdf, index, value_col, numerator_col, denominator_col, rate_scale
    )
    reason_of = _exclusions(gdf, index, status_col, inputs)
    keep = reason_of.isna().to_numpy()
    units, use_smoothed = _unit_table(inputs, keep, index, smooth)
    excluded = reason_of[~keep].rename("reason")
    params = {
        "scheme": scheme,
        "k": k if scheme == "knn" else None,
        "band": band,
        "permutations": permutations,
        "seed": seed,
        "fdr": fdr,
        "smoothed": use_smoothed,
        "rate_scale": inputs.rate_scale if has_counts else None,
        "two_sided": two_sided,
        "gi_p_source": gi_p_source if permutations else "norm",
        "confidence_levels": CONFIDENCE_LEVELS,
        "lisa_alpha": lisa_alpha,
    }

    def refuse(code: str, info: WeightsInfo | None) -> HotspotResult:
        return HotspotResult(units, None, info, excluded, code, params)

    if len(units) < MIN_UNITS:
        return refuse("too_few_units", None)
    y = units["value_used"]
    if np.ptp(y.to_numpy()) == 0:
        return refuse("no_variation", None)
    sub = gpd.GeoDataFrame(
        {"area_id": list(units.index)},
        geometry=gdf.geometry.to_numpy()[keep],
        crs=gdf.crs,
    )
    w, info = weights_for(sub, scheme, k=k, band=band, id_col="area_id")
    params["band"] = info.band
    units["n_neighbours"] = [w.cardinalities[i] for i in units.index]
    units["island"] = units["n_neighbours"] == 0
    code = check_testable(len(units) - info.n_islands, info)
    if code is not None:
        return refuse(code, info)
    if np.ptp(y[~units["island"]].to_numpy()) == 0:
        return refuse("no_variation", info)
    gi = local_gstar(y, w, permutations=permutations, seed=seed)
    lm = local_moran(y, w, permutations=permutations, seed=seed)
    gm = global_moran(y, w, permutations=permutations, seed=seed)
    _classify(units, gi, lm, params)
    return HotspotResult(units, gm, info, excluded, None, params)


MIN_YEARS = 4
"""Fewest years for the emerging-hotspot analysis (Esri recommends 10)."""


@dataclass
class EmergingResult:
    """Result of :func:`emerging_analysis`.

    Attributes
    ----------
    categories : pandas.DataFrame or None
        From :func:`~monitor.methods.hotspots.emerging.emerging_hotspots`.
    z, p : pandas.DataFrame or None
        Area x year Gi* z-scores and p-values.
    excluded : list
        Areas without a published value in some year (not imputed).
    reason : str or None
        "too_few_units" or "too_few_years" when nothing was computed.
    """

    categories: pd.DataFrame | None
    z: pd.DataFrame | None
    p: pd.DataFrame | None
    excluded: list
    reason: str | None = None


def year_panel(
    frames: dict[int, pd.DataFrame], smooth: bool, rate_scale: float | None
) -> pd.DataFrame:
    """Area x year values to test, from one published frame per year.

    Parameters
    ----------
    frames : dict of int to pandas.DataFrame
        Per year the level's rows with ``area_id``, ``value``, ``numerator``,
        ``denominator`` and ``status``.
    smooth : bool
        Empirical-Bayes rates of each year's published units instead of the
        published values (needs ``rate_scale``).
    rate_scale : float or None
        Factor from numerator/denominator to the unit of ``value`` (None: not a
        rate, no smoothing).

    Returns
    -------
    pandas.DataFrame
        NaN where a year's value is not published.
    """
    series = {}
    for year, values in frames.items():
        values = values.set_index("area_id")
        ok = values.status == "ok"
        if smooth and rate_scale is not None:
            smoothed = pd.Series(np.nan, index=values.index)
            smoothed[ok] = (
                empirical_bayes_rates(
                    values.numerator[ok].to_numpy(), values.denominator[ok].to_numpy()
                )
                * rate_scale
            )
            series[year] = smoothed
        else:
            series[year] = values.value.where(ok)
    return pd.DataFrame(series)


def emerging_analysis(
    geo: gpd.GeoDataFrame,
    frames: dict[int, pd.DataFrame],
    scheme: str = "queen",
    smooth: bool = True,
    fdr: bool = True,
    rate_scale: float | None = None,
) -> EmergingResult:
    """Gi* per year over all years and the emerging-hotspot categories.

    Only areas with a published value in every year take part (a suppressed
    year would otherwise be imputed silently); the others are returned as
    ``excluded``.

    Parameters
    ----------
    geo : geopandas.GeoDataFrame
        Geometry of the level's areas (column ``area_id``).
    frames : dict of int to pandas.DataFrame
        One published frame per year, see :func:`year_panel`.
    scheme : str
        Weights (id from ``WEIGHTS``).
    smooth, rate_scale
        See :func:`year_panel`.
    fdr : bool
        Benjamini-Hochberg per year before the bins are classified.

    Returns
    -------
    EmergingResult
    """
    panel = year_panel(frames, smooth, rate_scale)
    complete = panel.dropna()
    excluded = list(panel.index.difference(complete.index))
    if len(complete) < MIN_UNITS:
        return EmergingResult(None, None, None, excluded, "too_few_units")
    if len(frames) < MIN_YEARS:
        return EmergingResult(None, None, None, excluded, "too_few_years")
    geo = geo.set_index("area_id").loc[complete.index]
    geo = geo.reset_index().to_crs(PROJECTED_CRS)
    w, _ = weights_for(geo, scheme)
    z, p = gstar_panel(complete.loc[list(w.id_order)], w)
    categories = emerging_hotspots(z, p, fdr=fdr)
    return EmergingResult(categories, z, p, excluded)
