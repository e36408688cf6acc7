"""The Hotspots page's analysis of one indicator, one year, one level.

:func:`hotspot_analysis` drops units without a published value, smooths rates
towards the city's rate, refuses when the units hold too little of the city or
are too few or too sparse, else runs Gi*, local and global Moran and turns the
results into the classes a unit can reach, which the UI translates. (The
analysis over all years is :mod:`.panel`.)

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

from monitor.methods.hotspots._checks import (
    PERMUTATIONS,
    SEED,
    check_permutations,
    check_seed,
)
from monitor.methods.hotspots.classes import (
    CONFIDENCE_LEVELS,
    gstar_classes,
    lisa_classes,
    reachable_levels,
)
from monitor.methods.hotspots.fdr import permutations_for, reachable
from monitor.methods.hotspots.getisord import local_gstar
from monitor.methods.hotspots.moran import (
    GlobalMoranResult,
    global_moran,
    local_moran,
)
from monitor.methods.hotspots.smoothing import empirical_bayes_rates
from monitor.methods.hotspots.testability import (
    MIN_UNITS,
    Coverage,
    check_testable,
    coverage_of,
)
from monitor.methods.hotspots.weights import (
    DEFAULT_K,
    WEIGHTS,
    WeightsInfo,
    area_ids,
    weights_for,
)

__all__ = [
    "EXCLUSION_REASONS",
    "REASONS",
    "HotspotResult",
    "hotspot_analysis",
]

# Reason codes for "not testable" (the UI translates them).
REASONS = (
    "low_coverage",
    "coverage_unknown",
    "too_few_units",
    "too_few_neighbours",
    "no_variation",
    "too_few_years",
    "unreachable",
    "too_large",
)
"""Why an analysis was not computed; "too_few_years", "unreachable" (no bin can
be significant after BH) and "too_large" (too many bins x permutations)
concern the emerging-hotspot analysis only."""
# Exclusion codes for single units.
EXCLUSION_REASONS = (
    "suppressed",
    "missing",
    "invalid_denominator",
    "no_geometry",
)


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
        Why no statistics were computed (``REASONS``: "low_coverage",
        "coverage_unknown", "too_few_units", "too_few_neighbours",
        "no_variation"), None if they were. When no confidence level is
        reachable, the statistics are computed and every class is
        "not_significant" (``params["confidence_levels"]`` is empty).
    params : dict
        Settings used: scheme, k, band, permutations (of the local tests),
        seed, fdr, smoothed, prior_rate and prior_source ("city" or "units"),
        rate_scale, two_sided, gi_p_source, confidence_levels (the reachable
        ones, see :func:`~monitor.methods.hotspots.classes.reachable_levels`),
        unreachable_levels, lisa_alpha, lisa_reachable, n_tests.
    coverage : Coverage or None
        Share of the city's total held by the tested units (None when no
        ``reference_total`` was given).
    """

    units: pd.DataFrame
    global_moran: GlobalMoranResult | None
    weights: WeightsInfo | None
    excluded: pd.Series
    reason: str | None
    params: dict = field(default_factory=dict)
    coverage: Coverage | None = None

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


def _unit_table(
    inputs: _Inputs,
    keep: np.ndarray,
    index: pd.Index,
    smooth: bool,
    prior_rate: float | None,
):
    """Raw, smoothed and tested value of the kept units."""
    kept = index[keep]
    units = pd.DataFrame({"value_raw": inputs.raw[keep]}, index=kept)
    units["value_smoothed"] = np.nan
    has_counts = inputs.num is not None
    if has_counts and keep.any():
        smoothed = empirical_bayes_rates(
            inputs.num[keep], inputs.den[keep], prior_rate=prior_rate
        )
        units["value_smoothed"] = smoothed * inputs.rate_scale
    use_smoothed = has_counts and smooth
    units["value_used"] = units["value_smoothed" if use_smoothed else "value_raw"]
    # what coverage is measured on: the denominator of a rate, else the count
    base = inputs.den if has_counts else inputs.raw
    units["base"] = base[keep]
    units["n_neighbours"] = np.nan
    units["island"] = False
    return units, use_smoothed


