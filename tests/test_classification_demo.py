"""Every map of the demo data is classed as mapclassify classes it.

The sweep covers every indicator, year and level of ``data/demo`` (not a sample)
and compares the class of every area with the ``yb`` of the mapclassify
classifier the scheme stands for:

=================  ==========================================================
scheme             reference
=================  ==========================================================
``quantile``       ``mapclassify.Quantiles(y, k)``
``natural_breaks`` ``mapclassify.FisherJenks(y, k)``
``equal_interval`` ``mapclassify.EqualInterval(y, k)``
``std_mean``       ``mapclassify.StdMean(y, multiples)`` with the multiples of
                   ``std_mean_multiples(k)`` (sample SD, ``ddof=1``); the app's
                   population SD (``ddof=0``) against ``mapclassify.UserDefined``
                   with the same cuts
``fixed``          ``mapclassify.UserDefined(y, bins)`` with data values as
                   bins (a value on a break is the hardest case)
=================  ==========================================================

``k`` is reduced to the number of distinct values first (the project's rule,
see ``classify``), so the reference gets the same ``k``. mapclassify's pure
Python Fisher-Jenks needs about 2 s for the 631 raster cells, so raster maps
are checked with natural breaks at the default ``k = 5`` on the latest year of
each indicator only (random inputs against mapclassify's Fisher-Jenks are in
tests/test_classification_reference.py); every other
level and scheme on every map at every ``k`` the map page offers.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache

import mapclassify
import numpy as np
import pytest

from monitor.methods.classification import classify, std_mean_multiples
from monitor.store import Store
from tests.conftest import DEMO_DIR

K_VALUES = (3, 4, 5, 6, 7)  # the map page's choices
LEVELS = ("stadtteil", "quartier", "raster")


@cache
def demo_maps() -> tuple[tuple[str, int, str, np.ndarray], ...]:
    """(indicator, year, level, values) of every map the demo data has."""
    store = Store(DEMO_DIR)
    years = store.indicator_years()
    maps = []
    for row in years.itertuples(index=False):
        if row.level not in LEVELS:
            continue
        values = store.level_values(row.indicator_id, int(row.year), row.level)
        maps.append(
            (row.indicator_id, int(row.year), row.level, values.value.to_numpy(float))
        )
    return tuple(maps)


def _k_eff(y: np.ndarray, k: int) -> int:
    return min(k, int(np.unique(y).size))


def fixed_breaks(y: np.ndarray) -> np.ndarray:
    """Three data values as user breaks (areas lie exactly on each break)."""
    u = np.unique(y)
    return np.unique(u[[u.size // 4, u.size // 2, (3 * u.size) // 4]])


@dataclass(frozen=True)
class Check:
    """Wrong areas of one map: ours and the reference's class per area."""

    wrong: int
    n: int


def reference_classes(y: np.ndarray, scheme: str, k: int, ddof: int = 0) -> np.ndarray:
    """Class per finite value from mapclassify, in the numbering ours uses."""
    if np.unique(y).size == 1:
        return np.zeros(y.size, dtype=int)  # one class [v, v] (mapclassify raises)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if scheme == "quantile":
            return mapclassify.Quantiles(y, k=_k_eff(y, k)).yb
        if scheme == "natural_breaks":
            return mapclassify.FisherJenks(y, k=_k_eff(y, k)).yb
        if scheme == "equal_interval":
            return mapclassify.EqualInterval(y, k=_k_eff(y, k)).yb
        if scheme == "fixed":
            return mapclassify.UserDefined(y, fixed_breaks(y)).yb
    # std_mean: mapclassify keeps classes beyond the data range (empty), ours
    # leaves them out; the classes below the minimum shift the numbering
    multiples = list(std_mean_multiples(k))
    if ddof == 1:
        ref = mapclassify.StdMean(y, multiples=multiples)
    else:
        cuts = np.mean(y) + np.array(multiples) * np.std(y)
        ref = mapclassify.UserDefined(y, cuts)
    below = int(np.count_nonzero(ref.bins < y.min()))
    return ref.yb - below


def check(values: np.ndarray, scheme: str, k: int, ddof: int = 0) -> Check:
    y = values[np.isfinite(values)]
    breaks = fixed_breaks(y) if scheme == "fixed" else None
    ours = classify(values, scheme, k, breaks, ddof=ddof)
    mine = np.asarray(ours.yb)[np.isfinite(values)]
    ref = reference_classes(y, scheme, k, ddof)
    return Check(int(np.count_nonzero(mine != ref)), int(y.size))


def latest_years(level: str) -> set[tuple[str, int]]:
    """(indicator, its latest year) of the maps of ``level``."""
    latest: dict[str, int] = {}
    for ind, year, lvl, _ in demo_maps():
        if lvl == level:
            latest[ind] = max(year, latest.get(ind, year))
    return set(latest.items())


def sweep(level: str, scheme: str, ks=K_VALUES, ddof: int = 0, latest_only=False):
    """(maps checked, maps with a wrong area, wrong areas, first bad maps)."""
    n_maps = n_bad = n_wrong = 0
    bad = []
    keep = latest_years(level) if latest_only else None
    for ind, year, lvl, values in demo_maps():
        if lvl != level or not np.isfinite(values).any():
            continue
        if keep is not None and (ind, year) not in keep:
            continue
        for k in ks:
            result = check(values, scheme, k, ddof)
            n_maps += 1
            if result.wrong:
                n_bad += 1
                n_wrong += result.wrong
                if len(bad) < 5:
                    bad.append(f"{ind} {year} {lvl} k={k}: {result.wrong} wrong")
    return n_maps, n_bad, n_wrong, bad


CASES = [
    (level, scheme, ddof)
    for level in LEVELS
    for scheme, ddof in (
        ("quantile", 0),
        ("natural_breaks", 0),
        ("equal_interval", 0),
        ("std_mean", 0),
        ("std_mean", 1),
        ("fixed", 0),
    )
]


@pytest.mark.parametrize(
    ("level", "scheme", "ddof"),
    CASES,
    ids=[f"{lv}-{s}{'-ddof1' if d else ''}" for lv, s, d in CASES],
)
def test_every_demo_map_is_classed_as_mapclassify_classes_it(level, scheme, ddof):
    slow = level == "raster" and scheme == "natural_breaks"
    ks = (5,) if slow else K_VALUES
    n_maps, n_bad, n_wrong, bad = sweep(level, scheme, ks, ddof, latest_only=slow)
    assert n_maps > 0
    assert n_wrong == 0, f"{n_bad} of {n_maps} maps have areas in a wrong class: {bad}"
