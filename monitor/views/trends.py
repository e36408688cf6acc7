"""Change over time (page "Entwicklung"): time series against the city and the
benchmarks, optionally as an index (first year = 100), with the data breaks
marked, and the change between two years as a ranked bar chart.

Breaks come from the catalogue (``notes`` per indicator and year) plus two events
that touch every social indicator: the Covid pandemic (2020) and the arrival of
refugees from Ukraine (2022). A catalogue note of the same year replaces the
general one.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.catalog import Indicator
from monitor.formatting import (
    MISSING,
    SUPPRESSED,
    fmt_change,
    fmt_number,
    fmt_value,
    unit_decimals,
    unit_suffix,
)
from monitor.i18n import t
from monitor.place import Benchmark
from monitor.views.charts import figure
from monitor.views.comparison import CITY_COLOR, reference_color
from monitor.views.exports import masked
from monitor.views.map_tables import change_table

__all__ = [
    "GENERAL_EVENTS",
    "MARKS",
    "BENCHMARK_DASHES",
    "trend_series",
    "indexed",
    "break_events",
    "trend_figure",
    "series_legend_html",
    "series_export",
    "area_rows",
    "concat_exports",
    "ranked_changes",
    "change_figure",
    "change_export",
]

GENERAL_EVENTS = {2020: "entwicklung.event_covid", 2022: "entwicklung.event_ukraine"}
MARKS = "①②③④⑤⑥⑦⑧⑨"
BENCHMARK_DASHES = ("dash", "dot", "dashdot", "longdash")
"""Line styles of the benchmarks, by their position in the data's order."""
_MARKERS = ("circle", "square", "diamond", "triangle-up")


def trend_series(
    *,
    values: pd.DataFrame,
    bench: pd.DataFrame,
    indicator_id: str,
    area_ids: Sequence[str],
    names: pd.Series,
    city: str | None,
    lang: str,
    benchmarks: Sequence[Benchmark] = (),
) -> pd.DataFrame:
    """Long frame: ``series`` (area id or benchmark id), ``label``, ``kind``
    (area | city | benchmark), ``year``, ``value``, ``status``, ``position`` (of a
    benchmark in the data's order: its line style); the city is named as in
    ``names`` (areas.parquet)."""
    parts = []
    sub = values[values.indicator_id == indicator_id]
    for area_id in [*area_ids, *([city] if city and city not in area_ids else [])]:
        rows = sub[sub.area_id == area_id].sort_values("year")
        kind = "city" if area_id == city else "area"
        label = str(names.get(area_id, area_id))
        parts.append(
            pd.DataFrame(
                {
                    "series": area_id,
                    "label": label,
                    "kind": kind,
                    "year": rows.year.astype(int).to_numpy(),
                    "value": rows.value.to_numpy(dtype=float),
                    "status": rows.status.astype(str).to_numpy(),
                }
            )
        )
    bsub = bench[bench.indicator_id == indicator_id]
    for position, benchmark in enumerate(benchmarks):
        rows = bsub[bsub.benchmark_id == benchmark.id].sort_values("year")
        if rows.empty:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "series": benchmark.id,
                    "label": benchmark.name(lang),
                    "kind": "benchmark",
                    "year": rows.year.astype(int).to_numpy(),
                    "value": rows.value.to_numpy(dtype=float),
                    "status": "ok",
                    "position": position,
                }
            )
        )
    if not parts:
        return pd.DataFrame(
            columns=["series", "label", "kind", "year", "value", "status", "position"]
        )
    return pd.concat(parts, ignore_index=True)


def indexed(series: pd.DataFrame, base_year: int) -> tuple[pd.DataFrame, list[str]]:
    """Each series divided by its value in ``base_year`` times 100.

    Returns the frame with ``value`` replaced by the index and the labels of the
    series left out because their base value is suppressed or missing.
    """
    out, dropped = [], []
    for _, grp in series.groupby("series", sort=False):
        base = grp[(grp.year == base_year) & (grp.status != "suppressed")].value
        if base.empty or pd.isna(base.iloc[0]) or base.iloc[0] == 0:
            dropped.append(str(grp.label.iloc[0]))
            continue
        grp = grp.copy()
        grp["value"] = 100.0 * grp.value / float(base.iloc[0])
        out.append(grp)
    frame = pd.concat(out, ignore_index=True) if out else series.iloc[0:0]
    return frame, dropped


def break_events(
    ind: Indicator, years: Sequence[int], lang: str
) -> list[tuple[int, str]]:
    """(year, text) of the breaks inside the shown years, oldest first."""
    shown = set(years)
    if len(shown) < 2:  # a single year has no course to break
        return []
    events: dict[int, str] = {}
    for year, key in GENERAL_EVENTS.items():
        if year in shown:
            events[year] = t(key, lang)
    for note in ind.notes:
        year = int(note.get("year", 0))
        text = note.get("en" if lang == "en" else "de", "")
        if year in shown and text:
            events[year] = text
    return sorted(events.items())


