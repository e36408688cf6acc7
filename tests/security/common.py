"""Identities, secrets and AppTest helpers shared by the security tests.

The identities are what ``st.user`` holds after ``st.login`` (AppTest's ``user``);
the secrets hold a usable ``[auth]`` table (its provider is never contacted by
AppTest) and the fixed roles.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from monitor.programme.jsonl import JsonLinesLog

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "security-tests-cookie-secret-0123456789",
    "client_id": "quartiersmonitor",
    "client_secret": "test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
EDITOR = "editor@example.org"
ADMIN = "admin@example.org"
VIEWER = "viewer@example.org"
ROLES = {"editors": [EDITOR], "admins": [ADMIN]}
SECRETS = {"auth": AUTH, "roles": ROLES}

ANONYMOUS = {"is_logged_in": False}


def user(email: str, verified: object = True, **claims) -> dict:
    """A logged-in ``st.user``; ``verified=None`` leaves ``email_verified`` out."""
    out = {"is_logged_in": True, "email": email, "name": email, "sub": "opaque-1"}
    if verified is not None:
        out["email_verified"] = verified
    return out | claims


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in getattr(at, kind))


def log_of(edit_dir: Path) -> JsonLinesLog:
    return JsonLinesLog(edit_dir / "programm" / "demo")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes: any write shows up here."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
