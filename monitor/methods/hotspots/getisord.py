"""Getis-Ord local Gi*: hot spots (high values among high) and cold spots, per
unit of one map (:func:`local_gstar`) and per bin of a space-time cube
(:func:`gstar_panel`, Esri's Emerging Hot Spot Analysis).

References
----------
.. [1] Getis, A. & Ord, J. K. (1992). The analysis of spatial association by
   use of distance statistics. Geographical Analysis 24(3), 189-206.
.. [2] Ord, J. K. & Getis, A. (1995). Local spatial autocorrelation statistics:
   distributional issues and an application. Geographical Analysis 27(4),
   286-306.
.. [3] PySAL esda: ``esda.G_Local`` (pysal/esda, getisord.py).
.. [4] Esri. How Emerging Hot Spot Analysis works. ArcGIS Pro documentation
   (space-time Gi* over the bins of a cube).
"""

from __future__ import annotations

from typing import Any

import esda
import numpy as np
import pandas as pd
from libpysal.weights import W

from monitor.methods.hotspots._checks import (
    PERMUTATIONS,
    SEED,
    check_permutations,
    check_seed,
)
from monitor.methods.hotspots._esda import (
    aligned,
    check_testable_values,
    esda_call,
    split_islands,
)
from monitor.methods.hotspots.spacetime import (
    TIME_LAG,
    check_time_lag,
    spacetime_weights,
)
from monitor.methods.hotspots.weights import subset

__all__ = ["PERMUTATIONS", "SEED", "gstar_panel", "local_gstar"]


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


def _cube_gstar(y: np.ndarray, cube: W, permutations: int, seed: int):
    """Gi* over the cube's bins, None when too few linked bins or no variation."""
    linked = np.array([cube.cardinalities[node] > 0 for node in cube.id_order])
    if linked.sum() < 3 or np.ptp(y[linked]) == 0:
        return None
    return local_gstar(y, cube, permutations=permutations, seed=seed)


def gstar_panel(
    values_by_year: pd.DataFrame,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
    *,
    time_lag: int = TIME_LAG,
    two_sided: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Space-time Gi* z-scores and p-values per area and year.

    Parameters
    ----------
    values_by_year : pandas.DataFrame
        Area x year values; index must contain ``w``'s ids. A missing value
        (NaN) leaves its bin out of the cube (NaN in the output; its
        neighbours simply lack it).
    w : libpysal.weights.W
        Spatial weights of all areas. Areas without spatial neighbours are left
        out (their neighbourhood would be their own past only).
    permutations, seed : int
        Conditional permutations over the whole cube, and their seed.
    time_lag : int
        See :func:`spacetime_weights`.
    two_sided : bool
        Return two-sided permutation p-values (twice esda's folded p).

    Returns
    -------
    (z_by_year, p_by_year) : tuple of pandas.DataFrame
        Area (``w.id_order``) x year (ascending), the input of
        :func:`~monitor.methods.hotspots.emerging.emerging_hotspots`.

    Notes
    -----
    Equal to ``esda.G_Local(y, spacetime_weights(w, T, time_lag),
    transform="B", star=True)`` on the vector of the present bins in node
    order, with the same seed.
    """
    permutations = check_permutations(permutations)
    if permutations == 0:
        raise ValueError("gstar_panel needs permutations > 0")
    seed = check_seed(seed)
    time_lag = check_time_lag(time_lag)
    years = sorted(values_by_year.columns)
    ids = list(w.id_order)
    missing = set(ids) - set(values_by_year.index)
    if missing:
        raise ValueError(f"values lack ids of the weights: {sorted(missing)[:5]}")
    values = values_by_year.loc[ids, years].to_numpy(dtype=float)  # n x T
    z_out = np.full(values.shape, np.nan)
    p_out = np.full(values.shape, np.nan)
    has_neighbours = np.array([w.cardinalities[a] > 0 for a in ids])
    present = np.isfinite(values) & has_neighbours[:, None]
    n = len(ids)
    nodes = [t * n + i for t in range(len(years)) for i in range(n) if present[i, t]]
    if len(nodes) >= 3:
        cube = subset(spacetime_weights(w, len(years), time_lag), nodes)
        gi = _cube_gstar(values.T.ravel()[nodes], cube, permutations, seed)
        if gi is not None:
            factor = 2.0 if two_sided else 1.0
            rows, cols = np.array(nodes) % n, np.array(nodes) // n
            z_out[rows, cols] = gi["z"].to_numpy()
            p_out[rows, cols] = np.minimum(factor * gi["p_sim"].to_numpy(), 1.0)
    index = pd.Index(ids, name="area_id")
    return (
        pd.DataFrame(z_out, index=index, columns=years),
        pd.DataFrame(p_out, index=index, columns=years),
    )
