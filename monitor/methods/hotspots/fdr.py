"""False-discovery-rate control: Benjamini-Hochberg adjustment and rejections.

With n areas tested at 5 %, about 5 % of them are flagged by chance; the
Benjamini-Hochberg procedure keeps the expected share of false flags among all
flags at alpha.

References
----------
.. [1] Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery
   rate: a practical and powerful approach to multiple testing. Journal of the
   Royal Statistical Society B 57(1), 289-300.
.. [2] SciPy: ``scipy.stats.false_discovery_control`` (same adjusted values).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from monitor.methods.hotspots._checks import check_alpha, check_p_values

__all__ = ["benjamini_hochberg", "bh_adjust", "significant"]


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
