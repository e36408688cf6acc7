"""The edit forms of editors: a progress report and a status change of a measure,
undoing an edit, and the outcome message of every save. Each save goes through
:func:`monitor.ui.auth.append`, which checks the role again at that moment; a
refusal is shown by the account bar (the form may not be drawn for the new role)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from monitor.formatting import fmt_date, fmt_number
from monitor.programme.entry import EditError, Entry
from monitor.programme.parsing import (
    MAX_TEXT,
    InputProblem,
    parse_number,
    validate_report,
    validate_status_change,
)
from monitor.programme.replay import EditState
from monitor.programme.vocabulary import MEASURE_STATUSES
from monitor.store import Store
from monitor.ui.auth import PermissionDeniedError, append, remember_denial
from monitor.ui.state import lang, tr

__all__ = [
    "differs",
    "fail",
    "number_or_none",
    "number_text",
    "plain",
    "progress_forms",
    "revert_control",
    "show_message",
    "write",
]

_MSG = "_qm_edit_message"


def _problem_text(problem: InputProblem) -> str:
    params = {}
    for name, value in problem.params.items():
        if isinstance(value, date):
            params[name] = fmt_date(value, lang())
        elif name == "status":
            params[name] = tr(f"progress.status.{value}")
        else:
            params[name] = value
    return tr(f"progress.errors.{problem.code}", **params)


def _edit_error_text(exc: EditError) -> str:
    return tr(
        f"progress.errors.{exc.code}", **{k: str(v) for k, v in exc.params.items()}
    )


def write(
    store: Store,
    action: str,
    kind: str,
    target: str,
    values,
    *,
    slot: str = "form",
    **kwargs,
):
    """Append and put the outcome into the session for the next render."""
    key = f"{_MSG}_{slot}"
    try:
        entry = append(store, action, kind, target, values, **kwargs)
    except PermissionDeniedError as exc:
        remember_denial(str(exc))
        return None
    except EditError as exc:
        st.session_state[key] = ("error", [_edit_error_text(exc)])
        return None
    except OSError as exc:
        st.session_state[key] = ("error", [tr("progress.errors.io", message=str(exc))])
        return None
    st.session_state[key] = ("success", [tr("progress.saved", seq=entry.seq)])
    return entry


def fail(slot: str, lines: list[str]) -> None:
    st.session_state[f"{_MSG}_{slot}"] = ("error", lines)


def show_message(slot: str = "form") -> None:
    """The outcome of the last save in ``slot`` (shown once)."""
    message = st.session_state.pop(f"{_MSG}_{slot}", None)
    if not message:
        return
    kind, lines = message
    if kind == "success":
        st.success("\n".join(lines), icon=":material/check_circle:")
    else:
        body = lines[0] if len(lines) == 1 else "\n".join(f"- {x}" for x in lines)
        st.error(body, icon=":material/error:")


def _published_measure(measure: dict, reports: pd.DataFrame) -> dict[str, Any]:
    own = reports[(reports.source == "published") & reports.value.notna()]
    own = own[own.measure_id == measure["measure_id"]]
    status = measure.get("published_status")
    out: dict[str, Any] = {"status": status if isinstance(status, str) else None}
    if len(own):
        last = own.iloc[-1]
        out |= {"date": last.report_date.isoformat(), "value": float(last.value)}
    return out


def _save_progress(store: Store, measure: dict, published: dict) -> None:
    ss = st.session_state
    clean, problems = validate_report(
        report_date=ss.get("qm_pf_date"),
        value_text=ss.get("qm_pf_value", ""),
        comment=ss.get("qm_pf_comment", ""),
        unit=measure.get("output_unit"),
        quantified=bool(measure.get("quantified")),
        start=measure.get("start"),
        today=date.today(),
    )
    if problems:
        fail("form", [_problem_text(p) for p in problems])
        return
    clean["status"] = ss.get("qm_pf_status") or measure["status"]
    if write(store, "record", "progress", measure["measure_id"], clean,
              published=published):  # fmt: skip
        ss["qm_pf_value"] = ""
        ss["qm_pf_comment"] = ""


def _save_status(store: Store, measure: dict, published: dict) -> None:
    ss = st.session_state
    clean, problems = validate_status_change(
        new_status=ss.get("qm_sf_status"),
        current=measure["status"],
        comment=ss.get("qm_sf_comment", ""),
    )
    if problems:
        fail("form", [_problem_text(p) for p in problems])
        return
    if write(store, "record", "status", measure["measure_id"], clean,
              published=published):  # fmt: skip
        ss["qm_sf_comment"] = ""


def progress_forms(store: Store, measure: dict, reports: pd.DataFrame) -> None:
    """Forms to add a progress report or change the status of ``measure``."""
    published = _published_measure(measure, reports)
    statuses = list(MEASURE_STATUSES)
    report_tab, status_tab = st.tabs(
        [tr("progress.form_report"), tr("progress.form_status")]
    )
    with report_tab, st.form("qm_progress_form", border=True):
        st.date_input(
            tr("progress.field_date"),
            value=date.today(),
            format="DD.MM.YYYY",
            key="qm_pf_date",
        )
        if measure.get("quantified"):
            st.text_input(
                tr("progress.field_value", unit=measure.get("output_unit") or ""),
                key="qm_pf_value",
                placeholder=tr("progress.value_placeholder"),
                help=tr("progress.value_help", unit=measure.get("output_unit") or ""),
            )
        if (
            "qm_pf_status" not in st.session_state
            or st.session_state.get("_qm_pf_for") != measure["measure_id"]
        ):
            st.session_state["qm_pf_status"] = measure["status"]
            st.session_state["_qm_pf_for"] = measure["measure_id"]
        st.selectbox(
            tr("progress.field_status"),
            statuses,
            key="qm_pf_status",
            format_func=lambda s: tr(f"progress.status.{s}"),
        )
        st.text_area(
            tr("progress.field_comment"), key="qm_pf_comment", max_chars=MAX_TEXT
        )
        st.form_submit_button(
            tr("progress.save_report"),
            type="primary",
            icon=":material/save:",
            on_click=_save_progress,
            args=(store, measure, published),
        )
    with status_tab, st.form("qm_status_form", border=True):
        st.selectbox(
            tr("progress.field_new_status"),
            statuses,
            key="qm_sf_status",
            format_func=lambda s: tr(f"progress.status.{s}"),
        )
        st.text_area(
            tr("progress.field_reason"), key="qm_sf_comment", max_chars=MAX_TEXT
        )
        st.form_submit_button(
            tr("progress.save_status"),
            type="primary",
            icon=":material/published_with_changes:",
            on_click=_save_status,
            args=(store, measure, published),
        )


def _revert(store: Store, action: str, key: str, slot: str) -> None:
    entry_id = st.session_state.get(f"{key}_revert_choice")
    if not entry_id:
        return
    write(store, action, "revert", entry_id, {"comment": ""}, slot=slot)


def revert_control(
    store: Store,
    entries: list[Entry],
    state: EditState,
    *,
    action: str,
    key: str,
    slot: str = "form",
) -> None:
    """Undo an edit by a new entry (an undone revert re-applies the edit)."""
    candidates = [e for e in reversed(entries) if state.effective.get(e.entry_id)]
    if not candidates:
        return
    labels = {
        e.entry_id: tr(
            "progress.revert_label",
            seq=e.seq,
            kind=tr(f"massnahmen.kind_{e.kind}"),
            who=e.who,
        )
        for e in candidates
    }
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        st.selectbox(
            tr("progress.revert_choose"),
            list(labels),
            format_func=labels.__getitem__,
            key=f"{key}_revert_choice",
        )
    with right:
        st.button(
            tr("progress.revert"),
            icon=":material/undo:",
            key=f"{key}_revert",
            on_click=_revert,
            args=(store, action, key, slot),
        )


def number_or_none(text: str, problems: list[str]) -> float | None:
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return parse_number(text)
    except ValueError:
        problems.append(tr("progress.errors.not_a_number", text=text[:40]))
        return None


def differs(old, new) -> bool:
    if old is None or (isinstance(old, float) and old != old) or old is pd.NA:
        return new is not None
    if new is None:
        return True
    try:
        return float(old) != float(new)
    except (TypeError, ValueError):
        return str(old) != str(new)


def plain(record: dict) -> dict[str, Any]:
    out = {}
    for k, v in record.items():
        if v is pd.NA or (isinstance(v, float) and v != v):
            out[k] = None
        elif hasattr(v, "item"):
            out[k] = v.item()
        else:
            out[k] = v
    return out


def number_text(value, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return fmt_number(value, lang(), decimals if float(value) % 1 else 0)
