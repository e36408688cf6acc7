"""Two indicators over the areas of one level (page "Zusammenhang"): the pairs,
the scatter, the bivariate map with its 3 x 3 legend, and the export table.

The scatter's points carry the colour of their bivariate class, so scatter and
map read the same way; Spearman's rho comes from
:func:`monitor.methods.correlation.spearman` and the classes from
:func:`monitor.methods.bivariate.bivariate_classes` (terciles over the areas with
both values). Texts come from the locale files (``correlation.*``,
``bivariate.*``, ``zusammenhang.*``); names from the data are escaped in HTML
and written as text in tooltips.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.catalog import Indicator
from monitor.formatting import SUPPRESSED, fmt_number, fmt_value, unit_suffix
from monitor.i18n import t
from monitor.methods.bivariate import N_CLASSES, BivariateClasses, bivariate_classes
from monitor.methods.correlation import RankCorrelation, spearman
from monitor.views import charts, static_map
from monitor.views.choropleth import FILL_ALPHA
from monitor.views.deck import polygon_records
from monitor.views.palettes import (
    BIVARIATE_RGB,
    HIGHLIGHT,
    MISSING_RGB,
    SELECTION_RGB,
    SUPPRESSED_RGB,
    text_on,
    to_hex,
)

__all__ = [
    "Relation",
    "build_relation",
    "pair_frame",
    "class_text",
    "correlation_lines",
    "scatter_figure",
    "map_records",
    "legend_html",
    "selection_table",
    "export_frame",
    "map_export_frame",
    "class_labels",
    "map_png",
]

TIER = ("low", "middle", "high")


@dataclass(frozen=True, eq=False)
class Relation:
    """The pairs of one level (``area_id``, ``name``, ``x``, ``x_status``, ``y``,
    ``y_status``; values NaN unless ``ok``), their classes and Spearman's rho."""

    pairs: pd.DataFrame
    classes: BivariateClasses
    rho: RankCorrelation

    @property
    def complete(self) -> np.ndarray:
        return np.isfinite(self.pairs.x.to_numpy()) & np.isfinite(
            self.pairs.y.to_numpy()
        )

    @property
    def plotted_ids(self) -> list[str]:
        """Area ids of the scatter's points, in point order (selection events
        name points by their index)."""
        return self.pairs.area_id[self.complete].astype(str).tolist()

    @property
    def status(self) -> np.ndarray:
        """One status per area for the map: suppressed if either value is,
        missing if either is missing, else ok."""
        xs, ys = self.pairs.x_status.to_numpy(), self.pairs.y_status.to_numpy()
        either_secret = (xs == "suppressed") | (ys == "suppressed")
        both_ok = (xs == "ok") & (ys == "ok")
        return np.where(either_secret, "suppressed", np.where(both_ok, "ok", "missing"))


def _side(values: pd.DataFrame, name: str) -> pd.DataFrame:
    ok = values.status == "ok"
    return pd.DataFrame(
        {
            "area_id": values.area_id.astype(str),
            name: values.value.where(ok).astype(float),
            f"{name}_status": values.status.astype(str),
        }
    )


def pair_frame(x_values: pd.DataFrame, y_values: pd.DataFrame) -> pd.DataFrame:
    """One row per area of ``x_values`` (``Store.level_values`` frames of the
    same level) with both values; an area without a y row is missing."""
    pairs = x_values[["area_id", "name"]].astype({"area_id": str, "name": str})
    pairs = pairs.reset_index(drop=True)
    pairs = pairs.merge(_side(x_values, "x"), on="area_id", how="left")
    pairs = pairs.merge(_side(y_values, "y"), on="area_id", how="left")
    pairs["y_status"] = pairs["y_status"].fillna("missing")
    return pairs


def build_relation(x_values: pd.DataFrame, y_values: pd.DataFrame) -> Relation:
    """Pairs (:func:`pair_frame`), their 3 x 3 classes and Spearman's rho."""
    pairs = pair_frame(x_values, y_values)
    classes = bivariate_classes(pairs.x.to_numpy(), pairs.y.to_numpy())
    return Relation(pairs, classes, spearman(pairs.x.to_numpy(), pairs.y.to_numpy()))


def class_text(index: int, x_name: str, y_name: str, lang: str) -> str:
    """ "Kinderarmut: hoch · SGB-II-Quote: niedrig" for class ``3 * y + x``."""
    if index < 0:
        return t("bivariate.missing", lang)
    y_tier, x_tier = divmod(int(index), N_CLASSES)
    return (
        f"{x_name}: {t(f'bivariate.{TIER[x_tier]}', lang)} · "
        f"{y_name}: {t(f'bivariate.{TIER[y_tier]}', lang)}"
    )


