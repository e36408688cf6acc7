"""Maps, tables and the yearly strip of the Hotspots page."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import SUPPRESSED, fmt_number, fmt_value
from monitor.i18n import t
from monitor.views import static_map
from monitor.views.charts import base_layout
from monitor.views.deck import polygon_records
from monitor.views.palettes import EMERGING_RGB, EXCLUDED_RGB, GI_RGB, LISA_RGB

__all__ = [
    "CLASS_PALETTES",
    "class_entries",
    "records",
    "emerging_records",
    "significant_table",
    "gi_strip",
    "export_frame",
    "map_frame",
    "png_classes",
    "map_png",
]


CLASS_PALETTES = {"gi_class": GI_RGB, "lisa_class": LISA_RGB}
"""The colours of a class column's classes."""


def records(geo, result, class_col: str, palette: dict, ind, lang: str, names):
    """Map records for Gi* or LISA classes; excluded areas grey with their reason."""
    units = result.units
    fills, props, counts = [], [], {}
    for area_id in geo.area_id:
        name = str(names.get(area_id, area_id))
        if area_id in units.index:
            row = units.loc[area_id]
            cls = row[class_col]
            counts[cls] = counts.get(cls, 0) + 1
            fill = [*palette[cls], 220]
            tip = "\n".join(
                [
                    t(f"hotspots.class_{cls}", lang),
                    t(
                        "hotspots.tip_value",
                        lang,
                        raw=fmt_value(row.value_raw, ind.unit, lang),
                        smoothed=fmt_value(row.value_smoothed, ind.unit, lang),
                    ),
                    t(
                        "hotspots.tip_stats",
                        lang,
                        z=fmt_number(row.gi_z, lang, 2),
                        p=fmt_number(row.gi_p, lang, 3),
                    ),
                ]
            )
        else:
            reason = result.excluded.get(area_id, "missing")
            fill = [*EXCLUDED_RGB, 200]
            tip = t(f"hotspots.excluded_{reason}", lang)
        fills.append(fill)
        props.append({"area_id": area_id, "name": name, "tip": tip})
    return polygon_records(geo, fills, props), counts


def emerging_records(geo, categories: pd.DataFrame, names, lang: str):
    fills, props, counts = [], [], {}
    for area_id in geo.area_id:
        cat = categories.category.get(area_id, "insufficient_data")
        counts[cat] = counts.get(cat, 0) + 1
        fills.append([*EMERGING_RGB.get(cat, EXCLUDED_RGB), 220])
        props.append(
            {
                "area_id": area_id,
                "name": str(names.get(area_id, area_id)),
                "tip": t(f"hotspots.ehs_{cat}", lang),
            }
        )
    return polygon_records(geo, fills, props), counts


def significant_table(result, class_col: str, names, ind, lang: str) -> pd.DataFrame:
    units = result.units
    sig = units[units[class_col] != "not_significant"].copy()
    sig = sig.sort_values("gi_z", ascending=False)
    return pd.DataFrame(
        {
            t("common.area", lang): [str(names.get(a, a)) for a in sig.index],
            t("hotspots.col_class", lang): [
                t(f"hotspots.class_{c}", lang) for c in sig[class_col]
            ],
            t("hotspots.col_raw", lang): [
                fmt_value(v, ind.unit, lang) for v in sig.value_raw
            ],
            t("hotspots.col_smoothed", lang): [
                fmt_value(v, ind.unit, lang) for v in sig.value_smoothed
            ],
            "Gi* z": [fmt_number(v, lang, 2) for v in sig.gi_z],
            t("hotspots.col_p", lang): [fmt_number(v, lang, 3) for v in sig.gi_p],
            t("hotspots.col_lisa", lang): [
                t(f"hotspots.class_{c}", lang) for c in sig.lisa_class
            ],
        }
    )


def class_entries(
    class_ids, palette: dict, counts: dict, lang: str
) -> list[tuple[list[int], str, str]]:
    """Legend rows (colour, label, count) for exactly the classes that can occur."""
    return [
        (
            palette[c],
            t(f"hotspots.class_{c}", lang),
            fmt_number(counts.get(c, 0), lang, 0),
        )
        for c in class_ids
    ]


