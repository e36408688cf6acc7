"""Tests of monitor.methods.hotspots against esda, pymannkendall and hand arithmetic."""

import copy
import itertools

import esda
import geopandas as gpd
import numpy as np
import pandas as pd
import pymannkendall
import pytest
from libpysal.weights import lat2W
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from shapely.geometry import box

from monitor.methods import hotspots as hs

SEED = 20240611


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


def grid(nx, ny, size=100.0, crs="EPSG:25832", x0=350_000.0, y0=5_470_000.0):
    """nx x ny square cells, row-major ids g000, g001, ..."""
    cells = [
        box(x0 + i * size, y0 + j * size, x0 + (i + 1) * size, y0 + (j + 1) * size)
        for j in range(ny)
        for i in range(nx)
    ]
    ids = [f"g{n:03d}" for n in range(nx * ny)]
    return gpd.GeoDataFrame({"area_id": ids}, geometry=cells, crs=crs)


def clustered_values(nx=10, ny=10, seed=1):
    """Positive values with a high cluster around (2, 2) and a low one at (7, 7)."""
    rng = np.random.default_rng(seed)
    i, j = np.meshgrid(np.arange(nx), np.arange(ny))
    i, j = i.ravel(), j.ravel()
    hot = np.exp(-((i - 2) ** 2 + (j - 2) ** 2) / 4.0)
    cold = np.exp(-((i - 7) ** 2 + (j - 7) ** 2) / 4.0)
    return 20.0 + 8.0 * hot - 6.0 * cold + rng.normal(0.0, 1.0, nx * ny)


@pytest.fixture(scope="module")
def grid10():
    gdf = grid(10, 10)
    gdf["value"] = clustered_values()
    return gdf


# ---------------------------------------------------------------------------
# Local and global statistics equal esda on the same weights
# ---------------------------------------------------------------------------

LATTICES = [
    pytest.param(True, id="rook-lattice"),
    pytest.param(False, id="queen-lattice"),
]


@pytest.mark.parametrize("rook", LATTICES)
def test_local_gstar_equals_esda(rook):
    w = lat2W(10, 10, rook=rook)
    y = clustered_values()
    ours = hs.local_gstar(y, w, permutations=999, seed=SEED)
    ref = esda.G_Local(
        y,
        copy.deepcopy(w),
        transform="B",
        star=True,
        permutations=999,
        seed=SEED,
        n_jobs=1,
    )
    assert_allclose(ours["z"], ref.Zs, rtol=1e-12)
    assert_allclose(ours["p_sim"], ref.p_sim, rtol=1e-12)
    assert_allclose(ours["p_norm"], ref.p_norm, rtol=1e-12)
    assert not ours["island"].any()


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


def test_geopandas_grid_weights_give_esda_results(grid10):
    w, info = hs.weights_for(grid10, "queen")
    ref_w = lat2W(10, 10, rook=False)
    ours = hs.local_gstar(grid10.set_index("area_id")["value"], w, seed=SEED)
    ref = esda.G_Local(
        grid10["value"].to_numpy(),
        ref_w,
        transform="B",
        star=True,
        permutations=999,
        seed=SEED,
        n_jobs=1,
    )
    assert list(ours.index) == list(grid10["area_id"])
    assert_allclose(ours["z"], ref.Zs, rtol=1e-12)
    assert_allclose(ours["p_sim"], ref.p_sim, rtol=1e-12)
    assert info.mean_neighbours == pytest.approx(6.84)


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


def test_gstar_hand_computed_centre_of_3x3_rook():
    # Values on a 3 x 3 lattice (row-major):   1 2 1 / 2 8 6 / 1 5 1
    # Gi* of the centre with binary rook weights plus itself (w_ii = 1):
    #   neighbourhood {2, 2, 8, 6, 5}: sum_j w_ij x_j = 23, sum_j w_ij = 5,
    #   sum_j w_ij^2 = 5; n = 9, x_bar = 27 / 9 = 3,
    #   S^2 = sum x^2 / n - x_bar^2 = 137 / 9 - 9 = 56 / 9
    #   z = (23 - 3 * 5) / (S * sqrt((9 * 5 - 5^2) / (9 - 1)))
    #     = 8 / sqrt(56/9 * 20/8) = 8 / sqrt(140/9) = 24 / sqrt(140) = 2.028370...
    x = np.array([1, 2, 1, 2, 8, 6, 1, 5, 1], dtype=float)
    expected = 24 / np.sqrt(140)
    assert expected == pytest.approx(2.0283702)
    w_lattice = lat2W(3, 3, rook=True)
    z_lattice = hs.local_gstar(x, w_lattice, permutations=0)["z"].to_numpy()
    assert_allclose(z_lattice[4], expected, rtol=1e-12)
    w_cells, _ = hs.weights_for(grid(3, 3), "rook")
    z_cells = hs.local_gstar(x, w_cells, permutations=0)["z"].to_numpy()
    assert_allclose(z_cells[4], expected, rtol=1e-12)


