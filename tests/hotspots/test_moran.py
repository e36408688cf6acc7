"""Local and global Moran's I (monitor.methods.hotspots.moran) against esda."""

from __future__ import annotations

import copy

import esda
import numpy as np
import pytest
from libpysal.weights import lat2W
from numpy.testing import assert_allclose

from monitor.methods import hotspots as hs
from tests.hotspots.examples import SEED, clustered_values

LATTICES = [
    pytest.param(True, id="rook-lattice"),
    pytest.param(False, id="queen-lattice"),
]


@pytest.mark.parametrize("rook", LATTICES)
def test_local_moran_equals_esda(rook):
    w = lat2W(10, 10, rook=rook)
    y = clustered_values()
    ours = hs.local_moran(y, w, permutations=999, seed=SEED)
    ref = esda.Moran_Local(
        y, copy.deepcopy(w), transformation="r", permutations=999, seed=SEED
    )
    assert_allclose(ours["Ii"], ref.Is, rtol=1e-12)
    assert_allclose(ours["p_sim"], ref.p_sim, rtol=1e-12)
    quadrants = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    assert list(ours["quadrant"]) == [quadrants[q] for q in ref.q]


@pytest.mark.parametrize("rook", LATTICES)
def test_global_moran_equals_esda(rook):
    w = lat2W(10, 10, rook=rook)
    y = clustered_values()
    ours = hs.global_moran(y, w, permutations=999, seed=SEED)
    np.random.seed(SEED)  # esda.Moran draws its permutations from the global RNG
    ref = esda.Moran(y, copy.deepcopy(w), transformation="r", permutations=999)
    assert_allclose(
        [ours.I, ours.expected_I, ours.z_norm, ours.p_norm, ours.p_sim, ours.z_sim],
        [ref.I, ref.EI, ref.z_norm, ref.p_norm, ref.p_sim, ref.z_sim],
        rtol=1e-10,
    )
    assert ours.n == 100


def test_same_seed_same_pseudo_p_values():
    w = lat2W(8, 8)
    y = clustered_values(8, 8)
    a = hs.local_moran(y, w, seed=3)
    b = hs.local_moran(y, w, seed=3)
    assert_allclose(a["p_sim"], b["p_sim"])


# Frozen reference values (esda 2.9 / libpysal 4.14, seed SEED, 999 permutations).
FROZEN_MORAN = [
    pytest.param(
        True,
        [0.43585796, 7.33568161, 4.88695977],
        [0.118, 0.001, 0.001],
        (0.8069475387, 11.03065354, 11.05193667),
        id="rook-lattice",
    ),
    pytest.param(
        False,
        [0.58824888, 6.74987537, 4.60118321],
        [0.021, 0.001, 0.001],
        (0.7770493025, 14.72021265, 14.91842264),
        id="queen-lattice",
    ),
]


@pytest.mark.parametrize(("rook", "local_i", "local_p", "global_i"), FROZEN_MORAN)
def test_moran_frozen_reference_values(rook, local_i, local_p, global_i):
    w = lat2W(10, 10, rook=rook)
    y = clustered_values()
    lm = hs.local_moran(y, w, permutations=999, seed=SEED)
    cells = [0, 22, 77]
    assert_allclose(lm["Ii"].to_numpy()[cells], local_i, rtol=1e-7)
    assert_allclose(lm["p_sim"].to_numpy()[cells], local_p, rtol=1e-6)
    gm = hs.global_moran(y, w, permutations=999, seed=SEED)
    assert_allclose([gm.I, gm.z_norm, gm.z_sim], global_i, rtol=1e-8)
    assert gm.p_sim == pytest.approx(0.001)