def _position(rows: pd.DataFrame) -> int:
    """A benchmark's position in the data's order (0 when not given)."""
    if "position" not in rows or rows["position"].isna().all():
        return 0
    return int(rows["position"].dropna().iloc[0])


def _series_traces(
    series: pd.DataFrame,
    ind: Indicator,
    lang: str,
    colors: dict[str, str],
    index_base: int | None,
) -> list[dict]:
    """One line per series: areas solid with their colour and marker, the city
    dark, benchmarks dashed; suppressed years are gaps ("·" in the hover)."""
    data = []
    n_area = 0
    for sid, grp in series.groupby("series", sort=False):
        kind = grp.kind.iloc[0]
        label = escape(str(grp.label.iloc[0]), quote=False)
        y = [
            None if (s == "suppressed" or v != v) else float(v)
            for v, s in zip(grp.value, grp.status, strict=True)
        ]
        if index_base is None:
            texts = [
                SUPPRESSED if s == "suppressed" else fmt_value(v, ind.unit, lang)
                for v, s in zip(grp.value, grp.status, strict=True)
            ]
        else:
            texts = [
                SUPPRESSED if s == "suppressed" else fmt_number(v, lang, 1)
                for v, s in zip(grp.value, grp.status, strict=True)
            ]
        if kind == "area":
            line = {"color": colors.get(sid, "#1f5fa8"), "width": 3.5}
            marker = {"size": 7, "symbol": _MARKERS[n_area % len(_MARKERS)]}
            n_area += 1
        elif kind == "city":
            line = {"color": CITY_COLOR, "width": 3}
            marker = {"size": 6}
        else:
            position = _position(grp)
            line = {
                "color": reference_color(position),
                "width": 2.2,
                "dash": BENCHMARK_DASHES[position % len(BENCHMARK_DASHES)],
            }
            marker = {"size": 4}
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": grp.year.astype(int).tolist(),
                "y": y,
                "name": label,
                "line": line,
                "marker": marker,
                "text": texts,
                "hovertemplate": f"{label} %{{x}}: %{{text}}<extra></extra>",
                "connectgaps": False,
            }
        )
    return data


def _break_marks(
    events: Sequence[tuple[int, str]], scale: float, index_base: int | None
) -> tuple[list[dict], list[dict]]:
    """Dotted vertical lines at data breaks with their numbers ①, ②…, and the
    100 line of an index chart: (shapes, annotations)."""
    shapes, notes = [], []
    for k, (year, _text) in enumerate(events):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": year,
                "x1": year,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#7f8fa3", "width": 1.5, "dash": "dot"},
            }
        )
        notes.append(
            {
                "text": MARKS[k % len(MARKS)],
                "xref": "x",
                "yref": "paper",
                "x": year,
                "y": 1.0,
                "yanchor": "top",
                "xanchor": "left",
                "xshift": 2,
                "showarrow": False,
                "font": {"size": round(16 * scale), "color": "#5f6b7a"},
            }
        )
    if index_base is not None:
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": 100,
                "y1": 100,
                "line": {"color": "#1b1b1b", "width": 1},
            }
        )
    return shapes, notes


def trend_figure(
    series: pd.DataFrame,
    ind: Indicator,
    *,
    lang: str,
    colors: dict[str, str],
    events: Sequence[tuple[int, str]] = (),
    index_base: int | None = None,
    footer: str = "",
    scale: float = 1.0,
    height: int = 380,
    legend: bool = False,
    footer_chars: int = 140,
) -> go.Figure:
    """Lines per area (solid), the city (dark), benchmarks (dashed, light);
    suppressed years are gaps; breaks are dotted vertical lines numbered ①, ②…

    On screen the legend is one HTML block above all charts
    (:func:`series_legend_html`); ``legend=True`` puts it right of the plot for a
    self-contained PNG."""
    data = _series_traces(series, ind, lang, colors, index_base)
    shapes, notes = _break_marks(events, scale, index_base)
    title = ind.text("name", lang)
    if ind.unit == "per_100" and index_base is None:
        title = f"{title} ({unit_suffix(ind.unit, lang).strip()})"
    if index_base is not None:
        title = t("entwicklung.index_title", lang, name=title, year=index_base)
    return figure(
        data,
        {
            "title": {
                "text": escape(title, quote=False),
                "font": {"size": round(17 * scale)},
            },
            "showlegend": legend,
            "legend": {"orientation": "v", "yanchor": "top", "y": 1.0, "x": 1.02},
            "margin": {"l": 10, "r": 20, "t": 50, "b": 10},
            "shapes": shapes,
            "annotations": notes,
            "xaxis": {
                "dtick": 1 if len(set(series.year)) <= 8 else 2,
                "showgrid": False,
            },
            "yaxis": {
                "gridcolor": "#e5e8ec",
                "ticksuffix": ""
                if index_base is not None or ind.unit == "per_100"
                else unit_suffix(ind.unit, lang),
                "rangemode": "normal" if index_base is not None else "tozero",
            },
        },
        lang=lang,
        height=height,
        scale=scale,
        footer=footer,
        footer_gap=24,
        footer_chars=footer_chars,
    )


