"""A single person's page in headless Chromium: time until it is shown, against
the trivial app (bench/load/trivial_app.py) in the same run.

"Shown" is the issue's definition: from ``page.goto`` until the app is connected,
its first content is visible (the page title; the trivial app's select box) and
the script is idle (``data-test-script-state='notRunning'``). Each load is a new
browser context (a cold browser cache, as a workshop participant's phone), on a
server warmed by one load of each link; the links take turns, so a slower moment
of the machine touches all of them alike.
"""

from __future__ import annotations

import statistics
import time

from playwright.sync_api import sync_playwright

from bench.browser import (
    APP_READY,
    CONNECTED,
    chromium_version,
    launch_app,
    launch_browser,
    stop_app,
    wait_app,
)
from bench.report import Section, fmt_s, table

__all__ = ["LINKS", "measure", "run"]

VIEWPORT = {"width": 1600, "height": 1000}
TRIVIAL = ("bench/load/trivial_app.py", "", "[data-testid='stSelectbox']")
LINKS = ("", "karte", "massnahmen")  # the pages; "" is the start page
TITLE = "[data-testid='stMain'] h1"


def _shown(browser, url: str, first_content: str) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector(CONNECTED, state="attached", timeout=120_000)
        page.locator(first_content).first.wait_for(state="visible", timeout=120_000)
        page.wait_for_selector(APP_READY, state="attached", timeout=120_000)
        seconds = time.perf_counter() - start
        if page.locator("[data-testid='stException']").count():
            raise RuntimeError(f"{url} shows an exception")
        return seconds
    finally:
        context.close()


def measure(reps: int = 5) -> dict[str, list[float]]:
    """Seconds to shown per link ("trivial" and "/<page>"), ``reps`` loads each."""
    times: dict[str, list[float]] = {}
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        trivial, trivial_url = launch_app(app=TRIVIAL[0])
        app, app_url = launch_app()
        try:
            wait_app(trivial, trivial_url)
            wait_app(app, app_url)
            targets = {"trivial": (trivial_url, TRIVIAL[2])} | {
                f"/{link}": (f"{app_url}/{link}", TITLE) for link in LINKS
            }
            for url, first in targets.values():  # warm: caches, st.navigation
                _shown(browser, url, first)
            for _ in range(reps):
                for name, (url, first) in targets.items():
                    times.setdefault(name, []).append(_shown(browser, url, first))
        finally:
            stop_app(trivial)
            stop_app(app)
            browser.close()
    return times


def run(quick: bool = False) -> Section:
    reps = 2 if quick else 5
    times = measure(reps)
    floor = statistics.median(times["trivial"])
    rows = []
    for name, values in times.items():
        p50 = statistics.median(values)
        ratio = "1.0×" if name == "trivial" else f"{p50 / floor:.1f}×"
        target = "" if name == "trivial" else ("met" if p50 <= 2 * floor else "not met")
        rows.append([name, fmt_s(p50), fmt_s(max(values)), ratio, target])
    markdown = (
        f"Command: `.venv/bin/python -m bench.run --only shown` ({reps} loads per "
        f"link, a new browser context each; {chromium_version()}, viewport "
        "1600×1000; QM_BASEMAP=blank). Shown = connected, first content visible, "
        "script idle. Target: ≤ 2× the trivial app.\n\n"
        + table(["link", "p50", "max", "vs. trivial", "≤ 2×"], rows)
    )
    return Section(
        "shown", "A single person's page in Chromium", markdown, {"times": times}
    )
