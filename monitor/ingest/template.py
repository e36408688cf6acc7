"""The plain long template (CSV or XLSX) for any data an office has as counts.

One row per area, indicator and year::

    gebiet_schluessel;gebiet_name;indikator;jahr;zaehler;nenner
    10099114;Musterstadt;sgb2_quote;2023;4.512;38.201

``gebiet_schluessel`` is the area's key as text (leading zeros kept), ``indikator``
an id of ``catalog/indicators.yaml``, ``zaehler``/``nenner`` numerator and
denominator as counts (German or English decimals, thousands separators allowed;
the official symbols ``-`` ``.`` ``...`` ``x`` ``/`` are understood, a count kept
secret is written ``.``). ``nenner`` stays empty for pure counts. The English column
names ``area_key, area_name, indicator_id, year, numerator, denominator`` work too.
:func:`write_template` writes the file the app offers for download.
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePosixPath

import openpyxl
import pandas as pd
from openpyxl.styles import Font

from monitor.ingest.cell_text import clean_text
from monitor.ingest.numbers import detect_decimal
from monitor.ingest.observations import observations_frame
from monitor.ingest.problems import IngestError, Problem
from monitor.ingest.safe_files import (
    DEFAULT_LIMITS,
    Limits,
    decode_text,
    extract_zip,
    read_source,
    sniff_separator,
)
from monitor.ingest.symbols import parse_cell

__all__ = [
    "DENOMINATOR",
    "NUMERATOR",
    "TEMPLATE_COLUMNS",
    "read_csv_table",
    "read_template",
    "write_template",
]

TEMPLATE_COLUMNS = (
    "gebiet_schluessel",
    "gebiet_name",
    "indikator",
    "jahr",
    "zaehler",
    "nenner",
)
_ALIASES = {
    "area_key": "gebiet_schluessel",
    "area_id": "gebiet_schluessel",
    "schluessel": "gebiet_schluessel",
    "area_name": "gebiet_name",
    "name": "gebiet_name",
    "indicator_id": "indikator",
    "indicator": "indikator",
    "year": "jahr",
    "numerator": "zaehler",
    "zähler": "zaehler",
    "denominator": "nenner",
}
_REQUIRED = ("gebiet_schluessel", "indikator", "jahr", "zaehler")
NUMERATOR, DENOMINATOR = "Zähler", "Nenner"
_EXPLANATION = (
    ("gebiet_schluessel", "Schlüssel des Gebiets als Text (führende Nullen behalten)"),
    ("gebiet_name", "Name des Gebiets (nur zur Kontrolle)"),
    ("indikator", "ID aus catalog/indicators.yaml, z. B. sgb2_quote"),
    ("jahr", "Berichtsjahr, vierstellig"),
    ("zaehler", "Zähler als Anzahl; geheim: „.“, genau null: „-“ oder 0"),
    ("nenner", "Nenner als Anzahl; leer bei reinen Anzahlen"),
)


def write_template(
    fmt: str = "csv",
    catalog=None,
    areas: pd.DataFrame | None = None,
    year: int | None = None,
) -> bytes:
    """The template as bytes (``"csv"``: UTF-8 with BOM and ``;`` for Excel;
    ``"xlsx"``: a sheet "Daten" and a sheet "Erläuterung" listing the catalogue's
    indicators). With ``areas``, ``catalog`` and ``year`` it is pre-filled with one
    row per area and indicator of that area's level."""
    rows = _prefilled_rows(catalog, areas, year)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(TEMPLATE_COLUMNS)
        writer.writerows(rows)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    if fmt != "xlsx":
        raise ValueError(f"fmt must be 'csv' or 'xlsx', not {fmt!r}")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Daten"
    sheet.append(list(TEMPLATE_COLUMNS))
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].number_format = "@"
    for row in sheet.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "@"
    notes = book.create_sheet("Erläuterung")
    notes.append(["Spalte", "Bedeutung"])
    for item in _EXPLANATION:
        notes.append(list(item))
    if catalog is not None:
        notes.append([])
        notes.append(["Indikator", "Name", "Zähler", "Nenner"])
        for ind in catalog.indicators:
            notes.append([ind.id, ind.name_de, ind.numerator_de, ind.denominator_de])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _prefilled_rows(catalog, areas, year) -> list[list]:
    if catalog is None or areas is None or year is None:
        return []
    rows = []
    for area in areas.itertuples():
        for ind in catalog.available_on(area.level):
            rows.append([area.area_id, area.name, ind.id, year, "", ""])
    return rows