def _coverage_reason(
    units: pd.DataFrame, reference_total: float | None
) -> tuple[Coverage | None, str | None]:
    """Coverage of ``units`` and the refusal it implies (None: offered)."""
    if reference_total is None:
        return None, None
    cov = coverage_of(units["base"].to_numpy(), reference_total)
    if not cov.known:
        return cov, "coverage_unknown"
    return cov, None if cov.sufficient else "low_coverage"


def _inference_settings(params: dict, n_tests: int) -> None:
    """Resolve the permutations and the reachable classes (in place).

    ``permutations`` None: the fewest of ``PERMUTATION_STEPS`` that let one
    unit reach every confidence level and the LISA level after the FDR
    correction; the levels still unreachable are not offered.
    """
    fdr, two_sided = params["fdr"], params["two_sided"]
    alphas = [1.0 - c for c in CONFIDENCE_LEVELS] + [params["lisa_alpha"]]
    if params["permutations"] is None:
        params["permutations"] = permutations_for(alphas, n_tests, fdr, two_sided)
    permutations = params["permutations"]
    if not permutations:
        params["gi_p_source"] = "norm"
    gi_permutations = permutations if params["gi_p_source"] == "sim" else 0
    levels = reachable_levels(n_tests, gi_permutations, fdr, two_sided)
    params["confidence_levels"] = levels
    params["unreachable_levels"] = tuple(
        c for c in CONFIDENCE_LEVELS if c not in levels
    )
    params["lisa_reachable"] = bool(permutations) and reachable(
        params["lisa_alpha"], n_tests, permutations, fdr, two_sided
    )
    params["n_tests"] = n_tests


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
    units["gi_class"] = gstar_classes(
        gi["z"], gi_p, fdr=fdr, levels=params["confidence_levels"]
    )
    units["lisa_i"] = lm["Ii"]
    units["lisa_quadrant"] = lm["quadrant"]
    units["lisa_p_sim"] = lm["p_sim"]
    lisa_p = lm["p_sim"] if permutations else pd.Series(np.nan, index=lm.index)
    units["lisa_p"] = np.minimum(factor * lisa_p, 1.0)
    tested_p = units["lisa_p"] if params["lisa_reachable"] else np.nan * lisa_p
    units["lisa_class"] = lisa_classes(
        lm["quadrant"], tested_p, fdr=fdr, alpha=params["lisa_alpha"]
    )


