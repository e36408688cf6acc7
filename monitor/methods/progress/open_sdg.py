"""Open SDG / Statistics Canada progress measure: growth rates against a target.

The observed compound annual growth rate (CAGR) of a series is compared with the
CAGR required to reach a target (:func:`assess_progress` with a target), or with
fixed growth thresholds when there is none; the verdict is a category and a
score in [-5, 5] that can be averaged over series (:func:`aggregate_scores`).

References
----------
.. [1] Open SDG, "Progress Measurement Methodology for the Sustainable
   Development Goals", https://open-sdg.readthedocs.io/en/latest/progress-methodology/
   (the Statistics Canada method, in Open SDG since 2.4).
.. [2] open-sdg/sdg-build, ``sdg/ProgressMeasure.py`` (growth rates,
   thresholds, scores, aggregation).
.. [3] Statistics Canada, "Progress Measurement for Canada's Sustainable
   Development Goals", https://sdgcif-data-canada-oddcic-donnee.github.io/methodology
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitor.methods.progress.series import (
    base_index,
    clean_series,
    direction_sign,
    finite_number,
    parse_year,
    year_out,
)

__all__ = [
    "CATEGORIES",
    "LIMIT_EXPONENT",
    "ZERO_REPLACEMENT",
    "AggregateResult",
    "ProgressResult",
    "aggregate_scores",
    "assess_progress",
    "cagr",
    "category_from_score",
    "limit_scaling_factor",
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

#: Replacement for a base or target value of zero (Open SDG).
ZERO_REPLACEMENT = 0.001

#: Exponent ``a`` of the Open SDG scaling factor near natural limits.
LIMIT_EXPONENT = 4.44

# Open SDG thresholds (ProgressMeasure.py): ratio R with target, d*CAGR without.
_TARGET_THRESHOLDS = (0.95, 0.6, 0.0)
_DIRECTION_THRESHOLDS = (0.015, 0.005, 0.0)


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
    Open SDG progress measurement methodology [1]_; open-sdg/sdg-build
    ``sdg/ProgressMeasure.py`` (``growth_calculation``).
    """
    y0 = finite_number(y0, "y0")
    yi = finite_number(yi, "yi")
    t0 = parse_year(t0, "t0")
    ti = parse_year(ti, "ti")
    if y0 == 0:
        raise ValueError("y0 must not be zero (replace it by 0.001, see Notes)")
    if ti == t0:
        raise ValueError("ti must differ from t0")
    ratio = yi / y0
    if ratio < 0:
        raise ValueError("y0 and yi must have the same sign")
    return ratio ** (1.0 / (ti - t0)) - 1.0


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
    score = finite_number(score, "score")
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
    Open SDG progress measurement methodology [1]_ (scaling factor C);
    open-sdg/sdg-build ``sdg/ProgressMeasure.py`` (``get_progress_thresholds``).
    """
    base_value = finite_number(base_value, "base_value")
    limit = finite_number(limit, "limit")
    d = direction_sign(higher_is_better)
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
    Open SDG progress measurement methodology [1]_ (Statistics Canada method
    [3]_); open-sdg/sdg-build ``sdg/ProgressMeasure.py`` [2]_.

    Examples
    --------
    >>> r = assess_progress([2024, 2026], [45, 43], higher_is_better=False,
    ...                     target_value=35, target_year=2034)
    >>> r.category, round(r.ratio, 2)
    ('acceleration_needed', 0.91)
    """
    request = _request(higher_is_better, target_value, target_year, limit)
    years_arr, vals = clean_series(years, values)
    notes: list[str] = []
    growth, known = _observed_growth(years_arr, vals, base_year, notes)
    if growth is None:
        latest = (years_arr[-1], vals[-1]) if years_arr.size else None
        return _not_assessable(request, notes, latest, **known)
    if request.target is None:
        return _assess_without_target(request, growth, notes)
    return _assess_with_target(request, growth, notes)


@dataclass(frozen=True)
class _Request:
    """The checked arguments of :func:`assess_progress`."""

    d: int
    higher_is_better: bool
    target: float | None
    target_year: float | None
    limit: float | None

    @property
    def method(self) -> str:
        return "cagr_direction" if self.target is None else "cagr_target"


@dataclass(frozen=True)
class _Growth:
    """Base and latest observation and the observed CAGR between them."""

    t0: float
    y0: float
    ti: float
    yi: float
    sign: int  # -1 for an all-negative series (direction flipped)
    y0_calc: float  # y0, or +-ZERO_REPLACEMENT for a base value of 0
    cagr_observed: float


def _request(
    higher_is_better: Any, target_value: Any, target_year: Any, limit: Any
) -> _Request:
    d = direction_sign(higher_is_better)
    if (target_value is None) != (target_year is None):
        raise ValueError("target_value and target_year must be given together")
    return _Request(
        d=d,
        higher_is_better=bool(higher_is_better),
        target=None
        if target_value is None
        else finite_number(target_value, "target_value"),
        target_year=None
        if target_year is None
        else parse_year(target_year, "target_year"),
        limit=None if limit is None else finite_number(limit, "limit"),
    )


def _not_assessable(
    request: _Request,
    notes: list[str],
    latest: tuple[float, float] | None,
    **known: Any,
) -> ProgressResult:
    """A ``not_assessable`` result with the latest observation (year, value)
    and whatever else is known."""
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
        "latest_year": None if latest is None else year_out(latest[0]),
        "latest_value": None if latest is None else float(latest[1]),
        "target_year": None
        if request.target_year is None
        else year_out(request.target_year),
        "target_value": request.target,
        "higher_is_better": request.higher_is_better,
        "method": request.method,
    }
    fields.update(known)
    return ProgressResult(**fields, notes=tuple(notes))


