"""Numbers, dates and names the way the UI writes them (babel, CLDR data).

German: 1.234,5 and 37,1 % and 31.12.2025; English: 1,234.5 and 37.1% and 31 Dec 2025.
A cell without a number shows the sign of its status as in official tables
(Destatis "Zeichenerklärung", :mod:`monitor.statuses`): ``.`` unknown or secret
(also for no data: never ``–``, which means "exactly zero"), ``...`` comes later,
``x`` not meaningful, ``/`` too uncertain; a flagged number carries its letter
(``12,3 % p`` vorläufig) or parentheses (``(12,3 %)`` limited reliability).
Counts are shown whole, rates with one decimal (:func:`unit_decimals`, the one
place of that rule). Names from the data go into Markdown through :func:`plain`.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from babel.dates import format_date
from babel.numbers import format_decimal

from monitor.statuses import DISPLAY, flag_marker, split_flags

__all__ = [
    "SUPPRESSED",
    "MISSING",
    "fmt_number",
    "fmt_value",
    "status_sign",
    "with_flag",
    "fmt_change",
    "fmt_date",
    "fmt_month",
    "unit_suffix",
    "unit_decimals",
    "plain",
]

SUPPRESSED = DISPLAY["suppressed"]  # "."
MISSING = DISPLAY["missing"]  # "." as well: unknown, never "–" (= zero)
_LOCALES = {"de": "de_DE", "en": "en_GB"}


def _locale(lang: str) -> str:
    return _LOCALES.get(lang, "de_DE")


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_SWAP_DE = str.maketrans({",": ".", ".": ","})


def fmt_number(value, lang: str = "de", decimals: int = 1) -> str:
    """1234.5 -> '1.234,5' (de) / '1,234.5' (en); NaN -> '.'.

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


def unit_decimals(unit: str) -> int:
    """Decimals of a value of ``unit`` on screen and in downloads: counts whole,
    rates (percent, per mille, per 100) with one decimal."""
    return 0 if unit == "count" else 1


def unit_suffix(unit: str, lang: str = "de") -> str:
    return {
        "percent": "\u202f%" if lang == "de" else "%",
        "per_mille": "\u202f‰" if lang == "de" else "‰",
        "per_100": " je 100 EW" if lang == "de" else " per 100",
        "count": "",
    }[unit]


def status_sign(status) -> str:
    """The sign of a cell without a number (``.``, ``...``, ``x``, ``/``);
    ``""`` for ``ok``."""
    return DISPLAY.get(str(status), "") if status != "ok" else ""


def with_flag(text: str, flag) -> str:
    """A formatted number with its flags: ``12,3 % p``, ``(12,3 %)``."""
    if "()" in split_flags(flag):
        text = f"({text})"
    marker = flag_marker(flag)
    return f"{text}\u202f{marker}" if marker else text


def fmt_value(
    value,
    unit: str,
    lang: str = "de",
    status: str = "ok",
    decimals: int | None = None,
    flag=None,
) -> str:
    """An indicator value with its unit and flags, or the sign of its status."""
    sign = status_sign(status)
    if sign:
        return sign
    if _is_missing(value):
        return MISSING
    if decimals is None:
        decimals = unit_decimals(unit)
    return with_flag(fmt_number(value, lang, decimals) + unit_suffix(unit, lang), flag)


def fmt_change(
    value, unit: str, lang: str = "de", decimals: int = 1, minus: str = "−"
) -> str:
    """A signed change: percentage points for rates, plain numbers for counts.

    ``minus="-"`` gives an ASCII minus for widgets that read the sign (st.metric).
    """
    if _is_missing(value):
        return MISSING
    sign = "+" if value > 0 else (minus if value < 0 else "±")
    body = fmt_number(abs(value), lang, decimals if unit_decimals(unit) else 0)
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


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str) -> str:
    """A name from the data, safe inside Markdown (no formatting, no HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
