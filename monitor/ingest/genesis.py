"""GENESIS-Online and Regionaldatenbank tables in the classic CSV layout.

What the "Tabelle als CSV" download of www-genesis.destatis.de and
www.regionalstatistik.de looks like (e.g. table 12411-01-01-4)::

    GENESIS-Tabelle: 12411-01-01-4
    Bevölkerungsstand: Bevölkerung nach Geschlecht;;;;
    - Stichtag 31.12. -;;;;
    regionale Tiefe: Kreise und krfr. Städte;;;;
    Bevölkerungsstand (Anzahl);;;;
    ;;31.12.2022;31.12.2022;31.12.2023;31.12.2023      ← time header
    ;;Insgesamt;weiblich;Insgesamt;weiblich            ← Merkmal header
    10041;  Regionalverband Saarbrücken;326123;165210;…
    10099;  Musterkreis, Landkreis;128021;65102;…
    __________
    "zu „gesamter Tabelle“: …"
    © Statistische Ämter des Bundes und der Länder, Deutschland, 2024.
    Stand: 12.04.2024 / 10:15:03

Title lines come first, then one to three header rows whose first two cells are
empty, then data rows ``key;name;values…`` (the name indented with spaces by
hierarchy), then a footer after a line of underscores. Values use a decimal comma and
the official symbols and flags of :mod:`monitor.ingest.symbols`. Each value column
becomes a variable named after its header labels without the year, prefixed by the
value label line (``Bevölkerungsstand (Anzahl) | Insgesamt``).
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from monitor.ingest.observations import observations_frame, year_of
from monitor.ingest.problems import IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, TextFile, read_text
from monitor.ingest.symbols import parse_cell

__all__ = ["read_genesis_table"]

_KEY = re.compile(r"^(DG|\d{1,12})$")
_FOOTER = re.compile(r"^_{3,}")


def _rows(text: TextFile) -> list[list[str]]:
    if ";" not in text.text.split("\n", 1)[0] + text.text[:2000]:
        raise IngestError(
            Problem(
                "Die Datei ist nicht durch Semikolon getrennt; eine GENESIS-Tabelle "
                "trennt Spalten mit „;“.",
                text.name,
                code="separator",
            )
        )
    try:
        return list(csv.reader(io.StringIO(text.text), delimiter=";", quotechar='"'))
    except csv.Error as exc:
        raise IngestError(
            Problem(f"Die CSV-Struktur ist fehlerhaft: {exc}", text.name, code="csv")
        ) from exc


def _split(rows: list[list[str]], file: str):
    """(title lines, header rows, data rows with their 1-based line numbers)."""
    end = next(
        (i for i, r in enumerate(rows) if r and _FOOTER.match(r[0].strip())), len(rows)
    )
    body = rows[:end]
    first = next(
        (
            i
            for i, r in enumerate(body)
            if len(r) > 2 and _KEY.match(r[0].strip()) and r[1].strip()
        ),
        None,
    )
    if first is None:
        raise IngestError(
            Problem(
                "Keine Datenzeilen gefunden: In einer GENESIS-Tabelle beginnen sie "
                "mit einem Regionalschlüssel (z. B. „10041;Regionalverband "
                "Saarbrücken;…“).",
                file,
                code="no_rows",
            )
        )
    start = first
    while (
        start > 0
        and len(body[start - 1]) > 2
        and not "".join(body[start - 1][:2]).strip()
    ):
        start -= 1
    if start == first:
        raise IngestError(
            Problem(
                "Die Kopfzeilen mit Jahr und Merkmal fehlen über den Datenzeilen.",
                file,
                first + 1,
                code="no_header",
            )
        )
    data = [(i + 1, r) for i, r in enumerate(body[first:], start=first) if any(r)]
    return body[:start], body[start:first], data


def _columns(titles, headers, file) -> dict[int, tuple[str, int]]:
    """{column index: (variable, year)} from the header rows."""
    label = next((r[0].strip() for r in reversed(titles) if r and r[0].strip()), "")
    if label.startswith("GENESIS-Tabelle"):
        label = ""
    width = max(len(r) for r in headers)
    columns = {}
    for j in range(2, width):
        parts = [r[j].strip() for r in headers if j < len(r) and r[j].strip()]
        years = [year_of(p) for p in parts if year_of(p)]
        if not parts:
            continue
        if not years:
            raise IngestError(
                Problem(
                    f"Spalte {j + 1} hat keine Jahresangabe in den Kopfzeilen "
                    f"({' / '.join(parts)}).",
                    file,
                    column=" / ".join(parts),
                    code="no_year",
                )
            )
        names = [p for p in parts if not year_of(p)]
        variable = " | ".join([label, *names] if label else names) or label
        columns[j] = (variable, years[0])
    return columns


def read_genesis_table(
    source, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a classic GENESIS/Regionaldatenbank CSV into observations.

    Returns the observations (:data:`monitor.ingest.observations.OBSERVATION_COLUMNS`)
    and the findings; raises :class:`IngestError` when the layout is not recognised
    or any cell is neither a number nor an official symbol (all such cells listed).
    """
    text = read_text(source, name, limits)
    file, problems = text.name, list(text.problems)
    titles, headers, data = _split(_rows(text), file)
    columns = _columns(titles, headers, file)
    observations, errors = [], []
    for line, row in data:
        key, area = row[0].strip(), row[1].strip()
        for j, (variable, year) in columns.items():
            cell = parse_cell(row[j] if j < len(row) else "", "destatis")
            if cell.error:
                errors.append(
                    Problem(
                        f"{cell.error} (erlaubt: Zahl im deutschen Format oder eines "
                        "der Zeichen - . ... x /).",
                        file,
                        line,
                        f"{variable} {year}",
                        code="not_a_number",
                    )
                )
            observations.append(
                {
                    "source_row": line,
                    "area_key": key,
                    "area_name": area,
                    "variable": variable,
                    "year": year,
                    "value": cell.value,
                    "status": cell.status,
                    "flag": cell.flag,
                }
            )
    if errors:
        raise IngestError(errors)
    return observations_frame(observations, file), problems
