"""The map page's table, classes and deck content, cached per view.

Building 631 raster records with formatted tooltips costs tens of milliseconds;
the result depends only on the view's data parameters, so it is cached (bounded)
and a switch back to a seen view, or a rerun for an unrelated widget, is free.
A resource cache (no copy): callers only read the frames and records.

Levels with many areas (``Settings.map_image_min_areas``, default 20,000 raster
cells) take the image path: arrays instead of frames, one palette PNG instead of a
polygon per cell, the table limited to the highest values and the full CSV built
only when it is downloaded (scale target of issue #4: 1 M cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
from monitor.methods.raster import class_image
from monitor.store import STATUS_CODES, LevelArrays, Store
from monitor.ui import data
from monitor.views import karte, maps, raster_map
from monitor.views.palettes import (
    MISSING_RGB,
    SUPPRESSED_RGB,
    class_colors,
    diverging_colors,
)

__all__ = [
    "KarteLayer",
    "MapImage",
    "karte_layer",
    "TOP_ROWS",
    "TABLE_ALL_MAX",
    "POLYGON_MAX_AREAS",
]

TOP_ROWS = 100
"""Rows of the table under a map of more than ``TABLE_ALL_MAX`` areas (the highest
values; the CSV has all): the table is styled per cell (German numbers), which
costs about 0.15 ms per cell and rerun."""
TABLE_ALL_MAX = 700
POLYGON_MAX_AREAS = 200_000
"""Beyond this a level without a regular grid cannot be drawn at all."""
ALPHA = 215


@dataclass(frozen=True)
class MapImage:
    """A raster level as one image: data URL of a palette PNG, its lon/lat corners
    and the grid (for the selected cell's outline)."""

    url: str
    png_bytes: int
    raster: raster_map.LevelRaster


@dataclass(frozen=True)
class KarteLayer:
    """What the map page shows. ``table`` holds every area (polygon levels) or the
    ``TOP_ROWS`` highest values (image levels); ``row`` and ``full_table`` answer
    for any area in both cases."""

    table: pd.DataFrame
    status_col: str
    classes: Classification
    colors: list
    labels: list[str]
    records: maps.RecordsJSON | None  # polygon levels: the deck's records
    city_value: float
    breaks_invalid: bool
    n_suppressed: int
    n_missing: int
    n_areas: int
    image: MapImage | None = None
    _full: object = field(default=None, repr=False)  # image levels: builds the frame

    def row(self, area_id: str | None) -> pd.Series | None:
        """The figures of one area as the side panel shows them, or None."""
        if self._full is not None:
            return self._full.row(area_id)
        match = self.table[self.table.area_id == area_id] if area_id else self.table[:0]
        return None if match.empty else match.iloc[0]

    @property
    def table_limited(self) -> bool:
        return self._full is not None or len(self.table) > TABLE_ALL_MAX

    def shown_table(self) -> pd.DataFrame:
        """The rows of the table under the map: all, or the ``TOP_ROWS`` highest."""
        if self._full is not None or len(self.table) <= TABLE_ALL_MAX:
            return self.table
        col = "change" if self.status_col == "change_status" else "value"
        return self.table.sort_values(
            [col, "area_id"], ascending=[False, True], na_position="last"
        ).head(TOP_ROWS)

    def full_table(self) -> pd.DataFrame:
        """Every area (for the CSV); built on demand for image levels."""
        return self.table if self._full is None else self._full.table()


def _classes(ind, values, scheme, k, breaks_text, change):
    """Classification, colours and whether typed breaks were unusable."""
    breaks, breaks_invalid = None, False
    if not change and scheme == "fixed":
        try:
            breaks = parse_breaks(breaks_text)
        except BreaksError:
            breaks_invalid = True
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
    return classes, colors, breaks_invalid


def _labels(ind, classes, change, lang):
    if change:

        def fmt(v):
            return fmt_change(v, ind.unit, lang)
    else:

        def fmt(v):
            return fmt_number(v, lang, 0 if ind.unit == "count" else 1)

    return class_labels(classes, fmt) if classes.k else []


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
    """Raises ValueError (from the classification or an undrawable level) with a
    message for the page."""
    n_areas = len(store.level_areas(level))
    args = (store, indicator_id, year, year_from, level, scheme, k, breaks_text)
    if n_areas >= data.settings().map_image_min_areas:
        if data.level_raster(store, level) is not None:
            return _image_layer(*args, change, lang)
        if n_areas > POLYGON_MAX_AREAS:
            raise ValueError(
                f"Die Ebene hat {n_areas} Gebiete und kein regelmäßiges Raster; so "
                "viele Flächen kann die Karte nicht zeichnen."
            )
    return _polygon_layer(*args, change, lang)


@st.cache_resource(hash_funcs=data.STORE_HASH, max_entries=96, show_spinner=False)
def _polygon_layer(
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

    values = shown.to_numpy()
    classes, colors, breaks_invalid = _classes(
        ind, values, scheme, k, breaks_text, change
    )
    labels = _labels(ind, classes, change, lang)

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
    records = maps.records_json(records)  # one string per cached view
    status = table[status_col]
    return KarteLayer(
        table,
        status_col,
        classes,
        colors,
        labels,
        records,
        city,
        breaks_invalid,
        n_suppressed=int((status == "suppressed").sum()),
        n_missing=int((status == "missing").sum()),
        n_areas=len(table),
    )


def _shown(now: LevelArrays, before: LevelArrays | None):
    """Values and status codes the map shows: the state, or the change where both
    years are ``ok`` (suppressed in either year stays suppressed)."""
    if before is None:
        return now.value, now.status
    ok = (now.status == 0) & (before.status == 0)
    change = np.where(ok, now.value - before.value, np.nan)
    suppressed = (now.status == 1) | (before.status == 1)
    status = np.where(suppressed, 1, np.where(ok, 0, 2)).astype(np.uint8)
    return change, status


class _LevelTable:
    """Rows of an image level, built from arrays only when asked for."""

    def __init__(self, store, level, now, before, city, change):
        self.store, self.level = store, level
        self.now, self.before, self.city, self.change = now, before, city, change
        self.values, self.status = _shown(now, before)
        self.n_ranked = int(np.isfinite(self.values).sum())

    def frame(
        self,
        positions: np.ndarray | None = None,
        *,
        is_top: bool = False,
        counts: bool = True,
    ) -> pd.DataFrame:
        """Rows in the columns of karte.state_table/change_table; ``rank`` among
        the whole level. ``counts=False`` leaves out numerators and denominators
        (read on first use: a third of a million-cell switch)."""
        areas = self.store.level_areas(self.level)
        idx = np.arange(len(areas)) if positions is None else np.asarray(positions)
        frame = areas.iloc[idx].reset_index(drop=True)
        labels = np.asarray(STATUS_CODES, dtype=object)
        if counts:
            frame["numerator"] = self.now.numerator[idx]
            frame["denominator"] = self.now.denominator[idx]
        frame["value"] = self.now.value[idx]
        frame["status"] = labels[self.now.status[idx]]
        shown = self.values[idx]
        if positions is None:
            rank = pd.Series(shown).rank(ascending=False, method="min")
        else:
            # 1 + number of higher values; for the top rows every higher value is
            # among themselves, for a single row one pass over the level
            pool = shown if is_top else self.values
            rank = pd.Series(
                [1.0 + np.count_nonzero(pool > v) for v in shown], dtype=float
            ).where(np.isfinite(shown))
        if self.change:
            frame["value_before"] = self.before.value[idx]
            frame["status_before"] = labels[self.before.status[idx]]
            frame["change"] = shown
            frame["change_status"] = labels[self.status[idx]]
        else:
            frame["diff_city"] = frame["value"] - self.city
        frame["rank"] = rank.astype("Int64")
        frame["n_ranked"] = self.n_ranked
        return frame

    def top(self, n: int) -> pd.DataFrame:
        """The ``n`` highest shown values (then suppressed and missing ones);
        a partial sort, as only ``n`` of a million rows are shown."""
        key = -self.values
        key[np.isnan(key)] = np.inf
        n = min(n, key.size)
        head = np.argpartition(key, n - 1)[:n] if n < key.size else np.arange(n)
        return self.frame(
            head[np.lexsort((head, key[head]))], is_top=True, counts=False
        )

    def row(self, area_id: str | None) -> pd.Series | None:
        """One area's row (same fields as ``frame``), built without a frame: it
        runs on every rerun while an area is selected."""
        pos = data.area_position(self.store, self.level, area_id)
        if pos is None:
            return None
        area = self.store.level_areas(self.level).iloc[pos]
        shown = float(self.values[pos])
        rec = {
            **area.to_dict(),
            "numerator": float(self.now.numerator[pos]),
            "denominator": float(self.now.denominator[pos]),
            "value": float(self.now.value[pos]),
            "status": STATUS_CODES[self.now.status[pos]],
        }
        if self.change:
            rec["value_before"] = float(self.before.value[pos])
            rec["status_before"] = STATUS_CODES[self.before.status[pos]]
            rec["change"] = shown
            rec["change_status"] = STATUS_CODES[self.status[pos]]
        else:
            rec["diff_city"] = rec["value"] - self.city
        rec["rank"] = (
            1 + int(np.count_nonzero(self.values > shown)) if shown == shown else pd.NA
        )
        rec["n_ranked"] = self.n_ranked
        return pd.Series(rec)

    def table(self) -> pd.DataFrame:
        return self.frame()


@st.cache_resource(hash_funcs=data.STORE_HASH, max_entries=8, show_spinner=False)
def _image_layer(
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
    ind = store.catalog[indicator_id]
    now = data.level_arrays(store, indicator_id, year, level)
    city = float(data.level_arrays(store, indicator_id, year, "stadt").value[0])
    before = (
        data.level_arrays(store, indicator_id, year_from, level) if change else None
    )
    rows = _LevelTable(store, level, now, before, city, change)
    classes, colors, breaks_invalid = _classes(
        ind, rows.values, scheme, k, breaks_text, change
    )
    labels = _labels(ind, classes, change, lang)

    # palette: classes 0..k-1, then suppressed (k) and missing (k + 1)
    codes = np.where(classes.yb >= 0, classes.yb, classes.k + 1).astype(np.uint8)
    codes[rows.status == 1] = classes.k
    palette = [[*c, ALPHA] for c in (*colors, SUPPRESSED_RGB, MISSING_RGB)]
    raster = data.level_raster(store, level)
    png = raster_map.palette_png(class_image(raster.grid, codes), palette)
    counts = np.bincount(rows.status, minlength=3)
    return KarteLayer(
        rows.top(TOP_ROWS),
        "change_status" if change else "status",
        classes,
        colors,
        labels,
        None,
        city,
        breaks_invalid,
        n_suppressed=int(counts[1]),
        n_missing=int(counts[2]),
        n_areas=len(rows.values),
        image=MapImage(raster_map.png_data_url(png), len(png), raster),
        _full=rows,
    )
