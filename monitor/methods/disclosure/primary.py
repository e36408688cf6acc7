"""Primary suppression: cells whose own counts are too small to publish.

The official convention for frequency tables: counts of 1 and 2 (below
``min_numerator``) are replaced by a dot, a count of 0 is published ("–"), and a
rate on a denominator below ``min_denominator`` is not published either (Statistische
Ämter des Bundes und der Länder, *Leitfaden zur Geheimhaltung*; Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, §5.2, threshold rule). The thresholds
are the catalogue's ``suppression`` of each indicator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["primary_suppression", "sensitive_cells"]


def primary_suppression(
    numerator: pd.Series | np.ndarray,
    denominator: pd.Series | np.ndarray,
    min_numerator: int | np.ndarray,
    min_denominator: int | np.ndarray,
) -> np.ndarray:
    """True where a count is 1..min_numerator-1 or the denominator is too small.

    A numerator of exactly 0 is publishable. A missing denominator (count
    indicators) never triggers suppression by itself.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    small_num = (num > 0) & (num < np.asarray(min_numerator, dtype=float))
    small_den = ~np.isnan(den) & (den < np.asarray(min_denominator, dtype=float))
    return small_num | small_den


def sensitive_cells(
    numerator: pd.Series | np.ndarray,
    denominator: pd.Series | np.ndarray,
    min_numerator: int | np.ndarray,
    min_denominator: int | np.ndarray,
) -> np.ndarray:
    """Primarily suppressed cells whose numerator must stay uncertain.

    Every primarily suppressed cell except a rate on a denominator of 0: it
    describes nobody (0 of 0), and its 0 is as publishable as any other 0.
    """
    den = np.asarray(denominator, dtype=float)
    empty = ~np.isnan(den) & (den == 0)
    return primary_suppression(numerator, den, min_numerator, min_denominator) & ~empty
