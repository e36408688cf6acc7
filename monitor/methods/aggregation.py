"""Counts up the area hierarchy, and rates from counts.

Rates are never averaged: every higher level is the sum of its parts' numerators
and denominators, and its rate is computed from those sums (the ratio of sums, not
the mean of ratios: a Quartier of 10 children weighs less than one of 1,000).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["aggregate_counts", "compute_values"]


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


def compute_values(
    numerator: pd.Series, denominator: pd.Series, factor: pd.Series | float
) -> pd.Series:
    """Rates from counts (``factor`` 100 for percent, 1000 for per mille, 1 for counts).

    Count indicators have no denominator; their value is the numerator itself.
    """
    num = numerator.astype(float)
    den = denominator.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den > 0, factor * num / den, np.nan)
    return pd.Series(np.where(den.isna(), num, rate), index=numerator.index)
