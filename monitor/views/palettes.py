"""Colour-blind-safe palettes (ColorBrewer, Brewer & Harrower 2003).

Sequential palettes run from light to dark and are oriented by the indicator's
direction so that darker always means "less favourable"; context indicators get a
neutral blue palette; change maps a diverging purple-orange palette centred on 0.
All three are marked colour-blind safe by ColorBrewer.
"""

from __future__ import annotations

import plotly.colors as pc

__all__ = [
    "class_colors",
    "diverging_colors",
    "SUPPRESSED_RGB",
    "MISSING_RGB",
    "FOCUS_OUTLINE_RGB",
    "HIGHLIGHT",
    "NEUTRAL",
    "to_rgb_list",
    "to_hex",
]

SUPPRESSED_RGB = [190, 190, 190]
MISSING_RGB = [235, 235, 235]
FOCUS_OUTLINE_RGB = [0, 0, 0]
HIGHLIGHT = "#b35806"  # the Perspektivquartier in charts (PuOr orange, dark)
NEUTRAL = "#5f6b7a"
_SCALES = {
    "higher_is_worse": pc.sequential.YlOrRd,
    "higher_is_better": pc.sequential.YlOrRd,  # reversed below
    "context": pc.sequential.PuBu,
}


def to_rgb_list(color: str) -> list[int]:
    if color.startswith("#"):
        return [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return [int(round(float(c))) for c in color[color.index("(") + 1 : -1].split(",")]


def to_hex(rgb: list[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def class_colors(k: int, direction: str) -> list[list[int]]:
    """``k`` colours for classes 0..k-1 (low to high values)."""
    scale = _SCALES.get(direction, _SCALES["context"])
    # skip the palest tints: they vanish on a projector and against the basemap
    points = [0.15 + 0.85 * i / max(k - 1, 1) for i in range(k)]
    colors = [to_rgb_list(c) for c in pc.sample_colorscale(scale, points)]
    return colors[::-1] if direction == "higher_is_better" else colors


def diverging_colors(k: int, worse_is_positive: bool = True) -> list[list[int]]:
    """``k`` colours for a change map; orange side = change for the worse."""
    points = [i / max(k - 1, 1) for i in range(k)]
    colors = [to_rgb_list(c) for c in pc.sample_colorscale(pc.diverging.PuOr, points)]
    # PuOr runs orange (low) -> purple (high); flip so that orange is "worse"
    return colors[::-1] if worse_is_positive else colors


# -- bivariate and point-category palettes (analysis helper) --------------------------
# Bivariate 3 x 3: the "DkViolet" scheme of Grossenbacher (2019, "Bivariate maps with
# ggplot2 and sf"; also biscale's DkViolet), after Stevens (2015): one indicator
# runs to red, the other to blue, both high is dark violet. Its low/low colour is
# lightened (#CABED0 -> #E4CBE7) so that it stays apart from the greys of suppressed
# and missing areas under tritanopia (ΔE 4.5 -> 12). Index 3 * y_class + x_class, as
# monitor.methods.bivariate numbers the classes (x: columns, y: rows).
# Point categories: five of the Okabe & Ito (2008) colours (Wong 2011, Nature Methods
# 8:441), without yellow and orange, which vanish on the yellow-orange-red maps.
__all__ += ["BIVARIATE_RGB", "POINT_CATEGORY_RGB"]

BIVARIATE_RGB = (
    [228, 203, 231],  # 0: x low, y low
    [188, 124, 143],  # 1
    [174, 58, 78],  # 2: x high, y low (red)
    [137, 161, 200],  # 3
    [128, 106, 138],  # 4: middle
    [119, 50, 76],  # 5
    [72, 133, 193],  # 6: x low, y high (blue)
    [67, 87, 134],  # 7
    [63, 41, 73],  # 8: both high
)
POINT_CATEGORY_RGB = {
    "kita": [213, 94, 0],  # vermillion
    "schule": [0, 114, 178],  # blue
    "beratung": [204, 121, 167],  # reddish purple
    "jugend_familie": [86, 180, 233],  # sky blue
    "arzt": [0, 0, 0],  # black
}
