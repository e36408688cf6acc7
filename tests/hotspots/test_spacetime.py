"""Space-time weights and Gi* over the cube (hotspots.spacetime, .getisord)."""

from __future__ import annotations

import copy

import esda
import numpy as np
import pandas as pd
import pytest
from libpysal.weights import W, lat2W
from numpy.testing import assert_allclose

from monitor.methods import hotspots as hs
from tests.hotspots.examples import SEED, clustered_values


def brute_force_cube(w: W, n_steps: int, time_lag: int) -> dict[int, set[int]]:
    """The definition, node by node: (j, s) is a neighbour of (i, t) when
    s == t and j is a spatial neighbour of i, or t - time_lag <= s < t and j is
    i or a spatial neighbour of i. Node id t * n + i."""
    ids = list(w.id_order)
    n = len(ids)
    out = {}
    for t in range(n_steps):
        for i, a in enumerate(ids):
            spatial = {ids.index(b) for b in w.neighbors[a]}
            nodes = {t * n + j for j in spatial}
            for s in range(n_steps):
                if t - time_lag <= s < t:
                    nodes |= {s * n + j for j in spatial | {i}}
            out[t * n + i] = nodes
    return out


def test_spacetime_weights_of_three_areas_on_a_line():
    # a - b - c, 3 years, one year back: the bin (b, 2021) has its spatial
    # neighbours a and c in 2021 and a, b, c in 2020 (5 neighbours, plus itself
    # in Gi*). Node ids: year index * 3 + area index.
    w = W({"a": ["b"], "b": ["a", "c"], "c": ["b"]}, id_order=["a", "b", "c"])
    cube = hs.spacetime_weights(w, n_steps=3, time_lag=1)
    assert cube.n == 9
    assert set(cube.neighbors[4]) == {3, 5, 0, 1, 2}  # (b, t=1)
    assert set(cube.neighbors[1]) == {0, 2}  # (b, t=0): no earlier year
    assert set(cube.neighbors[6]) == {7, 3, 4}  # (a, t=2): b now; a, b before
    no_lag = hs.spacetime_weights(w, n_steps=3, time_lag=0)
    assert set(no_lag.neighbors[4]) == {3, 5}


@pytest.mark.parametrize(
    ("n_steps", "time_lag"),
    [
        pytest.param(4, 1, id="4-years-lag-1"),
        pytest.param(5, 2, id="5-years-lag-2"),
        pytest.param(3, 0, id="3-years-no-lag"),
    ],
)
def test_spacetime_weights_follow_the_definition(n_steps, time_lag):
    w = lat2W(4, 4, rook=False)
    cube = hs.spacetime_weights(w, n_steps, time_lag)
    expected = brute_force_cube(w, n_steps, time_lag)
    assert {k: set(v) for k, v in cube.neighbors.items()} == expected


def panel(nx=6, ny=6, years=range(2018, 2024), seed=2):
    """Area x year values: a drifting cluster plus noise, all positive."""
    w = lat2W(nx, ny)
    rng = np.random.default_rng(seed)
    base = clustered_values(nx, ny)
    values = pd.DataFrame(
        {y: base + 0.4 * k + rng.normal(0, 0.5, nx * ny) for k, y in enumerate(years)},
        index=w.id_order,
    )
    return values, w


@pytest.mark.filterwarnings("ignore:The weights matrix is not fully connected")
@pytest.mark.parametrize("time_lag", [0, 1, 2], ids=lambda k: f"lag-{k}")
def test_gstar_panel_equals_esda_on_the_same_space_time_weights(time_lag):
    values, w = panel()
    values.loc[5, 2020] = np.nan  # a missing bin leaves the cube
    z, p = hs.gstar_panel(values, w, permutations=999, seed=SEED, time_lag=time_lag)
    n, years = w.n, sorted(values.columns)
    full = brute_force_cube(w, len(years), time_lag)
    missing = 2 * n + 5  # (area 5, year index 2)
    nodes = [k for k in range(n * len(years)) if k != missing]
    neighbours = {k: sorted(full[k] - {missing}) for k in nodes}
    w_cube = W(neighbours, id_order=nodes, silence_warnings=True)
    y = values.to_numpy(dtype=float).T.ravel()[nodes]
    ref = esda.G_Local(
        y,
        copy.deepcopy(w_cube),
        transform="B",
        star=True,
        permutations=999,
        seed=SEED,
        n_jobs=1,
    )
    ours_z = z.to_numpy().T.ravel()[nodes]
    ours_p = p.to_numpy().T.ravel()[nodes]
    assert_allclose(ours_z, ref.Zs, rtol=1e-12)
    assert_allclose(ours_p, np.minimum(2 * ref.p_sim, 1.0), rtol=1e-12)
    assert np.isnan(z.loc[5, 2020]) and np.isnan(p.loc[5, 2020])


def test_gstar_panel_differs_from_yearly_maps():
    # The cube compares each bin with all years (rising values: later years are
    # hotter) and counts last year's neighbourhood; a yearly map does neither.
    values, w = panel()
    z, _ = hs.gstar_panel(values, w, permutations=99, seed=SEED)
    yearly = hs.local_gstar(values[2023], w, permutations=0)["z"]
    assert not np.allclose(z[2023].to_numpy(), yearly.to_numpy())
    assert z[2023].mean() > z[2018].mean()


def test_gstar_panel_leaves_out_areas_without_spatial_neighbours():
    values, w = panel(3, 3, years=range(2020, 2023))
    neighbours = {i: [j for j in w.neighbors[i] if j != 8] for i in w.id_order}
    neighbours[8] = []
    w_island = W(neighbours, silence_warnings=True)
    z, p = hs.gstar_panel(values, w_island, permutations=99, seed=SEED)
    assert z.loc[8].isna().all() and p.loc[8].isna().all()
    assert np.isfinite(z.drop(index=8).to_numpy()).all()


def test_gstar_panel_frozen_reference_values():
    # esda 2.9 / libpysal 4.14, seed SEED, 999 permutations, one year back
    values, w = panel()
    z, p = hs.gstar_panel(values, w, permutations=999, seed=SEED)
    cells = [0, 14, 35]  # a corner, the hot centre (2, 2), the far corner
    assert_allclose(z.loc[cells, 2023], [0.17294612, 6.89435653, -1.43948959])
    assert_allclose(p.loc[cells, 2023], [0.86, 0.002, 0.224], rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"permutations": 0}, id="no-permutations"),
        pytest.param({"time_lag": -1}, id="negative-lag"),
    ],
)
def test_gstar_panel_rejects_bad_arguments(kwargs):
    values, w = panel(3, 3, years=range(2020, 2023))
    with pytest.raises(ValueError):
        hs.gstar_panel(values, w, **kwargs)
