"""Helpers for the real-browser tests (Playwright driving Debian's Chromium).

Conventions follow Streamlit's own e2e suite (``e2e_playwright/conftest.py`` and
``shared/app_utils.py`` in streamlit/streamlit): find elements by ``data-testid``;
after loading and after every interaction wait until the app is connected and its
script has finished (:func:`wait_idle`, :func:`wait_loaded`); small assertion
helpers such as :func:`expect_no_exception`. The fixtures live in
``tests/conftest.py``; nothing here downloads a browser.
"""

from __future__ import annotations

import asyncio
import io
import json
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from tools.serve import free_port, served_app, wait_healthy

__all__ = [
    "warm",
    "warm_server",
    "oidc_provider",
    "write_login_secrets",
    "APP",
    "APP_CONNECTED",
    "APP_IDLE",
    "ALLOWED_CONSOLE_ERRORS",
    "ConsoleCollector",
    "ConsoleEntry",
    "DECK",
    "MAIN",
    "canvas_painted",
    "deck_image",
    "pixels_near",
    "wait_for_pixels",
    "reload_page",
    "nav_links",
    "nav_paths",
    "nav_link",
    "switch_page",
    "expect_no_exception",
    "serious_axe_violations",
    "open_page",
    "page_url",
    "query_of",
    "wait_idle",
    "wait_loaded",
]

TIMEOUT_MS = 30_000
AXE = (
    Path(__file__).resolve().parent.parent
    / "tools/a11y/node_modules/axe-core/axe.min.js"
)
SETTLE_MS = 150

APP = "[data-testid='stApp']"
APP_CONNECTED = f"{APP}[data-test-connection-state='CONNECTED']"
APP_IDLE = f"{APP}[data-test-script-state='notRunning']"
MAIN = "[data-testid='stMain']"
DECK = "[data-testid='stDeckGlJsonChart']"

# Console messages that are known and harmless: a sub-page opened
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


def wait_idle(
    page: Page, settle_ms: int = SETTLE_MS, timeout_ms: int = TIMEOUT_MS
) -> None:
    """Wait until the app is connected and its script is not running.

    Call after loading and after every interaction; the short settle lets a rerun
    that was just requested switch the script state before it is read again.
    """
    page.wait_for_selector(APP_CONNECTED, state="attached", timeout=timeout_ms)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    page.wait_for_selector(APP_IDLE, state="attached", timeout=timeout_ms)


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


def reload_page(page: Page) -> None:
    """Reload the page (the same URL) and wait until it is loaded."""
    page.reload(wait_until="domcontentloaded")
    wait_loaded(page)


def nav_links(page: Page):
    """The sidebar's navigation links."""
    return page.get_by_test_id("stSidebarNav").get_by_test_id("stSidebarNavLink")


def nav_paths(page: Page) -> list[str]:
    """The paths of the sidebar's links, without slashes ("" is the start page)."""
    return nav_links(page).evaluate_all(
        "els => els.map(e => new URL(e.href).pathname.replace(/^\\/|\\/$/g, ''))"
    )


def nav_link(page: Page, url_path: str):
    """The one sidebar link to ``url_path``."""
    paths = nav_paths(page)
    matches = [i for i, path in enumerate(paths) if path == url_path]
    assert len(matches) == 1, f"no single nav link to /{url_path}: {paths}"
    return nav_links(page).nth(matches[0])


def switch_page(page: Page, url_path: str) -> None:
    """Go to another page as a user does, through the sidebar (the app stays
    loaded: a page switch, not a new page load), and wait until it is shown."""
    nav_link(page, url_path).click()
    path = re.escape("/" + url_path)
    expect(page).to_have_url(re.compile(rf"^[^?]*{path}(\?|$)"))
    page.locator(f"{MAIN} h1, [data-testid='stException']").first.wait_for(
        state="visible", timeout=TIMEOUT_MS
    )
    wait_idle(page)


def expect_no_exception(page: Page) -> None:
    """No Streamlit exception box and no alert that shows a Python traceback."""
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("alert").filter(has_text="Traceback")).to_have_count(0)


def serious_axe_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now
    (axe from the npm registry, tools/a11y; `make test` installs it)."""
    if not AXE.exists():
        raise AssertionError(f"axe-core missing at {AXE}: run `make test` (npm ci)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(
                          n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}))"""
    )


