"""Make every page run inside app.py's navigation, even on a direct first load.

Why (streamlit 1.67; runtime/pages_manager.py, runtime/scriptrunner/
script_runner.py, commands/navigation.py): the first ``PagesManager`` of the
process sets the class attribute ``PagesManager.uses_pages_directory`` to whether
a folder ``pages/`` exists beside the main script. While it is True, the script
runner does not execute app.py but ``_mpa_v1(app.py)``, an old-style navigation of
app.py and every ``pages/*.py`` that runs the page the URL names. ``st.navigation``
sets the attribute to False for the whole process. So until some run has reached
app.py's ``st.navigation`` (on a fresh server: the first request, and any session
started before it), a shared link such as ``/karte`` runs pages/karte.py alone: no
navigation, no layout, no view state.

Each page therefore starts with :func:`ensure_app` (through
``layout.start_page``): when app.py is not the caller, it runs app.py (which
calls ``st.navigation`` and then this page) and stops its own run.

Whether app.py is the caller is a context variable that app.py sets around
``page.run()`` (:func:`app_running`), not a key in session state: after
``st.stop()`` every write to session state raises the stop again (Streamlit
checks for stop requests on each access), so a flag reset in a ``finally`` stayed
set, and the next direct run of a page ran it without app.py, outside its error
boundary (found by tests/security/test_long_uptime.py).
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import streamlit as st

__all__ = ["app_running", "ensure_app"]

APP_PATH = Path(__file__).resolve().parent.parent.parent / "app.py"
_RUNNING: ContextVar[bool] = ContextVar("qm_app_running", default=False)


@contextmanager
def app_running() -> Iterator[None]:
    """The block runs inside app.py (its navigation and error boundary)."""
    token = _RUNNING.set(True)
    try:
        yield
    finally:
        _RUNNING.reset(token)


def ensure_app() -> None:
    if _RUNNING.get():
        return
    runpy.run_path(str(APP_PATH), run_name="__main__")
    st.stop()
