"""Streamlit helpers shared by the pages (the only package below app.py that imports
streamlit): cached loaders, view state bound to the URL, layout and widgets."""