# -- pixels of the deck (WebGL canvases cannot be read back from script, so these
# screenshot the chart element; deck.gl paints asynchronously after the script run)


def deck_image(page: Page) -> Image.Image:
    """A screenshot of the (first) pydeck chart as an RGB image."""
    chart = page.locator(DECK).first
    chart.locator("canvas").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    chart.scroll_into_view_if_needed()
    png = chart.screenshot(animations="disabled")
    return Image.open(io.BytesIO(png)).convert("RGB")


def _distance(a: Sequence[int], b: Sequence[int]) -> int:
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def _differing_share(image: Image.Image, tolerance: int = 8) -> float:
    """Share of pixels that differ from the image's most common colour."""
    colors = image.getcolors(maxcolors=image.width * image.height)
    total = image.width * image.height
    if not colors:
        return 0.0
    background = max(colors)[1]
    differing = sum(
        count for count, rgb in colors if _distance(rgb, background) > tolerance
    )
    return differing / total


def pixels_near(image: Image.Image, rgb: Sequence[int], tolerance: int) -> int:
    """How many pixels of ``image`` lie within ``tolerance`` of ``rgb``."""
    colors = image.getcolors(maxcolors=image.width * image.height) or []
    return sum(n for n, c in colors if _distance(c, rgb) <= tolerance)


def canvas_painted(
    page: Page, min_share: float = 0.05, timeout_ms: int = 15_000
) -> bool:
    """Whether the pydeck chart's canvas shows drawn content, not just background:
    the share of pixels differing from the most common colour (the background)
    reaches ``min_share`` within ``timeout_ms``."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        if _differing_share(deck_image(page)) >= min_share:
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(250)


def wait_for_pixels(
    page: Page,
    wanted: Mapping[str, Sequence[int]],
    min_pixels: int,
    tolerance: int,
    timeout_ms: int = 15_000,
) -> dict[str, int]:
    """Pixel counts on the deck per wanted colour once each has ``min_pixels``,
    or the last counts at the timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        image = deck_image(page)
        counts = {
            name: pixels_near(image, rgb, tolerance) for name, rgb in wanted.items()
        }
        if all(n >= min_pixels for n in counts.values()):
            return counts
        if time.monotonic() > deadline:
            return counts
        page.wait_for_timeout(250)


# -- servers ------------------------------------------------------------------------


def warm(url: str) -> None:
    """One session on the start page through the load benchmark's websocket client
    (bench/load/client.py): it fills the caches and runs app.py (st.navigation)
    once, as a browser visit would, without drawing the page. In a thread of its
    own: pytest-playwright's sync API keeps an event loop in this one."""
    from bench.load.driver import probe

    with ThreadPoolExecutor(max_workers=1) as pool:
        action = pool.submit(asyncio.run, probe(url)).result()
    if action.error or action.exceptions:
        raise RuntimeError(
            f"warm-up of {url} failed: {action.error or action.exception_texts}"
        )


@contextmanager
def warm_server(env: Mapping[str, str] | None = None) -> Iterator[str]:
    """A served app warmed by one session on the start page (:func:`warm`), so no
    test depends on which runs first."""
    with served_app(dict(env)) if env else served_app() as url:
        warm(url)
        yield url


@contextmanager
def oidc_provider() -> Iterator[str]:
    """oidc-provider-mock on a free loopback port; yields its issuer URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(issuer + "/.well-known/openid-configuration", proc, timeout=30)
        yield issuer
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def register_user(issuer: str, email: str, **claims) -> None:
    """Give the provider's user ``email`` its claims (oidc-provider-mock's
    ``PUT /users/<sub>``): the e-mail, verified unless ``claims`` say otherwise."""
    body = {"email": email, "email_verified": True} | claims
    request = urllib.request.Request(
        f"{issuer}/users/{email}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        if response.status != 204:
            raise RuntimeError(f"{issuer} did not take the user {email}")


def write_login_secrets(path: Path, issuer: str, editors: Sequence[str]) -> None:
    """A secrets.toml with an [auth] table for ``issuer`` and the editors' role."""
    quoted = ", ".join(f'"{e}"' for e in editors)
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(24)}"\n'
        'client_id = "quartiersmonitor-test"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        "\n[roles]\n"
        f"editors = [{quoted}]\n",
        encoding="utf-8",
    )
