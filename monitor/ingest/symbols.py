"""The status vocabulary: official table symbols → statuses the data contract carries.

Official statistics replace a number by a symbol when it cannot be shown, and the
symbols mean different things. This module is the one place that says what each
symbol means; every importer reads cells through :func:`parse_cell`.

Statuses (``STATUSES``; ``DISPLAY`` is the sign the app shows for a cell without a
number, following the Destatis "Zeichenerklärung": an unknown or secret value is
shown as ``.`` and never as ``–``, which in German tables means "exactly zero"):

==============  ============================================  =======
status          meaning                                       display
==============  ============================================  =======
ok              a number (``-`` = exactly zero: ok with 0)    number
suppressed      unknown or secret (``.``, BA ``*``, Zensus    ``.``
                ``–``)
pending         not yet available, comes later (``...``)      ``...``
not_meaningful  cell locked, no sensible value (``x``)        ``x``
uncertain       too uncertain to publish (``/``)              ``/``
missing         no entry at all (empty cell, no row)          ``.``
==============  ============================================  =======

The store and the app carry every status as it is (monitor/statuses.py);
:data:`STORE_STATUS` maps each onto itself and stays for callers of the time when
the store knew only ``ok | suppressed | missing``.

Symbols per source (``DIALECTS``):

=========  ===========================  ==================  =================
symbol     GENESIS / Regionaldatenbank  BA (Arbeitsagentur)  Zensus 2022 grid
=========  ===========================  ==================  =================
``-``      ok, 0 (nichts vorhanden)     ok, 0               ok, 0
``–``      ok, 0 (typographic dash)     ok, 0               suppressed (geheim)
``0``      ok, 0 (less than half a unit, a number like any other)
``.``      suppressed                   suppressed          suppressed
``*``      –                            suppressed (anonymisiert)  –
``...``    pending                      pending             pending
``x``      not_meaningful               not_meaningful      not_meaningful
``/``      uncertain                    uncertain           uncertain
(empty)    missing                      missing             missing
=========  ===========================  ==================  =================

Value flags (``FLAGS``), kept in a separate ``flag`` column next to the status, because
a provisional number is still a number: ``p`` vorläufig (provisional), ``r``
berichtigt (revised), ``s`` geschätzt (estimated), ``()`` Aussagewert eingeschränkt
(limited reliability; the Zensus ``KLAMMERN`` sign and values in parentheses). They
stand after the number (``1.234p``, ``1.234 p``) or before it (``p 1.234``). The
GENESIS quality mark ``e`` (endgültig, final) is the normal case and kept as no flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.ingest.numbers import parse_number

__all__ = [
    "DIALECTS",
    "DISPLAY",
    "FLAGS",
    "STATUSES",
    "STORE_STATUS",
    "Cell",
    "parse_cell",
    "parse_flag",
]

OK = "ok"
SUPPRESSED = "suppressed"
PENDING = "pending"
NOT_MEANINGFUL = "not_meaningful"
UNCERTAIN = "uncertain"
MISSING = "missing"

STATUSES = (OK, SUPPRESSED, PENDING, NOT_MEANINGFUL, UNCERTAIN, MISSING)

STATUS_LABELS_DE = {
    OK: "Wert vorhanden",
    SUPPRESSED: "unbekannt oder geheim",
    PENDING: "Angabe fällt später an",
    NOT_MEANINGFUL: "Aussage nicht sinnvoll",
    UNCERTAIN: "Zahlenwert nicht sicher genug",
    MISSING: "keine Angabe",
}

DISPLAY = {
    SUPPRESSED: ".",
    PENDING: "...",
    NOT_MEANINGFUL: "x",
    UNCERTAIN: "/",
    MISSING: ".",
}

STORE_STATUS = {status: status for status in STATUSES}

FLAGS = {
    "p": "vorläufig",
    "r": "berichtigt",
    "s": "geschätzt",
    "()": "Aussagewert eingeschränkt",
}

_COMMON = {
    ".": SUPPRESSED,
    "...": PENDING,
    "…": PENDING,
    "x": NOT_MEANINGFUL,
    "X": NOT_MEANINGFUL,
    "/": UNCERTAIN,
    "": MISSING,
}
_ZERO = object()

DIALECTS: dict[str, dict[str, object]] = {
    "destatis": {**_COMMON, "-": _ZERO, "–": _ZERO},
    "ba": {**_COMMON, "-": _ZERO, "–": _ZERO, "*": SUPPRESSED},
    "zensus": {**_COMMON, "-": _ZERO, "–": SUPPRESSED},
}


@dataclass(frozen=True)
class Cell:
    """One parsed table cell: ``value`` is ``None`` unless ``status == "ok"``."""

    value: float | None
    status: str
    flag: str = ""
    error: str = ""

    @property
    def store_status(self) -> str:
        return STORE_STATUS[self.status]


_FLAG_AFTER = re.compile(r"^(?P<num>.*?\d)\s*(?P<flag>[prs])$")
_FLAG_BEFORE = re.compile(r"^(?P<flag>[prs])\s+(?P<num>[+\-\d].*)$")
_PARENS = re.compile(r"^\((?P<num>.+)\)$")


def parse_flag(text: str) -> str:
    """A quality mark column (ffcsv ``…__q``, Zensus ``werterlaeuternde_Zeichen``)
    as a flag: ``p``/``r``/``s``/``()``, or ``""`` for final values."""
    mark = (text or "").strip().lower()
    if mark in {"p", "r", "s"}:
        return mark
    if mark in {"()", "klammern", "klammer"}:
        return "()"
    return ""


def parse_cell(text, dialect: str = "destatis", decimal: str = ",") -> Cell:
    """Parse one cell of an official table into value, status and flag.

    A cell that is neither a known symbol nor a number gets status ``missing`` and
    an ``error`` text (German) for the problem list; it never becomes zero.
    """
    symbols = DIALECTS[dialect]
    if text is None or (isinstance(text, float) and text != text):
        return Cell(None, MISSING)
    if isinstance(text, int | float) and not isinstance(text, bool):
        return Cell(float(text), OK)
    raw = str(text).strip()
    if raw in symbols:
        meaning = symbols[raw]
        return Cell(0.0, OK) if meaning is _ZERO else Cell(None, meaning)
    body, flag = raw, ""
    for pattern in (_FLAG_AFTER, _FLAG_BEFORE):
        match = pattern.match(body)
        if match:
            body, flag = match["num"].strip(), match["flag"]
            break
    parens = _PARENS.match(body)
    if parens:
        body, flag = parens["num"].strip(), flag or "()"
    if body in symbols and symbols[body] is not _ZERO:
        return Cell(None, symbols[body], flag)
    value = parse_number(body, decimal)
    if value is None:
        return Cell(None, MISSING, flag, error=f"„{raw}“ ist keine Zahl")
    return Cell(value, OK, flag)
