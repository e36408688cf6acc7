"""Admins give e-mail addresses a role; fixed roles come from ``[roles]`` in
secrets.toml and are listed, not editable."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from monitor.programme.replay import EditState
from monitor.programme.vocabulary import ROLES
from monitor.store import Store
from monitor.ui.auth import configured_roles, demo_edit_enabled
from monitor.ui.programme_forms import fail, show_message, write
from monitor.ui.state import tr

__all__ = ["role_admin"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _save_role(store: Store) -> None:
    ss = st.session_state
    email = str(ss.get("qm_rf_email", "")).strip().lower()
    if not _EMAIL.match(email):
        fail("roles", [tr("progress.errors.email")])
        return
    if write(
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
