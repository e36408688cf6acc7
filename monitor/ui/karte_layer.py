"""The map page's table, classes and deck records, cached per view.

Building 631 raster records with formatted tooltips costs tens of milliseconds;
the result depends only on the view's data parameters, so it is cached (bounded)
and a switch back to a seen view, or a rerun for an unrelated widget, is free.
A resource cache (no copy): callers only read the frames and records.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

from monitor.formatting import fmt_change, fmt_number
from monitor.methods.classification import (
    BreaksError,
    Classification,
    class_labels,
    classify,
    parse_breaks,
)
from monitor.store import Store
from monitor.ui import data
from monitor.views import karte, maps
from monitor.views.palettes import (
    MISSING_RGB,
    SUPPRESSED_RGB,
    class_colors,
    diverging_colors,
)

__all__ = ["KarteLayer", "karte_layer"]

_HASH = {Store: lambda store: str(store.data_dir)}


@dataclass(frozen=True)
class KarteLayer:
    table: pd.DataFrame
    status_col: str
    classes: Classification
    colors: list
    labels: list[str]
    records: list[dict]
    city_value: float
    breaks_invalid: bool


@st.cache_resource(hash_funcs=_HASH, max_entries=96, show_spinner=False)
def karte_layer(
    store: Store,
    indicator_id: str,
    year: int,
    year_from: int,
    level: str,
    scheme: str,
    k: int,
    breaks_text: str,
    change: bool,
    lang: str,
) -> KarteLayer:
    """Raises ValueError (from the classification) with a message for the page."""
    ind = store.catalog[indicator_id]
    now = data.level_values(store, indicator_id, year, level)
    city = float(data.level_values(store, indicator_id, year, "stadt").value.iloc[0])
    if change:
        before = data.level_values(store, indicator_id, year_from, level)
        table = karte.change_table(now, before)
        shown, status_col = table["change"], "change_status"
    else:
        table = karte.state_table(now, city)
        shown, status_col = table["value"], "status"

    breaks, breaks_invalid = None, False
    if not change and scheme == "fixed":
        try:
            breaks = parse_breaks(breaks_text)
        except BreaksError:
            breaks_invalid = True
    values = shown.to_numpy()
    if change:
        classes = classify(values, "diverging", k)
        colors = diverging_colors(classes.k, ind.direction != "higher_is_better")
    elif breaks_invalid or (scheme == "fixed" and not breaks):
        breaks_invalid = True
        classes = classify(values, "quantile", k)
        colors = class_colors(classes.k, ind.direction)
    else:
        classes = classify(values, scheme, k, breaks)
        colors = class_colors(classes.k, ind.direction)

    if change:

        def fmt(v):
            return fmt_change(v, ind.unit, lang)
    else:

        def fmt(v):
            return fmt_number(v, lang, 0 if ind.unit == "count" else 1)

    labels = class_labels(classes, fmt) if classes.k else []

    geo = data.geometries(store, level).set_index("area_id").loc[table.area_id]
    geo = geo.reset_index()
    tips = karte.tooltips(table, ind.unit, lang, change=change, year_from=year_from)
    records = maps.indicator_records(
        geo,
        table.assign(value=shown, status=table[status_col]),
        yb=np.asarray(classes.yb),
        colors=colors,
        unit=ind.unit,
        lang=lang,
        suppressed_rgb=SUPPRESSED_RGB,
        missing_rgb=MISSING_RGB,
        extra_tips=tips,
        value_formatter=(lambda v: fmt_change(v, ind.unit, lang)) if change else None,
    )
    return KarteLayer(
        table, status_col, classes, colors, labels, records, city, breaks_invalid
    )
