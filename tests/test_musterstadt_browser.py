"""Every page on the fictitious Musterstadt in headless Chromium (Playwright).

One server with ``QM_DATA_DIR=data/musterstadt`` and one browser context for the
whole walk: from the start page through the sidebar, each page with figures or
tables (``DRAWN``) shows its title, no exception, no unexpected console error, the
data's title in the tab and sidebar, and no text that names Neunkirchen
(everything city-specific comes from the data folder). Then the start page's
choice between the two Perspektivquartiere switches the key figures and the link.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, expect

from monitor.viewstate import PAGES
from tests.browser import (
    MAIN,
    expect_no_exception,
    open_page,
    query_of,
    switch_page,
    wait_idle,
)
from tests.conftest import MUSTERSTADT_DIR

VIEWPORT = {"width": 1400, "height": 1000}
pytestmark = [
    pytest.mark.browser,
    pytest.mark.app_env(QM_DATA_DIR=str(MUSTERSTADT_DIR)),
    pytest.mark.browser_context_args(viewport=VIEWPORT, locale="de-DE"),
]
TITLE = "Quartiersmonitor Musterstadt"


# pages with figures and tables drawn in the browser (AppTest reads only the text
# elements; the text pages Methodik, Ablauf and Import are covered there)
DRAWN = [p for p in PAGES if p.id not in {"methodik", "ablauf", "import"}]


def test_every_page_opens_and_names_no_other_city(context: BrowserContext, app_server):
    texts = {}
    page, console = open_page(context, app_server)
    for spec in DRAWN:
        if spec.url_path:
            switch_page(page, spec.url_path)
        expect(page.locator(f"{MAIN} h1").first).to_have_text(re.compile(r"\S"))
        expect_no_exception(page)
        assert TITLE in page.title(), (spec.id, page.title())
        texts[spec.id] = page.locator("body").inner_text()
    console.assert_clean()
    page.close()
    for page_id, text in texts.items():
        assert "neunkirchen" not in text.lower(), page_id
        assert TITLE in text, page_id  # the sidebar shows the data's title
        assert "Demodaten" in text, page_id
    assert "Kreis Musterland" in texts["vergleich"]
    assert "Land Beispielland" in texts["vergleich"]


def test_start_page_switches_between_the_perspektivquartiere(
    context: BrowserContext, app_server: str
):
    page, console = open_page(context, app_server)
    main = page.locator(MAIN)
    expect(main).to_contain_text("Kennzahlen 2024: Perspektivquartier Altstadt/Bahnhof")
    page.get_by_role("radio", name="Perspektivquartier Hüttenberg").click()
    wait_idle(page)
    expect(main).to_contain_text("Kennzahlen 2024: Perspektivquartier Hüttenberg")
    assert query_of(page.url)["gebiet"] == ["pq-huettenberg"]
    expect_no_exception(page)
    console.assert_clean()
    page.close()
