"""The profile of an area for the page "Profil", cached per area, year, language.

:func:`area_profile` assembles the profile from the cached loaders exactly as
tools/steckbriefe.py does from the store (:func:`monitor.views.profile.
assemble_profile`); the tables and figures built from it are cached beside it.
Cached functions read only their arguments.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from monitor.i18n import t
from monitor.store import Store
from monitor.ui import data, social_index_data
from monitor.views import profile_figures, profile_tables, social_index
from monitor.views.profile import Profile, assemble_profile
from monitor.views.shared_figure import shared

__all__ = ["area_profile", "area_tables", "area_figures"]


@st.cache_data(hash_funcs=data.STORE_HASH, max_entries=64, show_spinner=False)
def area_profile(store: Store, area_id: str, year: int, lang: str) -> Profile:
    """The profile of one area (page "Profil" and Steckbrief)."""

    def social(level: str, year: int, year_from: int):
        return social_index_data.index_result(store, level, year, year_from)

    years = data.years_by_indicator(store)
    return assemble_profile(
        area_id=area_id,
        year=int(year),
        lang=lang,
        catalog=store.catalog,
        meta=store.meta,
        place=store.place,
        areas=data.areas(store),
        area_values=lambda ids: data.area_values(store, tuple(ids)),
        benchmark_values=lambda ids: data.benchmark_values(store, tuple(ids)),
        level_panel=lambda level: data.level_panel(store, level),
        geometries=lambda level: data.geometries(store, level),
        index_years=social_index.index_years(
            social_index_data.index_spec(store), years
        ),
        social_index=social,
        measures=data.measures(store),
    )


@st.cache_data(hash_funcs=data.STORE_HASH, max_entries=64, show_spinner=False)
def area_tables(
    store: Store, area_id: str, year: int, lang: str
) -> tuple[pd.DataFrame, list[profile_tables.DomainTable]]:
    """(export frame, per-domain display tables) of a profile."""
    prof = area_profile(store, area_id, year, lang)
    export = profile_tables.profile_export(prof)
    return export, profile_tables.domain_tables(prof, export)


@st.cache_resource(hash_funcs=data.STORE_HASH, max_entries=64, show_spinner=False)
def area_figures(
    store: Store, area_id: str, year: int, lang: str, scale: float, footer: str
) -> tuple[go.Figure, go.Figure]:
    """(Stadt = 100 chart, locator map) of a profile.

    A resource, not data: plotly figures are read-only here and unpickling one
    re-validates every property (tens of milliseconds per copy).
    """
    prof = area_profile(store, area_id, year, lang)
    chart = profile_figures.city_index_figure(prof, footer=footer, scale=scale)
    locator = profile_figures.locator_figure(
        prof,
        height=330,
        footer=store.meta.attribution,
        focus_label=t("common.focus", lang),
    )
    return shared(chart), shared(locator)
