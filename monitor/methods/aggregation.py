"""Counts up the area hierarchy.

Rates are never averaged: every higher level is the sum of its parts' numerators
and denominators, and its rate is computed from those sums (DESIGN.md §3).
"""

from __future__ import annotations

import pandas as pd

__all__ = ["aggregate_counts"]


def aggregate_counts(counts: pd.DataFrame, part_to_total: pd.Series) -> pd.DataFrame:
    """Sum ``numerator`` and ``denominator`` of parts into their totals.

    Parameters
    ----------
    counts
        Columns ``area_id, indicator_id, year, numerator, denominator``.
    part_to_total
        Maps a part's ``area_id`` to the ``area_id`` of the total it belongs to;
        parts not in the index are ignored.

    A denominator stays missing only where all parts' denominators are missing
    (count indicators such as the population).
    """
    parts = counts[counts["area_id"].isin(part_to_total.index)].copy()
    parts["area_id"] = parts["area_id"].map(part_to_total)
    keys = ["area_id", "indicator_id", "year"]
    summed = parts.groupby(keys, sort=True)[["numerator", "denominator"]].sum(
        min_count=1
    )
    return summed.reset_index()
