"""Weather symbols of the German Sustainability Strategy (DNS).

The Federal Statistical Office rates every indicator of the strategy with a
weather symbol [1]_: the mean change over the last five periods is extrapolated
to the target year (or compared with a limit to be met every year, or only its
direction is read). Sun, sun with cloud ("leicht bewölkt"), cloud and
thunderstorm (:func:`weather_symbol`); several targets of one indicator give
the worst symbol (:func:`worst_symbol`).

References
----------
.. [1] Statistisches Bundesamt (Destatis), *Nachhaltige Entwicklung in
   Deutschland – Indikatorenbericht* (every two years since 2006; 2016 ff.
   for the Agenda-2030 indicator set), section "Bewertung der Indikatoren /
   Wettersymbole".
.. [2] Die Bundesregierung, *Deutsche Nachhaltigkeitsstrategie*,
   Weiterentwicklung 2021, chapter on the indicator status.
.. [3] Nachhaltige-Entwicklung-Deutschland/open-sdg-site-starter,
   ``_pages/status.md`` ("Status der Indikatoren", dns-indikatoren.de).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitor.methods.progress.series import (
    clean_series,
    direction_sign,
    finite_number,
    parse_year,
    year_out,
)

__all__ = ["WEATHER_SYMBOLS", "WeatherResult", "weather_symbol", "worst_symbol"]

#: DNS weather symbols (stable ids), best first; ``not_assessable`` = no symbol.
WEATHER_SYMBOLS = ("sun", "sun_cloud", "cloud", "thunderstorm", "not_assessable")

# DNS: number of data points used (6 points = 5 changes) and the minimum.
_WEATHER_WINDOW = 6
_WEATHER_MIN_POINTS = 4
_WEATHER_SUN_SHARE = 0.05
_WEATHER_SUN_CLOUD_SHARE = 0.20


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
    Destatis, Indikatorenbericht [1]_; Deutsche Nachhaltigkeitsstrategie [2]_;
    open-sdg-site-starter ``_pages/status.md`` [3]_.
    """
    d = direction_sign(higher_is_better)
    target, t_year, limit, variant = _weather_reference(
        target_value, target_year, annual_limit
    )
    years_arr, vals = clean_series(years, values)
    notes: list[str] = []
    start = _window_start(years_arr, notes)
    n_used = int(years_arr.size - start)
    common = {
        "variant": variant,
        "points_used": n_used,
        "window_start_year": year_out(years_arr[start]) if n_used else None,
        "latest_year": year_out(years_arr[-1]) if n_used else None,
        "latest_value": float(vals[-1]) if n_used else None,
        "target_value": target if target is not None else limit,
        "target_year": None if t_year is None else year_out(t_year),
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
        symbol = _direction_symbol(d, mean_change, last_change)
    elif variant == "annual_limit":
        gap = abs(limit - latest)
        symbol = _annual_limit_symbol(d * (latest - limit) >= 0, d, mean_change)
    else:
        gap = abs(target - latest)
        symbol, extrapolated, miss_share = _target_symbol(
            d, latest, float(t[-1]), mean_change, target, t_year, notes
        )
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


def _weather_reference(
    target_value: Any, target_year: Any, annual_limit: Any
) -> tuple[float | None, float | None, float | None, str]:
    """Checked target, target year, limit, and the variant they make."""
    if (target_value is None) != (target_year is None):
        raise ValueError("target_value and target_year must be given together")
    if target_value is not None and annual_limit is not None:
        raise ValueError("give either target_value/target_year or annual_limit")
    target = (
        None if target_value is None else finite_number(target_value, "target_value")
    )
    t_year = None if target_year is None else parse_year(target_year, "target_year")
    limit = (
        None if annual_limit is None else finite_number(annual_limit, "annual_limit")
    )
    if target is not None:
        variant = "target"
    elif limit is not None:
        variant = "annual_limit"
    else:
        variant = "direction"
    return target, t_year, limit, variant


def _window_start(years: np.ndarray, notes: list[str]) -> int:
    """First index of the window: the last six points of the trailing run of
    consecutive points (note ``gap_in_series`` when a gap shortened it)."""
    run_start = _consecutive_start(years)
    start = max(run_start, years.size - _WEATHER_WINDOW)
    if run_start > 0 and run_start > years.size - _WEATHER_WINDOW:
        notes.append("gap_in_series")
    return start


def _direction_symbol(d: int, mean_change: float, last_change: float) -> str:
    """DNS rule without target or limit: mean change first, last change second."""
    mean_right, last_right = d * mean_change > 0, d * last_change > 0
    if mean_right:
        return "sun" if last_right else "sun_cloud"
    return "cloud" if last_right else "thunderstorm"


def _target_symbol(
    d: int,
    latest: float,
    latest_year: float,
    mean_change: float,
    target: float,
    target_year: float,
    notes: list[str],
) -> tuple[str, float, float | None]:
    """DNS rule for a target: symbol, extrapolated value and miss share."""
    horizon = target_year - latest_year
    if horizon < 0:
        notes.append("target_year_passed")
        horizon = 0.0
    extrapolated = latest + mean_change * horizon
    if d * (latest - target) >= 0:
        notes.append("target_already_reached")
        return _annual_limit_symbol(True, d, mean_change), extrapolated, None
    miss_share = d * (target - extrapolated) / abs(target - latest)
    if d * mean_change <= 0:
        symbol = "thunderstorm"
    elif miss_share < _WEATHER_SUN_SHARE:
        symbol = "sun"
    elif miss_share <= _WEATHER_SUN_CLOUD_SHARE:
        symbol = "sun_cloud"
    else:
        symbol = "cloud"
    return symbol, extrapolated, miss_share


def worst_symbol(results: Iterable[WeatherResult | str]) -> str:
    """Worst weather symbol of several targets of one indicator (DNS rule).

    ``not_assessable`` items are ignored; if all are, the result is
    ``not_assessable``.

    References
    ----------
    Destatis, Indikatorenbericht [1]_; open-sdg-site-starter
    ``_pages/status.md`` ("Indikatoren mit mehreren Zielwerten") [3]_.
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