def read_csv_table(
    raw: bytes, name: str
) -> tuple[list[str], list[tuple[int, list[str]]], list]:
    """Header, non-empty body rows as ``(line number, cells)`` and the decoder's
    problems of a CSV file whose separator (``;``, ``,`` or tab) is sniffed from
    its first line; also used by the points importer."""
    text = decode_text(raw, name)
    lines = text.text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    separator = sniff_separator(header_line)
    if separator is None:
        raise IngestError(
            Problem(
                f"Die Kopfzeile „{header_line[:80]}“ enthält kein Semikolon, Komma "
                "oder Tabulator als Trennzeichen; bitte die Datei mit „;“ speichern.",
                name,
                1,
                code="separator",
            )
        )
    rows = list(csv.reader(io.StringIO(text.text), delimiter=separator))
    header = [clean_text(h) for h in rows[0]]
    body = [
        (i, r) for i, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)
    ]
    return header, body, list(text.problems)


def _xlsx_table(raw: bytes, name: str, limits: Limits):
    extract_zip(raw, name, limits)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True, read_only=True)
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise IngestError(
            Problem(f"Die Excel-Datei ist nicht lesbar: {exc}", name, code="xlsx")
        ) from exc
    sheet = book["Daten"] if "Daten" in book.sheetnames else book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    if not rows:
        raise IngestError(Problem("Das Tabellenblatt ist leer.", name, code="empty"))
    header = [clean_text(h) for h in rows[0]]
    body = [
        (i, ["" if v is None else v for v in r])
        for i, r in enumerate(rows[1:], start=2)
        if any(v not in (None, "") for v in r)
    ]
    return header, body, []


def _columns(header: list[str], name: str) -> dict[str, int]:
    found = {}
    for j, raw in enumerate(header):
        label = raw.strip().lower().lstrip("\ufeff")
        label = _ALIASES.get(label, label)
        if label in TEMPLATE_COLUMNS and label not in found:
            found[label] = j
    missing = [c for c in _REQUIRED if c not in found]
    if missing:
        hint = ""
        if len(header) == 1:
            hint = " Die Kopfzeile hat nur eine Spalte – ist das Trennzeichen richtig?"
        raise IngestError(
            Problem(
                f"Es fehlen die Spalten {', '.join(missing)} (gefunden: "
                f"{', '.join(h for h in header if h) or 'keine'}).{hint}",
                name,
                1,
                code="missing_columns",
            )
        )
    return found


def read_template(
    source, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a filled template (CSV or XLSX) into observations whose variables are
    ``"<indikator> | Zähler"`` and ``"<indikator> | Nenner"``
    (:func:`monitor.ingest.assemble.template_specs` pairs them again)."""
    raw, name = read_source(source, name, limits)
    if PurePosixPath(name.lower()).suffix == ".xlsx" or raw.startswith(b"PK\x03\x04"):
        header, body, problems = _xlsx_table(raw, name, limits)
    else:
        header, body, problems = read_csv_table(raw, name)
    columns = _columns(header, name)
    if not body:
        raise IngestError(
            Problem(
                "Die Datei enthält nur die Kopfzeile, keine Daten.",
                name,
                code="no_rows",
            )
        )

    def cell(row, column):
        j = columns.get(column)
        return row[j] if j is not None and j < len(row) else ""

    numbers = [cell(r, c) for _, r in body for c in ("zaehler", "nenner")]
    decimal = detect_decimal(str(v) for v in numbers if isinstance(v, str))
    observations, errors = [], []
    for line, row in body:
        _template_row(row, line, cell, decimal, name, observations, errors)
    if errors:
        raise IngestError(errors)
    return observations_frame(observations, name), problems


def _template_row(row, line, cell, decimal, name, observations, errors) -> None:
    key = clean_text(cell(row, "gebiet_schluessel"))
    if isinstance(cell(row, "gebiet_schluessel"), float):
        key = str(int(cell(row, "gebiet_schluessel")))
    indicator = clean_text(cell(row, "indikator"))
    year_text = clean_text(cell(row, "jahr")).removesuffix(".0")
    for value, column in ((key, "gebiet_schluessel"), (indicator, "indikator")):
        if not value:
            errors.append(
                Problem("Die Zelle ist leer.", name, line, column, code="empty_cell")
            )
    if not (year_text.isdigit() and len(year_text) == 4):
        errors.append(
            Problem(
                f"„{year_text}“ ist kein Jahr (vierstellig).",
                name,
                line,
                "jahr",
                code="year",
            )
        )
        return
    for column, part in (("zaehler", NUMERATOR), ("nenner", DENOMINATOR)):
        raw = cell(row, column)
        if column == "nenner" and clean_text(raw) == "":
            continue
        parsed = parse_cell(raw, "destatis", decimal)
        if parsed.error:
            errors.append(
                Problem(parsed.error, name, line, column, code="not_a_number")
            )
        observations.append(
            {
                "source_row": line,
                "area_key": key,
                "area_name": clean_text(cell(row, "gebiet_name")),
                "variable": f"{indicator} | {part}",
                "year": int(year_text),
                "value": parsed.value,
                "status": parsed.status,
                "flag": parsed.flag,
            }
        )
