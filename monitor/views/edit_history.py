"""The audit trail of a measure or goal (who, when, what, the value before) and
its progress reports, published and recorded in the app."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from monitor.formatting import fmt_date
from monitor.i18n import t
from monitor.programme.cells import as_date
from monitor.programme.replay import EditState
from monitor.views.programme_text import fmt_when, value_text

__all__ = ["history_table", "reports_table"]


def _what(entry, lang: str, unit: str | None) -> str:
    data = entry.data
    if entry.kind == "progress":
        parts = [fmt_date(as_date(data.get("date")), lang)]
        if data.get("value") is not None:
            parts.append(value_text(data.get("value"), unit, lang))
        if data.get("status"):
            parts.append(t(f"progress.status.{data['status']}", lang))
        return t("massnahmen.hist_progress", lang, what=" · ".join(parts))
    if entry.kind == "status":
        return t(
            "massnahmen.hist_status",
            lang,
            status=t(f"progress.status.{data.get('status')}", lang),
        )
    if entry.kind in ("measure", "goal"):
        return t("massnahmen.hist_fields", lang, fields=", ".join(sorted(data)))
    if entry.kind == "role":
        return t(
            "massnahmen.hist_role", lang, role=t(f"auth.role_{data.get('role')}", lang)
        )
    if entry.kind == "revert":
        prev = entry.previous
        return t("massnahmen.hist_revert", lang, seq=prev.get("seq", "?"))
    return entry.kind


def _before(entry, lang: str, unit: str | None) -> str:
    prev = entry.previous
    if not prev:
        return "–"
    if entry.kind == "progress":
        parts = []
        if prev.get("date"):
            parts.append(fmt_date(as_date(prev["date"]), lang))
        if prev.get("value") is not None:
            parts.append(value_text(prev["value"], unit, lang))
        if prev.get("status"):
            parts.append(t(f"progress.status.{prev['status']}", lang))
        return " · ".join(parts) or "–"
    if entry.kind == "status":
        status = prev.get("status")
        return t(f"progress.status.{status}", lang) if status else "–"
    if entry.kind == "role":
        role = prev.get("role")
        return t(f"auth.role_{role}", lang) if role else "–"
    if entry.kind == "revert":
        return t(f"massnahmen.kind_{prev.get('kind', 'progress')}", lang)
    return "; ".join(f"{k}: {'–' if v is None else v}" for k, v in sorted(prev.items()))


def history_table(
    entries: Sequence, state: EditState, *, lang: str, unit: str | None
) -> pd.DataFrame:
    """The audit trail of one measure or goal: who, when, what, previous value."""
    rows = []
    for e in reversed(list(entries)):
        reverted = e.entry_id in state.reverted_by
        rows.append(
            {
                t("massnahmen.hist_no", lang): e.seq,
                t("massnahmen.hist_when", lang): fmt_when(e.at, lang),
                t("massnahmen.hist_who", lang): e.who,
                t("massnahmen.hist_what", lang): _what(e, lang, unit),
                t("massnahmen.hist_before", lang): _before(e, lang, unit),
                t("massnahmen.hist_comment", lang): str(e.data.get("comment") or ""),
                t("massnahmen.hist_state", lang): t(
                    "massnahmen.hist_reverted"
                    if reverted
                    else "massnahmen.hist_active",
                    lang,
                ),
            }
        )
    return pd.DataFrame(rows)


def reports_table(reports: pd.DataFrame, unit: str | None, lang: str) -> pd.DataFrame:
    """Progress reports of one measure, newest first: published ones and those
    recorded in the app (with their entry number)."""
    rows = []
    for r in reports.iloc[::-1].itertuples():
        rows.append(
            {
                t("massnahmen.rep_date", lang): fmt_date(r.report_date, lang)
                if r.report_date
                else "–",
                t("massnahmen.rep_value", lang): value_text(r.value, unit, lang),
                t("massnahmen.rep_status", lang): t(f"progress.status.{r.status}", lang)
                if r.status
                else "–",
                t("massnahmen.rep_comment", lang): r.comment,
                t("massnahmen.rep_who", lang): r.reported_by,
                t("massnahmen.rep_source", lang): t(
                    "massnahmen.source_published"
                    if r.source == "published"
                    else "massnahmen.source_app",
                    lang,
                    seq=r.seq,
                ),
            }
        )
    columns = [
        t(f"massnahmen.rep_{c}", lang)
        for c in ("date", "value", "status", "comment", "who", "source")
    ]
    return pd.DataFrame(rows, columns=columns)
