"""Numbers as German offices write them: ``1.234,5`` and ``1234,5``, or ``1234.5``.

A decimal comma with a full stop between thousands is the German convention (DIN 1333
and the Destatis exports); spaces, no-break spaces and apostrophes are accepted as
thousands separators too. Thousands groups must have three digits, so ``1.5`` is not
silently read as fifteen in a German file. :func:`detect_decimal` decides per column
which convention a file uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["detect_decimal", "parse_number"]

_SPACES = str.maketrans("", "", " \u00a0\u202f'’")
_GERMAN = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_ENGLISH = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_SCIENTIFIC = re.compile(r"^[+-]?\d+([.,]\d+)?[eE][+-]?\d+$")


def parse_number(text: str, decimal: str = ",") -> float | None:
    """``text`` as a float, or ``None`` when it is not a number in that convention.

    Parameters
    ----------
    text : str
        The cell, already stripped of status symbols and flags.
    decimal : {",", "."}
        The decimal mark of the file (German files: ``","``).
    """
    if decimal not in {",", "."}:
        raise ValueError(f"decimal must be ',' or '.', not {decimal!r}")
    compact = text.strip().translate(_SPACES).replace("\u2212", "-")
    if not compact:
        return None
    if _SCIENTIFIC.match(compact):
        return float(compact.replace(",", "."))
    pattern = _GERMAN if decimal == "," else _ENGLISH
    if not pattern.match(compact):
        return None
    thousands = "." if decimal == "," else ","
    return float(compact.replace(thousands, "").replace(decimal, "."))


def detect_decimal(values: Iterable[str]) -> str:
    """``","`` or ``"."``: the decimal mark under which more cells are numbers.

    A tie (for instance only integers) is German, the convention of every official
    source we read.
    """
    german = english = 0
    for value in values:
        if not isinstance(value, str) or not value.strip():
            continue
        german += parse_number(value, ",") is not None
        english += parse_number(value, ".") is not None
    return "." if english > german else ","