def test_gstar_is_shift_invariant_for_non_positive_values():
    w = lat2W(8, 8)
    y = clustered_values(8, 8)
    base = hs.local_gstar(y, w, seed=SEED)
    shifted = hs.local_gstar(y - 30.0, w, seed=SEED)  # mean below zero
    assert_allclose(shifted["z"], base["z"], rtol=1e-9)
    assert_allclose(shifted["p_sim"], base["p_sim"])


def test_same_seed_same_pseudo_p_values():
    w = lat2W(8, 8)
    y = clustered_values(8, 8)
    a = hs.local_moran(y, w, seed=3)
    b = hs.local_moran(y, w, seed=3)
    assert_allclose(a["p_sim"], b["p_sim"])


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "kwargs", "mean", "minimum"),
    [
        # 10 x 10 cells: 4 corners, 32 edge cells, 64 interior cells.
        pytest.param("queen", {}, (4 * 3 + 32 * 5 + 64 * 8) / 100, 3, id="queen"),
        pytest.param("rook", {}, (4 * 2 + 32 * 3 + 64 * 4) / 100, 2, id="rook"),
        pytest.param("knn", {"k": 4}, 4.0, 4, id="knn-4"),
        # Default band = largest nearest-neighbour distance = 100 m -> rook.
        pytest.param("distance", {}, 3.6, 2, id="distance-default"),
        # 150 m also reaches the diagonal cells (141 m) -> queen.
        pytest.param("distance", {"band": 150.0}, 6.84, 3, id="distance-150m"),
    ],
)
def test_weights_for_schemes(grid10, scheme, kwargs, mean, minimum):
    w, info = hs.weights_for(grid10, scheme, **kwargs)
    assert list(w.id_order) == list(grid10["area_id"])
    assert w.transform == "B"
    assert info.scheme == scheme
    assert info.n == 100
    assert info.mean_neighbours == pytest.approx(mean)
    assert info.min_neighbours == minimum
    assert info.n_islands == 0
    assert info.n_components == 1


@pytest.mark.parametrize(
    ("scheme", "kwargs"),
    [
        pytest.param("knn", {"k": 2}, id="knn"),
        pytest.param("distance", {"band": 120.0}, id="distance"),
    ],
)
def test_weights_for_reprojects_geographic_crs(scheme, kwargs):
    # jittered cell centres, so that no two neighbours are equally far away
    cells = grid(6, 6)
    shift = np.random.default_rng(8).uniform(-20, 20, (36, 2))
    cells["geometry"] = [
        box(c.x + dx - 5, c.y + dy - 5, c.x + dx + 5, c.y + dy + 5)
        for c, (dx, dy) in zip(cells.centroid, shift, strict=True)
    ]
    w_projected, _ = hs.weights_for(cells, scheme, **kwargs)
    w_geographic, _ = hs.weights_for(cells.to_crs("EPSG:4326"), scheme, **kwargs)
    for i in w_projected.id_order:
        assert set(w_projected.neighbors[i]) == set(w_geographic.neighbors[i])
        assert all(type(j) is str for j in w_geographic.neighbors[i])


def test_weights_for_uses_index_without_id_column():
    gdf = grid(4, 4).set_index("area_id")
    w, _ = hs.weights_for(gdf, "rook")
    assert list(w.id_order) == list(gdf.index)
    assert set(w.neighbors["g005"]) == {"g001", "g004", "g006", "g009"}


