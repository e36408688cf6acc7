"""The distribution of a map's values under its legend: why an area sits in its
class.

Up to :data:`STRIP_MAX` areas as a strip (one dot per area, jittered, in its
class colour); beyond that a histogram computed from the arrays (a million
raster cells cannot be a million dots), class by class so that no bar straddles
a class bound. The class bounds (the legend's inner bounds,
``Classification.bins[:-1]``) are drawn as vertical lines; they are also kept in
``layout.meta["bounds"]`` for tests.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from monitor.formatting import fmt_change, fmt_value, unit_suffix
from monitor.methods.classification import Classification
from monitor.views import charts
from monitor.views.palettes import to_hex

__all__ = ["STRIP_MAX", "HIST_BINS", "class_bounds", "distribution_figure"]

STRIP_MAX = 2000
"""Largest number of areas drawn as single dots."""
HIST_BINS = 60
"""Bars of the histogram over the whole range (split further at class bounds)."""
_GOLDEN = 0.6180339887


def class_bounds(classes: Classification) -> list[float]:
    """The bounds between classes, as the legend shows them."""
    return [float(b) for b in np.asarray(classes.bins)[:-1]]


def _texts(values: np.ndarray, unit: str, lang: str, change: bool) -> list[str]:
    if change:
        return [fmt_change(v, unit, lang) for v in values]
    return [fmt_value(v, unit, lang) for v in values]


def _strip(values, yb, colors, names, unit, lang, change) -> list[dict]:
    """One trace per class; dots jittered by a golden-ratio sequence over their
    rank (deterministic, evenly spread)."""
    order = np.argsort(np.argsort(values, kind="stable"), kind="stable")
    jitter = (order * _GOLDEN) % 1.0
    traces = []
    for k, color in enumerate(colors):
        mask = yb == k
        if not mask.any():
            continue
        trace = {
            "type": "scatter",
            "mode": "markers",
            "x": values[mask].tolist(),
            "y": jitter[mask].round(3).tolist(),
            "marker": {
                "color": to_hex(list(color)),
                "size": 8,
                "line": {"color": "#555555", "width": 0.6},
            },  # fmt: skip
            "customdata": _texts(values[mask], unit, lang, change),
            "hovertemplate": "%{customdata}<extra></extra>",
            "showlegend": False,
        }
        if names is not None:
            trace["text"] = [str(n) for n in np.asarray(names)[mask]]
            trace["hovertemplate"] = "%{text}: %{customdata}<extra></extra>"
        traces.append(trace)
    return traces


def _histogram(values, yb, colors) -> list[dict]:
    """Bars per class over the common edges cut at the class bounds."""
    lo, hi = float(np.min(values)), float(np.max(values))
    common = np.linspace(lo, hi, HIST_BINS + 1) if hi > lo else np.array([lo, lo + 1])
    traces = []
    for k, color in enumerate(colors):
        part = values[yb == k]
        if not part.size:
            continue
        a, b = float(part.min()), float(part.max())
        inner = common[(common > a) & (common < b)]
        edges = np.unique(np.concatenate([[a], inner, [b if b > a else a + 1e-9]]))
        counts, edges = np.histogram(part, bins=edges)
        traces.append(
            {
                "type": "bar",
                "x": ((edges[:-1] + edges[1:]) / 2).tolist(),
                "y": counts.tolist(),
                "width": np.diff(edges).tolist(),
                "marker": {
                    "color": to_hex(list(color)),
                    "line": {"color": "#555555", "width": 0.4},
                },  # fmt: skip
                "hovertemplate": "%{y}<extra></extra>",
                "showlegend": False,
            }
        )
    return traces


def distribution_figure(
    values: np.ndarray,
    classes: Classification,
    colors: Sequence[Sequence[int]],
    *,
    unit: str,
    lang: str,
    change: bool = False,
    names: Sequence[str] | None = None,
    height: int = 150,
) -> go.Figure:
    """A small strip (or histogram) of ``values`` (aligned with
    ``classes.yb``) in the class colours, with the class bounds as lines."""
    values = np.asarray(values, dtype=float)
    yb = np.asarray(classes.yb)
    shown = yb >= 0
    bounds = class_bounds(classes) if classes.k else []
    strip = int(shown.sum()) <= STRIP_MAX
    if not shown.any():
        data = []
    elif strip:
        picked = None if names is None else np.asarray(names, dtype=object)[shown]
        data = _strip(values[shown], yb[shown], colors, picked, unit, lang, change)
    else:
        data = _histogram(values[shown], yb[shown], colors)
    shapes = [
        {"type": "line", "x0": b, "x1": b, "xref": "x", "y0": 0, "y1": 1,
         "yref": "paper", "line": {"color": "#1b1b1b", "width": 1.5}}
        for b in bounds
    ]  # fmt: skip
    layout = {
        "margin": {"l": 4, "r": 8, "t": 6, "b": 4},
        "showlegend": False,
        "bargap": 0,
        "shapes": shapes,
        "meta": {"bounds": bounds, "kind": "strip" if strip else "histogram"},
        "xaxis": {
            "ticksuffix": "" if change else unit_suffix(unit, lang),
            "gridcolor": "#e5e8ec",
            "zeroline": change,
            "fixedrange": True,
            "tickfont": {"size": 13},
        },
        "yaxis": {
            "visible": not strip,
            "fixedrange": True,
            "range": [-0.1, 1.1] if strip else None,
            "gridcolor": "#e5e8ec",
            "tickfont": {"size": 12},
        },
    }
    return charts.figure(data, layout, lang=lang, height=height)
