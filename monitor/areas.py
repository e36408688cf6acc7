"""The areas of a data folder: which ones have a profile, how pickers order them.

The ``areas`` table of the store (``area_id``, ``name``, ``level``, ``parent_id``,
``in_focus``) has one city (level ``stadt``), the Perspektivquartiere
(``fokusgebiet``; which is which: :mod:`monitor.place`), Stadtteile, their
Quartiere and raster cells. Profil,
Vergleich and Entwicklung show the three middle levels; ranks are taken among the
Stadtteile or among the Quartiere. Pure pandas, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from monitor.i18n import t

__all__ = [
    "PROFILE_LEVELS",
    "RANK_LEVELS",
    "area_options",
    "area_labels",
    "resolve_area",
]

PROFILE_LEVELS = ("fokusgebiet", "stadtteil", "quartier")
"""Levels with a profile, and the areas Vergleich and Entwicklung compare."""
RANK_LEVELS = ("stadtteil", "quartier")
"""Levels whose areas are ranked among each other."""


def area_options(
    areas: pd.DataFrame, levels: Sequence[str] = PROFILE_LEVELS
) -> list[str]:
    """Area ids for a picker: the Perspektivquartiere first, then every Stadtteil
    followed by its Quartiere (alphabetical)."""
    wanted = set(levels)
    rows = [
        (str(a), str(n), str(lv), p)
        for a, n, lv, p in zip(
            areas.area_id, areas.name, areas.level, areas.parent_id, strict=True
        )
        if lv in wanted
    ]
    by_name = sorted(rows, key=lambda r: r[1])
    out = [r[0] for r in by_name if r[2] == "fokusgebiet"]
    districts = [r[0] for r in by_name if r[2] == "stadtteil"]
    quarters = [r for r in by_name if r[2] == "quartier"]
    for district in districts:
        out.append(district)
        out += [r[0] for r in quarters if r[3] == district]
    placed = set(out)
    out += [r[0] for r in quarters if r[0] not in placed]
    return out


def area_labels(
    areas: pd.DataFrame, lang: str, levels: Sequence[str] = PROFILE_LEVELS
) -> dict[str, str]:
    """Area id -> "Altstadt 2 (Quartier)": plain text for widgets and tables
    (one dict per run; a picker formats every option)."""
    table = areas[areas.level.isin(levels)]
    return {
        a: f"{n} ({t(f'levels.{lv}', lang)})"
        for a, n, lv in zip(table.area_id, table.name, table.level, strict=True)
    }


def resolve_area(
    area_id: str, areas: pd.DataFrame, default: str | None
) -> tuple[str, str | None]:
    """An area that has a profile: itself, the Quartier of a raster cell, or the
    default. Returns (area_id, reason) with reason None, "raster" or "level"."""
    row = areas.loc[areas.area_id == area_id]
    if not row.empty and row.iloc[0].level in PROFILE_LEVELS:
        return area_id, None
    if not row.empty and row.iloc[0].level == "raster":
        parent = row.iloc[0].parent_id
        if parent in set(areas.area_id):
            return str(parent), "raster"
    options = area_options(areas)
    fallback = default if default in options else (options[0] if options else area_id)
    return fallback, "level"
