"""plotly figures shared by pages (and later by the PDF Steckbrief).

Numbers in figures follow the language: ``separators`` is ",." in German
(1.234,5) and ".," in English. Fonts are large enough for a projector.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import fmt_value, unit_suffix
from monitor.views.palettes import HIGHLIGHT, NEUTRAL

__all__ = ["base_layout", "comparison_bars", "trend_lines"]

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
