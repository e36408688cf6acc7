"""In Chromium against oidc-provider-mock: someone the app treats as a viewer gets no
edit form, and a forged widget interaction from their session writes nothing.

The forged interaction is the real one: the editor's browser submits the progress
form and the test keeps that websocket frame (a ``rerun_script`` BackMsg with the
form's values and its submit trigger); sent again from the editor's session it
writes a second entry, so it is a working write. A second person then logs in whose
address
is listed as editor but not verified by the provider (the mock sends only
``email``): the app makes them a viewer with a note, draws no form, and when the
editor's frame is sent through their own websocket the server runs the script (a
``script_finished`` comes back) and the log keeps its one entry.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.security.common import LOGIN_EDITOR, LOGIN_UNVERIFIED
from tests.test_login_browser import TIMEOUT_MS, log_in, open_measure, wait_idle

pytestmark = pytest.mark.browser(timeout_ms=TIMEOUT_MS)

VIEWPORT = {"width": 1600, "height": 2400}


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


def test_an_unverified_editor_is_a_viewer_and_a_forged_save_writes_nothing(
    login_app, chromium
):
    url, log = login_app
    # the editor's browser saves a report; its frame is kept
    editor = chromium.new_context(viewport=VIEWPORT)
    page = editor.new_page()
    relay = Relay(page)
    open_measure(page, url)
    log_in(page, url, LOGIN_EDITOR)
    expect(page.get_by_text("Rolle: Bearbeitung")).to_be_visible()
    page.get_by_role("textbox", name="Erreichter Stand (Plätze)").fill("700,5")
    relay.sent.clear()
    page.get_by_role("button", name="Meldung speichern").click()
    wait_idle(page)
    expect(page.get_by_text("Gespeichert als Eintrag Nr. 1")).to_be_visible()
    forged = submits(relay.sent)
    assert len(forged) == 1 and len(log.entries()) == 1
    # the frame is a real write: sent again from the editor's session, it writes
    relay.send(forged[0], page)
    expect(page.get_by_text("Gespeichert als Eintrag Nr. 2")).to_be_visible()
    assert len(log.entries()) == 2
    editor.close()

    # listed as editor, address not verified: a viewer with a note, no form
    other = chromium.new_context(viewport=VIEWPORT)
    page = other.new_page()
    relay = Relay(page)
    open_measure(page, url)
    log_in(page, url, LOGIN_UNVERIFIED)
    role = f"Angemeldet als {LOGIN_UNVERIFIED} · Rolle: Lesen"
    expect(page.get_by_text(role)).to_be_visible()
    expect(page.get_by_text("nicht als bestätigt vermerkt")).to_be_visible()
    for name in ("Meldung speichern", "Status speichern", "Rückgängig machen"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    expect(page.get_by_role("textbox", name="Erreichter Stand (Plätze)")).to_have_count(
        0
    )
    # the editor's own frame, sent from this session: run, but nothing written
    relay.send(forged[0], page)
    expect(page.get_by_text(role)).to_be_visible()
    expect(page.get_by_text("Gespeichert als Eintrag")).to_have_count(0)
    assert [(e.who, e.data["value"]) for e in log.entries()] == [
        (LOGIN_EDITOR, 700.5)
    ] * 2
    other.close()
