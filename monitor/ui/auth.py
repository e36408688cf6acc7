"""Who uses the app and what they may do – login with ``st.login`` (OIDC) and
roles – and the doors through which the app writes: :func:`append` to the edit log,
:func:`save_sequence` and :func:`delete_sequence` for workshop sequences. Each door
checks the role again at the moment of writing (the edit log: inside its writer
lock), so a hidden form is never the only protection. The forms that call them live
in monitor/ui/programme_forms.py, goal_admin.py, measure_admin.py, role_admin.py
and pages/ablauf.py; the rules (claims -> role, kind of edit -> role it needs) in
:mod:`monitor.programme.access`.

Roles: ``viewer`` (everything public, the default), ``editor`` (records progress and
status changes, reverts them, saves workshop sequences), ``admin`` (also changes
goals, measures and roles and reverts those).

* **Login** is Streamlit's built-in OIDC flow. It is on when ``.streamlit/
  secrets.toml`` has an ``[auth]`` table (redirect_uri, cookie_secret of at least
  :data:`MIN_COOKIE_SECRET` characters, client_id, client_secret,
  server_metadata_url). The identity is the e-mail address the identity provider
  returns (lower-cased), and only when it says ``email_verified``; the ``sub``
  claim is never used for a role.
* **Roles** come from three places. Fixed ones from ``[roles]`` in secrets.toml
  (``admins = [...]``, ``editors = [...]``, ``viewers = [...]``) – this is how the
  first admin is set, and these cannot be changed in the app; then, when
  ``groups_claim`` names a claim, the groups in it (``admin_groups``,
  ``editor_groups``); everyone else gets the role an admin gave them in the app (a
  ``role`` entry in the edit log, with who, when and the previous role), else
  ``viewer``.
* **Without an identity provider** (the demo) the app is read-only. A local demo
  editing mode can be switched on explicitly with the environment variable
  ``QM_DEMO_EDIT=1`` (or ``demo_edit = true`` in secrets.toml); it acts as an admin
  called "Demo" and writes only to the local edit log. With an ``[auth]`` table
  (even an unusable one) the demo mode is ignored.

Where edits go: by default ``<edit_dir>/programm/<data root name>/edits.jsonl``
(``QM_EDIT_DIR``, default ``local_data/``, git-ignored), sequences to
``<edit_dir>/ablaeufe/``; never into the data folder (:func:`edit_folder` and
:func:`sequence_folder` refuse a folder inside the published data). With
``QM_EDIT_DB`` (or ``edit_db`` in secrets.toml) set to a libpq URL the log is the
PostgreSQL table of :mod:`monitor.programme.postgres`, shared by several machines,
one log per data folder name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import streamlit as st

from monitor import sequences as sequence_files
from monitor import versions
from monitor.ingest import staging as staging_files
from monitor.ingest import steps as import_steps
from monitor.programme.access import (
    ACTIONS,
    Identity,
    RoleConfig,
    allowed,
    oidc_identity,
    required_action,
    stronger_action,
)
from monitor.programme.entry import EditError, Entry
from monitor.programme.jsonl import JsonLinesLog
from monitor.programme.log import EditLog, LogUnavailableError
from monitor.programme.replay import EditState, replay
from monitor.store import Store
from monitor.ui import data
from monitor.ui.state import tr

__all__ = [
    "ACTIONS",
    "DEMO_EMAIL",
    "MIN_COOKIE_SECRET",
    "Identity",
    "PermissionDeniedError",
    "account_bar",
    "append",
    "auth_configured",
    "can",
    "configured_roles",
    "delete_sequence",
    "demo_edit_enabled",
    "edit_folder",
    "edit_log",
    "edit_state",
    "identity",
    "remember_denial",
    "role_config",
    "save_sequence",
    "sequence_folder",
]

DEMO_EMAIL = "demo@lokal"
#: Shortest accepted ``cookie_secret``: Streamlit signs the login cookie with it,
#: and a guessable secret would let anyone forge an identity (32 characters, as
#: ``secrets.token_hex(16)`` gives).
MIN_COOKIE_SECRET = 32
_AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")
_DENIED = "_qm_denied_message"


class PermissionDeniedError(RuntimeError):
    """The current identity may not do what it tried; nothing was written."""


def _secrets() -> dict[str, Any]:
    try:
        return dict(st.secrets)
    except Exception:  # noqa: BLE001 - a broken secrets.toml must not stop the app
        return {}


def auth_configured() -> bool:
    """True when secrets.toml holds a usable ``[auth]`` table (one provider) with a
    cookie secret of at least :data:`MIN_COOKIE_SECRET` characters."""
    auth = _secrets().get("auth")
    if not hasattr(auth, "get"):
        return False
    if not auth.get("redirect_uri"):
        return False
    if len(str(auth.get("cookie_secret") or "")) < MIN_COOKIE_SECRET:
        return False
    if all(auth.get(k) for k in _AUTH_KEYS):
        return True
    return any(
        hasattr(v, "get") and all(v.get(k) for k in _AUTH_KEYS) for v in auth.values()
    )


def demo_edit_enabled() -> bool:
    """The local demo editing mode: explicitly on, and no ``[auth]`` table at all
    (an unusable one must not turn a login installation into a writable demo)."""
    if "auth" in _secrets():
        return False
    flag = os.environ.get("QM_DEMO_EDIT", "").strip().lower()
    if flag in ("1", "true", "ja", "yes"):
        return True
    return _secrets().get("demo_edit") is True


def role_config() -> RoleConfig:
    """The ``[roles]`` table of secrets.toml (fixed roles, groups claim)."""
    return RoleConfig.from_table(_secrets().get("roles"))


def configured_roles() -> dict[str, str]:
    """Fixed roles from ``[roles]`` in secrets.toml: e-mail -> role (strongest)."""
    return dict(role_config().fixed)


def _outside_published(store: Store, folder: Path) -> Path:
    published = store.root.resolve()
    target = folder.resolve()
    if target == published or published in target.parents:
        raise PermissionDeniedError(tr("auth.edit_dir_in_data", path=str(folder)))
    return folder


def edit_folder(store: Store) -> Path:
    """Folder of the edit log for this data folder; never inside published data.

    Keyed by the data root, not by the version: edits outlive a new version and a
    rollback (the log is replayed on whatever version is served). A root named
    ``..`` is named by its resolved path, so the name never climbs out of
    ``programm/``."""
    name = store.root.name
    if name in ("", ".", ".."):
        name = store.root.resolve().name or "root"
    return _outside_published(store, data.settings().edit_dir / "programm" / name)


def sequence_folder(store: Store) -> Path:
    """Folder of the sequences made in the app; never inside published data."""
    return _outside_published(store, data.settings().edit_dir / "ablaeufe")


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
        return _postgres_log(url, store.root.name)
    return JsonLinesLog(edit_folder(store))


def edit_location(store: Store) -> str:
    """Where edits are written, for the demo-mode notice (no password shown)."""
    if data.settings().edit_db:
        return tr("auth.edit_in_database", name=store.root.name)
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
    return oidc_identity(user, role_config(), state)


def can(person: Identity, action: str) -> bool:
    """May ``person`` do ``action`` (``record`` or ``manage``)?"""
    return allowed(person, action)


def _denial(person: Identity, action: str) -> PermissionDeniedError:
    """The German reason why ``person`` may not do ``action``."""
    if person.mode in ("readonly", "anonymous"):
        text = tr(f"security.denied_{person.mode}")
    elif person.role_source in ("unverified", "no_email"):
        text = tr(f"security.denied_{person.role_source}")
    else:
        text = tr(
            "security.denied_role",
            role=tr(f"auth.role_{person.role}"),
            needed=tr(f"auth.role_{ACTIONS[action]}"),
        )
    return PermissionDeniedError(text)


def _authorise(action: str, kind: str, target: str, email: str):
    """The check :meth:`EditLog.append` runs inside its lock, with the log of that
    moment: the role now, the role the edit's kind needs, fixed roles."""

    def check(state: EditState) -> None:
        person = identity(state)
        needed = stronger_action(action, required_action(kind, target, state))
        if not can(person, needed) or person.email != email:
            raise _denial(person, needed)
        if kind == "role" and str(target).strip().lower() in configured_roles():
            raise EditError("role_fixed", email=target)

    return check


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

    ``action`` is what the calling form is for; the edit needs the stronger of it
    and the action of its kind (:func:`monitor.programme.access.required_action`:
    a revert of a goal, measure or role entry needs an admin whatever the form).
    Checked once before the log is touched and again inside the writer lock.

    Raises PermissionDeniedError (nothing written), EditError (invalid entry) or
    LogUnavailableError (an OSError: the log cannot be reached).
    """
    log = edit_log(store)
    state = log.state()
    person = identity(state)
    check = _authorise(action, kind, target, person.email)
    check(state)
    return log.append(
        kind,
        target,
        values,
        person.email,
        published=published,
        new_target=new_target,
        authorise=check,
    )


def _writer(store: Store, action: str) -> Identity:
    """The identity now, refused unless it may ``action`` (for files outside the
    edit log; a log that cannot be read gives no app roles)."""
    try:
        state = edit_log(store).state()
    except (PermissionDeniedError, LogUnavailableError):
        state = None
    person = identity(state)
    if not can(person, action):
        raise _denial(person, action)
    return person


def save_sequence(store: Store, seq: sequence_files.Sequence) -> Path:
    """Save a workshop sequence into the edit folder; editors and admins only.

    Raises PermissionDeniedError, SequenceError (invalid id or texts) or OSError."""
    _writer(store, "record")
    return sequence_files.save_sequence(seq, sequence_folder(store))


def delete_sequence(store: Store, seq_id: str) -> Path:
    """Delete a sequence saved in the app (shipped ones cannot be deleted)."""
    _writer(store, "record")
    return sequence_files.delete_sequence(seq_id, sequence_folder(store))


# -- published data: staging, publishing, rollback (admins only) -------------------


def _admin_name(person: Identity) -> str:
    return person.email or person.name or "admin"


def open_staging(store: Store, root: Path) -> staging_files.Staging:
    """A new staging version (a copy of the served one); admins only."""
    _writer(store, "manage")
    return staging_files.open_staging(root)


def stage_step(
    store: Store, staging: staging_files.Staging, kind: str, source, name, **step
):
    """One import step into ``staging`` (``kind`` "boundaries" or a table kind of
    monitor.ingest.tables); admins only, checked when the step starts."""
    who = _admin_name(_writer(store, "manage"))
    if kind == "boundaries":
        return import_steps.stage_boundaries(staging, source, name, who=who, **step)
    return import_steps.stage_table(staging, source, name, kind=kind, who=who, **step)


def discard_staging(store: Store, staging: staging_files.Staging) -> None:
    """Delete a staging version; admins only."""
    _writer(store, "manage")
    staging_files.discard(staging)


def publish_staged(
    store: Store, root: Path, staging_id: str, note: str
) -> versions.Version:
    """Serve a staging version; the role is checked at this moment (the page may
    have been drawn for a role that has been taken away since)."""
    person = _writer(store, "manage")
    return staging_files.publish_staged(
        root, staging_id, who=_admin_name(person), note=note
    )


def rollback_version(store: Store, root: Path, version_id: str, note: str):
    """Serve an earlier published version again; admins only, checked now."""
    person = _writer(store, "manage")
    return versions.rollback(root, version_id, who=_admin_name(person), note=note)


def remember_denial(text: str) -> None:
    """Keep a refusal for the account bar of the next run (callbacks run before
    the page, and the form that was used may not be drawn for this role)."""
    st.session_state[_DENIED] = text


def _identity_note(person: Identity) -> None:
    if person.role_source in ("unverified", "no_email"):
        st.info(
            tr(f"security.note_{person.role_source}", email=person.email),
            icon=":material/mark_email_unread:",
        )


def account_bar(store: Store, person: Identity, *, key: str) -> None:
    """Login/logout button and the role, at the top of the pages that write; a
    refused save of the last run is shown here."""
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        if person.mode == "readonly" and "auth" in _secrets():
            st.warning(tr("security.auth_unusable", n=MIN_COOKIE_SECRET))
        elif person.mode == "readonly":
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
                    email=person.email or person.name,
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
    if person.mode == "oidc":
        _identity_note(person)
    denied = st.session_state.pop(_DENIED, None)
    if denied:
        st.error(denied, icon=":material/block:")
