"""Quartiersmonitor: entry point (`streamlit run app.py`).

Builds the navigation; every page lives in pages/ and reads like a short script.
The tab title is the data folder's (meta.json ``title``).
"""

from pathlib import Path

import streamlit as st

from monitor.store import DataError
from monitor.ui import data, errors, layout, presentation
from monitor.ui.bootstrap import app_running
from monitor.ui.state import current_view, tr, write_url

ICON = str(Path(__file__).with_name("assets") / "favicon.png")

data.read_settings()  # once per run: every later data.settings() returns these
with errors.boundary("start", stop=True):
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
current_page = layout.page_id(page)
try:
    # every failure of the frame or the page becomes a German page with a
    # reference id (monitor/ui/errors.py), never Streamlit's exception box
    with errors.boundary(current_page):
        sequences = data.sequences(store)
        presentation.follow_sequence(view, sequences, ctx, current_page)
        if current_page != "ablauf":
            st.session_state["_qm_last_page"] = current_page
        layout.sidebar(store)
        presentation.presentation_frame(current_view(ctx), sequences)
        with app_running():
            page.run()
finally:
    # after st.stop() (a page that ends early) any Streamlit call raises the stop
    # again: page_header has written the link before anything can stop
    write_url()
    st.caption(tr("app.caveat"))
    layout.data_footer(store)
