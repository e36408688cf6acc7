"""Helpers for the real-browser tests (Playwright driving Debian's Chromium).

Conventions follow Streamlit's own e2e suite (DESIGN.md §9): find elements by
``data-testid``; after loading and after every interaction wait until the app is
connected and its script has finished; small assertion helpers such as
:func:`expect_no_exception`. Nothing here downloads a browser: Chromium is launched
from ``tools/serve.py``'s ``CHROMIUM`` with its ``CHROMIUM_ARGS``.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tools.serve import CHROMIUM, CHROMIUM_ARGS, served_app

__all__ = [
    "chromium",
    "warm_server",
    "APP",
    "APP_CONNECTED",
    "APP_IDLE",
    "ALLOWED_CONSOLE_ERRORS",
    "ConsoleCollector",
    "ConsoleEntry",
    "DECK",
    "MAIN",
    "canvas_painted",
    "expect_no_exception",
    "open_page",
    "page_url",
    "query_of",
    "wait_idle",
    "wait_loaded",
]

TIMEOUT_MS = 30_000
SETTLE_MS = 150

APP = "[data-testid='stApp']"
APP_CONNECTED = f"{APP}[data-test-connection-state='CONNECTED']"
APP_IDLE = f"{APP}[data-test-script-state='notRunning']"
MAIN = "[data-testid='stMain']"
DECK = "[data-testid='stDeckGlJsonChart']"

# Console messages that are known and harmless (DESIGN.md §8): a sub-page opened
# directly asks for /<page>/_stcore/health and /<page>/_stcore/host-config first and
# gets 404 before Streamlit falls back to the root. SwiftShader's WebGL driver
# messages are warnings; they are listed in case a Chromium build logs them as errors.
ALLOWED_CONSOLE_ERRORS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"^Failed to load resource: the server responded with a status of 404.*"
        r" @ https?://[^/]+/[^?#]+/_stcore/(health|host-config)$"
    ),
    re.compile(r"GL Driver Message"),
)


@dataclass(frozen=True)
class ConsoleEntry:
    kind: str  # console message type ("error", ...) or "pageerror"
    text: str
    url: str = ""

    def __str__(self) -> str:
        return f"[{self.kind}] {self.text}" + (f" @ {self.url}" if self.url else "")


@dataclass
class ConsoleCollector:
    """Records console errors, uncaught page errors and dialogs of one page.

    ``unexpected`` is what is left after the allow-list; :meth:`assert_clean` fails
    on it and on any dialog (``alert()``, ``confirm()``, ...), which is dismissed.
    """

    allowed: tuple[re.Pattern[str], ...] = ALLOWED_CONSOLE_ERRORS
    entries: list[ConsoleEntry] = field(default_factory=list)
    warnings: list[ConsoleEntry] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> ConsoleCollector:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("dialog", self._on_dialog)
        return self

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, msg) -> None:
        url = (msg.location or {}).get("url", "")
        entry = ConsoleEntry(msg.type, msg.text, url)
        if msg.type == "error":
            self.entries.append(entry)
        elif msg.type == "warning":
            self.warnings.append(entry)

    def _on_pageerror(self, error) -> None:
        self.entries.append(ConsoleEntry("pageerror", str(error)))

    def is_allowed(self, entry: ConsoleEntry) -> bool:
        line = f"{entry.text} @ {entry.url}" if entry.url else entry.text
        return any(p.search(line) for p in self.allowed)

    @property
    def unexpected(self) -> list[ConsoleEntry]:
        return [e for e in self.entries if not self.is_allowed(e)]

    def assert_clean(self) -> None:
        assert not self.dialogs, f"a dialog fired: {self.dialogs}"
        bad = self.unexpected
        assert not bad, "unexpected console errors:\n" + "\n".join(map(str, bad))


def page_url(
    base_url: str,
    path: str = "",
    query: Mapping[str, str | Iterable[str]] | str | None = None,
) -> str:
    """``base_url/path?query``; a mapping value may be a list (a repeated key)."""
    url = base_url.rstrip("/") + "/" + path.strip("/")
    if query:
        qs = query if isinstance(query, str) else urlencode(query, doseq=True)
        url += "?" + qs.lstrip("?")
    return url


def query_of(url: str) -> dict[str, list[str]]:
    """The query string of ``url`` as key -> all values."""
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def wait_idle(page: Page, settle_ms: int = SETTLE_MS) -> None:
    """Wait until the app is connected and its script is not running.

    Call after loading and after every interaction; the short settle lets a rerun
    that was just requested switch the script state before it is read again.
    """
    page.wait_for_selector(APP_CONNECTED, state="attached", timeout=TIMEOUT_MS)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=TIMEOUT_MS)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=TIMEOUT_MS)


def wait_loaded(page: Page) -> None:
    """After a navigation: the first script run rendered and finished.

    The script state is not ``running`` before the first run starts, so first wait
    for content in the main area (every page and the data error page start with a
    title; an exception box ends the wait too, so the test fails on it, not on a
    timeout).
    """
    page.wait_for_selector(APP_CONNECTED, state="attached", timeout=TIMEOUT_MS)
    first_content = f"{MAIN} h1, [data-testid='stException']"
    page.locator(first_content).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    wait_idle(page)


def open_page(
    context: BrowserContext,
    base_url: str,
    path: str = "",
    query: Mapping[str, str | Iterable[str]] | str | None = None,
) -> tuple[Page, ConsoleCollector]:
    """A new page at ``base_url/path?query``, loaded and idle, and its console.

    The collector is attached before navigation, so it sees every message.
    """
    page = context.new_page()
    console = ConsoleCollector().attach(page)
    page.goto(page_url(base_url, path, query), wait_until="domcontentloaded")
    wait_loaded(page)
    return page, console


def expect_no_exception(page: Page) -> None:
    """No Streamlit exception box and no alert that shows a Python traceback."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("alert").filter(has_text="Traceback")).to_have_count(0)


