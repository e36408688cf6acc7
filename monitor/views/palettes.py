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
    "SOCIAL_STATUS_RGB",
    "SOCIAL_DYNAMICS_RGB",
    "HIGHLIGHT",
    "NEUTRAL",
    "to_rgb_list",
    "to_hex",
    "CATEGORY_COLORS",
    "MEASURE_STATUS_RGB",
    "PATH_COLORS",
    "GI_RGB",
    "LISA_RGB",
    "EMERGING_RGB",
    "EXCLUDED_RGB",
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

# -- Sozialindex classes (map, legend, Steckbrief) ---------------------------------
SOCIAL_STATUS_RGB = {
    # status hoch (best) light -> sehr niedrig dark (ColorBrewer YlOrRd)
    "hoch": [255, 237, 160],
    "mittel": [254, 178, 76],
    "niedrig": [240, 59, 32],
    "sehr_niedrig": [165, 0, 38],
}
SOCIAL_DYNAMICS_RGB = {
    # dynamics positiv purple, stabil grey, negativ orange (ColorBrewer PuOr)
    "positiv": [128, 115, 172],
    "stabil": [220, 220, 220],
    "negativ": [224, 130, 20],
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


# --------------------------------------------------- programme (Ziele, Maßnahmen)

#: Colours of the Open SDG categories (green to red; text label always next to it).
CATEGORY_COLORS = {
    "target_achieved": ("#0f5c2e", "#ffffff"),
    "on_track": ("#237a4b", "#ffffff"),
    "acceleration_needed": ("#f2c230", "#1b1b1b"),
    "limited_progress": ("#e07b1a", "#1b1b1b"),
    "deterioration": ("#b8322a", "#ffffff"),
    "not_assessable": ("#d5d9de", "#1b1b1b"),
}
#: Colours of the measure statuses (Okabe & Ito 2008 based, colour-blind safe).
MEASURE_STATUS_RGB = {
    "planned": [153, 153, 153],
    "in_progress": [0, 114, 178],
    "completed": [0, 158, 115],
    "delayed": [230, 159, 0],
    "stopped": [120, 40, 40],
}
#: Colours of the Soll-Pfad statuses (Okabe & Ito 2008).
PATH_COLORS = {
    "achieved": "#009e73",
    "ahead": "#56b4e9",
    "on_path": "#0072b2",
    "behind": "#e69f00",
    "not_started": "#999999",
}

# -- Hotspots ------------------------------------------------------------------------
# ColorBrewer RdBu (colour-blind safe): hot = red, cold = blue, pale = weaker
GI_RGB = {
    "hot_99": [178, 24, 43],
    "hot_95": [239, 138, 98],
    "hot_90": [253, 219, 199],
    "not_significant": [247, 247, 247],
    "cold_90": [209, 229, 240],
    "cold_95": [103, 169, 207],
    "cold_99": [33, 102, 172],
}
LISA_RGB = {
    "HH": [178, 24, 43],
    "HL": [244, 165, 130],
    "LH": [146, 197, 222],
    "LL": [33, 102, 172],
    "not_significant": [247, 247, 247],
}
EXCLUDED_RGB = [170, 170, 170]
EMERGING_RGB = {
    "new_hot": [254, 224, 144],
    "consecutive_hot": [253, 174, 97],
    "intensifying_hot": [215, 48, 39],
    "persistent_hot": [165, 0, 38],
    "diminishing_hot": [244, 109, 67],
    "sporadic_hot": [254, 204, 180],
    "oscillating_hot": [231, 138, 195],
    "historical_hot": [191, 129, 45],
    "new_cold": [224, 243, 248],
    "consecutive_cold": [171, 217, 233],
    "intensifying_cold": [49, 54, 149],
    "persistent_cold": [8, 48, 107],
    "diminishing_cold": [116, 173, 209],
    "sporadic_cold": [198, 219, 239],
    "oscillating_cold": [102, 194, 165],
    "historical_cold": [90, 174, 97],
    "no_pattern": [247, 247, 247],
    "insufficient_data": [170, 170, 170],
}

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

# Areas picked in a chart (Zusammenhang: points selected in the scatter) are drawn
# on the map in Okabe-Ito orange over a white casing: orange is in no map palette
# but the yellow-orange-red one, and the casing keeps it apart from any fill.
__all__ += ["SELECTION_RGB"]
SELECTION_RGB = [230, 159, 0]


__all__ += ["text_on"]


def text_on(rgb) -> str:
    """Black or white text, whichever contrasts more with ``rgb`` (WCAG 2
    relative luminance and contrast ratio)."""
    lin = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in rgb[:3])
    ]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#ffffff"
