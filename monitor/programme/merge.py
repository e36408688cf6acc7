"""The current state of the programme: the published goals, measures and reports
with the effective entries of the edit log applied (new goals and measures
appended). Pure pandas; the column types come from :mod:`monitor.programme.schema`.
"""

from __future__ import annotations

import pandas as pd

from monitor.programme.cells import as_date, as_ids, as_number
from monitor.programme.replay import EditState
from monitor.programme.schema import (
    GOAL_FIELDS,
    GOALS,
    MEASURE_FIELDS,
    MEASURES,
    columns_of,
)
from monitor.programme.vocabulary import MEASURE_STATUSES

__all__ = [
    "REPORT_COLUMNS",
    "all_reports",
    "current_goals",
    "current_measures",
    "latest_values",
]

#: Columns of :func:`all_reports`: the published ones and where a report comes from.
REPORT_COLUMNS = [
    "measure_id",
    "report_date",
    "value",
    "status",
    "comment",
    "reported_by",
    "source",
    "entry_id",
    "seq",
    "at",
]


def current_goals(goals: pd.DataFrame, state: EditState) -> pd.DataFrame:
    """Published goals with the admins' edits applied (new goals appended)."""
    df = goals.astype(dict.fromkeys(goals.columns, "object"))
    rows = {r.goal_id: r._asdict() for r in df.itertuples(index=False)}
    for goal_id, fields in state.goals.items():
        row = rows.get(goal_id)
        if row is None:
            if not all(fields.get(k) is not None for k in ("title", "indicator_id")):
                continue
            row = dict.fromkeys(df.columns) | {"goal_id": goal_id}
            rows[goal_id] = row
        row.update({k: v for k, v in fields.items() if k in GOAL_FIELDS})
    out = pd.DataFrame(list(rows.values()), columns=list(goals.columns))
    for column in columns_of(GOALS, "real"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in columns_of(GOALS, "int"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    return out.sort_values("goal_id").reset_index(drop=True)


def _new_measure(columns, measure_id: str) -> dict:
    return dict.fromkeys(columns) | {
        "measure_id": measure_id,
        "goal_ids": (),
        "outcome_indicator_ids": (),
        "status": "planned",
    }


def current_measures(measures: pd.DataFrame, state: EditState) -> pd.DataFrame:
    """Published measures with the effective edits applied.

    Dates become ``datetime.date``; list columns become tuples; ``edited`` is True
    when the log changed the row; ``quantified`` when it has an output target.
    """
    rows = {r["measure_id"]: r for r in measures.to_dict("records")}
    for measure_id, fields in state.measures.items():
        row = rows.get(measure_id)
        if row is None:
            if not fields.get("title"):
                continue
            row = rows[measure_id] = _new_measure(measures.columns, measure_id)
        row.update({k: v for k, v in fields.items() if k in MEASURE_FIELDS})
    for measure_id, status in state.status.items():
        if measure_id in rows:
            rows[measure_id]["status"] = status
    out = pd.DataFrame(list(rows.values()), columns=list(measures.columns))
    for column in columns_of(MEASURES, "date"):
        out[column] = [as_date(v) for v in out[column]]
    for column in columns_of(MEASURES, "ids"):
        out[column] = [as_ids(v) for v in out[column]]
    for column in columns_of(MEASURES, "real"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["edited"] = out.measure_id.isin(set(state.measures) | set(state.status))
    out["quantified"] = (
        out.target_value.notna()
        & out.baseline_value.notna()
        & out.baseline_date.notna()
        & out.target_date.notna()
        & (out.target_value != out.baseline_value)
    )
    out.loc[~out.status.isin(MEASURE_STATUSES), "status"] = "planned"
    return out.sort_values("measure_id").reset_index(drop=True)


def all_reports(reports: pd.DataFrame, state: EditState) -> pd.DataFrame:
    """Published reports and the effective reports from the log, by date."""
    rows = [
        {
            "measure_id": r["measure_id"],
            "report_date": as_date(r["report_date"]),
            "value": as_number(r["value"]),
            "status": None if pd.isna(r["status"]) else r["status"],
            "comment": "" if pd.isna(r["comment"]) else r["comment"],
            "reported_by": r["reported_by"],
            "source": "published",
            "entry_id": "",
            "seq": 0,
            "at": "",
        }
        for r in reports.to_dict("records")
    ]
    rows += [
        {
            "measure_id": e.target,
            "report_date": as_date(e.data.get("date")),
            "value": as_number(e.data.get("value")),
            "status": e.data.get("status"),
            "comment": e.data.get("comment") or "",
            "reported_by": e.who,
            "source": "app",
            "entry_id": e.entry_id,
            "seq": e.seq,
            "at": e.at,
        }
        for e in state.reports
    ]
    df = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    if df.empty:
        return df
    return df.sort_values(["measure_id", "report_date", "seq"]).reset_index(drop=True)


def latest_values(reports: pd.DataFrame) -> pd.DataFrame:
    """The latest report with a value of every measure (index: measure_id), from
    the date-sorted frame of :func:`all_reports`."""
    if reports.empty:
        return pd.DataFrame()
    with_value = reports[reports.value.notna()]
    return with_value.groupby("measure_id", sort=False).tail(1).set_index("measure_id")
