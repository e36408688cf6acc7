"""Outputs of measures against their linear Soll-Pfad
(:func:`monitor.methods.progress.path_progress`): the share delivered per measure
and one measure's reported values over time. Outputs only, never on an axis with an
outcome indicator, so no chart suggests that a measure caused a change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import fmt_date
from monitor.i18n import t
from monitor.methods.progress.target_path import path_progress
from monitor.programme.merge import latest_values
from monitor.views.charts import base_layout
from monitor.views.palettes import HIGHLIGHT, NEUTRAL, PATH_COLORS
from monitor.views.programme_text import short, value_text

__all__ = ["TEXT_COLUMN", "measure_path_chart", "path_bars", "path_rows"]


def path_rows(measures: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Soll-Pfad comparison of the latest reported value of each quantified
    measure (:func:`monitor.methods.progress.path_progress`)."""
    latest = latest_values(reports)
    rows = []
    for m in measures[measures.quantified].itertuples():
        if m.target_date <= m.baseline_date:
            continue
        if len(latest) and m.measure_id in latest.index:
            actual = float(latest.loc[m.measure_id, "value"])
            actual_date = latest.loc[m.measure_id, "report_date"]
        else:
            continue
        result = path_progress(
            m.baseline_value,
            m.target_value,
            m.baseline_date,
            m.target_date,
            actual,
            actual_date,
        )
        rows.append(
            {
                "measure_id": m.measure_id,
                "title": m.title,
                "unit": m.output_unit,
                "output": m.output_indicator,
                "baseline_value": m.baseline_value,
                "target_value": m.target_value,
                "actual": actual,
                "actual_date": actual_date,
                "expected": result.expected,
                "ratio": result.ratio,
                "share_of_target": result.share_of_target,
                "elapsed_share": result.elapsed_share,
                "path_status": result.status,
            }
        )
    return pd.DataFrame(rows)


TEXT_COLUMN = 124  # x position (percent axis) of the numbers next to the bars


def _status_bars(
    fig: go.Figure, rows: pd.DataFrame, labels: list, texts: list, lang: str
) -> None:
    """One bar trace per Soll-Pfad status (capped at 120 % of the target)."""
    for status in ("achieved", "ahead", "on_path", "behind", "not_started"):
        part = rows.index[rows.path_status == status]
        if len(part) == 0:
            continue
        fig.add_trace(
            go.Bar(
                y=[labels[i] for i in part],
                x=[min(rows.share_of_target[i], 1.2) * 100 for i in part],
                orientation="h",
                name=t(f"progress.path.{status}", lang),
                marker_color=PATH_COLORS[status],
                customdata=[texts[i] for i in part],
                hovertemplate="%{y}<br>%{customdata}<extra></extra>",
            )
        )


def path_bars(rows: pd.DataFrame, *, lang: str, scale: float = 1.0) -> go.Figure:
    """Share of the planned output delivered (bar) against the share the Soll-Pfad
    expects at the date of the latest report (black tick)."""
    rows = rows.sort_values(["share_of_target", "measure_id"]).reset_index(drop=True)
    labels = [
        f"{m} · {short(title, 40)}"
        for m, title in zip(rows.measure_id, rows.title, strict=True)
    ]
    texts = [
        t(
            "massnahmen.path_text",
            lang,
            actual=value_text(r.actual, None, lang),
            target=value_text(r.target_value, r.unit, lang),
            expected=value_text(round(r.expected), None, lang),
        )
        for r in rows.itertuples()
    ]
    fig = go.Figure()
    _status_bars(fig, rows, labels, texts, lang)
    # the numbers in a column of their own, right of the bars and ticks
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[TEXT_COLUMN] * len(labels),
            mode="text",
            text=texts,
            textposition="middle right",
            showlegend=False,
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=[float(v) * 100 for v in rows.elapsed_share],
            mode="markers",
            name=t("massnahmen.path_expected", lang),
            marker={
                "symbol": "line-ns",
                "size": 18,
                "color": "#1b1b1b",
                "line": {"width": 3, "color": "#1b1b1b"},
            },
            hoverinfo="skip",
        )
    )
    base_layout(fig, lang, max(240, 30 * len(rows) + 120), scale)
    fig.update_layout(
        barmode="overlay",
        margin={"l": 10, "r": 20, "t": 80, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0},
    )
    ticks = [0, 20, 40, 60, 80, 100, 120]
    fig.update_xaxes(
        range=[0, TEXT_COLUMN + 95],
        tickvals=ticks,
        ticktext=[f"{v}\u202f%" if lang == "de" else f"{v}%" for v in ticks],
        gridcolor="#e5e8ec",
        title=t("massnahmen.path_axis", lang),
    )
    fig.add_vline(x=100, line={"color": "#5f6b7a", "width": 1})
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=labels,
        automargin=True,
        tickfont={"size": round(12 * scale)},
    )
    return fig


def measure_path_chart(
    measure: Mapping,
    reports: pd.DataFrame,
    *,
    lang: str,
    today: date,
    height: int = 380,
    scale: float = 1.0,
) -> go.Figure:
    """Reported output values of one measure against its linear Soll-Pfad."""
    unit = measure.get("output_unit") or ""
    fig = go.Figure()
    base_date, target_date = measure["baseline_date"], measure["target_date"]
    fig.add_trace(
        go.Scatter(
            x=[base_date, target_date],
            y=[measure["baseline_value"], measure["target_value"]],
            name=t("massnahmen.chart_path", lang),
            mode="lines+markers",
            line={"color": HIGHLIGHT, "width": 2.5, "dash": "dash"},
            marker={"size": [8, 16], "symbol": ["circle", "star"]},
            text=[
                value_text(measure["baseline_value"], unit, lang),
                value_text(measure["target_value"], unit, lang),
            ],
            customdata=[fmt_date(base_date, lang), fmt_date(target_date, lang)],
            hovertemplate="%{customdata}: %{text}<extra></extra>",
        )
    )
    shown = reports[reports.value.notna()]
    for source, color, symbol in (
        ("published", NEUTRAL, "circle"),
        ("app", "#0072b2", "diamond"),
    ):
        part = shown[shown.source == source]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=list(part.report_date),
                y=[float(v) for v in part.value],
                name=t(f"massnahmen.chart_reports_{source}", lang),
                mode="markers",
                marker={
                    "size": 11,
                    "color": color,
                    "symbol": symbol,
                    "line": {"color": "white", "width": 1},
                },
                text=[value_text(v, unit, lang) for v in part.value],
                customdata=[fmt_date(d, lang) for d in part.report_date],
                hovertemplate="%{customdata}: %{text}<extra></extra>",
            )
        )
    if len(shown):
        fig.add_trace(
            go.Scatter(
                x=list(shown.report_date),
                y=shown.value,
                mode="lines",
                line={"color": NEUTRAL, "width": 2},
                showlegend=False,
                hoverinfo="skip",
            )
        )
    base_layout(fig, lang, height, scale)
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        margin={"l": 10, "r": 20, "t": 30, "b": 10},
    )
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", showgrid=False)
    fig.update_yaxes(gridcolor="#e5e8ec", rangemode="tozero", title=unit)
    fig.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000,
        line={"color": "#1b1b1b", "width": 1.2, "dash": "dot"},
        annotation_text=t("massnahmen.today", lang),
        annotation_position="top",
    )
    return fig
