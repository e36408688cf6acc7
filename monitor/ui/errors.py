"""What a visitor sees when something fails: a German page with a reference id.

A public dashboard must never hand a traceback to the browser (OWASP "Improper
Error Handling"; Streamlit's own box is English and, with ``showErrorDetails =
"none"``, says nothing useful). :func:`boundary` wraps the run of a page: a
:class:`~monitor.store.DataError` (a file that cannot be read) becomes a German
message naming the file, anything else a German error page with an 8-character
reference id. The traceback goes to the server log under the same id, so an
administrator finds it from the number a user reports.

Streamlit's own control flow (``st.stop``, ``st.rerun``, page switches) raises
``ScriptControlException``, a ``BaseException``: it passes through unchanged.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import streamlit as st
from streamlit.logger import get_logger

from monitor.formatting import plain
from monitor.i18n import t
from monitor.store import DataError
from monitor.ui.state import lang, tr

__all__ = ["LOG", "boundary", "guarded_bytes", "reference_id"]

LOG = get_logger("monitor.errors")


def reference_id() -> str:
    """8 hex characters: short enough to read out on the phone, random enough
    (32 bits) not to repeat in a server's log."""
    return secrets.token_hex(4)


def _unexpected(where: str) -> str:
    ref = reference_id()
    LOG.error("unexpected error [%s] on page %s", ref, where, exc_info=True)
    return ref


@contextmanager
def boundary(where: str, *, stop: bool = False) -> Iterator[None]:
    """Run the block; show a German message with a reference id if it fails.

    ``stop``: end the run after the message (for the start of app.py, after which
    nothing can be shown)."""
    try:
        yield
    except DataError as exc:
        ref = reference_id()
        LOG.warning("data error [%s] on page %s: %s", ref, where, exc, exc_info=True)
        st.error(
            tr("errors.data_failed", message=plain(str(exc)), ref=ref),
            icon=":material/error:",
        )
        if stop:
            st.stop()
    except Exception:  # noqa: BLE001 - the boundary of the page: nothing escapes
        ref = _unexpected(where)
        st.subheader(tr("errors.unexpected_title"))
        st.error(tr("errors.unexpected", ref=ref), icon=":material/error:")
        if stop:
            st.stop()


def guarded_bytes(make: Callable[[], bytes], where: str) -> Callable[[], bytes]:
    """A download's builder that logs a failure with a reference id and raises a
    German message instead of the original error (Streamlit shows the message of
    a failed deferred download to the user). It runs outside the script run, so
    the language is taken now."""
    language = lang()

    def build() -> bytes:
        try:
            return make()
        except Exception as exc:  # noqa: BLE001 - shown to the user
            ref = _unexpected(where)
            message = t("errors.download_failed", language, ref=ref)
            raise RuntimeError(message) from exc

    return build
