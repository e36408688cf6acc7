"""Facilities on the maps (optional ``points.parquet``): markers, their legend
and the tables per area.

Markers are a deck.gl IconLayer of small rounded squares in the category
colours of :data:`monitor.views.palettes.POINT_CATEGORY_RGB` with the
category's letter (``points.symbol.<id>``), white-rimmed: the letter tells the
categories apart without colour, and the square shape keeps them apart from the
round markers of measures and from area fills. The icons are PNG ``data:`` URLs
made here, never files from the internet. Tooltips use deck.gl's ``text`` mode
(names are shown as text, never as HTML); each record carries ``name``,
``title`` and ``tip`` so the tooltip templates of the Karte
(``{name}\\n{tip}``) and of the Maßnahmen map (``{title}\\n{tip}``) both show
it.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
import pydeck as pdk
from PIL import Image, ImageDraw, ImageFont

from monitor.formatting import fmt_number, fmt_value
from monitor.i18n import t
from monitor.points import CATEGORIES
from monitor.views.palettes import POINT_CATEGORY_RGB, text_on

__all__ = [
    "LAYER_ID",
    "icon",
    "legend_icons",
    "point_records",
    "points_layer",
    "legend_entries",
    "is_demo",
    "counts_table",
    "coverage_table",
]

LAYER_ID = "einrichtungen"


ICON_PX = 19


@lru_cache(maxsize=32)
def _icon_png(rgb: tuple[int, ...], letter: str) -> str:
    """A rounded square in ``rgb`` with a white rim and ``letter``, as a PNG data
    URL (drawn with Pillow's bundled font, so neither server nor browser needs
    a font for it)."""
    size = 2 * ICON_PX
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (2, 2, size - 3, size - 3), radius=9, fill=(*rgb, 255),
        outline=(255, 255, 255, 255), width=4,
    )  # fmt: skip
    ink = text_on(rgb)
    font = ImageFont.load_default(size=round(size * 0.58))
    draw.text(
        (size / 2, size / 2 + 1), letter, font=font, anchor="mm", fill=ink,
        stroke_width=1, stroke_fill=ink,
    )  # fmt: skip
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def icon(category: str, lang: str) -> dict:
    """The marker of a category as deck.gl icon definition (PNG data URL)."""
    rgb = tuple(POINT_CATEGORY_RGB.get(category, [90, 90, 90]))
    letter = t(f"points.symbol.{category}", lang)[:1]
    return {
        "id": f"{category}-{letter}",
        "url": _icon_png(rgb, letter),
        "width": 2 * ICON_PX,
        "height": 2 * ICON_PX,
        "anchorY": ICON_PX,
    }


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
    icons = {c: icon(c, lang) for c in set(points.category)}
    for row in points.itertuples(index=False):
        records.append(
            {
                "position": [round(float(row.lon), 5), round(float(row.lat), 5)],
                "icon": icons[row.category],
                "name": str(row.name),
                "title": str(row.name),
                "category": row.category,
                "tip": _tip(row, lang),
            }
        )
    return records


def points_layer(records: list[dict]) -> pdk.Layer:
    """Icons of ``ICON_PX`` pixels, pickable for the tooltip."""
    return pdk.Layer(
        "IconLayer",
        data=records,
        id=LAYER_ID,
        get_icon="icon",
        get_position="position",
        get_size=ICON_PX,  # pixels, deck.gl's default unit (a string such as
        # size_units="pixels" would become a pydeck accessor expression)
        pickable=True,
    )


def legend_icons(categories: Sequence[str], lang: str) -> list[str]:
    """The marker images of the shown categories (legend swatches)."""
    return [icon(c, lang)["url"] for c in CATEGORIES if c in categories]


def legend_entries(
    points: pd.DataFrame, categories: Sequence[str], lang: str, counts: bool = True
) -> list[tuple[list[int], str, str]]:
    """(colour, plural name, count or "") per shown category, in contract order
    (the order of :func:`legend_icons`)."""
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