def series_legend_html(series: pd.DataFrame, colors: dict[str, str]) -> str:
    """One legend for all line charts of the page: a line sample (colour, dash)
    with the series' marker and its label; labels are escaped."""
    items = []
    n_area = 0
    symbols = {"circle": "●", "square": "■", "diamond": "◆", "triangle-up": "▲"}
    styles = {
        "dash": "dashed",
        "dot": "dotted",
        "dashdot": "dashed",
        "longdash": "dashed",
    }
    for sid, label, kind in (
        series[["series", "label", "kind"]].drop_duplicates().itertuples(index=False)
    ):
        if kind == "benchmark":
            position = _position(series[series.series == sid])
        if kind == "area":
            color, width, style = colors.get(sid, "#1f5fa8"), 4, "solid"
            marker = symbols[_MARKERS[n_area % len(_MARKERS)]]
            n_area += 1
        elif kind == "city":
            color, width, style, marker = CITY_COLOR, 3, "solid", "●"
        else:
            color, width = reference_color(position), 3
            dash = BENCHMARK_DASHES[position % len(BENCHMARK_DASHES)]
            style, marker = styles[dash], ""
        items.append(
            "<span role='listitem' style='display:inline-flex;align-items:center;"
            "gap:.4rem;margin-right:1.2rem;white-space:nowrap'>"
            "<span aria-hidden='true' style='position:relative;display:inline-block;"
            f"width:2rem;border-top:{width}px {style} {color}'>"
            "<span style='position:absolute;left:50%;top:50%;"
            f"transform:translate(-50%,-58%);color:{color};font-size:.8rem'>"
            f"{marker}</span></span>{escape(str(label))}</span>"
        )
    return (
        "<div role='list' style='font-size:.95rem;line-height:2'>"
        + "".join(items)
        + "</div>"
    )


def series_export(
    series: pd.DataFrame, ind: Indicator, lang: str, *, index_base: int | None = None
) -> pd.DataFrame:
    """The lines as a table (rounded as shown, "·" for suppressed years)."""
    decimals = 1 if index_base is not None else unit_decimals(ind.unit)
    frame = pd.DataFrame(
        {
            t("entwicklung.col_series", lang): series.label.astype(str).to_numpy(),
            t("entwicklung.col_indicator", lang): ind.text("name", lang),
            t("entwicklung.col_indicator_id", lang): ind.id,
            t("entwicklung.col_year", lang): series.year.astype(int).to_numpy(),
            t(
                "entwicklung.col_index"
                if index_base is not None
                else "entwicklung.col_value",
                lang,
                year=index_base,
            ): [round(float(v), decimals) if v == v else np.nan for v in series.value],
        }
    )
    col = frame.columns[-1]
    return masked(frame, {col: (series.status == "suppressed").to_numpy()})


def area_rows(
    values: pd.DataFrame,
    indicator_id: str,
    year: int,
    area_ids: Sequence[str],
    names: pd.Series,
) -> pd.DataFrame:
    """Rows shaped like ``level_values`` (area_id, name, value, status) for areas
    of any level, from the store's ``area_values``."""
    sub = values[(values.indicator_id == indicator_id) & (values.year == year)]
    found = sub.set_index("area_id")
    return pd.DataFrame(
        {
            "area_id": list(area_ids),
            "name": [str(names.get(a, a)) for a in area_ids],
            "value": [
                float(found.value.get(a)) if a in found.index else np.nan
                for a in area_ids
            ],
            "status": [
                str(found.status.get(a)) if a in found.index else "missing"
                for a in area_ids
            ],
        }
    )


