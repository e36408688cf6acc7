"""Who the app thinks a logged-in person is, and which role they get.

A role above viewer needs a verified e-mail address (``email_verified`` true); the
opaque ``sub`` is never used for a role; roles can come from a groups claim, but
fixed roles in secrets.toml win; a short cookie secret switches login off and does
not open the demo editing mode.
"""

from __future__ import annotations

import pytest

from monitor.programme.access import (
    Identity,
    RoleConfig,
    allowed,
    email_verified,
    oidc_identity,
    required_action,
)
from monitor.programme.entry import Entry
from monitor.programme.replay import EditState, replay
from tests.apptest import open_page
from tests.security.common import (
    ADMIN,
    AUTH,
    EDITOR,
    ROLES,
    SECRETS,
    VIEWER,
    texts,
    user,
)

CONFIG = RoleConfig.from_table(ROLES)
GROUPS = RoleConfig.from_table(
    {
        "viewers": ["gesperrt@example.org"],
        "admins": [ADMIN],
        "groups_claim": "groups",
        "admin_groups": ["qm-admins"],
        "editor_groups": ["qm-redaktion", "/stadt/sozialamt"],
    }
)


def role_entry(email: str, role: str, seq: int = 1) -> Entry:
    return Entry(seq, f"r{seq}", "2026-01-01T00:00:00+00:00", ADMIN, "role", email,
                 {"role": role}, {})  # fmt: skip


def app_roles(roles: dict[str, str]) -> EditState:
    """The log replayed after an admin gave these roles in the app."""
    entries = [role_entry(e, r, n) for n, (e, r) in enumerate(roles.items(), 1)]
    return replay(entries)


# ------------------------------------------------------------- email_verified


@pytest.mark.parametrize(
    "claim,verified",
    [
        (None, False),  # no claim at all (what oidc-provider-mock sends by default)
        (False, False),
        (True, True),
        ("true", True),  # a string some providers send
        ("TRUE", True),
        ("false", False),
        (1, False),
        ("yes", False),
        ([True], False),
    ],
)
def test_only_a_true_email_verified_counts(claim, verified):
    claims = {"email": ADMIN} | ({} if claim is None else {"email_verified": claim})
    assert email_verified(claims) is verified
    person = oidc_identity(claims, CONFIG, None)
    assert person.email == ADMIN
    if verified:
        assert (person.role, person.role_source) == ("admin", "config")
    else:
        assert (person.role, person.role_source) == ("viewer", "unverified")
        assert not allowed(person, "record")


@pytest.mark.parametrize("verified", [None, False, True])
def test_an_app_role_also_needs_a_verified_address(verified):
    state = app_roles({"neu@example.org": "editor"})
    claims = user("neu@example.org", verified=verified)
    person = oidc_identity(claims, CONFIG, state)
    expected = ("editor", "app") if verified else ("viewer", "unverified")
    assert (person.role, person.role_source) == expected


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": ADMIN},  # no e-mail: the sub is an admin's address
        {"sub": ADMIN, "email_verified": True},
        {"sub": ADMIN, "email": "", "email_verified": True},
        {"sub": ADMIN, "email": ["admin@example.org"], "email_verified": True},
        {"sub": ADMIN, "email": None, "email_verified": True},
    ],
)
def test_the_sub_is_never_used_for_a_role(claims):
    person = oidc_identity({"is_logged_in": True} | claims, CONFIG, None)
    assert (person.email, person.role, person.role_source) == (
        "",
        "viewer",
        "no_email",
    )


def test_the_address_is_compared_trimmed_and_in_lower_case():
    person = oidc_identity(user("  Admin@Example.ORG "), CONFIG, None)
    assert (person.email, person.role) == (ADMIN, "admin")


# --------------------------------------------------------------- groups claim


@pytest.mark.parametrize(
    "email,groups,expected",
    [
        ("a@example.org", ["qm-redaktion"], ("editor", "groups")),
        ("a@example.org", ["/stadt/sozialamt"], ("editor", "groups")),
        ("a@example.org", ["qm-redaktion", "qm-admins"], ("admin", "groups")),
        ("a@example.org", "qm-admins", ("admin", "groups")),  # a single string
        ("a@example.org", ["QM-ADMINS"], ("viewer", "default")),  # exact names
        ("a@example.org", ["andere"], ("viewer", "default")),
        ("a@example.org", None, ("viewer", "default")),
        ("a@example.org", {"qm-admins": True}, ("viewer", "default")),
        # fixed roles from secrets.toml win over groups
        ("gesperrt@example.org", ["qm-admins"], ("viewer", "config")),
        (ADMIN, ["qm-redaktion"], ("admin", "config")),
    ],
)
def test_roles_from_the_groups_claim(email, groups, expected):
    claims = user(email) | ({} if groups is None else {"groups": groups})
    person = oidc_identity(claims, GROUPS, None)
    assert (person.role, person.role_source) == expected


def test_groups_win_over_app_roles_and_need_a_verified_address():
    state = app_roles({"a@example.org": "admin"})
    claims = user("a@example.org", groups=["qm-redaktion"])
    assert oidc_identity(claims, GROUPS, state).role == "editor"
    assert oidc_identity(claims, GROUPS, None).role_source == "groups"
    unverified = user("a@example.org", verified=False, groups=["qm-admins"])
    assert oidc_identity(unverified, GROUPS, None).role == "viewer"


