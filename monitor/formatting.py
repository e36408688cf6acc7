"""Numbers and dates the way each language writes them (babel, CLDR data).

German: 1.234,5 and 37,1 % and 31.12.2025; English: 1,234.5 and 37.1% and 31 Dec 2025.
Suppressed values are a middle dot "·" (the official "gepunktet"), missing ones "–".
"""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

__all__ = [
    "SUPPRESSED",
    "MISSING",
    "fmt_number",
    "fmt_value",
    "fmt_change",
    "fmt_date",
    "fmt_month",
    "unit_suffix",
]

SUPPRESSED = "·"
MISSING = "–"
_LOCALES = {"de": "de_DE", "en": "en_GB"}


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "de_DE")


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_SWAP_DE = str.maketrans({",": ".", ".": ","})


def fmt_number(value, lang: str = "de", decimals: int = 1) -> str:
    """1234.5 -> '1.234,5' (de) / '1,234.5' (en); NaN -> '–'.

    Grouping and decimal marks of de_DE and en_GB as in CLDR (checked against
    babel in the tests); done with str.format because maps format hundreds of
    values per rerun and babel costs about 50 µs per call.
    """
    if _is_missing(value):
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    if text in ("-0", "-0." + "0" * decimals):
        text = text[1:]
    return text.translate(_SWAP_DE) if lang != "en" else text


def fmt_number_babel(value, lang: str = "de", decimals: int = 1) -> str:
    """Reference implementation with babel (CLDR), used by the tests."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def unit_suffix(unit: str, lang: str = "de") -> str:
    return {
        "percent": "\u202f%" if lang == "de" else "%",
        "per_mille": "\u202f‰" if lang == "de" else "‰",
        "per_100": " je 100 EW" if lang == "de" else " per 100",
        "count": "",
    }[unit]


def fmt_value(
    value, unit: str, lang: str = "de", status: str = "ok", decimals: int | None = None
) -> str:
    """An indicator value with its unit; '·' when suppressed, '–' when missing."""
    if status == "suppressed":
        return SUPPRESSED
    if _is_missing(value):
        return MISSING
    if decimals is None:
        decimals = 0 if unit == "count" else 1
    return fmt_number(value, lang, decimals) + unit_suffix(unit, lang)


def fmt_change(
    value, unit: str, lang: str = "de", decimals: int = 1, minus: str = "−"
) -> str:
    """A signed change: percentage points for rates, plain numbers for counts.

    ``minus="-"`` gives an ASCII minus for widgets that read the sign (st.metric).
    """
    if _is_missing(value):
        return MISSING
    sign = "+" if value > 0 else (minus if value < 0 else "±")
    body = fmt_number(abs(value), lang, 0 if unit == "count" else decimals)
    suffix = {
        "percent": " Pp." if lang == "de" else " pp",
        "per_mille": "\u202f‰-Pkt." if lang == "de" else " ‰ pts",
        "per_100": " je 100 EW" if lang == "de" else " per 100",
        "count": "",
    }[unit]
    return f"{sign}{body}{suffix}"


def fmt_month(value: str | dt.date, lang: str = "de") -> str:
    """'2025-10-01' -> '10.2025' (de) / 'Oct 2025' (en): periods of measures."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    fmt = "MM.yyyy" if lang == "de" else "MMM yyyy"
    return format_date(value, format=fmt, locale=_locale(lang))


def fmt_date(value: str | dt.date, lang: str = "de") -> str:
    """'2025-12-31' -> '31.12.2025' (de) / '31 Dec 2025' (en)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    fmt = "dd.MM.yyyy" if lang == "de" else "d MMM yyyy"
    return format_date(value, format=fmt, locale=_locale(lang))
