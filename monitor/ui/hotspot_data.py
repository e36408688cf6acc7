"""Cached hotspot statistics for the Hotspots page (permutations over 12 years).

Every cached function reads only its arguments (a Store is hashed by its data
folder); the inputs come from the cached loaders of :mod:`monitor.ui.data`, so
suppressed values never enter. The city's own published counts (the area of the
level ``stadt``) are the smoothing target and the total the coverage rule
measures against. The statistics themselves live in
:mod:`monitor.methods.hotspots`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import geopandas as gpd
import pandas as pd
import streamlit as st

from monitor.methods import hotspots as hs
from monitor.store import Store
from monitor.ui import data
from monitor.views import deck, hotspot_view

__all__ = [
    "CITY_LEVEL",
    "ClassMap",
    "EmergingMap",
    "analysis_frame",
    "city_totals",
    "class_map",
    "emerging_map",
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


@dataclass(frozen=True, eq=False)
class ClassMap:
    """What the page shows of one result in the classes of ``class_col``: the
    deck's records, the areas per class, the list of significant areas and the
    table of the downloads. Shared by all sessions (a resource cache): callers
    only read it."""

    records: deck.RecordsJSON
    counts: Mapping[str, int]
    significant: pd.DataFrame
    table: pd.DataFrame


@dataclass(frozen=True, eq=False)
class EmergingMap:
    records: deck.RecordsJSON
    counts: Mapping[str, int]


def _names(store: Store) -> pd.Series:
    return data.areas(store).set_index("area_id").name


# Building a level's polygon records with their tooltips costs tens of
# milliseconds per run; the content depends only on these arguments.
@st.cache_resource(hash_funcs=_HASH, max_entries=32, show_spinner=False)
def class_map(
    store: Store,
    indicator_id: str,
    year: int,
    level: str,
    scheme: str,
    band: float | None,
    smooth: bool,
    fdr: bool,
    class_col: str,
    lang: str,
) -> ClassMap:
    """The map, counts and tables of :func:`hotspot_result` in ``class_col``."""
    result = hotspot_result(store, indicator_id, year, level, scheme, band, smooth, fdr)
    geo, names, ind = (
        data.geometries(store, level),
        _names(store),
        store.catalog[indicator_id],
    )
    records, counts = hotspot_view.records(
        geo, result, class_col, hotspot_view.CLASS_PALETTES[class_col], ind, lang, names
    )
    return ClassMap(
        deck.records_json(records),
        MappingProxyType(counts),
        hotspot_view.significant_table(result, class_col, names, ind, lang),
        hotspot_view.export_frame(result, geo.area_id, names, ind, lang),
    )


@st.cache_resource(hash_funcs=_HASH, max_entries=16, show_spinner=False)
def emerging_map(
    store: Store,
    indicator_id: str,
    years: tuple[int, ...],
    level: str,
    scheme: str,
    band: float | None,
    smooth: bool,
    fdr: bool,
    lang: str,
) -> EmergingMap:
    """The map of :func:`emerging_result`'s categories (a result that has them)."""
    emerging = emerging_result(
        store, indicator_id, years, level, scheme, band, smooth, fdr
    )
    records, counts = hotspot_view.emerging_records(
        data.geometries(store, level), emerging.categories, _names(store), lang
    )
    return EmergingMap(deck.records_json(records), MappingProxyType(counts))
