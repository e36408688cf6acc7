"""Cached parts of the programme pages (Ziele, Maßnahmen).

Their figures and tables were most of every rerun (the measures' timeline alone
about 200 ms, the goals' verdicts about 150 ms; docs/PERFORMANCE.md), although
they change only when the data version, the edit log or the view changes.

Keys: the served version (``Store.cache_key``), the edit log by the ids of its
entries (the log is append-only and :func:`monitor.programme.replay.replay` is a
pure function of its entries, so equal ids mean an equal state), and otherwise
the builders' own arguments, hashed by content (frames of a few hundred rows at
most; :data:`FRAME_HASH` hashes a frame by its pickle, ten times faster than
Streamlit's column-wise hash of these string-typed frames, 13 ms for the 86
measures). Frames are shared by every session, each caller gets a shallow copy
(:func:`monitor.ui.shared_frames.cache_frames`; pages add columns to them);
``st.cache_resource`` hands the same figure to every session, a read-only
``SharedFigure`` (st.plotly_chart takes its dict without a copy). Every cache is
bounded.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from monitor.programme import merge
from monitor.programme.replay import EditState
from monitor.store import Store
from monitor.ui import data
from monitor.ui.data import STORE_HASH
from monitor.ui.shared_frames import cache_frames
from monitor.views import goal_board, measure_map, measure_path
from monitor.views import goals as goal_views
from monitor.views import measures as measure_views
from monitor.views.deck import RecordsJSON
from monitor.views.shared_figure import shared

__all__ = [
    "FRAME_HASH",
    "log_key",
    "current_goals",
    "current_measures",
    "all_reports",
    "goal_overview",
    "goal_chart",
    "goal_board_html",
    "catalogue_table",
    "measure_export_frame",
    "timeline_figure",
    "path_rows",
    "path_bars",
    "measure_path_chart",
    "area_points",
    "quarter_borders",
]

_FRAMES = 16
_FIGURES = 32


def _frame_digest(frame: pd.DataFrame) -> bytes:
    return hashlib.blake2b(pickle.dumps(frame, protocol=5), digest_size=16).digest()


FRAME_HASH = {**STORE_HASH, pd.DataFrame: _frame_digest}
"""``hash_funcs`` of this module's caches: the Store by its cache key, frames by
their content (equal pickles are equal frames; a frame that pickles differently
only misses the cache)."""


def log_key(state: EditState) -> tuple[str, ...]:
    """The edit log's identity: the ids of its entries in order."""
    return tuple(e.entry_id for e in state.entries)


@cache_frames(max_entries=_FRAMES, hash_funcs=FRAME_HASH)
def _current_goals(store: Store, key: tuple[str, ...], _state: EditState):  # noqa: ARG001
    return merge.current_goals(data.goals(store), _state)


@cache_frames(max_entries=_FRAMES, hash_funcs=FRAME_HASH)
def _current_measures(store: Store, key: tuple[str, ...], _state: EditState):  # noqa: ARG001
    return merge.current_measures(data.measures(store), _state)


@cache_frames(max_entries=_FRAMES, hash_funcs=FRAME_HASH)
def _all_reports(store: Store, key: tuple[str, ...], _state: EditState):  # noqa: ARG001
    return merge.all_reports(data.progress_reports(store), _state)


def current_goals(store: Store, state: EditState) -> pd.DataFrame:
    """:func:`monitor.programme.merge.current_goals` of the published goals."""
    return _current_goals(store, log_key(state), state)


def current_measures(store: Store, state: EditState) -> pd.DataFrame:
    """:func:`monitor.programme.merge.current_measures` of the published measures."""
    return _current_measures(store, log_key(state), state)


def all_reports(store: Store, state: EditState) -> pd.DataFrame:
    """:func:`monitor.programme.merge.all_reports` of the published reports."""
    return _all_reports(store, log_key(state), state)