@pytest.mark.parametrize(
    ("scheme", "kwargs"),
    [
        pytest.param("hexagon", {}, id="unknown-scheme"),
        pytest.param("knn", {"k": 100}, id="k-not-below-n"),
        pytest.param("knn", {"k": 0}, id="k-zero"),
        pytest.param("distance", {"band": -5.0}, id="negative-band"),
    ],
)
def test_weights_for_rejects_bad_arguments(grid10, scheme, kwargs):
    with pytest.raises(ValueError):
        hs.weights_for(grid10, scheme, **kwargs)


def test_weights_for_reports_islands(grid10):
    far = gpd.GeoDataFrame(
        {"area_id": ["island"]},
        geometry=[box(360_000, 5_480_000, 360_100, 5_480_100)],
        crs=grid10.crs,
    )
    gdf = pd.concat([grid10[["area_id", "geometry"]], far], ignore_index=True)
    _, info = hs.weights_for(gdf, "queen")
    assert info.n_islands == 1
    assert info.islands == ("island",)
    assert info.min_neighbours == 0
    assert info.n_components == 2


# ---------------------------------------------------------------------------
# Empirical Bayes
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Benjamini-Hochberg
# ---------------------------------------------------------------------------

# 8 p-values, alpha = 0.05. Sorted: 0.001, 0.013, 0.018, 0.024, 0.05, 0.30, 0.51, 0.74
# Thresholds k * 0.05 / 8:        0.00625 0.0125 0.01875 0.025 0.03125 0.0375
#                                 0.04375 0.05
# p(k) <= threshold for k = 1, 3, 4 (not for k = 2: 0.013 > 0.0125); the largest
# such k is 4, so the step-up rejects the four smallest, including 0.013.
# Adjusted q(k) = min over j >= k of 8 p(j) / j:
#   8 p / k = 0.008, 0.052, 0.048, 0.048, 0.08, 0.4, 0.582857, 0.74
#   running minimum from the top: 0.008, 0.048, 0.048, 0.048, 0.08, 0.4,
#   0.582857, 0.74
BH_P = [0.30, 0.013, 0.001, 0.024, 0.74, 0.018, 0.05, 0.51]
BH_REJECT = [False, True, True, True, False, True, False, False]
BH_Q = [0.4, 0.048, 0.008, 0.048, 0.74, 0.048, 0.08, 8 * 0.51 / 7]


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


# ---------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------


def test_gstar_classes_without_fdr():
    z = [3.0, 2.5, 1.8, 1.0, -1.8, -2.5, -3.0, 2.0]
    p = [0.005, 0.03, 0.08, 0.3, 0.08, 0.03, 0.005, np.nan]
    expected = [
        "hot_99",
        "hot_95",
        "hot_90",
        "not_significant",
        "cold_90",
        "cold_95",
        "cold_99",
        "not_significant",
    ]
    assert list(hs.gstar_classes(z, p, fdr=False)) == expected


def test_gstar_classes_with_fdr_uses_bh_per_level():
    # BH_P: q-values 0.4 0.048 0.008 0.048 0.74 0.048 0.08 0.583
    z = [1, 1, 1, -1, 1, 1, -1, 1]
    labels = hs.gstar_classes(z, BH_P, fdr=True)
    # q <= 0.01 -> 99 %, q <= 0.05 -> 95 %, q <= 0.10 -> 90 %
    expected = [
        "not_significant",
        "hot_95",
        "hot_99",
        "cold_95",
        "not_significant",
        "hot_95",
        "cold_90",
        "not_significant",
    ]
    assert list(labels) == expected


def test_lisa_classes():
    quadrant = ["HH", "LL", "HL", "LH", "HH", None]
    p = [0.01, 0.04, 0.02, 0.2, 0.06, np.nan]
    expected = ["HH", "LL", "HL", "not_significant", "not_significant"]
    expected.append("not_significant")
    assert list(hs.lisa_classes(quadrant, p, fdr=False, alpha=0.05)) == expected
    # BH over the 5 tested units at 0.05: sorted 0.01 0.02 0.04 0.06 0.2 vs
    # 0.01 0.02 0.03 0.04 0.05 -> k = 2: only HH (0.01) and HL (0.02) remain.
    expected_fdr = ["HH", "not_significant", "HL"] + ["not_significant"] * 3
    assert list(hs.lisa_classes(quadrant, p, fdr=True, alpha=0.05)) == expected_fdr


