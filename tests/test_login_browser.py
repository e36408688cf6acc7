"""Login with st.login against a real local OIDC provider (oidc-provider-mock), in
Chromium: an editor records progress and sees it in the history and on the chart;
a viewer logs in too and gets no form, and nothing of theirs reaches the log.

The app runs from a temporary app folder whose .streamlit/secrets.toml holds the
[auth] table and the roles; real secrets are never used or committed. The app takes
a role above viewer only for a verified e-mail address: the provider's users are
registered with ``email_verified`` true (:func:`register_user`); a name typed into
its form that was not registered gets the claims ``{"email": <name>}`` only.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from monitor.programme.jsonl import JsonLinesLog
from tools.serve import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port, served_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 90_000
APP_IDLE = (
    "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
    "[data-test-script-state='notRunning']"
)
EDITOR = "editor@example.org"
VIEWER = "viewer@example.org"


def _wait_http(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited early")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


def register_user(issuer: str, email: str, **claims) -> None:
    """Give the provider's user ``email`` its claims (oidc-provider-mock's
    ``PUT /users/<sub>``): the e-mail, verified unless ``claims`` say otherwise."""
    body = {"email": email, "email_verified": True} | claims
    request = urllib.request.Request(
        f"{issuer}/users/{email}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 204:
            raise RuntimeError(f"{issuer} did not take the user {email}")


@contextlib.contextmanager
def oidc_provider():
    """oidc-provider-mock on a free loopback port; yields its issuer URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_http(issuer + "/.well-known/openid-configuration", proc)
        yield issuer
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app with login: (base URL, edit log)."""
    folder = tmp_path_factory.mktemp("app")
    streamlit_dir = folder / ".streamlit"
    streamlit_dir.mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", streamlit_dir / "config.toml")
    edits = folder / "edits"
    with oidc_provider() as issuer:
        register_user(issuer, EDITOR)
        register_user(issuer, VIEWER)
        (streamlit_dir / "secrets.toml").write_text(
            "[auth]\n"
            'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(24)}"\n'
            'client_id = "quartiersmonitor-test"\n'
            'client_secret = "not-a-real-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
            "\n[roles]\n"
            f'editors = ["{EDITOR}"]\n',
            encoding="utf-8",
        )
        env = {"QM_EDIT_DIR": str(edits), "QM_DEMO_EDIT": ""}
        with served_app(env=env, app=str(ROOT / "app.py"), cwd=folder) as url:
            yield url, JsonLinesLog(edits / "programm" / "demo")


@pytest.fixture(scope="module")
def browser():
    # a loaded CI machine can take seconds per rerun: assertions wait as long as
    # page loads do (bounded), never a fixed sleep
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    expect.set_options(timeout=5_000)  # Playwright's default, for other modules


def wait_idle(page: Page) -> None:
    page.wait_for_selector(APP_IDLE, state="attached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(150)  # a rerun may start right after a widget settles
    page.wait_for_selector(APP_IDLE, state="attached", timeout=TIMEOUT_MS)


def open_measure(page: Page, url: str) -> None:
    """The Kita measure; the search keeps the rest of the page small."""
    page.goto(f"{url}/massnahmen?massnahme=M001&suche=Kita-Pl")
    wait_idle(page)
    page.get_by_text("Eine Maßnahme im Detail").wait_for(timeout=TIMEOUT_MS)


def log_in(page: Page, url: str, email: str) -> None:
    """Through the provider's form; Streamlit then redirects to the start page,
    which is left at once for the measure."""
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("input[name='sub']", timeout=TIMEOUT_MS)
    page.fill("input[name='sub']", email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**", timeout=TIMEOUT_MS)
    open_measure(page, url)


def app_reports_on_chart(page: Page):
    return page.locator("[data-testid='stPlotlyChart']").filter(
        has_text="Meldungen (in der App erfasst)"
    )


def test_editor_records_progress_and_viewer_gets_no_form(app, browser):
    url, log = app
    editor = browser.new_context(viewport={"width": 1600, "height": 2400})
    page = editor.new_page()
    open_measure(page, url)
    # without login: read-only, a login button, no form
    expect(page.get_by_role("button", name="Meldung speichern")).to_have_count(0)
    expect(page.get_by_text("bitte oben anmelden")).to_be_visible()
    log_in(page, url, EDITOR)
    role = page.get_by_text(f"Angemeldet als {EDITOR} · Rolle: Bearbeitung")
    expect(role).to_be_visible()
    page.get_by_role("textbox", name="Erreichter Stand (Plätze)").fill("700,5")
    page.get_by_role("textbox", name="Kommentar").first.fill("Neue Gruppe eröffnet")
    page.get_by_role("button", name="Meldung speichern").click()
    wait_idle(page)
    expect(page.get_by_text("Gespeichert als Eintrag Nr. 1")).to_be_visible()
    # on the chart: the series of reports recorded in the app
    expect(app_reports_on_chart(page)).to_have_count(1)
    # in the history: the reports table and the change log list the entry
    history = page.locator("[data-testid='stDataFrame']")
    expect(history.filter(has_text="700,5 Plätze").first).to_be_attached()
    expect(history.filter(has_text=EDITOR).first).to_be_attached()
    entries = log.entries()
    assert [(e.who, e.target, e.data["value"]) for e in entries] == [
        (EDITOR, "M001", 700.5)
    ]
    editor.close()

    viewer = browser.new_context(viewport={"width": 1600, "height": 2400})
    page = viewer.new_page()
    open_measure(page, url)
    log_in(page, url, VIEWER)
    expect(page.get_by_text(f"Angemeldet als {VIEWER} · Rolle: Lesen")).to_be_visible()
    expect(page.get_by_text("Ihre Rolle „Lesen“ erlaubt kein Erfassen")).to_be_visible()
    for button in ("Meldung speichern", "Status speichern", "Rückgängig machen"):
        expect(page.get_by_role("button", name=button)).to_have_count(0)
    value = page.get_by_role("textbox", name="Erreichter Stand (Plätze)")
    expect(value).to_have_count(0)
    # the editor's entry is public: the viewer sees it, and nothing new was written
    expect(app_reports_on_chart(page)).to_have_count(1)
    assert len(log.entries()) == 1
    viewer.close()
