"""Cached access to the store for the pages.

``st.cache_resource`` holds one Store (and DuckDB connection) per served data
version and process; :func:`~monitor.ui.shared_frames.cache_frames` holds frames
per question with bounded size, one for all sessions (a shallow copy per caller).
Cached functions read only their arguments; a Store argument is hashed by
``Store.cache_key`` (:data:`STORE_HASH`, the one rule every cached function of
monitor/ui uses), which names the version, so a new version never meets an old
version's cached frames.

Versions (monitor/versions.py): every script run reads the data root's pointer
(one small file), so every session and every server process serves a newly
published version from its next run on, without a restart. Old versions' Stores
leave the bounded cache. When the version the pointer names cannot be opened, the
last version that opened in this process is served on, with a notice
(:func:`version_notice`); a broken pointer is a German message page.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from monitor import versions
from monitor.sequences import Sequence, load_sequences
from monitor.settings import Settings, load_settings
from monitor.store import DataError, LevelArrays, Store
from monitor.ui.shared_frames import cache_frames
from monitor.views.raster_map import LevelRaster
from monitor.views.raster_map import level_raster as _level_raster
from monitor.viewstate import LEVELS, PAGES, Context

__all__ = [
    "STORE_HASH",
    "read_settings",
    "settings",
    "get_store",
    "version_notice",
    "areas",
    "geometries",
    "focus_outline",
    "level_values",
    "level_arrays",
    "level_raster",
    "area_position",
    "area_values",
    "benchmark_values",
    "context",
    "years_by_indicator",
    "indicator_years",
    "sequences",
    "goals",
    "measures",
    "progress_reports",
    "level_panel",
]


STORE_HASH = {Store: lambda store: store.cache_key}
"""``hash_funcs`` of every cached function with a Store argument: cached results
are keyed by the data folder and its data version, not by the object."""
_SETTINGS = "_qm_settings"


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except (FileNotFoundError, KeyError, OSError, st.errors.StreamlitAPIException):
        return {}
    except Exception:  # noqa: BLE001 - a broken secrets.toml must not stop the app
        return {}


def read_settings() -> Settings:
    """Read the deployment settings (environment, secrets.toml) for this run.

    app.py calls it first in every run; later calls of :func:`settings` in the
    same run get the same object instead of reading the environment and the
    secrets again (a run asks several times). Outside a script run (tests, tools)
    nothing is kept.
    """
    value = load_settings(secrets=_secrets())
    if get_script_run_ctx() is not None:
        st.session_state[_SETTINGS] = value
    return value


def settings() -> Settings:
    """The settings read at the start of this run (see :func:`read_settings`)."""
    if get_script_run_ctx() is None:
        return load_settings(secrets=_secrets())
    return st.session_state.get(_SETTINGS) or read_settings()


_NOTICE = "_qm_version_notice"
_FAILED_MAX = 8
# per process: the root's last version that opened, and versions that did not
# (a published version never changes, so its failure is not tried again per run)
_last_good: dict[str, Store] = {}
_failed: dict[str, str] = {}


@st.cache_resource(max_entries=3, show_spinner=False)
def _store_for(
    path: str, version_id: str, root: str, versioned: bool, published_at: str
) -> Store:
    """One Store per version (the arguments are the cache key; three versions per
    process at most, so a rollback back and forth stays cheap and old versions
    are evicted)."""
    version = versions.Version(
        version_id, Path(path), Path(root), versioned, published_at=published_at
    )
    return Store(path, version=version)


def _served_version() -> versions.Version:
    data_dir = settings().data_dir
    if not data_dir.is_dir():
        raise DataError(
            f"Der Datenordner „{data_dir}“ existiert nicht. Bitte die Einstellung "
            "QM_DATA_DIR prüfen oder `make demo-data` ausführen."
        )
    try:
        return versions.current(data_dir)
    except versions.VersionError as exc:
        raise DataError(str(exc)) from exc


def _open(version: versions.Version) -> Store:
    key = str(version.path)
    if version.versioned and key in _failed:
        raise DataError(_failed[key])
    try:
        return _store_for(
            key,
            version.id,
            str(version.root),
            version.versioned,
            version.published_at,
        )
    except DataError as exc:
        if version.versioned:
            while len(_failed) >= _FAILED_MAX:
                _failed.pop(next(iter(_failed)))
            _failed[key] = str(exc)
        raise


def get_store() -> Store:
    """The Store of the version the data root serves now (raises DataError when
    the folder or its pointer is unusable and no earlier version opened). The
    pointer is read on every call: a few small file reads, no cache to go stale
    (a page takes its store once, from ``layout.start_page``)."""
    version = _served_version()
    root = str(version.root)
    try:
        store = _open(version)
    except DataError as exc:
        last = _last_good.get(root)
        if last is None or not version.versioned:
            raise
        _set_notice((version.id, last.version.id, str(exc)))
        return last
    _last_good[root] = store
    _set_notice(None)
    return store


def _set_notice(notice) -> None:
    if get_script_run_ctx() is not None:
        st.session_state[_NOTICE] = notice


def version_notice() -> tuple[str, str, str] | None:
    """(version that failed, version served instead, German reason) when this run
    serves an earlier version because the current one did not open."""
    if get_script_run_ctx() is None:
        return None
    return st.session_state.get(_NOTICE)


@cache_frames(hash_funcs=STORE_HASH, max_entries=8)
def areas(store: Store) -> pd.DataFrame:
    return store.areas()


@cache_frames(hash_funcs=STORE_HASH, max_entries=16)
def geometries(store: Store, level: str) -> gpd.GeoDataFrame:
    return store.geometries(level)


@cache_frames(hash_funcs=STORE_HASH, max_entries=64)
def level_values(
    store: Store, indicator_id: str, year: int, level: str
) -> pd.DataFrame:
    return store.level_values(indicator_id, year, level)


@st.cache_resource(hash_funcs=STORE_HASH, max_entries=4, show_spinner=False)
def focus_outline(store: Store):
    """The programme area's outline (level ``fokusgebiet``), or None when the data
    folder has none (maps then draw no outline). Cached: five map pages draw it on
    every run, and a shapely geometry is immutable, so all sessions share it."""
    geo = geometries(store, "fokusgebiet")
    return geo.geometry.union_all() if len(geo) else None


@st.cache_resource(hash_funcs=STORE_HASH, max_entries=12, show_spinner=False)
def level_arrays(store: Store, indicator_id: str, year: int, level: str) -> LevelArrays:
    """Read-only arrays (no copy per hit: a 1 M-cell frame would be unpickled on
    every hit of st.cache_data, 62 ms); 12 entries are 300 MB at 1 M cells."""
    return store.level_arrays(indicator_id, year, level)


def _freeze_long_lived() -> None:
    """Exclude what exists now (per-process lookups of up to a million areas) from
    Python's cyclic garbage collection. A full collection visits every entry of
    every container; with 1 M area ids each one stalls a rerun by ~100 ms (scale
    benchmark: switch p95 0.39 s with, 0.26 s without). Frozen objects are still
    freed when their last reference goes."""
    gc.freeze()


@st.cache_resource(hash_funcs=STORE_HASH, max_entries=4, show_spinner=False)
def level_raster(store: Store, level: str) -> LevelRaster | None:
    """The regular grid of a level's cells (None for irregular areas)."""
    raster = _level_raster(lambda: store.geometry_chunks(level))
    _freeze_long_lived()
    return raster


