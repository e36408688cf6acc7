"""Admins change a measure's record or add a measure; every change is an entry of
the edit log and can be undone by a new one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from monitor.programme.replay import EditState
from monitor.programme.vocabulary import HANDLUNGSFELDER, RESPONSIBLE_BODIES
from monitor.store import Store
from monitor.ui.programme_forms import (
    differs,
    fail,
    number_or_none,
    number_text,
    plain,
    revert_control,
    show_message,
    write,
)
from monitor.ui.state import tr

__all__ = ["measure_admin", "measure_create", "measure_edit"]


def _measure_changes(measure: dict, problems: list[str]) -> dict[str, Any]:
    ss = st.session_state
    start, end = ss.get("qm_mf_start"), ss.get("qm_mf_end")
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        problems.append(tr("progress.errors.end_before_start"))
    wanted: dict[str, Any] = {
        "title": str(ss.get("qm_mf_title", "")).strip(),
        "responsible": ss.get("qm_mf_responsible"),
        "lead": str(ss.get("qm_mf_lead", "")).strip(),
        "start": start,
        "end": end,
        "budget_eur": number_or_none(ss.get("qm_mf_budget", ""), problems),
        "output_indicator": str(ss.get("qm_mf_output", "")).strip() or None,
        "output_unit": str(ss.get("qm_mf_unit", "")).strip() or None,
        "baseline_value": number_or_none(ss.get("qm_mf_base", ""), problems),
        "target_value": number_or_none(ss.get("qm_mf_target", ""), problems),
    }
    if not wanted["title"]:
        problems.append(tr("progress.errors.title"))
    quantified = [wanted["output_indicator"], wanted["target_value"]]
    if any(v is not None for v in quantified) and not all(
        v is not None for v in quantified
    ):
        problems.append(tr("progress.errors.output_pair"))
    if wanted["target_value"] is not None:
        wanted["baseline_value"] = wanted["baseline_value"] or 0.0
        if wanted["target_value"] == wanted["baseline_value"]:
            problems.append(tr("progress.errors.target_equals_base"))
        wanted["baseline_date"] = start
        wanted["target_date"] = end
    return {
        k: (v.isoformat() if isinstance(v, date) else v)
        for k, v in wanted.items()
        if differs(
            measure.get(k).isoformat()
            if isinstance(measure.get(k), date)
            else measure.get(k),
            v.isoformat() if isinstance(v, date) else v,
        )
    }


def _save_measure(store: Store, measure: dict, published: dict) -> None:
    problems: list[str] = []
    changes = _measure_changes(measure, problems)
    if problems:
        fail("admin", problems)
        return
    if not changes:
        fail("admin", [tr("progress.errors.no_change")])
        return
    write(
        store, "manage", "measure", measure["measure_id"], changes,
        published=published, slot="admin",
    )  # fmt: skip


def _new_measure(store: Store, new_id: str) -> None:
    ss = st.session_state
    problems: list[str] = []
    title = str(ss.get("qm_nf_title", "")).strip()
    start, end = ss.get("qm_nf_start"), ss.get("qm_nf_end")
    if not title:
        problems.append(tr("progress.errors.title"))
    if isinstance(start, date) and isinstance(end, date) and end <= start:
        problems.append(tr("progress.errors.end_before_start"))
    if problems:
        fail("admin", problems)
        return
    values = {
        "title": title,
        "handlungsfeld": ss.get("qm_nf_field"),
        "working_group": ss.get("qm_nf_group"),
        "responsible": ss.get("qm_nf_responsible"),
        "start": start,
        "end": end,
        "status": "planned",
    }
    if write(store, "manage", "measure", new_id, values, new_target=True, slot="admin"):
        ss["qm_nf_title"] = ""


def _published_record(measure_id: str, published: pd.DataFrame) -> dict[str, Any]:
    """The published row of a measure as plain values (dates as ISO text), the
    ``previous`` of a first change; empty for a measure created in the app."""
    base = published.set_index("measure_id")
    if measure_id not in base.index:
        return {}
    return {
        k: (v.date().isoformat() if hasattr(v, "date") and v is not None else v)
        for k, v in plain(base.loc[measure_id].to_dict()).items()
        if k not in ("goal_ids", "outcome_indicator_ids")
    }


def _fill_edit_form(measure: dict) -> None:
    """Put the measure's values into the form once per chosen measure."""
    ss = st.session_state
    if ss.get("qm_mf_for") == measure["measure_id"]:
        return
    ss["qm_mf_title"] = measure["title"]
    ss["qm_mf_responsible"] = measure["responsible"] or RESPONSIBLE_BODIES[0]
    ss["qm_mf_lead"] = measure.get("lead") or ""
    ss["qm_mf_start"] = measure["start"]
    ss["qm_mf_end"] = measure["end"]
    ss["qm_mf_budget"] = number_text(measure.get("budget_eur"))
    ss["qm_mf_output"] = measure.get("output_indicator") or ""
    ss["qm_mf_unit"] = measure.get("output_unit") or ""
    ss["qm_mf_base"] = number_text(measure.get("baseline_value"), 1)
    ss["qm_mf_target"] = number_text(measure.get("target_value"), 1)
    ss["qm_mf_for"] = measure["measure_id"]


