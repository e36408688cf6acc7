"""Uncertainty of small-area rates: confidence intervals from counts, the test
whether an area differs from the whole city, and when an interval outweighs a
difference.

Register counts are full counts, not samples; the interval describes the random
variation of a rate computed from few cases (the binomial model of the underlying
risk, as public-health observatories use it for small areas [5]). A count
indicator (``unit: count``) has no interval.

Interval methods, chosen per value by :data:`AUTO_RULE`:

===================  ==========================================  ================
id                   method                                      reference
===================  ==========================================  ================
``wilson``           Wilson score interval                       Wilson 1927 [1]
``clopper_pearson``  exact interval from the beta distribution   Clopper & Pearson
                                                                 1934 [2]
===================  ==========================================  ================

The Wilson interval has close to nominal coverage from moderate counts on, but
its coverage drops when the numerator (or the complement) is only a few cases
[3]; there the exact Clopper-Pearson interval, conservative by construction, is
used. Both equal ``statsmodels.stats.proportion.proportion_confint`` with
``method="wilson"`` and ``"beta"``.

References
----------
.. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and
   statistical inference. *JASA* 22(158), 209-212.
.. [2] Clopper, C. J., Pearson, E. S. (1934). The use of confidence or fiducial
   limits illustrated in the case of the binomial. *Biometrika* 26(4), 404-413.
.. [3] Brown, L. D., Cai, T. T., DasGupta, A. (2001). Interval estimation for a
   binomial proportion. *Statistical Science* 16(2), 101-133.
.. [4] Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., ch. 3
   (score test for two proportions, Fisher's exact test). Wiley.
.. [5] Association of Public Health Observatories (2008). *Commonly used public
   health statistics and their confidence intervals*, Technical Briefing 3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from monitor.catalog import UNIT_FACTORS

__all__ = [
    "AUTO_RULE",
    "DEFAULT_LEVEL",
    "METHODS",
    "SMALL_COUNT",
    "Comparison",
    "Interval",
    "compare_with_whole",
    "interval_wider_than",
    "proportion_interval",
    "rate_interval",
]

DEFAULT_LEVEL = 0.95
SMALL_COUNT = 5
"""Below this many cases in the numerator or in denominator − numerator the exact
Clopper-Pearson interval is used instead of Wilson's."""

AUTO_RULE = (
    f"Clopper-Pearson where numerator < {SMALL_COUNT} or denominator − numerator "
    f"< {SMALL_COUNT}, Wilson otherwise"
)
METHODS = ("wilson", "clopper_pearson")
NO_METHOD = ""
"""Method label of values without an interval (suppressed, missing, invalid)."""


@dataclass(frozen=True, eq=False)
class Interval:
    """Lower and upper bounds (in the unit asked for) and the method per value;
    NaN bounds and method ``""`` where there is no interval."""

    lower: np.ndarray
    upper: np.ndarray
    method: np.ndarray

    @property
    def width(self) -> np.ndarray:
        return self.upper - self.lower


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, got {level!r}")
    return float(stats.norm.isf((1 - level) / 2))


