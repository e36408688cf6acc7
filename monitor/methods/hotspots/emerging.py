"""Emerging hot spots: Esri's space-time categories from a Gi* series per area.

References
----------
.. [1] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro documentation,
   Space Time Pattern Mining toolbox,
   https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm
.. [2] Parry, J. sfdep: ``emerging_hotspot_analysis`` (R package,
   JosiahParry/sfdep).
.. [3] Mann, H. B. (1945); Kendall, M. G. (1975): the trend test, see
   :mod:`.trend`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from monitor.methods.hotspots._checks import (
    check_alpha,
    check_p_values,
)
from monitor.methods.hotspots.classes import CONFIDENCE_LEVELS, gstar_classes
from monitor.methods.hotspots.fdr import bh_adjust
from monitor.methods.hotspots.trend import MannKendallResult, mann_kendall

__all__ = [
    "EHSA_ALPHA",
    "EMERGING_CATEGORIES",
    "INSUFFICIENT_DATA",
    "emerging_hotspot_category",
    "emerging_hotspots",
    "bin_classes",
]

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

    The z-scores come from the space-time Gi* of
    :func:`~monitor.methods.hotspots.spacetime.gstar_panel` (neighbours in
    space and in the previous time step, as in Esri's cube).

    References
    ----------
    .. [1] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro
       documentation, Space Time Pattern Mining toolbox.
    .. [2] Parry, J. sfdep: emerging_hotspot_analysis (R package).
    """
    alpha = check_alpha(alpha)
    trend_alpha = alpha if trend_alpha is None else check_alpha(trend_alpha)
    z = np.asarray(z_series, dtype=float).ravel()
    p = check_p_values(p_series)
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
        from :func:`~monitor.methods.hotspots.spacetime.gstar_panel`. Years
        are sorted ascending.
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
    alpha = check_alpha(alpha)
    trend_alpha = alpha if trend_alpha is None else check_alpha(trend_alpha)
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


def bin_classes(
    z_by_year: pd.DataFrame,
    p_by_year: pd.DataFrame,
    fdr: bool = True,
    levels: Sequence[float] = CONFIDENCE_LEVELS,
) -> pd.DataFrame:
    """Hot/cold class of every bin (area x year) at the given confidence levels.

    The same bins as :func:`emerging_hotspots` sees: Benjamini-Hochberg within
    each year when ``fdr``; a bin is hot or cold at 90 % exactly when it is a
    significant hot or cold bin at ``EHSA_ALPHA = 0.10``. Missing bins are
    "not_significant".
    """
    out = pd.DataFrame("not_significant", index=z_by_year.index, columns=[])
    for year in sorted(z_by_year.columns):
        z = z_by_year[year].to_numpy(dtype=float)
        p = p_by_year[year].to_numpy(dtype=float)
        labels = gstar_classes(np.nan_to_num(z), p, fdr=fdr, levels=levels)
        out[year] = np.where(np.isfinite(z), labels, "not_significant")
    return out
