"""Fixtures of the security tests (the rest comes from tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.security.common import LOGIN_EDITOR, LOGIN_UNVERIFIED


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    """A fresh edit folder per test, no demo editing mode, no basemap requests."""
    monkeypatch.setenv("QM_BASEMAP", "blank")
    monkeypatch.setenv("QM_EDIT_DIR", str(tmp_path / "edits"))
    monkeypatch.delenv("QM_DEMO_EDIT", raising=False)
    monkeypatch.delenv("QM_EDIT_DB", raising=False)
    monkeypatch.delenv("QM_DATA_DIR", raising=False)
    return tmp_path / "edits"


# The login app of the browser test: oidc-provider-mock and the app in a temporary
# app folder with its own secrets.toml (the set-up of tests/test_login_browser.py).


@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    """(base URL, edit log): ``LOGIN_EDITOR`` is a verified editor;
    ``LOGIN_UNVERIFIED`` is listed as editor too, but the provider sends no
    ``email_verified`` for it (a name the mock does not know gets only ``email``)."""
    import secrets
    import shutil

    from monitor.programme.jsonl import JsonLinesLog
    from tests.browser import oidc_provider, register_user
    from tools.serve import ROOT, served_app

    folder = tmp_path_factory.mktemp("app")
    streamlit_dir = folder / ".streamlit"
    streamlit_dir.mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", streamlit_dir / "config.toml")
    edits = folder / "edits"
    with oidc_provider() as issuer:
        register_user(issuer, LOGIN_EDITOR)
        (streamlit_dir / "secrets.toml").write_text(
            "[auth]\n"
            'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(24)}"\n'
            'client_id = "quartiersmonitor-test"\n'
            'client_secret = "not-a-real-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            "\n[roles]\n"
            f'editors = ["{LOGIN_EDITOR}", "{LOGIN_UNVERIFIED}"]\n',
            encoding="utf-8",
        )
        env = {"QM_EDIT_DIR": str(edits), "QM_DEMO_EDIT": ""}
        with served_app(env=env, app=str(ROOT / "app.py"), cwd=folder) as url:
            yield url, JsonLinesLog(edits / "programm" / "demo")


@pytest.fixture(scope="module")
def chromium(browser):
    """Debian's Chromium, launched once by pytest-playwright (tests/conftest.py)."""
    return browser
