"""One simulated participant: a browser tab driving a real Streamlit session.

Opening a link does what the browser does (frontend 1.67): GET the page, GET the
JavaScript and CSS that index.html names (a cold browser cache, as in a workshop;
``assets=False`` leaves them out), GET ``/_stcore/health`` and
``/_stcore/host-config``, open the websocket ``/_stcore/stream`` with the cookies of
those responses, send ``rerun_script`` with the link's query string and page name and
wait for ``script_finished``. A view change sends ``rerun_script`` with the page's
script hash (from the ``navigation`` message) and the new query string, as a page
link does. Only loopback addresses are accepted.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import re
import socket
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

from bench.load.httpclient import Browser
from bench.load.protocol import (
    PLACEHOLDER_TOKEN,
    SUBPROTOCOL,
    MessageCache,
    RunTally,
    parse_forward,
    rerun_message,
)

__all__ = ["Action", "Participant", "require_loopback", "split_link"]

XSRF_COOKIE = "_streamlit_xsrf"
REPLICA_COOKIE = "qm_replica"
_ASSET = re.compile(r'(?:src|href)="\./(static/[^"]+\.(?:js|css))"')


def require_loopback(url: str) -> None:
    """A ``ValueError`` unless every address of the URL's host is loopback."""
    host = urlsplit(url).hostname
    if not host:
        raise ValueError(f"no host in {url!r}")
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError as exc:
        raise ValueError(f"cannot resolve {host!r}: {exc}") from exc
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    if not addresses or not all(a.is_loopback for a in addresses):
        raise ValueError(
            f"load tests run against this machine only; {host!r} is "
            f"{sorted(map(str, addresses))}, not loopback"
        )


def split_link(link: str) -> tuple[str, str]:
    """``"/karte?ebene=quartier"`` -> ``("karte", "ebene=quartier")``."""
    parts = urlsplit(link)
    return parts.path.strip("/"), parts.query


@dataclass
class Action:
    """One wait of a participant: opening the link or one view change."""

    participant: int
    kind: str  # "open" or "view"
    link: str
    started: float  # seconds since the scenario started
    seconds: float | None = None  # until script_finished; None when it failed
    http_seconds: float | None = None  # page, assets, health, host-config
    first_delta_seconds: float | None = None
    ws_bytes: int = 0
    http_bytes: int = 0
    messages: int = 0
    exceptions: int = 0
    error_alerts: int = 0
    cache_hits: int = 0
    error: str | None = None
    replica: str | None = None
    exception_texts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class Participant:
    """A browser tab; ``open`` first, then ``view`` any number of times, ``close``."""

    def __init__(
        self,
        base_url: str,
        index: int,
        *,
        clock_zero: float,
        timeout: float = 120.0,
        assets: bool = True,
    ) -> None:
        require_loopback(base_url)
        if urlsplit(base_url).scheme != "http":
            raise ValueError(f"plain http on loopback only, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.index = index
        self.clock_zero = clock_zero
        self.timeout = timeout
        self.assets = assets
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.single_page = False
        self._cache = MessageCache()
        self._ws: ClientConnection | None = None
        self._http = Browser(self.base_url, timeout=timeout)

    def _action(self, kind: str, link: str) -> Action:
        started = time.perf_counter() - self.clock_zero
        return Action(self.index, kind, link, started)

    async def open(self, link: str) -> Action:
        action = self._action("open", link)
        start = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                action.http_bytes = await self._load_page(link)
                action.http_seconds = time.perf_counter() - start
                await self._connect()
                action.replica = self._http.cookies.get(REPLICA_COOKIE) or "direct"
                path, query = split_link(link)
                await self._run(
                    action,
                    start,
                    query,
                    page_name=path,
                    url=self.base_url + link,
                )
        except Exception as exc:  # noqa: BLE001 - every failure is a counted error
            action.error = action.error or _describe(exc)
            await self._drop()
        return action

    async def view(self, link: str) -> Action:
        action = self._action("view", link)
        start = time.perf_counter()
        path, query = split_link(link)
        page_hash = self.pages.get("" if self.single_page else path)
        if self._ws is None:
            action.error = "not connected"
        elif page_hash is None:
            action.error = f"no page {path!r} in the app's navigation"
        else:
            try:
                async with asyncio.timeout(self.timeout):
                    await self._run(
                        action,
                        start,
                        query,
                        page_script_hash=page_hash,
                        url=self.base_url + link,
                    )
            except Exception as exc:  # noqa: BLE001
                action.error = action.error or _describe(exc)
                await self._drop()
        return action

    async def close(self) -> None:
        await self._drop()
        await self._http.close()

    async def _drop(self) -> None:
        """Close the websocket: after a failed wait the session's state is unknown,
        so the tab's later view changes count as errors too."""
        if self._ws is not None:
            ws, self._ws = self._ws, None
            with contextlib.suppress(Exception):
                await ws.close()

    async def _load_page(self, link: str) -> int:
        get = self._http.get
        page = await get(link, body=True)
        received = page.wire_bytes
        if self.assets:
            html = page.body.decode("utf-8", "replace")
            names = dict.fromkeys(_ASSET.findall(html))  # keep order, no repeats
            received += await _all(get("/" + n) for n in names)
        return received + await _all(
            [get("/_stcore/health"), get("/_stcore/host-config")]
        )

    async def _connect(self) -> None:
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        cookies = self._http.cookie_header()
        token = self._http.cookies.get(XSRF_COOKIE) or PLACEHOLDER_TOKEN
        self._ws = await connect(
            f"{scheme}://{parts.netloc}/_stcore/stream",
            subprotocols=[SUBPROTOCOL, token],
            origin=Origin(f"{parts.scheme}://{parts.netloc}"),
            additional_headers={"Cookie": cookies} if cookies else None,
            max_size=None,
            ping_interval=None,  # browsers do not ping; the server's pings are answered
        )

    async def _run(self, action: Action, start: float, query: str, **page) -> None:
        """Send one rerun_script and read until the run the user waits for ends."""
        tally = RunTally()
        await self._ws.send(
            rerun_message(query, cached_hashes=self._cache.hashes(), **page)
        )
        while not tally.finished:
            data = await self._ws.recv(decode=False)
            msg = parse_forward(data)
            tally.add(msg, len(data), time.perf_counter() - start, self._cache)
            self._learn_pages(msg)
        action.seconds = time.perf_counter() - start
        action.first_delta_seconds = tally.first_delta_at
        action.ws_bytes = tally.bytes
        action.messages = tally.messages
        action.exceptions = tally.exceptions
        action.error_alerts = tally.error_alerts
        action.cache_hits = tally.cache_hits
        action.exception_texts = tally.exception_texts
        if tally.error:
            action.error = tally.error
            action.seconds = None

    def _learn_pages(self, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "navigation":
            pages = msg.navigation.app_pages
        elif kind == "new_session" and not self.pages:
            pages = msg.new_session.app_pages
        else:
            return
        self.pages = {p.url_pathname: p.page_script_hash for p in pages}
        self.single_page = len(self.pages) == 1


async def _all(requests) -> int:
    """Wire bytes of parallel GETs; the first failure after all have ended."""
    results = await asyncio.gather(*requests, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return sum(r.wire_bytes for r in results)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    return f"{type(exc).__name__}: {exc}"[:300]
