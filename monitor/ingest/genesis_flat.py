"""GENESIS "Flatfile CSV" (ffcsv): one record per line, as the GENESIS web service
and the portals' "flach" download deliver it.

The long-standing layout (header as delivered, note the leading spaces before the
value column)::

    Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;
    1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;…;
         BEV001__Bevoelkerungsstand__Anzahl;BEV001__Bevoelkerungsstand__q
    12411;Fortschreibung des Bevölkerungsstandes;STAG;Stichtag;31.12.2023;KREISE;
    Kreise und kreisfreie Städte;10041;Regionalverband Saarbrücken;…;326123;e

One ``N_Merkmal`` is the region (codes ``DLAND``, ``REGBEZ``, ``KREISE``, ``GEMEIN``;
or name it with ``region_feature``); its ``Auspraegung_Code`` is the official key
(kept as text). A row whose region key is empty is the total ("Insgesamt") and is
skipped with a note. Other Merkmale become part of the variable name. A ``…__q``
column holds quality marks (``e`` final, ``p`` provisional, ``r`` revised, ``s``
estimated), which become the ``flag``.

The newer layout of 2024 (English headers ``time;value;value_unit;
value_variable_code;value_variable_label;value_q;1_variable_code;
1_variable_attribute_code;1_variable_attribute_label;…``) is read the same way.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from monitor.ingest.observations import observations_frame, year_of
from monitor.ingest.problems import INFO, IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, read_text
from monitor.ingest.symbols import parse_cell, parse_flag

__all__ = ["REGION_FEATURES", "read_genesis_flat"]

REGION_FEATURES = ("GEMEIN", "KREISE", "REGBEZ", "DLAND", "DINSG")
_OLD_FIXED = {"Statistik_Code", "Statistik_Label", "Zeit_Code", "Zeit_Label", "Zeit"}
_FEATURE = re.compile(
    r"^(\d+)_(Merkmal_Code|Merkmal_Label|Auspraegung_Code|Auspraegung_Label)$"
)
_NEW_FEATURE = re.compile(
    r"^(\d+)_(variable_code|variable_label|variable_attribute_code|"
    r"variable_attribute_label)$"
)
_NEW_NAMES = {
    "variable_code": "Merkmal_Code",
    "variable_label": "Merkmal_Label",
    "variable_attribute_code": "Auspraegung_Code",
    "variable_attribute_label": "Auspraegung_Label",
}


def _read_records(text, file) -> tuple[list[str], list[tuple[int, dict]]]:
    reader = csv.reader(io.StringIO(text), delimiter=";", quotechar='"')
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise IngestError(
            Problem(f"Die CSV-Struktur ist fehlerhaft: {exc}", file)
        ) from exc
    if not rows:
        raise IngestError(Problem("Die Datei ist leer.", file, code="empty"))
    header = [h.strip() for h in rows[0]]
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row) or row[0].startswith("__"):
            continue
        if len(row) != len(header):
            raise IngestError(
                Problem(
                    f"Die Zeile hat {len(row)} statt {len(header)} Spalten.",
                    file,
                    line,
                    code="columns",
                )
            )
        records.append((line, dict(zip(header, row, strict=True))))
    return header, records


def _layout(header: list[str], file: str) -> str:
    if set(header) >= _OLD_FIXED:
        return "old"
    if {"time", "value", "value_variable_code"} <= set(header):
        return "new"
    raise IngestError(
        Problem(
            "Die Kopfzeile ist keine GENESIS-Flatfile-Kopfzeile (erwartet z. B. "
            "„Statistik_Code;Statistik_Label;Zeit_Code;…“). Gefunden: "
            + ";".join(header[:6])
            + ("…" if len(header) > 6 else ""),
            file,
            1,
            code="header",
        )
    )


def _features(header: list[str], layout: str) -> dict[int, dict[str, str]]:
    pattern = _FEATURE if layout == "old" else _NEW_FEATURE
    found: dict[int, dict[str, str]] = {}
    for column in header:
        match = pattern.match(column)
        if match:
            role = match.group(2) if layout == "old" else _NEW_NAMES[match.group(2)]
            found.setdefault(int(match.group(1)), {})[role] = column
    return found


def _region_feature(features, records, region_feature, file) -> int:
    wanted = (region_feature,) if region_feature else REGION_FEATURES
    for number, cols in sorted(features.items()):
        codes = {r[cols["Merkmal_Code"]].strip() for _, r in records}
        if codes & set(wanted):
            return number
    raise IngestError(
        Problem(
            "Keine Regionalgliederung gefunden: kein Merkmal "
            + ", ".join(wanted)
            + ". Bitte das Merkmal mit den Gebietsschlüsseln angeben.",
            file,
            code="no_region",
        )
    )


def read_genesis_flat(
    source,
    name: str | None = None,
    region_feature: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a GENESIS flat file (ffcsv, old or 2024 layout) into observations."""
    text = read_text(source, name, limits)
    file, problems = text.name, list(text.problems)
    header, records = _read_records(text.text, file)
    layout = _layout(header, file)
    features = _features(header, layout)
    region = _region_feature(features, records, region_feature, file)
    others = [n for n in sorted(features) if n != region]
    values = _value_columns(header, layout)
    observations, errors, totals = [], [], []
    for line, record in records:
        key = record[features[region]["Auspraegung_Code"]].strip()
        if not key:
            totals.append(line)
            continue
        parts = [record[features[n]["Auspraegung_Label"]].strip() for n in others]
        time = record["Zeit" if layout == "old" else "time"]
        year = year_of(time)
        if year is None:
            errors.append(
                Problem(
                    f"„{time}“ ist keine Zeitangabe.", file, line, "Zeit", code="year"
                )
            )
            continue
        for column, quality, label in values(record):
            cell = parse_cell(record[column], "destatis")
            if cell.error:
                errors.append(
                    Problem(cell.error, file, line, column, code="not_a_number")
                )
            flag = cell.flag or (parse_flag(record[quality]) if quality else "")
            observations.append(
                {
                    "source_row": line,
                    "area_key": key,
                    "area_name": record[features[region]["Auspraegung_Label"]].strip(),
                    "variable": " | ".join([label, *[p for p in parts if p]]),
                    "year": year,
                    "value": cell.value,
                    "status": cell.status,
                    "flag": flag,
                }
            )
    if errors:
        raise IngestError(errors)
    if totals:
        problems.append(
            Problem(
                f"{len(totals)} Summenzeile(n) „Insgesamt“ ohne Gebietsschlüssel "
                f"übersprungen (Zeile {', '.join(map(str, totals[:10]))}"
                + (" …)" if len(totals) > 10 else ")"),
                file,
                totals[0],
                severity=INFO,
                code="total_row",
            )
        )
    return observations_frame(observations, file), problems


def _value_columns(header: list[str], layout: str):
    """A function giving ``(value column, quality column, variable label)`` per
    record: the old layout has one column per variable, the new one a column
    ``value`` with the variable named in ``value_variable_label``."""
    if layout == "new":

        def new(record):
            label = record.get("value_variable_label", "").strip()
            unit = record.get("value_unit", "").strip()
            code = record.get("value_variable_code", "").strip()
            name = f"{code} {label}".strip() + (f" [{unit}]" if unit else "")
            return [("value", "value_q" if "value_q" in record else None, name)]

        return new
    fixed = [
        h
        for h in header
        if h not in _OLD_FIXED and not _FEATURE.match(h) and not h.endswith("__q")
    ]
    quality = {}
    for h in fixed:
        stem = h.rsplit("__", 1)[0]
        quality[h] = next((q for q in header if q == f"{stem}__q"), None)

    def old(_record):
        return [(h, quality[h], h) for h in fixed]

    return old
