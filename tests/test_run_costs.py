"""What a script run must not pay for: every workshop arrival pays it in turn on
one interpreter (docs/ARCHITECTURE.md, "What a script run does, every session
pays")."""

from __future__ import annotations

from tests.conftest import streamlit_option


def test_the_served_app_skips_the_full_garbage_collection_after_each_run():
    """``streamlit run`` collects all generations after every script run unless
    ``runner.postScriptGC`` is off; with the app's heap that was ~150 ms of CPU
    per run, more than the start page's script (docs/PERFORMANCE.md, "Workshop
    load"). AppTest's runner never collects, so only the option, read as
    ``streamlit run`` reads .streamlit/config.toml, decides it."""
    assert streamlit_option("runner.postScriptGC") is False
