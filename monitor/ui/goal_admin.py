"""Admins change a goal's title and target, or add a goal; every change is an entry
of the edit log with who, when and the previous value."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.formatting import fmt_number
from monitor.programme.replay import EditState
from monitor.programme.vocabulary import HANDLUNGSFELDER
from monitor.store import Store
from monitor.ui import data
from monitor.ui.programme_forms import (
    differs,
    fail,
    number_or_none,
    plain,
    revert_control,
    show_message,
    write,
)
from monitor.ui.state import lang, tr
from monitor.views.edit_history import history_table

__all__ = ["goal_admin", "goal_create"]


def _save_goal(store: Store, goal: dict, published: dict) -> None:
    ss = st.session_state
    problems: list[str] = []
    title = str(ss.get("qm_gf_title", "")).strip()
    target = number_or_none(ss.get("qm_gf_target", ""), problems)
    year_text = str(ss.get("qm_gf_year", "")).strip()
    year = None
    if year_text:
        if year_text.isdigit() and int(goal["baseline_year"]) < int(year_text) <= 2060:
            year = int(year_text)
        else:
            problems.append(
                tr("progress.errors.target_year", base=int(goal["baseline_year"]))
            )
    if (target is None) != (year is None):
        problems.append(tr("progress.errors.target_pair"))
    if not title:
        problems.append(tr("progress.errors.title"))
    if problems:
        fail("admin", problems)
        return
    wanted = {"title": title, "target_value": target, "target_year": year}
    changes = {k: v for k, v in wanted.items() if differs(goal.get(k), v)}
    if not changes:
        fail("admin", [tr("progress.errors.no_change")])
        return
    write(
        store, "manage", "goal", goal["goal_id"], changes,
        published=published, slot="admin",
    )  # fmt: skip


def _new_goal(store: Store, new_id: str, groups: dict[str, str]) -> None:
    """Create a goal; its baseline value is the published value of the indicator
    in the area and base year (so the methods compare like with like)."""
    ss = st.session_state
    problems: list[str] = []
    title = str(ss.get("qm_ng_title", "")).strip()
    indicator, area = ss.get("qm_ng_indicator"), ss.get("qm_ng_area")
    year_text = str(ss.get("qm_ng_base_year", "")).strip()
    target = number_or_none(ss.get("qm_ng_target", ""), problems)
    target_text = str(ss.get("qm_ng_target_year", "")).strip()
    if not title:
        problems.append(tr("progress.errors.title"))
    base_value = None
    if not year_text.isdigit():
        problems.append(tr("progress.errors.base_year"))
    else:
        values = data.area_values(store, (area,))
        row = values[
            (values.indicator_id == indicator) & (values.year == int(year_text))
        ]
        if row.empty or row.value.isna().all():
            problems.append(tr("progress.errors.no_base_value", year=year_text))
        else:
            base_value = round(float(row.value.iloc[0]), 1)
    target_year = int(target_text) if target_text.isdigit() else None
    if target_text and (
        target_year is None or not year_text.isdigit() or target_year <= int(year_text)
    ):
        problems.append(tr("progress.errors.target_year", base=year_text or "–"))
    if (target is None) != (target_year is None) and not problems:
        problems.append(tr("progress.errors.target_pair"))
    if problems:
        fail("admin", problems)
        return
    group = ss.get("qm_ng_group")
    values = {
        "title": title,
        "working_group": group,
        "working_group_name": groups.get(group, group),
        "handlungsfeld": ss.get("qm_ng_field"),
        "indicator_id": indicator,
        "area_id": area,
        "direction": store.catalog[indicator].direction,
        "baseline_year": int(year_text),
        "baseline_value": base_value,
        "target_year": target_year,
        "target_value": target,
    }
    if write(store, "manage", "goal", new_id, values, new_target=True, slot="admin"):
        ss["qm_ng_title"] = ""


def goal_create(store: Store, goals: pd.DataFrame) -> None:
    """The form to add a goal (admins)."""
    numbers = [int(g[1:]) for g in goals.goal_id if g[:1] == "Z" and g[1:].isdigit()]
    new_id = f"Z{max(numbers, default=0) + 1:02d}"
    named = goals.drop_duplicates("working_group")
    groups = dict(zip(named.working_group, named.working_group_name, strict=True))
    catalog = store.catalog
    choices = [i.id for i in catalog.indicators if i.direction != "context"]
    areas = data.areas(store)
    areas = areas[areas.level.isin(["stadt", "fokusgebiet", "stadtteil", "quartier"])]
    names = dict(zip(areas.area_id, areas.name, strict=True))
    st.markdown(f"**{tr('progress.new_goal', id=new_id)}**")
    with st.form("qm_new_goal_form"):
        st.text_input(tr("progress.field_title"), key="qm_ng_title")
        a, b = st.columns(2)
        a.selectbox(
            tr("ziele.filter_group"), list(groups), key="qm_ng_group",
            format_func=lambda g: groups[g],
        )  # fmt: skip
        b.selectbox(
            tr("ziele.filter_field"),
            list(HANDLUNGSFELDER),
            key="qm_ng_field",
            format_func=lambda f: tr(f"progress.field.{f}"),
        )
        a.selectbox(
            tr("common.indicator"), choices, key="qm_ng_indicator",
            format_func=lambda i: catalog[i].text("name", lang()),
        )  # fmt: skip
        b.selectbox(
            tr("ziele.filter_area"), list(names), key="qm_ng_area",
            format_func=lambda a_id: names[a_id],
        )  # fmt: skip
        a.text_input(tr("progress.field_base_year"), key="qm_ng_base_year")
        b.text_input(tr("progress.field_target"), key="qm_ng_target",
                     help=tr("progress.target_help"))  # fmt: skip
        a.text_input(tr("progress.field_target_year"), key="qm_ng_target_year")
        st.form_submit_button(
            tr("progress.create_goal"),
            icon=":material/add:",
            on_click=_new_goal,
            args=(store, new_id, groups),
        )


def goal_admin(
    store: Store,
    goal: dict,
    goals: pd.DataFrame,
    published: pd.DataFrame,
    state: EditState,
) -> None:
    """Admins change a goal's title and target or add a goal; all is logged."""
    base = published.set_index("goal_id")
    original = (
        plain(base.loc[goal["goal_id"]].to_dict())
        if goal["goal_id"] in base.index
        else {}
    )
    with st.expander(tr("progress.admin_goal"), icon=":material/admin_panel_settings:"):
        show_message("admin")
        target = goal.get("target_value")
        year = goal.get("target_year")
        st.session_state.setdefault("qm_gf_for", None)
        if st.session_state["qm_gf_for"] != goal["goal_id"]:
            st.session_state["qm_gf_title"] = goal["title"]
            st.session_state["qm_gf_target"] = (
                ""
                if target is None or target != target
                else fmt_number(target, lang(), 1)
            )
            st.session_state["qm_gf_year"] = (
                "" if year is None or year is pd.NA else str(int(year))
            )
            st.session_state["qm_gf_for"] = goal["goal_id"]
        with st.form("qm_goal_form"):
            st.text_input(tr("progress.field_title"), key="qm_gf_title")
            left, right = st.columns(2)
            with left:
                st.text_input(tr("progress.field_target"), key="qm_gf_target",
                              help=tr("progress.target_help"))  # fmt: skip
            with right:
                st.text_input(tr("progress.field_target_year"), key="qm_gf_year")
            st.form_submit_button(
                tr("progress.save_goal"),
                icon=":material/save:",
                on_click=_save_goal,
                args=(store, plain(goal), original),
            )
        history = state.history(goal["goal_id"])
        if history:
            st.dataframe(
                history_table(history, state, lang=lang(), unit=None),
                hide_index=True,
                width="stretch",
            )
            revert_control(
                store, history, state, action="manage", key="goal", slot="admin"
            )
        goal_create(store, goals)
