"""Reading a time series for the progress methods: years, values, base year.

Years may be numbers or strings; a reporting period such as ``"2015-16"`` counts
as its first year (Open SDG rule, open-sdg/sdg-build ``sdg/ProgressMeasure.py``).
Missing values (NaN/None) are dropped, duplicate years rejected, and the series
sorted by year. Bad input raises ``ValueError`` with the offending value named.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

__all__ = [
    "base_index",
    "clean_series",
    "direction_sign",
    "finite_number",
    "parse_year",
    "year_out",
]


def parse_year(value: Any, name: str = "year") -> float:
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


def year_out(year: float) -> int | float:
    """Years are reported as int when they are whole numbers."""
    return int(year) if float(year).is_integer() else float(year)


def finite_number(value: Any, name: str) -> float:
    """``value`` as a finite float; ``ValueError`` naming ``name`` otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {value!r}") from exc
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def direction_sign(higher_is_better: Any) -> int:
    """Desired direction ``d``: +1 if higher is better, -1 otherwise."""
    if not isinstance(higher_is_better, bool | np.bool_):
        raise ValueError(
            f"higher_is_better must be True or False, not {higher_is_better!r}"
        )
    return 1 if higher_is_better else -1


def clean_series(years: Any, values: Any) -> tuple[np.ndarray, np.ndarray]:
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
    yrs = np.array([parse_year(y) for y in year_list], dtype=float)
    keep = ~np.isnan(vals)
    yrs, vals = yrs[keep], vals[keep]
    if np.unique(yrs).size != yrs.size:
        raise ValueError("duplicate years in the series")
    order = np.argsort(yrs, kind="stable")
    return yrs[order], vals[order]


def base_index(years: np.ndarray, base_year: Any, notes: list[str]) -> int | None:
    """Index of the base observation: first year with data >= base_year."""
    if base_year is None:
        return 0
    wanted = parse_year(base_year, "base_year")
    candidates = np.nonzero(years >= wanted)[0]
    if candidates.size == 0:
        notes.append("no_data_from_base_year")
        return None
    idx = int(candidates[0])
    if years[idx] != wanted:
        notes.append("base_year_moved")
    return idx
