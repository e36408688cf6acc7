"""Cached hotspot statistics for the Hotspots page (permutations over 12 years).

Every cached function reads only its arguments (a Store is hashed by its data
folder); the inputs come from the cached loaders of :mod:`monitor.ui.data`, so
suppressed values never enter. The city's own published counts (the area of the
level ``stadt``) are the smoothing target and the total the coverage rule
measures against. The statistics themselves live in
:mod:`monitor.methods.hotspots`.
"""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from monitor.methods import hotspots as hs
from monitor.store import Store
from monitor.ui import data

__all__ = [
    "CITY_LEVEL",
    "analysis_frame",
    "city_totals",
    "emerging_result",
    "hotspot_result",
    "weight_options",
]

CITY_LEVEL = "stadt"
"""The level whose single area is the whole city (found by level, never by id)."""

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


def city_totals(store: Store, indicator_id: str, year: int) -> hs.CityTotals | None:
    """The city's published counts of one indicator-year (None: not published)."""
    return hs.city_totals(data.level_values(store, indicator_id, year, CITY_LEVEL))


@st.cache_data(hash_funcs=_HASH, max_entries=8, show_spinner=False)
def weight_options(store: Store, level: str) -> dict[str, float | None]:
    """Weight schemes offered on ``level`` with their band (grids: one band)."""
    return hs.weight_options(data.geometries(store, level))


def _reference(city: hs.CityTotals | None, is_rate: bool) -> float:
    """The coverage total: the city's base, NaN when the city is not published."""
    return float("nan") if city is None else city.base(is_rate)


@st.cache_data(hash_funcs=_HASH, max_entries=64, show_spinner=False)
def hotspot_result(
    store: Store,
    indicator_id: str,
    year: int,
    level: str,
    scheme: str,
    band: float | None,
    smooth: bool,
    fdr: bool,
) -> hs.HotspotResult:
    """Gi*, local and global Moran of one indicator, year and level."""
    frame = analysis_frame(store, indicator_id, year, level)
    is_rate = store.catalog[indicator_id].is_rate
    city = city_totals(store, indicator_id, year)
    prior = city.rate if city is not None and is_rate else None
    return hs.hotspot_analysis(
        frame,
        "value",
        numerator_col="numerator" if is_rate else None,
        denominator_col="denominator" if is_rate else None,
        scheme=scheme,
        band=band,
        smooth=smooth and is_rate,
        fdr=fdr,
        permutations=None,
        prior_rate=prior if prior is not None and prior > 0 else None,
        reference_total=_reference(city, is_rate),
    )


@st.cache_data(hash_funcs=_HASH, max_entries=16, show_spinner=False)
def emerging_result(
    store: Store,
    indicator_id: str,
    years: tuple[int, ...],
    level: str,
    scheme: str,
    band: float | None,
    smooth: bool,
    fdr: bool,
) -> hs.EmergingResult:
    """Emerging-hotspot categories of one indicator and level over ``years``."""
    ind = store.catalog[indicator_id]
    frames = {y: data.level_values(store, indicator_id, y, level) for y in years}
    city = {y: city_totals(store, indicator_id, y) for y in years}
    priors = {
        y: c.rate if c is not None and ind.is_rate and c.rate > 0 else None
        for y, c in city.items()
    }
    return hs.emerging_analysis(
        data.geometries(store, level),
        frames,
        scheme=scheme,
        band=band,
        smooth=smooth and ind.is_rate,
        fdr=fdr,
        rate_scale=ind.factor if ind.is_rate else None,
        prior_rates=priors if any(v is not None for v in priors.values()) else None,
        reference_totals={y: _reference(c, ind.is_rate) for y, c in city.items()},
    )
