"""Rate smoothing: empirical-Bayes shrinkage of rates with small denominators.

Small denominators give unstable rates whose extremes would dominate a hot spot
map; empirical Bayes shrinks each raw rate towards a prior mean, the more the
smaller its denominator. The Hotspots page uses the city's rate from the city's
own published counts as the prior mean: the pooled rate of the published units
alone is biased when small units are suppressed (raster, Kinderarmut 2025:
53.4 % against the city's 36.9 %).

References
----------
.. [1] Marshall, R. J. (1991). Mapping disease and mortality rates using
   empirical Bayes estimators. Applied Statistics 40(2), 283-294.
.. [2] Anselin, L., Lozano, N. & Koschinsky, J. (2006). Rate transformations
   and smoothing. GeoDa Center, University of Illinois.
.. [3] PySAL esda: ``esda.smoothing.Empirical_Bayes`` (pysal/esda,
   smoothing.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["empirical_bayes_rates"]


def empirical_bayes_rates(
    numerator: Any, denominator: Any, prior_rate: float | None = None
) -> np.ndarray:
    """Global (aspatial) empirical-Bayes smoothed rates.

    Small denominators give unstable rates whose extremes would dominate a hot
    spot map; empirical Bayes shrinks each raw rate towards the prior mean,
    the more the smaller its denominator.

    Parameters
    ----------
    numerator : array-like
        Event counts (e.g. persons in SGB II), >= 0.
    denominator : array-like
        Population at risk, > 0.
    prior_rate : float, optional
        Prior mean as a fraction (numerator / denominator), e.g. the city's
        rate from its own published counts. By default the pooled rate of the
        given units, :math:`\\sum O_i / \\sum P_i` (as esda and GeoDa).

    Returns
    -------
    numpy.ndarray
        Smoothed rates, same unit as ``numerator / denominator`` (the raw rate
        is simply ``numerator / denominator``).

    Notes
    -----
    Marshall's (1991) method-of-moments estimator, as in GeoDa and PySAL
    ``esda.smoothing.Empirical_Bayes``: with prior mean ``b``, raw rates
    :math:`r_i = O_i/P_i`,
    :math:`s^2 = \\sum P_i (r_i - b)^2 / \\sum P_i` and
    :math:`a = s^2 - b / \\bar P`, the shrinkage weight is
    :math:`w_i = a / (a + b / P_i)` and the smoothed rate
    :math:`w_i r_i + (1 - w_i) b`. The moment equation behind ``a``,
    :math:`E[P_i (r_i - b)^2] = P_i a + b` (Poisson counts around rates with
    mean ``b`` and variance ``a``), holds for any known prior mean, so a given
    ``prior_rate`` simply takes the place of the pooled rate; the variation of
    the published units around the city rate then includes their offset from
    it, and ``a`` is larger. When ``a`` is negative (less variation than
    Poisson noise alone explains) it is set to 0, so all rates shrink to ``b``
    (Anselin, Lozano & Koschinsky 2006); esda leaves the negative value in,
    which can give weights outside [0, 1].

    References
    ----------
    .. [1] Marshall, R. J. (1991). Mapping disease and mortality rates using
       empirical Bayes estimators. Applied Statistics 40(2), 283-294.
    .. [2] Anselin, L., Lozano, N. & Koschinsky, J. (2006). Rate
       transformations and smoothing. GeoDa Center, University of Illinois.
    """
    o = np.asarray(numerator, dtype=float).ravel()
    p = np.asarray(denominator, dtype=float).ravel()
    if o.shape != p.shape:
        raise ValueError("numerator and denominator differ in length")
    if o.size == 0:
        raise ValueError("no units")
    if not (np.isfinite(o).all() and np.isfinite(p).all()):
        raise ValueError("counts must be finite; drop missing units first")
    if (p <= 0).any():
        raise ValueError("denominators must be positive")
    if (o < 0).any():
        raise ValueError("numerators must be non-negative")
    if prior_rate is not None and not (np.isfinite(prior_rate) and prior_rate > 0):
        raise ValueError("prior_rate must be a positive fraction")
    rate = o / p
    b = o.sum() / p.sum() if prior_rate is None else float(prior_rate)
    s2 = (p * (rate - b) ** 2).sum() / p.sum()
    a = max(s2 - b / p.mean(), 0.0)
    if a == 0.0:
        return np.full_like(rate, b)
    weight = a / (a + b / p)
    return weight * rate + (1.0 - weight) * b
