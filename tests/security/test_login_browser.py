"""Login with st.login against a real local OIDC provider (oidc-provider-mock), in
Chromium, one flow through the three kinds of person:

1. Without a login the measure page is read-only. An editor logs in, records
   progress and sees it on the chart and in the history. The test keeps the
   websocket frame of that save (a ``rerun_script`` BackMsg with the form's values
   and its submit trigger); sent again from the editor's session it writes a
   second entry, so it is a working write.
2. A viewer logs in: no form, the editor's entries are public, nothing is written.
3. Someone whose address is listed as editor but not verified by the provider (the
   mock sends only ``email`` for a name it was not told about): the app makes them
   a viewer with a note and draws no form; the editor's frame sent through their
   own websocket is run by the server (a ``script_finished`` comes back) and the
   log keeps its two entries.

The app runs from a temporary app folder whose .streamlit/secrets.toml holds the
[auth] table and the roles (tests/conftest.py's ``login_app``); real secrets are
never used or committed.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser import wait_idle
from tests.conftest import LOGIN_EDITOR, LOGIN_UNVERIFIED, LOGIN_VIEWER

# a loaded CI machine can take seconds per rerun: assertions wait as long as page
# loads do (bounded), never a fixed sleep
TIMEOUT_MS = 90_000
pytestmark = [
    pytest.mark.browser(timeout_ms=TIMEOUT_MS),
    pytest.mark.browser_context_args(viewport={"width": 1600, "height": 1000}),
]
NO_WRITE_CONTROLS = ("Meldung speichern", "Status speichern", "Rückgängig machen")
VALUE_FIELD = "Erreichter Stand (Plätze)"


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


def expect_no_form(page: Page) -> None:
    for name in NO_WRITE_CONTROLS:
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("textbox", name=VALUE_FIELD)).to_have_count(0)


def submits(frames: list) -> list[bytes]:
    """The frames among ``frames`` that rerun the script with a pressed trigger."""
    out = []
    for frame in frames:
        if not isinstance(frame, bytes):
            continue
        msg = BackMsg.FromString(frame)
        if msg.WhichOneof("type") != "rerun_script":
            continue
        states = msg.rerun_script.widget_states.widgets
        if any(w.WhichOneof("value") == "trigger_value" for w in states):
            out.append(frame)
    return out


def finished_runs(frames: list) -> int:
    return sum(
        isinstance(f, bytes)
        and ForwardMsg.FromString(f).WhichOneof("type") == "script_finished"
        for f in frames
    )


class Relay:
    """Routes the page's websocket through the test: every frame is forwarded and
    kept (``sent`` by the page, ``received`` from the server), and the test can
    send its own."""

    def __init__(self, page: Page):
        self.servers: list[WebSocketRoute] = []
        self.sent: list = []
        self.received: list = []
        page.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_page(message):
            self.sent.append(message)
            server.send(message)

        def from_server(message):
            self.received.append(message)
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)
        self.servers.append(server)

    def send(self, frame: bytes, page: Page) -> None:
        """Send ``frame`` as the page would and wait until that run finished."""
        before = finished_runs(self.received)
        self.servers[-1].send(frame)
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while finished_runs(self.received) == before:
            assert time.monotonic() < deadline, "the forged frame was not run"
            page.wait_for_timeout(100)
        wait_idle(page)


def test_editor_writes_viewer_and_unverified_get_no_form_and_a_forged_save_fails(
    login_app, new_context
):
    url, log = login_app
    # 1. the editor: read-only before the login, then a report; its frame is kept
    page = new_context().new_page()
    relay = Relay(page)
    open_measure(page, url)
    expect(page.get_by_role("button", name="Meldung speichern")).to_have_count(0)
    expect(page.get_by_text("bitte oben anmelden")).to_be_visible()
    log_in(page, url, LOGIN_EDITOR)
    role = f"Angemeldet als {LOGIN_EDITOR} · Rolle: Bearbeitung"
    expect(page.get_by_text(role)).to_be_visible()
    page.get_by_role("textbox", name=VALUE_FIELD).fill("700,5")
    page.get_by_role("textbox", name="Kommentar").first.fill("Neue Gruppe eröffnet")
    relay.sent.clear()
    page.get_by_role("button", name="Meldung speichern").click()
    wait_idle(page, timeout_ms=TIMEOUT_MS)
    expect(page.get_by_text("Gespeichert als Eintrag Nr. 1")).to_be_visible()
    expect(app_reports_on_chart(page)).to_have_count(1)
    history = page.locator("[data-testid='stDataFrame']")
    expect(history.filter(has_text="700,5 Plätze").first).to_be_attached()
    expect(history.filter(has_text=LOGIN_EDITOR).first).to_be_attached()
    assert [(e.who, e.target, e.data["value"]) for e in log.entries()] == [
        (LOGIN_EDITOR, "M001", 700.5)
    ]
    forged = submits(relay.sent)
    assert len(forged) == 1
    # the frame is a real write: sent again from the editor's session, it writes
    relay.send(forged[0], page)
    expect(page.get_by_text("Gespeichert als Eintrag Nr. 2")).to_be_visible()
    assert len(log.entries()) == 2
    page.context.close()

    # 2. a viewer: no form; the editor's entries are public
    page = new_context().new_page()
    open_measure(page, url)
    log_in(page, url, LOGIN_VIEWER)
    expect(
        page.get_by_text(f"Angemeldet als {LOGIN_VIEWER} · Rolle: Lesen")
    ).to_be_visible()
    expect(page.get_by_text("Ihre Rolle „Lesen“ erlaubt kein Erfassen")).to_be_visible()
    expect_no_form(page)
    expect(app_reports_on_chart(page)).to_have_count(1)
    assert len(log.entries()) == 2
    page.context.close()

    # 3. listed as editor, address not verified: a viewer with a note, no form,
    # and the editor's own frame sent from this session writes nothing
    page = new_context().new_page()
    relay = Relay(page)
    open_measure(page, url)
    log_in(page, url, LOGIN_UNVERIFIED)
    role = f"Angemeldet als {LOGIN_UNVERIFIED} · Rolle: Lesen"
    expect(page.get_by_text(role)).to_be_visible()
    expect(page.get_by_text("nicht als bestätigt vermerkt")).to_be_visible()
    expect_no_form(page)
    relay.send(forged[0], page)
    expect(page.get_by_text(role)).to_be_visible()
    expect(page.get_by_text("Gespeichert als Eintrag")).to_have_count(0)
    assert [(e.who, e.data["value"]) for e in log.entries()] == [
        (LOGIN_EDITOR, 700.5)
    ] * 2
