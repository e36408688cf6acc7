"""Cached parts of the page "Entwicklung": one panel per indicator's time series
and the ranked change between two years.

Building the plotly figures was most of the page's warm run (one figure per
chosen indicator, about 25 ms each through plotly's validated layout;
docs/PERFORMANCE.md). What a panel shows depends only on the served data version
(``Store.cache_key``), the indicator, the chosen areas, the scale (values or
index), the language and the chart scale, so it is built once per such key and
process: ``st.cache_resource`` hands out the same objects to every session; the
page only reads them (the figure is a ``SharedFigure``, whose dict st.plotly_chart
takes without a copy; the downloads concatenate new frames). Both caches are
bounded.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from monitor.i18n import t
from monitor.store import Store
from monitor.ui import data
from monitor.ui.data import STORE_HASH
from monitor.views import comparison, exports, trends
from monitor.views.shared_figure import shared

__all__ = [
    "SeriesPanel",
    "ChangePanel",
    "series_colors",
    "series_panel",
    "series_png",
    "change_panel",
]

_ENTRIES = 128


class SeriesPanel(NamedTuple):
    """One indicator's lines: the figure on screen, the lines (for the shared
    legend and the PNG), the table to download, the breaks (year, text) and the
    labels of series left out of an index (no base value)."""

    figure: go.Figure
    series: pd.DataFrame
    export: pd.DataFrame
    events: tuple[tuple[int, str], ...]
    dropped: tuple[str, ...]
    index_base: int | None


class ChangePanel(NamedTuple):
    """The ranked change of one indicator between two years on one level."""

    figure: go.Figure
    export: pd.DataFrame


def _names(store: Store) -> pd.Series:
    return data.areas(store).set_index("area_id").name.astype(str)


def _footer(store: Store, indicator_id: str, lang: str) -> str:
    meta = store.meta
    provenance = exports.provenance_text(meta.is_demo, meta.data_date, lang)
    source = store.catalog[indicator_id].text("source", lang)
    return f"{t('common.source', lang)}: {source} · {provenance}"


def series_colors(store: Store, area_ids: tuple[str, ...]) -> dict[str, str]:
    """The chosen areas' line colours (the page's legend and every chart)."""
    return comparison.series_colors(area_ids, store.place.focus_ids)


def _lines(store: Store, indicator_id: str, area_ids: tuple[str, ...], lang: str):
    city = store.place.city_id
    return trends.trend_series(
        values=data.area_values(store, (*area_ids, *([city] if city else []))),
        bench=data.benchmark_values(store, (indicator_id,)),
        indicator_id=indicator_id,
        area_ids=area_ids,
        names=_names(store),
        city=city,
        lang=lang,
        benchmarks=store.place.benchmarks,
    )


@st.cache_resource(max_entries=_ENTRIES, show_spinner=False, hash_funcs=STORE_HASH)
def series_panel(
    store: Store,
    indicator_id: str,
    area_ids: tuple[str, ...],
    index: bool,
    lang: str,
    scale: float,
    footer_chars: int,
) -> SeriesPanel:
    """Lines of the chosen areas, the city and the benchmarks
    (:func:`monitor.views.trends.trend_figure`); with ``index`` each series as an
    index of the indicator's first year (= 100)."""
    ind = store.catalog[indicator_id]
    years = list(data.years_by_indicator(store).get(indicator_id, ()))
    series = _lines(store, indicator_id, area_ids, lang)
    base = years[0] if index and years else None
    dropped: list[str] = []
    if base is not None:
        series, dropped = trends.indexed(series, base)
    events = trends.break_events(ind, years, lang)
    fig = trends.trend_figure(
        series,
        ind,
        lang=lang,
        colors=series_colors(store, area_ids),
        events=events,
        index_base=base,
        footer=_footer(store, indicator_id, lang),
        footer_chars=footer_chars,
        scale=scale,
    )
    export = trends.series_export(series, ind, lang, index_base=base)
    return SeriesPanel(shared(fig), series, export, tuple(events), tuple(dropped), base)


def series_png(
    store: Store,
    indicator_id: str,
    area_ids: tuple[str, ...],
    panel: SeriesPanel,
    lang: str,
) -> bytes:
    """The panel as a self-contained PNG (legend right of the plot); built only
    when the download is clicked."""
    fig = trends.trend_figure(
        panel.series,
        store.catalog[indicator_id],
        lang=lang,
        colors=series_colors(store, area_ids),
        events=panel.events,
        index_base=panel.index_base,
        footer=_footer(store, indicator_id, lang),
        legend=True,
    )
    return exports.figure_png(fig, width=1200)


@st.cache_resource(max_entries=_ENTRIES, show_spinner=False, hash_funcs=STORE_HASH)
def change_panel(
    store: Store,
    indicator_id: str,
    year_from: int,
    year: int,
    level: str,
    area_ids: tuple[str, ...],
    lang: str,
    scale: float,
) -> ChangePanel:
    """Change per area of ``level`` between two years, ranked, with the city and
    chosen areas of other levels appended (:func:`monitor.views.trends.
    ranked_changes`, :func:`~monitor.views.trends.change_figure`)."""
    ind = store.catalog[indicator_id]
    city = store.place.city_id
    names = _names(store)
    values = data.area_values(store, (*area_ids, *([city] if city else [])))
    now = data.level_values(store, indicator_id, year, level)
    before = data.level_values(store, indicator_id, year_from, level)
    level_ids = set(now.area_id)
    extra_ids = [a for a in area_ids if a not in level_ids] + ([city] if city else [])
    table = trends.ranked_changes(
        now,
        before,
        extra_now=trends.area_rows(values, indicator_id, year, extra_ids, names),
        extra_before=trends.area_rows(
            values, indicator_id, year_from, extra_ids, names
        ),
        highlight=area_ids,
        city=city,
    )
    fig = trends.change_figure(
        table,
        ind,
        lang=lang,
        year_from=year_from,
        year=year,
        colors=series_colors(store, area_ids),
        level_label=t(f"levels.{level}", lang),
        footer=_footer(store, indicator_id, lang),
        scale=scale,
    )
    export = trends.change_export(table, ind, lang, year_from=year_from, year=year)
    return ChangePanel(shared(fig), export)
