"""How certain a small-area rate is, as the pages write it: the 95 % interval
from the counts, the marker where an area differs significantly from the rest of
the city, and the note where an interval is wider than the difference talked
about.

The statistics are :mod:`monitor.methods.intervals` (Wilson, or exact
Clopper-Pearson for small counts; the area against the rest of the city with a
two-proportion z-test or Fisher's exact test, Benjamini-Hochberg over the areas
of a level); this module only computes them for frames and words them
(``uncertainty.*`` in the locale files). Count indicators have no interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.formatting import fmt_change, fmt_number, unit_decimals, unit_suffix
from monitor.i18n import t
from monitor.methods.intervals import (
    compare_with_whole,
    interval_wider_than,
    rate_interval,
)

__all__ = [
    "COLUMNS",
    "rate_columns",
    "range_text",
    "interval_text",
    "method_text",
    "marker",
    "significance_text",
    "wider_note",
]

COLUMNS = ("ci_lower", "ci_upper", "ci_method", "sig_direction", "sig_p")
"""Columns :func:`rate_columns` adds."""
MARKERS = {1: "▲", -1: "▼"}


def rate_columns(
    numerator,
    denominator,
    unit: str,
    city: tuple[float, float] | None = None,
    fdr: bool = True,
) -> pd.DataFrame:
    """Interval bounds and method per value, and, given the city's counts
    ``(numerator, denominator)``, the direction (+1, -1, 0) and p-value of the
    test against the rest of the city (Benjamini-Hochberg over the values when
    ``fdr``). All NaN / "" / 0 for a count indicator."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    out = pd.DataFrame(
        {
            "ci_lower": np.nan,
            "ci_upper": np.nan,
            "ci_method": "",
            "sig_direction": 0,
            "sig_p": np.nan,
        },
        index=range(num.size),
    )
    if unit == "count" or not num.size:
        return out
    iv = rate_interval(num, den, unit)
    out["ci_lower"], out["ci_upper"], out["ci_method"] = iv.lower, iv.upper, iv.method
    if city is not None and all(np.isfinite(city)):
        test = compare_with_whole(num, den, city[0], city[1], fdr=fdr)
        out["sig_direction"], out["sig_p"] = test.direction, test.p_value
    return out


def range_text(lower: float, upper: float, unit: str, lang: str) -> str:
    """ "33,0–41,3" (the unit's decimals); "" without an interval."""
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return ""
    decimals = unit_decimals(unit)
    return f"{fmt_number(lower, lang, decimals)}–{fmt_number(upper, lang, decimals)}"


def interval_text(lower: float, upper: float, unit: str, lang: str) -> str:
    """ "95-%-Konfidenzintervall: 33,0 % bis 41,3 %"; "" without an interval."""
    if not (np.isfinite(lower) and np.isfinite(upper)):
        return ""
    decimals = unit_decimals(unit)
    suffix = unit_suffix(unit, lang)
    return t(
        "uncertainty.interval",
        lang,
        lower=fmt_number(lower, lang, decimals) + suffix,
        upper=fmt_number(upper, lang, decimals) + suffix,
    )


def method_text(method: str, lang: str) -> str:
    return t(f"uncertainty.method_{method}", lang) if method else ""


def marker(direction: int) -> str:
    """▲ significantly higher than the rest of the city, ▼ lower, else ""."""
    return MARKERS.get(int(direction), "")


def significance_text(direction: int, p_value: float, lang: str) -> str:
    """The test's verdict in words, with its marker."""
    if not np.isfinite(p_value):
        return t("uncertainty.untested", lang)
    key = {1: "higher", -1: "lower"}.get(int(direction), "not_significant")
    return f"{marker(direction)} {t(f'uncertainty.{key}', lang)}".strip()


def _width(value: float, unit: str, lang: str) -> str:
    return fmt_change(abs(value), unit, lang).lstrip("+±")


def wider_note(
    lower: float, upper: float, difference: float, unit: str, lang: str
) -> str:
    """The note "interval wider than the difference – it may be chance", or ""
    (:func:`monitor.methods.intervals.interval_wider_than`)."""
    if not bool(interval_wider_than(lower, upper, difference)):
        return ""
    return t(
        "uncertainty.wider_note",
        lang,
        width=_width(upper - lower, unit, lang),
        difference=_width(difference, unit, lang),
    )
