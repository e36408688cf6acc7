"""The map page's table, classes and deck content, cached per view.

Building 631 raster records with formatted tooltips costs tens of milliseconds;
the result depends only on the view's data parameters (:class:`LayerKey`), so it
is cached (bounded) and a switch back to a seen view, or a rerun for an unrelated
widget, is free. A resource cache (no copy): callers only read the frames and
records.

Levels with many areas (``Settings.map_image_min_areas``, default 20,000 raster
cells) take the image path: arrays instead of frames, one palette PNG instead of a
polygon per cell, the table limited to the highest values and the full CSV built
only when it is downloaded (scale target of issue #4: 1 M cells).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from monitor.formatting import fmt_change
from monitor.methods.classification import Classification
from monitor.methods.raster import class_image
from monitor.store import STATUS_CODES, Store
from monitor.ui import data
from monitor.views import (
    choropleth,
    deck,
    distribution,
    map_tables,
    raster_map,
    uncertainty,
)
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB

__all__ = [
    "LayerKey",
    "MapLayer",
    "MapImage",
    "map_layer",
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


@dataclass(frozen=True)
class LayerKey:
    """What a map shows: the view's data parameters (the cache key)."""

    indicator_id: str
    year: int
    year_from: int
    level: str
    scheme: str
    k: int
    breaks_text: str  # typed class breaks (scheme "fixed"), as in the link
    change: bool  # change from year_from to year instead of the state in year
    lang: str


@dataclass(frozen=True)
class MapImage:
    """A raster level as one image: data URL of a palette PNG, its lon/lat corners
    and the grid (for the selected cell's outline)."""

    url: str
    png_bytes: int
    raster: raster_map.LevelRaster


@dataclass(frozen=True)
class MapLayer:
    """What the map page shows. ``table`` holds every area (polygon levels) or the
    ``TOP_ROWS`` highest values (image levels); ``row`` and ``full_table`` answer
    for any area in both cases."""

    table: pd.DataFrame
    status_col: str
    classes: Classification
    colors: list
    labels: list[str]
    records: deck.RecordsJSON | None  # polygon levels: the deck's records
    city_value: float
    breaks_invalid: bool
    n_suppressed: int
    n_missing: int
    n_areas: int
    image: MapImage | None = None
    distribution: go.Figure | None = None  # values under the legend
    _full: map_tables.ArrayTable | None = field(default=None, repr=False)
    # areas per status (every status of monitor.statuses that occurs) and the
    # flags (p, r, s, "()") of the shown values, for the legend
    status_counts: dict = field(default_factory=dict)
    flags: tuple = ()

    def row(self, area_id: str | None) -> pd.Series | None:
        """The figures of one area as the side panel shows them, or None."""
        if self._full is not None:
            return self._full.row(area_id)
        position = self._positions.get(area_id) if area_id else None
        return None if position is None else self.table.iloc[position]

    @cached_property
    def _positions(self) -> dict[str, int]:
        """Row of each area id (the first, should one repeat): a lookup per run
        instead of comparing every id."""
        positions: dict[str, int] = {}
        for position, area_id in enumerate(self.table.area_id):
            positions.setdefault(area_id, position)
        return positions

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


def map_layer(store: Store, key: LayerKey) -> MapLayer:
    """The layer of ``key``: polygons, or one image for a level with at least
    ``map_image_min_areas`` cells on a regular grid. Raises ValueError (from the
    classification or an undrawable level) with a message for the page."""
    n_areas = len(store.level_areas(key.level))
    if n_areas >= data.settings().map_image_min_areas:
        if data.level_raster(store, key.level) is not None:
            return _image_layer(store, key)
        if n_areas > POLYGON_MAX_AREAS:
            raise ValueError(
                f"Die Ebene hat {n_areas} Gebiete und kein regelmäßiges Raster; so "
                "viele Flächen kann die Karte nicht zeichnen."
            )
    return _polygon_layer(store, key)


def _first(values) -> float:
    """The city's value (NaN when the folder has no area of level ``stadt``)."""
    return float(np.asarray(values, dtype=float)[0]) if len(values) else float("nan")