def _differing_share(png: bytes, tolerance: int = 8) -> float:
    """Share of pixels that differ from the image's most common colour."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colors = image.getcolors(maxcolors=image.width * image.height)
    total = image.width * image.height
    if not colors:
        return 0.0
    background = max(colors)[1]
    differing = sum(
        count
        for count, rgb in colors
        if max(abs(a - b) for a, b in zip(rgb, background, strict=True)) > tolerance
    )
    return differing / total


def canvas_painted(
    page: Page, min_share: float = 0.05, timeout_ms: int = 15_000
) -> bool:
    """Whether the pydeck chart's canvas shows drawn content, not just background.

    WebGL canvases cannot be read back from script (no preserved drawing buffer), so
    this screenshots the chart element and counts pixels differing from the most
    common colour (the background). Deck.gl paints asynchronously after the script
    finished; the check is repeated until ``timeout_ms``.
    """
    chart = page.locator(DECK).first
    chart.locator("canvas").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    chart.scroll_into_view_if_needed()
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        share = _differing_share(chart.screenshot(animations="disabled"))
        if share >= min_share:
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(250)


@contextmanager
def chromium(timeout_ms: int = 20_000) -> Iterator[Browser]:
    """Debian's Chromium through Playwright (skips the module when it is missing).
    Assertions wait ``timeout_ms``: a script run may take seconds on a busy
    2-core machine."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    expect.set_options(timeout=timeout_ms)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def warm_server(
    browser: Browser, env: Mapping[str, str] | None = None, viewport=None
) -> Iterator[str]:
    """A served app warmed by one visit of the start page: it fills the caches and
    runs app.py (st.navigation) once, so no test depends on which runs first."""
    with served_app(env) if env else served_app() as url:
        context = (
            browser.new_context(viewport=viewport)
            if viewport
            else (browser.new_context())
        )
        open_page(context, url)
        context.close()
        yield url
