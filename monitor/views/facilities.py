"""Facilities on the maps (optional ``points.parquet``): markers, their legend
and the tables per area.

Markers are a deck.gl ScatterplotLayer (circles drawn on the GPU, no icon files
from the internet) in the category colours of
:data:`monitor.views.palettes.POINT_CATEGORY_RGB`, with a white rim so they
stand out on every fill. Tooltips use deck.gl's ``text`` mode (names are shown
as text, never as HTML); each record carries ``name``/``title`` and ``tip`` so
the tooltip templates of the Karte (``{name}\\n{tip}``) and of the Maßnahmen map
(``{title}\\n{tip}``) both show it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pydeck as pdk

from monitor.formatting import fmt_number, fmt_value
from monitor.i18n import t
from monitor.points import CATEGORIES
from monitor.views.palettes import POINT_CATEGORY_RGB

__all__ = [
    "LAYER_ID",
    "point_records",
    "points_layer",
    "legend_entries",
    "is_demo",
    "counts_table",
    "coverage_table",
]

LAYER_ID = "einrichtungen"


def _tip(row, lang: str) -> str:
    lines = [t(f"points.category.{row.category}", lang)]
    if isinstance(row.address, str) and row.address:
        lines.append(row.address)
    if row.opening_year == row.opening_year and row.opening_year is not None:
        lines.append(t("points.opened", lang, year=int(row.opening_year)))
    return "\n".join(lines)


def point_records(points: pd.DataFrame, lang: str) -> list[dict]:
    """One record per facility: position, colour, name, category, address and
    opening year for the tooltip."""
    records = []
    for row in points.itertuples(index=False):
        rgb = POINT_CATEGORY_RGB.get(row.category, [90, 90, 90])
        records.append(
            {
                "position": [round(float(row.lon), 5), round(float(row.lat), 5)],
                "fill": [*rgb, 235],
                "name": str(row.name),
                "title": str(row.name),
                "category": row.category,
                "tip": _tip(row, lang),
            }
        )
    return records


def points_layer(records: list[dict]) -> pdk.Layer:
    """Circles of at least 6 px with a white rim, pickable for the tooltip."""
    return pdk.Layer(
        "ScatterplotLayer",
        data=records,
        id=LAYER_ID,
        get_position="position",
        get_fill_color="fill",
        get_line_color=[255, 255, 255],
        get_radius=1,
        radius_min_pixels=6,
        line_width_min_pixels=1.5,
        stroked=True,
        filled=True,
        pickable=True,
    )


def legend_entries(
    points: pd.DataFrame, categories: Sequence[str], lang: str, counts: bool = True
) -> list[tuple[list[int], str, str]]:
    """(colour, plural name, count or "") per shown category, in contract order."""
    n = points.category.value_counts()
    return [
        (
            POINT_CATEGORY_RGB[c],
            t(f"points.category_plural.{c}", lang),
            fmt_number(int(n.get(c, 0)), lang, 0) if counts else "",
        )
        for c in CATEGORIES
        if c in categories
    ]


def is_demo(points: pd.DataFrame) -> bool:
    """Whether the facilities are demo data (their ``source`` says so)."""
    return bool(points.source.astype(str).str.contains("Demodaten").any())


def counts_table(
    counts: pd.DataFrame,
    coverage: pd.DataFrame | None,
    names: pd.Series,
    categories: Sequence[str],
    lang: str,
) -> pd.DataFrame:
    """Per area: the number of facilities of each category and, with
    ``coverage`` (``Coverage.table``), the share of children within the distance
    of the nearest one."""
    shown = [c for c in CATEGORIES if c in categories]
    out = pd.DataFrame({t("common.area", lang): names.reindex(counts.index).values})
    share = (
        coverage.pivot(index="group", columns="category", values="share")
        if coverage is not None and not coverage.empty
        else None
    )
    for c in shown:
        plural = t(f"points.category_plural.{c}", lang)
        out[plural] = counts[c].to_numpy() if c in counts else 0
        if share is not None:
            values = share.reindex(counts.index)[c] if c in share else None
            out[t("points.col_share", lang, category=plural)] = [
                fmt_value(100 * v, "percent", lang, decimals=0)
                for v in (values if values is not None else [float("nan")] * len(out))
            ]
    return out


def coverage_table(
    counts: pd.Series,
    coverage,
    area_id: str,
    lang: str,
) -> pd.DataFrame:
    """One area: per category the facilities in it, the share of its children
    within the distance (Luftlinie) and the city's share."""
    table = (
        coverage.table[coverage.table.group == area_id].set_index("category")
        if coverage is not None
        else pd.DataFrame()
    )
    distance = fmt_number(coverage.distance, lang, 0) if coverage is not None else "–"
    rows = []
    for c in CATEGORIES:
        share = table.share.get(c, float("nan")) if len(table) else float("nan")
        city = coverage.city.get(c, float("nan")) if coverage is not None else None
        rows.append(
            {
                t("points.col_category", lang): t(f"points.category_plural.{c}", lang),
                t("points.col_in_area", lang): int(counts.get(c, 0)),
                t("points.col_within", lang, distance=distance): fmt_value(
                    100 * share, "percent", lang, decimals=0
                ),
                t("points.col_city", lang): fmt_value(
                    100 * city if city is not None else float("nan"),
                    "percent",
                    lang,
                    decimals=0,
                ),
            }
        )
    return pd.DataFrame(rows)
