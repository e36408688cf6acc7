"""Choropleths: which class and colour an area gets, and the records that carry
them to the deck (:mod:`monitor.views.deck`).

Classes come from :func:`monitor.methods.classification.classify` (mapclassify's
schemes, user breaks, or symmetric classes around 0 for a change), colours from
:mod:`monitor.views.palettes` oriented by the indicator's direction. Suppressed
areas get their own grey and no number in the tooltip; areas without a value
another one. A raster level drawn as one image uses the same classes as palette
codes (:func:`image_codes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from monitor.catalog import Indicator
from monitor.formatting import (
    fmt_change,
    fmt_number,
    fmt_value,
    unit_decimals,
    with_flag,
)
from monitor.methods.classification import (
    BreaksError,
    Classification,
    class_labels,
    classify,
    parse_breaks,
)
from monitor.statuses import NO_NUMBER
from monitor.views.deck import polygon_records
from monitor.views.legend import status_tip
from monitor.views.palettes import (
    MISSING_RGB,
    SUPPRESSED_RGB,
    class_colors,
    diverging_colors,
)

__all__ = [
    "FILL_ALPHA",
    "MapClasses",
    "map_classes",
    "image_codes",
    "indicator_records",
]

FILL_ALPHA = 215
"""Opacity of area fills (0-255): the basemap's streets stay readable."""


@dataclass(frozen=True)
class MapClasses:
    """The classes of one map, their colours and legend labels; ``breaks_invalid``
    says that typed breaks were unusable and quantiles are shown instead."""

    classes: Classification
    colors: list
    labels: list[str]
    breaks_invalid: bool


def _classify(ind: Indicator, values, scheme, k, breaks_text, change):
    breaks, breaks_invalid = None, False
    if not change and scheme == "fixed":
        try:
            breaks = parse_breaks(breaks_text)
        except BreaksError:
            breaks_invalid = True
    if change:
        classes = classify(values, "diverging", k)
        colors = diverging_colors(classes.k, ind.direction != "higher_is_better")
    elif breaks_invalid or (scheme == "fixed" and not breaks):
        breaks_invalid = True
        classes = classify(values, "quantile", k)
        colors = class_colors(classes.k, ind.direction)
    else:
        classes = classify(values, scheme, k, breaks)
        colors = class_colors(classes.k, ind.direction)
    return classes, colors, breaks_invalid


def map_classes(
    ind: Indicator,
    values: np.ndarray,
    *,
    scheme: str,
    k: int,
    breaks_text: str,
    change: bool,
    lang: str,
) -> MapClasses:
    """Classes of the shown values: the chosen scheme (typed breaks for
    ``fixed``; unusable breaks fall back to quantiles) or, for a change map,
    classes around 0 with orange for the worse side. Raises ValueError (from the
    classification) with a message for the page."""
    classes, colors, breaks_invalid = _classify(
        ind, values, scheme, k, breaks_text, change
    )
    if change:

        def fmt(v):
            return fmt_change(v, ind.unit, lang)
    else:

        def fmt(v):
            return fmt_number(v, lang, unit_decimals(ind.unit))

    labels = class_labels(classes, fmt) if classes.k else []
    return MapClasses(classes, colors, labels, breaks_invalid)


def image_codes(
    classes: Classification, suppressed: np.ndarray, colors: Sequence
) -> tuple[np.ndarray, list[list[int]]]:
    """Palette codes per area (classes 0..k-1, then suppressed k and missing
    k + 1) and the RGBA palette, for a raster level drawn as one image."""
    codes = np.where(classes.yb >= 0, classes.yb, classes.k + 1).astype(np.uint8)
    codes[suppressed] = classes.k
    palette = [[*c, FILL_ALPHA] for c in (*colors, SUPPRESSED_RGB, MISSING_RGB)]
    return codes, palette


def indicator_records(
    geo: gpd.GeoDataFrame,
    values,
    *,
    yb,
    colors: Sequence[Sequence[int]],
    unit: str,
    lang: str,
    suppressed_rgb: Sequence[int],
    missing_rgb: Sequence[int],
    extra_tips: dict[str, str] | None = None,
    alpha: int = FILL_ALPHA,
    value_formatter=None,
) -> list[dict]:
    """Records of a choropleth of one indicator.

    ``values`` is aligned with ``geo`` (same order) and has ``name``, ``value``,
    ``numerator``, ``denominator`` and ``status``; ``yb`` the class per area (-1 for
    none). Suppressed areas get their own colour and no number in the tooltip.
    """
    fills, props = [], []
    flags = values["flag"] if "flag" in values else [None] * len(values)
    for i, (row, flag) in enumerate(
        zip(values.itertuples(index=False), flags, strict=True)
    ):
        if row.status == "suppressed":
            fill = [*suppressed_rgb, alpha]
            tip = status_tip("suppressed", lang)
        elif yb[i] < 0:
            fill = [*missing_rgb, alpha]
            status = row.status if row.status in NO_NUMBER else "missing"
            tip = status_tip(status, lang)
        else:
            fill = [*colors[yb[i]], alpha]
            tip = (value_formatter or (lambda v: fmt_value(v, unit, lang)))(row.value)
            if value_formatter is None:
                tip = with_flag(tip, flag)
            if (
                value_formatter is None
                and unit != "count"
                and row.denominator == row.denominator
            ):
                tip += (
                    f"\n{fmt_number(row.numerator, lang, 0)} / "
                    f"{fmt_number(row.denominator, lang, 0)}"
                )
        if extra_tips and row.area_id in extra_tips:
            tip += "\n" + extra_tips[row.area_id]
        fills.append(fill)
        props.append({"area_id": row.area_id, "name": row.name, "tip": tip})
    return polygon_records(geo, fills, props)
