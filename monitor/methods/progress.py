"""Progress against targets: four established ways to turn a time series into a verdict.

1. **Open SDG / Statistics Canada** (:func:`assess_progress`): observed compound annual
   growth rate (CAGR) against the CAGR required to reach a target, or against fixed
   growth thresholds when there is no target; categories and a score in [-5, 5] that
   can be averaged over series (:func:`aggregate_scores`).
2. **German Sustainability Strategy (DNS) weather symbols** (:func:`weather_symbol`):
   the mean change over the last five periods, extrapolated linearly to the target year.
3. **UN ESCAP indices** (:func:`current_status_index` and
   :func:`anticipated_progress_index`): share of the required progress made so far,
   and share expected by the target year from a time-weighted linear regression.
4. **Linear target path (Soll-Pfad)** for output targets of measures
   (:func:`target_path`, :func:`path_progress`).

All functions are pure. Results are frozen dataclasses that carry the numbers behind
the verdict, so that a page can show *why* a series is "on track". Category, symbol
and status values are stable English ids; the UI translates them. ``notes`` are stable
ids as well; :data:`NOTES` explains each one in English.

Years may be given as numbers or as strings; a reporting period such as ``"2015-16"``
counts as its first year (Open SDG rule). Missing values (NaN/None) are dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

__all__ = [
    "CATEGORIES",
    "LIMIT_EXPONENT",
    "NOTES",
    "PATH_STATUSES",
    "PATH_TOLERANCE",
    "WEATHER_SYMBOLS",
    "ZERO_REPLACEMENT",
    "AggregateResult",
    "AnticipatedProgressResult",
    "CurrentStatusResult",
    "PathProgress",
    "ProgressResult",
    "WeatherResult",
    "aggregate_scores",
    "anticipated_progress_index",
    "assess_progress",
    "cagr",
    "category_from_score",
    "current_status_index",
    "decimal_year",
    "limit_scaling_factor",
    "path_progress",
    "target_path",
    "weather_symbol",
    "worst_symbol",
]

#: Open SDG progress categories (stable ids), best first; ``not_assessable`` last.
CATEGORIES = (
    "target_achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "not_assessable",
)

#: DNS weather symbols (stable ids), best first; ``not_assessable`` = no symbol.
WEATHER_SYMBOLS = ("sun", "sun_cloud", "cloud", "thunderstorm", "not_assessable")

#: Status ids of :func:`path_progress`.
PATH_STATUSES = ("achieved", "ahead", "on_path", "behind", "not_started")

#: Replacement for a base or target value of zero (Open SDG).
ZERO_REPLACEMENT = 0.001

#: Exponent ``a`` of the Open SDG scaling factor near natural limits.
LIMIT_EXPONENT = 4.44

#: Default tolerance band of :func:`path_progress`: ratio in [0.9, 1.1] is "on_path".
PATH_TOLERANCE = 0.10

# Open SDG thresholds (ProgressMeasure.py): ratio R with target, d*CAGR without.
_TARGET_THRESHOLDS = (0.95, 0.6, 0.0)
_DIRECTION_THRESHOLDS = (0.015, 0.005, 0.0)

# DNS: number of data points used (6 points = 5 changes) and the minimum.
_WEATHER_WINDOW = 6
_WEATHER_MIN_POINTS = 4
_WEATHER_SUN_SHARE = 0.05
_WEATHER_SUN_CLOUD_SHARE = 0.20

#: Explanation of every note id that a result can carry.
NOTES: dict[str, str] = {
    "too_few_points": "Fewer than two data points from the base year on.",
    "no_data_from_base_year": "No data in or after the requested base year.",
    "base_year_moved": "No value in the base year; the first later year is used.",
    "all_values_zero": "All values are zero; a growth rate is not defined.",
    "mixed_signs": "Values are partly positive, partly negative; CAGR not defined.",
    "negative_values_direction_flipped": (
        "All values are negative; growth is measured on magnitudes with the "
        "direction flipped."
    ),
    "zero_base_replaced": "Base value 0 replaced by 0.001 for the growth rate.",
    "zero_target_replaced": "Target value 0 replaced by 0.001 for the growth rate.",
    "target_sign_differs": "Target and data have different signs; CAGR not defined.",
    "target_year_not_after_base": "The target year is not after the base year.",
    "target_opposite_to_desired_direction": (
        "The target lies on the other side of the base value than the desired "
        "direction (the base value already met the target)."
    ),
    "target_equals_base": "Target value equals the base value; no progress required.",
    "limit_ignored_with_target": "A natural limit is only used without a target.",
    "limit_not_in_desired_direction": (
        "The natural limit does not lie in the desired direction from the base value "
        "and is ignored."
    ),
    "limit_reached_at_base": (
        "The base value is at the natural limit (C = 0): holding it counts as on track."
    ),
    "fewer_than_4_consecutive_points": (
        "Fewer than four consecutive data points; no weather symbol."
    ),
    "gap_in_series": "A gap in the series shortened the window to the latest run.",
    "target_already_reached": (
        "The target is already reached; assessed like an annual limit value (DNS)."
    ),
    "target_year_passed": "The target year lies before the latest data point.",
}


# --------------------------------------------------------------------------- helpers


def _parse_year(value: Any, name: str = "year") -> float:
    """Return a year as float; strings like ``"2015-16"`` give their first year."""
    if isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be a number or a year string, not {value!r}")
    if isinstance(value, str):
        match = re.match(r"^\s*(\d{4})", value)
        if match is None:
            raise ValueError(f"{name} {value!r} does not start with a four-digit year")
        return float(match.group(1))
    try:
        year = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} {value!r} is not a year") from exc
    if not math.isfinite(year):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return year


def _year_out(year: float) -> int | float:
    """Years are reported as int when they are whole numbers."""
    return int(year) if float(year).is_integer() else float(year)


def _finite(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def _check_direction(higher_is_better: Any) -> int:
    if not isinstance(higher_is_better, bool | np.bool_):
        raise ValueError(
            f"higher_is_better must be True or False, not {higher_is_better!r}"
        )
    return 1 if higher_is_better else -1


def _clean_series(years: Any, values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Parse, drop missing values, reject duplicate years and sort by year."""
    if hasattr(values, "to_numpy"):
        vals = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        try:
            vals = np.asarray([np.nan if v is None else v for v in values], dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError("values must be numbers (NaN/None for missing)") from exc
    year_list = list(years)
    if vals.ndim != 1 or len(year_list) != vals.size:
        raise ValueError(
            f"years and values must be 1-d and of equal length "
            f"({len(year_list)} vs {vals.size})"
        )
    if np.isinf(vals).any():
        raise ValueError("values must not be infinite")
    yrs = np.array([_parse_year(y) for y in year_list], dtype=float)
    keep = ~np.isnan(vals)
    yrs, vals = yrs[keep], vals[keep]
    if np.unique(yrs).size != yrs.size:
        raise ValueError("duplicate years in the series")
    order = np.argsort(yrs, kind="stable")
    return yrs[order], vals[order]


def _base_index(years: np.ndarray, base_year: Any, notes: list[str]) -> int | None:
    """Index of the base observation: first year with data >= base_year."""
    if base_year is None:
        return 0
    wanted = _parse_year(base_year, "base_year")
    candidates = np.nonzero(years >= wanted)[0]
    if candidates.size == 0:
        notes.append("no_data_from_base_year")
        return None
    idx = int(candidates[0])
    if years[idx] != wanted:
        notes.append("base_year_moved")
    return idx


def cagr(y0: float, yi: float, t0: float, ti: float) -> float:
    """Compound annual growth rate between two observations.

    Parameters
    ----------
    y0, yi : float
        Values at the start (base) and at the end. Both must have the same sign;
        ``y0`` must not be zero (``yi`` may be zero: the rate is then -100 %).
    t0, ti : float
        Years of the two values (``ti != t0``).

    Returns
    -------
    float
        ``(yi / y0) ** (1 / (ti - t0)) - 1``, e.g. ``-0.0248`` for -2.48 % per year.

    Notes
    -----
    For negative series the rate describes the growth of the magnitude; the caller
    flips the desired direction (see :func:`assess_progress`).

    References
    ----------
    open-sdg/open-sdg ``docs/progress-methodology.md``; open-sdg/sdg-build
    ``sdg/ProgressMeasure.py`` (``growth_calculation``).
    """
    y0 = _finite(y0, "y0")
    yi = _finite(yi, "yi")
    t0 = _parse_year(t0, "t0")
    ti = _parse_year(ti, "ti")
    if y0 == 0:
        raise ValueError("y0 must not be zero (replace it by 0.001, see Notes)")
    if ti == t0:
        raise ValueError("ti must differ from t0")
    ratio = yi / y0
    if ratio < 0:
        raise ValueError("y0 and yi must have the same sign")
    return ratio ** (1.0 / (ti - t0)) - 1.0


# ------------------------------------------------------------------ Open SDG / CAGR


@dataclass(frozen=True)
class ProgressResult:
    """Verdict of :func:`assess_progress` with the numbers behind it.

    Attributes
    ----------
    category : str
        One of :data:`CATEGORIES`.
    score : float or None
        Score in [-5, 5] (5 if the target is achieved); None if not assessable.
    cagr_observed, cagr_required : float or None
        Observed CAGR from base to latest year; CAGR required from base value to
        target (None without target). Fractions: -0.0225 = -2.25 % per year.
    ratio : float or None
        ``R = s * d * CAGR_obs / |CAGR_req|`` (with target).
    progress_value : float or None
        The value compared with the thresholds: ``R`` with target, ``s * d * CAGR_obs``
        without.
    scaling_factor : float
        ``C`` near natural limits (1.0 when no limit applies).
    base_year, base_value, latest_year, latest_value : number or None
        Observations used (base value as observed, before any zero replacement).
    target_year, target_value : number or None
        As given.
    higher_is_better : bool
        Desired direction ``d`` (+1 if True).
    method : str
        ``"cagr_target"`` or ``"cagr_direction"``.
    notes : tuple of str
        Ids from :data:`NOTES`.
    """

    category: str
    score: float | None
    cagr_observed: float | None
    cagr_required: float | None
    ratio: float | None
    progress_value: float | None
    scaling_factor: float
    base_year: int | float | None
    base_value: float | None
    latest_year: int | float | None
    latest_value: float | None
    target_year: int | float | None
    target_value: float | None
    higher_is_better: bool
    method: str
    notes: tuple[str, ...] = ()

    @property
    def target_achieved(self) -> bool:
        """True if the category is ``"target_achieved"``."""
        return self.category == "target_achieved"


def category_from_score(score: float | None, *, target_achieved: bool = False) -> str:
    """Open SDG category of a score (used for aggregates).

    Bands: [2.5, 5] on_track; [0, 2.5[ acceleration_needed; [-2.5, 0[
    limited_progress; [-5, -2.5[ deterioration; None -> not_assessable.
    ``target_achieved=True`` wins over the score.

    References
    ----------
    open-sdg/sdg-build ``sdg/ProgressMeasure.py`` (``get_progress_status_from_score``).
    """
    if target_achieved:
        return "target_achieved"
    if score is None:
        return "not_assessable"
    score = _finite(score, "score")
    if score >= 2.5:
        return "on_track"
    if score >= 0:
        return "acceleration_needed"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"


def _category_from_thresholds(value: float, thresholds: Sequence[float]) -> str:
    high, med, low = thresholds
    if value >= high:
        return "on_track"
    if value >= med:
        return "acceleration_needed"
    if value >= low:
        return "limited_progress"
    return "deterioration"


def _score_target(ratio: float) -> float:
    """Piecewise linear: R <= -0.6 -> -5, R = 0.6 -> 0, R >= 1.3 -> 5."""
    if ratio >= 0.6:
        return min((ratio - 0.6) * 50.0 / 7.0, 5.0)
    return max((ratio - 0.6) * 25.0 / 6.0, -5.0)


def _score_direction(value: float, coefficient: float) -> float:
    """Piecewise linear in d*CAGR: -2 % -> -5, 0 -> -2.5, 0.5 %C -> 0, 1.5 %C -> 2.5,
    2 %C -> 5. Positive breakpoints are scaled by C; C = 0 and value >= 0 gives 5."""
    if value < 0:
        return max(125.0 * value - 2.5, -5.0)
    if coefficient == 0:
        return 5.0
    q = value / coefficient
    if q >= 0.015:
        return min(500.0 * q - 5.0, 5.0)
    if q >= 0.005:
        return 250.0 * q - 1.25
    return 500.0 * q - 2.5


def limit_scaling_factor(
    base_value: float, limit: float, *, higher_is_better: bool
) -> float | None:
    """Open SDG scaling factor ``C`` for growth thresholds near a natural limit.

    Parameters
    ----------
    base_value : float
        Value in the base year.
    limit : float
        Natural limit in the desired direction: a maximum (e.g. 100 for a share that
        should rise) when ``higher_is_better``, a minimum otherwise.
    higher_is_better : bool
        Desired direction on the values as given.

    Returns
    -------
    float or None
        ``C`` in [0, 1]; None when the limit does not lie in the desired direction
        from the base value (then Open SDG's documentation says it is not considered).

    Notes
    -----
    With ``b = |base_value|``, ``L = |limit|`` and ``a = 4.44`` (sdg-build):
    maximum limit (``b <= L``): ``C = 1 - (b / L) ** a``;
    minimum limit (``L <= b < 2L``): ``C = 1 - ((2L - b) / L) ** a``; ``b >= 2L``: 1.
    For an all-negative series the direction on magnitudes is flipped, exactly as in
    :func:`assess_progress`. A minimum limit of 0 therefore never scales (C = 1).

    References
    ----------
    open-sdg/open-sdg ``docs/progress-methodology.md`` (scaling factor C);
    open-sdg/sdg-build ``sdg/ProgressMeasure.py`` (``get_progress_thresholds``).
    """
    base_value = _finite(base_value, "base_value")
    limit = _finite(limit, "limit")
    d = _check_direction(higher_is_better)
    sign = -1 if base_value < 0 else 1
    if limit != 0 and np.sign(limit) != sign:
        return None
    b, lim = abs(base_value), abs(limit)
    if sign * d > 0:  # the magnitude should grow: maximum limit
        if b > lim or lim == 0:
            return None
        return 1.0 - (b / lim) ** LIMIT_EXPONENT
    # the magnitude should shrink: minimum limit
    if b < lim:
        return None
    if b >= 2 * lim:
        return 1.0
    return 1.0 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT


def assess_progress(
    years: Iterable[Any],
    values: Iterable[Any],
    *,
    higher_is_better: bool,
    target_value: float | None = None,
    target_year: Any = None,
    base_year: Any = None,
    limit: float | None = None,
) -> ProgressResult:
    """Open SDG / Statistics Canada progress category and score of one series.

    Parameters
    ----------
    years, values : array-like
        The series; missing values (NaN/None) are dropped, years may be strings
        such as ``"2015-16"`` (first year counts). Duplicate years raise.
    higher_is_better : bool
        Desired direction ``d`` (+1 if True, -1 otherwise).
    target_value, target_year : float and year, optional
        Quantitative target; both or neither must be given.
    base_year : year, optional
        Base year ``t0``; if the series has no value in it, the first later year
        with data is used. Default: the first year with data.
    limit : float, optional
        Natural limit for series without target (e.g. 100 for a percentage that
        should rise); scales the positive thresholds by ``C``
        (:func:`limit_scaling_factor`). Ignored (with a note) when a target is given.

    Returns
    -------
    ProgressResult

    Raises
    ------
    ValueError
        Malformed input (lengths, duplicate years, non-numeric values, a target value
        without target year or vice versa).

    Notes
    -----
    ``t_i`` is the latest year with data. ``CAGR_obs = (y_i/y_0)^(1/(t_i-t_0)) - 1``.
    ``s = -1`` if the values are negative, else +1 (Open SDG: "if all values are
    negative, flip direction").

    With target: the target is achieved if ``d * (y_i - y_T) >= 0`` (compared with
    the target as given); then category ``target_achieved`` and score 5. Otherwise
    ``CAGR_req = (y_T/y_0)^(1/(T-t_0)) - 1`` and ``R = s * d * CAGR_obs / |CAGR_req|``
    (sdg-build: ``sign * direction * cagr_o / abs(cagr_r)``); R >= 0.95 on_track,
    >= 0.6 acceleration_needed, >= 0 limited_progress, < 0 deterioration. Dividing
    by ``|CAGR_req|`` is the documented handling of a target that lies *against*
    the desired direction (the base value already met it, then the series slipped
    past it): movement in the desired direction still gives ``R > 0`` and movement
    against it ``R < 0``; a note ``target_opposite_to_desired_direction`` is added.
    If the target equals the base value and is not achieved, the series has moved
    the wrong way from a met target: ``deterioration``, score -5, ratio None.
    Score: R <= -0.6 -> -5, R = 0.6 -> 0, R >= 1.3 -> 5, linear in between
    (slopes 25/6 and 50/7; sdg-build rounds them to 4.1667 and 7.1429).

    Without target: ``p = s * d * CAGR_obs``; p >= 1.5 %·C on_track, >= 0.5 %·C
    acceleration_needed, >= 0 limited_progress, < 0 deterioration. Score: p <= -2 %
    -> -5, 0 -> -2.5, 0.5 %·C -> 0, 1.5 %·C -> 2.5, >= 2 %·C -> 5. With ``C = 0``
    (base value at the limit) any ``p >= 0`` is on track with score 5.

    Edge rules: at least two data points from the base year on; all values from the
    base year on must share one sign; a base or target value of 0 is replaced by
    0.001 (with the sign of the series; Open SDG uses +0.001, identical for positive
    series); a series of zeros only is not assessable (our addition: no growth rate).
    The category comes from the thresholds on the progress value, the score from the
    piecewise-linear map; both agree up to floating-point rounding at a breakpoint.

    References
    ----------
    open-sdg/open-sdg ``docs/progress-methodology.md`` (Statistics Canada method,
    Open SDG 2.4); open-sdg/sdg-build ``sdg/ProgressMeasure.py``.

    Examples
    --------
    >>> r = assess_progress([2024, 2026], [45, 43], higher_is_better=False,
    ...                     target_value=35, target_year=2034)
    >>> r.category, round(r.ratio, 2)
    ('acceleration_needed', 0.91)
    """
    d = _check_direction(higher_is_better)
    if (target_value is None) != (target_year is None):
        raise ValueError("target_value and target_year must be given together")
    target = None if target_value is None else _finite(target_value, "target_value")
    t_year = None if target_year is None else _parse_year(target_year, "target_year")
    lim = None if limit is None else _finite(limit, "limit")
    years_arr, vals = _clean_series(years, values)
    method = "cagr_direction" if target is None else "cagr_target"
    notes: list[str] = []

    def not_assessable(**known: Any) -> ProgressResult:
        fields = {
            "category": "not_assessable",
            "score": None,
            "cagr_observed": None,
            "cagr_required": None,
            "ratio": None,
            "progress_value": None,
            "scaling_factor": 1.0,
            "base_year": None,
            "base_value": None,
            "latest_year": _year_out(years_arr[-1]) if years_arr.size else None,
            "latest_value": float(vals[-1]) if vals.size else None,
            "target_year": None if t_year is None else _year_out(t_year),
            "target_value": target,
            "higher_is_better": bool(higher_is_better),
            "method": method,
        }
        fields.update(known)
        return ProgressResult(**fields, notes=tuple(notes))

    if years_arr.size < 2:
        notes.append("too_few_points")
        return not_assessable()
    b_idx = _base_index(years_arr, base_year, notes)
    if b_idx is None:
        return not_assessable()
    t0, y0 = float(years_arr[b_idx]), float(vals[b_idx])
    ti, yi = float(years_arr[-1]), float(vals[-1])
    base_known = {"base_year": _year_out(t0), "base_value": y0}
    if ti <= t0:
        notes.append("too_few_points")
        return not_assessable(**base_known)

    used = vals[b_idx:]
    nonzero = used[used != 0]
    if nonzero.size == 0:
        notes.append("all_values_zero")
        return not_assessable(**base_known)
    if (nonzero > 0).any() and (nonzero < 0).any():
        notes.append("mixed_signs")
        return not_assessable(**base_known)
    sign = -1 if nonzero[0] < 0 else 1
    if sign < 0:
        notes.append("negative_values_direction_flipped")
    y0_calc = y0
    if y0 == 0:
        y0_calc = sign * ZERO_REPLACEMENT
        notes.append("zero_base_replaced")
    cagr_obs = cagr(y0_calc, yi, t0, ti)

    if target is None:
        coefficient = 1.0
        if lim is not None:
            c = limit_scaling_factor(y0_calc, lim, higher_is_better=bool(d > 0))
            if c is None:
                notes.append("limit_not_in_desired_direction")
            else:
                coefficient = c
                if c == 0:
                    notes.append("limit_reached_at_base")
        p = sign * d * cagr_obs
        thresholds = tuple(x * coefficient for x in _DIRECTION_THRESHOLDS)
        return ProgressResult(
            category=_category_from_thresholds(p, thresholds),
            score=_score_direction(p, coefficient),
            cagr_observed=cagr_obs,
            cagr_required=None,
            ratio=None,
            progress_value=p,
            scaling_factor=coefficient,
            base_year=_year_out(t0),
            base_value=y0,
            latest_year=_year_out(ti),
            latest_value=yi,
            target_year=None,
            target_value=None,
            higher_is_better=bool(higher_is_better),
            method=method,
            notes=tuple(notes),
        )

    # ---- with a quantitative target
    if lim is not None:
        notes.append("limit_ignored_with_target")
    known = {**base_known, "cagr_observed": cagr_obs}
    if t_year <= t0:
        notes.append("target_year_not_after_base")
        return not_assessable(**known)
    target_calc = target
    if target == 0:
        target_calc = sign * ZERO_REPLACEMENT
        notes.append("zero_target_replaced")
    if np.sign(target_calc) != sign:
        notes.append("target_sign_differs")
        return not_assessable(**known)
    cagr_req = cagr(y0_calc, target_calc, t0, t_year)
    if sign * d * cagr_req < 0:
        notes.append("target_opposite_to_desired_direction")
    achieved = d * (yi - target) >= 0
    if cagr_req == 0:
        notes.append("target_equals_base")
        ratio = None
    else:
        ratio = sign * d * cagr_obs / abs(cagr_req)
    if achieved:
        category, score = "target_achieved", 5.0
    elif ratio is None:
        category, score = "deterioration", -5.0
    else:
        category = _category_from_thresholds(ratio, _TARGET_THRESHOLDS)
        score = _score_target(ratio)
    return ProgressResult(
        category=category,
        score=score,
        cagr_observed=cagr_obs,
        cagr_required=cagr_req,
        ratio=ratio,
        progress_value=ratio,
        scaling_factor=1.0,
        base_year=_year_out(t0),
        base_value=y0,
        latest_year=_year_out(ti),
        latest_value=yi,
        target_year=_year_out(t_year),
        target_value=target,
        higher_is_better=bool(higher_is_better),
        method=method,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class AggregateResult:
    """Mean score of several series (:func:`aggregate_scores`).

    Attributes
    ----------
    category : str
        From the mean score (:func:`category_from_score`); ``target_achieved`` only if
        every assessed series achieved its target.
    score : float or None
        Mean of the assessed series' scores (groups averaged first).
    n_series, n_assessed, n_target_achieved : int
        Top-level items given, items with a score, items that achieved the target.
    """

    category: str
    score: float | None
    n_series: int
    n_assessed: int
    n_target_achieved: int

    @property
    def target_achieved(self) -> bool:
        """True if the category is ``"target_achieved"``."""
        return self.category == "target_achieved"


def aggregate_scores(
    results: Sequence[ProgressResult | AggregateResult | Sequence[Any]],
) -> AggregateResult:
    """Aggregate series verdicts into one indicator verdict (Open SDG).

    Parameters
    ----------
    results : sequence
        :class:`ProgressResult` or :class:`AggregateResult` items. An item that is
        itself a list or tuple is a group of sub-series: it is aggregated first and
        enters with its mean score, so that sub-indicators weigh equally.

    Returns
    -------
    AggregateResult

    Raises
    ------
    ValueError
        Empty input or items of another type.

    Notes
    -----
    Score = mean of the scores of the assessable items; not assessable items are
    left out (as in sdg-build). The category follows from the mean score; it is
    ``target_achieved`` only if all assessable items achieved their targets. Without
    any assessable item the result is ``not_assessable`` with score None.

    References
    ----------
    open-sdg/open-sdg ``docs/progress-methodology.md`` (aggregated progress status,
    sub-indicator grouping); open-sdg/sdg-build ``sdg/ProgressMeasure.py``
    (``IndicatorProgress.get_indicator_progress``).
    """
    if isinstance(results, ProgressResult | AggregateResult) or not isinstance(
        results, Sequence
    ):
        raise ValueError("results must be a list or tuple of results")
    if len(results) == 0:
        raise ValueError("results must not be empty")
    scores: list[float] = []
    achieved: list[bool] = []
    for item in results:
        if isinstance(item, list | tuple):
            item = aggregate_scores(item)
        if not isinstance(item, ProgressResult | AggregateResult):
            raise ValueError(
                f"expected ProgressResult or AggregateResult, got {type(item).__name__}"
            )
        if item.score is None:
            continue
        scores.append(float(item.score))
        achieved.append(item.target_achieved)
    if not scores:
        return AggregateResult("not_assessable", None, len(results), 0, 0)
    score = float(np.mean(scores))
    all_achieved = all(achieved)
    return AggregateResult(
        category=category_from_score(score, target_achieved=all_achieved),
        score=score,
        n_series=len(results),
        n_assessed=len(scores),
        n_target_achieved=int(sum(achieved)),
    )


# ------------------------------------------------------------ DNS weather symbols


@dataclass(frozen=True)
class WeatherResult:
    """Verdict of :func:`weather_symbol` with the numbers behind it.

    Attributes
    ----------
    symbol : str
        One of :data:`WEATHER_SYMBOLS`.
    variant : str
        ``"target"``, ``"annual_limit"`` or ``"direction"``.
    mean_change : float or None
        Mean change per year over the window (last up to 6 consecutive points).
    last_change : float or None
        Change per year between the last two points.
    extrapolated_value : float or None
        ``latest_value + mean_change * (target_year - latest_year)`` (target variant).
    gap : float or None
        ``|target - latest_value|`` (target variant) or ``|limit - latest_value|``
        (annual-limit variant): the gap between target and *current* value.
    miss_share : float or None
        ``d * (target - extrapolated_value) / gap``: the share of the gap that would
        still be missing in the target year; <= 0 means reached (negative = exceeded).
        None if the target is already reached or in the other variants.
    points_used : int
        Number of data points in the window.
    window_start_year, latest_year : number or None
        First and last year of the window.
    latest_value : float or None
    target_value, target_year : number or None
        Target (target variant) or limit value (annual-limit variant, year None).
    notes : tuple of str
        Ids from :data:`NOTES`.
    """

    symbol: str
    variant: str
    mean_change: float | None
    last_change: float | None
    extrapolated_value: float | None
    gap: float | None
    miss_share: float | None
    points_used: int
    window_start_year: int | float | None
    latest_year: int | float | None
    latest_value: float | None
    target_value: float | None
    target_year: int | float | None
    notes: tuple[str, ...] = ()


def _consecutive_start(years: np.ndarray) -> int:
    """Start index of the trailing run of consecutive data points.

    A step larger than the smallest step of the series is a gap (annual data: any
    missing year; biennial data: a missing survey)."""
    if years.size < 2:
        return 0
    steps = np.diff(years)
    smallest = steps.min()
    i = years.size - 1
    while i > 0 and steps[i - 1] <= smallest * (1 + 1e-9):
        i -= 1
    return i


def _annual_limit_symbol(met: bool, d: int, mean_change: float) -> str:
    """DNS rule for values that must hold every year."""
    if met:
        return "sun" if d * mean_change >= 0 else "sun_cloud"
    return "cloud" if d * mean_change >= 0 else "thunderstorm"


def weather_symbol(
    years: Iterable[Any],
    values: Iterable[Any],
    *,
    higher_is_better: bool,
    target_value: float | None = None,
    target_year: Any = None,
    annual_limit: float | None = None,
) -> WeatherResult:
    """Weather symbol of the German Sustainability Strategy (DNS) for one series.

    Parameters
    ----------
    years, values : array-like
        The series (missing values dropped, duplicate years raise).
    higher_is_better : bool
        Desired direction ``d``.
    target_value, target_year : float and year, optional
        A target to reach in a target year (variant "target"); both or neither.
    annual_limit : float, optional
        A limit to be met every year (variant "annual_limit"). Cannot be combined
        with ``target_value``. Without both: variant "direction".

    Returns
    -------
    WeatherResult

    Raises
    ------
    ValueError
        Malformed input, or both ``target_value`` and ``annual_limit`` given.

    Notes
    -----
    Window: the last 6 data points (5 changes) of the trailing run of consecutive
    points; at least 4 consecutive points are required, otherwise no symbol
    (``not_assessable``). The DNS states the minimum for the target variant; we apply
    it to all variants because all use the mean change. A step longer than the
    smallest step of the series counts as a gap. For non-annual spacing every change
    is taken per year: ``mean_change = (y_last - y_first) / (t_last - t_first)`` over
    the window, which for annual data equals the mean of the 5 annual changes.

    *Target*: if the latest value already meets the target (``d * (y - target) >=
    0``) the DNS uses the annual-limit rule with the target as the limit. Otherwise
    ``gap = |target - y_latest|``, ``extrapolated = y_latest + mean_change *
    (target_year - latest_year)`` (horizon 0 if the target year has passed) and
    ``miss_share = d * (target - extrapolated) / gap``: thunderstorm if the mean
    change does not point towards the target (``d * mean_change <= 0``); else sun if
    ``miss_share < 5 %``, sun_cloud ("leicht bewölkt") if 5 % <= miss_share <= 20 %,
    cloud if > 20 %.

    *Annual limit*: met (``d * (y_latest - limit) >= 0``) and mean change not
    deteriorating -> sun; met but deteriorating -> sun_cloud; not met but not moving
    away (``d * mean_change >= 0``) -> cloud; not met and moving away -> thunderstorm.

    *Direction only*: mean change (primary) and last change (secondary) in the
    desired direction (strictly): both -> sun; mean only -> sun_cloud; last only ->
    cloud; neither -> thunderstorm.

    Several targets for one indicator: take the worst symbol (:func:`worst_symbol`).
    The symbols are neither a political judgement nor a forecast (DNS).

    References
    ----------
    Nachhaltige-Entwicklung-Deutschland/open-sdg-site-starter ``_pages/status.md``
    ("Status der Indikatoren", dns-indikatoren.de); Bundesregierung, Deutsche
    Nachhaltigkeitsstrategie, chapter on the indicator status.
    """
    d = _check_direction(higher_is_better)
    if (target_value is None) != (target_year is None):
        raise ValueError("target_value and target_year must be given together")
    if target_value is not None and annual_limit is not None:
        raise ValueError("give either target_value/target_year or annual_limit")
    target = None if target_value is None else _finite(target_value, "target_value")
    t_year = None if target_year is None else _parse_year(target_year, "target_year")
    limit = None if annual_limit is None else _finite(annual_limit, "annual_limit")
    if target is not None:
        variant = "target"
    elif limit is not None:
        variant = "annual_limit"
    else:
        variant = "direction"
    years_arr, vals = _clean_series(years, values)
    notes: list[str] = []

    run_start = _consecutive_start(years_arr)
    start = max(run_start, years_arr.size - _WEATHER_WINDOW)
    if run_start > 0 and run_start > years_arr.size - _WEATHER_WINDOW:
        notes.append("gap_in_series")
    n_used = int(years_arr.size - start)
    reference = target if target is not None else limit
    common = {
        "variant": variant,
        "points_used": n_used,
        "window_start_year": _year_out(years_arr[start]) if n_used else None,
        "latest_year": _year_out(years_arr[-1]) if n_used else None,
        "latest_value": float(vals[-1]) if n_used else None,
        "target_value": reference,
        "target_year": None if t_year is None else _year_out(t_year),
    }
    if n_used < _WEATHER_MIN_POINTS:
        notes.append("fewer_than_4_consecutive_points")
        return WeatherResult(
            symbol="not_assessable",
            mean_change=None,
            last_change=None,
            extrapolated_value=None,
            gap=None,
            miss_share=None,
            notes=tuple(notes),
            **common,
        )
    t, y = years_arr[start:], vals[start:]
    mean_change = float((y[-1] - y[0]) / (t[-1] - t[0]))
    last_change = float((y[-1] - y[-2]) / (t[-1] - t[-2]))
    latest = float(y[-1])
    extrapolated = gap = miss_share = None

    if variant == "direction":
        mean_right, last_right = d * mean_change > 0, d * last_change > 0
        if mean_right:
            symbol = "sun" if last_right else "sun_cloud"
        else:
            symbol = "cloud" if last_right else "thunderstorm"
    elif variant == "annual_limit":
        gap = abs(limit - latest)
        symbol = _annual_limit_symbol(d * (latest - limit) >= 0, d, mean_change)
    else:
        gap = abs(target - latest)
        horizon = t_year - float(t[-1])
        if horizon < 0:
            notes.append("target_year_passed")
            horizon = 0.0
        extrapolated = latest + mean_change * horizon
        if d * (latest - target) >= 0:
            notes.append("target_already_reached")
            symbol = _annual_limit_symbol(True, d, mean_change)
        else:
            miss_share = d * (target - extrapolated) / gap
            if d * mean_change <= 0:
                symbol = "thunderstorm"
            elif miss_share < _WEATHER_SUN_SHARE:
                symbol = "sun"
            elif miss_share <= _WEATHER_SUN_CLOUD_SHARE:
                symbol = "sun_cloud"
            else:
                symbol = "cloud"
    return WeatherResult(
        symbol=symbol,
        mean_change=mean_change,
        last_change=last_change,
        extrapolated_value=extrapolated,
        gap=gap,
        miss_share=miss_share,
        notes=tuple(notes),
        **common,
    )


def worst_symbol(results: Iterable[WeatherResult | str]) -> str:
    """Worst weather symbol of several targets of one indicator (DNS rule).

    ``not_assessable`` items are ignored; if all are, the result is
    ``not_assessable``.

    References
    ----------
    Nachhaltige-Entwicklung-Deutschland/open-sdg-site-starter ``_pages/status.md``
    ("Indikatoren mit mehreren Zielwerten").
    """
    order = {"thunderstorm": 0, "cloud": 1, "sun_cloud": 2, "sun": 3}
    symbols = []
    for item in results:
        symbol = item.symbol if isinstance(item, WeatherResult) else item
        if symbol not in WEATHER_SYMBOLS:
            raise ValueError(f"unknown weather symbol {symbol!r}")
        if symbol != "not_assessable":
            symbols.append(symbol)
    if not symbols:
        return "not_assessable"
    return min(symbols, key=order.__getitem__)


# ------------------------------------------------------------------- UN ESCAP


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
    UN ESCAP, "Progress Assessment Methodology", data.unescap.org resource guide;
    A. Bidarbakht Nia (2017), "Tracking progress towards the SDGs: measuring the
    otherwise ambiguous progress", ESCAP Statistics Division Working Paper SD/WP/05.
    """
    target = _finite(target_value, "target_value")
    years_arr, vals = _clean_series(years, values)
    notes: list[str] = []
    b_idx = _base_index(years_arr, base_year, notes) if years_arr.size else None
    if b_idx is None:
        if not notes:
            notes.append("too_few_points")
        return CurrentStatusResult(
            None, None, None, None, None, None, target, notes=tuple(notes)
        )
    y0, yi = float(vals[b_idx]), float(vals[-1])
    fields = {
        "base_year": _year_out(years_arr[b_idx]),
        "base_value": y0,
        "latest_year": _year_out(years_arr[-1]),
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
    UN ESCAP, "Progress Assessment Methodology", data.unescap.org; A. Bidarbakht Nia
    (2017), ESCAP Working Papers SD/WP/04 (weighted extrapolation) and SD/WP/05;
    UNECE, SDG progress report technical notes (w3.unece.org/sdg2023).
    """
    target = _finite(target_value, "target_value")
    t_year = _parse_year(target_year, "target_year")
    years_arr, vals = _clean_series(years, values)
    notes: list[str] = []
    b_idx = _base_index(years_arr, base_year, notes) if years_arr.size else None
    weights = tuple(float(w) for w in years_arr - years_arr[:1].sum() + 1)
    fields: dict[str, Any] = {
        "index": None,
        "anticipated_gap": None,
        "predicted_value": None,
        "slope": None,
        "intercept": None,
        "weights": weights,
        "category": "not_assessable",
        "base_year": None if b_idx is None else _year_out(years_arr[b_idx]),
        "base_value": None if b_idx is None else float(vals[b_idx]),
        "target_year": _year_out(t_year),
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


# ------------------------------------------------------- linear target path (Soll-Pfad)


@dataclass(frozen=True)
class PathProgress:
    """Progress of a measure's output against its linear target path.

    Attributes
    ----------
    expected : float
        Value on the Soll-Pfad at ``actual_date``.
    actual : float
        Reported value.
    achieved_increment : float
        ``actual - base_value``.
    expected_increment : float
        ``expected - base_value``.
    ratio : float or None
        ``achieved_increment / expected_increment``; None before the path starts.
    share_of_target : float
        ``achieved_increment / (target_value - base_value)``: share of the whole
        planned increment delivered so far.
    elapsed_share : float
        Share of the period from base date to target date that has elapsed
        (clipped to [0, 1]).
    status : str
        One of :data:`PATH_STATUSES`.
    """

    expected: float
    actual: float
    achieved_increment: float
    expected_increment: float
    ratio: float | None
    share_of_target: float
    elapsed_share: float
    status: str


def decimal_year(day: date) -> float:
    """Year as a decimal number, counted in days: ``year + (day_of_year - 1) / days``.

    1 January is a whole number (2027-01-01 -> 2027.0), so whole-year periods give
    whole-year fractions regardless of leap years.
    """
    if not isinstance(day, date):
        raise ValueError(f"expected a datetime.date, got {type(day).__name__}")
    start = date(day.year, 1, 1).toordinal()
    days_in_year = date(day.year + 1, 1, 1).toordinal() - start
    return day.year + (day.toordinal() - start) / days_in_year


def _elapsed_share(base_date: date, target_date: date, at_date: date) -> float:
    for name, value in (
        ("base_date", base_date),
        ("target_date", target_date),
        ("at_date", at_date),
    ):
        if not isinstance(value, date):
            raise ValueError(f"{name} must be a datetime.date, got {value!r}")
    if target_date <= base_date:
        raise ValueError("target_date must be after base_date")
    t0, t1 = decimal_year(base_date), decimal_year(target_date)
    share = (decimal_year(at_date) - t0) / (t1 - t0)
    return min(max(share, 0.0), 1.0)


def target_path(
    base_value: float,
    target_value: float,
    base_date: date,
    target_date: date,
    at_date: date,
) -> float:
    """Expected value on the linear target path (Soll-Pfad) at a date.

    Parameters
    ----------
    base_value, target_value : float
        Value at ``base_date`` and planned value at ``target_date``.
    base_date, target_date, at_date : datetime.date
        ``target_date`` must be after ``base_date``.

    Returns
    -------
    float
        ``base + (target - base) * (t - t0) / (T - t0)`` with decimal years
        (:func:`decimal_year`); before ``base_date`` the base value, after
        ``target_date`` the target value.

    Notes
    -----
    Example: 600 Kita places on 2025-01-01, 990 planned for 2035-01-01; on 2027-01-01
    the path expects 600 + 390 * 2/10 = 678.

    References
    ----------
    DOMAIN.md 4.1/4.4 (linear Soll-Pfad for cumulative output targets); BBSR (2009),
    "Arbeitshilfe Monitoring" (Soziale Stadt).
    """
    base = _finite(base_value, "base_value")
    target = _finite(target_value, "target_value")
    share = _elapsed_share(base_date, target_date, at_date)
    return base + (target - base) * share


def path_progress(
    base_value: float,
    target_value: float,
    base_date: date,
    target_date: date,
    actual_value: float,
    actual_date: date,
    *,
    tolerance: float = PATH_TOLERANCE,
) -> PathProgress:
    """Compare a reported value of a measure with its linear target path.

    Parameters
    ----------
    base_value, target_value : float
        Baseline and planned value (they must differ; decreasing targets work too).
    base_date, target_date : datetime.date
    actual_value : float
        Reported (Ist) value.
    actual_date : datetime.date
        Date of the report.
    tolerance : float, default 0.10
        Half-width of the "on_path" band around ratio 1.

    Returns
    -------
    PathProgress

    Notes
    -----
    ``ratio = (actual - base) / (expected - base)``. Status, in this order:
    ``achieved`` if the whole planned increment is delivered (share_of_target >= 1);
    ``not_started`` if the path has not started at ``actual_date`` (date on or
    before the base date, so nothing is expected yet); ``ahead`` if ratio > 1 +
    tolerance; ``on_path`` if 1 - tolerance <= ratio <= 1 + tolerance; ``behind``
    otherwise. Why a ±10 % band: outputs of measures arrive in lumps (a Kita
    opens with 50 places at once), so a strict "ratio >= 1" would flip the status
    between reports without any real change; 10 % is also a common tolerance of
    German traffic-light controlling. The band is a parameter.

    References
    ----------
    DOMAIN.md 4.1/4.4; ILS NRW (2004), "Zielentwicklung und Selbstevaluation in der
    Sozialen Stadt NRW".
    """
    base = _finite(base_value, "base_value")
    target = _finite(target_value, "target_value")
    actual = _finite(actual_value, "actual_value")
    tolerance = _finite(tolerance, "tolerance")
    if not 0 <= tolerance < 1:
        raise ValueError("tolerance must be in [0, 1)")
    if target == base:
        raise ValueError("target_value must differ from base_value")
    share = _elapsed_share(base_date, target_date, actual_date)
    expected = base + (target - base) * share
    expected_increment = expected - base
    achieved_increment = actual - base
    share_of_target = achieved_increment / (target - base)
    ratio = achieved_increment / expected_increment if expected_increment else None
    if share_of_target >= 1:
        status = "achieved"
    elif ratio is None:
        status = "not_started"
    elif ratio > 1 + tolerance:
        status = "ahead"
    elif ratio >= 1 - tolerance:
        status = "on_path"
    else:
        status = "behind"
    return PathProgress(
        expected=expected,
        actual=actual,
        achieved_increment=achieved_increment,
        expected_increment=expected_increment,
        ratio=ratio,
        share_of_target=share_of_target,
        elapsed_share=share,
        status=status,
    )
