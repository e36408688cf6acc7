"""The Sozialindex for the pages, cached per level, span and weights.

The inputs come from the cached loaders (suppressed values never enter), the
computation is :func:`monitor.methods.social_index.compute_social_index` over the
catalogue's index indicators (:func:`monitor.views.social_index.index_spec`). Cached
functions read only their arguments.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.methods.social_index import SocialIndexResult
from monitor.store import Store
from monitor.ui import data
from monitor.ui.shared_frames import cache_frames
from monitor.views import social_index

__all__ = ["index_spec", "index_inputs", "index_result"]


def index_spec(store: Store) -> social_index.IndexSpec:
    """The index indicators, weights and population of the data folder."""
    return social_index.index_spec(store.catalog, store.place.population)


def _level_values(store: Store, level: str):
    return lambda indicator_id, year: data.level_values(
        store, indicator_id, year, level
    )


@cache_frames(hash_funcs=data.STORE_HASH, max_entries=32)
def index_inputs(
    store: Store, level: str, year: int, year_from: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Wide frames (area x core indicator) for the Sozialindex and the population:
    shares in ``year`` and in ``year_from`` (suppressed values are NaN)."""
    return social_index.inputs_for(
        _level_values(store, level), year, year_from, index_spec(store)
    )


@st.cache_data(hash_funcs=data.STORE_HASH, max_entries=32, show_spinner=False)
def index_result(
    store: Store,
    level: str,
    year: int,
    year_from: int,
    weights: tuple[tuple[str, float], ...] | None = None,
) -> SocialIndexResult:
    """The Sozialindex of one level and span (the catalogue's weights unless
    given).

    Raises ValueError (from the method) when it cannot be computed, e.g. when the
    data folder has no index indicator or too few areas remain.
    """
    status, earlier, pop = index_inputs(store, level, year, year_from)
    return social_index.compute(
        index_spec(store), status, earlier, pop, dict(weights) if weights else None
    )
