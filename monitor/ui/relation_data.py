"""The pairs, classes and map records of the page "Zusammenhang", cached per
indicator pair, years, level and language (a selection in the scatter reruns the
page; the records of 631 raster cells need not be rebuilt for it). Cached
functions read only their arguments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from monitor.store import Store
from monitor.ui import data
from monitor.ui.state import update_extra
from monitor.views import deck, relations
from monitor.viewstate import MAX_SELECTED

__all__ = ["RelationLayer", "relation_layer", "scatter_picked"]


@dataclass(frozen=True, eq=False)
class RelationLayer:
    relation: relations.Relation
    records: deck.RecordsJSON
    city: tuple[float, float]
    focus: pd.DataFrame  # name, x, y of the Perspektivquartier(s)


def _city(store: Store, ind_id: str, year: int) -> float:
    city = data.level_values(store, ind_id, year, "stadt")
    ok = city[city.status == "ok"]
    return float(ok.value.iloc[0]) if len(ok) else float("nan")


@st.cache_resource(hash_funcs=data.STORE_HASH, max_entries=32, show_spinner=False)
def relation_layer(
    store: Store, x_id: str, year: int, y_id: str, y_year: int, level: str, lang: str
) -> RelationLayer:
    """Pairs of ``x_id`` in ``year`` and ``y_id`` in ``y_year`` over ``level``,
    their records for the bivariate map, the city's values and the focus areas
    (level ``fokusgebiet``)."""
    catalog = store.catalog
    relation = relations.build_relation(
        data.level_values(store, x_id, year, level),
        data.level_values(store, y_id, y_year, level),
    )
    records = relations.map_records(
        data.geometries(store, level), relation, catalog[x_id], catalog[y_id], lang
    )
    focus = relations.pair_frame(
        data.level_values(store, x_id, year, "fokusgebiet"),
        data.level_values(store, y_id, y_year, "fokusgebiet"),
    )
    return RelationLayer(
        relation,
        deck.records_json(records),
        (_city(store, x_id, year), _city(store, y_id, y_year)),
        focus,
    )


def scatter_picked(key: str, plotted: Sequence[str]) -> None:
    """Callback of the scatter: its selection (points, box or lasso) of the first
    trace, at most ``MAX_SELECTED`` areas, into the link's ``auswahl``."""
    event = st.session_state.get(key)
    points = event.selection.points if event else []
    ids = []
    for point in points:
        index = point.get("point_index", point.get("point_number"))
        first = point.get("curve_number", 0) == 0
        if first and isinstance(index, int) and 0 <= index < len(plotted):
            ids.append(plotted[index])
    ids = list(dict.fromkeys(ids))[:MAX_SELECTED]
    update_extra("auswahl", ",".join(ids) or None)