@st.cache_resource(hash_funcs=STORE_HASH, max_entries=4, show_spinner=False)
def _positions(store: Store, level: str) -> pd.Index:
    index = pd.Index(store.level_areas(level).area_id)
    _freeze_long_lived()
    return index


def area_position(store: Store, level: str, area_id: str | None) -> int | None:
    """Row of ``area_id`` in ``store.level_areas(level)``, or None."""
    if not area_id:
        return None
    index = _positions(store, level)
    return int(index.get_loc(area_id)) if area_id in index else None


@cache_frames(hash_funcs=STORE_HASH, max_entries=64)
def area_values(store: Store, area_ids: tuple[str, ...]) -> pd.DataFrame:
    return store.area_values(list(area_ids))


@cache_frames(hash_funcs=STORE_HASH, max_entries=64)
def benchmark_values(store: Store, indicator_ids: tuple[str, ...]) -> pd.DataFrame:
    return store.benchmark_values(list(indicator_ids))


@cache_frames(hash_funcs=STORE_HASH, max_entries=4)
def indicator_years(store: Store) -> pd.DataFrame:
    return store.indicator_years()


@cache_frames(hash_funcs=STORE_HASH, max_entries=8)
def level_panel(store: Store, level: str) -> pd.DataFrame:
    """Every indicator and year of every area of one level (profiles, rankings)."""
    return store.level_panel(level)


