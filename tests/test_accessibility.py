"""Accessibility in a real Chromium: axe-core on every page, keyboard and focus.

axe-core comes from the npm registry (tools/a11y, installed by `make test`), never
from a CDN. Zero serious or critical violations are allowed. Every page is checked
as a user reaches it, through the sidebar from the start page (one page load for
all pages; opening each page directly is tests/test_browser.py's sweep); the
selections and facility legends are opened from their links. English is checked
in tests/test_browser.py's language switch, every presentation step in
tests/test_presentation_fit_browser.py.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import BrowserContext, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from monitor.viewstate import PAGES
from tests.browser import (
    expect_no_exception,
    open_page,
    serious_axe_violations,
    switch_page,
    wait_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_context_args(
        viewport={"width": 1600, "height": 1000}, locale="de-DE"
    ),
]


def _open(context: BrowserContext, app_server: str, path: str, query: str = ""):
    """The page loaded, and settled a little longer: axe reads the whole DOM."""
    page, _ = open_page(context, app_server, path, query)
    wait_idle(page, settle_ms=500)
    return page


# English: tests/test_browser.py's language switch; presentation mode: every step
# of the shipped sequences in tests/test_presentation_fit_browser.py
CASES = [
    # the bivariate 3 x 3 legend with a selection, the facility legends
    ("zusammenhang", "?auswahl=innenstadt-scheib,innenstadt-oberstadt"),
    ("karte", "?einrichtungen=alle&gebiet=innenstadt-scheib"),
    ("profil", "?einrichtungen=alle&gebiet=innenstadt"),
    ("massnahmen", "?einrichtungen=alle"),
]


def test_every_page_through_the_sidebar_has_no_serious_axe_violations(
    context, app_server
):
    page, console = open_page(context, app_server)
    found = {}
    for spec in PAGES:
        if spec.url_path:
            switch_page(page, spec.url_path)
        wait_idle(page, settle_ms=500)  # settled a little longer: axe reads the DOM
        expect_no_exception(page)
        expect(page.locator("[data-testid='stMain'] h1").first).to_have_text(
            re.compile(r"\S")
        )
        found[spec.id] = serious_axe_violations(page)
    console.assert_clean()
    assert not any(found.values()), {k: v for k, v in found.items() if v}


@pytest.mark.parametrize("path,query", CASES, ids=[f"/{p}{q}" for p, q in CASES])
def test_no_serious_or_critical_axe_violations(context, app_server, path, query):
    page, console = open_page(context, app_server, path, query)
    wait_idle(page, settle_ms=500)  # settled a little longer: axe reads the DOM
    expect_no_exception(page)
    title = page.locator("[data-testid='stMain'] h1").first
    expect(title).to_have_text(re.compile(r"\S"))
    violations = serious_axe_violations(page)
    assert violations == [], violations
    console.assert_clean()


FOCUS_RULE_LOADED = """() => [...document.styleSheets].some(sheet => {
    try { return [...sheet.cssRules].some(r => r.cssText.includes('a:focus')); }
    catch (e) { return false; } })"""


FOCUS_RING_SHOWN = """() => { const s = getComputedStyle(document.activeElement);
    return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"""


def test_keyboard_reaches_controls_with_a_visible_focus(context, app_server):
    page = _open(context, app_server, "karte")
    # the app's focus ring comes with the page's first run; on a cold server
    # (a fresh clone, no bytecode cache) "idle" can be seen before that run
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
    page.wait_for_function(FOCUS_RULE_LOADED, timeout=60_000)
    seen = set()
    for _ in range(25):
        page.keyboard.press("Tab")
        # the ring may follow a re-render of the focused element; a missing
        # ring still fails after 3 s
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(FOCUS_RING_SHOWN, timeout=3_000)
        info = page.evaluate(
            """() => { const e = document.activeElement;
               const s = getComputedStyle(e);
               return [e.tagName, e.getAttribute('aria-label') || e.innerText
                       || e.getAttribute('role') || '',
                       s.outlineStyle !== 'none' || s.boxShadow !== 'none'] }"""
        )
        seen.add(info[0])
        assert info[2], f"no visible focus on {info}"
    assert {"INPUT", "BUTTON"} & seen or "A" in seen