def _series_sign(used: np.ndarray, notes: list[str]) -> int | None:
    """+1 or -1 for a series of one sign from the base year on, None (with a
    note) for zeros only or mixed signs."""
    nonzero = used[used != 0]
    if nonzero.size == 0:
        notes.append("all_values_zero")
        return None
    if (nonzero > 0).any() and (nonzero < 0).any():
        notes.append("mixed_signs")
        return None
    sign = -1 if nonzero[0] < 0 else 1
    if sign < 0:
        notes.append("negative_values_direction_flipped")
    return sign


def _observed_growth(
    years: np.ndarray, vals: np.ndarray, base_year: Any, notes: list[str]
) -> tuple[_Growth | None, dict[str, Any]]:
    """The observed growth, or None (with a note) when the series has no growth
    rate; the dict holds the base observation once it is known."""
    if years.size < 2:
        notes.append("too_few_points")
        return None, {}
    b_idx = base_index(years, base_year, notes)
    if b_idx is None:
        return None, {}
    t0, y0 = float(years[b_idx]), float(vals[b_idx])
    ti, yi = float(years[-1]), float(vals[-1])
    known = {"base_year": year_out(t0), "base_value": y0}
    if ti <= t0:
        notes.append("too_few_points")
        return None, known
    sign = _series_sign(vals[b_idx:], notes)
    if sign is None:
        return None, known
    y0_calc = y0
    if y0 == 0:
        y0_calc = sign * ZERO_REPLACEMENT
        notes.append("zero_base_replaced")
    growth = _Growth(t0, y0, ti, yi, sign, y0_calc, cagr(y0_calc, yi, t0, ti))
    return growth, known


def _result(
    request: _Request, growth: _Growth, notes: list[str], **fields: Any
) -> ProgressResult:
    """An assessed result: the observations of ``growth`` plus ``fields``."""
    return ProgressResult(
        cagr_observed=growth.cagr_observed,
        base_year=year_out(growth.t0),
        base_value=growth.y0,
        latest_year=year_out(growth.ti),
        latest_value=growth.yi,
        higher_is_better=request.higher_is_better,
        method=request.method,
        notes=tuple(notes),
        **fields,
    )


def _limit_coefficient(request: _Request, growth: _Growth, notes: list[str]) -> float:
    """Scaling factor ``C`` of the direction thresholds (1 without a limit)."""
    if request.limit is None:
        return 1.0
    c = limit_scaling_factor(
        growth.y0_calc, request.limit, higher_is_better=bool(request.d > 0)
    )
    if c is None:
        notes.append("limit_not_in_desired_direction")
        return 1.0
    if c == 0:
        notes.append("limit_reached_at_base")
    return c


def _assess_without_target(
    request: _Request, growth: _Growth, notes: list[str]
) -> ProgressResult:
    """Growth in the desired direction against fixed thresholds (times ``C``)."""
    coefficient = _limit_coefficient(request, growth, notes)
    p = growth.sign * request.d * growth.cagr_observed
    thresholds = tuple(x * coefficient for x in _DIRECTION_THRESHOLDS)
    return _result(
        request,
        growth,
        notes,
        category=_category_from_thresholds(p, thresholds),
        score=_score_direction(p, coefficient),
        cagr_required=None,
        ratio=None,
        progress_value=p,
        scaling_factor=coefficient,
        target_year=None,
        target_value=None,
    )


def _assess_with_target(
    request: _Request, growth: _Growth, notes: list[str]
) -> ProgressResult:
    """Observed against required CAGR: ratio ``R``, category and score."""
    target, t_year, sign, d = (
        request.target,
        request.target_year,
        growth.sign,
        request.d,
    )
    if request.limit is not None:
        notes.append("limit_ignored_with_target")
    known = {
        "base_year": year_out(growth.t0),
        "base_value": growth.y0,
        "cagr_observed": growth.cagr_observed,
    }
    if t_year <= growth.t0:
        notes.append("target_year_not_after_base")
        return _not_assessable(request, notes, (growth.ti, growth.yi), **known)
    target_calc = target
    if target == 0:
        target_calc = sign * ZERO_REPLACEMENT
        notes.append("zero_target_replaced")
    if np.sign(target_calc) != sign:
        notes.append("target_sign_differs")
        return _not_assessable(request, notes, (growth.ti, growth.yi), **known)
    cagr_req = cagr(growth.y0_calc, target_calc, growth.t0, t_year)
    if sign * d * cagr_req < 0:
        notes.append("target_opposite_to_desired_direction")
    if cagr_req == 0:
        notes.append("target_equals_base")
        ratio = None
    else:
        ratio = sign * d * growth.cagr_observed / abs(cagr_req)
    if d * (growth.yi - target) >= 0:
        category, score = "target_achieved", 5.0
    elif ratio is None:
        category, score = "deterioration", -5.0
    else:
        category = _category_from_thresholds(ratio, _TARGET_THRESHOLDS)
        score = _score_target(ratio)
    return _result(
        request,
        growth,
        notes,
        category=category,
        score=score,
        cagr_required=cagr_req,
        ratio=ratio,
        progress_value=ratio,
        scaling_factor=1.0,
        target_year=year_out(t_year),
        target_value=target,
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
    Open SDG progress measurement methodology [1]_ (aggregated progress status,
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
