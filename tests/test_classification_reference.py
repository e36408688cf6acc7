"""The breaks of monitor.methods.classification equal mapclassify's.

Run-time comparisons with mapclassify 2.10 (``Quantiles``, ``FisherJenks``,
``EqualInterval``) on random data, data full of ties and a million values,
plus frozen numbers so that a mapclassify upgrade cannot move the reference:
the California employment density example that ships with mapclassify
(``mapclassify.load_example()``, 58 values) and the breaks its documentation
gives for it (pysal/mapclassify ``classifiers.py`` docstrings).
"""

from __future__ import annotations

import warnings

import mapclassify
import numpy as np
import pytest
from numpy.testing import assert_array_equal

from monitor.methods.classification import (
    classify,
    equal_interval_bins,
    fisher_jenks_bins,
    quantile_bins,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:Not enough unique values", "ignore:Numba not installed"
)

CAL = mapclassify.load_example()


def _samples(seed: int, n_max: int = 60, count: int = 40):
    """Small vectors: continuous, rounded (ties), tiny sets, heavy ties."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(5, n_max))
        yield np.round(rng.gamma(2.0, 3.0, n), int(rng.integers(0, 3)))
    yield rng.integers(0, 4, 30).astype(float)
    yield np.array([1.0, 1.0, 1.0, 1.0, 2.0, 3.0])
    yield np.array([19.2, 20.1, 20.2, 23.7, 23.7, 23.7, 29.5, 35.7, 40.7])


# --------------------------------------------------------------------------
# frozen: mapclassify's documented breaks for its example data


def test_frozen_fisher_jenks_of_the_mapclassify_example():
    assert fisher_jenks_bins(CAL, 5).tolist() == [
        75.29,
        192.05,
        370.5,
        722.85,
        4111.45,
    ]
    assert classify(CAL, "natural_breaks", 5).counts.tolist() == [49, 3, 4, 1, 1]


def test_frozen_quantiles_of_the_mapclassify_example():
    c = classify(CAL, "quantile", 5)
    np.testing.assert_allclose(
        c.bins, [1.464, 5.798, 13.278, 54.616, 4111.45], rtol=1e-12
    )
    assert c.counts.tolist() == [12, 11, 12, 11, 12]


def test_frozen_equal_interval_of_the_mapclassify_example():
    c = classify(CAL, "equal_interval", 5)
    np.testing.assert_allclose(
        c.bins, [822.394, 1644.658, 2466.922, 3289.186, 4111.45], rtol=1e-12
    )
    assert c.counts.tolist() == [57, 0, 0, 0, 1]


def test_frozen_fisher_jenks_of_a_tied_set():
    # hand check: {1 1 1 1} {2} {3} has no squared deviation at all
    assert fisher_jenks_bins(np.array([1.0, 1, 1, 1, 2, 3]), 3).tolist() == [1, 2, 3]


# --------------------------------------------------------------------------
# run time: equal to the last bit


@pytest.mark.parametrize("seed", range(2))
def test_fisher_jenks_equals_mapclassify(seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y in _samples(seed, n_max=40, count=15):
            for k in range(2, min(9, np.unique(y).size) + 1):
                ref = mapclassify.FisherJenks(y, k=k)
                assert_array_equal(fisher_jenks_bins(y, k), ref.bins)
                assert_array_equal(classify(y, "natural_breaks", k).yb, ref.yb)


@pytest.mark.parametrize("seed", range(3))
def test_quantiles_and_equal_intervals_equal_mapclassify(seed):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for y in _samples(seed, n_max=400, count=20):
            for k in range(2, 10):
                k_eff = min(k, np.unique(y).size)
                ref = mapclassify.Quantiles(y, k=k_eff)
                assert_array_equal(quantile_bins(y, k_eff), ref.bins)
                assert_array_equal(classify(y, "quantile", k).yb, ref.yb)
                ref = mapclassify.EqualInterval(y, k=k_eff)
                assert_array_equal(equal_interval_bins(y, k_eff), ref.bins)
                assert_array_equal(classify(y, "equal_interval", k).yb, ref.yb)


@pytest.mark.parametrize("k", [3, 5, 9])
def test_quantiles_of_many_values_equal_mapclassify(k):
    # one np.partition instead of a sort per class; ties included
    rng = np.random.default_rng(k)
    n = 20_011
    for y in (
        rng.normal(size=n),
        rng.integers(0, 5, n).astype(float),
        np.round(rng.gamma(1, 2, n), 1),
    ):
        k_eff = min(k, np.unique(y).size)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = mapclassify.Quantiles(y, k=k_eff)
        assert_array_equal(quantile_bins(y, k_eff), ref.bins)
        assert_array_equal(classify(y, "quantile", k).yb, ref.yb)
