"""Cold start: from ``streamlit run app.py`` to health and to the first page done.

Per repetition a new server process is launched (Chromium is already running and
warmed up once, so its own start is not counted): (a) until /_stcore/health answers,
(b) until the start page's script has finished in headless Chromium (connected, the
title written, ``data-test-script-state='notRunning'``), and (c) until deck.gl has
attached its canvas (the map's JavaScript runs after the script has finished). Then a
second browser session opens the same page on the now warm server (modules imported,
caches filled) for comparison.
"""

from __future__ import annotations

import time

from playwright.sync_api import sync_playwright

from bench.browser import (
    chromium_version,
    launch_app,
    launch_browser,
    load_milestones,
    server_memory_mb,
    stop_app,
    wait_app,
)
from bench.report import Section, summarize, table

__all__ = ["run", "measure"]

VIEWPORT = {"width": 1600, "height": 1000}


def _load(browser, url: str) -> dict[str, float]:
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        return load_milestones(ctx.new_page(), url, deck=True)
    finally:
        ctx.close()


def measure(reps: int = 3) -> dict:
    cold: list[dict] = []
    warm: list[dict] = []
    rss = []
    with sync_playwright() as pw:
        browser = launch_browser(pw)
        try:
            # one throw-away load so Chromium's own first-use costs are not counted
            proc, url = launch_app()
            try:
                wait_app(proc, url)
                _load(browser, url)
            finally:
                stop_app(proc)
            for _ in range(reps):
                start = time.perf_counter()
                proc, url = launch_app()
                try:
                    wait_app(proc, url)
                    health = time.perf_counter() - start
                    marks = _load(browser, url)
                    cold.append(
                        {"health": health} | {k: health + v for k, v in marks.items()}
                    )
                    warm.append(_load(browser, url))
                    rss.append(server_memory_mb(proc.pid).get("VmHWM", float("nan")))
                finally:
                    stop_app(proc)
        finally:
            browser.close()
    return {"cold": cold, "warm": warm, "server_peak_rss_mb": rss}


def run(quick: bool = False) -> Section:
    reps = 1 if quick else 3
    data = measure(reps)
    labels = {
        "health": "(a) /_stcore/health answers",
        "document loaded": "HTML and JS of the page loaded (goto returned)",
        "connected": "websocket connected",
        "script done": "(b) start page script done (notRunning)",
        "map canvas attached": "(c) deck.gl canvas attached",
    }
    rows = []
    for key, label in labels.items():
        cold = summarize([c[key] for c in data["cold"] if key in c])
        warm = summarize([w[key] for w in data["warm"] if key in w])
        rows.append(
            [label, *cold.row()[:3], *(warm.row()[:3] if warm.n else ["–"] * 3)]
        )
    rss = summarize(data["server_peak_rss_mb"])
    md = "\n\n".join(
        [
            "Command: `.venv/bin/python -m bench.run --only startup"
            + (" --quick" if quick else "")
            + "` "
            f"({reps} repetition(s); server: `streamlit run app.py --server.headless "
            "true --server.fileWatcherType none`, QM_BASEMAP=blank; "
            f"browser: {chromium_version()}, viewport 1600×1000, launched before "
            "the server and warmed up once). Cold: seconds from launching the "
            "server process; warm: a second browser session on the same server, "
            "seconds from `page.goto`.",
            table(
                [
                    "milestone",
                    "cold p50",
                    "cold p95",
                    "cold max",
                    "warm p50",
                    "warm p95",
                    "warm max",
                ],
                rows,
            ),
            f"n = {reps} each. Server peak RSS (VmHWM) after the two sessions: "
            f"p50 {rss.p50:,.0f} MiB, max {rss.max:,.0f} MiB.",
        ]
    )
    return Section("startup", "Cold start", md, data)
