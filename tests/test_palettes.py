"""Colour-blind safety of every palette the maps use (simulated CVD, ΔE)."""

from __future__ import annotations

import numpy as np
import pytest

from monitor.views.colour_vision import min_adjacent_delta_e, simulate, to_lab
from monitor.views.palettes import (
    GI_RGB,
    LISA_RGB,
    SOCIAL_DYNAMICS_RGB,
    SOCIAL_STATUS_RGB,
    class_colors,
    diverging_colors,
)

KINDS = [None, "protanopia", "deuteranopia", "tritanopia"]
MIN_DELTA_E = 8.0  # neighbouring classes must stay clearly apart (ΔE76)

PALETTES = {
    **{f"worse_k{k}": class_colors(k, "higher_is_worse") for k in range(3, 8)},
    **{f"better_k{k}": class_colors(k, "higher_is_better") for k in range(3, 8)},
    **{f"context_k{k}": class_colors(k, "context") for k in range(3, 8)},
    **{f"change_k{k}": diverging_colors(k) for k in range(3, 8)},
    "sozialindex_status": list(SOCIAL_STATUS_RGB.values()),
    "sozialindex_dynamics": list(SOCIAL_DYNAMICS_RGB.values()),
    "gi_classes": list(GI_RGB.values()),
}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k or "normal")
@pytest.mark.parametrize("name", list(PALETTES))
def test_neighbouring_classes_stay_distinguishable(name, kind):
    assert min_adjacent_delta_e(PALETTES[name], kind) >= MIN_DELTA_E


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k or "normal")
@pytest.mark.parametrize("k", range(3, 8))
def test_sequential_palettes_get_darker_towards_worse(kind, k):
    colors = class_colors(k, "higher_is_worse")
    seen = simulate(colors, kind) if kind else np.asarray(colors, float)
    lightness = to_lab(seen)[:, 0]
    assert np.all(np.diff(lightness) < 0)
    assert class_colors(k, "higher_is_better") == colors[::-1]


def test_lisa_hot_and_cold_differ_for_every_vision():
    hh, ll = LISA_RGB["HH"], LISA_RGB["LL"]
    for kind in KINDS:
        assert min_adjacent_delta_e([hh, ll], kind) > 30


def test_simulation_matches_the_reference_matrix_on_pure_red():
    # Machado 2009, deuteranopia row sums applied to linear (1, 0, 0):
    # (0.367322, 0.280085, -0.011820) -> sRGB ~ (162, 144, 0)
    seen = simulate([[255, 0, 0]], "deuteranopia")[0]
    np.testing.assert_allclose(seen, [162.3, 144.5, 0.0], atol=1.0)
