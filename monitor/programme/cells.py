"""Plain Python values from table cells: pandas brings NaN, NaT, pd.NA, Timestamps
and numpy scalars, the log brings ISO strings; the views want dates, floats and
tuples or None."""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

__all__ = ["as_date", "as_ids", "as_number"]


def as_date(value) -> date | None:
    """A date from a Timestamp, datetime, ISO string or date; None for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def as_number(value) -> float | None:
    """A float, or None for missing and non-numeric values."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def as_ids(value) -> tuple[str, ...]:
    """A tuple of ids from a list, an array or a comma-separated string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)
