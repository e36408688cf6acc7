"""Emerging-hotspot categories and the Gi* panel (monitor.methods.hotspots.emerging)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pymannkendall
import pytest
from libpysal.weights import lat2W
from numpy.testing import assert_allclose

from monitor.methods import hotspots as hs
from tests.hotspots.examples import clustered_values

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