# ---------------------------------------------------------------------------
# Mann-Kendall
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Emerging hot spots
# ---------------------------------------------------------------------------

S, N = 0.01, 0.5  # p of a significant / non-significant bin (alpha = 0.10)


def series_for(kind):
    """(z, p) over 10 time steps for each hot-spot category."""
    n = 10
    z = np.full(n, 0.5)
    p = np.full(n, N)
    if kind == "new_hot":
        z[-1], p[-1] = 3.0, S
    elif kind == "consecutive_hot":
        z[-3:], p[-3:] = 3.0, S
    elif kind == "intensifying_hot":
        z, p = np.linspace(2.0, 6.0, n), np.full(n, S)
    elif kind == "persistent_hot":
        z, p = np.array([3.0, 3.4] * 5), np.full(n, S)
    elif kind == "diminishing_hot":
        z, p = np.linspace(6.0, 2.0, n), np.full(n, S)
    elif kind == "sporadic_hot":
        for t in (1, 4, 5, 9):
            z[t], p[t] = 3.0, S
    elif kind == "oscillating_hot":
        z[3], p[3] = -3.0, S
        z[[6, 9]], p[[6, 9]] = 3.0, S
    elif kind == "historical_hot":
        z[:9], p[:9] = 3.0, S
    elif kind != "no_pattern":
        raise ValueError(kind)
    return z, p


HOT_KINDS = [
    "new_hot",
    "consecutive_hot",
    "intensifying_hot",
    "persistent_hot",
    "diminishing_hot",
    "sporadic_hot",
    "oscillating_hot",
    "historical_hot",
]


@pytest.mark.parametrize("kind", [*HOT_KINDS, "no_pattern"])
def test_emerging_category_hot(kind):
    z, p = series_for(kind)
    assert hs.emerging_hotspot_category(z, p, alpha=0.10) == kind


@pytest.mark.parametrize("kind", HOT_KINDS)
def test_emerging_category_cold_mirrors_hot(kind):
    z, p = series_for(kind)
    expected = kind.replace("_hot", "_cold")
    assert hs.emerging_hotspot_category(-z, p, alpha=0.10) == expected


@pytest.mark.parametrize(
    ("z", "p", "expected"),
    [
        # First hot bin at the end, but a cold spot earlier: oscillation wins.
        pytest.param(
            [-3, 0, 0, 0, 3], [S, N, N, N, S], "oscillating_hot", id="cold-then-new"
        ),
        # Hot in 9 of 10 bins, the final one cold: the current state decides.
        pytest.param([3] * 9 + [-3], [S] * 10, "oscillating_cold", id="hot-then-cold"),
        # A run of two at the end after an earlier hot bin: sporadic, not consecutive.
        pytest.param(
            [3, 0, 0, 3, 3], [S, N, N, S, S], "sporadic_hot", id="run-after-hot"
        ),
        # Final bin hot but not significant: history decides.
        pytest.param(
            [3] * 10, [S] * 9 + [N], "historical_hot", id="final-not-significant"
        ),
        # Earlier sporadic hot spots, nothing now: no pattern.
        pytest.param(
            [3, 0, 3, 0, 0], [S, N, S, N, N], "no_pattern", id="past-sporadic"
        ),
    ],
)
def test_emerging_category_edge_cases(z, p, expected):
    z, p = np.asarray(z, dtype=float), np.asarray(p, dtype=float)
    assert hs.emerging_hotspot_category(z, p, alpha=0.10) == expected


def _definitions(hot, cold, up, down):
    """Esri's definitions as independent predicates (hot side; cold mirrored)."""

    def family(own, other, stronger, weaker, suffix):
        n = own.size
        share = own.sum() / n
        run = 0
        for flag in own[::-1]:
            if not flag:
                break
            run += 1
        return {
            f"new_{suffix}": bool(own[-1] and own.sum() == 1),
            f"consecutive_{suffix}": bool(
                own[-1] and run >= 2 and not own[: n - run].any() and share < 0.9
            ),
            f"intensifying_{suffix}": bool(share >= 0.9 and own[-1] and stronger),
            f"persistent_{suffix}": bool(
                share >= 0.9 and own[-1] and not stronger and not weaker
            ),
            f"diminishing_{suffix}": bool(share >= 0.9 and own[-1] and weaker),
            f"sporadic_{suffix}": bool(own[-1] and share < 0.9 and not other.any()),
            f"oscillating_{suffix}": bool(own[-1] and other[:-1].any() and share < 0.9),
            f"historical_{suffix}": bool(not own[-1] and share >= 0.9),
        }

    return family(hot, cold, up, down, "hot") | family(cold, hot, down, up, "cold")


