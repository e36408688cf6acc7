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


# -- bivariate 3 x 3 and point categories: every colour against every other --------

from itertools import combinations  # noqa: E402

from monitor.points import CATEGORIES  # noqa: E402
from monitor.views.palettes import (  # noqa: E402
    BIVARIATE_RGB,
    MISSING_RGB,
    POINT_CATEGORY_RGB,
    SUPPRESSED_RGB,
)

MIN_PAIR_DELTA_E = 10.0  # any two of the nine bivariate colours (ΔE76)
MIN_CATEGORY_DELTA_E = 15.0  # point markers are small: they need more


def _min_pairwise_delta_e(colors, kind):
    seen = simulate(colors, kind) if kind else np.asarray(colors, dtype=float)
    lab = to_lab(seen)
    return min(
        float(np.linalg.norm(lab[i] - lab[j]))
        for i, j in combinations(range(len(lab)), 2)
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k or "normal")
def test_all_nine_bivariate_colours_stay_distinguishable(kind):
    assert len(BIVARIATE_RGB) == 9
    assert _min_pairwise_delta_e(list(BIVARIATE_RGB), kind) >= MIN_PAIR_DELTA_E


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k or "normal")
def test_bivariate_colours_differ_from_suppressed_and_missing(kind):
    for grey in (SUPPRESSED_RGB, MISSING_RGB):
        for color in BIVARIATE_RGB:
            assert _min_pairwise_delta_e([color, grey], kind) >= MIN_PAIR_DELTA_E


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k or "normal")
def test_bivariate_palette_darkens_towards_both_high(kind):
    seen = simulate(list(BIVARIATE_RGB), kind) if kind else np.asarray(BIVARIATE_RGB)
    lightness = to_lab(np.asarray(seen, dtype=float))[:, 0].reshape(3, 3)
    assert np.all(np.diff(lightness, axis=0) < 0)  # y rises
    assert np.all(np.diff(lightness, axis=1) < 0)  # x rises


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k or "normal")
def test_point_category_colours_stay_distinguishable(kind):
    assert tuple(POINT_CATEGORY_RGB) == CATEGORIES
    colors = list(POINT_CATEGORY_RGB.values())
    assert _min_pairwise_delta_e(colors, kind) >= MIN_CATEGORY_DELTA_E


# -- what the new legends and markers put on top of these colours -----------------

from monitor.views.palettes import SELECTION_RGB, text_on  # noqa: E402

MIN_TEXT_CONTRAST = 4.5  # WCAG 2 AA for normal text


def _contrast(rgb, text_hex: str) -> float:
    def luminance(color):
        lin = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (v / 255 for v in color[:3])
        ]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    text = [int(text_hex[i : i + 2], 16) for i in (1, 3, 5)]
    dark, light = sorted([luminance(rgb), luminance(text)])
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    "name,colors",
    [
        ("bivariate legend counts", list(BIVARIATE_RGB)),
        ("facility icon letters", list(POINT_CATEGORY_RGB.values())),
    ],
)
def test_text_on_legend_cells_and_icons_is_readable(name, colors):
    for rgb in colors:
        assert _contrast(rgb, text_on(rgb)) >= MIN_TEXT_CONTRAST, (name, rgb)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k or "normal")
def test_selection_outline_stands_out_on_every_bivariate_colour(kind):
    """Areas picked in the Zusammenhang scatter are outlined in SELECTION_RGB
    over the nine bivariate fills."""
    for color in BIVARIATE_RGB:
        assert _min_pairwise_delta_e([SELECTION_RGB, color], kind) >= MIN_PAIR_DELTA_E


def test_the_legends_draw_the_palettes_they_name():
    """The bivariate legend's cells and the facility legend's icons are the
    palettes checked above (no colour of their own)."""
    import base64
    import io

    import numpy as np
    from PIL import Image

    from monitor.methods.bivariate import bivariate_classes
    from monitor.views import facilities, relations
    from monitor.views.palettes import to_hex

    classes = bivariate_classes(np.arange(9.0), np.arange(9.0)[::-1])
    html = relations.legend_html(classes, "x", "y", "de")
    for color in BIVARIATE_RGB:
        assert f"background:{to_hex(list(color))};" in html
    for category, rgb in POINT_CATEGORY_RGB.items():
        url = facilities.icon(category, "de")["url"]
        png = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
        # the fill right inside the white rim is the category colour
        assert png.convert("RGB").getpixel((8, png.height // 2)) == tuple(rgb)
