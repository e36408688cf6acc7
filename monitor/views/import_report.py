"""Tables of the import page (``Daten importieren``): the validation report, the
match report with its editable mapping, the summary of changes and the versions.

Plain frames in, frames out; the column names come from the locale files.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from monitor.formatting import fmt_date, fmt_number
from monitor.i18n import t
from monitor.ingest.changes import Changes
from monitor.ingest.matching import MatchReport
from monitor.ingest.problems import Problem

__all__ = [
    "changes_frame",
    "manual_mapping",
    "match_frame",
    "problems_frame",
    "versions_frame",
]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def problems_frame(problems: Sequence[Problem], lang: str) -> pd.DataFrame:
    """One row per finding (errors first): severity, file, row, column, message."""
    rows = sorted(problems, key=lambda p: (_SEVERITY_ORDER[p.severity], p.row or 0))
    return pd.DataFrame(
        {
            t("import.col_severity", lang): [
                t(f"import.severity_{p.severity}", lang) for p in rows
            ],
            t("import.col_file", lang): [p.file for p in rows],
            t("import.col_row", lang): pd.array([p.row for p in rows], dtype="Int64"),
            t("import.col_column", lang): [p.column or "" for p in rows],
            t("import.col_message", lang): [p.message for p in rows],
        }
    )


def match_frame(report: MatchReport, lang: str) -> pd.DataFrame:
    """The match report as the page's editable table: the source name and key,
    the status, the area found (editable) and the candidates."""
    rows = report.rows
    return pd.DataFrame(
        {
            "source_name": rows["source_name"].astype(str).to_numpy(),
            "source_key": rows.get("source_key", pd.Series([""] * len(rows)))
            .fillna("")
            .astype(str)
            .to_numpy(),
            "status": [t(f"import.match_{s}", lang) for s in rows["status"]],
            "area_id": rows["area_id"].fillna("").astype(str).to_numpy(),
            "note": [
                str(c or n or "")
                for c, n in zip(rows["candidates"], rows["note"], strict=True)
            ],
        }
    )


def manual_mapping(edited: pd.DataFrame, original: pd.DataFrame) -> dict[str, str]:
    """The rows whose area the user typed or changed, as the mapping table
    ``{source name: area id}`` that :func:`monitor.ingest.matching.match_areas`
    puts first."""
    changed = edited["area_id"].astype(str) != original["area_id"].astype(str)
    filled = edited["area_id"].astype(str).str.strip() != ""
    chosen = edited[changed & filled]
    return dict(
        zip(
            chosen["source_name"].astype(str),
            chosen["area_id"].astype(str).str.strip(),
            strict=True,
        )
    )


def changes_frame(changes: Changes, lang: str) -> pd.DataFrame:
    """The summary of changes as label/value rows."""

    def n(value: int) -> str:
        return fmt_number(value, lang, 0)

    def listed(items) -> str:
        shown = ", ".join(str(i) for i in items[:10])
        return shown + (" …" if len(items) > 10 else "") if items else "–"

    years = f"{changes.years[0]}–{changes.years[-1]}" if changes.years else "–"
    rows = [
        (t("import.sum_rows", lang), n(changes.rows)),
        (t("import.sum_areas", lang), n(changes.areas)),
        (t("import.sum_years", lang), years),
        (t("import.sum_indicators", lang), n(len(changes.indicators))),
        (t("import.sum_changed", lang), n(changes.changed_values)),
        (t("import.sum_new_values", lang), n(changes.new_values)),
        (t("import.sum_removed_values", lang), n(changes.removed_values)),
        (
            t("import.sum_new_areas", lang, n=n(len(changes.new_areas))),
            listed(changes.new_areas),
        ),
        (
            t("import.sum_removed_areas", lang, n=n(len(changes.removed_areas))),
            listed(changes.removed_areas),
        ),
        (t("import.sum_new_indicators", lang), listed(changes.new_indicators)),
        (t("import.sum_removed_indicators", lang), listed(changes.removed_indicators)),
        (t("import.sum_new_years", lang), listed(changes.new_years)),
        (t("import.sum_removed_years", lang), listed(changes.removed_years)),
    ]
    return pd.DataFrame(
        rows, columns=[t("import.col_what", lang), t("import.col_value", lang)]
    )


def versions_frame(items: Sequence, served_id: str, lang: str) -> pd.DataFrame:
    """Published versions (``monitor.versions.Version``), newest first."""

    def when(version) -> str:
        try:
            return fmt_date(version.published_at[:10], lang)
        except ValueError:
            return ""

    return pd.DataFrame(
        {
            t("import.col_version", lang): [v.id for v in items],
            t("import.col_published", lang): [when(v) for v in items],
            t("import.col_by", lang): [v.published_by for v in items],
            t("import.col_note", lang): [v.note for v in items],
            t("import.col_served", lang): [
                t("import.served_yes", lang) if v.id == served_id else "" for v in items
            ],
        }
    )
