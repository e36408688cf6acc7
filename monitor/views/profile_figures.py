"""Figures of a profile: "Stadt = 100" bars and the locator map (page and PNG).

Built as plain dicts through :func:`monitor.views.charts.figure` (no plotly
validation, the shared look); the Steckbrief PDF draws its own versions.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import MISSING, SUPPRESSED, fmt_number, fmt_value
from monitor.i18n import t
from monitor.views.charts import figure
from monitor.views.minicharts import CITY_INDEX_MAX, bar_color
from monitor.views.palettes import HIGHLIGHT
from monitor.views.profile import Locator, Profile

__all__ = ["city_index_figure", "locator_figure", "locator_marker"]


def _index_texts(
    rows: pd.DataFrame, index: np.ndarray, labels: list[str], lang: str
) -> tuple[list[str], list[str]]:
    """Bar labels ("·", "–", the index, "▸" beyond the axis) and hover texts."""
    texts = []
    for ix, status in zip(index, rows.status, strict=True):
        if status == "suppressed":
            texts.append(SUPPRESSED)
        elif ix != ix:
            texts.append(MISSING)
        else:
            capped = "\u00a0▸" if ix > CITY_INDEX_MAX else ""
            texts.append(fmt_number(ix, lang, 0) + capped)
    hover = [
        t(
            "profil.hover_index",
            lang,
            indicator=label,
            value=fmt_value(v, u, lang, s),
            city=fmt_value(cv, u, lang, cs),
            index=text,
        )
        for label, v, u, s, cv, cs, text in zip(
            labels,
            rows.value,
            rows.unit,
            rows.status,
            rows.city,
            rows.city_status,
            texts,
            strict=True,
        )
    ]
    return texts, hover


def city_index_figure(
    profile: Profile, *, footer: str = "", scale: float = 1.0
) -> go.Figure:
    """ "Stadt = 100": every rate indicator of the area against the city, bars from
    the 100 line, grouped by domain; orange = less favourable, purple = more."""
    rows = profile.rows[profile.rows.unit != "count"].reset_index(drop=True)
    lang = profile.lang
    index = rows.city_index.to_numpy(dtype=float)
    shown = np.clip(index, 0, CITY_INDEX_MAX)
    labels = [escape(n, quote=False) for n in rows.indicator]
    domains = [escape(d, quote=False) for d in rows.domain]
    texts, hover = _index_texts(rows, index, labels, lang)
    height = 90 + 26 * len(rows)
    title = t("profil.city_index_title", lang, name=profile.name, year=profile.year)
    return figure(
        [
            {
                "type": "bar",
                "x": [0.0 if v != v else float(v - 100) for v in shown],
                "base": 100,
                "y": [domains, labels],
                "orientation": "h",
                "marker": {
                    "color": [
                        bar_color(ix, d)
                        for ix, d in zip(index, rows.direction, strict=True)
                    ]
                },
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": hover,
                "hoverinfo": "text",
                "width": 0.7,
            }
        ],
        {
            "showlegend": False,
            "margin": {"l": 10, "r": 40, "t": 70, "b": 10},
            "title": {
                "text": escape(title, quote=False),
                "font": {"size": round(18 * scale)},
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": 100,
                    "x1": 100,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#1b1b1b", "width": 2},
                }
            ],
            "xaxis": {
                "range": [0, CITY_INDEX_MAX + 25],
                "tickvals": [0, 50, 100, 150, 200, 250],
                "gridcolor": "#e5e8ec",
                "title": {"text": t("profil.city_index_axis", lang)},
                "side": "top",
            },
            "yaxis": {
                "autorange": "reversed",
                "automargin": True,
                "dividercolor": "#c9d1db",
            },
        },
        lang=lang,
        height=height,
        scale=scale,
        footer=footer,
    )


def _xy(rings) -> tuple[list, list]:
    xs, ys = [], []
    for ring in rings:
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def _locator_traces(profile: Profile, loc: Locator, focus_label: str) -> list[dict]:
    """Grey areas of the level, the city's outline, the area highlighted, the
    Perspektivquartier in black and a ring around a tiny area."""
    data: list[dict] = []
    line = {"type": "scatter", "mode": "lines", "showlegend": False}
    xs, ys = _xy(loc.context)
    data.append(
        {
            **line,
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": "#e3e7ec",
            "line": {"color": "white", "width": 1},
            "hoverinfo": "skip",
        }
    )
    xs, ys = _xy(loc.city)
    data.append(
        {
            **line,
            "x": xs,
            "y": ys,
            "line": {"color": "#5f6b7a", "width": 1.5},
            "hoverinfo": "skip",
        }
    )
    xs, ys = _xy(loc.area)
    data.append(
        {
            **line,
            "x": xs,
            "y": ys,
            "fill": "toself",
            "fillcolor": HIGHLIGHT,
            "line": {"color": HIGHLIGHT, "width": 2},
            "name": escape(profile.name, quote=False),
            "hoverinfo": "name",
        }
    )
    if loc.focus and profile.level != "fokusgebiet":
        xs, ys = _xy(loc.focus)
        data.append(
            {
                **line,
                "x": xs,
                "y": ys,
                "line": {"color": "black", "width": 2},
                "name": escape(focus_label, quote=False),
                "hoverinfo": "name",
            }
        )
    marker = locator_marker(loc)
    if marker is not None:
        cx, cy, r = marker
        data.append(
            {
                **line,
                "x": [cx + r * math.cos(a / 24 * math.tau) for a in range(25)],
                "y": [cy + r * math.sin(a / 24 * math.tau) for a in range(25)],
                "line": {"color": HIGHLIGHT, "width": 2.5},
                "hoverinfo": "skip",
            }
        )
    return data


def locator_figure(
    profile: Profile,
    *,
    height: int = 320,
    footer: str = "",
    focus_label: str = "",
) -> go.Figure:
    """Where the area lies: the areas of its level in grey, the area highlighted,
    the Perspektivquartier outlined in black (as on every map)."""
    loc = profile.locator
    data = [] if loc is None else _locator_traces(profile, loc, focus_label)
    return figure(
        data,
        {
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "dragmode": False,
            "xaxis": {"visible": False, "fixedrange": True},
            "yaxis": {
                "visible": False,
                "scaleanchor": "x",
                "scaleratio": 1,
                "fixedrange": True,
            },
        },
        lang=profile.lang,
        height=height,
        footer=footer,
        footer_size=11,
    )


def locator_marker(loc: Locator) -> tuple[float, float, float] | None:
    """A ring around an area too small to see on the locator (centre x, y, radius
    in km), or None."""
    if not loc.area:
        return None
    xs = [p[0] for ring in loc.area for p in ring]
    ys = [p[1] for ring in loc.area for p in ring]
    size = max(max(xs) - min(xs), max(ys) - min(ys))
    span = max(loc.bounds[2] - loc.bounds[0], loc.bounds[3] - loc.bounds[1])
    if size > span * 0.12:
        return None
    return (
        (max(xs) + min(xs)) / 2,
        (max(ys) + min(ys)) / 2,
        max(size * 0.9, span * 0.05),
    )