def _states(n, rng=None, draws=None):
    if rng is None:
        yield from itertools.product((-1, 0, 1), repeat=n)
    else:
        yield from (tuple(rng.integers(-1, 2, n)) for _ in range(draws))


@pytest.mark.parametrize(
    ("n", "draws"),
    [
        pytest.param(5, None, id="all-5-step-series"),
        pytest.param(10, 800, id="10-steps"),
    ],
)
def test_every_series_gets_one_category_that_fits_its_definition(n, draws):
    rng = None if draws is None else np.random.default_rng(0)
    trends = {
        "up": hs.MannKendallResult(n, 10, 1, 3.0, 0.001, 0.9, "increasing"),
        "down": hs.MannKendallResult(n, -10, 1, -3.0, 0.001, -0.9, "decreasing"),
        "none": hs.MannKendallResult(n, 0, 1, 0.0, 1.0, 0.0, "no_trend"),
    }
    for state in _states(n, rng, draws):
        state = np.asarray(state)
        z = np.where(state == 0, 0.3, 3.0 * state)
        p = np.where(state == 0, N, S)
        for name, mk in trends.items():
            category = hs.emerging_hotspot_category(z, p, alpha=0.10, mk_result=mk)
            assert category in hs.EMERGING_CATEGORIES
            defs = _definitions(state == 1, state == -1, name == "up", name == "down")
            if category == "no_pattern":
                assert not any(defs.values()), (state, name, defs)
            else:
                assert defs[category], (state, name, category)


def test_emerging_hotspots_table():
    years = list(range(2014, 2024))
    kinds = ["intensifying_hot", "new_hot", "no_pattern"]
    z = pd.DataFrame([series_for(k)[0] for k in kinds], index=kinds, columns=years)
    p = pd.DataFrame([series_for(k)[1] for k in kinds], index=kinds, columns=years)
    z.loc["gap"] = z.loc["new_hot"]
    p.loc["gap"] = p.loc["new_hot"]
    z.loc["gap", 2016] = np.nan
    out = hs.emerging_hotspots(z, p, alpha=0.10, fdr=False)
    assert list(out["category"]) == [*kinds, hs.INSUFFICIENT_DATA]
    assert out.loc["intensifying_hot", "n_hot"] == 10
    assert out.loc["intensifying_hot", "trend"] == "increasing"
    mk = pymannkendall.original_test(z.loc["intensifying_hot"].to_numpy())
    assert_allclose(out.loc["intensifying_hot", ["mk_z", "mk_p"]], [mk.z, mk.p])
    assert out.loc["intensifying_hot", "mk_tau"] == pytest.approx(1.0)
    # columns in any order give the same result (years are sorted)
    shuffled = hs.emerging_hotspots(z[years[::-1]], p[years[::-1]], fdr=False)
    pd.testing.assert_frame_equal(shuffled, out)


def test_emerging_hotspots_fdr_is_applied_per_year():
    # Final year, 10 areas: p = 0.02 for a0, 0.5 for the others. Unadjusted,
    # 0.02 <= 0.10 makes a0 a new hot spot; BH within the year gives
    # q = 0.02 * 10 / 1 = 0.2 > 0.10, so nothing is significant.
    years = [2020, 2021]
    z = pd.DataFrame(3.0, index=[f"a{i}" for i in range(10)], columns=years)
    p = pd.DataFrame(0.5, index=z.index, columns=years)
    p.loc["a0", 2021] = 0.02
    assert hs.emerging_hotspots(z, p, fdr=False).loc["a0", "category"] == "new_hot"
    assert hs.emerging_hotspots(z, p, fdr=True).loc["a0", "category"] == "no_pattern"