def class_labels(x_name: str, y_name: str, lang: str) -> list[str]:
    """The nine class texts in class order (legends of the PNG)."""
    return [class_text(i, x_name, y_name, lang) for i in range(N_CLASSES**2)]


def correlation_lines(relation: Relation, lang: str) -> list[str]:
    """Spearman's rho with p and n (or why there is none), the dropped pairs."""
    r = relation.rho
    if r.ok:
        key = "correlation.rho_small" if r.p_value < 0.001 else "correlation.rho"
        rho, p = fmt_number(r.rho, lang, 2), fmt_number(r.p_value, lang, 3)
        lines = [t(key, lang, rho=rho, p=p, n=r.n)]
    else:
        lines = [t(f"correlation.{r.reason}", lang, **r.params)]
    if r.n_dropped:
        lines.append(t("correlation.dropped", lang, n=r.n_dropped))
    return lines


def _value_texts(values: np.ndarray, unit: str, lang: str) -> list[str]:
    return [fmt_value(v, unit, lang) for v in values]


def _bounds_shapes(classes: BivariateClasses) -> list[dict]:
    """Dotted lines at the tercile bounds: the scatter's 3 x 3 grid is the map's."""
    shapes = []
    for axis, c in (("x", classes.x), ("y", classes.y)):
        for bound in np.asarray(c.bins)[:-1]:
            line = {"type": "line", "line": {"color": "#8a94a3", "dash": "dot"}}
            if axis == "x":
                line |= {"x0": bound, "x1": bound, "yref": "paper", "y0": 0, "y1": 1}
            else:
                line |= {"y0": bound, "y1": bound, "xref": "paper", "x0": 0, "x1": 1}
            shapes.append({**line, "layer": "below", "xref": line.get("xref", "x")})
    for shape in shapes:
        shape.setdefault("yref", "y")
    return shapes


def _city_lines(city: tuple[float, float], label: str, units, lang: str) -> tuple:
    """Dashed reference lines at the city's values, each labelled."""
    shapes, notes = [], []
    cx, cy = city
    style = {"color": "#1b1b1b", "dash": "dash", "width": 1.5}
    if cx == cx:
        shapes.append(
            {"type": "line", "x0": cx, "x1": cx, "xref": "x", "y0": 0, "y1": 1,
             "yref": "paper", "line": style}
        )  # fmt: skip
        notes.append(
            {"x": cx, "xref": "x", "y": 0, "yref": "paper", "yanchor": "bottom",
             "xanchor": "left", "text": f" {label}: {fmt_value(cx, units[0], lang)}",
             "showarrow": False, "font": {"size": 13}}
        )  # fmt: skip
    if cy == cy:
        shapes.append(
            {"type": "line", "y0": cy, "y1": cy, "yref": "y", "x0": 0, "x1": 1,
             "xref": "paper", "line": style}
        )  # fmt: skip
        notes.append(
            {"y": cy, "yref": "y", "x": 1, "xref": "paper", "xanchor": "right",
             "yanchor": "bottom", "text": f"{label}: {fmt_value(cy, units[1], lang)}",
             "showarrow": False, "font": {"size": 13}}
        )  # fmt: skip
    return shapes, notes


def _area_trace(relation: Relation, x_ind, y_ind, chosen, level_label, lang) -> dict:
    complete = relation.complete
    pairs = relation.pairs[complete]
    colors = [to_hex(BIVARIATE_RGB[i]) for i in relation.classes.index[complete]]
    ids = pairs.area_id.tolist()
    custom = np.column_stack(
        [
            ids,
            _value_texts(pairs.x.to_numpy(), x_ind.unit, lang),
            _value_texts(pairs.y.to_numpy(), y_ind.unit, lang),
        ]
    ).tolist()
    trace = {
        "type": "scatter",
        "mode": "markers",
        "name": level_label,
        "x": pairs.x.tolist(),
        "y": pairs.y.tolist(),
        "text": [escape(n, quote=False) for n in pairs.name],
        "customdata": custom,
        "marker": {"color": colors, "size": 12, "line": {"color": "white", "width": 1}},
        "hovertemplate": (
            f"<b>%{{text}}</b><br>{escape(x_ind.text('name', lang))}: "
            f"%{{customdata[1]}}<br>{escape(y_ind.text('name', lang))}: "
            "%{customdata[2]}<extra></extra>"
        ),
        "selected": {"marker": {"opacity": 1, "size": 15}},
        "unselected": {"marker": {"opacity": 0.3}},
    }
    if chosen:
        wanted = set(chosen)
        trace["selectedpoints"] = [i for i, a in enumerate(ids) if a in wanted]
    return trace


