"""Map classes: hot/cold spots by confidence (Gi*) and LISA clusters/outliers.

References
----------
.. [1] Getis, A. & Ord, J. K. (1992). Geographical Analysis 24(3), 189-206
   (hot and cold spots from Gi* z-scores).
.. [2] Anselin, L. (1995). Local indicators of spatial association - LISA.
   Geographical Analysis 27(2), 93-115 (HH, LL, HL, LH).
.. [3] Esri. How Hot Spot Analysis (Getis-Ord Gi*) works. ArcGIS Pro
   documentation (bins at 90, 95 and 99 % confidence, FDR correction).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from monitor.methods.hotspots._checks import check_alpha, check_p_values
from monitor.methods.hotspots.fdr import reachable, significant

__all__ = [
    "CONFIDENCE_LEVELS",
    "GSTAR_CLASSES",
    "LISA_CLASSES",
    "gstar_class_ids",
    "gstar_classes",
    "lisa_classes",
    "reachable_levels",
]

CONFIDENCE_LEVELS = (0.90, 0.95, 0.99)
GSTAR_CLASSES = (
    "hot_99",
    "hot_95",
    "hot_90",
    "not_significant",
    "cold_90",
    "cold_95",
    "cold_99",
)
LISA_CLASSES = ("HH", "LL", "HL", "LH", "not_significant")


def reachable_levels(
    n_tests: int,
    permutations: int,
    fdr: bool = True,
    two_sided: bool = True,
    levels: Sequence[float] = CONFIDENCE_LEVELS,
) -> tuple[float, ...]:
    """The confidence levels one unit can reach on its own evidence.

    See :func:`~monitor.methods.hotspots.fdr.reachable`: with 999 permutations
    the smallest two-sided p is 0.002, and BH over m = 35 tests makes it 0.07,
    so only 90 % is reachable; with 9999 permutations all three are.
    """
    return tuple(
        level
        for level in levels
        if reachable(1.0 - level, n_tests, permutations, fdr, two_sided)
    )


def gstar_class_ids(levels: Sequence[float]) -> tuple[str, ...]:
    """The Gi* classes that can occur with these levels, in legend order."""
    tags = {f"{round(level * 100):d}" for level in levels}
    return tuple(c for c in GSTAR_CLASSES if c == "not_significant" or c[-2:] in tags)


def gstar_classes(
    z: Any,
    p: Any,
    fdr: bool = True,
    levels: Sequence[float] = CONFIDENCE_LEVELS,
) -> np.ndarray:
    """Hot/cold spot labels at 90/95/99 % confidence from Gi* z and p.

    Parameters
    ----------
    z : array-like
        Gi* z-scores (sign gives hot or cold).
    p : array-like
        p-values (NaN: not tested, labelled "not_significant").
    fdr : bool
        If True a unit is significant at confidence c only if the
        Benjamini-Hochberg procedure at ``alpha = 1 - c`` rejects it.
    levels : sequence of float
        Confidence levels, by default (0.90, 0.95, 0.99).

    Returns
    -------
    numpy.ndarray of str
        "hot_99", "hot_95", "hot_90", "cold_99", "cold_95", "cold_90" (the
        highest level reached) or "not_significant".
    """
    z = np.asarray(z, dtype=float).ravel()
    p = check_p_values(p)
    if z.shape != p.shape:
        raise ValueError("z and p differ in length")
    labels = np.full(z.shape, "not_significant", dtype=object)
    for level in sorted(levels):  # ascending, so the highest level wins
        sig = significant(p, check_alpha(1.0 - level), fdr)
        tag = f"{round(level * 100):d}"
        labels[sig & (z > 0)] = f"hot_{tag}"
        labels[sig & (z < 0)] = f"cold_{tag}"
    return labels


def lisa_classes(
    quadrant: Any,
    p: Any,
    fdr: bool = True,
    alpha: float = 0.05,
) -> np.ndarray:
    """LISA cluster labels: quadrant where significant, else "not_significant".

    Parameters
    ----------
    quadrant : array-like of str
        "HH", "LL", "HL", "LH" (None for islands).
    p : array-like
        p-values (NaN: not tested).
    fdr : bool
        Benjamini-Hochberg at ``alpha`` instead of ``p <= alpha``.
    alpha : float
        Significance level / false discovery rate.

    Returns
    -------
    numpy.ndarray of str
        "HH" (hot spot), "LL" (cold spot), "HL", "LH" (outliers) or
        "not_significant".
    """
    q = np.asarray(quadrant, dtype=object).ravel()
    p = check_p_values(p)
    if q.shape != p.shape:
        raise ValueError("quadrant and p differ in length")
    valid = np.array([x in ("HH", "LL", "HL", "LH") for x in q], dtype=bool)
    sig = significant(np.where(valid, p, np.nan), check_alpha(alpha), fdr)
    return np.where(sig, q, "not_significant").astype(object)