def test_gstar_panel_feeds_emerging_hotspots():
    w = lat2W(6, 6)
    rng = np.random.default_rng(2)
    base = clustered_values(6, 6)
    values = pd.DataFrame(
        {year: base + rng.normal(0, 0.5, 36) for year in range(2018, 2023)},
        index=w.id_order,
    )
    values.loc[5, 2020] = np.nan
    z, p = hs.gstar_panel(values, w, permutations=199, seed=1)
    assert z.shape == (36, 5)
    assert np.isnan(z.loc[5, 2020]) and np.isnan(p.loc[5, 2020])
    assert np.isfinite(z.drop(index=5).to_numpy()).all()
    assert (p.to_numpy()[np.isfinite(p.to_numpy())] <= 1).all()
    out = hs.emerging_hotspots(z, p)
    assert out.loc[5, "category"] == hs.INSUFFICIENT_DATA
    assert set(out["category"]) <= {*hs.EMERGING_CATEGORIES, hs.INSUFFICIENT_DATA}


# ---------------------------------------------------------------------------
# Entry point: minimum units, islands, exclusions
# ---------------------------------------------------------------------------


def test_check_testable():
    ok = hs.WeightsInfo("queen", 40, 4.5, 2, 8, 0)
    sparse = hs.WeightsInfo("rook", 40, 1.9, 1, 2, 0)
    assert hs.check_testable(40, ok) is None
    assert hs.check_testable(29, ok) == "too_few_units"
    assert hs.check_testable(40, sparse) == "too_few_neighbours"


def test_hotspot_analysis_finds_the_planted_clusters(grid10):
    res = hs.hotspot_analysis(grid10, "value", permutations=999, seed=SEED)
    assert res.reason is None and res.testable
    units = res.units
    assert units.index.name == "area_id"
    assert len(units) == 100
    centre_hot, centre_cold = "g022", "g077"  # cells (2, 2) and (7, 7)
    assert units.loc[centre_hot, "gi_class"].startswith("hot_")
    assert units.loc[centre_cold, "gi_class"].startswith("cold_")
    assert units.loc[centre_hot, "lisa_class"] == "HH"
    assert set(units["gi_class"]) <= set(hs.GSTAR_CLASSES)
    assert set(units["lisa_class"]) <= set(hs.LISA_CLASSES)
    assert res.global_moran.I > 0.3 and res.global_moran.p_sim <= 0.01
    assert_allclose(units["gi_p"], np.minimum(2 * units["gi_p_sim"], 1))
    assert res.excluded.empty
    assert res.weights.scheme == "queen"
    again = hs.hotspot_analysis(grid10, "value", permutations=999, seed=SEED)
    pd.testing.assert_frame_equal(again.units, units)


def test_hotspot_analysis_excludes_missing_and_suppressed_units(grid10):
    gdf = grid10.copy()
    gdf["status"] = "ok"
    gdf.loc[gdf["area_id"] == "g010", "status"] = "suppressed"
    gdf.loc[gdf["area_id"] == "g011", "value"] = np.nan
    res = hs.hotspot_analysis(gdf, "value", permutations=99)
    assert res.excluded.to_dict() == {"g010": "suppressed", "g011": "missing"}
    assert len(res.units) == 98
    assert "g010" not in res.units.index
    assert res.weights.n == 98


def test_hotspot_analysis_smooths_rates_from_counts(grid10):
    rng = np.random.default_rng(4)
    gdf = grid10.copy()
    gdf["den"] = rng.integers(30, 800, 100)
    gdf["num"] = rng.binomial(gdf["den"], gdf["value"] / 200)
    gdf["value"] = 100 * gdf["num"] / gdf["den"]  # percent
    gdf.loc[5, "den"] = 0
    res = hs.hotspot_analysis(gdf, "value", "num", "den", permutations=99)
    keep = gdf.index != 5
    expected = 100 * hs.empirical_bayes_rates(gdf["num"][keep], gdf["den"][keep])
    assert_allclose(res.units["value_smoothed"], expected)
    assert_allclose(res.units["value_used"], expected)
    assert_allclose(res.units["value_raw"], gdf["value"][keep])
    assert res.params["rate_scale"] == 100
    assert res.excluded.to_dict() == {"g005": "invalid_denominator"}
    raw = hs.hotspot_analysis(gdf, "value", "num", "den", smooth=False, permutations=99)
    assert_allclose(raw.units["value_used"], gdf["value"][keep])