def hotspot_analysis(
    gdf: gpd.GeoDataFrame,
    value_col: str | None,
    numerator_col: str | None = None,
    denominator_col: str | None = None,
    scheme: str = "queen",
    smooth: bool = True,
    permutations: int | None = PERMUTATIONS,
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
    prior_rate: float | None = None,
    reference_total: float | None = None,
) -> HotspotResult:
    """Hot spot analysis of one indicator, one year, one level.

    Steps: drop units with suppressed/missing values (listed in
    ``excluded``), smooth rates by empirical Bayes when counts are given,
    refuse when the units hold too little of the city (``reference_total``),
    build weights on the remaining units, refuse when not testable
    (``reason``), else run Gi*, local Moran and global Moran and classify at
    the confidence levels a unit can reach.

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
    permutations : int or None
        Conditional permutations of the local tests (0: analytic p-values are
        used for the classes; None: the fewest of 999 and 9999 that make every
        class reachable, see
        :func:`~monitor.methods.hotspots.fdr.permutations_for`). Global
        Moran's I, a single test, uses at most 999.
    seed : int or None
        Seed of the permutations.
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
    prior_rate : float, optional
        Prior mean of the smoothing as a fraction, e.g. the city's rate from
        its own published counts; default the pooled rate of the kept units.
    reference_total : float, optional
        The city's published denominator (count indicators: the count). When
        given, the analysis is refused unless the tested units hold at least
        ``MIN_COVERAGE`` of it ("low_coverage"); NaN means the city's total is
        not published ("coverage_unknown").

    Returns
    -------
    HotspotResult

    Notes
    -----
    Resolution of permutation p-values: with R permutations the smallest
    two-sided p is 2/(R+1) (0.002 for 999), and BH multiplies the smallest p
    by m. A class is offered only when one unit can reach it on its own
    evidence (``2 m / (R + 1) <= 1 - confidence``); classes that would need
    other units to tie at the smallest p are not offered
    (``params["unreachable_levels"]``).
    """
    has_counts = _check_arguments(
        gdf, value_col, numerator_col, denominator_col, scheme, gi_p_source
    )
    if permutations is not None:
        permutations = check_permutations(permutations)
    seed = check_seed(seed)
    index = pd.Index(area_ids(gdf, id_col), name="area_id")
    inputs = _read_inputs(
        gdf, index, value_col, numerator_col, denominator_col, rate_scale
    )
    reason_of = _exclusions(gdf, index, status_col, inputs)
    keep = reason_of.isna().to_numpy()
    units, use_smoothed = _unit_table(inputs, keep, index, smooth, prior_rate)
    excluded = reason_of[~keep].rename("reason")
    params = {
        "scheme": scheme,
        "k": k if scheme == "knn" else None,
        "band": band,
        "permutations": permutations,
        "seed": seed,
        "fdr": fdr,
        "smoothed": use_smoothed,
        "prior_rate": _prior(inputs, keep, prior_rate),
        "prior_source": "units" if prior_rate is None else "city",
        "rate_scale": inputs.rate_scale if has_counts else None,
        "two_sided": two_sided,
        "gi_p_source": gi_p_source,
        "confidence_levels": CONFIDENCE_LEVELS,
        "lisa_alpha": lisa_alpha,
    }
    cov, code = _coverage_reason(units, reference_total)

    def refuse(code: str, info: WeightsInfo | None) -> HotspotResult:
        return HotspotResult(units, None, info, excluded, code, params, cov)

    if code is not None:
        return refuse(code, None)
    if len(units) < MIN_UNITS:
        return refuse("too_few_units", None)
    y = units["value_used"]
    if np.ptp(y.to_numpy()) == 0:
        return refuse("no_variation", None)
    w, info, code, tested_cov = _neighbourhood(
        gdf.geometry.to_numpy()[keep], gdf.crs, units, params, reference_total
    )
    cov = tested_cov or cov
    if code is not None:
        return refuse(code, info)
    _inference_settings(params, n_tests=len(units) - info.n_islands)
    permutations = params["permutations"]
    gi = local_gstar(y, w, permutations=permutations, seed=seed)
    lm = local_moran(y, w, permutations=permutations, seed=seed)
    gm = global_moran(y, w, permutations=min(permutations, PERMUTATIONS), seed=seed)
    _classify(units, gi, lm, params)
    return HotspotResult(units, gm, info, excluded, None, params, cov)


def _neighbourhood(geometry, crs, units: pd.DataFrame, params: dict, reference_total):
    """Weights of the kept units, their islands, and the refusal they imply.

    Marks ``n_neighbours`` and ``island`` in ``units`` and the band used in
    ``params``; returns (w, info, reason or None, coverage of the tested units).
    """
    sub = gpd.GeoDataFrame({"area_id": list(units.index)}, geometry=geometry, crs=crs)
    w, info = weights_for(
        sub, params["scheme"], k=params["k"] or DEFAULT_K, band=params["band"]
    )
    params["band"] = info.band
    units["n_neighbours"] = [w.cardinalities[i] for i in units.index]
    units["island"] = units["n_neighbours"] == 0
    tested = units[~units["island"]]
    code = check_testable(len(tested), info)
    cov = None
    if code is None:
        cov, code = _coverage_reason(tested, reference_total)
    if code is None and np.ptp(tested["value_used"].to_numpy()) == 0:
        code = "no_variation"
    return w, info, code, cov


def _prior(inputs: _Inputs, keep: np.ndarray, prior_rate: float | None):
    """The prior mean the smoothing used (fraction), None without counts."""
    if inputs.num is None:
        return None
    if prior_rate is not None:
        return float(prior_rate)
    den = inputs.den[keep].sum()
    return float(inputs.num[keep].sum() / den) if den > 0 else None
