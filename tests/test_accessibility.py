"""Accessibility in a real Chromium: axe-core on the views with extra parts,
keyboard and focus.

axe-core comes from the npm registry (tools/a11y, installed by `make test`), never
from a CDN. Zero serious or critical violations are allowed. Every page is checked
where it is opened anyway: each page straight from a link in
tests/test_browser.py's sweep, English in its language switch, every presentation
step in tests/test_presentation_fit_browser.py. Here: the selections and facility
legends opened from their links, and the keyboard.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import BrowserContext, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import (
    expect_no_exception,
    open_page,
    serious_axe_violations,
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
