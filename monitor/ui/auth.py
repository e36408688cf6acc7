"""Who uses the app and what they may do – login with ``st.login`` (OIDC) and
roles – and the forms that write to the edit log (progress, status, goals,
measures, roles), each checking the role again when it saves.

Roles: ``viewer`` (everything public, the default), ``editor`` (records progress and
status changes, reverts edits), ``admin`` (also changes goals, measures and roles).

* **Login** is Streamlit's built-in OIDC flow. It is on when ``.streamlit/
  secrets.toml`` has an ``[auth]`` table (redirect_uri, cookie_secret, client_id,
  client_secret, server_metadata_url). The identity is the e-mail address the
  identity provider returns (lower-cased).
* **Roles** come from two places. Fixed ones from ``[roles]`` in secrets.toml
  (``admins = [...]``, ``editors = [...]``, ``viewers = [...]``) – this is how the
  first admin is set, and these cannot be changed in the app. Everyone else gets the
  role an admin gave them in the app (a ``role`` entry in the edit log, with who,
  when and the previous role), else ``viewer``.
* **Without an identity provider** (the demo) the app is read-only. A local demo
  editing mode can be switched on explicitly with the environment variable
  ``QM_DEMO_EDIT=1`` (or ``demo_edit = true`` in secrets.toml); it acts as an admin
  called "Demo" and writes only to the local edit folder. With ``[auth]`` configured
  the demo mode is ignored.

Edits are written to ``<edit_dir>/programm/<data folder name>/edits.jsonl``
(``QM_EDIT_DIR``, default ``local_data/``, git-ignored), never into the data folder;
:func:`edit_folder` refuses a folder inside the published data. Every write checks
the role again at the moment of saving (:func:`append`), so a hidden form is not the
only protection.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from monitor.edits import (
    HANDLUNGSFELDER,
    MAX_TEXT,
    MEASURE_STATUSES,
    RESPONSIBLE_BODIES,
    ROLES,
    EditError,
    EditLog,
    EditState,
    Entry,
    InputProblem,
    parse_number,
    replay,
    validate_report,
    validate_status_change,
)
from monitor.formatting import fmt_date, fmt_number
from monitor.store import Store
from monitor.ui import data
from monitor.ui.state import extra, lang, tr
from monitor.views.programme import history_table
from monitor.viewstate import safe_excerpt

__all__ = [
    "ACTIONS",
    "DEMO_EMAIL",
    "Identity",
    "PermissionDeniedError",
    "account_bar",
    "append",
    "auth_configured",
    "can",
    "configured_roles",
    "demo_edit_enabled",
    "edit_folder",
    "edit_state",
    "identity",
]

#: The weakest role that may do an action.
ACTIONS = {"record": "editor", "manage": "admin"}
DEMO_EMAIL = "demo@lokal"
_RANK = {role: i for i, role in enumerate(ROLES)}
_AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")


class PermissionDeniedError(RuntimeError):
    """The current identity may not do what it tried; nothing was written."""


@dataclass(frozen=True)
class Identity:
    """The person in this session.

    ``mode``: ``readonly`` (no identity provider, no demo mode), ``anonymous``
    (login possible, not logged in), ``oidc`` (logged in), ``demo`` (local demo
    editing). ``role_source``: ``config`` (secrets.toml), ``app`` (set by an admin),
    ``default`` (viewer) or ``demo``.
    """

    email: str
    name: str
    role: str
    mode: str
    role_source: str

    @property
    def logged_in(self) -> bool:
        return self.mode in ("oidc", "demo")


def _secrets() -> dict[str, Any]:
    try:
        return dict(st.secrets)
    except Exception:  # noqa: BLE001 - a broken secrets.toml must not stop the app
        return {}


def auth_configured() -> bool:
    """True when secrets.toml holds a usable ``[auth]`` table (one provider)."""
    auth = _secrets().get("auth")
    if not hasattr(auth, "get"):
        return False
    if not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return False
    if all(auth.get(k) for k in _AUTH_KEYS):
        return True
    return any(
        hasattr(v, "get") and all(v.get(k) for k in _AUTH_KEYS) for v in auth.values()
    )


def demo_edit_enabled() -> bool:
    """The local demo editing mode: explicitly on, and no identity provider."""
    if auth_configured():
        return False
    flag = os.environ.get("QM_DEMO_EDIT", "").strip().lower()
    if flag in ("1", "true", "ja", "yes"):
        return True
    return _secrets().get("demo_edit") is True


def configured_roles() -> dict[str, str]:
    """Fixed roles from ``[roles]`` in secrets.toml: e-mail -> role (strongest)."""
    table = _secrets().get("roles")
    if not hasattr(table, "get"):
        return {}
    roles: dict[str, str] = {}
    pairs = (("viewer", "viewers"), ("editor", "editors"), ("admin", "admins"))
    for role, key in pairs:
        emails = table.get(key) or []
        if isinstance(emails, str):
            emails = [emails]
        for email in emails:
            roles[str(email).strip().lower()] = role
    return roles


def edit_folder(store: Store) -> Path:
    """Folder of the edit log for this data folder; never inside published data."""
    folder = data.settings().edit_dir / "programm" / store.data_dir.name
    published = store.data_dir.resolve()
    target = folder.resolve()
    if target == published or published in target.parents:
        raise PermissionDeniedError(tr("auth.edit_dir_in_data", path=str(folder)))
    return folder


def edit_state(store: Store) -> EditState:
    """The edit log replayed, read on every run (other sessions may have written)."""
    try:
        log = EditLog(edit_folder(store))
    except PermissionDeniedError:
        return EditState()
    found = log.read()
    if found.damaged:
        st.warning(tr("auth.log_damaged", n=found.damaged), icon=":material/warning:")
    return replay(found.entries)


def identity(state: EditState | None = None) -> Identity:
    """The identity and role of this session (re-evaluated on every call)."""
    if demo_edit_enabled():
        return Identity(DEMO_EMAIL, tr("auth.demo_name"), "admin", "demo", "demo")
    if not auth_configured():
        return Identity("", "", "viewer", "readonly", "default")
    user = st.user
    if not user.get("is_logged_in"):
        return Identity("", "", "viewer", "anonymous", "default")
    email = str(user.get("email") or user.get("sub") or "").strip().lower()
    name = str(user.get("name") or email)
    fixed = configured_roles()
    if email in fixed:
        return Identity(email, name, fixed[email], "oidc", "config")
    app_role = (state.roles if state is not None else {}).get(email)
    if app_role in _RANK:
        return Identity(email, name, app_role, "oidc", "app")
    return Identity(email, name, "viewer", "oidc", "default")


def can(person: Identity, action: str) -> bool:
    """May ``person`` do ``action`` (``record`` or ``manage``)?"""
    if not person.logged_in:
        return False
    return _RANK.get(person.role, 0) >= _RANK[ACTIONS[action]]


def append(
    store: Store,
    action: str,
    kind: str,
    target: str,
    values: dict[str, Any],
    *,
    published: dict[str, Any] | None = None,
    new_target: bool = False,
) -> Entry:
    """Write one entry after checking, at this moment, that the session may.

    Raises PermissionDeniedError (nothing written) or EditError (invalid entry).
    """
    log = EditLog(edit_folder(store))
    person = identity(log.state())
    if not can(person, action):
        raise PermissionDeniedError(
            tr("auth.denied", role=tr(f"auth.role_{person.role}"))
        )
    if kind == "role" and target in configured_roles():
        raise EditError("role_fixed", email=target)
    return log.append(
        kind,
        target,
        values,
        person.email,
        published=published,
        new_target=new_target,
    )


def account_bar(store: Store, person: Identity, *, key: str) -> None:
    """Login/logout button and the role, at the top of the programme pages."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        if person.mode == "readonly":
            st.caption(tr("auth.readonly"))
        elif person.mode == "anonymous":
            st.caption(tr("auth.logged_out"))
        elif person.mode == "demo":
            try:
                folder = str(edit_folder(store))
            except PermissionDeniedError as exc:
                folder = str(exc)
            st.warning(tr("auth.demo_mode", folder=folder), icon=":material/edit_note:")
        else:
            st.caption(
                tr(
                    "auth.logged_in",
                    email=person.email,
                    role=tr(f"auth.role_{person.role}"),
                )
            )
    with right:
        if person.mode == "anonymous":
            if st.button(tr("auth.login"), icon=":material/login:", key=f"{key}_in"):
                st.login()
        elif person.mode == "oidc" and st.button(
            tr("auth.logout"), icon=":material/logout:", key=f"{key}_out"
        ):
            st.logout()


