"""Areas side by side (page "Vergleich"): one table and small multiples of bars.

Rows are the chosen areas, then the city and every benchmark of the data folder
(its place, :mod:`monitor.place`, in the data's order) as references; columns
the chosen indicators in the chosen year (or the latest year before it for an
indicator collected every few years, named in the column). The table, the chart
and the downloads come from the same frame; suppressed cells are "·".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.catalog import Catalog
from monitor.formatting import (
    MISSING,
    SUPPRESSED,
    fmt_value,
    unit_decimals,
    unit_suffix,
)
from monitor.i18n import t
from monitor.place import Place
from monitor.views import uncertainty
from monitor.views.charts import figure
from monitor.views.exports import masked
from monitor.viewstate import data_year

__all__ = [
    "AREA_COLORS",
    "CITY_COLOR",
    "REFERENCE_COLORS",
    "reference_color",
    "series_colors",
    "Comparison",
    "build_comparison",
    "display_table",
    "comparison_figure",
]

# colour-blind-safe and distinct from the orange/purple of "worse"/"better"
AREA_COLORS = ("#1f5fa8", "#1b7837", "#8e0152", "#e6ab02")
CITY_COLOR = "#4d5663"
REFERENCE_COLORS = ("#8c96a3", "#b7c0cc", "#d5dbe3", "#a3adb9")
"""Greys of the benchmarks, by their position in the data's order."""


def reference_color(position: int) -> str:
    return REFERENCE_COLORS[position % len(REFERENCE_COLORS)]


def series_colors(area_ids: Sequence[str], focus_ids: Sequence[str]) -> dict[str, str]:
    """A colour per area; the first Perspektivquartier among them keeps the
    highlight colour (with several, the others get area colours)."""
    from monitor.views.palettes import HIGHLIGHT

    colors, free = {}, iter(AREA_COLORS * 2)
    first = next((a for a in area_ids if a in set(focus_ids)), None)
    for area_id in area_ids:
        colors[area_id] = HIGHLIGHT if area_id == first else next(free)
    return colors


class Comparison:
    """The compared values: ``frame`` (as shown and downloaded: numbers rounded
    as shown, "·" for suppressed cells), ``long`` (one row per row x indicator for
    the chart), the column header and unit per indicator."""

    def __init__(self, frame, long, headers, units, years, lang):
        self.frame: pd.DataFrame = frame
        self.long: pd.DataFrame = long
        self.headers: dict[str, str] = headers
        self.units: dict[str, str] = units
        self.years: dict[str, int | None] = years
        self.lang: str = lang
        # header -> (lower, upper) per row of ``frame`` (NaN: no interval)
        self.intervals: dict[str, list[tuple[float, float]]] = {}
        # "interval wider than the difference to the city" notes, as text
        self.notes: list[str] = []


