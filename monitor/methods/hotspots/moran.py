"""Moran's I: local (LISA clusters and outliers) and global (overall clustering).

References
----------
.. [1] Anselin, L. (1995). Local indicators of spatial association - LISA.
   Geographical Analysis 27(2), 93-115.
.. [2] Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
   Biometrika 37, 17-23.
.. [3] Cliff, A. D. & Ord, J. K. (1981). Spatial Processes. Pion, London.
.. [4] PySAL esda: ``esda.Moran_Local``, ``esda.Moran`` (pysal/esda, moran.py).
"""

from __future__ import annotations

from dataclasses import dataclass
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

__all__ = [
    "PERMUTATIONS",
    "QUADRANTS",
    "SEED",
    "GlobalMoranResult",
    "global_moran",
    "local_moran",
]

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
"""esda's quadrant codes (PySAL scheme) and their labels."""


def local_moran(
    values: Any,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
) -> pd.DataFrame:
    """Local Moran's I (LISA) per unit: clusters (HH, LL) and outliers (HL, LH).

    Parameters
    ----------
    values : array-like or pandas.Series
        One finite value per unit of ``w``.
    w : libpysal.weights.W
        Spatial weights; row-standardised on a copy.
    permutations : int
        Conditional permutations for the pseudo p-value (0: none).
    seed : int or None
        Seed of the permutations.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``w.id_order``: ``Ii`` (local Moran), ``quadrant`` ("HH",
        "LH", "LL", "HL": own value vs. the mean of the neighbours, both
        standardised), ``p_sim`` (folded pseudo p-value, as esda), ``z_value``
        and ``lag`` (standardised value and its spatial lag, the axes of the
        Moran scatter plot) and ``island``. Islands get NaN / None.

    Notes
    -----
    ``esda.Moran_Local(transformation="r")``:
    :math:`I_i = (n-1) z_i \\sum_j w_{ij} z_j / \\sum_k z_k^2` with
    :math:`z` the deviations from the mean. ``p_sim`` is one-tailed in the
    direction of the observed value, as in esda/GeoDa.

    References
    ----------
    .. [1] Anselin, L. (1995). Local indicators of spatial association - LISA.
       Geographical Analysis 27(2), 93-115.
    """
    permutations = check_permutations(permutations)
    y = aligned(values, w)
    y_sub, w_sub, mask = split_islands(y, w)
    check_testable_values(y_sub)
    with esda_call():
        lm = esda.Moran_Local(
            y_sub,
            w_sub,
            transformation="r",
            permutations=permutations,
            keep_simulations=True,
            n_jobs=1,
            seed=check_seed(seed),
        )
        lag = np.asarray(lm.w.sparse @ lm.z).ravel()
    out = pd.DataFrame(
        {
            "Ii": np.nan,
            "quadrant": pd.Series([None] * w.n, dtype=object).to_numpy(),
            "p_sim": np.nan,
            "z_value": np.nan,
            "lag": np.nan,
            "island": ~mask,
        },
        index=pd.Index(w.id_order, name="area_id"),
    )
    out.loc[mask, "Ii"] = lm.Is
    out.loc[mask, "quadrant"] = [QUADRANTS[int(q)] for q in lm.q]
    out.loc[mask, "z_value"] = lm.z
    out.loc[mask, "lag"] = lag
    if permutations:
        out.loc[mask, "p_sim"] = lm.p_sim
    return out


@dataclass(frozen=True)
class GlobalMoranResult:
    """Global Moran's I with analytic and permutation inference.

    ``p_norm`` is two-sided (normality assumption, esda default); ``p_sim`` is
    the folded one-tailed permutation pseudo p-value (esda convention).
    """

    I: float  # noqa: E741 - the statistic's conventional name
    expected_I: float  # noqa: N815
    z_norm: float
    p_norm: float
    p_sim: float
    z_sim: float
    permutations: int
    n: int
    n_islands: int = 0


def global_moran(
    values: Any,
    w: W,
    permutations: int = PERMUTATIONS,
    seed: int | None = SEED,
) -> GlobalMoranResult:
    """Global Moran's I: is the indicator spatially clustered overall?

    Parameters
    ----------
    values : array-like or pandas.Series
        One finite value per unit of ``w``.
    w : libpysal.weights.W
        Spatial weights; row-standardised on a copy.
    permutations : int
        Random permutations for ``p_sim`` (0: none, ``p_sim`` is NaN).
    seed : int or None
        Seed of the permutations.

    Returns
    -------
    GlobalMoranResult

    Notes
    -----
    I, E[I] = -1/(n-1), z and p under normality come from ``esda.Moran``
    (row-standardised weights). The permutations are drawn here from a private
    ``numpy.random.RandomState(seed)`` in the same order as esda draws them
    from the global generator, so ``np.random.seed(seed)`` followed by
    ``esda.Moran`` gives the same ``p_sim`` without touching global state.
    Islands are left out.

    References
    ----------
    .. [1] Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
       Biometrika 37, 17-23.
    .. [2] Cliff, A. D. & Ord, J. K. (1981). Spatial Processes. Pion, London.
    """
    permutations = check_permutations(permutations)
    y = aligned(values, w)
    y_sub, w_sub, mask = split_islands(y, w)
    check_testable_values(y_sub)
    with esda_call():
        mi = esda.Moran(y_sub, w_sub, transformation="r", permutations=0)
    p_sim = z_sim = float("nan")
    if permutations:
        z = y_sub - y_sub.mean()
        rs = np.random.RandomState(check_seed(seed))
        perm = np.stack([rs.permutation(z) for _ in range(permutations)])
        lag = np.asarray(mi.w.sparse @ perm.T)  # n x permutations
        sim = mi.n / mi.w.s0 * (perm.T * lag).sum(axis=0) / mi.z2ss
        larger = int((sim >= mi.I).sum())
        larger = min(larger, permutations - larger)
        p_sim = (larger + 1.0) / (permutations + 1.0)
        sd = sim.std()
        z_sim = float((mi.I - sim.mean()) / sd) if sd > 0 else float("nan")
    return GlobalMoranResult(
        I=float(mi.I),
        expected_I=float(mi.EI),
        z_norm=float(mi.z_norm),
        p_norm=float(mi.p_norm),
        p_sim=float(p_sim),
        z_sim=z_sim,
        permutations=permutations,
        n=int(y_sub.size),
        n_islands=int((~mask).sum()),
    )
