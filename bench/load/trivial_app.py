"""The floor of the stack: a Streamlit app with one select box and one line of text.

The load benchmark runs it with the same client, flags and config as the
Quartiersmonitor; what it costs per session is what Streamlit itself costs.
"""

import streamlit as st

choice = st.selectbox("Indikator", ["Kinderarmut", "SGB-II-Quote", "Arbeitslosigkeit"])
st.write(f"Gewählt: {choice}")
