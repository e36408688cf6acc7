"""The science: pure computations on pandas/numpy/geopandas. No Streamlit, no I/O."""
