"""Mann-Kendall (monitor.methods.hotspots.trend) by hand and against pymannkendall."""

from __future__ import annotations

import numpy as np
import pymannkendall
import pytest
from numpy.testing import assert_allclose

from monitor.methods import hotspots as hs


def test_mann_kendall_hand_computed_with_ties():
    # x = 2 1 3 3 4 3 5 (n = 7). Signs of x_j - x_i for i < j:
    #   i=1 (2): - + + + + +  -> +4
    #   i=2 (1): + + + + +    -> +5
    #   i=3 (3): 0 + 0 +      -> +2
    #   i=4 (3): + 0 +        -> +2
    #   i=5 (4): - +          ->  0
    #   i=6 (3): +            -> +1          S = 14
    # Ties: the value 3 occurs t = 3 times.
    #   Var(S) = [7*6*19 - 3*2*11] / 18 = (798 - 66) / 18 = 40.6667
    #   z = (S - 1) / sqrt(Var) = 13 / 6.37704 = 2.03856
    #   p = 2 (1 - Phi(2.03856)) = 0.041494;  tau = 14 / 21 = 0.6667
    res = hs.mann_kendall([2, 1, 3, 3, 4, 3, 5])
    assert res.s == 14
    assert_allclose(res.var_s, 732 / 18, rtol=1e-12)
    assert_allclose(res.z, 13 / np.sqrt(732 / 18), rtol=1e-12)
    assert_allclose(res.p, 0.0414937, rtol=1e-5)
    assert_allclose(res.tau, 14 / 21, rtol=1e-12)
    assert res.trend == "increasing"


@pytest.mark.parametrize(
    "series",
    [
        pytest.param([2, 1, 3, 3, 4, 3, 5], id="ties-increasing"),
        pytest.param(
            [5.0, 4.1, 4.1, 3.0, 3.0, 3.0, 1.2, 0.5, 0.5], id="ties-decreasing"
        ),
        pytest.param([1.0, 3.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0], id="no-trend"),
        pytest.param([1.5] * 6, id="constant"),
        pytest.param(np.sin(np.arange(12)) + np.arange(12) * 0.2, id="noisy-trend"),
    ],
)
def test_mann_kendall_equals_pymannkendall(series):
    ours = hs.mann_kendall(series, alpha=0.05)
    ref = pymannkendall.original_test(np.asarray(series, dtype=float), alpha=0.05)
    assert_allclose(
        [ours.s, ours.var_s, ours.z, ours.p, ours.tau],
        [ref.s, ref.var_s, ref.z, ref.p, ref.Tau],
        rtol=1e-12,
        atol=1e-15,
    )
    assert ours.trend == ref.trend.replace("no trend", "no_trend")


def test_mann_kendall_rejects_missing_values():
    with pytest.raises(ValueError):
        hs.mann_kendall([1.0, np.nan, 3.0])
