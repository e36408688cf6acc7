"""A choropleth map as a static PNG, made on the server without map tiles.

The server has no internet, so neither a basemap nor plotly's geo subplots (which
fetch their topojson from a CDN) are available. The map is drawn as filled
polygons in a plain plotly figure instead: one ``go.Scatter`` trace per class
with ``fill="toself"`` (rings separated by ``None``; shapely's orientation,
exterior counter-clockwise and holes clockwise, keeps holes open), in a local
UTM projection so that the shapes are not stretched, with equal axis scales.
Title, legend, source and data status are part of the image; kaleido renders it
through :func:`monitor.views.exports.figure_png` (one browser per process).

Meant for areas (Stadtteile, Quartiere, a few hundred raster cells); a grid of
a million cells belongs in the interactive map's image layer.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import plotly.graph_objects as go
import shapely

from monitor.i18n import t
from monitor.views.exports import figure_png
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB

__all__ = ["choropleth_figure", "choropleth_png", "line_xy", "polygon_xy"]

FONT = "DejaVu Sans, Arial, sans-serif"


def polygon_xy(geoms) -> tuple[list, list]:
    """x and y of every ring of ``geoms`` (polygons or multipolygons), rings
    separated by ``None`` as plotly's filled scatter traces need them."""
    xs: list = []
    ys: list = []
    for geom in geoms:
        for part in shapely.get_parts(shapely.orient_polygons(geom)):
            for ring in (part.exterior, *part.interiors):
                coords = np.asarray(ring.coords)
                xs.extend(coords[:, 0].tolist() + [None])
                ys.extend(coords[:, 1].tolist() + [None])
    return xs, ys


def line_xy(geoms) -> tuple[list, list]:
    """x and y of every line of ``geoms`` (lines or polygon boundaries)."""
    xs: list = []
    ys: list = []
    for geom in geoms:
        for part in shapely.get_parts(shapely.boundary(geom) if geom.area else geom):
            coords = np.asarray(part.coords)
            xs.extend(coords[:, 0].tolist() + [None])
            ys.extend(coords[:, 1].tolist() + [None])
    return xs, ys


def _rgb(color: Sequence[int]) -> str:
    return "rgb({},{},{})".format(*[int(c) for c in color[:3]])


def _fill_trace(geoms, color) -> go.Scatter:
    x, y = polygon_xy(geoms)
    return go.Scatter(
        x=x,
        y=y,
        fill="toself",
        fillcolor=_rgb(color),
        mode="lines",
        line={"color": "white", "width": 0.8},
        showlegend=False,
        hoverinfo="skip",
    )


def _legend_swatch(color, label: str) -> go.Scatter:
    """A legend-only square (a filled trace's own legend symbol is a thin bar)."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={
            "symbol": "square",
            "size": 20,
            "color": _rgb(color),
            "line": {"color": "#888888", "width": 1},
        },
        name=label,
    )


def _groups(classes, status, colors, labels, lang):
    """(mask, colour, label) per legend entry: the classes, then suppressed and
    missing areas (only if there are any)."""
    cls = np.asarray(classes, dtype=int)
    if len(colors) != len(labels):
        raise ValueError("colors and labels must have the same length")
    if cls.size and cls.max() >= len(colors):
        raise ValueError("a class index has no colour")
    secret = (
        np.asarray(status) == "suppressed"
        if status is not None
        else np.zeros(cls.shape, bool)
    )
    groups = [(cls == k, colors[k], labels[k]) for k in range(len(colors))]
    extra = [
        ((cls < 0) & secret, SUPPRESSED_RGB, t("status.suppressed", lang)),
        ((cls < 0) & ~secret, MISSING_RGB, t("status.missing", lang)),
    ]
    return groups + [g for g in extra if g[0].any()]


def choropleth_figure(
    areas: gpd.GeoDataFrame,
    classes: Sequence[int],
    colors: Sequence[Sequence[int]],
    labels: Sequence[str],
    *,
    title: str,
    footer: str,
    status: Sequence[str] | None = None,
    legend_title: str = "",
    outline=None,
    lang: str = "de",
    width: int = 1200,
    height: int = 900,
) -> go.Figure:
    """The map as a plotly figure (no geo subplot, no tiles).

    Parameters
    ----------
    areas : geopandas.GeoDataFrame
        Polygons (any CRS with a definition; shown in their local UTM zone).
    classes : sequence of int
        Class per area (0 .. len(colors) - 1), -1 for none.
    colors, labels : sequence
        RGB colour and legend label per class.
    title, footer : str
        Heading and the line with source and data status
        (``static_map.footer``).
    status : sequence of str, optional
        ``"suppressed"`` marks areas without class as secret (grey "·"), the
        rest without class are "no data".
    outline : shapely geometry, optional
        Drawn as a thick black line (e.g. the focus area), same CRS as areas.
    """
    if len(classes) != len(areas):
        raise ValueError("one class per area is needed")
    crs = areas.estimate_utm_crs()
    metric = areas.to_crs(crs).geometry.to_numpy()
    fig = go.Figure()
    for mask, color, label in _groups(classes, status, colors, labels, lang):
        if mask.any():
            fig.add_trace(_fill_trace(metric[mask], color))
        fig.add_trace(_legend_swatch(color, label))
    if outline is not None:
        x, y = line_xy(gpd.GeoSeries([outline], crs=areas.crs).to_crs(crs))
        fig.add_scatter(
            x=x, y=y, mode="lines", line={"color": "black", "width": 3},
            showlegend=False, hoverinfo="skip",
        )  # fmt: skip
    axis = {"visible": False, "showgrid": False, "zeroline": False}
    fig.update_layout(
        title={"text": title, "x": 0.02, "font": {"size": 24}},
        width=width,
        height=height,
        font={"family": FONT, "size": 16, "color": "#1a1a1a"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis=axis,
        yaxis={**axis, "scaleanchor": "x", "scaleratio": 1},
        legend={
            "title": {"text": legend_title or t("static_map.legend_title", lang)},
            "itemsizing": "constant",
            "x": 1.0,
            "xanchor": "left",
            "y": 0.98,
            "font": {"size": 16},
        },
        margin={"l": 20, "r": 20, "t": 70, "b": 60},
        annotations=[
            {
                "text": footer,
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": -0.06,
                "xanchor": "left",
                "showarrow": False,
                "font": {"size": 13, "color": "#444"},
            }
        ],
    )
    return fig


def choropleth_png(
    areas: gpd.GeoDataFrame,
    classes: Sequence[int],
    colors: Sequence[Sequence[int]],
    labels: Sequence[str],
    *,
    title: str,
    footer: str,
    status: Sequence[str] | None = None,
    legend_title: str = "",
    outline=None,
    lang: str = "de",
    width: int = 1200,
    height: int = 900,
    scale: float = 1,
) -> bytes:
    """:func:`choropleth_figure` as PNG of ``width * scale`` x ``height * scale``
    pixels (kaleido, offline)."""
    fig = choropleth_figure(
        areas,
        classes,
        colors,
        labels,
        title=title,
        footer=footer,
        status=status,
        legend_title=legend_title,
        outline=outline,
        lang=lang,
        width=width,
        height=height,
    )
    return figure_png(fig, width=width, height=height, scale=scale)
