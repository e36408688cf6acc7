"""False-discovery-rate control: Benjamini-Hochberg adjustment and rejections.

With n areas tested at 5 %, about 5 % of them are flagged by chance; the
Benjamini-Hochberg procedure keeps the expected share of false flags among all
flags at alpha.

Permutation p-values have a floor: with R permutations the smallest pseudo p is
1/(R+1) (two-sided 2/(R+1)), and BH multiplies the smallest p by m/1. Whether a
significance level can be reached at all therefore follows from m, R and the
correction alone (:func:`reachable`); :func:`permutations_for` picks the number
of permutations that makes the wanted levels reachable.

References
----------
.. [1] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
   rate: a practical and powerful approach to multiple testing. Journal of the
   Royal Statistical Society B 57(1), 289-300.
.. [2] SciPy: ``scipy.stats.false_discovery_control`` (same adjusted values).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from monitor.methods.hotspots._checks import (
    check_alpha,
    check_p_values,
    check_permutations,
)

__all__ = [
    "PERMUTATION_STEPS",
    "benjamini_hochberg",
    "bh_adjust",
    "min_p_value",
    "permutations_for",
    "reachable",
    "significant",
]

PERMUTATION_STEPS = (999, 9999)
"""Numbers of permutations :func:`permutations_for` chooses from (9999 takes
about ten times as long as 999: 0.5 s for 361 units with Gi* on this machine)."""


def bh_adjust(p_values: Any) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (step-up, monotone).

    Parameters
    ----------
    p_values : array-like
        Raw p-values; NaN marks "not tested" and stays NaN (it does not count
        in the number of tests m).

    Returns
    -------
    numpy.ndarray
        :math:`q_{(i)} = \\min_{j \\ge i} \\min(1, m p_{(j)} / j)` in the input
        order; ``q <= alpha`` is exactly the BH rejection at level alpha.

    References
    ----------
    .. [1] Benjamini, Y. & Hochberg, Y. (1995). JRSS B 57(1), 289-300.
    """
    p = check_p_values(p_values)
    out = np.full(p.shape, np.nan)
    idx = np.flatnonzero(np.isfinite(p))
    m = idx.size
    if m == 0:
        return out
    order = idx[np.argsort(p[idx], kind="stable")]
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out[order] = np.minimum(q, 1.0)
    return out


def benjamini_hochberg(p_values: Any, alpha: float = 0.05) -> np.ndarray:
    """Rejections of the Benjamini-Hochberg false-discovery-rate procedure.

    With n areas tested at 5 %, about 5 % of them are flagged by chance; BH
    keeps the expected share of false flags among all flags at ``alpha``.

    Parameters
    ----------
    p_values : array-like
        Raw p-values (NaN: not tested, never rejected, not counted in m).
    alpha : float
        False discovery rate.

    Returns
    -------
    numpy.ndarray of bool
        True where the hypothesis is rejected: all :math:`p_{(i)}` with
        :math:`i \\le k`, k the largest rank with
        :math:`p_{(k)} \\le k \\alpha / m` (step-up).

    References
    ----------
    .. [1] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
       rate: a practical and powerful approach to multiple testing. JRSS B
       57(1), 289-300.
    """
    alpha = check_alpha(alpha)
    q = bh_adjust(p_values)
    with np.errstate(invalid="ignore"):
        return np.isfinite(q) & (q <= alpha)


def significant(p: np.ndarray, alpha: float, fdr: bool) -> np.ndarray:
    """Significant at ``alpha``: BH rejection if ``fdr``, else ``p <= alpha``."""
    if fdr:
        return benjamini_hochberg(p, alpha)
    with np.errstate(invalid="ignore"):
        return np.isfinite(p) & (p <= alpha)


def min_p_value(permutations: int, two_sided: bool = True) -> float:
    """Smallest p-value a permutation test can give (0 for analytic p-values).

    Parameters
    ----------
    permutations : int
        R conditional permutations; 0 means analytic (normal) p-values.
    two_sided : bool
        Twice the folded one-tailed pseudo p (esda's ``p_sim``), capped at 1.

    Returns
    -------
    float
        ``1 / (R + 1)``, doubled when two-sided.
    """
    permutations = check_permutations(permutations)
    if permutations == 0:
        return 0.0
    return min((2.0 if two_sided else 1.0) / (permutations + 1.0), 1.0)


def reachable(
    alpha: float,
    n_tests: int,
    permutations: int,
    fdr: bool = True,
    two_sided: bool = True,
) -> bool:
    """Whether a single unit can be significant at ``alpha`` on its own evidence.

    Parameters
    ----------
    alpha : float
        Significance level (1 - confidence).
    n_tests : int
        m, the number of units tested together.
    permutations : int
        R (0: analytic p-values, always reachable).
    fdr : bool
        Benjamini-Hochberg over the m tests.
    two_sided : bool
        See :func:`min_p_value`.

    Returns
    -------
    bool
        ``min_p * m <= alpha`` with FDR, ``min_p <= alpha`` without.

    Notes
    -----
    The BH-adjusted value of the smallest p is ``m p_(1) / 1`` unless other
    units share that p (then ``m p / k`` for k of them). A level that needs
    other units to be as extreme is not reached by one unit's evidence; such a
    level is not offered (the classes would depend on how many others tie).
    """
    alpha = check_alpha(alpha)
    if n_tests < 1:
        return False
    factor = n_tests if fdr else 1
    return min_p_value(permutations, two_sided) * factor <= alpha


def permutations_for(
    alphas: Sequence[float],
    n_tests: int,
    fdr: bool = True,
    two_sided: bool = True,
    steps: Sequence[int] = PERMUTATION_STEPS,
) -> int:
    """The fewest permutations from ``steps`` that make every alpha reachable.

    Returns
    -------
    int
        The first of ``steps`` with :func:`reachable` for all ``alphas``, else
        the last (largest) step: then only some levels are reachable.
    """
    if not steps:
        raise ValueError("steps must not be empty")
    for permutations in steps:
        if all(reachable(a, n_tests, permutations, fdr, two_sided) for a in alphas):
            return int(permutations)
    return int(steps[-1])
