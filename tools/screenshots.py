"""Screenshots of every page in Chromium (``make screenshots``) into docs/screenshots.

Two sizes per page: 1600x1000 (desk) and 1920x1080 (projector). The viewport is made
tall enough for the whole page, because Streamlit scrolls inside its own container.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from monitor.viewstate import PAGES  # noqa: E402
from tests.browser import (  # noqa: E402
    DECK,
    MAIN,
    canvas_painted,
    wait_idle,
    wait_loaded,
)
from tools.serve import CHROMIUM, CHROMIUM_ARGS, ROOT, served_app  # noqa: E402

SIZES = {"1600x1000": (1600, 1000), "1920x1080": (1920, 1080)}
EXTRA_VIEWS = {
    # name -> (page id, query): views a page shows only from a link
    "zusammenhang-auswahl": (
        "zusammenhang",
        "?indikator=kinderarmut&indikator2=arbeitslosenanteil&ebene=quartier"
        "&auswahl=innenstadt-scheib,innenstadt-oberstadt,innenstadt-unterstadt",
    ),
    "karte-einrichtungen": (
        "karte",
        "?einrichtungen=alle&ebene=stadtteil&gebiet=innenstadt",
    ),
}
PRESENTATION_SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}
PRESENTATION_VIEWS = {
    "uebersicht": "?praesentation=1&ablauf=denkwerkstatt-kinderarmut&schritt=1",
    "karte": "?praesentation=1&ablauf=denkwerkstatt-kinderarmut&schritt=2",
    "hotspots": "?praesentation=1&ablauf=denkwerkstatt-kinderarmut&schritt=5",
    "sozialindex": "?praesentation=1&ablauf=denkwerkstatt-kinderarmut&schritt=6",
}


def wait_ready(page) -> None:
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000
    )
    page.wait_for_timeout(400)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000
    )


def wait_drawn(page) -> None:
    """Until the figures are drawn, not grey placeholders: the script is idle,
    every plotly chart has its ``.main-svg`` and the deck canvas shows content
    (tests/browser.py's wait_loaded and canvas_painted)."""
    wait_loaded(page)
    charts = page.locator("[data-testid='stPlotlyChart']")
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(
            state="attached", timeout=60000
        )
    if page.locator(DECK).count():
        canvas_painted(page, timeout_ms=30000)
        page.locator(MAIN).evaluate("main => main.scrollTo(0, 0)")
    wait_idle(page)
    page.wait_for_timeout(500)


def _views(pages: list[str], query: str) -> list[tuple[str, str, str]]:
    """(file name, url path, query) of every page asked for and the extra views
    (an extra view is taken with its page or when named)."""
    views = [(p.id, p.url_path, query) for p in PAGES if not pages or p.id in pages]
    for name, (page_id, extra) in EXTRA_VIEWS.items():
        if not pages or name in pages or page_id in pages:
            path = next(p.url_path for p in PAGES if p.id == page_id)
            views.append((name, path, extra))
    return views


def take(out: Path, pages: list[str], query: str = "") -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with served_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, (w, h) in SIZES.items():
            for name, path_part, view_query in _views(pages, query):
                ctx = browser.new_context(viewport={"width": w, "height": h})
                page = ctx.new_page()
                page.goto(f"{url}/{path_part}{view_query}")
                wait_ready(page)
                if page.locator("[data-testid='stDeckGlJsonChart']").count():
                    page.wait_for_selector(
                        "[data-testid='stDeckGlJsonChart'] canvas", timeout=30000
                    )
                    page.wait_for_timeout(1500)
                full = page.evaluate(
                    "() => document.querySelector('[data-testid=\"stMain\"]')"
                    "?.scrollHeight || 0"
                )
                page.set_viewport_size({"width": w, "height": max(h, int(full) + 40)})
                page.wait_for_timeout(600)
                path = out / f"{name}-{size}.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
                ctx.close()
        browser.close()
    return written


def take_presentation(out: Path) -> list[Path]:
    """Presentation mode as the projector shows it: one screen, no scrolling."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with served_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, (w, h) in PRESENTATION_SIZES.items():
            for page_id, query in PRESENTATION_VIEWS.items():
                spec = next(p for p in PAGES if p.id == page_id)
                ctx = browser.new_context(viewport={"width": w, "height": h})
                page = ctx.new_page()
                page.goto(f"{url}/{spec.url_path}{query}")
                wait_drawn(page)
                path = out / f"praesentation-{page_id}-{size}.png"
                page.screenshot(path=str(path))
                written.append(path)
                ctx.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--page", action="append", default=[])
    parser.add_argument("--query", default="")
    parser.add_argument(
        "--presentation",
        action="store_true",
        help="only the presentation-mode screenshots",
    )
    args = parser.parse_args()
    paths = [] if args.presentation else take(Path(args.out), args.page, args.query)
    if args.presentation or not args.page:
        paths += take_presentation(Path(args.out))
    for path in paths:
        print(path)


if __name__ == "__main__":
    main()
