"""Space-time weights: the neighbourhood of an (area, year) bin of a cube.

As in Esri's Emerging Hot Spot Analysis, a bin's neighbourhood is the bins of
its spatial neighbours in the same time step plus, for the area itself and each
of its spatial neighbours, the bins of the previous ``time_lag`` time steps
(Esri's "neighborhood time step", default 1). Gi* is then computed once over
all bins of the cube (:func:`~monitor.methods.hotspots.getisord.gstar_panel`),
so the local sums are compared with the mean and variance of the whole cube
(Esri's default global window, "entire cube"): a bin is hot when it and its
space-time neighbourhood are high compared with all areas in all years. A
city-wide rise over the years therefore makes later bins hotter everywhere;
that is part of what the trend test then reports.

Node ids of the cube weights are ``t * n + i`` for the area at position ``i``
of ``w.id_order`` and the ``t``-th time step (oldest first).

References
----------
.. [1] Esri. How Emerging Hot Spot Analysis works; Emerging Hot Spot Analysis
   (Space Time Pattern Mining). ArcGIS Pro documentation,
   https://pro.arcgis.com/en/pro-app/latest/tool-reference/space-time-pattern-mining/learnmoreemerging.htm
.. [2] Getis, A. & Ord, J. K. (1992). The analysis of spatial association by
   use of distance statistics. Geographical Analysis 24(3), 189-206.
.. [3] Ord, J. K. & Getis, A. (1995). Local spatial autocorrelation statistics:
   distributional issues and an application. Geographical Analysis 27(4),
   286-306.
.. [4] Parry, J. sfdep: ``emerging_hotspot_analysis`` with ``k`` time lags in
   the neighbourhood (R package, JosiahParry/sfdep).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from libpysal.weights import W

__all__ = ["TIME_LAG", "check_time_lag", "spacetime_weights"]

TIME_LAG = 1
"""Previous time steps in a bin's neighbourhood (Esri's default)."""


def check_time_lag(time_lag: int) -> int:
    if not isinstance(time_lag, int | np.integer) or time_lag < 0:
        raise ValueError("time_lag must be a non-negative integer")
    return int(time_lag)


def spacetime_weights(w: W, n_steps: int, time_lag: int = TIME_LAG) -> W:
    """Binary weights over the bins of a space-time cube.

    Parameters
    ----------
    w : libpysal.weights.W
        Spatial weights of the n areas (only the neighbour structure is used).
    n_steps : int
        Number of time steps T.
    time_lag : int
        Previous time steps in the neighbourhood (0: spatial neighbours in the
        same step only).

    Returns
    -------
    libpysal.weights.W
        n T nodes with ids ``t * n + i``. Neighbours of (i, t): (j, t) for j a
        spatial neighbour of i, and (j, s) for j = i or a spatial neighbour of
        i and ``t - time_lag <= s < t``. Not symmetric (the past is a
        neighbour of the present, not the reverse); Gi* adds the bin itself.
    """
    time_lag = check_time_lag(time_lag)
    if not isinstance(n_steps, int | np.integer) or n_steps < 1:
        raise ValueError("n_steps must be a positive integer")
    n = w.n
    position = {a: i for i, a in enumerate(w.id_order)}
    spatial = [[position[j] for j in w.neighbors[a]] for a in w.id_order]
    neighbours: dict[int, list[int]] = {}
    for t in range(n_steps):
        for i in range(n):
            own = [t * n + j for j in spatial[i]]
            for s in range(max(0, t - time_lag), t):
                own += [s * n + i] + [s * n + j for j in spatial[i]]
            neighbours[t * n + i] = own
    from libpysal.weights import W

    return W(neighbours, id_order=list(range(n * n_steps)), silence_warnings=True)
