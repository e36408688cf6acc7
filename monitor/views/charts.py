"""plotly figures shared by pages: the common look and the builder of figures.

Numbers in figures follow the language: ``separators`` is ",." in German
(1.234,5) and ".," in English. Fonts are large enough for a projector.
:func:`figure` builds a figure from plain dicts on that look, with the source
and data status as a footer (Profil, Vergleich, Entwicklung).
"""

from __future__ import annotations

import copy
import textwrap
from functools import lru_cache
from html import escape

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import fmt_value, unit_suffix
from monitor.views.palettes import HIGHLIGHT, NEUTRAL

__all__ = ["base_layout", "figure", "comparison_bars", "trend_lines"]

FONT = "Source Sans Pro, Arial, sans-serif"


def base_layout(
    fig: go.Figure, lang: str, height: int = 360, scale: float = 1.0
) -> go.Figure:
    fig.update_layout(
        separators=",." if lang == "de" else ".,",
        font={"family": FONT, "size": round(16 * scale), "color": "#1b1b1b"},
        height=round(height * (1 + (scale - 1) / 2)),
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font_size": 15},
    )
    return fig


# Figures are built as plain dicts and wrapped without plotly's per-property
# validation (tests validate them): building through update_* calls cost about
# 60-150 ms per figure here, a dict about 1 ms. The look comes from
# base_layout, so every page's charts share one style.


@lru_cache(maxsize=32)
def _base_layout(lang: str, height: int, scale: float) -> dict:
    return base_layout(go.Figure(), lang, height, scale).layout.to_plotly_json()


def figure(
    data: list[dict],
    layout: dict,
    *,
    lang: str,
    height: int,
    scale: float = 1.0,
    footer: str = "",
    footer_size: int = 12,
    footer_gap: int = 0,
    footer_chars: int = 140,
) -> go.Figure:
    """A go.Figure from dicts on top of the shared base layout (no validation),
    with the source and data status as a footer (on screen and in every PNG);
    ``footer_gap``: pixels taken by the x axis under the plot (ticks, title)."""
    merged = copy.deepcopy(_base_layout(lang, height, scale))
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    if footer:
        # below the plot area, clear of the x axis' tick labels and title; long
        # texts wrap (plotly does not wrap annotations by itself)
        lines = textwrap.wrap(footer, footer_chars) or [footer]
        block = round(footer_size * 1.35 * len(lines)) + 8
        margin = merged.setdefault("margin", {})
        margin["b"] = (margin.get("b") or 10) + footer_gap + block
        merged["annotations"] = [
            *merged.get("annotations", []),
            {
                "text": "<br>".join(escape(line, quote=False) for line in lines),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -(footer_gap + 4),
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": footer_size, "color": "#5f6b7a"},
            },
        ]
        merged["height"] = merged.get("height", height) + footer_gap + block
    return go.Figure({"data": data, "layout": merged}, _validate=False)


def comparison_bars(
    rows: pd.DataFrame,
    *,
    title: str,
    unit: str,
    lang: str,
    height: int = 300,
    scale: float = 1.0,
) -> go.Figure:
    """Horizontal bars of one indicator for areas and references.

    ``rows``: columns ``label``, ``value``, ``status``, ``kind`` (focus | area |
    reference). The focus area is drawn in the highlight colour, references lighter.
    """
    rows = rows.iloc[::-1]  # plotly draws the first bar at the bottom
    colors = [
        HIGHLIGHT if k == "focus" else (NEUTRAL if k == "area" else "#b7c0cc")
        for k in rows.kind
    ]
    texts = [
        fmt_value(v, unit, lang, s)
        for v, s in zip(rows.value, rows.status, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=rows.value,
            y=rows.label,
            orientation="h",
            marker_color=colors,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    base_layout(fig, lang, height, scale)
    fig.update_layout(
        title={"text": title, "font": {"size": round(18 * scale)}}, showlegend=False
    )
    top = max([v for v in rows.value if v == v] or [1.0])
    fig.update_xaxes(
        showgrid=True,
        gridcolor="#e5e8ec",
        ticksuffix=unit_suffix(unit, lang),
        range=[0, top * 1.22],
    )
    fig.update_yaxes(automargin=True)
    return fig


def trend_lines(
    series: pd.DataFrame,
    *,
    title: str,
    unit: str,
    lang: str,
    height: int = 280,
    scale: float = 1.0,
) -> go.Figure:
    """Lines over years; ``series`` has ``year``, ``value``, ``label``, ``kind``."""
    fig = go.Figure()
    styles = {
        "focus": {"color": HIGHLIGHT, "width": 4, "dash": "solid"},
        "area": {"color": NEUTRAL, "width": 3, "dash": "solid"},
        "reference": {"color": "#7f8fa3", "width": 2.5, "dash": "dash"},
    }
    for label, grp in series.groupby("label", sort=False):
        kind = grp.kind.iloc[0]
        texts = [fmt_value(v, unit, lang) for v in grp.value]
        fig.add_trace(
            go.Scatter(
                x=grp.year,
                y=grp.value,
                name=label,
                mode="lines+markers",
                line=styles[kind],
                marker={"size": 6},
                text=texts,
                hovertemplate=f"{label} %{{x}}: %{{text}}<extra></extra>",
                connectgaps=False,
            )
        )
    base_layout(fig, lang, height, scale)
    fig.update_layout(
        title={"text": title, "font": {"size": round(17 * scale)}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
    )
    fig.update_xaxes(dtick=2, showgrid=False)
    fig.update_yaxes(
        gridcolor="#e5e8ec", ticksuffix=unit_suffix(unit, lang), rangemode="tozero"
    )
    return fig
