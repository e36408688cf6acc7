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

import pytest
from playwright.sync_api import Page, expect

from tests.browser import wait_idle
from tests.conftest import LOGIN_EDITOR, LOGIN_VIEWER

# a loaded CI machine can take seconds per rerun: assertions wait as long as page
# loads do (bounded), never a fixed sleep
TIMEOUT_MS = 90_000
pytestmark = [
    pytest.mark.browser(timeout_ms=TIMEOUT_MS),
    pytest.mark.browser_context_args(viewport={"width": 1600, "height": 2400}),
]
EDITOR = LOGIN_EDITOR
VIEWER = LOGIN_VIEWER


def open_measure(page: Page, url: str) -> None:
    """The Kita measure; the search keeps the rest of the page small."""
    page.goto(f"{url}/massnahmen?massnahme=M001&suche=Kita-Pl")
    wait_idle(page, timeout_ms=TIMEOUT_MS)
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


def test_editor_records_progress_and_viewer_gets_no_form(login_app, new_context):
    url, log = login_app
    editor = new_context()
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
    wait_idle(page, timeout_ms=TIMEOUT_MS)
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

    viewer = new_context()
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
