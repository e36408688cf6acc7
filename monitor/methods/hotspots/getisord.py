"""Getis-Ord local Gi*: hot spots (high values among high) and cold spots.

References
----------
.. [1] Getis, A. & Ord, J. K. (1992). The analysis of spatial association by
   use of distance statistics. Geographical Analysis 24(3), 189-206.
.. [2] Ord, J. K. & Getis, A. (1995). Local spatial autocorrelation statistics:
   distributional issues and an application. Geographical Analysis 27(4),
   286-306.
.. [3] PySAL esda: ``esda.G_Local`` (pysal/esda, getisord.py).
"""

from __future__ import annotations

from typing import Any

import esda
import numpy as np
import pandas as pd
from libpysal.weights import W

from monitor.methods.hotspots._checks import check_permutations, check_seed
from monitor.methods.hotspots._esda import (
    PERMUTATIONS,
    SEED,
    aligned,
    check_testable_values,
    esda_call,
    split_islands,
)

__all__ = ["PERMUTATIONS", "SEED", "local_gstar"]


def local_gstar(
    values: Any,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
) -> pd.DataFrame:
    """Getis-Ord Gi* per unit (hot spots: high values surrounded by high).

    Parameters
    ----------
    values : array-like or pandas.Series
        One finite value per unit of ``w`` (a Series is aligned on its index).
    w : libpysal.weights.W
        Spatial weights; used as binary weights plus a self-weight of 1.
    permutations : int
        Conditional permutations for the pseudo p-value (0: none).
    seed : int or None
        Seed of the permutations (same seed, same p-values).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``w.id_order``: ``z`` (Gi* z-score), ``p_sim`` (folded
        permutation pseudo p-value, as esda), ``p_norm`` (analytic normal
        p-value, as esda) and ``island``. Islands get NaN: a unit without
        neighbours has no local neighbourhood to test.

    Notes
    -----
    Computed with ``esda.G_Local(star=True, transform="B")``:

    .. math:: G_i^* = \\frac{\\sum_j w_{ij} x_j - \\bar x \\sum_j w_{ij}}
              {S \\sqrt{[n \\sum_j w_{ij}^2 - (\\sum_j w_{ij})^2]/(n-1)}}

    with :math:`w_{ii} = 1` and :math:`S` the population standard deviation.
    Both p-values are one-tailed in the direction of the observed deviation
    (esda/GeoDa convention: ``p_sim = (min(M, R - M) + 1) / (R + 1)`` with M
    the permutations at least as large as observed); double them for a
    two-sided test. Gi* is invariant to adding a constant to all values, so
    values that are not all positive are shifted before esda divides by their
    sum. Islands are removed before the computation, so they affect neither
    mean nor variance.

    References
    ----------
    .. [1] Getis, A. & Ord, J. K. (1992). Geographical Analysis 24(3), 189-206.
    .. [2] Ord, J. K. & Getis, A. (1995). Geographical Analysis 27(4), 286-306.
    """
    permutations = check_permutations(permutations)
    y = aligned(values, w)
    y_sub, w_sub, mask = split_islands(y, w)
    check_testable_values(y_sub)
    if y_sub.min() <= 0:
        y_sub = y_sub - y_sub.min() + np.ptp(y_sub)
    with esda_call():
        g = esda.G_Local(
            y_sub,
            w_sub,
            transform="B",
            permutations=permutations,
            star=True,
            keep_simulations=False,
            n_jobs=1,
            seed=check_seed(seed),
        )
    out = pd.DataFrame(
        {"z": np.nan, "p_sim": np.nan, "p_norm": np.nan, "island": ~mask},
        index=pd.Index(w.id_order, name="area_id"),
    )
    out.loc[mask, "z"] = g.Zs
    out.loc[mask, "p_norm"] = g.p_norm
    if permutations:
        out.loc[mask, "p_sim"] = g.p_sim
    return out