@cache_frames(max_entries=_FRAMES, hash_funcs=FRAME_HASH)
def goal_overview(store: Store, goals: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Both verdicts per goal (:func:`monitor.views.goals.goal_overview`) on the
    values of the goals' areas."""
    values = data.area_values(store, tuple(sorted(set(goals.area_id))))
    return goal_views.goal_overview(goals, values, store.catalog, lang)


@st.cache_resource(max_entries=_FIGURES, show_spinner=False, hash_funcs=FRAME_HASH)
def goal_chart(
    series: pd.DataFrame, row: Mapping, *, lang: str, title: str, scale: float
) -> go.Figure:
    """:func:`monitor.views.goals.goal_chart` (shared, read-only figure)."""
    return shared(
        goal_views.goal_chart(series, row, lang=lang, title=title, scale=scale)
    )


@st.cache_data(max_entries=_FRAMES, show_spinner=False, hash_funcs=FRAME_HASH)
def goal_board_html(
    overview: pd.DataFrame, area_names: Mapping[str, str], lang: str
) -> str:
    """:func:`monitor.views.goal_board.overview_html`."""
    return goal_board.overview_html(overview, area_names, lang)


@cache_frames(max_entries=_FRAMES, hash_funcs=FRAME_HASH)
def catalogue_table(
    measures: pd.DataFrame, reports: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """:func:`monitor.views.measures.catalogue_table`."""
    return measure_views.catalogue_table(measures, reports, lang)


@cache_frames(max_entries=_FRAMES, hash_funcs=FRAME_HASH)
def measure_export_frame(
    measures: pd.DataFrame, reports: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """:func:`monitor.views.measures.export_frame`."""
    return measure_views.export_frame(measures, reports, lang)


@st.cache_resource(max_entries=_FIGURES, show_spinner=False, hash_funcs=FRAME_HASH)
def timeline_figure(
    measures: pd.DataFrame, *, lang: str, today: date, scale: float
) -> go.Figure:
    """:func:`monitor.views.measures.timeline_figure` (shared, read-only)."""
    return shared(
        measure_views.timeline_figure(measures, lang=lang, today=today, scale=scale)
    )


@cache_frames(max_entries=_FRAMES, hash_funcs=FRAME_HASH)
def path_rows(measures: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """:func:`monitor.views.measure_path.path_rows`."""
    return measure_path.path_rows(measures, reports)


@st.cache_resource(max_entries=_FIGURES, show_spinner=False, hash_funcs=FRAME_HASH)
def path_bars(rows: pd.DataFrame, *, lang: str, scale: float) -> go.Figure:
    """:func:`monitor.views.measure_path.path_bars` (shared, read-only)."""
    return shared(measure_path.path_bars(rows, lang=lang, scale=scale))


@st.cache_resource(max_entries=_FIGURES, show_spinner=False, hash_funcs=FRAME_HASH)
def measure_path_chart(
    measure: Mapping, reports: pd.DataFrame, *, lang: str, today: date, scale: float
) -> go.Figure:
    """:func:`monitor.views.measure_path.measure_path_chart` (shared, read-only)."""
    return shared(
        measure_path.measure_path_chart(
            measure, reports, lang=lang, today=today, scale=scale
        )
    )


@st.cache_resource(max_entries=4, show_spinner=False, hash_funcs=STORE_HASH)
def quarter_borders(store: Store) -> RecordsJSON:
    """The borders of the Quartiere in the Stadtteile around the
    Perspektivquartiere (all Quartiere when none lies there), serialised once:
    the Maßnahmen map draws them on every run."""
    quarters = data.geometries(store, "quartier")
    lookup = data.areas(store)
    around = set(store.place.context_ids.values())
    inner = quarters.area_id.isin(lookup[lookup.parent_id.isin(around)].area_id)
    return measure_map.quarter_borders(quarters[inner] if inner.any() else quarters)


@st.cache_data(max_entries=_FRAMES, show_spinner=False, hash_funcs=FRAME_HASH)
def area_points(store: Store) -> dict[str, tuple[float, float]]:
    """A point inside every Stadtteil, Fokusgebiet and Quartier (area-wide
    measures on the map; :func:`monitor.views.measure_map.area_points`)."""
    return measure_map.area_points(
        [data.geometries(store, lv) for lv in ("stadtteil", "fokusgebiet", "quartier")]
    )
