"""Cached analyses for the pages: the Sozialindex and the area profiles.

The inputs come from the store through the cached loaders, so suppressed values
never enter. (The hotspot statistics are in :mod:`monitor.ui.hotspot_data`.)
"""

from __future__ import annotations

import streamlit as st

from monitor.i18n import t
from monitor.methods.sozialindex import CORE_INDICATORS, compute_sozialindex
from monitor.store import Store
from monitor.ui import data
from monitor.views import profile as profile_view
from monitor.views import social_index

__all__ = [
    "sozialindex_inputs",
    "sozialindex_result",
    "area_profile",
    "profile_tables",
    "profile_figures",
]

_HASH = {Store: lambda store: str(store.data_dir)}


@st.cache_data(hash_funcs=_HASH, max_entries=32, show_spinner=False)
def sozialindex_inputs(store: Store, level: str, year: int, year_from: int):
    """Wide frames (area x core indicator) for the Sozialindex and the population:
    shares in ``year`` and in ``year_from`` (suppressed values are NaN)."""
    now = {i: data.level_values(store, i, year, level) for i in CORE_INDICATORS}
    before = {i: data.level_values(store, i, year_from, level) for i in CORE_INDICATORS}
    population = data.level_values(store, "einwohner", year, level)
    return social_index.index_inputs(now, before, population)


@st.cache_data(hash_funcs=_HASH, max_entries=32, show_spinner=False)
def sozialindex_result(
    store: Store,
    level: str,
    year: int,
    year_from: int,
    weights: tuple[tuple[str, float], ...] | None = None,
):
    """The Sozialindex of one level and span (equal weights unless given).

    Raises ValueError (from the method) when it cannot be computed, e.g. when the
    data folder lacks a core indicator or too few areas remain.
    """
    status, earlier, pop = sozialindex_inputs(store, level, year, year_from)
    return compute_sozialindex(
        status, earlier, pop, weights=dict(weights) if weights else None
    )


@st.cache_data(hash_funcs=_HASH, max_entries=64, show_spinner=False)
def area_profile(store: Store, area_id: str, year: int, lang: str):
    """The profile of one area (page "Profil" and Steckbrief) from the cached
    loaders; see monitor.views.profile.assemble_profile."""

    def social(level: str, year: int, year_from: int):
        return sozialindex_result(store, level, year, year_from)

    return profile_view.assemble_profile(
        area_id=area_id,
        year=int(year),
        lang=lang,
        catalog=store.catalog,
        meta=store.meta,
        areas=data.areas(store),
        area_values=lambda ids: data.area_values(store, tuple(ids)),
        benchmark_values=lambda ids: data.benchmark_values(store, tuple(ids)),
        level_panel=lambda level: data.level_panel(store, level),
        geometries=lambda level: data.geometries(store, level),
        index_years=data.context(store).indicator_years.get("kinderarmut", ()),
        sozialindex=social,
        measures=data.measures(store),
    )


@st.cache_data(hash_funcs=_HASH, max_entries=64, show_spinner=False)
def profile_tables(store: Store, area_id: str, year: int, lang: str):
    """(export frame, per-domain display tables) of a profile."""
    prof = area_profile(store, area_id, year, lang)
    export = profile_view.profile_export(prof)
    return export, profile_view.domain_tables(prof, export)


@st.cache_resource(hash_funcs=_HASH, max_entries=64, show_spinner=False)
def profile_figures(
    store: Store, area_id: str, year: int, lang: str, scale: float, footer: str
):
    """(Stadt = 100 chart, locator map) of a profile.

    A resource, not data: plotly figures are read-only here and unpickling one
    re-validates every property (tens of milliseconds per copy).
    """
    prof = area_profile(store, area_id, year, lang)
    chart = profile_view.city_index_figure(prof, footer=footer, scale=scale)
    locator = profile_view.locator_figure(
        prof,
        height=330,
        footer=store.meta.attribution,
        focus_label=t("common.focus", lang),
    )
    return chart, locator
