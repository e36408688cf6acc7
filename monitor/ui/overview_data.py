"""Cached parts of the start page: key figures, comparison bars, trend lines.

The start page is the one every workshop arrival opens, and building its plotly
figures was most of its script run (about 60 ms per figure through plotly's
validated ``update_layout``; docs/PERFORMANCE.md). What it shows depends only on
the served data version (``Store.cache_key``), the subject, the year, the language
and the chart scale, so the figures are built once per such key and process and
reused: ``st.cache_resource`` hands out the same figure, a read-only
``SharedFigure`` (st.plotly_chart takes its dict without a copy), ``st.cache_data``
the small lists of texts. Every cache is bounded (a few languages x scales x
Perspektivquartiere).
"""

from __future__ import annotations

import json
from typing import NamedTuple

import plotly.graph_objects as go
import streamlit as st

from monitor.formatting import fmt_number, unit_suffix
from monitor.methods.classification import class_labels, classify
from monitor.store import Store
from monitor.ui import data
from monitor.ui.data import STORE_HASH
from monitor.views import charts, choropleth, overview
from monitor.views.deck import RecordsJSON
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB, class_colors
from monitor.views.shared_figure import shared

__all__ = [
    "OverviewMap",
    "intro_figures",
    "key_figures",
    "comparison_figure",
    "trend_figure",
    "overview_map",
]

_ENTRIES = 64


def _subject(store: Store, area_id: str) -> overview.Subject:
    subject = overview.subject_of(store.place, area_id)
    if subject is None:
        raise ValueError(f"no start page subject for area {area_id!r}")
    return subject


def _frames(store: Store, subject: overview.Subject):
    shown = tuple(
        dict.fromkeys(
            a for a in (subject.area_id, subject.context_id, subject.city_id) if a
        )
    )
    values = data.area_values(store, shown)
    bench = data.benchmark_values(store, tuple(store.catalog.ids))
    return values, bench


@st.cache_data(max_entries=_ENTRIES, show_spinner=False, hash_funcs=STORE_HASH)
def intro_figures(store: Store, area_id: str, year: int, lang: str) -> dict:
    """The numbers of the intro sentence (``overview.intro_figures``)."""
    subject = _subject(store, area_id)
    values, _ = _frames(store, subject)
    areas = data.areas(store).set_index("area_id")
    return overview.intro_figures(values, areas, store.place, subject, year, lang)


@st.cache_data(max_entries=_ENTRIES, show_spinner=False, hash_funcs=STORE_HASH)
def key_figures(
    store: Store, area_id: str, year: int, lang: str, indicators: tuple[str, ...]
) -> list[dict]:
    """The metric cards (:func:`monitor.views.overview.key_figures`)."""
    subject = _subject(store, area_id)
    values, bench = _frames(store, subject)
    return overview.key_figures(
        values, bench, store.catalog, store.place, subject, year, lang, indicators
    )


@st.cache_resource(max_entries=_ENTRIES, show_spinner=False, hash_funcs=STORE_HASH)
def comparison_figure(
    store: Store, area_id: str, indicator_id: str, year: int, lang: str, scale: float
) -> go.Figure:
    """Bars of one headline indicator for the subject and its references (shared,
    read-only figure)."""
    subject = _subject(store, area_id)
    values, bench = _frames(store, subject)
    rows = overview.comparison_rows(
        values, bench, store.place, subject, indicator_id, year, lang
    )
    ind = store.catalog[indicator_id]
    return shared(
        charts.comparison_bars(
            rows,
            title=ind.text("name", lang),
            unit=ind.unit,
            lang=lang,
            height=280 + 30 * max(0, len(rows) - 6),
            scale=scale,
        )
    )


@st.cache_resource(max_entries=_ENTRIES, show_spinner=False, hash_funcs=STORE_HASH)
def trend_figure(
    store: Store, area_id: str, indicator_id: str, lang: str, scale: float
) -> go.Figure:
    """Lines over the years of one headline indicator (shared, read-only figure)."""
    subject = _subject(store, area_id)
    values, bench = _frames(store, subject)
    ind = store.catalog[indicator_id]
    return shared(
        charts.trend_lines(
            overview.trend_series(
                values, bench, store.place, subject, indicator_id, lang
            ),
            title=ind.text("name", lang),
            unit=ind.unit,
            lang=lang,
            height=300,
            scale=scale,
        )
    )


class OverviewMap(NamedTuple):
    """The start page's map without the per-run parts: the polygon records as
    ready JSON (an immutable string, safe to share between sessions), the
    bounds to fit, the legend's class entries and the number of suppressed
    areas (the page adds that entry in the session's words)."""

    records: RecordsJSON
    bounds: tuple[float, float, float, float]
    entries: tuple[tuple, ...]
    n_suppressed: int


@st.cache_resource(max_entries=_ENTRIES, show_spinner=False, hash_funcs=STORE_HASH)
def overview_map(
    store: Store, indicator_id: str, year: int, level: str, lang: str
) -> OverviewMap:
    """Quantile classes (5) of one indicator on ``level``, coloured by its
    direction, as choropleth records (:func:`monitor.views.choropleth.
    indicator_records`)."""
    ind = store.catalog[indicator_id]
    geo = data.geometries(store, level)
    shown = data.level_values(store, indicator_id, year, level)
    shown = shown.set_index("area_id").loc[geo.area_id].reset_index()
    classes = classify(shown.value.to_numpy(), "quantile", 5)
    colors = class_colors(classes.k, ind.direction)
    records = choropleth.indicator_records(
        geo,
        shown,
        yb=classes.yb,
        colors=colors,
        unit=ind.unit,
        lang=lang,
        suppressed_rgb=SUPPRESSED_RGB,
        missing_rgb=MISSING_RGB,
    )
    labels = class_labels(classes, lambda v: fmt_number(v, lang, 1))
    suffix = unit_suffix(ind.unit, lang)
    entries = tuple(
        (c, f"{lab}{suffix}", str(n))
        for c, lab, n in zip(colors, labels, classes.counts, strict=True)
    )
    # sorted keys: the same bytes as the deck's own serialisation of the list
    text = json.dumps(records, sort_keys=True, separators=(",", ":"))
    return OverviewMap(
        RecordsJSON(text),
        tuple(float(b) for b in geo.total_bounds),
        entries,
        int((shown.status == "suppressed").sum()),
    )
