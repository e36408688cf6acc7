"""Hostile links and hostile data in a real browser; the German error page.

One server for the module: the app on the hostile copy of the demo data
(tests/security/hostile_data.py) through tests/security/failing_app.py, which
makes one view (the Methodik page's disclosure text) fail as a bug would. Every
hostile script sets ``window.__pwned``: it must stay unset; no dialog, no console
error, no exception box on any page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from monitor.i18n import t
from monitor.viewstate import PAGES
from tests.browser import MAIN, expect_no_exception, open_page, switch_page, warm
from tests.security import hostile_data as hd
from tests.security.failing_app import FAILURE
from tools.serve import served_app

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1400, "height": 1000}
LINK_NOTE = t("link_notes.heading", "de")
ERROR_TITLE = t("errors.unexpected_title", "de")
HOSTILE_LINKS = [
    ("", {"indikator": hd.SCRIPT, "gebiet": hd.IMG, "jahr": "٢٠٢٠"}),
    ("karte", {"modus": "<svg/onload=window.__pwned=1>", "grenzen": hd.IMG}),
    ("massnahmen", {"suche": hd.SCRIPT, "status": "javascript:alert(1)"}),
    ("profil", {"gebiet": ["x" * 10_240, "perspektivquartier"], "sprache": "\x00\x1b"}),
]


@pytest.fixture(scope="module")
def server(browser: Browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    data_dir, edit_dir = hd.build_hostile_dir(root)
    log = root / "server.log"
    env = {"QM_DATA_DIR": str(data_dir), "QM_EDIT_DIR": str(edit_dir)}
    with served_app(env, app="tests/security/failing_app.py", log_path=log) as url:
        warm(url)  # st.navigation once, caches filled (no drawing needed)
        context = browser.new_context(viewport=VIEWPORT)
        yield context, url, log
        context.close()


def assert_inert(page, console) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    console.assert_clean()
    expect_no_exception(page)


def test_hostile_data_is_inert_on_every_page(server):
    """Every page but the failing one, reached through the sidebar as a user
    does (one page load for all; a hostile script would run on a page switch as
    on a load)."""
    context, url, _ = server
    page, console = open_page(context, url)
    try:
        for spec in [p for p in PAGES if p.id != "methodik"]:
            if spec.url_path:
                switch_page(page, spec.url_path)
            expect(page.locator(f"{MAIN} h1").first).to_be_visible()
            expect(page.get_by_text(ERROR_TITLE)).to_have_count(0)
            assert page.evaluate("typeof window.__pwned") == "undefined", spec.id
            expect_no_exception(page)
        assert_inert(page, console)
    finally:
        page.close()


def test_hostile_names_are_shown_as_literal_text(server):
    context, url, _ = server
    page, console = open_page(context, url, "profil")
    try:
        expect(page.get_by_text(hd.SCRIPT, exact=True).first).to_be_visible()
        assert_inert(page, console)
    finally:
        page.close()


@pytest.mark.parametrize("path,query", HOSTILE_LINKS, ids=lambda v: str(v)[:20])
def test_hostile_links_give_a_note_and_stay_inert(server, path, query):
    context, url, _ = server
    page, console = open_page(context, url, path, query)
    try:
        expect(page.get_by_text(LINK_NOTE).first).to_be_visible()
        assert_inert(page, console)
    finally:
        page.close()


def test_an_unexpected_error_shows_the_german_page_and_logs_its_id(server):
    context, url, log = server
    page, console = open_page(context, url, "methodik")
    try:
        expect(page.get_by_text(ERROR_TITLE)).to_be_visible()
        text = page.locator(MAIN).inner_text()
        ref = re.search(r"Fehlernummer\s+([0-9a-f]{8})", text)
        assert ref, text[-500:]
        assert "Traceback" not in text and FAILURE not in text
        assert "RuntimeError" not in text
        assert_inert(page, console)
        # the other pages still work
        expect(page.locator("[data-testid='stSidebarNav']")).to_be_visible()
    finally:
        page.close()
    server_log = log.read_text(encoding="utf-8")
    entry = server_log[server_log.index(f"unexpected error [{ref.group(1)}]") :]
    assert "Traceback" in entry[:4000] and FAILURE in entry[:4000]
