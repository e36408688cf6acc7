"""Small charts drawn the same way on screen (SVG in a table cell) and on paper
(reportlab drawings in the Steckbrief): a sparkline of the years against the city,
and a "Stadt = 100" bar as in Dortmund's Steckbriefe.

The geometry is computed once (:func:`sparkline_geometry`, :func:`city_bar_geometry`)
and rendered by two thin back ends, so a profile looks alike in the browser and in
the PDF.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from monitor.views.palettes import SOCIAL_DYNAMICS_RGB, to_hex

__all__ = [
    "CITY_INDEX_MAX",
    "AREA_LINE",
    "CITY_LINE",
    "WORSE",
    "BETTER",
    "NEUTRAL_BAR",
    "judgement",
    "bar_color",
    "Sparkline",
    "sparkline_geometry",
    "sparkline_svg",
    "svg_data_url",
    "CityBar",
    "city_bar_geometry",
    "city_bar_svg",
]

CITY_INDEX_MAX = 250.0  # bars end here; larger values get an arrow head
AREA_LINE = "#1f5fa8"
CITY_LINE = "#9aa5b1"
WORSE = to_hex(SOCIAL_DYNAMICS_RGB["negativ"])  # orange: less favourable than the city
BETTER = to_hex(SOCIAL_DYNAMICS_RGB["positiv"])  # purple: more favourable
NEUTRAL_BAR = "#9aa5b1"  # context indicators: no judgement


def judgement(index: float, direction: str, tolerance: float = 5.0) -> str:
    """``worse`` / ``better`` / ``same`` / ``context`` relative to the city (=100)."""
    if direction == "context" or index != index:
        return "context"
    if abs(index - 100) <= tolerance:
        return "same"
    higher = index > 100
    worse = higher if direction == "higher_is_worse" else not higher
    return "worse" if worse else "better"


def bar_color(index: float, direction: str) -> str:
    return {
        "worse": WORSE,
        "better": BETTER,
        "same": "#7f8fa3",
        "context": NEUTRAL_BAR,
    }[judgement(index, direction)]


def _finite(value) -> bool:
    return value is not None and isinstance(value, int | float) and math.isfinite(value)


@dataclass(frozen=True)
class Sparkline:
    """Polylines in a ``width`` x ``height`` box (y downwards, as in SVG)."""

    width: float
    height: float
    area: list[list[tuple[float, float]]]  # segments, broken at gaps
    city: list[list[tuple[float, float]]]
    last: tuple[float, float] | None  # the last published value of the area


def _segments(xs, ys) -> list[list[tuple[float, float]]]:
    segments, current = [], []
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((x, y))
    if current:
        segments.append(current)
    return segments


def sparkline_geometry(
    values: Sequence[float | None],
    city: Sequence[float | None] | None = None,
    *,
    width: float = 100,
    height: float = 28,
    pad: float = 3,
) -> Sparkline:
    """Lines of the area's values (and the city's) over equally spaced years.

    Missing and suppressed years are gaps (None/NaN), never interpolated.
    """
    city = list(city) if city is not None else [None] * len(values)
    known = [v for v in [*values, *city] if _finite(v)]
    n = len(values)
    if not known or n == 0:
        return Sparkline(width, height, [], [], None)
    lo, hi = min(known), max(known)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1

    def x(i: int) -> float:
        return pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)

    def y(v) -> float | None:
        if not _finite(v):
            return None
        return pad + (height - 2 * pad) * (1 - (v - lo) / (hi - lo))

    xs = [x(i) for i in range(n)]
    area_y = [y(v) for v in values]
    city_y = [y(v) for v in city]
    last = next(
        ((xs[i], area_y[i]) for i in range(n - 1, -1, -1) if area_y[i] is not None),
        None,
    )
    return Sparkline(width, height, _segments(xs, area_y), _segments(xs, city_y), last)


def _points(segment) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)


def sparkline_svg(line: Sparkline) -> str:
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{line.width:g}' "
        f"height='{line.height:g}' viewBox='0 0 {line.width:g} {line.height:g}'>"
    ]
    for seg in line.city:
        if len(seg) > 1:
            parts.append(
                f"<polyline points='{_points(seg)}' fill='none' stroke='{CITY_LINE}' "
                "stroke-width='1.4' stroke-dasharray='3 2'/>"
            )
    for seg in line.area:
        if len(seg) > 1:
            parts.append(
                f"<polyline points='{_points(seg)}' fill='none' stroke='{AREA_LINE}' "
                "stroke-width='2' stroke-linejoin='round'/>"
            )
        else:
            cx, cy = seg[0]
            parts.append(
                f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='1.5' fill='{AREA_LINE}'/>"
            )
    if line.last:
        cx, cy = line.last
        parts.append(
            f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='2.6' fill='{AREA_LINE}'/>"
        )
    parts.append("</svg>")
    return "".join(parts)


def svg_data_url(svg: str) -> str:
    """A data URL for st.column_config.ImageColumn (base64: no escaping issues)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@dataclass(frozen=True)
class CityBar:
    """A bar from the city line (100) to the area's index, in box coordinates."""

    width: float
    height: float
    x100: float
    x0: float
    x1: float
    color: str
    capped: bool


def city_bar_geometry(
    index: float,
    direction: str,
    *,
    width: float = 100,
    height: float = 14,
    maximum: float = CITY_INDEX_MAX,
) -> CityBar | None:
    """The bar of one "Stadt = 100" value; None when there is no index."""
    if not _finite(index):
        return None

    def x(v: float) -> float:
        return width * min(max(v, 0.0), maximum) / maximum

    x100, xv = x(100.0), x(index)
    return CityBar(
        width,
        height,
        x100,
        min(x100, xv),
        max(x100, xv),
        bar_color(index, direction),
        index > maximum,
    )


def city_bar_svg(
    bar: CityBar | None, width: float = 100, height: float = 14, label: str = ""
) -> str:
    """The bar as SVG; ``label`` (the index, "·" or "–") right of the bar area."""
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:g}' "
        f"height='{height:g}' viewBox='0 0 {width:g} {height:g}'>"
    ]
    if bar is not None:
        h = bar.height
        top = (height - h) / 2  # the bar band is centred in the image
        parts.append(
            f"<rect x='{bar.x0:.1f}' y='{top + h * 0.2:.1f}' "
            f"width='{max(bar.x1 - bar.x0, 1):.1f}' height='{h * 0.6:.1f}' "
            f"fill='{bar.color}'/>"
        )
        if bar.capped:
            w = bar.width
            parts.append(
                f"<polygon points='{w - 4:.1f},{top + h * 0.1:.1f} {w:.1f},"
                f"{top + h * 0.5:.1f} {w - 4:.1f},{top + h * 0.9:.1f}' "
                f"fill='{bar.color}'/>"
            )
        parts.append(
            f"<line x1='{bar.x100:.1f}' y1='{top:.1f}' x2='{bar.x100:.1f}' "
            f"y2='{top + h:.1f}' stroke='#1b1b1b' stroke-width='1.2'/>"
        )
    if label:
        parts.append(
            f"<text x='{width - 1:g}' y='{height * 0.5 + 5:.1f}' text-anchor='end' "
            "font-family='Source Sans Pro, Arial, sans-serif' "
            f"font-size='14' fill='#1b1b1b'>{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
