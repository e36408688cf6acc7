"""Short texts of the programme pages: growth rates, ratios, time stamps and
values with units, in German (or English) number formats."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from monitor.formatting import fmt_date, fmt_number
from monitor.programme.cells import as_number

__all__ = ["BERLIN", "fmt_rate", "fmt_ratio", "fmt_when", "short", "value_text"]


BERLIN = ZoneInfo("Europe/Berlin")


def fmt_rate(rate: float | None, lang: str, *, per_year: bool = True) -> str:
    """A growth rate per year: -0.0248 -> '−2,5 % p. a.'."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "–"
    sign = "+" if rate > 0 else ("−" if rate < 0 else "±")
    suffix = "\u202f%" if lang == "de" else "%"
    if per_year:
        suffix += " p.\u202fa." if lang == "de" else " p.a."
    return f"{sign}{fmt_number(abs(rate) * 100, lang, 1)}{suffix}"


def fmt_ratio(ratio: float | None, lang: str) -> str:
    """The ratio R of actual to required rate as a percentage ('–' if none)."""
    number = as_number(ratio)
    if number is None:
        return "–"
    text = fmt_number(number * 100, lang, 0).replace("-", "−")
    return text + ("\u202f%" if lang == "de" else "%")


def fmt_when(stamp: str, lang: str) -> str:
    """An ISO time stamp (UTC) as local date and time: '25.11.2026, 14:03'."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone(BERLIN)
    except ValueError:
        return stamp
    return f"{fmt_date(moment.date(), lang)}, {moment:%H:%M}"


def value_text(value, unit: str | None, lang: str) -> str:
    number = as_number(value)
    if number is None:
        return "–"
    decimals = 0 if float(number).is_integer() else 1
    return f"{fmt_number(number, lang, decimals)} {unit or ''}".strip()


def short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
