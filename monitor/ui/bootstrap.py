"""Make every page run inside app.py's navigation, even on a direct first load.

Streamlit treats a ``pages/`` folder next to the main script as a multipage app of
the old kind (MPA v1) until the main script has called ``st.navigation`` once in
the process. A shared link such as ``/karte`` opened as the first request of a fresh
server would therefore run pages/karte.py alone: no navigation, no layout, no view
state. Each page calls :func:`ensure_app` first; when app.py is not the caller, the
page runs app.py instead (which calls ``st.navigation`` and then this page) and
stops its own run.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

__all__ = ["ensure_app", "APP_RUNNING"]

APP_RUNNING = "_qm_app_running"
APP_PATH = Path(__file__).resolve().parent.parent.parent / "app.py"


def ensure_app() -> None:
    if st.session_state.get(APP_RUNNING):
        return
    runpy.run_path(str(APP_PATH), run_name="__main__")
    st.stop()
