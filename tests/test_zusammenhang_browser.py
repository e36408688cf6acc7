"""Browser test: the Zusammenhang page from a link with both indicators; a box
drawn by mouse over the scatter selects areas, which are outlined on the map,
listed, written into the link and still there after a reload (Playwright +
Debian's Chromium).

Run alone with ``pytest tests/test_zusammenhang_browser.py -m browser``.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from monitor.views.palettes import SELECTION_RGB
from tests.browser import (
    DECK,
    MAIN,
    expect_no_exception,
    open_page,
    query_of,
    wait_idle,
    wait_loaded,
)

LINK = {
    "indikator": "kinderarmut",
    "indikator2": "arbeitslosenanteil",
    "ebene": "quartier",
    "jahr": "2025",
}
VIEWPORT = {"width": 1600, "height": 1000}
pytestmark = [pytest.mark.browser, pytest.mark.browser_context_args(viewport=VIEWPORT)]
PLOT = "[data-testid='stPlotlyChart']"


def selection_pixels(page: Page) -> int:
    """Pixels of the map in the selection colour (its outline of picked areas;
    no fill of the bivariate palette is near it)."""
    chart = page.locator(DECK).first
    chart.locator("canvas").first.wait_for(state="attached")
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)  # deck.gl paints after the script has finished
    image = Image.open(io.BytesIO(chart.screenshot(animations="disabled")))
    pixels = image.convert("RGB").get_flattened_data()
    return sum(
        1
        for p in pixels
        if max(abs(a - b) for a, b in zip(p, SELECTION_RGB, strict=True)) < 40
    )


def drag_box_over_the_upper_right(page: Page) -> None:
    """Press, move and release the mouse over the upper right of the scatter's
    plot area (the box-select drag mode the page sets)."""
    area = page.locator(f"{PLOT} .nsewdrag").first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    assert box, "the scatter's plot area is not visible"
    x0, y0 = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.02
    x1, y1 = box["x"] + box["width"] * 0.99, box["y"] + box["height"] * 0.55
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2, steps=8)
    page.mouse.move(x1, y1, steps=8)
    page.mouse.up()


def test_box_selection_is_outlined_listed_and_survives_a_reload(
    browser: Browser, app_server: str
):
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    context.set_default_timeout(30_000)
    try:
        page, console = open_page(context, app_server, "zusammenhang", LINK)
        expect_no_exception(page)
        main = page.locator(MAIN)
        expect(main).to_contain_text("Kinderarmut")
        expect(main).to_contain_text("Arbeitslosenanteil")
        expect(main).to_contain_text("Spearmans ρ")
        query = query_of(page.url)
        assert query["indikator2"] == ["arbeitslosenanteil"]
        assert "auswahl" not in query
        assert selection_pixels(page) == 0

        drag_box_over_the_upper_right(page)
        wait_idle(page, settle_ms=600)
        expect(
            main.get_by_role("heading", name="Ausgewählte Gebiete (0)")
        ).to_have_count(0)
        picked = query_of(page.url).get("auswahl", [""])[0].split(",")
        assert picked and picked != [""], page.url
        heading = f"Ausgewählte Gebiete ({len(picked)})"
        expect(main.get_by_role("heading", name=heading)).to_be_visible()
        expect(main).to_contain_text(f"Im Diagramm ausgewählt ({len(picked)})")
        assert selection_pixels(page) > 50

        page.reload(wait_until="domcontentloaded")
        wait_loaded(page)
        expect_no_exception(page)
        assert query_of(page.url)["auswahl"] == [",".join(picked)]
        expect(main.get_by_role("heading", name=heading)).to_be_visible()
        assert selection_pixels(page) > 50
        console.assert_clean()
    finally:
        context.close()