def build_comparison(
    *,
    area_ids: Sequence[str],
    areas: pd.DataFrame,
    catalog: Catalog,
    indicator_ids: Sequence[str],
    year: int,
    values: pd.DataFrame,
    bench: pd.DataFrame,
    place: Place,
    lang: str,
) -> Comparison:
    """``values``: the store's area values of ``area_ids`` and the city;
    ``bench``: benchmark values of the indicators; ``place``: the city and the
    benchmarks (names in both languages) of the data folder."""
    info = areas.set_index("area_id")
    city = place.city_id
    rows = [
        (
            a,
            str(info.name.get(a, a)),
            t(f"levels.{info.level.get(a, '')}", lang),
            "area",
        )
        for a in area_ids
    ]
    if city:
        rows.append((city, place.city_name, t("levels.stadt", lang), "city"))
    rows += [
        (b.id, b.name(lang), t("vergleich.reference", lang), "reference")
        for b in place.benchmarks
    ]
    rec = {
        (r.area_id, r.indicator_id, int(r.year)): (r.value, str(r.status))
        for r in values.itertuples(index=False)
    }
    brec = {
        (r.benchmark_id, r.indicator_id, int(r.year)): float(r.value)
        for r in bench.itertuples(index=False)
    }
    city_years = {}
    for a, ind_id, yr in rec:
        if a == city:
            city_years.setdefault(ind_id, set()).add(yr)
    headers, units, years = {}, {}, {}
    columns = {
        t("vergleich.col_area", lang): [r[1] for r in rows],
        t("vergleich.col_level", lang): [r[2] for r in rows],
    }
    suppressed = {}
    long_rows = []
    for ind_id in indicator_ids:
        ind = catalog[ind_id]
        yr = data_year(sorted(city_years.get(ind_id, ())), year)
        unit_text = unit_suffix(ind.unit, lang).strip() or t(f"units.{ind.unit}", lang)
        header = f"{ind.text('name', lang)} ({unit_text}"
        header += f", {yr})" if yr is not None and yr != year else ")"
        headers[ind_id], units[ind_id], years[ind_id] = header, ind.unit, yr
        vals, mask = [], []
        for area_id, label, _level, kind in rows:
            if kind == "reference":
                value, status = brec.get((area_id, ind_id, yr), np.nan), "ok"
                if value != value:
                    status = "missing"
            else:
                value, status = rec.get((area_id, ind_id, yr), (np.nan, "missing"))
            decimals = unit_decimals(ind.unit)
            shown = round(float(value), decimals) if value == value else np.nan
            vals.append(shown)
            mask.append(status == "suppressed")
            long_rows.append(
                {
                    "row_id": area_id,
                    "label": label,
                    "kind": kind,
                    "indicator_id": ind_id,
                    "value": shown,
                    "status": status,
                }
            )
        columns[header] = vals
        suppressed[header] = mask
    frame = masked(pd.DataFrame(columns), suppressed)
    comp = Comparison(frame, pd.DataFrame(long_rows), headers, units, years, lang)
    _add_uncertainty(comp, rows, values, indicator_ids, catalog)
    return comp


def _add_uncertainty(comp, rows, values, indicator_ids, catalog) -> None:
    """95 % intervals of the areas and the city (from their counts) and the
    notes where an area's interval is wider than its difference to the city."""
    counts = {
        (r.area_id, r.indicator_id, int(r.year)): (r.numerator, r.denominator)
        for r in values.itertuples(index=False)
    }
    city_row = next((i for i, r in enumerate(rows) if r[3] == "city"), None)
    for ind_id in indicator_ids:
        unit, year = catalog[ind_id].unit, comp.years[ind_id]
        pairs = [counts.get((r[0], ind_id, year), (np.nan, np.nan)) for r in rows]
        bounds = uncertainty.rate_columns(
            [p[0] for p in pairs], [p[1] for p in pairs], unit
        )
        header = comp.headers[ind_id]
        comp.intervals[header] = list(zip(bounds.ci_lower, bounds.ci_upper,
                                          strict=True))  # fmt: skip
        if city_row is None:
            continue
        town = comp.frame[header].iloc[city_row]
        for i, r in enumerate(rows):
            value = comp.frame[header].iloc[i]
            if r[3] != "area" or isinstance(value, str) or isinstance(town, str):
                continue
            note = uncertainty.wider_note(
                bounds.ci_lower[i], bounds.ci_upper[i], value - town, unit, comp.lang
            )
            if note:
                name = catalog[ind_id].text("name", comp.lang)
                comp.notes.append(f"{r[1]} · {name}: {note}")


def display_table(comp: Comparison) -> pd.DataFrame:
    """The frame with numbers formatted the language's way ("·" stays)."""
    shown = comp.frame.copy()
    for ind_id, header in comp.headers.items():
        unit = comp.units[ind_id]
        bounds = comp.intervals.get(header) or [(np.nan, np.nan)] * len(shown)
        shown[header] = [
            v
            if isinstance(v, str)
            else (MISSING if v != v else _with_interval(v, unit, comp.lang, b))
            for v, b in zip(comp.frame[header], bounds, strict=True)
        ]
    return shown


def _with_interval(value, unit: str, lang: str, bounds) -> str:
    """ "37,1 % (33,0–41,3)": the value and its 95 % interval, if any."""
    text = uncertainty.range_text(*bounds, unit, lang)
    return fmt_value(value, unit, lang) + (f" ({text})" if text else "")