@cache_frames(hash_funcs=STORE_HASH, max_entries=4)
def goals(store: Store) -> pd.DataFrame:
    """Published goals of the programme (empty without goals.parquet)."""
    return store.goals()


@cache_frames(hash_funcs=STORE_HASH, max_entries=4)
def measures(store: Store) -> pd.DataFrame:
    """Published measures of the programme (empty without measures.parquet)."""
    return store.measures()


@cache_frames(hash_funcs=STORE_HASH, max_entries=4)
def progress_reports(store: Store) -> pd.DataFrame:
    """Published progress reports (the app's own edits: monitor.ui.auth)."""
    return store.progress_reports()


def _link_level(level: str) -> str:
    """The place's default level as a link level: the fokusgebiet is none (a folder
    with no level below it shows the city)."""
    return level if level in LEVELS else "stadt"


def context_for(store: Store, years: pd.DataFrame, lookup: pd.DataFrame) -> Context:
    """What a link is checked against: catalogue, years with data (``years``:
    indicator_id, year), area ids (``lookup``: area_id, level) and the place's
    defaults. Without Streamlit, so tests build the same context."""
    catalog = store.catalog
    by_indicator = {
        ind: tuple(sorted(int(y) for y in grp.year.unique()))
        for ind, grp in years.groupby("indicator_id")
    }
    place = store.place
    districts = tuple(lookup.area_id[lookup.level == "stadtteil"][:2])
    return Context(
        indicator_ids=tuple(catalog.ids),
        indicator_levels={i.id: i.levels for i in catalog.indicators},
        indicator_years=by_indicator,
        area_ids=frozenset(lookup.area_id),
        default_indicator=place.default_indicator or catalog.ids[0],
        default_level=_link_level(place.default_level),
        default_area=place.default_area,
        default_areas=place.default_areas() or districts or (place.default_area,),
    )


@st.cache_resource(hash_funcs=STORE_HASH, max_entries=4, show_spinner=False)
def _context(store: Store) -> Context:
    context = context_for(store, indicator_years(store), areas(store))
    _freeze_long_lived()
    return context


def years_by_indicator(store: Store) -> Mapping[str, tuple[int, ...]]:
    """Indicator id -> its years with data (the store's part of the context; for
    cached functions, which must not read the session's sequences)."""
    return _context(store).indicator_years


@st.cache_data(ttl=5, max_entries=4, show_spinner=False)
def _load_sequences(data_dir: str, edit_dir: str):
    return load_sequences(
        [(Path(data_dir) / "ablaeufe", "data"), (Path(edit_dir) / "ablaeufe", "edit")],
        {p.id for p in PAGES},
    )


def sequences(store: Store) -> dict[str, Sequence]:
    """Workshop sequences: shipped ones in the data folder, saved ones in the edit
    folder (cached for 5 s; saving in the app clears the cache)."""
    found, errors = _load_sequences(str(store.data_dir), str(settings().edit_dir))
    st.session_state["_qm_sequence_errors"] = errors
    return found


def forget_sequences() -> None:
    _load_sequences.clear()


def context(store: Store) -> Context:
    """What link values are valid now (cached catalogue/data part + sequences)."""
    found = sequences(store)
    return replace(
        _context(store), sequences={k: len(v.steps) for k, v in found.items()}
    )
