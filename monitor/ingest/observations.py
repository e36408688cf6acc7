"""The common output of every table reader: one row per area, variable and year.

GENESIS tables, BA workbooks, Zensus grids and the template all become the same long
frame of *observations* (``OBSERVATION_COLUMNS``) before areas are matched and
indicators assembled, so matching, assembly and validation exist once.
``source_row`` is the line (or spreadsheet row) the value came from, for messages.
"""

from __future__ import annotations

import re

import pandas as pd

from monitor.ingest.problems import IngestError, Problem

__all__ = ["OBSERVATION_COLUMNS", "observations_frame", "year_of"]

OBSERVATION_COLUMNS = (
    "source_row",
    "area_key",
    "area_name",
    "variable",
    "year",
    "value",
    "status",
    "flag",
)


def observations_frame(rows: list[dict], file: str) -> pd.DataFrame:
    """The observation rows as a typed frame; refuses a table without values."""
    if not rows:
        raise IngestError(
            Problem(
                "Die Tabelle enthält keine Datenzeilen (nur Kopf oder leer).",
                file,
                code="no_rows",
            )
        )
    frame = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    for column in ("area_key", "area_name", "variable", "status", "flag"):
        frame[column] = frame[column].astype(object)
    return frame


def year_of(label: str) -> int | None:
    """The year of a time label: ``2023``, ``31.12.2023``, ``2023-12-31``,
    ``Dezember 2023``, ``12/2023``; ``None`` when there is none."""
    match = re.search(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)", str(label))
    return int(match.group(1)) if match else None