def _row_colors(long: pd.DataFrame, colors: dict[str, str]) -> dict[str, str]:
    """Bar colour per row label: areas their series colour, the city dark grey,
    references lighter greys in their order."""
    row_color, n_ref = {}, 0
    for row_id, label, kind in (
        long[["row_id", "label", "kind"]].drop_duplicates().itertuples(index=False)
    ):
        if kind == "reference":
            row_color[label] = reference_color(n_ref)
            n_ref += 1
        else:
            row_color[label] = (
                colors.get(row_id, AREA_COLORS[0]) if kind == "area" else CITY_COLOR
            )
    return row_color


def _panel_bars(
    part: pd.DataFrame,
    unit: str,
    lang: str,
    esc: dict[str, str],
    row_color: dict[str, str],
    ax: str,
) -> dict:
    """The bars of one indicator's panel ("·" suppressed, "–" missing)."""
    texts = [
        SUPPRESSED
        if s == "suppressed"
        else (MISSING if v != v else fmt_value(v, unit, lang))
        for v, s in zip(part.value, part.status, strict=True)
    ]
    return {
        "type": "bar",
        "orientation": "h",
        "x": [0.0 if v != v else float(v) for v in part.value],
        "y": [esc[lab] for lab in part.label],
        "marker": {"color": [row_color[lab] for lab in part.label]},
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{text}<extra></extra>",
        "xaxis": f"x{ax}",
        "yaxis": f"y{ax}",
        "showlegend": False,
    }


def comparison_figure(
    comp: Comparison,
    *,
    colors: dict[str, str],
    footer: str = "",
    scale: float = 1.0,
    columns: int = 3,
) -> go.Figure:
    """Small multiples: one panel of horizontal bars per indicator, the same rows
    (areas, city, benchmarks) in every panel; "·" where a value is suppressed."""
    lang = comp.lang
    long = comp.long
    inds = list(comp.headers)
    n = max(len(inds), 1)
    cols = min(columns, n)
    nrows = math.ceil(n / cols)
    labels = list(dict.fromkeys(long.label)) if len(long) else []
    esc = {lab: escape(lab, quote=False) for lab in labels}
    row_color = _row_colors(long, colors)
    panel_h = 60 + 30 * len(labels)
    height = 40 + panel_h * nrows
    gap_x, gap_y = 0.06, 70 / height
    data, layout, notes = [], {}, []
    for k, ind_id in enumerate(inds):
        r, c = divmod(k, cols)
        ax = "" if k == 0 else str(k + 1)
        unit = comp.units[ind_id]
        bars = _panel_bars(
            long[long.indicator_id == ind_id], unit, lang, esc, row_color, ax
        )
        data.append(bars)
        x0 = c / cols + (gap_x if c else 0)
        x1 = (c + 1) / cols - gap_x / 2
        y1 = 1 - r / nrows - gap_y
        y0 = 1 - (r + 1) / nrows + 10 / height
        top = max(bars["x"] + [1.0])
        layout[f"xaxis{ax}"] = {
            "domain": [x0, x1],
            "anchor": f"y{ax}",
            "range": [0, top * 1.35],
            "gridcolor": "#e5e8ec",
            "ticksuffix": unit_suffix(unit, lang),
            "zeroline": True,
        }
        layout[f"yaxis{ax}"] = {
            "domain": [y0, y1],
            "anchor": f"x{ax}",
            "autorange": "reversed",
            "showticklabels": c == 0,
            "automargin": True,
            "categoryorder": "array",
            "categoryarray": [esc[lab] for lab in labels],
        }
        notes.append(
            {
                "text": f"<b>{escape(comp.headers[ind_id], quote=False)}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": x0,
                "y": y1,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": round(15 * scale)},
            }
        )
    layout.update(
        {
            "annotations": notes,
            "showlegend": False,
            "margin": {"l": 10, "r": 30, "t": 30, "b": 10},
            "bargap": 0.25,
        }
    )
    return figure(
        data,
        layout,
        lang=lang,
        height=height,
        scale=scale,
        footer=footer,
        footer_gap=24,
    )
