"""Who uses the app and what they may do – login with ``st.login`` (OIDC) and
roles – and the one door to the edit log: :func:`append` checks the role again at
the moment of writing. The forms that call it live in monitor/ui/programme_forms.py,
goal_admin.py, measure_admin.py and role_admin.py.

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
  called "Demo" and writes only to the local edit log. With ``[auth]`` configured
  the demo mode is ignored.

Where edits go: by default ``<edit_dir>/programm/<data folder name>/edits.jsonl``
(``QM_EDIT_DIR``, default ``local_data/``, git-ignored), never into the data folder
(:func:`edit_folder` refuses a folder inside the published data). With
``QM_EDIT_DB`` (or ``edit_db`` in secrets.toml) set to a libpq URL the log is the
PostgreSQL table of :mod:`monitor.programme.postgres`, shared by several machines,
one log per data folder name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from monitor.programme.entry import EditError, Entry
from monitor.programme.jsonl import JsonLinesLog
from monitor.programme.log import EditLog, LogUnavailableError
from monitor.programme.replay import EditState, replay
from monitor.programme.vocabulary import ROLES
from monitor.store import Store
from monitor.ui import data
from monitor.ui.state import tr

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
    "edit_log",
    "edit_state",
    "identity",
]

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


@st.cache_resource(max_entries=4, show_spinner=False)  # one per data folder
def _postgres_log(url: str, name: str) -> EditLog:
    """One PostgreSQL log per process and data folder (it pools its connections)."""
    from monitor.programme.postgres import PostgresLog  # only where configured

    return PostgresLog(url, name=name)


def edit_log(store: Store) -> EditLog:
    """The edit log of this data folder: PostgreSQL when ``edit_db`` is set, else
    the JSON-lines file in the edit folder."""
    url = data.settings().edit_db
    if url:
        return _postgres_log(url, store.data_dir.name)
    return JsonLinesLog(edit_folder(store))


def edit_location(store: Store) -> str:
    """Where edits are written, for the demo-mode notice (no password shown)."""
    if data.settings().edit_db:
        return tr("auth.edit_in_database", name=store.data_dir.name)
    try:
        return str(edit_folder(store))
    except PermissionDeniedError as exc:
        return str(exc)


def edit_state(store: Store) -> EditState:
    """The edit log replayed, read on every run (other sessions may have written)."""
    try:
        found = edit_log(store).read()
    except PermissionDeniedError:
        return EditState()
    except LogUnavailableError as exc:
        st.error(tr("auth.log_unavailable", message=str(exc)), icon=":material/error:")
        return EditState()
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

    Raises PermissionDeniedError (nothing written), EditError (invalid entry) or
    LogUnavailableError (an OSError: the log cannot be reached).
    """
    log = edit_log(store)
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
            st.warning(
                tr("auth.demo_mode", folder=edit_location(store)),
                icon=":material/edit_note:",
            )
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
