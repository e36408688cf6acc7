"""Who may write what: the role of a logged-in person, from the login's claims and
the configuration, and the role each kind of edit needs. Pure Python (no
Streamlit): :mod:`monitor.ui.auth` feeds it ``st.user`` and ``st.secrets``.

* The identity is the ``email`` claim, and only when the identity provider says it
  is verified (``email_verified`` true, OpenID Connect Core 1.0 §5.1); the opaque
  ``sub`` is never used to look up a role. An unverified or missing address is a
  viewer.
* Roles, first that applies: fixed e-mail lists in ``[roles]`` of secrets.toml,
  then groups named in a claim (``groups_claim``, ``admin_groups``,
  ``editor_groups``), then the role an admin gave in the app (edit log), else
  ``viewer``.
* An edit's kind decides the role it needs (:data:`KIND_ACTIONS`), never the
  caller; a revert needs what the entry it undoes needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.programme.replay import EditState
from monitor.programme.vocabulary import ROLES

__all__ = [
    "ACTIONS",
    "KIND_ACTIONS",
    "Identity",
    "RoleConfig",
    "allowed",
    "claimed_email",
    "email_verified",
    "oidc_identity",
    "required_action",
    "stronger_action",
]

#: Action -> the weakest role that may do it.
ACTIONS = {"record": "editor", "manage": "admin"}
#: Kind of edit -> action it needs (a revert: that of the entry it undoes).
KIND_ACTIONS = {
    "progress": "record",
    "status": "record",
    "measure": "manage",
    "goal": "manage",
    "role": "manage",
}
_RANK = {role: i for i, role in enumerate(ROLES)}
_ROLE_KEYS = (("viewer", "viewers"), ("editor", "editors"), ("admin", "admins"))
_GROUP_KEYS = (("editor", "editor_groups"), ("admin", "admin_groups"))


@dataclass(frozen=True)
class Identity:
    """The person in this session.

    ``mode``: ``readonly`` (no identity provider, no demo mode), ``anonymous``
    (login possible, not logged in), ``oidc`` (logged in), ``demo`` (local demo
    editing). ``role_source``: ``config`` (e-mail in secrets.toml), ``groups`` (a
    group in the login's groups claim), ``app`` (set by an admin), ``default``
    (viewer), ``unverified`` (viewer: the address is not verified), ``no_email``
    (viewer: the provider sent no address) or ``demo``.
    """

    email: str
    name: str
    role: str
    mode: str
    role_source: str

    @property
    def logged_in(self) -> bool:
        return self.mode in ("oidc", "demo")


def _names(value: Any) -> list[str]:
    """A TOML list or a single string as a list of strings."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


@dataclass(frozen=True)
class RoleConfig:
    """The ``[roles]`` table of secrets.toml.

    ``fixed``: e-mail (lower case) -> role from ``viewers``, ``editors``,
    ``admins`` (the strongest list wins). ``groups_claim``: name of the claim that
    lists the person's groups (empty: no group roles); ``group_roles``: group ->
    role from ``editor_groups`` and ``admin_groups``.
    """

    fixed: Mapping[str, str] = field(default_factory=dict)
    groups_claim: str = ""
    group_roles: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_table(cls, table: Any) -> RoleConfig:
        if not hasattr(table, "get"):
            return cls()
        fixed: dict[str, str] = {}
        for role, key in _ROLE_KEYS:
            for email in _names(table.get(key)):
                fixed[email.strip().lower()] = role
        groups: dict[str, str] = {}
        for role, key in _GROUP_KEYS:
            for group in _names(table.get(key)):
                groups[group.strip()] = role
        claim = table.get("groups_claim")
        return cls(fixed, claim.strip() if isinstance(claim, str) else "", groups)

    def group_role(self, claims: Mapping[str, Any]) -> str | None:
        """The strongest role of the groups in the claim, or None."""
        if not self.groups_claim:
            return None
        groups = _names(claims.get(self.groups_claim))
        ranked = [r for g in groups if (r := self.group_roles.get(g.strip())) in _RANK]
        return max(ranked, key=_RANK.__getitem__) if ranked else None


def email_verified(claims: Mapping[str, Any]) -> bool:
    """True only for ``email_verified`` true (a JSON boolean; the string
    ``"true"`` too, which some providers send, e.g. Amazon Cognito)."""
    value = claims.get("email_verified")
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() == "true"


def claimed_email(claims: Mapping[str, Any]) -> str:
    """The ``email`` claim, trimmed and lower-cased; never ``sub``."""
    value = claims.get("email")
    return value.strip().lower() if isinstance(value, str) else ""


def oidc_identity(
    claims: Mapping[str, Any], config: RoleConfig, state: EditState | None
) -> Identity:
    """The identity of a logged-in person from the login's claims."""
    email = claimed_email(claims)
    label = claims.get("name") or email or claims.get("sub") or ""
    name = str(label)
    if not email:
        return Identity("", name, "viewer", "oidc", "no_email")
    if not email_verified(claims):
        return Identity(email, name, "viewer", "oidc", "unverified")
    if email in config.fixed:
        return Identity(email, name, config.fixed[email], "oidc", "config")
    group_role = config.group_role(claims)
    if group_role is not None:
        return Identity(email, name, group_role, "oidc", "groups")
    app_role = (state.roles if state is not None else {}).get(email)
    if app_role in _RANK:
        return Identity(email, name, app_role, "oidc", "app")
    return Identity(email, name, "viewer", "oidc", "default")


def allowed(person: Identity, action: str) -> bool:
    """May ``person`` do ``action`` (``record`` or ``manage``)?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not person.logged_in:
        return False
    return _RANK.get(person.role, 0) >= _RANK[ACTIONS[action]]


def stronger_action(a: str, b: str) -> str:
    """The action that needs the stronger role."""
    return a if _RANK[ACTIONS[a]] >= _RANK[ACTIONS[b]] else b


def required_action(kind: str, target: str, state: EditState) -> str:
    """The action an edit of ``kind`` needs; a revert needs what the entry it
    undoes needed (following reverts of reverts). Unknown kinds and reverts of
    unknown entries need ``manage`` (the log refuses them anyway)."""
    seen: set[str] = set()
    while kind == "revert":
        original = state.entry(target)
        if original is None or original.entry_id in seen:
            return "manage"
        seen.add(original.entry_id)
        kind, target = original.kind, original.target
    return KIND_ACTIONS.get(kind, "manage")
