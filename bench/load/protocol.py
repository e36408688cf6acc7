"""Streamlit's websocket protocol as the browser speaks it, with streamlit's protobufs.

The browser (frontend ``App.sendRerunBackMsg`` and ``WebsocketConnection`` in
streamlit 1.67's bundle) opens ``/_stcore/stream`` with the subprotocols
``["streamlit", <xsrf cookie or placeholder>]``, then sends one ``BackMsg`` with
``rerun_script`` (query string, page name or page script hash, the hashes of the
messages it has cached, the context info). The server answers with ``ForwardMsg``
frames until ``script_finished``. Messages marked ``metadata.cacheable`` are kept by
the browser (``ForwardMessageCache``) and the server sends a ``ref_hash`` instead when
the hash was listed; entries expire after ``max_cached_message_age`` script runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

__all__ = [
    "SUBPROTOCOL",
    "PLACEHOLDER_TOKEN",
    "FINISHED",
    "MessageCache",
    "RunTally",
    "rerun_message",
    "parse_forward",
]

SUBPROTOCOL = "streamlit"
PLACEHOLDER_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the browser sends without a token
FINISHED = ForwardMsg.FINISHED_SUCCESSFULLY
_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR


def rerun_message(
    query_string: str,
    *,
    page_name: str = "",
    page_script_hash: str = "",
    cached_hashes: list[str] | tuple[str, ...] = (),
    url: str = "",
) -> bytes:
    """A serialized ``BackMsg.rerun_script`` like the browser's.

    The first run of a session names the page by ``page_name`` (the URL path, the
    browser does not know the page hashes yet); a later navigation names it by
    ``page_script_hash`` from the ``navigation`` message.
    """
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query_string
    state.page_name = page_name
    state.page_script_hash = page_script_hash
    state.cached_message_hashes.extend(cached_hashes)
    info = state.context_info
    info.timezone = "Europe/Berlin"
    info.timezone_offset = -60
    info.locale = "de-DE"
    info.url = url
    info.is_embedded = False
    info.color_scheme = "light"
    return msg.SerializeToString()


def parse_forward(data: bytes) -> ForwardMsg:
    msg = ForwardMsg()
    msg.ParseFromString(data)
    return msg


class MessageCache:
    """The browser's ForwardMessageCache, by hash and age in script runs only."""

    def __init__(self) -> None:
        self._born: dict[str, int] = {}
        self._runs = 0
        self.max_age = 2  # replaced by new_session.config.max_cached_message_age

    def hashes(self) -> list[str]:
        return list(self._born)

    def remember(self, msg: ForwardMsg) -> None:
        if msg.metadata.cacheable and msg.hash and msg.hash not in self._born:
            self._born[msg.hash] = self._runs

    def knows(self, ref_hash: str) -> bool:
        if ref_hash in self._born:
            self._born[ref_hash] = self._runs  # a hit refreshes the age, as in JS
            return True
        return False

    def run_finished(self) -> None:
        self._runs += 1
        runs, age = self._runs, self.max_age
        self._born = {h: born for h, born in self._born.items() if runs - born <= age}


@dataclass
class RunTally:
    """What one script run sent: counts, bytes and how it ended."""

    messages: int = 0
    bytes: int = 0
    deltas: int = 0
    exceptions: int = 0
    error_alerts: int = 0
    cache_hits: int = 0
    first_delta_at: float | None = None
    finished: bool = False  # the run the user waits for is over
    error: str | None = None
    exception_texts: list[str] = field(default_factory=list)

    def add(self, msg: ForwardMsg, size: int, now: float, cache: MessageCache) -> None:
        """Count ``msg``; set ``finished`` when the run is over."""
        self.messages += 1
        self.bytes += size
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            self.cache_hits += 1
            if not cache.knows(msg.ref_hash):
                self.error = f"cache miss for ref_hash {msg.ref_hash}"
            return
        cache.remember(msg)
        if kind == "new_session":
            cache.max_age = msg.new_session.config.max_cached_message_age or 2
        elif kind == "delta":
            self._add_delta(msg, now)
        elif kind == "page_not_found":
            self.error = f"page not found: {msg.page_not_found.page_name!r}"
        elif kind == "script_finished":
            self._finish(msg.script_finished, cache)

    def _add_delta(self, msg: ForwardMsg, now: float) -> None:
        self.deltas += 1
        if self.first_delta_at is None:
            self.first_delta_at = now
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.exceptions += 1
            text = f"{element.exception.type}: {element.exception.message}"
            self.exception_texts.append(text[:300])
        elif kind == "alert" and element.alert.format == Alert.ERROR:
            self.error_alerts += 1

    def _finish(self, status: int, cache: MessageCache) -> None:
        # FINISHED_EARLY_FOR_RERUN: st.rerun follows; a fragment run ends no page
        if status == FINISHED:
            cache.run_finished()
            self.finished = True
        elif status == _COMPILE_ERROR:
            self.error = "script compile error"
            self.finished = True
