"""Small-area Excel tables of the Statistik der Bundesagentur für Arbeit (BA).

The BA publishes SGB II and labour-market figures for Kreise and Gemeinden as
workbooks laid out for print: title lines, a header block of two to four rows with
merged cells (a group heading over "Insgesamt" / "darunter …" columns), often a row of
column numbers, then data rows ``Regionalschlüssel | Name | values``, then footnotes
("*) Aus Datenschutzgründen … anonymisiert", "© Statistik der Bundesagentur für
Arbeit"). ``*`` marks an anonymised value (shown as ``.``), ``-`` exactly zero.

Such a layout differs from table to table, so the reader works through a
:class:`BaMapping` the user confirms: which sheet, which rows are the header, where
data start, which columns hold key and name and which value columns to take under
what name. :func:`guess_ba_mapping` offers one from the sheet's structure.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import openpyxl
import pandas as pd
from openpyxl.utils import column_index_from_string, get_column_letter

from monitor.ingest.cell_text import clean_text
from monitor.ingest.matching import normalise_key
from monitor.ingest.observations import observations_frame, year_of
from monitor.ingest.problems import WARNING, IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, extract_zip, read_source
from monitor.ingest.symbols import parse_cell

__all__ = ["BaMapping", "guess_ba_mapping", "read_ba_excel", "read_sheet"]

_KEY = re.compile(r"^\d{2,12}$")
_FOOTNOTE = re.compile(r"^(\*|\d+\)|©|quelle|hinweis|stand|erstellungsdatum)", re.I)
_MARKER = re.compile(r"\s*(\d+\)|\*+)$")


@dataclass(frozen=True)
class BaMapping:
    """Where the data are in a BA sheet (rows 1-based as Excel shows them)."""

    sheet: str
    header_rows: tuple[int, ...]
    first_data_row: int
    key_column: str
    name_column: str
    value_columns: dict[str, str] = field(default_factory=dict)
    year: int | None = None


def _open_workbook(source, name, limits):
    raw, name = read_source(source, name, limits)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(
            Problem(
                "Das ist eine alte Excel-Datei (.xls); bitte in Excel als .xlsx "
                "speichern.",
                name,
                code="xls",
            )
        )
    extract_zip(raw, name, limits)  # size, ratio and path checks before openpyxl
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), data_only=True)
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise IngestError(
            Problem(f"Die Excel-Datei ist nicht lesbar: {exc}", name, code="xlsx")
        ) from exc
    return book, name


def read_sheet(
    source, sheet: str | None = None, name: str | None = None, limits=DEFAULT_LIMITS
) -> tuple[list[list], str, str]:
    """The cell values of one sheet as rows, merged cells filled with the value of
    their top-left cell (a group heading then stands over each column it spans)."""
    book, name = _open_workbook(source, name, limits)
    if sheet is None:
        sheet = _data_sheet(book)
    if sheet not in book.sheetnames:
        raise IngestError(
            Problem(
                f"Das Tabellenblatt „{sheet}“ fehlt; vorhanden: "
                + ", ".join(book.sheetnames),
                name,
                code="sheet",
            )
        )
    ws = book[sheet]
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                grid[r - 1][c - 1] = value
    return grid, sheet, name


def _data_sheet(book) -> str:
    """The first sheet with a cell that looks like a Regionalschlüssel."""
    for ws in book.worksheets:
        for row in ws.iter_rows(max_row=60, max_col=4, values_only=True):
            if any(_KEY.match(clean_text(v)) for v in row if v is not None):
                return ws.title
    return book.sheetnames[0]


def _is_data_row(row) -> bool:
    cells = [clean_text(v) for v in row[:3]]
    return len(cells) >= 2 and bool(_KEY.match(cells[0])) and bool(cells[1])


def guess_ba_mapping(
    source, sheet: str | None = None, name: str | None = None
) -> BaMapping:
    """A mapping for the user to confirm: data start at the first row with a key in
    column A and a name in B; the header is the text rows above it (without a row
    of column numbers); every column with numbers below becomes a value column."""
    grid, sheet, name = read_sheet(source, sheet, name)
    first = next((i for i, r in enumerate(grid) if _is_data_row(r)), None)
    if first is None:
        raise IngestError(
            Problem(
                "Keine Datenzeile mit Regionalschlüssel in Spalte A gefunden.",
                name,
                code="no_rows",
            )
        )
    header = []
    for i in range(first - 1, -1, -1):
        cells = [clean_text(v) for v in grid[i]]
        if not any(cells):
            if header:
                break
            continue
        if all(re.fullmatch(r"\d+", c) for c in cells if c):
            continue  # the row of column numbers
        if sum(bool(c) for c in cells) == 1 and header:
            break  # a title line
        header.insert(0, i + 1)
    width = max(len(r) for r in grid)
    values = {}
    for j in range(2, width):
        labels = _labels(grid, header, j)
        if labels and any(
            j < len(r) and r[j] is not None for r in grid[first : first + 20]
        ):
            values[get_column_letter(j + 1)] = labels
    titles = " ".join(
        clean_text(v) for r in grid[: min(header or [first])] for v in r if v
    )
    return BaMapping(
        sheet=sheet,
        header_rows=tuple(header),
        first_data_row=first + 1,
        key_column="A",
        name_column="B",
        value_columns=values,
        year=year_of(titles),
    )


def _labels(grid, header_rows, j) -> str:
    parts = []
    for r in header_rows:
        row = grid[r - 1]
        text = clean_text(row[j]) if j < len(row) else ""
        if text and text not in parts:
            parts.append(text)
    return " | ".join(parts)


def read_ba_excel(
    source, mapping: BaMapping, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read the data rows of a BA workbook through a confirmed mapping.

    Reading stops at the first footnote row; rows without a key in between
    (sub-headings) are skipped. ``*`` becomes ``suppressed``.
    """
    if mapping.year is None:
        raise ValueError("mapping.year is required")
    grid, sheet, name = read_sheet(source, mapping.sheet, name, limits)
    key_j = column_index_from_string(mapping.key_column) - 1
    name_j = column_index_from_string(mapping.name_column) - 1
    value_js = {
        column_index_from_string(c) - 1: label
        for c, label in mapping.value_columns.items()
    }
    if not value_js:
        raise IngestError(Problem("Keine Wertespalte gewählt.", name, code="no_values"))
    rows, problems, errors = [], [], []
    for i in range(mapping.first_data_row - 1, len(grid)):
        row, line = grid[i], i + 1
        head = clean_text(row[key_j] if key_j < len(row) else None)
        if _FOOTNOTE.match(head):
            break
        if not head:
            continue
        key, padded = normalise_key(row[key_j])
        if isinstance(row[key_j], int | float):
            problems.append(
                Problem(
                    f"Der Schlüssel {key} steht als Zahl in der Zelle; führende Nullen "
                    "können fehlen.",
                    name,
                    line,
                    mapping.key_column,
                    WARNING,
                    "numeric_key",
                )
            )
        area = _MARKER.sub("", clean_text(row[name_j] if name_j < len(row) else ""))
        for j, label in value_js.items():
            cell = parse_cell(row[j] if j < len(row) else None, "ba")
            column = get_column_letter(j + 1)
            if cell.error:
                errors.append(
                    Problem(cell.error, name, line, column, code="not_a_number")
                )
            rows.append(
                {
                    "source_row": line,
                    "area_key": key,
                    "area_name": area,
                    "variable": label,
                    "year": mapping.year,
                    "value": cell.value,
                    "status": cell.status,
                    "flag": cell.flag,
                }
            )
    if errors:
        raise IngestError(errors)
    return observations_frame(rows, f"{name} [{sheet}]"), problems