# 32 views: a workshop's maps (measured: 276 KiB per layer of 631 cells, about
# 440 B per area, so ~9 MiB per layer just below the image threshold of 20,000
# areas; 96 entries could have held 0.8 GiB there). docs/PERFORMANCE.md, "Caches".
@st.cache_resource(hash_funcs=data.STORE_HASH, max_entries=32, show_spinner=False)
def _polygon_layer(store: Store, key: LayerKey) -> MapLayer:
    ind = store.catalog[key.indicator_id]
    now = data.level_values(store, ind.id, key.year, key.level)
    city = _first(data.level_values(store, ind.id, key.year, "stadt").value)
    if key.change:
        before = data.level_values(store, ind.id, key.year_from, key.level)
        table = map_tables.change_table(now, before)
        shown, status_col = table["change"], "change_status"
    else:
        table = map_tables.state_table(now, city)
        shown, status_col = table["value"], "status"
        town = data.level_values(store, ind.id, key.year, "stadt").iloc[0]
        table = table.join(
            uncertainty.rate_columns(
                table.numerator,
                table.denominator,
                ind.unit,
                (float(town.numerator), float(town.denominator)),
            ).set_index(table.index)
        )
    classes = _classes(ind, shown.to_numpy(), key)

    geo = data.geometries(store, key.level).set_index("area_id").loc[table.area_id]
    records = choropleth.indicator_records(
        geo.reset_index(),
        table.assign(value=shown, status=table[status_col]),
        yb=np.asarray(classes.classes.yb),
        colors=classes.colors,
        unit=ind.unit,
        lang=key.lang,
        suppressed_rgb=SUPPRESSED_RGB,
        missing_rgb=MISSING_RGB,
        extra_tips=map_tables.tooltips(
            table, ind.unit, key.lang, change=key.change, year_from=key.year_from
        ),
        value_formatter=(lambda v: fmt_change(v, ind.unit, key.lang))
        if key.change
        else None,
    )
    status = table[status_col]
    return MapLayer(
        table,
        status_col,
        classes.classes,
        classes.colors,
        classes.labels,
        deck.records_json(records),  # one string per cached view
        city,
        classes.breaks_invalid,
        n_suppressed=int((status == "suppressed").sum()),
        n_missing=int((status == "missing").sum()),
        n_areas=len(table),
        status_counts={str(k): int(v) for k, v in status.value_counts().items()},
        flags=()
        if key.change or "flag" not in table
        else tuple(sorted(table.loc[table.status == "ok", "flag"].dropna().unique())),
        distribution=_distribution(ind, shown.to_numpy(), classes, key, table.name),
    )


def _distribution(ind, values, classes: choropleth.MapClasses, key: LayerKey, names):
    return distribution.distribution_figure(
        values,
        classes.classes,
        classes.colors,
        unit=ind.unit,
        lang=key.lang,
        change=key.change,
        names=names,
    )


def _classes(ind, values: np.ndarray, key: LayerKey) -> choropleth.MapClasses:
    return choropleth.map_classes(
        ind,
        values,
        scheme=key.scheme,
        k=key.k,
        breaks_text=key.breaks_text,
        change=key.change,
        lang=key.lang,
    )


@st.cache_resource(hash_funcs=data.STORE_HASH, max_entries=8, show_spinner=False)
def _image_layer(store: Store, key: LayerKey) -> MapLayer:
    ind, level = store.catalog[key.indicator_id], key.level
    now = data.level_arrays(store, ind.id, key.year, level)
    city = _first(data.level_arrays(store, ind.id, key.year, "stadt").value)
    before = (
        data.level_arrays(store, ind.id, key.year_from, level) if key.change else None
    )
    rows = map_tables.ArrayTable(
        store.level_areas(level),
        lambda area_id: data.area_position(store, level, area_id),
        now,
        before,
        city,
        key.change,
        STATUS_CODES,
    )
    classes = _classes(ind, rows.values, key)
    codes, palette = choropleth.image_codes(
        classes.classes, rows.status == 1, classes.colors
    )
    raster = data.level_raster(store, level)
    png = raster_map.palette_png(class_image(raster.grid, codes), palette)
    counts = np.bincount(rows.status, minlength=len(STATUS_CODES))
    return MapLayer(
        rows.top(TOP_ROWS),
        "change_status" if key.change else "status",
        classes.classes,
        classes.colors,
        classes.labels,
        None,
        city,
        classes.breaks_invalid,
        n_suppressed=int(counts[1]),
        n_missing=int(counts[2]),
        n_areas=len(rows.values),
        image=MapImage(raster_map.png_data_url(png), len(png), raster),
        distribution=_distribution(ind, rows.values, classes, key, None),
        _full=rows,
        status_counts={
            name: int(n) for name, n in zip(STATUS_CODES, counts, strict=False) if n
        },
    )
