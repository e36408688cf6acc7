"""Browser test: the map page's image mode (a raster level drawn as one palette PNG
on a deck.gl BitmapLayer) in Debian's Chromium (Playwright).

The demo's raster level has 631 cells; ``QM_MAP_IMAGE_AREAS=100`` makes it take
the image path. Checked:

- the bitmap really loaded: the legend's class colours are painted on the canvas
  (not just background), nothing is outlined as selected yet;
- a cell is selected through the table under the map (map clicks do not select in
  image mode): the URL gets the cell's ``gebiet`` and keeps it, the side panel
  shows it and the deck outlines it, and the URL stays put (no rerun loop);
- that link, opened again in a new session (a reload), shows the same cell in the
  side panel and outlined on the map.

One page load and one reload for all of it (a load costs seconds here).

One server for the module (fixtures in tests/conftest.py). Run alone with
``pytest tests/test_image_map_browser.py``; skip with ``-m "not browser"``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from monitor.i18n import t
from monitor.store import Store
from tests.browser import (
    DECK,
    MAIN,
    canvas_painted,
    deck_image,
    expect_no_exception,
    open_page,
    pixels_near,
    query_of,
    reload_page,
    wait_for_pixels,
    wait_idle,
)

VIEWPORT = {"width": 1600, "height": 1000}
pytestmark = [
    pytest.mark.browser,
    pytest.mark.app_env(QM_MAP_IMAGE_AREAS="100", QM_BASEMAP="blank"),
    pytest.mark.browser_context_args(viewport=VIEWPORT, locale="de-DE"),
]
INDICATOR = "kinderarmut"
LINK = {"ebene": "raster", "indikator": INDICATOR}

BACKGROUND = (0xEE, 0xF0, 0xF2)  # deck.BLANK_STYLE's background
ALPHA = 215 / 255  # choropleth.FILL_ALPHA: the bitmap's palette alpha
SELECTED_RGB = (31, 95, 168)  # deck._outline_layers: the selected cell's outline
TOLERANCE = 10
MIN_PIXELS = 60  # a demo cell is about 24 x 24 px on the 1600 px wide page


# -- pixels of the deck -------------------------------------------------------------


def _distance(a: Sequence[int], b: Sequence[int]) -> int:
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def _blended(rgb: Sequence[int]) -> tuple[int, ...]:
    """A palette colour as the canvas shows it over the blank basemap."""
    return tuple(
        round(c * ALPHA + b * (1 - ALPHA)) for c, b in zip(rgb, BACKGROUND, strict=True)
    )


def _legend_entries(page: Page) -> list[tuple[tuple[int, int, int], str, int]]:
    """(rgb, label, number of areas) of every legend row with a colour swatch."""
    rows = page.locator(".qm-legend-row").evaluate_all(
        """rows => rows
          .filter(r => !r.querySelector('.qm-outline'))
          .map(r => [
            getComputedStyle(r.querySelector('.qm-swatch')).backgroundColor,
            r.querySelector('.qm-label').textContent,
            (r.querySelector('.qm-count') || {}).textContent || ''])"""
    )
    entries = []
    for css, label, count in rows:
        rgb = tuple(int(v) for v in re.findall(r"\d+", css)[:3])
        digits = re.sub(r"\D", "", count)
        entries.append((rgb, label, int(digits) if digits else 0))
    return entries


# -- the page -----------------------------------------------------------------------


def _open_karte(context: BrowserContext, app_server: str, **extra: str):
    page, console = open_page(context, app_server, "karte", {**LINK, **extra})
    expect_no_exception(page)
    main = page.locator(MAIN)
    # image mode: the note under the map (karte.image_note) says so
    expect(main).to_contain_text("als Bild gezeichnet")
    expect(page.locator(f"{DECK} canvas").first).to_be_attached()
    return page, console


def _side_panel(page: Page) -> Locator:
    heading = page.get_by_role("heading", name=t("karte.selected", "de"))
    return page.get_by_test_id("stColumn").filter(has=heading).last


def _top_cell(store: Store, year: int) -> tuple[set[str], dict[str, str]]:
    """Ids of the highest value on the raster level (ties all count) and the names
    of all raster cells."""
    values = store.level_values(INDICATOR, year, "raster")
    ok = values[values.status == "ok"]
    top = set(ok.area_id[ok.value == ok.value.max()])
    return top, dict(zip(values.area_id, values.name, strict=True))


def _click_first_row(page: Page) -> None:
    """Select the first row of the table under the map: a click on the row-marker
    checkbox (left column) of the glide data grid, which is drawn on a canvas."""
    frame = page.get_by_test_id("stDataFrame").first
    expect(frame).to_be_visible()
    header = frame.locator("canvas:not([data-testid])").first  # header overlay
    header_h = header.evaluate("c => c.getBoundingClientRect().height") or 38
    # the grid's scroller lies over its canvas and takes the pointer events
    scroller = frame.locator(".dvn-scroller").first
    scroller.scroll_into_view_if_needed()
    scroller.click(position={"x": 17, "y": header_h + 18})


def _expect_selected(page: Page, name: str, ind_name: str) -> None:
    side = _side_panel(page)
    expect(side).to_contain_text(name)
    metric = side.get_by_test_id("stMetric")
    expect(metric).to_have_count(1)
    expect(metric).to_contain_text(ind_name)
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(re.compile(r"\d"))
    expect(side).not_to_contain_text(t("karte.row_hint", "de"))


def _expect_outline(page: Page) -> None:
    counts = wait_for_pixels(page, {"selected": SELECTED_RGB}, MIN_PIXELS, TOLERANCE)
    assert counts["selected"] >= MIN_PIXELS, (
        f"no outline of the selected cell on the map: {counts}"
    )


def _expect_url_stable(page: Page, seconds: float = 3.0) -> None:
    """The URL's ``gebiet`` does not change any more (no rerun loop)."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        seen.append(query_of(page.url).get("gebiet", [""])[0])
        page.wait_for_timeout(200)
    assert len(set(seen)) == 1, f"gebiet keeps changing (rerun loop?): {seen}"
    wait_idle(page)