# ------------------------------------------------------------------ link values


def link_notes(options: dict[str, Collection[str]]) -> None:
    """A note for page-specific link values that are not valid here (the page
    then shows its default, as for the shared keys)."""
    lines = []
    for url_key, allowed in options.items():
        value = extra(url_key, None, "")
        if value and value not in allowed:
            lines.append(
                "- " + tr("link_notes.unknown", key=url_key, value=safe_excerpt(value))
            )
    if lines:
        st.warning(
            "\n".join([tr("link_notes.heading"), *lines]), icon=":material/link_off:"
        )


# ------------------------------------------------------------------- edit forms

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


def _write(
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
        st.session_state[key] = ("error", [str(exc)])
        return None
    except EditError as exc:
        st.session_state[key] = ("error", [_edit_error_text(exc)])
        return None
    except OSError as exc:
        st.session_state[key] = ("error", [tr("progress.errors.io", message=str(exc))])
        return None
    st.session_state[key] = ("success", [tr("progress.saved", seq=entry.seq)])
    return entry


def _fail(slot: str, lines: list[str]) -> None:
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
        _fail("form", [_problem_text(p) for p in problems])
        return
    clean["status"] = ss.get("qm_pf_status") or measure["status"]
    if _write(store, "record", "progress", measure["measure_id"], clean,
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
        _fail("form", [_problem_text(p) for p in problems])
        return
    if _write(store, "record", "status", measure["measure_id"], clean,
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
    _write(store, action, "revert", entry_id, {"comment": ""}, slot=slot)


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


def _number_or_none(text: str, problems: list[str]) -> float | None:
    text = str(text or "").strip()
    if not text:
        return None
    try:
        return parse_number(text)
    except ValueError:
        problems.append(tr("progress.errors.not_a_number", text=text[:40]))
        return None


def _save_goal(store: Store, goal: dict, published: dict) -> None:
    ss = st.session_state
    problems: list[str] = []
    title = str(ss.get("qm_gf_title", "")).strip()
    target = _number_or_none(ss.get("qm_gf_target", ""), problems)
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
        _fail("admin", problems)
        return
    wanted = {"title": title, "target_value": target, "target_year": year}
    changes = {k: v for k, v in wanted.items() if _differs(goal.get(k), v)}
    if not changes:
        _fail("admin", [tr("progress.errors.no_change")])
        return
    _write(
        store, "manage", "goal", goal["goal_id"], changes,
        published=published, slot="admin",
    )  # fmt: skip


def _differs(old, new) -> bool:
    if old is None or (isinstance(old, float) and old != old) or old is pd.NA:
        return new is not None
    if new is None:
        return True
    try:
        return float(old) != float(new)
    except (TypeError, ValueError):
        return str(old) != str(new)


def _plain(record: dict) -> dict[str, Any]:
    out = {}
    for k, v in record.items():
        if v is pd.NA or (isinstance(v, float) and v != v):
            out[k] = None
        elif hasattr(v, "item"):
            out[k] = v.item()
        else:
            out[k] = v
    return out


def _new_goal(store: Store, new_id: str, groups: dict[str, str]) -> None:
    """Create a goal; its baseline value is the published value of the indicator
    in the area and base year (so the methods compare like with like)."""
    ss = st.session_state
    problems: list[str] = []
    title = str(ss.get("qm_ng_title", "")).strip()
    indicator, area = ss.get("qm_ng_indicator"), ss.get("qm_ng_area")
    year_text = str(ss.get("qm_ng_base_year", "")).strip()
    target = _number_or_none(ss.get("qm_ng_target", ""), problems)
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
        _fail("admin", problems)
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
    if _write(store, "manage", "goal", new_id, values, new_target=True, slot="admin"):
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
        _plain(base.loc[goal["goal_id"]].to_dict())
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
                args=(store, _plain(goal), original),
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


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
        "budget_eur": _number_or_none(ss.get("qm_mf_budget", ""), problems),
        "output_indicator": str(ss.get("qm_mf_output", "")).strip() or None,
        "output_unit": str(ss.get("qm_mf_unit", "")).strip() or None,
        "baseline_value": _number_or_none(ss.get("qm_mf_base", ""), problems),
        "target_value": _number_or_none(ss.get("qm_mf_target", ""), problems),
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
        if _differs(
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
        _fail("admin", problems)
        return
    if not changes:
        _fail("admin", [tr("progress.errors.no_change")])
        return
    _write(
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
        _fail("admin", problems)
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
    if _write(
        store, "manage", "measure", new_id, values, new_target=True, slot="admin"
    ):
        ss["qm_nf_title"] = ""


def _text(value, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return fmt_number(value, lang(), decimals if float(value) % 1 else 0)


def measure_admin(
    store: Store,
    measure: dict,
    measures: pd.DataFrame,
    published: pd.DataFrame,
    state: EditState,
) -> None:
    """Admins change a measure's record or add a measure (logged like every edit)."""
    base = published.set_index("measure_id")
    original = (
        _plain(base.loc[measure["measure_id"]].to_dict())
        if measure["measure_id"] in base.index
        else {}
    )
    original = {
        k: (v.date().isoformat() if hasattr(v, "date") and v is not None else v)
        for k, v in original.items()
        if k not in ("goal_ids", "outcome_indicator_ids")
    }
    with st.expander(
        tr("progress.admin_measure"), icon=":material/admin_panel_settings:"
    ):
        show_message("admin")
        ss = st.session_state
        if ss.get("qm_mf_for") != measure["measure_id"]:
            ss["qm_mf_title"] = measure["title"]
            ss["qm_mf_responsible"] = measure["responsible"] or RESPONSIBLE_BODIES[0]
            ss["qm_mf_lead"] = measure.get("lead") or ""
            ss["qm_mf_start"] = measure["start"]
            ss["qm_mf_end"] = measure["end"]
            ss["qm_mf_budget"] = _text(measure.get("budget_eur"))
            ss["qm_mf_output"] = measure.get("output_indicator") or ""
            ss["qm_mf_unit"] = measure.get("output_unit") or ""
            ss["qm_mf_base"] = _text(measure.get("baseline_value"), 1)
            ss["qm_mf_target"] = _text(measure.get("target_value"), 1)
            ss["qm_mf_for"] = measure["measure_id"]
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
                args=(store, _plain(measure), original),
            )
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
        changes = [
            e for e in state.history(measure["measure_id"]) if e.kind == "measure"
        ]
        if changes:
            revert_control(
                store, changes, state, action="manage", key="measure_admin",
                slot="admin",
            )  # fmt: skip


def _save_role(store: Store) -> None:
    ss = st.session_state
    email = str(ss.get("qm_rf_email", "")).strip().lower()
    if not _EMAIL.match(email):
        _fail("roles", [tr("progress.errors.email")])
        return
    if _write(
        store, "manage", "role", email, {"role": ss.get("qm_rf_role")}, slot="roles"
    ):
        ss["qm_rf_email"] = ""


def role_admin(store: Store, state: EditState) -> None:
    """Admins give e-mail addresses a role; fixed roles come from secrets.toml."""
    with st.expander(tr("auth.roles_title"), icon=":material/group:"):
        show_message("roles")
        if demo_edit_enabled():
            st.caption(tr("auth.roles_demo"))
        rows = [
            {
                tr("auth.col_email"): email,
                tr("auth.col_role"): tr(f"auth.role_{role}"),
                tr("auth.col_source"): tr("auth.source_config"),
            }
            for email, role in sorted(configured_roles().items())
        ] + [
            {
                tr("auth.col_email"): email,
                tr("auth.col_role"): tr(f"auth.role_{role}"),
                tr("auth.col_source"): tr("auth.source_app"),
            }
            for email, role in sorted(state.roles.items())
            if email not in configured_roles()
        ]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        with st.form("qm_role_form"):
            a, b = st.columns([2, 1])
            a.text_input(tr("auth.col_email"), key="qm_rf_email")
            b.selectbox(
                tr("auth.col_role"),
                list(ROLES),
                key="qm_rf_role",
                format_func=lambda r: tr(f"auth.role_{r}"),
            )
            st.form_submit_button(
                tr("auth.save_role"),
                icon=":material/person_add:",
                on_click=_save_role,
                args=(store,),
            )
        st.caption(tr("auth.roles_caption"))