def test_without_groups_claim_setting_groups_are_ignored():
    claims = user("a@example.org", groups=["qm-admins"])
    config = RoleConfig.from_table({"admin_groups": ["qm-admins"]})
    assert oidc_identity(claims, config, None).role == "viewer"


def test_a_role_table_of_the_wrong_shape_gives_no_roles():
    assert RoleConfig.from_table("admins = x") == RoleConfig()
    assert RoleConfig.from_table({"admins": 3, "groups_claim": 5}) == RoleConfig()
    assert RoleConfig.from_table({"admins": "one@example.org"}).fixed == {
        "one@example.org": "admin"
    }


# ----------------------------------------------------- the role an edit needs


def test_the_kind_decides_the_role_an_edit_needs():
    def entry(seq, kind, target):
        return Entry(seq, f"e{seq}", "2026-01-01T00:00:00+00:00", ADMIN, kind,
                     target, {}, {})  # fmt: skip

    state = EditState(
        entries=(
            entry(1, "progress", "M001"),
            entry(2, "goal", "Z01"),
            entry(3, "revert", "e2"),
            entry(4, "revert", "e3"),
            entry(5, "role", "x@example.org"),
        )
    )
    assert required_action("progress", "M001", state) == "record"
    assert required_action("status", "M001", state) == "record"
    for kind in ("measure", "goal", "role", "unknown"):
        assert required_action(kind, "x", state) == "manage"
    assert required_action("revert", "e1", state) == "record"
    assert required_action("revert", "e2", state) == "manage"
    assert required_action("revert", "e4", state) == "manage"  # revert of revert
    assert required_action("revert", "e5", state) == "manage"
    assert required_action("revert", "missing", state) == "manage"


def test_an_unknown_action_is_a_value_error():
    person = Identity(ADMIN, ADMIN, "admin", "oidc", "config")
    with pytest.raises(ValueError):
        allowed(person, "delete_everything")


# ----------------------------------------------------------- in the app (AppTest)

MEASURE = {"massnahme": "M001", "suche": "Kita-Pl"}


def test_an_unverified_editor_sees_a_note_and_no_form():
    at = open_page("massnahmen", MEASURE, user=user(EDITOR, verified=None),
                   secrets=SECRETS)  # fmt: skip
    assert f"Angemeldet als {EDITOR} · Rolle: Lesen" in texts(at, "caption")
    assert "nicht als bestätigt vermerkt" in texts(at, "info")
    assert not any(b.label == "Meldung speichern" for b in at.button)
    verified = open_page("massnahmen", MEASURE, user=user(EDITOR), secrets=SECRETS)
    assert "Rolle: Bearbeitung" in texts(verified, "caption")
    assert "nicht als bestätigt" not in texts(verified, "info")
    assert any(b.label == "Meldung speichern" for b in verified.button)


def test_no_email_claim_is_named_and_shows_no_form():
    who = {"is_logged_in": True, "sub": ADMIN, "name": "Jemand"}
    at = open_page("ziele", {"ziel": "Z07"}, user=who, secrets=SECRETS)
    assert "Angemeldet als Jemand · Rolle: Lesen" in texts(at, "caption")
    assert "keine E-Mail-Adresse übermittelt" in texts(at, "info")
    assert not any(b.label == "Ziel speichern" for b in at.button)


def test_roles_from_a_groups_claim_in_the_app():
    secrets = {
        "auth": AUTH,
        "roles": {"groups_claim": "groups", "editor_groups": ["qm-redaktion"]},
    }
    who = user("redaktion@example.org", groups=["qm-redaktion"])
    at = open_page("massnahmen", MEASURE, user=who, secrets=secrets)
    assert "Rolle: Bearbeitung" in texts(at, "caption")
    assert any(b.label == "Meldung speichern" for b in at.button)


@pytest.mark.parametrize("secret", ["", "kurz", "x" * 31])
def test_a_short_cookie_secret_switches_login_off_and_keeps_demo_mode_off(
    secret, monkeypatch
):
    """Streamlit signs the identity cookie with ``cookie_secret``: a guessable one
    would let anyone forge a verified admin, so login stays off (read-only)."""
    monkeypatch.setenv("QM_DEMO_EDIT", "1")  # must not turn it into a demo
    secrets = {"auth": AUTH | {"cookie_secret": secret}, "roles": ROLES}
    at = open_page("massnahmen", MEASURE, user=user(ADMIN), secrets=secrets)
    assert "Die Anmeldung ist abgeschaltet" in texts(at, "warning")
    assert "cookie_secret hat weniger als 32 Zeichen" in texts(at, "warning")
    assert "Demo-Bearbeitungsmodus" not in texts(at, "warning")
    assert not any(b.label in ("Meldung speichern", "Anmelden") for b in at.button)


def test_a_cookie_secret_of_32_characters_is_enough():
    secrets = {"auth": AUTH | {"cookie_secret": "x" * 32}, "roles": ROLES}
    at = open_page("ziele", {"ziel": "Z07"}, user=user(VIEWER), secrets=secrets)
    assert f"Angemeldet als {VIEWER} · Rolle: Lesen" in texts(at, "caption")