def gi_strip(z: pd.Series, classes: pd.Series, lang: str) -> go.Figure:
    """Small multiples in one row: the Gi* class of each year for one area.

    ``classes`` are the bins' classes as the emerging-hotspot category counts
    them (space-time Gi*, FDR within each year, reachable levels only).
    """
    years = [int(y) for y in z.index]
    classes = [str(c) for c in classes.reindex(z.index).fillna("not_significant")]
    colors = ["rgb({},{},{})".format(*GI_RGB[c]) for c in classes]
    fig = go.Figure(
        go.Bar(
            x=[str(y) for y in years],
            y=[1] * len(years),
            marker_color=colors,
            marker_line_color="#555",
            marker_line_width=1,
            text=[fmt_number(v, lang, 1) for v in z],
            textposition="inside",
            hovertext=[t(f"hotspots.class_{c}", lang) for c in classes],
            hovertemplate="%{x}: %{hovertext} (z = %{text})<extra></extra>",
        )
    )
    base_layout(fig, lang, height=150)
    fig.update_layout(
        bargap=0.05, showlegend=False, margin={"l": 10, "r": 10, "t": 10, "b": 10}
    )
    fig.update_yaxes(visible=False)
    return fig


# -- downloads -----------------------------------------------------------------------
def _status(result, area_id: str) -> str:
    if area_id in result.units.index:
        return "ok"
    return "suppressed" if result.excluded.get(area_id) == "suppressed" else "missing"


def export_frame(result, area_ids, names, ind, lang: str) -> pd.DataFrame:
    """Every area of the level with its values, Gi* and LISA statistics (z, p,
    class) as computed; excluded areas with their reason, suppressed values "·"
    (CSV and XLSX of the Hotspots page)."""
    units = result.units
    decimals = 0 if ind.unit == "count" else 1
    rows = []
    for area_id in area_ids:
        row = {
            t("zusammenhang.col_area_id", lang): area_id,
            t("common.area", lang): str(names.get(area_id, area_id)),
        }
        if area_id in units.index:
            u = units.loc[area_id]
            row |= {
                t("hotspots.col_raw", lang): round(float(u.value_raw), decimals),
                t("hotspots.col_smoothed", lang): round(
                    float(u.value_smoothed), decimals
                ),
                "Gi* z": round(float(u.gi_z), 3),
                t("hotspots.col_p", lang): round(float(u.gi_p), 4),
                t("hotspots.col_class", lang): t(f"hotspots.class_{u.gi_class}", lang),
                "LISA I": round(float(u.lisa_i), 3),
                "LISA p": round(float(u.lisa_p), 4),
                t("hotspots.col_lisa", lang): t(f"hotspots.class_{u.lisa_class}", lang),
                t("hotspots.col_excluded", lang): "",
            }
        else:
            reason = result.excluded.get(area_id, "missing")
            secret = SUPPRESSED if reason == "suppressed" else None
            row |= {
                t("hotspots.col_raw", lang): secret,
                t("hotspots.col_excluded", lang): t(
                    f"hotspots.excluded_{reason}", lang
                ),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def map_frame(geo, result, class_col: str, level: str, names):
    """The map as GIS rows: status, value, z, p and class per area (geo_exports
    empties the values of suppressed areas)."""
    units = result.units.reindex(geo.area_id)
    out = geo[["area_id", "geometry"]].copy()
    out.insert(1, "name", [str(names.get(a, a)) for a in geo.area_id])
    out["level"] = level
    out["status"] = [_status(result, a) for a in geo.area_id]
    out["value"] = units.value_raw.to_numpy()
    out["value_smoothed"] = units.value_smoothed.to_numpy()
    out["gi_z"] = units.gi_z.to_numpy()
    out["gi_p"] = units.gi_p.to_numpy()
    out["class"] = units[class_col].to_numpy()
    return out


def png_classes(result, area_ids, class_col: str, class_ids) -> list[int]:
    """Class index per area for the static map (-1 for excluded areas)."""
    index = {c: i for i, c in enumerate(class_ids)}
    classes = result.units[class_col]
    return [index.get(classes.get(a), -1) for a in area_ids]


def map_png(
    areas: Callable[[], gpd.GeoDataFrame],
    result,
    class_col: str,
    class_ids,
    colors,
    labels,
    **picture,
) -> bytes:
    """The map of ``areas()`` (:func:`map_frame`, built on click) as a static PNG
    in the classes of ``class_col``; ``picture`` as
    :func:`monitor.views.static_map.choropleth_png` takes it."""
    frame = areas()
    classes = png_classes(result, frame.area_id, class_col, class_ids)
    return static_map.choropleth_png(
        frame, classes, colors, labels, status=frame.status.to_numpy(), **picture
    )
