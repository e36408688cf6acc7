"""Linear target path (Soll-Pfad) for the output targets of measures.

A measure that plans to raise an output (Kita places, counselling hours) from a
base value to a target value by a target date is expected to lie on the straight
line between the two (:func:`target_path`); a report is compared with that line
and gets a status with a tolerance band (:func:`path_progress`).

References
----------
.. [1] Bundesinstitut für Bau-, Stadt- und Raumforschung (BBSR) (2009).
   *Arbeitshilfe Monitoring*. Programm Soziale Stadt, Berlin/Bonn.
.. [2] Institut für Landes- und Stadtentwicklungsforschung NRW (ILS NRW)
   (2004). *Zielentwicklung und Selbstevaluation in der Sozialen Stadt NRW*.
   Dortmund.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from monitor.methods.progress.series import finite_number

__all__ = [
    "PATH_STATUSES",
    "PATH_TOLERANCE",
    "PathProgress",
    "decimal_year",
    "path_progress",
    "target_path",
]

#: Status ids of :func:`path_progress`.
PATH_STATUSES = ("achieved", "ahead", "on_path", "behind", "not_started")

#: Default tolerance band of :func:`path_progress`: ratio in [0.9, 1.1] is "on_path".
PATH_TOLERANCE = 0.10


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
    BBSR (2009), "Arbeitshilfe Monitoring" [1]_ (linear Soll-Pfad for cumulative
    output targets of measures).
    """
    base = finite_number(base_value, "base_value")
    target = finite_number(target_value, "target_value")
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
    BBSR (2009) [1]_; ILS NRW (2004) [2]_ (targets and self-evaluation of
    measures).
    """
    base = finite_number(base_value, "base_value")
    target = finite_number(target_value, "target_value")
    actual = finite_number(actual_value, "actual_value")
    tolerance = finite_number(tolerance, "tolerance")
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
