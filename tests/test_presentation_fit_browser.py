"""Browser test: in presentation mode every step of every shipped workshop sequence
shows its main figure (title, map or chart, legend) on the first screen, and axe-core
finds no serious or critical violation on it.

The room sees the figure, not the controls: at 1920x1080 (projector) and 1280x720
(small projector, laptop mirrored) the title of the figure, the figure itself and
its legend lie inside the viewport without scrolling (docs/ARCHITECTURE.md,
"Presentation layout"). The main figure is the part a page wraps in
``layout.main_figure`` (``.st-key-qm_figure``).

One server and one browser context for the module. Each sequence is opened at its
first step from a link and stepped through as a facilitator does, with the arrow
key (the step bar's shortcut for "Weiter"); each step is checked at both sizes (the
page is resized, the layout follows in the browser). Run alone with
``pytest tests/test_presentation_fit_browser.py -m browser``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from monitor.sequences import load_sequences
from monitor.viewstate import PAGES
from tests.browser import (
    DECK,
    MAIN,
    expect_no_exception,
    open_page,
    query_of,
    serious_axe_violations,
    wait_idle,
)
from tests.conftest import DEMO_DIR

pytestmark = [pytest.mark.browser(timeout_ms=40_000)]

VIEWPORTS = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}
FIGURE = ".st-key-qm_figure"
SEQUENCES, _ = load_sequences([(DEMO_DIR / "ablaeufe", "data")], {p.id for p in PAGES})


@pytest.fixture(scope="module")
def viewport_context(browser: Browser) -> BrowserContext:
    """One context for all sequences; each step's page is resized to every
    viewport, so a sequence costs one page load."""
    width, height = next(iter(VIEWPORTS.values()))
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="de-DE"
    )
    yield context
    context.close()


def _settled(page: Page, width: int, height: int) -> None:
    """The page at ``width`` x ``height``, laid out again: plotly and deck.gl
    follow a resize in the browser (no script rerun)."""
    if page.viewport_size != {"width": width, "height": height}:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(600)  # plotly's resize handler is debounced
    wait_idle(page)


def _assert_fits(page: Page, label: str, width: int, height: int) -> None:
    page.locator(FIGURE).first.wait_for(state="visible")
    for name, part in _parts(page).items():
        box = _box(part)
        top, bottom = box["y"], box["y"] + box["height"]
        print(f"{label} {width}x{height} {name}: {top:.0f}-{bottom:.0f}")
        where = f"{label} at {width}x{height}: {name}"
        assert top >= 0, f"{where} starts above the screen ({top:.0f} px)"
        assert bottom <= height, (
            f"{where} ends below the first screen: {bottom:.0f} > {height} px"
        )
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, where
    # the Demodaten label is still on the first screen
    demo = page.locator(MAIN).get_by_text("Demodaten").first
    assert _box(demo)["y"] + _box(demo)["height"] <= height, f"{label} {width}"


def _box(locator: Locator) -> dict:
    locator.wait_for(state="visible")
    box = locator.bounding_box()
    assert box is not None
    return box


def _parts(page: Page) -> dict[str, Locator]:
    """The parts of the main figure that must be seen: its title, the map or
    chart, its legend (the map's HTML legend; a chart's legend is inside it)."""
    figure = page.locator(FIGURE).first
    parts = {"title": figure.locator("h1, h2, h3, h4").first}
    # the map or chart may arrive after the script run (the frontend draws it)
    figure.locator(f"{DECK}, .js-plotly-plot").first.wait_for(state="attached")
    if figure.locator(DECK).count():
        parts["figure"] = figure.locator(DECK).first
    else:
        parts["figure"] = figure.locator(".js-plotly-plot .main-svg").first
    if figure.locator(".qm-legend").count():
        parts["legend"] = figure.locator(".qm-legend").first
    return parts


def _sizes_from(page: Page) -> list[tuple[int, int]]:
    """Both viewports, the current one first (a resize less per step)."""
    sizes = list(VIEWPORTS.values())
    current = (page.viewport_size or {}).get("width")
    return sorted(sizes, key=lambda size: size[0] != current)


@pytest.mark.parametrize("sequence", list(SEQUENCES), ids=str)
def test_every_step_fits_the_first_screen(
    viewport_context: BrowserContext, app_server: str, sequence: str
):
    steps = SEQUENCES[sequence].steps
    first = next(p for p in PAGES if p.id == steps[0].page)
    query = {"praesentation": "1", "ablauf": sequence, "schritt": "1"}
    page, console = open_page(viewport_context, app_server, first.url_path, query)
    try:
        for n, step in enumerate(steps, start=1):
            wait_idle(page)
            spec = next(p for p in PAGES if p.id == step.page)
            assert urlsplit(page.url).path.strip("/") == spec.url_path, (n, page.url)
            assert query_of(page.url)["schritt"] == [str(n)], page.url
            expect_no_exception(page)
            for width, height in _sizes_from(page):
                _settled(page, width, height)
                _assert_fits(page, f"{sequence} {n}", width, height)
            assert serious_axe_violations(page) == [], f"{sequence} {n}"
            if n < len(steps):
                page.keyboard.press("ArrowRight")  # the step bar's "Weiter"
                expect(page).to_have_url(re.compile(rf"schritt={n + 1}(&|$)"))
        console.assert_clean()
    finally:
        page.close()
