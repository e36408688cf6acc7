"""What a data folder holds, in words for the Methodik page (from the Store's
``inventory``: areas per level, the raster's cell width)."""

from __future__ import annotations

import pandas as pd

from monitor.i18n import t

__all__ = ["levels_phrase"]


def levels_phrase(inventory: pd.DataFrame, lang: str) -> str:
    """ "Stadt, 7 × Stadtteil, 19 × Quartier, Raster mit Zellen von 300 m": every
    level of the data with the number of its areas (the city and a raster
    without), the raster's cell width rounded to 10 m."""
    parts = []
    for row in inventory.itertuples(index=False):
        name = t(f"levels.{row.level}", lang)
        if row.level == "raster":
            width = getattr(row, "cell_m", None)
            parts.append(
                t("methodik.raster_size", lang, level=name, m=int(round(width, -1)))
                if width is not None and width == width
                else name
            )
        elif row.level == "stadt" or int(row.n_areas) == 1:
            parts.append(name)
        else:
            parts.append(
                t("methodik.level_count", lang, n=int(row.n_areas), level=name)
            )
    return ", ".join(parts)