def _counts(numerator, denominator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts as float arrays and the mask of values that have an interval:
    finite, denominator > 0, 0 <= numerator <= denominator."""
    x = np.asarray(numerator, dtype=float)
    n = np.asarray(denominator, dtype=float)
    if x.shape != n.shape:
        x, n = np.broadcast_arrays(x, n)
    with np.errstate(invalid="ignore"):
        valid = np.isfinite(x) & np.isfinite(n) & (n > 0) & (x >= 0) & (x <= n)
    return x, n, valid


def _wilson(x: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    p = x / n
    z2 = z * z
    centre = (x + z2 / 2) / (n + z2)
    half = z * np.sqrt(n * p * (1 - p) + z2 / 4) / (n + z2)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _clopper_pearson(
    x: np.ndarray, n: np.ndarray, z: float
) -> tuple[np.ndarray, np.ndarray]:
    alpha = 2 * stats.norm.sf(z)
    with np.errstate(invalid="ignore"):
        lower = special.betaincinv(x, n - x + 1, alpha / 2)
        upper = special.betaincinv(x + 1, n - x, 1 - alpha / 2)
    return np.where(x == 0, 0.0, lower), np.where(x == n, 1.0, upper)


_BOUNDS = {"wilson": _wilson, "clopper_pearson": _clopper_pearson}


def _choose(x: np.ndarray, n: np.ndarray, method: str) -> np.ndarray:
    if method == "auto":
        small = (x < SMALL_COUNT) | (n - x < SMALL_COUNT)
        return np.where(small, "clopper_pearson", "wilson")
    if method not in _BOUNDS:
        raise ValueError(
            f"unknown interval method {method!r}; known: auto, " + ", ".join(METHODS)
        )
    return np.full(x.shape, method)


def proportion_interval(
    numerator, denominator, method: str = "auto", level: float = DEFAULT_LEVEL
) -> Interval:
    """Confidence interval of the proportion ``numerator / denominator``.

    Parameters
    ----------
    numerator, denominator : array_like
        Counts; NaN (suppressed or missing) allowed. Non-integer counts are
        accepted (both formulas are continuous in the counts).
    method : {"auto", "wilson", "clopper_pearson"}
        ``"auto"`` applies :data:`AUTO_RULE` value by value.
    level : float, default 0.95

    Returns
    -------
    Interval
        Bounds as proportions in [0, 1]; NaN and method ``""`` where a count is
        missing, the denominator is not positive or the numerator is negative or
        larger than the denominator.

    Examples
    --------
    >>> iv = proportion_interval([12, 2], [80, 30])
    >>> [round(v, 4) for v in iv.lower], list(iv.method)
    ([0.0879, 0.0082], ['wilson', 'clopper_pearson'])
    """
    z = _z(level)
    x, n, valid = _counts(numerator, denominator)
    chosen = _choose(x, n, method)
    lower = np.full(x.shape, np.nan)
    upper = np.full(x.shape, np.nan)
    for name, bounds in _BOUNDS.items():
        rows = valid & (chosen == name)
        if rows.any():
            lower[rows], upper[rows] = bounds(x[rows], n[rows], z)
    labels = np.where(valid, chosen, NO_METHOD).astype(object)
    return Interval(lower, upper, labels)


def rate_interval(
    numerator,
    denominator,
    unit: str,
    method: str = "auto",
    level: float = DEFAULT_LEVEL,
) -> Interval:
    """Confidence interval of a rate in the catalogue's ``unit`` (percent, per
    mille, per 100): the proportion interval times the unit's factor.

    Raises
    ------
    ValueError
        For ``unit="count"`` (a count has no denominator, hence no interval) and
        unknown units.
    """
    if unit == "count":
        raise ValueError("count indicators have no confidence interval")
    if unit not in UNIT_FACTORS:
        raise ValueError(f"unknown unit {unit!r}; known: " + ", ".join(UNIT_FACTORS))
    iv = proportion_interval(numerator, denominator, method, level)
    factor = UNIT_FACTORS[unit]
    return Interval(iv.lower * factor, iv.upper * factor, iv.method)


# -- does an area differ from the whole city? ---------------------------------------

MIN_EXPECTED = 5
"""Smallest expected cell count for the z-test (Cochran's rule); below it Fisher's
exact test is used."""


@dataclass(frozen=True, eq=False)
class Comparison:
    """Result of :func:`compare_with_whole`, one entry per area.

    ``p_value`` (NaN where no test was possible), ``method`` (``"z_test"``,
    ``"fisher"`` or ``""``), ``direction`` (+1 significantly higher, -1 lower,
    0 not significant or untested) and the rate of the rest of the whole.
    """

    p_value: np.ndarray
    method: np.ndarray
    direction: np.ndarray
    rest_rate: np.ndarray

    @property
    def significant(self) -> np.ndarray:
        return self.direction != 0


def _z_test(x1, n1, x2, n2) -> np.ndarray:
    pooled = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (x1 / n1 - x2 / n2) / se
    return np.where(se > 0, 2 * stats.norm.sf(np.abs(z)), 1.0)


def _fisher(x1, n1, x2, n2) -> np.ndarray:
    out = np.empty(x1.shape)
    for i, (a, na, b, nb) in enumerate(zip(x1, n1, x2, n2, strict=True)):
        table = np.round([[a, na - a], [b, nb - b]]).astype(int)
        out[i] = stats.fisher_exact(table).pvalue
    return out


def compare_with_whole(
    numerator,
    denominator,
    whole_numerator: float,
    whole_denominator: float,
    alpha: float = 0.05,
    fdr: bool = False,
) -> Comparison:
    """Test whether each area's rate differs from the rate of the whole city.

    The area is part of the city, so area and city are not independent samples:
    a test of the area against the city's rate would count the area's cases on
    both sides. The area is compared with the **rest of the city** instead
    (whole minus area), which is independent of it. The hypotheses are the
    same, since ``p_area - p_city = (1 - w) (p_area - p_rest)`` with the area's
    weight ``w = n_area / n_city``: the area differs from the city exactly when
    it differs from the rest, in the same direction.

    Parameters
    ----------
    numerator, denominator : array_like
        Counts of the areas; NaN (suppressed, missing) gives no test.
    whole_numerator, whole_denominator : float
        Counts of the whole (the city), which contains every area.
    alpha : float, default 0.05
        Two-sided significance level.
    fdr : bool, default False
        Control the false discovery rate over the tested areas
        (Benjamini-Hochberg, ``scipy.stats.false_discovery_control``): with 35
        Quartiere about two would be "significant" at 5 % by chance alone.

    Returns
    -------
    Comparison

    Notes
    -----
    Two-sided pooled two-proportion z-test (the score test, equal to the
    chi-square test without continuity correction; statsmodels
    ``proportions_ztest``), or Fisher's exact test where an expected count of
    the 2 x 2 table area/rest x case/no case is below :data:`MIN_EXPECTED` [4].
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    x1, n1, valid = _counts(numerator, denominator)
    x2 = float(whole_numerator) - x1
    n2 = float(whole_denominator) - n1
    with np.errstate(invalid="ignore"):
        valid &= np.isfinite(x2) & (n2 > 0) & (x2 >= 0) & (x2 <= n2)
    p_value = np.full(x1.shape, np.nan)
    method = np.full(x1.shape, NO_METHOD, dtype=object)
    if valid.any():
        a, na, b, nb = x1[valid], n1[valid], x2[valid], n2[valid]
        pooled = (a + b) / (na + nb)
        expected = np.minimum(na, nb) * np.minimum(pooled, 1 - pooled)
        small = expected < MIN_EXPECTED
        p = _z_test(a, na, b, nb)
        if small.any():
            p[small] = _fisher(a[small], na[small], b[small], nb[small])
        p_value[valid] = p
        method[valid] = np.where(small, "fisher", "z_test")
    tested = np.isfinite(p_value)
    if fdr and tested.any():
        p_value[tested] = stats.false_discovery_control(p_value[tested])
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_rate = np.where(n2 > 0, x2 / n2, np.nan)
        sign = np.sign(x1 / n1 - rest_rate)
    direction = np.where(tested & (p_value < alpha), sign, 0).astype(int)
    return Comparison(p_value, method, direction, rest_rate)


def interval_wider_than(lower, upper, difference) -> np.ndarray:
    """True where the interval is wider than the difference being discussed.

    For the page's visible note: when an area's interval spans more than the
    gap between it and the city (or between two years), the gap may be chance.
    Compares the full width ``upper - lower`` with ``|difference|``; False
    where any input is NaN (no interval, no note).
    """
    lo, hi, d = np.broadcast_arrays(
        np.asarray(lower, dtype=float),
        np.asarray(upper, dtype=float),
        np.asarray(difference, dtype=float),
    )
    with np.errstate(invalid="ignore"):
        wider = (hi - lo) > np.abs(d)
    return wider & np.isfinite(lo) & np.isfinite(hi) & np.isfinite(d)