def concat_exports(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The export frames of several indicators as one table."""
    return pd.concat(list(frames), ignore_index=True) if frames else pd.DataFrame()


def ranked_changes(
    now: pd.DataFrame,
    before: pd.DataFrame,
    *,
    extra_now: pd.DataFrame | None = None,
    extra_before: pd.DataFrame | None = None,
    highlight: Sequence[str] = (),
    city: str | None = None,
) -> pd.DataFrame:
    """Change per area between two years (map_tables.change_table), the level's areas
    ranked by change, with extra rows (the city, chosen areas of other levels)
    appended and marked ``kind`` = reference | chosen | area."""
    table = change_table(now, before)
    table["kind"] = np.where(table.area_id.isin(list(highlight)), "chosen", "area")
    if extra_now is not None and len(extra_now):
        extra = change_table(extra_now, extra_before)
        extra["kind"] = np.where(extra.area_id == city, "reference", "chosen")
        extra["rank"] = pd.array([pd.NA] * len(extra), dtype="Int64")
        table = pd.concat([table, extra], ignore_index=True)
    order = (
        table.change.fillna(-np.inf).sort_values(ascending=False, kind="stable").index
    )
    return table.loc[order].reset_index(drop=True)


def change_figure(
    table: pd.DataFrame,
    ind: Indicator,
    *,
    lang: str,
    year_from: int,
    year: int,
    colors: dict[str, str],
    level_label: str,
    footer: str = "",
    scale: float = 1.0,
) -> go.Figure:
    """Horizontal bars of the change, largest increase on top; orange = change for
    the worse, purple = for the better (grey for context indicators); chosen
    areas in their line colours, the city dark; "·" where suppressed."""
    from monitor.views.minicharts import BETTER, NEUTRAL_BAR, WORSE

    labels = [escape(str(n), quote=False) for n in table.name]
    worse_up = ind.direction == "higher_is_worse"
    bars, texts, outline = [], [], []
    for row in table.itertuples(index=False):
        ch = row.change
        if row.kind == "reference":
            bars.append(CITY_COLOR)
        elif row.kind == "chosen":
            bars.append(colors.get(row.area_id, "#1f5fa8"))
        elif ind.direction == "context" or ch != ch:
            bars.append(NEUTRAL_BAR)
        else:
            bars.append(WORSE if (ch > 0) == worse_up else BETTER)
        if row.change_status == "suppressed":
            texts.append(SUPPRESSED)
        elif ch != ch:
            texts.append(MISSING)
        else:
            texts.append(fmt_change(ch, ind.unit, lang))
        outline.append(2 if row.kind in ("chosen", "reference") else 0)
    values = [0.0 if v != v else float(v) for v in table.change]
    span = max([abs(v) for v in values] + [0.1])
    height = 110 + 24 * len(table)
    title = t(
        "entwicklung.change_title",
        lang,
        indicator=ind.text("name", lang),
        year_from=year_from,
        year=year,
        level=level_label,
    )
    return figure(
        [
            {
                "type": "bar",
                "orientation": "h",
                "x": values,
                "y": labels,
                "marker": {
                    "color": bars,
                    "line": {"color": "#1b1b1b", "width": outline},
                },
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{text}<extra></extra>",
            }
        ],
        {
            "title": {
                "text": escape(title, quote=False),
                "font": {"size": round(17 * scale)},
            },
            "showlegend": False,
            "margin": {"l": 10, "r": 30, "t": 60, "b": 10},
            "xaxis": {
                "range": [-span * 1.35, span * 1.35],
                "zeroline": True,
                "zerolinecolor": "#1b1b1b",
                "zerolinewidth": 1.5,
                "gridcolor": "#e5e8ec",
                "title": {"text": t(f"entwicklung.change_axis_{ind.unit}", lang)},
            },
            "yaxis": {"autorange": "reversed", "automargin": True, "type": "category"},
        },
        lang=lang,
        height=height,
        scale=scale,
        footer=footer,
        footer_gap=48,
    )


def change_export(
    table: pd.DataFrame, ind: Indicator, lang: str, *, year_from: int, year: int
) -> pd.DataFrame:
    """The ranked changes as shown (rank among the level's areas, "·")."""
    decimals = unit_decimals(ind.unit)

    def rounded(series):
        return [round(float(v), decimals) if v == v else np.nan for v in series]

    rank = [pd.NA if pd.isna(r) else int(r) for r in table["rank"]]
    frame = pd.DataFrame(
        {
            t("entwicklung.col_area", lang): table.name.astype(str).to_numpy(),
            t("entwicklung.col_kind", lang): [
                t(f"entwicklung.kind_{k}", lang) for k in table.kind
            ],
            t("entwicklung.col_indicator_id", lang): ind.id,
            t("entwicklung.col_value_from", lang, year=year_from): rounded(
                table.value_before
            ),
            t("entwicklung.col_value_to", lang, year=year): rounded(table.value),
            t("entwicklung.col_change", lang): rounded(table.change),
            t("entwicklung.col_rank", lang): pd.array(rank, dtype="Int64"),
        }
    )
    cols = list(frame.columns)
    return masked(
        frame,
        {
            cols[3]: (table.status_before == "suppressed").to_numpy(),
            cols[4]: (table.status == "suppressed").to_numpy(),
            cols[5]: (table.change_status == "suppressed").to_numpy(),
        },
    )
