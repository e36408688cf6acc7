"""A browser's HTTP/1.1 GETs, lean enough that the load client does not steal the
server's cores: h11 (the protocol library under uvicorn) over asyncio streams.

httpx cost about 0.4 s of client CPU per opening of the start page (60 requests;
per-client TLS context, per-request machinery), on the same two cores as the
server; this costs a tenth of that. Like a browser: up to six keep-alive
connections per host, ``Accept-Encoding: gzip`` (bytes are counted as received on
the wire, the page itself is decoded), cookies kept by name (one loopback host).
"""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlsplit

import h11

__all__ = ["Response", "Browser"]

_CONNECTIONS = 6  # parallel HTTP/1.1 connections per host in browsers
_CHUNK = 1 << 16
_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) qm-load/1"


@dataclass
class Response:
    status: int
    wire_bytes: int  # body as received (compressed when the server compressed)
    body: bytes | None  # decoded, only when asked for


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.h11 = h11.Connection(h11.CLIENT)

    async def get(self, target: str, headers: list[tuple[str, str]], keep: bool):
        self.writer.write(
            self.h11.send(h11.Request(method="GET", target=target, headers=headers))
            + self.h11.send(h11.EndOfMessage())
        )
        response, size, parts = None, 0, []
        while True:
            event = self.h11.next_event()
            if event is h11.NEED_DATA:
                data = await self.reader.read(_CHUNK)
                self.h11.receive_data(data)  # b"" = closed; h11 raises if early
            elif isinstance(event, h11.Response):
                response = event
            elif isinstance(event, h11.Data):
                size += len(event.data)
                if keep:
                    parts.append(event.data)
            elif isinstance(event, h11.EndOfMessage):
                break
        reusable = self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE
        if reusable:
            self.h11.start_next_cycle()
        return response, size, b"".join(parts) if keep else None, reusable

    def close(self) -> None:
        self.writer.close()


class Browser:
    """The HTTP side of one browser profile: a small pool and a cookie jar."""

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.netloc = parts.netloc
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._idle: list[_Connection] = []
        self._slots = asyncio.Semaphore(_CONNECTIONS)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _headers(self) -> list[tuple[str, str]]:
        headers = [
            ("Host", self.netloc),
            ("User-Agent", _USER_AGENT),
            ("Accept-Encoding", "gzip"),
        ]
        if self.cookies:
            headers.append(("Cookie", self.cookie_header()))
        return headers

    def _keep_cookies(self, response: h11.Response) -> None:
        for name, value in response.headers:
            if name != b"set-cookie":
                continue
            try:
                jar = SimpleCookie(value.decode("latin-1"))
            except CookieError:
                continue
            self.cookies.update({k: m.value for k, m in jar.items()})

    async def get(self, path: str, body: bool = False) -> Response:
        """GET ``path``; an error unless the answer is 200."""
        async with self._slots, asyncio.timeout(self.timeout):
            conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = _Connection(*await asyncio.open_connection(self.host, self.port))
            try:
                response, size, raw, reusable = await conn.get(
                    path, self._headers(), keep=body
                )
            except BaseException:
                conn.close()
                raise
            if reusable:
                self._idle.append(conn)
            else:
                conn.close()
        self._keep_cookies(response)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code} for {path}")
        if (
            raw is not None
            and dict(response.headers).get(b"content-encoding") == b"gzip"
        ):
            raw = gzip.decompress(raw)
        return Response(response.status_code, size, raw)

    async def close(self) -> None:
        for conn in self._idle:
            conn.close()
        self._idle.clear()
