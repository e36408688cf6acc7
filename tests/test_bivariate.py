"""3 x 3 bivariate classes from terciles, against mapclassify's quantiles."""

from __future__ import annotations

import mapclassify
import numpy as np
import pytest

from monitor.methods.bivariate import bivariate_classes


def test_classes_are_mapclassify_terciles_of_the_complete_pairs():
    rng = np.random.default_rng(11)
    x = rng.gamma(2, 4, size=35)
    y = rng.normal(10, 3, size=35)
    x[[0, 7]] = np.nan
    y[[7, 9]] = np.nan
    b = bivariate_classes(x, y)
    keep = np.isfinite(x) & np.isfinite(y)
    qx = mapclassify.Quantiles(x[keep], k=3)
    qy = mapclassify.Quantiles(y[keep], k=3)
    assert b.x_class[keep].tolist() == qx.yb.tolist()
    assert b.y_class[keep].tolist() == qy.yb.tolist()
    np.testing.assert_allclose(b.x.bins, qx.bins)
    assert (b.index[keep] == 3 * qy.yb + qx.yb).all()
    assert b.index[~keep].tolist() == [-1, -1, -1]
    assert b.n_missing == 3
    assert b.counts.sum() == keep.sum()
    assert b.counts.sum(axis=0).tolist() == np.bincount(qx.yb, minlength=3).tolist()


def test_ties_go_to_the_class_mapclassify_gives_them():
    # breaks 2, 4, 6: a value on a break belongs to the lower class (upper bound
    # inclusive), tied values share one class
    x = np.array([1, 2, 2, 2, 3, 4, 4, 5, 6], dtype=float)
    b = bivariate_classes(x, x)
    q = mapclassify.Quantiles(x, k=3)
    assert b.x_class.tolist() == q.yb.tolist()
    assert b.x_class[1:4].tolist() == [0, 0, 0]
    assert set(b.index.tolist()) <= {0, 4, 8}


def test_frozen_reference_classes():
    b = bivariate_classes([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, np.nan])
    assert b.index.tolist() == [6, 6, 4, 2, 2, -1]
    assert b.counts.tolist() == [[0, 0, 2], [0, 1, 0], [2, 0, 0]]


def test_coinciding_terciles_keep_low_and_high():
    # two thirds of the areas have 0: the first two terciles coincide, leaving
    # the classes "0" (low) and "above 0" (high)
    x = np.array([0] * 9 + [1, 2, 3], dtype=float)
    y = np.arange(12, dtype=float)
    b = bivariate_classes(x, y)
    assert b.x.k == 2 and "k_reduced" in b.x.note_codes()
    assert b.x_class.tolist() == [0] * 9 + [2, 2, 2]
    constant = bivariate_classes(np.full(6, 5.0), np.arange(6.0))
    assert set(constant.x_class.tolist()) == {1}


def test_no_complete_pair_and_bad_input():
    b = bivariate_classes([np.nan, 1.0], [2.0, np.nan])
    assert b.index.tolist() == [-1, -1]
    assert b.counts.sum() == 0
    with pytest.raises(ValueError, match="length"):
        bivariate_classes([1, 2], [1])
    with pytest.raises(ValueError):
        b.index[0] = 3
