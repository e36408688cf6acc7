"""Which Perspektivquartier (area of level ``fokusgebiet``) an area lies in.

``in_focus`` in areas.parquet marks every area inside *a* Perspektivquartier. With
several of them the flag does not say which one; the rule, in this order:

1. the optional column ``focus_id`` names the fokusgebiet (empty elsewhere);
2. with a single fokusgebiet every ``in_focus`` area belongs to it;
3. otherwise the geometry decides: an ``in_focus`` area belongs to the fokusgebiet
   that covers the largest share of its area, if that share is at least
   :data:`MIN_SHARE` (a Quartier cut out of the Perspektivquartier lies wholly
   inside it; a raster cell on its edge at least half).

The disclosure audit adds "Perspektivquartier = sum of its parts" from this
(:func:`monitor.methods.disclosure.structure.area_groups`), the profile of a
Perspektivquartier lists its Quartiere by it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["FOCUS_LEVEL", "MIN_SHARE", "FocusMembershipError", "focus_members"]

FOCUS_LEVEL = "fokusgebiet"
MIN_SHARE = 0.5


class FocusMembershipError(ValueError):
    """The areas do not say which Perspektivquartier an area belongs to (German)."""


def _from_column(areas: pd.DataFrame, inside: pd.Series, focus_ids: set[str]):
    named = areas.loc[inside & areas["focus_id"].notna(), ["area_id", "focus_id"]]
    named = named[named["focus_id"].astype(str).str.strip() != ""]
    unknown = sorted(set(named["focus_id"].astype(str)) - focus_ids)
    if unknown:
        raise FocusMembershipError(
            "Die Spalte focus_id in areas.parquet nennt Fokusgebiete, die es nicht "
            f"gibt: {', '.join(unknown[:5])}."
        )
    return pd.Series(
        named["focus_id"].astype(str).to_numpy(),
        index=named["area_id"].astype(str).to_numpy(),
    )


def _from_geometry(rows: pd.DataFrame, focus: pd.DataFrame, min_share: float):
    if "geometry" not in rows or rows["geometry"].isna().any():
        raise FocusMembershipError(
            "Es gibt mehrere Fokusgebiete, aber weder die Spalte focus_id noch "
            "Geometrien, die sagen, zu welchem ein Gebiet mit in_focus gehört."
        )
    geoms = rows["geometry"].to_numpy()
    own = np.array([g.area for g in geoms], dtype=float)
    shares = np.column_stack(
        [
            np.array([g.intersection(f).area for g in geoms], dtype=float)
            / np.maximum(own, 1e-18)
            for f in focus["geometry"]
        ]
    )
    best = shares.argmax(axis=1)
    ok = shares[np.arange(len(rows)), best] >= min_share
    ids = focus["area_id"].astype(str).to_numpy()[best]
    return pd.Series(ids[ok], index=rows["area_id"].astype(str).to_numpy()[ok])


def focus_members(areas: pd.DataFrame, min_share: float = MIN_SHARE) -> pd.Series:
    """area_id -> area_id of the fokusgebiet it lies in, for every ``in_focus`` area
    below the fokusgebiete (the rule of the module docstring).

    ``areas`` has ``area_id, level, in_focus`` and optionally ``focus_id`` and a
    shapely ``geometry`` column (needed only for rule 3; any CRS, shares are
    ratios). Areas that belong to no fokusgebiet are not in the result.
    """
    focus = areas[areas["level"] == FOCUS_LEVEL]
    inside = areas["in_focus"].fillna(False).astype(bool) & (
        areas["level"] != FOCUS_LEVEL
    )
    if focus.empty or not inside.any():
        return pd.Series(dtype=object)
    found = pd.Series(dtype=object)
    if "focus_id" in areas:
        found = _from_column(areas, inside, set(focus["area_id"].astype(str)))
    rest = areas[inside & ~areas["area_id"].astype(str).isin(found.index)]
    if rest.empty:
        return found
    if len(focus) == 1:
        derived = pd.Series(
            str(focus["area_id"].iloc[0]), index=rest["area_id"].astype(str).to_numpy()
        )
    else:
        derived = _from_geometry(rest, focus, min_share)
    return pd.concat([found, derived]) if len(found) else derived
