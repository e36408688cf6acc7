"""The Hotspots page's analysis over all years: emerging hot spots.

:func:`emerging_analysis` builds the area x year panel of published values
(:func:`year_panel`), keeps the areas published in every year, refuses when
they hold too little of the city in some year (:func:`panel_coverage`), runs
the space-time Gi* over the (area, year) cube and classifies every area by
Esri's emerging-hotspot categories.

References
----------
.. [1] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro documentation,
   https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm
.. [2] Marshall, R. J. (1991). Mapping disease and mortality rates using
   empirical Bayes estimators. Applied Statistics 40(2), 283-294.
.. [3] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
   rate. Journal of the Royal Statistical Society B 57(1), 289-300.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from monitor.methods.hotspots._checks import SEED
from monitor.methods.hotspots.classes import CONFIDENCE_LEVELS, reachable_levels
from monitor.methods.hotspots.emerging import (
    EHSA_ALPHA,
    bin_classes,
    emerging_hotspots,
)
from monitor.methods.hotspots.fdr import permutations_for, reachable
from monitor.methods.hotspots.getisord import gstar_panel
from monitor.methods.hotspots.smoothing import empirical_bayes_rates
from monitor.methods.hotspots.spacetime import TIME_LAG
from monitor.methods.hotspots.testability import (
    MAX_CUBE_DRAWS,
    MIN_UNITS,
    MIN_YEARS,
    Coverage,
    check_testable,
    coverage_of,
)
from monitor.methods.hotspots.weights import DEFAULT_K, PROJECTED_CRS, weights_for

__all__ = [
    "EmergingResult",
    "emerging_analysis",
    "panel_coverage",
    "year_panel",
]


@dataclass
class EmergingResult:
    """Result of :func:`emerging_analysis`.

    Attributes
    ----------
    categories : pandas.DataFrame or None
        From :func:`~monitor.methods.hotspots.emerging.emerging_hotspots`.
    z, p : pandas.DataFrame or None
        Area x year space-time Gi* z-scores and two-sided p-values.
    bins : pandas.DataFrame or None
        Area x year class of every bin at the reachable confidence levels
        (:func:`~monitor.methods.hotspots.emerging.bin_classes`).
    excluded : list
        Areas without a published value in some year (not imputed).
    reason : str or None
        "low_coverage", "coverage_unknown", "too_few_units",
        "too_few_neighbours", "too_few_years", "unreachable" (no bin can
        be significant after BH with the permutations) or "too_large" (more
        than ``MAX_CUBE_DRAWS`` bins x permutations) when nothing was
        computed.
    coverage : Coverage or None
        The lowest yearly coverage of the areas in the panel.
    params : dict
        scheme, band, time_lag, permutations, seed, n_tests (areas per year),
        n_bins, confidence_levels (reachable for one bin), ehsa_reachable,
        prior_source.
    """

    categories: pd.DataFrame | None
    z: pd.DataFrame | None
    p: pd.DataFrame | None
    bins: pd.DataFrame | None
    excluded: list
    reason: str | None = None
    coverage: Coverage | None = None
    params: dict = field(default_factory=dict)


def year_panel(
    frames: Mapping[int, pd.DataFrame],
    smooth: bool,
    rate_scale: float | None,
    prior_rates: Mapping[int, float | None] | None = None,
) -> pd.DataFrame:
    """Area x year values to test, from one published frame per year.

    Parameters
    ----------
    frames : mapping of int to pandas.DataFrame
        Per year the level's rows with ``area_id``, ``value``, ``numerator``,
        ``denominator`` and ``status``.
    smooth : bool
        Empirical-Bayes rates of each year's published units instead of the
        published values (needs ``rate_scale``).
    rate_scale : float or None
        Factor from numerator/denominator to the unit of ``value`` (None: not a
        rate, no smoothing).
    prior_rates : mapping of int to float, optional
        Prior mean per year (a fraction, e.g. the city's rate); a missing or
        None entry means the pooled rate of that year's published units.

    Returns
    -------
    pandas.DataFrame
        NaN where a year's value is not published.
    """
    prior_rates = prior_rates or {}
    series = {}
    for year, values in frames.items():
        values = values.set_index("area_id")
        ok = values.status == "ok"
        if smooth and rate_scale is not None and not ok.any():
            # a year without one published unit (all suppressed or missing):
            # nothing to smooth, the year stays unpublished in the panel
            series[year] = pd.Series(np.nan, index=values.index)
        elif smooth and rate_scale is not None:
            smoothed = pd.Series(np.nan, index=values.index)
            rates = empirical_bayes_rates(
                values.numerator[ok].to_numpy(),
                values.denominator[ok].to_numpy(),
                prior_rate=prior_rates.get(year),
            )
            smoothed[ok] = rates * rate_scale
            series[year] = smoothed
        else:
            series[year] = values.value.where(ok)
    return pd.DataFrame(series)


def panel_coverage(
    frames: Mapping[int, pd.DataFrame],
    areas: pd.Index,
    reference_totals: Mapping[int, float | None],
    is_rate: bool,
) -> Coverage:
    """The lowest yearly coverage of ``areas`` (denominator, or count).

    A year without a published city total makes the coverage unknown.
    """
    lowest: Coverage | None = None
    column = "denominator" if is_rate else "numerator"
    for year, values in frames.items():
        base = values.set_index("area_id").loc[areas, column].to_numpy(dtype=float)
        cov = coverage_of(base, reference_totals.get(year))
        if not cov.known:
            return cov
        if lowest is None or cov.share < lowest.share:
            lowest = cov
    return lowest


def _panel_reason(
    frames: Mapping[int, pd.DataFrame],
    areas: pd.Index,
    reference_totals: Mapping[int, float | None] | None,
    rate_scale: float | None,
) -> tuple[Coverage | None, str | None]:
    """Coverage of ``areas`` and the refusal it implies (None: offered)."""
    if reference_totals is None:
        return None, None
    cov = panel_coverage(frames, areas, reference_totals, rate_scale is not None)
    if not cov.known:
        return cov, "coverage_unknown"
    return cov, None if cov.sufficient else "low_coverage"


def _inference(n_tests: int, fdr: bool, permutations: int | None) -> dict:
    """Permutations and reachable levels of the bins (BH within each year)."""
    alphas = [EHSA_ALPHA] + [1.0 - c for c in CONFIDENCE_LEVELS]
    if permutations is None:
        permutations = permutations_for(alphas, n_tests, fdr)
    return {
        "permutations": permutations,
        "n_tests": n_tests,
        "confidence_levels": reachable_levels(n_tests, permutations, fdr),
        "ehsa_reachable": reachable(EHSA_ALPHA, n_tests, permutations, fdr),
    }


def emerging_analysis(
    geo: gpd.GeoDataFrame,
    frames: Mapping[int, pd.DataFrame],
    scheme: str = "queen",
    smooth: bool = True,
    fdr: bool = True,
    rate_scale: float | None = None,
    *,
    k: int = DEFAULT_K,
    band: float | None = None,
    prior_rates: Mapping[int, float | None] | None = None,
    reference_totals: Mapping[int, float | None] | None = None,
    time_lag: int = TIME_LAG,
    permutations: int | None = None,
    seed: int | None = SEED,
) -> EmergingResult:
    """Space-time Gi* over all years and the emerging-hotspot categories.

    Only areas with a published value in every year take part (a suppressed
    year would otherwise be imputed silently); the others are ``excluded``.

    Parameters
    ----------
    geo : geopandas.GeoDataFrame
        Geometry of the level's areas (column ``area_id``).
    frames : mapping of int to pandas.DataFrame
        One published frame per year, see :func:`year_panel`.
    scheme, k, band
        Spatial weights, see
        :func:`~monitor.methods.hotspots.weights.weights_for`.
    smooth, rate_scale, prior_rates
        See :func:`year_panel`.
    fdr : bool
        Benjamini-Hochberg within each year before the bins are classified.
    reference_totals : mapping of int to float, optional
        The city's published denominator (counts: count) per year; when given,
        the analysis is refused unless the panel's areas hold
        ``MIN_COVERAGE`` of it in every year.
    time_lag : int
        Previous years in a bin's neighbourhood
        (:func:`~monitor.methods.hotspots.spacetime.spacetime_weights`).
    permutations : int or None
        Permutations over the cube; None: the fewest of 999 and 9999 that let
        one bin reach every level after BH within its year.
    seed : int or None
        Seed of the permutations.

    Returns
    -------
    EmergingResult
    """
    panel = year_panel(frames, smooth, rate_scale, prior_rates)
    complete = panel.dropna()
    excluded = list(panel.index.difference(complete.index))
    params = {"scheme": scheme, "time_lag": time_lag, "seed": seed}
    params["prior_source"] = "city" if prior_rates else "units"

    def refuse(code: str, cov: Coverage | None = None) -> EmergingResult:
        return EmergingResult(None, None, None, None, excluded, code, cov, params)

    cov, code = _panel_reason(frames, complete.index, reference_totals, rate_scale)
    if code is not None:
        return refuse(code, cov)
    if len(complete) < MIN_UNITS:
        return refuse("too_few_units", cov)
    if len(frames) < MIN_YEARS:
        return refuse("too_few_years", cov)
    geo = geo.set_index("area_id").loc[complete.index]
    w, info = weights_for(geo.reset_index().to_crs(PROJECTED_CRS), scheme, k, band)
    params["band"] = info.band
    tested = pd.Index([a for a in w.id_order if w.cardinalities[a] > 0])
    code = check_testable(len(tested), info)
    if code is None:
        cov, code = _panel_reason(frames, tested, reference_totals, rate_scale)
    if code is not None:
        return refuse(code, cov)
    params |= _inference(len(tested), fdr, permutations)
    if not params["ehsa_reachable"]:
        return refuse("unreachable", cov)
    params["n_bins"] = len(tested) * len(frames)
    if params["n_bins"] * params["permutations"] > MAX_CUBE_DRAWS:
        return refuse("too_large", cov)
    z, p = gstar_panel(
        complete.loc[list(w.id_order)],
        w,
        params["permutations"],
        seed,
        time_lag=time_lag,
    )
    categories = emerging_hotspots(z, p, fdr=fdr)
    bins = bin_classes(z, p, fdr=fdr, levels=params["confidence_levels"])
    return EmergingResult(categories, z, p, bins, excluded, None, cov, params)
