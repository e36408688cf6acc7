"""Testability: when the units of a level are a sound basis for hotspot tests.

Three rules: enough units with data (:data:`MIN_UNITS`), enough neighbours
(:data:`MIN_MEAN_NEIGHBOURS`, :func:`check_testable`), and enough of the city
covered by them (:data:`MIN_COVERAGE`, :func:`coverage_of`).

Coverage: how much of the city the published units of a level stand for.

Small units are suppressed (their counts are secret and, in future data
deliveries, not even in the files). A hotspot analysis of the published units
alone then describes the large units only: on the demo raster, Kinderarmut 2025
is published for 35 of 631 cells holding 30 % of the city's children, at a rate
of 53 % against the city's 37 %. The share of the city's total that the tested
units hold is computed from published totals only (the units' and the city's
own published counts, never from suppressed ones), and an analysis is offered
only from :data:`MIN_COVERAGE` on.

References
----------
.. [1] Anselin, L., Syabri, I. & Kho, Y. (2006). GeoDa: an introduction to
   spatial data analysis. Geographical Analysis 38(1), 5-22.
.. [2] Little, R. J. A. & Rubin, D. B. (2019). Statistical Analysis with
   Missing Data, 3rd ed., ch. 1 (missingness that depends on the unit's size
   is not at random; an analysis of the complete cases is biased). Wiley.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitor.methods.hotspots.weights import WeightsInfo

__all__ = [
    "MAX_CUBE_DRAWS",
    "MIN_COVERAGE",
    "MIN_MEAN_NEIGHBOURS",
    "MIN_UNITS",
    "MIN_YEARS",
    "CityTotals",
    "Coverage",
    "check_testable",
    "city_totals",
    "coverage_of",
]

MIN_UNITS = 30
"""Fewest units with data and neighbours for local statistics."""

MIN_MEAN_NEIGHBOURS = 2.0
"""Fewest neighbours per unit on average."""

MIN_YEARS = 4
"""Fewest years for the emerging-hotspot analysis (Esri recommends 10)."""

MAX_CUBE_DRAWS = 5_000_000
"""Most bins x permutations computed while a user waits: 35 Quartiere x 12 years
x 9999 permutations = 4.2 million (about a second); the demo raster's 4,600 bins
would take half a minute and are refused ("too_large")."""

MIN_COVERAGE = 0.80
"""Smallest share of the city's denominator (count indicators: the count) the
tested units must hold for a hotspot analysis to be offered."""


@dataclass(frozen=True)
class CityTotals:
    """The city's own published counts of one indicator-year.

    ``denominator`` is NaN for count indicators (the count is ``numerator``).
    """

    numerator: float
    denominator: float

    @property
    def rate(self) -> float:
        """numerator / denominator (NaN for counts or a zero denominator)."""
        if not self.denominator > 0:
            return float("nan")
        return self.numerator / self.denominator

    def base(self, is_rate: bool) -> float:
        """The total coverage is measured on: denominator of a rate, else count."""
        return self.denominator if is_rate else self.numerator


def city_totals(frame: pd.DataFrame | None) -> CityTotals | None:
    """The city's totals from the rows of the level ``stadt``.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        The published rows of the city level (columns ``numerator``,
        ``denominator``, ``status``) for one indicator-year.

    Returns
    -------
    CityTotals or None
        None unless there is exactly one city row and it is published.
    """
    if frame is None or len(frame) != 1:
        return None
    row = frame.iloc[0]
    if row["status"] != "ok" or not np.isfinite(float(row["numerator"])):
        return None
    den = pd.to_numeric(pd.Series([row["denominator"]]), errors="coerce").iloc[0]
    return CityTotals(float(row["numerator"]), float(den))


@dataclass(frozen=True)
class Coverage:
    """Share of the city's total held by the tested units.

    Attributes
    ----------
    share : float
        ``covered / total``; NaN when the total is not known.
    covered : float
        Sum of the tested units' published base (denominator or count).
    total : float
        The city's published base; NaN when not published.
    n_units : int
        Tested units.
    """

    share: float
    covered: float
    total: float
    n_units: int

    @property
    def known(self) -> bool:
        return math.isfinite(self.share)

    @property
    def sufficient(self) -> bool:
        """Whether the share reaches :data:`MIN_COVERAGE`."""
        return self.known and self.share >= MIN_COVERAGE


def coverage_of(base: Any, total: float | None) -> Coverage:
    """Coverage of units with published ``base`` values against the city total.

    Parameters
    ----------
    base : array-like
        Published denominators (rates) or counts of the tested units, >= 0.
    total : float or None
        The city's published base; None or NaN when not published.

    Returns
    -------
    Coverage
    """
    b = np.asarray(base, dtype=float).ravel()
    if not np.isfinite(b).all() or (b < 0).any():
        raise ValueError("the units' base values must be finite and non-negative")
    covered = float(b.sum())
    total = float("nan") if total is None else float(total)
    if math.isfinite(total) and total <= 0:
        raise ValueError("the city total must be positive")
    share = covered / total if math.isfinite(total) else float("nan")
    return Coverage(share, covered, total, int(b.size))


def check_testable(n_units: int, w_info: WeightsInfo | None) -> str | None:
    """Whether local hot spot statistics are meaningful for this set of units.

    Returns
    -------
    str or None
        None when testable; else a reason code from ``REASONS``:
        "too_few_units" (fewer than ``MIN_UNITS`` = 30 units with data and
        neighbours) or "too_few_neighbours" (mean neighbour count below 2).

    Notes
    -----
    With about 10 Stadtteile each unit has 2-4 neighbours and Gi*/LISA have
    next to no power; the statistics become usable from roughly 30 units (a
    rule of thumb from practice, e.g. GeoDa workbooks; Anselin et al. 2006).
    """
    if n_units < MIN_UNITS:
        return "too_few_units"
    if w_info is None or w_info.mean_neighbours < MIN_MEAN_NEIGHBOURS:
        return "too_few_neighbours"
    return None
