"""Real-browser tests: the served app in headless Chromium (Playwright).

One Streamlit server per module and a fresh browser context per test (the fixtures
are in tests/conftest.py, as in Streamlit's own e2e suite). The tests iterate over
``monitor.viewstate.PAGES``, so a page added there is covered without touching this
file:

- every page opened directly: app frame, title, "Demodaten", no exception, no
  unexpected console error; a sub-page as the first request on a cold server;
- the start page's map canvas is painted;
- the language switch (English link, back to Deutsch from the sidebar), with the
  document language (``<html lang>``) following it;
- a shared link survives switching to every sub-page and reloading it;
- hostile links: each case alone on one page, all at once on every page.

Run alone with ``pytest tests/test_browser.py``; skip with ``-m "not browser"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from monitor.i18n import t
from monitor.viewstate import PAGES, PageSpec
from tests.browser import (
    APP,
    DECK,
    MAIN,
    canvas_painted,
    expect_no_exception,
    nav_links,
    nav_paths,
    open_page,
    query_of,
    reload_page,
    serious_axe_violations,
    switch_page,
    wait_idle,
)
from tools.serve import served_app

VIEWPORT = {"width": 1400, "height": 1000}
pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_context_args(viewport=VIEWPORT, locale="de-DE"),
]
SUB_PAGES = [p for p in PAGES if p.url_path]
LINK = {"indikator": "sgb2_quote", "jahr": "2020", "ebene": "stadtteil"}
# What every page must keep from LINK (a page may adjust the level to what it can
# show, e.g. hotspots need more areas than there are Stadtteile).
KEPT = {"indikator": "sgb2_quote", "jahr": "2020", "sprache": "en"}
LINK_NOTES_DE = t("link_notes.heading", "de")

# Sub-pages on which following LINK through the sidebar is known to fail, with the
# reason. The link test ends as xfail when only these fail, and fails when one of
# them works again (then its entry must go) or any other page fails.
KNOWN_LINK_BUGS: dict[str, str] = {}

# sub-pages reloaded after the switch: a light one, a map, a programme page
RELOADED = {"methodik", "karte", "massnahmen"}

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
LONG = "x" * 10_000


@dataclass(frozen=True)
class Hostile:
    """A hostile link and, per attacked key, the value the URL must carry after the
    app validated the link and wrote the view back (None: one value, not the
    hostile one)."""

    id: str
    query: dict[str, list[str]]
    after: dict[str, str | None]


# Every hostile kind at once, on every page (each kind alone goes through AppTest
# and the link contract in tests/security/test_hostile_links.py).
ALL_AT_ONCE = Hostile(
    "all-at-once",
    {
        "indikator": [SCRIPT],
        "jahr": ["2019", "2020"],
        "jahr_von": ["abc"],
        "gebiet": [LONG],
        "gebiete": [IMG],
        "klassen": ["gibt_es_nicht"],
    },
    {
        "indikator": None,
        "jahr": "2020",
        "jahr_von": None,
        "gebiet": None,
        "gebiete": None,
        "klassen": None,
    },
)


def _path(spec: PageSpec) -> str:
    return spec.url_path  # "" is the start page, served at "/"


def _page_id(spec: PageSpec) -> str:
    return spec.id


def _expect_page_ok(page: Page, spec: PageSpec) -> None:
    """The page was served inside the app's frame, with a title and no exception.

    The frame (app.py) builds the navigation from PAGES, the language switch, and
    writes the view into the URL; a page file run on its own has none of these.
    """
    assert urlsplit(page.url).path.strip("/") == _path(spec), page.url
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.locator(f"{MAIN} h1").first).to_have_text(re.compile(r"\S"))
    expect_no_exception(page)
    expect(nav_links(page).first).to_be_visible()
    paths = nav_paths(page)
    assert _path(spec) in paths, paths
    assert set(paths) <= {_path(p) for p in PAGES}, f"not from PAGES: {paths}"
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("radio", name="Deutsch")).to_have_count(1)
    assert {"indikator", "jahr", "sprache"} <= query_of(page.url).keys(), page.url


def test_sub_page_first_on_cold_server(new_context):
    """A pasted link to a sub-page is the first request after a server start.

    Streamlit runs pages/<page>.py alone (old multipage mode) until app.py has
    called st.navigation once; the app must still show its frame. Needs its own
    server, as the module's server is warmed.
    """
    spec = SUB_PAGES[0]
    with served_app() as url:
        context = new_context()
        try:
            page, console = open_page(context, url, _path(spec))
            _expect_page_ok(page, spec)
            console.assert_clean()
        finally:
            context.close()


def test_start_page_map_is_painted(context: BrowserContext, app_server: str):
    page, console = open_page(context, app_server)
    expect(page.locator(f"{DECK} canvas").first).to_be_attached()
    assert canvas_painted(page), "the map canvas shows only its background"
    console.assert_clean()


def test_language_switch(context: BrowserContext, app_server: str):
    page, console = open_page(context, app_server, "", {"sprache": "en"})
    app = page.locator(APP)
    expect(app).to_contain_text("Demo data")
    assert query_of(page.url)["sprache"] == ["en"]
    # the document language follows, so screen readers use English rules
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert serious_axe_violations(page) == []

    deutsch = page.get_by_test_id("stSidebar").get_by_role("radio", name="Deutsch")
    expect(deutsch).not_to_be_checked()
    deutsch.click()
    expect(page).to_have_url(re.compile(r"[?&]sprache=de(&|$)"))
    wait_idle(page)
    expect(deutsch).to_be_checked()
    expect(app).to_contain_text("Demodaten")
    expect(app).not_to_contain_text("Demo data")
    expect(page.locator(f"{MAIN} h1").first).to_have_text(t("uebersicht.title", "de"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect_no_exception(page)
    console.assert_clean()


def test_karte_table_opens_with_the_keyboard(context: BrowserContext, app_server: str):
    """The table under the map is drawn only when opened (a rerun): opened with
    Enter it shows the grid, and the expander keeps the focus."""
    page, console = open_page(context, app_server, "karte", {"ebene": "quartier"})
    main = page.locator(MAIN)
    summary = main.locator("summary", has_text=t("karte.table_title", "de"))
    expect(main.get_by_test_id("stDataFrame")).to_have_count(0)
    summary.focus()
    page.keyboard.press("Enter")
    expect(main.get_by_test_id("stDataFrame")).to_have_count(1)
    wait_idle(page)
    expect(main.locator("details[open] summary")).to_be_focused()
    expect_no_exception(page)
    console.assert_clean()


def _expect_view(page: Page, expected: dict[str, str]) -> None:
    for key, value in expected.items():
        expect(page).to_have_url(re.compile(rf"[?&]{key}={re.escape(value)}(&|$)"))


def test_link_survives_page_switch_and_reload(context: BrowserContext, app_server: str):
    """A shared link, then every sub-page through the sidebar, each reloaded.

    After each switch the URL must carry the link's view again (st.navigation drops
    the query; the app writes it back), and a reload that changes nothing must
    keep the URL query and the page (the frame's rule, the same for every page:
    reloaded on the start page and on RELOADED).
    """
    page, console = open_page(context, app_server, "", {**LINK, "sprache": "en"})
    _expect_view(page, {**LINK, "sprache": "en"})
    expect(page.get_by_test_id("stAlertContentWarning")).to_have_count(0)
    before = page.url
    reload_page(page)
    assert page.url == before
    _expect_page_ok(page, PAGES[0])

    problems: dict[str, str] = {}
    for spec in SUB_PAGES:
        try:
            switch_page(page, _path(spec))
            _expect_view(page, KEPT)
            _expect_page_ok(page, spec)
            expect(page.locator(APP)).to_contain_text("Demo data")
            if spec.id not in RELOADED:
                continue
            before = page.url
            reload_page(page)
            assert query_of(page.url) == query_of(before), "reload changed the view"
            _expect_page_ok(page, spec)
        except AssertionError as exc:
            problems[spec.id] = f"{page.url}: " + str(exc).splitlines()[0]
    console.assert_clean()

    unexpected = {k: v for k, v in problems.items() if k not in KNOWN_LINK_BUGS}
    assert not unexpected, "link lost on page switch or reload:\n" + "\n".join(
        f"{k}: {v}" for k, v in unexpected.items()
    )
    fixed = [
        p.id for p in SUB_PAGES if p.id in KNOWN_LINK_BUGS and p.id not in problems
    ]
    assert not fixed, f"known bug fixed on {fixed}: remove it from KNOWN_LINK_BUGS"
    if problems:
        pytest.xfail("; ".join(KNOWN_LINK_BUGS[k] for k in problems))


def _check_hostile(page: Page, spec: PageSpec, case: Hostile) -> None:
    _expect_page_ok(page, spec)
    warning = page.get_by_test_id("stAlertContentWarning").filter(
        has_text=LINK_NOTES_DE
    )
    expect(warning).to_have_count(1)
    expect(warning).to_be_visible()
    for key in case.after:
        expect(warning).to_contain_text(f"„{key}“")

    # The view was validated and written back: every key once, no hostile value.
    query = query_of(page.url)
    assert all(len(v) == 1 for v in query.values()), page.url
    assert len(page.url) < 2_000, "an over-long value was written back"
    for key, after in case.after.items():
        written = query[key][0]
        if after is None:
            assert written not in case.query[key], f"{key}: {page.url}"
        else:
            assert written == after, f"{key}: {page.url}"
    assert not any("<" in v[0] or ">" in v[0] for v in query.values()), page.url
    injected = page.evaluate(
        "() => [...document.querySelectorAll('script, img')].some("
        "e => /alert\\(/.test(e.outerHTML))"
    )
    assert not injected, "hostile markup reached the DOM"


@pytest.mark.parametrize("spec", PAGES, ids=_page_id)
def test_every_page_opens_directly_from_a_hostile_link(
    context: BrowserContext, app_server: str, spec: PageSpec
):
    """A pasted link straight to the page: the app's frame, Demodaten, German
    document language, the link validated with a note, and no serious axe
    violation on the page as shown (its default view with the note; every
    sub-page reached through the sidebar is the link walk above)."""
    page, console = open_page(context, app_server, _path(spec), ALL_AT_ONCE.query)
    _check_hostile(page, spec, ALL_AT_ONCE)
    expect(page.locator(APP)).to_contain_text("Demodaten")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    wait_idle(page, settle_ms=500)  # settled a little longer: axe reads the DOM
    assert serious_axe_violations(page) == []
    console.assert_clean()
