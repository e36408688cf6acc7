"""Quartiersmonitor: entry point (`streamlit run app.py`).

Builds the navigation; every page lives in pages/ and reads like a short script.
The tab title is the data folder's (meta.json ``title``).
"""

from pathlib import Path

import streamlit as st

from monitor.store import DataError
from monitor.ui import data, layout, presentation
from monitor.ui.bootstrap import APP_RUNNING
from monitor.ui.state import current_view, tr, write_url

ICON = str(Path(__file__).with_name("assets") / "favicon.png")

data.read_settings()  # once per run: every later data.settings() returns these
try:
    store = data.get_store()
    ctx = data.context(store)
    view = current_view(ctx)
except DataError as exc:
    st.set_page_config(page_title=tr("app.title"), page_icon=ICON, layout="wide")
    layout.data_error_page(str(exc))
    st.stop()
st.set_page_config(page_title=layout.app_title(store), page_icon=ICON, layout="wide")

page = st.navigation(layout.navigation(), position="sidebar", expanded=True)
sequences = data.sequences(store)
current_page = layout.page_id(page)
presentation.follow_sequence(view, sequences, ctx, current_page)
if current_page != "ablauf":
    st.session_state["_qm_last_page"] = current_page
layout.sidebar(store)
presentation.presentation_frame(current_view(ctx), sequences)
st.session_state[APP_RUNNING] = True
try:
    page.run()
finally:
    # also when a page ends early with st.stop(): the link must show the view
    st.session_state[APP_RUNNING] = False
    write_url()
    st.caption(tr("app.caveat"))
    layout.data_footer(store)
