"""Cached spatial statistics for the pages (expensive: permutations, 12 years).

Results are cached per (indicator, year, level, weights, smoothing, FDR); the inputs
come from the store through the cached loaders, so suppressed values never enter.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from monitor.methods import hotspots as hs
from monitor.store import Store
from monitor.ui import data

__all__ = [
    "hotspot_result",
    "emerging_result",
    "analysis_frame",
]

_HASH = data.STORE_HASH


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
    store: Store, indicator_id: str, level: str, scheme: str, smooth: bool, fdr: bool
):
    """Gi* per year over all years and the emerging-hotspot categories.

    Only areas with a published value in every year take part (a suppressed year
    would otherwise be imputed silently); the others are returned as excluded.
    """
    years = data.context(store).indicator_years[indicator_id]
    is_rate = store.catalog[indicator_id].is_rate
    series = {}
    for year in years:
        values = data.level_values(store, indicator_id, year, level).set_index(
            "area_id"
        )
        if smooth and is_rate:
            ok = values.status == "ok"
            smoothed = pd.Series(float("nan"), index=values.index)
            smoothed[ok] = (
                hs.empirical_bayes_rates(
                    values.numerator[ok].to_numpy(), values.denominator[ok].to_numpy()
                )
                * store.catalog[indicator_id].factor
            )
            series[year] = smoothed
        else:
            series[year] = values.value.where(values.status == "ok")
    panel = pd.DataFrame(series)
    complete = panel.dropna()
    excluded = panel.index.difference(complete.index)
    geo = data.geometries(store, level).set_index("area_id").loc[complete.index]
    geo = geo.reset_index().to_crs(hs.PROJECTED_CRS)
    if len(complete) < hs.MIN_UNITS or len(years) < 4:
        return None, None, None, list(excluded)
    w, info = hs.weights_for(geo, scheme)
    z, p = hs.gstar_panel(complete.loc[list(w.id_order)], w)
    categories = hs.emerging_hotspots(z, p, fdr=fdr)
    return categories, z, p, list(excluded)
