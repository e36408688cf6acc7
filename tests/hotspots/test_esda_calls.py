"""How the statistics call esda: no side effects on weights or global RNG; islands."""

from __future__ import annotations

import numpy as np
from libpysal.weights import W, lat2W
from numpy.testing import assert_array_equal

from monitor.methods import hotspots as hs
from tests.hotspots.examples import clustered_values


def test_statistics_do_not_mutate_weights():
    w = lat2W(6, 6)
    before = w.sparse.toarray().copy()
    y = clustered_values(6, 6)
    hs.local_gstar(y, w, permutations=99)
    hs.local_moran(y, w, permutations=99)
    hs.global_moran(y, w, permutations=99)
    assert w.transform == "O"
    assert_array_equal(w.sparse.toarray(), before)


def test_statistics_leave_the_global_random_state_alone():
    np.random.seed(99)
    expected = np.random.random(3)
    np.random.seed(99)
    hs.local_gstar(clustered_values(6, 6), lat2W(6, 6), permutations=99, seed=1)
    hs.local_moran(clustered_values(6, 6), lat2W(6, 6), permutations=99, seed=1)
    assert_array_equal(np.random.random(3), expected)


def test_local_statistics_mark_islands_on_given_weights():
    w = lat2W(5, 5)
    neighbours = {i: [j for j in w.neighbors[i] if j != 24] for i in w.id_order}
    neighbours[24] = []
    w_island = W(neighbours, silence_warnings=True)
    y = clustered_values(5, 5)
    gi = hs.local_gstar(y, w_island, permutations=99)
    lm = hs.local_moran(y, w_island, permutations=99)
    assert gi.loc[24, "island"] and np.isnan(gi.loc[24, "z"])
    assert lm.loc[24, "quadrant"] is None and np.isnan(lm.loc[24, "Ii"])
    assert np.isfinite(gi["z"].drop(24)).all()
