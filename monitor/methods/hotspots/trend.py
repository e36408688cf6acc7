"""Mann-Kendall test for a monotonic trend.

References
----------
.. [1] Mann, H. B. (1945). Nonparametric tests against trend. Econometrica
   13(3), 245-259.
.. [2] Kendall, M. G. (1975). Rank Correlation Methods, 4th ed. Griffin,
   London.
.. [3] Hussain, M. & Mahmud, I. (2019). pyMannKendall: a python package for
   non parametric Mann Kendall family of trend tests. Journal of Open Source
   Software 4(39), 1556 (``original_test``: same S, Var(S), z and p).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitor.methods.hotspots._checks import check_alpha

__all__ = ["MannKendallResult", "mann_kendall"]


@dataclass(frozen=True)
class MannKendallResult:
    """Mann-Kendall trend test of one series.

    ``trend`` is "increasing", "decreasing" or "no_trend" at the ``alpha``
    given to :func:`mann_kendall`.
    """

    n: int
    s: float
    var_s: float
    z: float
    p: float
    tau: float
    trend: str


def mann_kendall(series: Any, alpha: float = 0.05) -> MannKendallResult:
    """Mann-Kendall test for a monotonic trend (two-sided).

    Parameters
    ----------
    series : array-like
        Values in time order, finite, at least 2.
    alpha : float
        Level that decides ``trend``.

    Returns
    -------
    MannKendallResult
        ``s``, ``var_s`` (tie-corrected), ``z`` (continuity-corrected),
        two-sided ``p``, Kendall's ``tau`` (= S / (n(n-1)/2)) and ``trend``.

    Notes
    -----
    :math:`S = \\sum_{i<j} \\operatorname{sgn}(x_j - x_i)`,
    :math:`Var(S) = [n(n-1)(2n+5) - \\sum_t t(t-1)(2t+5)]/18` over groups of
    t tied values, :math:`z = (S - \\operatorname{sgn}(S))/\\sqrt{Var(S)}`
    and :math:`p = 2(1 - \\Phi(|z|))`. Same as ``pymannkendall.original_test``.

    References
    ----------
    .. [1] Mann, H. B. (1945). Nonparametric tests against trend.
       Econometrica 13(3), 245-259.
    .. [2] Kendall, M. G. (1975). Rank Correlation Methods. Griffin, London.
    """
    alpha = check_alpha(alpha)
    x = np.asarray(series, dtype=float).ravel()
    n = x.size
    if n < 2:
        raise ValueError("the Mann-Kendall test needs at least 2 values")
    if not np.isfinite(x).all():
        raise ValueError("the series must be finite (no missing years)")
    i, j = np.triu_indices(n, k=1)
    s = float(np.sign(x[j] - x[i]).sum())
    _, t = np.unique(x, return_counts=True)
    var_s = (n * (n - 1) * (2 * n + 5) - (t * (t - 1) * (2 * t + 5)).sum()) / 18.0
    z = 0.0 if var_s <= 0 or s == 0 else (s - np.sign(s)) / math.sqrt(var_s)
    p = math.erfc(abs(z) / math.sqrt(2.0))  # 2 (1 - Phi(|z|))
    if p <= alpha and z > 0:
        trend = "increasing"
    elif p <= alpha and z < 0:
        trend = "decreasing"
    else:
        trend = "no_trend"
    tau = s / (n * (n - 1) / 2.0)
    return MannKendallResult(n, s, float(var_s), float(z), p, float(tau), trend)