def measure_edit(store: Store, measure: dict, original: dict[str, Any]) -> None:
    """The form to change a measure's record (admins)."""
    _fill_edit_form(measure)
    with st.form("qm_measure_form"):
        st.text_input(tr("progress.field_title"), key="qm_mf_title")
        a, b = st.columns(2)
        a.selectbox(
            tr("massnahmen.col_responsible"),
            list(RESPONSIBLE_BODIES),
            key="qm_mf_responsible",
            format_func=lambda r: tr(f"progress.responsible.{r}"),
        )
        b.text_input(tr("progress.field_lead"), key="qm_mf_lead")
        a.date_input(tr("progress.field_start"), key="qm_mf_start",
                     format="DD.MM.YYYY")  # fmt: skip
        b.date_input(tr("progress.field_end"), key="qm_mf_end", format="DD.MM.YYYY")
        a.text_input(tr("progress.field_budget"), key="qm_mf_budget")
        b.text_input(tr("progress.field_output"), key="qm_mf_output")
        a.text_input(tr("progress.field_unit"), key="qm_mf_unit")
        b.text_input(tr("progress.field_base"), key="qm_mf_base")
        a.text_input(tr("progress.field_target"), key="qm_mf_target")
        st.form_submit_button(
            tr("progress.save_measure"),
            icon=":material/save:",
            on_click=_save_measure,
            args=(store, plain(measure), original),
        )


def measure_create(store: Store, measures: pd.DataFrame) -> None:
    """The form to add a measure (admins); the next free id M001, M002, ..."""
    numbers = [
        int(m[1:]) for m in measures.measure_id if m[:1] == "M" and m[1:].isdigit()
    ]
    new_id = f"M{max(numbers, default=0) + 1:03d}"
    st.markdown(f"**{tr('progress.new_measure', id=new_id)}**")
    groups = sorted(set(measures.working_group.dropna()))
    with st.form("qm_new_measure_form"):
        st.text_input(tr("progress.field_title"), key="qm_nf_title")
        a, b = st.columns(2)
        a.selectbox(
            tr("massnahmen.col_field"),
            list(HANDLUNGSFELDER),
            key="qm_nf_field",
            format_func=lambda f: tr(f"progress.field.{f}"),
        )
        b.selectbox(tr("ziele.filter_group"), groups or ["-"], key="qm_nf_group")
        a.selectbox(
            tr("massnahmen.col_responsible"),
            list(RESPONSIBLE_BODIES),
            key="qm_nf_responsible",
            format_func=lambda r: tr(f"progress.responsible.{r}"),
        )
        b.date_input(tr("progress.field_start"), key="qm_nf_start",
                     value=date.today(), format="DD.MM.YYYY")  # fmt: skip
        a.date_input(
            tr("progress.field_end"),
            key="qm_nf_end",
            value=date(date.today().year + 2, 12, 31),
            format="DD.MM.YYYY",
        )
        st.form_submit_button(
            tr("progress.create_measure"),
            icon=":material/add:",
            on_click=_new_measure,
            args=(store, new_id),
        )


def measure_admin(
    store: Store,
    measure: dict,
    measures: pd.DataFrame,
    published: pd.DataFrame,
    state: EditState,
) -> None:
    """Admins change a measure's record or add a measure (logged like every edit)."""
    original = _published_record(measure["measure_id"], published)
    with st.expander(
        tr("progress.admin_measure"), icon=":material/admin_panel_settings:"
    ):
        show_message("admin")
        measure_edit(store, measure, original)
        measure_create(store, measures)
        changes = [
            e for e in state.history(measure["measure_id"]) if e.kind == "measure"
        ]
        if changes:
            revert_control(
                store, changes, state, action="manage", key="measure_admin",
                slot="admin",
            )  # fmt: skip
