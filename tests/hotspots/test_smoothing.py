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


def test_empirical_bayes_shrinks_towards_a_given_prior_rate_by_hand():
    # O = 2, 30, 90 events in P = 20, 100, 300; prior mean m = 0.2 (the city).
    # r = 0.1, 0.3, 0.3; s^2 = (20 * 0.01 + 100 * 0.01 + 300 * 0.01) / 420 = 0.01
    # mean P = 140, a = 0.01 - 0.2 / 140 = 3 / 350
    # w_i = a / (a + m / P_i): m / P = 1/100, 1/500, 1/1500 -> 6/13, 30/37, 90/97
    # smoothed = m + w_i (r_i - m) = 0.2 - 0.6/13, 0.2 + 3/37, 0.2 + 9/97
    ours = hs.empirical_bayes_rates([2, 30, 90], [20, 100, 300], prior_rate=0.2)
    assert_allclose(ours, [0.2 - 0.6 / 13, 0.2 + 3 / 37, 0.2 + 9 / 97], rtol=1e-12)
    # Around the pooled rate b = 122 / 420 the same counts vary less than
    # Poisson noise (s^2 = 0.00183 < b / 140 = 0.00207): a < 0 -> 0, all rates
    # become b. Around the city's 0.2 the offset of these units counts too.
    pooled = hs.empirical_bayes_rates([2, 30, 90], [20, 100, 300])
    assert_allclose(pooled, 122 / 420, rtol=1e-12)
    assert not np.allclose(ours, pooled)


def test_empirical_bayes_with_the_city_rate_of_the_demo_raster(demo_store):
    # Kinderarmut 2025 on the raster: only the large cells are published, and
    # their pooled rate (53.4 %) is far above the city's own rate (36.9 %).
    city = hs.city_totals(demo_store.level_values("kinderarmut", 2025, "stadt"))
    cells = demo_store.level_values("kinderarmut", 2025, "raster")
    ok = cells[cells.status == "ok"]
    pooled = ok.numerator.sum() / ok.denominator.sum()
    assert city.rate == pytest.approx(0.36864, abs=1e-4)
    assert pooled == pytest.approx(0.53393, abs=1e-4)
    smoothed = hs.empirical_bayes_rates(ok.numerator, ok.denominator, city.rate)
    default = hs.empirical_bayes_rates(ok.numerator, ok.denominator)
    # every cell moves towards the city rate, not towards the published mean
    assert (np.abs(smoothed - city.rate) <= np.abs(ok.value / 100 - city.rate)).all()
    assert smoothed.mean() < default.mean()


@pytest.mark.parametrize(
    "prior", [pytest.param(0.0, id="zero"), pytest.param(np.nan, id="nan")]
)
def test_empirical_bayes_rejects_a_bad_prior_rate(prior):
    with pytest.raises(ValueError):
        hs.empirical_bayes_rates([1, 2], [10, 20], prior_rate=prior)
