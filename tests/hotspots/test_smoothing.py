"""Empirical-Bayes rates (monitor.methods.hotspots.smoothing) against esda."""

from __future__ import annotations

import esda
import numpy as np
import pytest
from numpy.testing import assert_allclose

from monitor.methods import hotspots as hs


def counts(seed, n=60):
    rng = np.random.default_rng(seed)
    population = rng.integers(20, 3_000, n)
    risk = rng.gamma(4.0, 0.05 / 4.0, n)  # heterogeneous true rates around 5 %
    return rng.binomial(population, np.clip(risk, 0, 1)), population


@pytest.mark.parametrize("seed", [pytest.param(s, id=f"counts-{s}") for s in (1, 2, 3)])
def test_empirical_bayes_equals_esda(seed):
    events, population = counts(seed)
    ours = hs.empirical_bayes_rates(events, population)
    ref = esda.smoothing.Empirical_Bayes(events, population).r.ravel()
    assert_allclose(ours, ref, rtol=1e-12)
    raw = events / population
    # shrinkage: smoothed rates move towards the overall rate
    overall = events.sum() / population.sum()
    assert np.all(np.abs(ours - overall) <= np.abs(raw - overall) + 1e-15)


def test_empirical_bayes_negative_variance_shrinks_to_overall_rate():
    # Identical raw rates: s^2 = 0, a = 0 - b / mean(P) < 0 -> set to 0.
    events = np.array([5, 10, 20, 40])
    population = np.array([100, 200, 400, 800])
    assert_allclose(hs.empirical_bayes_rates(events, population), 0.05)


@pytest.mark.parametrize(
    ("events", "population"),
    [
        pytest.param([1, 2], [10, 0], id="zero-denominator"),
        pytest.param([1, -2], [10, 10], id="negative-count"),
        pytest.param([1, np.nan], [10, 10], id="missing-count"),
        pytest.param([1, 2, 3], [10, 10], id="length-mismatch"),
    ],
)
def test_empirical_bayes_rejects_bad_counts(events, population):
    with pytest.raises(ValueError):
        hs.empirical_bayes_rates(events, population)


def test_empirical_bayes_frozen_reference_values():
    events, population = counts(1)
    ours = hs.empirical_bayes_rates(events, population)
    assert_allclose(ours[:3], [0.0539028957, 0.0250969786, 0.1038237651], rtol=1e-9)