def test_hotspot_analysis_refuses_too_few_units():
    gdf = grid(5, 5)  # 25 units < 30
    gdf["value"] = clustered_values(5, 5)
    res = hs.hotspot_analysis(gdf, "value")
    assert res.reason == "too_few_units"
    assert not res.testable
    assert res.global_moran is None
    assert "gi_z" not in res.units.columns
    assert len(res.units) == 25


def test_hotspot_analysis_counts_units_with_data_only():
    gdf = grid(6, 6)  # 36 units, 7 suppressed -> 29 with data
    gdf["value"] = clustered_values(6, 6)
    gdf["status"] = ["suppressed"] * 7 + ["ok"] * 29
    res = hs.hotspot_analysis(gdf, "value")
    assert res.reason == "too_few_units"
    assert len(res.excluded) == 7


def test_hotspot_analysis_refuses_too_few_neighbours():
    gdf = grid(40, 1)  # a strip: rook mean = (2 * 1 + 38 * 2) / 40 = 1.95
    gdf["value"] = np.arange(40.0) % 7
    res = hs.hotspot_analysis(gdf, "value", scheme="rook")
    assert res.reason == "too_few_neighbours"
    assert res.weights.mean_neighbours == pytest.approx(1.95)


def test_hotspot_analysis_refuses_constant_values(grid10):
    gdf = grid10.assign(value=5.0)
    assert hs.hotspot_analysis(gdf, "value").reason == "no_variation"


def test_islands_are_reported_and_left_out(grid10):
    far = gpd.GeoDataFrame(
        {"area_id": ["island"], "value": [99.0]},
        geometry=[box(360_000, 5_480_000, 360_100, 5_480_100)],
        crs=grid10.crs,
    )
    gdf = pd.concat([grid10, far], ignore_index=True)
    res = hs.hotspot_analysis(gdf, "value", permutations=999, seed=SEED)
    assert res.reason is None
    assert res.weights.islands == ("island",)
    row = res.units.loc["island"]
    assert bool(row["island"]) and row["n_neighbours"] == 0
    assert np.isnan(row["gi_z"]) and np.isnan(row["gi_p"])
    assert row["gi_class"] == "not_significant"
    assert row["lisa_class"] == "not_significant"
    # The island influences nothing: same results as without it.
    alone = hs.hotspot_analysis(grid10, "value", permutations=999, seed=SEED)
    assert_allclose(res.units["gi_z"].drop("island"), alone.units["gi_z"])
    assert_allclose(res.units["gi_p_sim"].drop("island"), alone.units["gi_p_sim"])
    assert res.global_moran.n_islands == 1
    assert_allclose(res.global_moran.I, alone.global_moran.I)


def test_local_statistics_mark_islands_on_given_weights():
    w = lat2W(5, 5)
    neighbours = {i: [j for j in w.neighbors[i] if j != 24] for i in w.id_order}
    neighbours[24] = []
    from libpysal.weights import W

    w_island = W(neighbours, silence_warnings=True)
    y = clustered_values(5, 5)
    gi = hs.local_gstar(y, w_island, permutations=99)
    lm = hs.local_moran(y, w_island, permutations=99)
    assert gi.loc[24, "island"] and np.isnan(gi.loc[24, "z"])
    assert lm.loc[24, "quadrant"] is None and np.isnan(lm.loc[24, "Ii"])
    assert np.isfinite(gi["z"].drop(24)).all()


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"value_col": "nope"}, id="unknown-column"),
        pytest.param({"value_col": None}, id="no-value-no-counts"),
        pytest.param(
            {"value_col": "value", "numerator_col": "value"}, id="half-counts"
        ),
        pytest.param({"value_col": "value", "scheme": "hexagon"}, id="bad-scheme"),
        pytest.param({"value_col": "value", "permutations": -1}, id="bad-permutations"),
        pytest.param({"value_col": "value", "seed": -3}, id="bad-seed"),
    ],
)
def test_hotspot_analysis_rejects_bad_arguments(grid10, kwargs):
    with pytest.raises(ValueError):
        hs.hotspot_analysis(grid10, **kwargs)
