"""UN ESCAP progress indices: progress made so far and progress to expect.

The Current Status Index (:func:`current_status_index`) is the share of the
progress required from the base year to the target that has been made; the
Anticipated Progress Index (:func:`anticipated_progress_index`) the share
expected by the target year from a time-weighted linear regression. ESCAP's
Asia-Pacific SDG progress reports use both; all five UN regional commissions
use the second.

References
----------
.. [1] UN ESCAP, "Progress Assessment Methodology", technical notes of the
   Asia and the Pacific SDG Progress Report,
   https://data.unescap.org/resource-guides/progress-assessment-methodology
.. [2] Bidarbakht Nia, A. (2017). "Tracking progress towards the SDGs:
   measuring the otherwise ambiguous progress". ESCAP Statistics Division
   Working Paper Series SD/WP/05.
.. [3] UNECE, "Technical notes on the progress assessment", SDG progress
   report 2023, https://w3.unece.org/sdg2023/technical-notes.html
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitor.methods.progress.series import (
    base_index,
    clean_series,
    finite_number,
    parse_year,
    year_out,
)

__all__ = [
    "AnticipatedProgressResult",
    "CurrentStatusResult",
    "anticipated_progress_index",
    "current_status_index",
]


@dataclass(frozen=True)
class CurrentStatusResult:
    """Current Status Index (:func:`current_status_index`).

    Attributes
    ----------
    index : float or None
        ``(y_now - y_base) / (y_target - y_base)``; 1 = target reached, 0 = no
        progress, < 0 = moved away. None if not computable (see ``notes``).
    index_capped : float or None
        ``index`` clipped to [-1, 1] for display.
    base_year, base_value, latest_year, latest_value, target_value : number or None
    notes : tuple of str
    """

    index: float | None
    index_capped: float | None
    base_year: int | float | None
    base_value: float | None
    latest_year: int | float | None
    latest_value: float | None
    target_value: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnticipatedProgressResult:
    """Anticipated Progress Index (:func:`anticipated_progress_index`).

    Attributes
    ----------
    index : float or None
        ``(y_hat_T - y_base) / (y_target - y_base)``; >= 1 = target expected to be
        reached.
    anticipated_gap : float or None
        ``(y_target - y_hat_T) / (y_target - y_base) = 1 - index``: gap between target
        and predicted value relative to the progress required.
    predicted_value : float or None
        ``y_hat_T`` from the time-weighted regression.
    slope, intercept : float or None
        Fitted line ``y = intercept + slope * year``.
    weights : tuple of float
        Regression weight of every data point (in year order).
    category : str
        ``"on_track"`` (index >= 1), ``"acceleration_needed"`` (trend towards the
        target but index < 1), ``"reverse_trend"`` (trend flat or away from the
        target) or ``"not_assessable"``.
    base_year, base_value, target_year, target_value : number or None
    notes : tuple of str
    """

    index: float | None
    anticipated_gap: float | None
    predicted_value: float | None
    slope: float | None
    intercept: float | None
    weights: tuple[float, ...]
    category: str
    base_year: int | float | None
    base_value: float | None
    target_year: int | float
    target_value: float
    notes: tuple[str, ...] = ()


def current_status_index(
    years: Iterable[Any],
    values: Iterable[Any],
    *,
    target_value: float,
    base_year: Any = None,
) -> CurrentStatusResult:
    """UN ESCAP Current Status Index: share of the required progress made so far.

    Parameters
    ----------
    years, values : array-like
        The series.
    target_value : float
        Target value.
    base_year : year, optional
        Base year (first year with data >= base_year). Default: first year.

    Returns
    -------
    CurrentStatusResult

    Notes
    -----
    Simple formulation [I] consistent with the ESCAP description ("progress made
    since the base year relative to the total progress needed"):
    ``CSI = (y_latest - y_base) / (y_target - y_base)``; no direction argument is
    needed because the target defines it. Needs two data points from the base year
    on and a target different from the base value.

    References
    ----------
    ESCAP progress assessment methodology [1]_; Bidarbakht Nia (2017) [2]_.
    """
    target = finite_number(target_value, "target_value")
    years_arr, vals = clean_series(years, values)
    notes: list[str] = []
    b_idx = base_index(years_arr, base_year, notes) if years_arr.size else None
    if b_idx is None:
        if not notes:
            notes.append("too_few_points")
        return CurrentStatusResult(
            None, None, None, None, None, None, target, notes=tuple(notes)
        )
    y0, yi = float(vals[b_idx]), float(vals[-1])
    fields = {
        "base_year": year_out(years_arr[b_idx]),
        "base_value": y0,
        "latest_year": year_out(years_arr[-1]),
        "latest_value": yi,
        "target_value": target,
    }
    if years_arr.size - b_idx < 2:
        notes.append("too_few_points")
        return CurrentStatusResult(None, None, **fields, notes=tuple(notes))
    if target == y0:
        notes.append("target_equals_base")
        return CurrentStatusResult(None, None, **fields, notes=tuple(notes))
    index = (yi - y0) / (target - y0)
    capped = float(np.clip(index, -1.0, 1.0))
    return CurrentStatusResult(index, capped, **fields, notes=tuple(notes))


def anticipated_progress_index(
    years: Iterable[Any],
    values: Iterable[Any],
    *,
    target_value: float,
    target_year: Any,
    base_year: Any = None,
) -> AnticipatedProgressResult:
    """UN ESCAP Anticipated Progress Index from a time-weighted linear regression.

    Parameters
    ----------
    years, values : array-like
        The series; all points enter the regression (restrict the period beforehand,
        ESCAP uses data since 2000).
    target_value, target_year : float and year
        Target and target year.
    base_year : year, optional
        Base year for the denominator (first year with data >= base_year).
        Default: first year.

    Returns
    -------
    AnticipatedProgressResult

    Notes
    -----
    Weighted least squares of ``y`` on the year with weights increasing linearly
    with time, ``w_k = t_k - t_first + 1`` (1 for the first year, 2 one year later
    ...). ESCAP states only that recent data weigh more; the linear weights are our
    choice. ``y_hat_T`` is the fitted value in the target year and
    ``API = (y_hat_T - y_base) / (y_target - y_base)`` with the *observed* base value
    ([I] formulation). The category is our reading of UNECE's "on track / need to
    accelerate / need to reverse trend", since ESCAP's cut-offs were not found.

    References
    ----------
    ESCAP progress assessment methodology [1]_; Bidarbakht Nia (2017) [2]_
    and ESCAP Working Paper SD/WP/04 (weighted extrapolation); UNECE technical
    notes [3]_.
    """
    target = finite_number(target_value, "target_value")
    t_year = parse_year(target_year, "target_year")
    years_arr, vals = clean_series(years, values)
    notes: list[str] = []
    b_idx = base_index(years_arr, base_year, notes) if years_arr.size else None
    weights = tuple(float(w) for w in years_arr - years_arr[:1].sum() + 1)
    fields: dict[str, Any] = {
        "index": None,
        "anticipated_gap": None,
        "predicted_value": None,
        "slope": None,
        "intercept": None,
        "weights": weights,
        "category": "not_assessable",
        "base_year": None if b_idx is None else year_out(years_arr[b_idx]),
        "base_value": None if b_idx is None else float(vals[b_idx]),
        "target_year": year_out(t_year),
        "target_value": target,
    }
    if years_arr.size < 2 or b_idx is None:
        if not notes:
            notes.append("too_few_points")
        return AnticipatedProgressResult(**fields, notes=tuple(notes))
    w = np.asarray(weights)
    t_mean = float(np.sum(w * years_arr) / np.sum(w))
    y_mean = float(np.sum(w * vals) / np.sum(w))
    slope = float(
        np.sum(w * (years_arr - t_mean) * (vals - y_mean))
        / np.sum(w * (years_arr - t_mean) ** 2)
    )
    intercept = y_mean - slope * t_mean
    predicted = y_mean + slope * (t_year - t_mean)
    fields.update(slope=slope, intercept=intercept, predicted_value=predicted)
    y0 = float(vals[b_idx])
    if target == y0:
        notes.append("target_equals_base")
        return AnticipatedProgressResult(**fields, notes=tuple(notes))
    index = (predicted - y0) / (target - y0)
    if index >= 1:
        category = "on_track"
    elif slope * np.sign(target - y0) > 0:
        category = "acceleration_needed"
    else:
        category = "reverse_trend"
    fields.update(index=index, anticipated_gap=1.0 - index, category=category)
    return AnticipatedProgressResult(**fields, notes=tuple(notes))
