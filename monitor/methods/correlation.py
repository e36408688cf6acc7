"""How two indicators go together over the areas of one level: Spearman's rank
correlation.

Ranks rather than values, because small-area rates are skewed and a single
extreme area would dominate Pearson's r; Spearman's rho measures whether areas
high on one indicator tend to be high on the other (a monotone relation), not
why. Computed by ``scipy.stats.spearmanr`` (ties get average ranks; the p-value
uses the t approximation with n - 2 degrees of freedom, Kendall & Stuart).

An area with a suppressed or missing value in either indicator is left out as a
pair and counted; below :data:`MIN_PAIRS` pairs no coefficient is given.

References
----------
.. [1] Spearman, C. (1904). The proof and measurement of association between two
   things. *American Journal of Psychology* 15(1), 72-101.
.. [2] Zar, J. H. (1972). Significance testing of the Spearman rank correlation
   coefficient. *JASA* 67(339), 578-580.
.. [3] SciPy, ``scipy.stats.spearmanr``,
   https://docs.scipy.org/doc/scipy/reference/generated/scipy.stats.spearmanr.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

__all__ = ["MIN_PAIRS", "REASONS", "RankCorrelation", "spearman"]

MIN_PAIRS = 5
"""Fewer complete pairs than this give no coefficient: with four areas every
ordering is likely by chance, and the p-value's approximation breaks down."""

REASONS = ("too_few_pairs", "constant")
"""Codes of :attr:`RankCorrelation.reason` (the UI translates them)."""


@dataclass(frozen=True)
class RankCorrelation:
    """Spearman's rho with its two-sided p-value over ``n`` complete pairs.

    ``n_dropped`` pairs had a suppressed or missing value. ``reason`` is
    ``None`` when rho was computed, else a code of :data:`REASONS` (rho and p
    are then NaN) with the numbers behind it in ``params``.
    """

    rho: float
    p_value: float
    n: int
    n_dropped: int
    reason: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.reason is None


def spearman(x, y, min_pairs: int = MIN_PAIRS) -> RankCorrelation:
    """Spearman's rank correlation of two indicators over the same areas.

    Parameters
    ----------
    x, y : array_like
        One value per area, in the same order; NaN for suppressed or missing.
    min_pairs : int, default :data:`MIN_PAIRS`
        Smallest number of complete pairs that gives a coefficient (at least 3).

    Returns
    -------
    RankCorrelation
        ``reason="too_few_pairs"`` below ``min_pairs`` complete pairs,
        ``"constant"`` when one indicator has the same value in every area
        (the ranks carry no order).

    Raises
    ------
    ValueError
        If ``x`` and ``y`` differ in length or ``min_pairs < 3``.

    Examples
    --------
    >>> r = spearman([1, 2, 3, 4, 5, float("nan")], [2, 1, 4, 3, 5, 7])
    >>> round(r.rho, 2), r.n, r.n_dropped
    (0.8, 5, 1)
    """
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"x and y differ in length: {a.size} and {b.size}")
    if isinstance(min_pairs, bool) or int(min_pairs) < 3:
        raise ValueError(f"min_pairs must be an integer of at least 3, not {min_pairs}")
    complete = np.isfinite(a) & np.isfinite(b)
    n = int(complete.sum())
    dropped = int(a.size - n)
    if n < min_pairs:
        return RankCorrelation(
            np.nan,
            np.nan,
            n,
            dropped,
            "too_few_pairs",
            {"n": n, "min_pairs": int(min_pairs)},
        )
    a, b = a[complete], b[complete]
    if np.all(a == a[0]) or np.all(b == b[0]):
        return RankCorrelation(np.nan, np.nan, n, dropped, "constant", {"n": n})
    result = stats.spearmanr(a, b)
    return RankCorrelation(float(result.statistic), float(result.pvalue), n, dropped)
