"""Text cells (area names, labels) are data, never markup or formulas.

A name is stored exactly as the office wrote it, minus control characters and
surrounding whitespace. Markup such as ``<script>`` stays literal text (Streamlit
renders it escaped; nothing here builds HTML), and a leading ``=``, ``+``, ``-`` or
``@`` – the characters spreadsheet programs start a formula with (OWASP "CSV
injection") – is kept but reported, so that exports can prefix such cells with ``'``.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "clean_text", "text_warnings"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def clean_text(value) -> str:
    """``value`` as a one-line string without control characters."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = _CONTROL.sub("", str(value)).replace("\r", " ").replace("\n", " ")
    return " ".join(text.split())


def text_warnings(text: str) -> list[str]:
    """German warnings for a cleaned text cell (markup, formula starts)."""
    warnings = []
    if _MARKUP.search(text):
        warnings.append(
            f"„{text}“ enthält HTML-Zeichen; sie werden als Text gespeichert und "
            "nie ausgeführt."
        )
    if text.startswith(FORMULA_STARTS):
        warnings.append(
            f"„{text}“ beginnt mit „{text[0]}“, womit Tabellenprogramme eine Formel "
            "beginnen; der Name wird als Text gespeichert und beim Export geschützt."
        )
    return warnings