# -- tests --------------------------------------------------------------------------


def test_image_map_paints_classes_and_a_row_selects_a_cell_the_link_keeps(
    context: BrowserContext, app_server: str, demo_store: Store
):
    page, console = _open_karte(context, app_server)
    assert canvas_painted(page), "the map canvas shows only its background"

    entries = [e for e in _legend_entries(page) if e[2] > 0]
    assert len(entries) >= 3, f"legend: {entries}"
    wanted = {
        label: _blended(rgb)
        for rgb, label, _ in entries
        # the "missing" grey is nearly the background; it cannot be told apart
        if _distance(_blended(rgb), BACKGROUND) > 2 * TOLERANCE
    }
    counts = wait_for_pixels(page, wanted, MIN_PIXELS, TOLERANCE)
    missing = {label: n for label, n in counts.items() if n < MIN_PIXELS}
    assert not missing, (
        f"legend colours not painted (the bitmap did not load?): {missing}; "
        f"all counts: {counts}"
    )
    assert len(wanted) >= 3, f"fewer than 3 distinct class colours: {wanted}"
    # nothing is selected yet (the default area is no raster cell)
    assert pixels_near(deck_image(page), SELECTED_RGB, TOLERANCE) < MIN_PIXELS
    expect(_side_panel(page)).to_contain_text(t("karte.row_hint", "de"))

    # a row of the table under the map selects its cell (map clicks do not select
    # in image mode)
    year = int(query_of(page.url)["jahr"][0])
    top, names = _top_cell(demo_store, year)
    ind_name = demo_store.catalog[INDICATOR].text("name", "de")
    _click_first_row(page)
    expect(page).to_have_url(re.compile(r"[?&]gebiet=r250-E\d+-N\d+(&|$)"))
    _expect_url_stable(page)
    gebiet = query_of(page.url)["gebiet"][0]
    assert gebiet in top, f"first row is {gebiet}, the highest value is {top}"
    _expect_selected(page, names[gebiet], ind_name)
    _expect_outline(page)
    expect_no_exception(page)

    # the link with the cell as gebiet, opened again (a new session): the same
    # cell in the side panel and outlined, and the URL stays put
    reload_page(page)
    assert query_of(page.url)["gebiet"] == [gebiet], page.url
    _expect_selected(page, names[gebiet], ind_name)
    _expect_outline(page)
    _expect_url_stable(page)
    expect_no_exception(page)
    console.assert_clean()