def _marker_trace(points: pd.DataFrame, name: str, marker: dict, lang, units) -> dict:
    """Extra points (Perspektivquartier, the selected area), named in the
    legend and the hover (a text label would cover the points around it)."""
    return {
        "type": "scatter",
        "mode": "markers",
        "name": name,
        "x": points.x.tolist(),
        "y": points.y.tolist(),
        "text": [escape(n, quote=False) for n in points.name],
        "marker": marker,
        "customdata": [
            [fmt_value(x, units[0], lang), fmt_value(y, units[1], lang)]
            for x, y in zip(points.x, points.y, strict=True)
        ],
        "hovertemplate": "<b>%{text}</b><br>%{customdata[0]} · %{customdata[1]}"
        "<extra></extra>",
    }


def scatter_figure(
    relation: Relation,
    *,
    x_ind: Indicator,
    y_ind: Indicator,
    city: tuple[float, float],
    focus: pd.DataFrame,
    selected_area: str | None,
    chosen: Sequence[str],
    level_label: str,
    lang: str,
    footer: str = "",
    scale: float = 1.0,
    height: int = 520,
) -> go.Figure:
    """The scatter: one point per area with both values (bivariate colours),
    the Perspektivquartier(s) ``focus`` (``name``, ``x``, ``y``) as diamonds,
    the selected area ringed, the city's values as dashed lines, the tercile
    bounds dotted. Points in ``chosen`` are drawn as selected."""
    units = (x_ind.unit, y_ind.unit)
    data = [_area_trace(relation, x_ind, y_ind, chosen, level_label, lang)]
    pairs = relation.pairs[relation.complete]
    focus = focus[np.isfinite(focus.x) & np.isfinite(focus.y)]
    if len(focus):
        marker = {"symbol": "diamond", "size": 17, "color": HIGHLIGHT,
                  "line": {"color": "black", "width": 2}}  # fmt: skip
        name = t("common.focus", lang)
        data.append(_marker_trace(focus, name, marker, lang, units))
    ring = pairs[pairs.area_id == selected_area]
    if len(ring):
        marker = {"symbol": "circle-open", "size": 24,
                  "color": "#1f5fa8", "line": {"width": 3}}  # fmt: skip
        name = t("zusammenhang.selected_area", lang)
        data.append(_marker_trace(ring, name, marker, lang, units))
    shapes, notes = _city_lines(city, t("zusammenhang.city", lang), units, lang)
    layout = {
        "dragmode": "select",
        "clickmode": "event+select",
        "hovermode": "closest",
        "shapes": _bounds_shapes(relation.classes) + shapes,
        "annotations": notes,
        "margin": {"l": 10, "r": 20, "t": 40, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
        "xaxis": {
            "title": {"text": escape(x_ind.text("name", lang))},
            "ticksuffix": unit_suffix(x_ind.unit, lang),
            "gridcolor": "#e5e8ec",
            "zeroline": False,
        },
        "yaxis": {
            "title": {"text": escape(y_ind.text("name", lang))},
            "ticksuffix": unit_suffix(y_ind.unit, lang),
            "gridcolor": "#e5e8ec",
            "zeroline": False,
        },
    }
    return charts.figure(
        data, layout, lang=lang, height=height, scale=scale, footer=footer,
        footer_gap=70, footer_chars=90,
    )  # fmt: skip


# -- the bivariate map ---------------------------------------------------------------
def _tip(row, x_ind: Indicator, y_ind: Indicator, index: int, lang: str) -> str:
    x_text = fmt_value(row.x, x_ind.unit, lang, row.x_status)
    y_text = fmt_value(row.y, y_ind.unit, lang, row.y_status)
    lines = [
        f"{x_ind.text('name', lang)}: {x_text}",
        f"{y_ind.text('name', lang)}: {y_text}",
    ]
    if SUPPRESSED in (x_text, y_text):
        lines.append(t("status.suppressed", lang))
    lines.append(
        class_text(index, x_ind.text("name", lang), y_ind.text("name", lang), lang)
    )
    return "\n".join(lines)


def map_records(
    geo: gpd.GeoDataFrame, relation: Relation, x_ind, y_ind, lang: str
) -> list[dict]:
    """Polygon records of the bivariate map: fill by class, greys for
    suppressed and missing areas, both values and the class in the tooltip."""
    geometry = geo.set_index("area_id").geometry
    status = relation.status
    fills, props = [], []
    for i, row in enumerate(relation.pairs.itertuples(index=False)):
        index = int(relation.classes.index[i])
        if index >= 0:
            rgb = BIVARIATE_RGB[index]
        else:
            rgb = SUPPRESSED_RGB if status[i] == "suppressed" else MISSING_RGB
        fills.append([*rgb, FILL_ALPHA])
        props.append(
            {
                "area_id": row.area_id,
                "name": row.name,
                "tip": _tip(row, x_ind, y_ind, index, lang),
            }
        )
    shapes = gpd.GeoDataFrame(
        {"area_id": relation.pairs.area_id},
        geometry=geometry.reindex(relation.pairs.area_id).to_numpy(),
        crs=geo.crs,
    )
    keep = ~shapes.geometry.isna().to_numpy()
    return polygon_records(
        shapes[keep],
        [f for f, k in zip(fills, keep, strict=True) if k],
        [p for p, k in zip(props, keep, strict=True) if k],
    )


def legend_html(
    classes: BivariateClasses,
    x_name: str,
    y_name: str,
    lang: str,
    *,
    n_missing: int = 0,
    n_chosen: int = 0,
    focus_label: str = "",
) -> str:
    """The 3 x 3 legend as an HTML table: columns ``x`` low to high, rows ``y``
    high to low (as on the map's scatter), each cell in its colour with its
    number of areas; below it the greys, the selection and the outline."""
    tiers = [t(f"bivariate.{tier}", lang) for tier in TIER]
    head = "".join(f"<th scope='col'>{escape(tier)}</th>" for tier in tiers)
    rows = []
    for y_class in reversed(range(N_CLASSES)):
        cells = []
        for x_class in range(N_CLASSES):
            rgb = BIVARIATE_RGB[N_CLASSES * y_class + x_class]
            n = int(classes.counts[y_class, x_class])
            label = escape(
                f"{x_name} {tiers[x_class]}, {y_name} {tiers[y_class]}: {n}", quote=True
            )
            cells.append(
                f"<td style='background:{to_hex(list(rgb))};color:{text_on(rgb)}'"
                f" title='{label}'>{n}</td>"
            )
        rows.append(
            f"<tr><th scope='row'>{escape(tiers[y_class])}</th>{''.join(cells)}</tr>"
        )
    extra = []
    if n_missing:
        extra.append(
            f"<div class='qm-bv-row'><span class='qm-bv-sw' style='background:"
            f"{to_hex(SUPPRESSED_RGB)}'></span>{escape(t('bivariate.missing', lang))}"
            f": {n_missing}</div>"
        )
    if n_chosen:
        extra.append(
            "<div class='qm-bv-row'><span class='qm-bv-sw qm-bv-sel'></span>"
            f"{escape(t('zusammenhang.legend_selection', lang, n=n_chosen))}</div>"
        )
    if focus_label:
        extra.append(
            "<div class='qm-bv-row'><span class='qm-bv-sw qm-bv-focus'></span>"
            f"{escape(focus_label)}</div>"
        )
    caption = t("bivariate.legend", lang, x=x_name, y=y_name)
    style = (
        "<style>.qm-bv{font-size:1rem;line-height:1.4}"
        ".qm-bv table{border-collapse:collapse;margin:.25rem 0}"
        ".qm-bv td{width:3.2rem;height:2.4rem;text-align:center;font-weight:600;"
        "border:2px solid #fff}"
        ".qm-bv th{font-weight:400;padding:0 .4rem;font-size:.9rem}"
        ".qm-bv caption{caption-side:top;text-align:left;font-weight:600;"
        "padding-bottom:.25rem}"
        ".qm-bv-axis{font-size:.9rem;color:#333}"
        ".qm-bv-row{display:flex;align-items:center;gap:.5rem}"
        ".qm-bv-sw{width:1.6rem;height:1.1rem;border:1px solid #888;flex:none}"
        f".qm-bv-sel{{border:3px solid {to_hex(SELECTION_RGB)};background:#fff}}"
        ".qm-bv-focus{border:3px solid #000;background:transparent}</style>"
    )
    return (
        f"{style}<div class='qm-bv'><table><caption>{escape(caption)}</caption>"
        f"<thead><tr><th scope='col'>{escape(y_name)} ↑</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<div class='qm-bv-axis'>{escape(x_name)} →</div>{''.join(extra)}</div>"
    )


# -- tables ------------------------------------------------------------------------
def _shown(values, status, unit, lang) -> list[str]:
    return [fmt_value(v, unit, lang, s) for v, s in zip(values, status, strict=True)]


def selection_table(
    relation: Relation, chosen: Sequence[str], x_ind, y_ind, lang: str
) -> pd.DataFrame:
    """The areas chosen in the scatter with both values and their class."""
    pairs = relation.pairs
    keep = pairs.area_id.isin(set(chosen)).to_numpy()
    rows = pairs[keep]
    x_name, y_name = x_ind.text("name", lang), y_ind.text("name", lang)
    return pd.DataFrame(
        {
            t("common.area", lang): rows.name.to_numpy(),
            x_name: _shown(rows.x, rows.x_status, x_ind.unit, lang),
            y_name: _shown(rows.y, rows.y_status, y_ind.unit, lang),
            t("zusammenhang.col_class", lang): [
                class_text(i, x_name, y_name, lang)
                for i in relation.classes.index[keep]
            ],
        }
    )


def _masked_values(values: pd.Series, status: pd.Series) -> list:
    return [SUPPRESSED if s == "suppressed" else v for v, s in zip(values, status,
            strict=True)]  # fmt: skip


def export_frame(
    relation: Relation,
    *,
    x_ind: Indicator,
    y_ind: Indicator,
    year: int,
    y_year: int,
    level: str,
    chosen: Sequence[str],
    lang: str,
) -> pd.DataFrame:
    """The page's table for CSV and XLSX: both values per area (suppressed "·",
    missing empty), the class and whether the area is selected."""
    pairs = relation.pairs
    decimals_x = 0 if x_ind.unit == "count" else 1
    decimals_y = 0 if y_ind.unit == "count" else 1
    x_name, y_name = x_ind.text("name", lang), y_ind.text("name", lang)
    wanted = set(chosen)
    return pd.DataFrame(
        {
            t("zusammenhang.col_area_id", lang): pairs.area_id,
            t("common.area", lang): pairs.name,
            t("common.level", lang): t(f"levels.{level}", lang),
            f"{x_name} ({year})": _masked_values(
                pairs.x.round(decimals_x), pairs.x_status
            ),
            f"{y_name} ({y_year})": _masked_values(
                pairs.y.round(decimals_y), pairs.y_status
            ),
            t("zusammenhang.col_class", lang): [
                class_text(i, x_name, y_name, lang) for i in relation.classes.index
            ],
            t("zusammenhang.col_chosen", lang): [
                t("zusammenhang.chosen_mark", lang) if a in wanted else ""
                for a in pairs.area_id
            ],
        }
    )


def map_export_frame(
    geo: gpd.GeoDataFrame, relation: Relation, *, level: str
) -> gpd.GeoDataFrame:
    """The bivariate map as GIS rows: area, level, status (suppressed if either
    value is), both values, class 0-8 (empty for none); geo_exports empties the
    values of suppressed areas."""
    pairs = relation.pairs
    shapes = geo.set_index("area_id").geometry.reindex(pairs.area_id)
    index = relation.classes.index.astype(float)
    return gpd.GeoDataFrame(
        {
            "area_id": pairs.area_id.to_numpy(),
            "name": pairs.name.to_numpy(),
            "level": level,
            "status": relation.status,
            "value_x": pairs.x.to_numpy(),
            "value_y": pairs.y.to_numpy(),
            "class_3x3": np.where(index >= 0, index, np.nan),
        },
        geometry=shapes.to_numpy(),
        crs=geo.crs,
    )


def map_png(
    areas: Callable[[], gpd.GeoDataFrame],
    relation: Relation,
    labels: Sequence[str],
    **picture,
) -> bytes:
    """The bivariate map of ``areas()`` (:func:`map_export_frame`, built on click)
    as a static PNG, areas without a geometry left out; ``picture`` as
    :func:`monitor.views.static_map.choropleth_png` takes it."""
    frame = areas()
    keep = ~frame.geometry.isna().to_numpy()
    return static_map.choropleth_png(
        frame[keep],
        relation.classes.index[keep],
        list(BIVARIATE_RGB),
        labels,
        status=relation.status[keep],
        **picture,
    )
