"""The data contract of the programme files, defined once: goals.parquet,
measures.parquet and progress_reports.parquet, their columns in order, their Arrow
types, and which columns an admin may set through the edit log.

Used by the store (which columns a file must have), the demo generator (the Arrow
schema it writes), the edit log (which fields a ``goal`` or ``measure`` entry may
set) and the merge of published data with the log (how a column is typed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

__all__ = [
    "Column",
    "GOALS",
    "MEASURES",
    "REPORTS",
    "FILES",
    "GOAL_FIELDS",
    "MEASURE_FIELDS",
    "arrow_schema",
    "columns_of",
    "names",
]


@dataclass(frozen=True)
class Column:
    """One column: name, Arrow type, and whether an admin may set it in the app."""

    name: str
    type: pa.DataType
    editable: bool = True


_TEXT, _REAL, _DAY, _IDS = pa.string(), pa.float64(), pa.date32(), pa.list_(pa.string())

GOALS = (
    Column("goal_id", _TEXT, editable=False),
    Column("title", _TEXT),
    Column("working_group", _TEXT),
    Column("working_group_name", _TEXT),
    Column("handlungsfeld", _TEXT),
    Column("indicator_id", _TEXT),
    Column("area_id", _TEXT),
    Column("direction", _TEXT),
    Column("baseline_year", pa.int32()),
    Column("baseline_value", _REAL),
    Column("target_year", pa.int32()),
    Column("target_value", _REAL),
    Column("source", _TEXT, editable=False),
)
MEASURES = (
    Column("measure_id", _TEXT, editable=False),
    Column("title", _TEXT),
    Column("handlungsfeld", _TEXT),
    Column("working_group", _TEXT),
    Column("responsible", _TEXT),
    Column("lead", _TEXT),
    Column("start", _DAY),
    Column("end", _DAY),
    Column("status", _TEXT),
    Column("budget_eur", _REAL),
    Column("output_indicator", _TEXT),
    Column("output_unit", _TEXT),
    Column("baseline_value", _REAL),
    Column("baseline_date", _DAY),
    Column("target_value", _REAL),
    Column("target_date", _DAY),
    Column("goal_ids", _IDS, editable=False),
    Column("outcome_indicator_ids", _IDS, editable=False),
    Column("area_id", _TEXT),
    Column("lon", _REAL, editable=False),
    Column("lat", _REAL, editable=False),
    Column("source", _TEXT, editable=False),
    Column("comment", _TEXT),
)
REPORTS = (
    Column("report_id", _TEXT, editable=False),
    Column("measure_id", _TEXT, editable=False),
    Column("report_date", _DAY, editable=False),
    Column("value", _REAL, editable=False),
    Column("status", _TEXT, editable=False),
    Column("comment", _TEXT, editable=False),
    Column("reported_by", _TEXT, editable=False),
)
#: File name -> columns (all three files are optional in a data folder).
FILES = {
    "goals.parquet": GOALS,
    "measures.parquet": MEASURES,
    "progress_reports.parquet": REPORTS,
}


def names(columns: Sequence[Column]) -> tuple[str, ...]:
    return tuple(c.name for c in columns)


def columns_of(columns: Sequence[Column], kind: str) -> tuple[str, ...]:
    """Names of the columns of one Arrow kind: ``date``, ``real``, ``int``, ``ids``."""
    test = {
        "date": pa.types.is_date,
        "real": pa.types.is_floating,
        "int": pa.types.is_integer,
        "ids": pa.types.is_list,
    }
    if kind not in test:
        raise ValueError(f"unknown column kind {kind!r}")
    return tuple(c.name for c in columns if test[kind](c.type))


def arrow_schema(columns: Sequence[Column]) -> pa.Schema:
    return pa.schema([(c.name, c.type) for c in columns])


#: Fields of a goal an admin may set through the log.
GOAL_FIELDS = tuple(c.name for c in GOALS if c.editable)
#: Fields of a measure an admin may set through the log.
MEASURE_FIELDS = tuple(c.name for c in MEASURES if c.editable)
