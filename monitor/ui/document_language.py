"""The document language follows the UI language (WCAG 2.2, success criterion 3.1.1).

Streamlit serves its index.html as ``<html lang="en">`` and has no setting for it, so
a screen reader would read the German interface with English pronunciation rules. A
one-line script sets ``document.documentElement.lang`` to the chosen language. It
sits in a keyed container whose layout wrapper its own style hides, so it takes no
space and no gap; call it last in a container (the sidebar), so that nothing below
it can move in the moment before its style applies (no layout shift). Its text
changes with the language, so Streamlit renders it anew and the script runs again
when the user switches.
"""

from __future__ import annotations

import json

import streamlit as st

__all__ = ["LANGUAGES", "document_language"]

LANGUAGES = ("de", "en")
KEY = "qm_document_language"


def document_language(lang: str) -> None:
    """Set ``<html lang>`` of the page to ``lang`` ("de" or "en")."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    with st.container(key=KEY):
        st.html(
            f"<style>div:has(> .st-key-{KEY}) {{ display: none; }}</style>"
            f"<script>document.documentElement.lang = {json.dumps(lang)};</script>",
            unsafe_allow_javascript=True,
        )
