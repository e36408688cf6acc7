"""Cached hotspot statistics for the Hotspots page (permutations over 12 years).

Every cached function reads only its arguments (a Store is hashed by its data
folder); the inputs come from the cached loaders of :mod:`monitor.ui.data`, so
suppressed values never enter. The statistics themselves live in
:mod:`monitor.methods.hotspots`.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from monitor.methods import hotspots as hs
from monitor.store import Store
from monitor.ui import data

__all__ = ["analysis_frame", "emerging_result", "hotspot_result"]

_HASH = {Store: lambda store: str(store.data_dir)}


def analysis_frame(
    store: Store, indicator_id: str, year: int, level: str
) -> gpd.GeoDataFrame:
    """Geometry (EPSG:25832) with value, counts and status of one indicator/year."""
    geo = data.geometries(store, level)
    values = data.level_values(store, indicator_id, year, level)
    frame = geo.merge(
        values[["area_id", "value", "numerator", "denominator", "status"]],
        on="area_id",
        how="left",
    )
    return frame.to_crs(hs.PROJECTED_CRS)


@st.cache_data(hash_funcs=_HASH, max_entries=64, show_spinner=False)
def hotspot_result(
    store: Store,
    indicator_id: str,
    year: int,
    level: str,
    scheme: str,
    smooth: bool,
    fdr: bool,
) -> hs.HotspotResult:
    """Gi*, local and global Moran of one indicator, year and level."""
    frame = analysis_frame(store, indicator_id, year, level)
    is_rate = store.catalog[indicator_id].is_rate
    return hs.hotspot_analysis(
        frame,
        "value",
        numerator_col="numerator" if is_rate else None,
        denominator_col="denominator" if is_rate else None,
        scheme=scheme,
        smooth=smooth and is_rate,
        fdr=fdr,
    )


@st.cache_data(hash_funcs=_HASH, max_entries=16, show_spinner=False)
def emerging_result(
    store: Store,
    indicator_id: str,
    years: tuple[int, ...],
    level: str,
    scheme: str,
    smooth: bool,
    fdr: bool,
) -> hs.EmergingResult:
    """Emerging-hotspot categories of one indicator and level over ``years``."""
    ind = store.catalog[indicator_id]
    frames = {y: data.level_values(store, indicator_id, y, level) for y in years}
    return hs.emerging_analysis(
        data.geometries(store, level),
        frames,
        scheme=scheme,
        smooth=smooth,
        fdr=fdr,
        rate_scale=ind.factor if ind.is_rate else None,
    )
