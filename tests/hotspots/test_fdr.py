"""Benjamini-Hochberg (monitor.methods.hotspots.fdr) by hand and against scipy."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from monitor.methods import hotspots as hs
from tests.hotspots.examples import BH_P, BH_Q, BH_REJECT


def test_benjamini_hochberg_hand_example():
    assert_array_equal(hs.benjamini_hochberg(BH_P, alpha=0.05), BH_REJECT)
    assert_allclose(hs.bh_adjust(BH_P), BH_Q, rtol=1e-12)


def test_bh_adjust_equals_scipy():
    p = np.random.default_rng(5).uniform(0, 0.2, 200) ** 2
    assert_allclose(hs.bh_adjust(p), stats.false_discovery_control(p), rtol=1e-12)


def test_benjamini_hochberg_ignores_missing_p_values():
    p = np.array([np.nan, *BH_P, np.nan])
    assert_array_equal(hs.benjamini_hochberg(p, 0.05), [False, *BH_REJECT, False])
    assert np.isnan(hs.bh_adjust(p)[[0, -1]]).all()


@pytest.mark.parametrize(
    ("p", "alpha"),
    [
        pytest.param([0.1, 1.2], 0.05, id="p-above-one"),
        pytest.param([0.1, -0.1], 0.05, id="negative-p"),
        pytest.param([0.1, 0.2], 0.0, id="alpha-zero"),
        pytest.param([0.1, 0.2], 1.5, id="alpha-above-one"),
    ],
)
def test_benjamini_hochberg_rejects_bad_arguments(p, alpha):
    with pytest.raises(ValueError):
        hs.benjamini_hochberg(p, alpha)
