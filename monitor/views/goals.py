"""The goals of the working groups (Ziele): each goal's indicator series, its two
verdicts and the chart of the series against the path to the target.

Two established methods judge a goal, and they look at different years:

* Open SDG / Statistics Canada (:func:`monitor.methods.progress.assess_progress`):
  the compound annual growth rate from the goal's *baseline year* to the *latest
  year* (two points) against the rate the target needs;
* the weather symbol of the German Sustainability Strategy
  (:func:`monitor.methods.progress.weather_symbol`): the mean change over the *last
  six data points*, extrapolated to the target year, which may reach back before the
  baseline year.

When the trend turned inside these windows the two can disagree; the overview
carries both windows and :func:`verdicts_disagree` flags such goals so the page can
explain them instead of contradicting itself.

Outcomes only: measures (outputs) are charted apart (monitor/views/measures.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from monitor.formatting import fmt_value, unit_suffix
from monitor.i18n import t
from monitor.methods.progress.dns_weather import weather_symbol
from monitor.methods.progress.open_sdg import assess_progress
from monitor.programme.cells import as_number
from monitor.views.charts import base_layout
from monitor.views.palettes import HIGHLIGHT, NEUTRAL

__all__ = [
    "CATEGORY_LEVEL",
    "WEATHER_LEVEL",
    "export_frame",
    "filter_goals",
    "goal_chart",
    "goal_overview",
    "goal_series",
    "verdicts_disagree",
]


def goal_series(values: pd.DataFrame, goal: Mapping) -> pd.DataFrame:
    """The indicator series (year, value) of a goal's area; the goal's baseline is
    added when the data lack the base year."""
    mask = (values.area_id == goal["area_id"]) & (
        values.indicator_id == goal["indicator_id"]
    )
    series = values.loc[mask & values.value.notna(), ["year", "value"]]
    series = series.astype({"year": "int64", "value": "float64"})
    base_year = goal.get("baseline_year")
    base_value = as_number(goal.get("baseline_value"))
    if (
        base_year is not None
        and not pd.isna(base_year)
        and base_value is not None
        and int(base_year) not in set(series.year)
    ):
        extra = pd.DataFrame({"year": [int(base_year)], "value": [base_value]})
        series = pd.concat([series, extra], ignore_index=True)
    return series.sort_values("year").reset_index(drop=True)


def _assess(goal: Mapping, series: pd.DataFrame, fallback: str = ""):
    direction = goal.get("direction") or fallback
    if direction not in ("higher_is_better", "higher_is_worse"):
        return None, None
    better = direction == "higher_is_better"
    target_value = as_number(goal.get("target_value"))
    target_year = goal.get("target_year")
    has_target = (
        target_value is not None
        and target_year is not None
        and not pd.isna(target_year)
    )
    kwargs = (
        {"target_value": target_value, "target_year": int(target_year)}
        if has_target
        else {}
    )
    base_year = goal.get("baseline_year")
    base_year = None if base_year is None or pd.isna(base_year) else int(base_year)
    try:
        result = assess_progress(
            series.year,
            series.value,
            higher_is_better=better,
            base_year=base_year,
            **kwargs,
        )
        weather = weather_symbol(
            series.year, series.value, higher_is_better=better, **kwargs
        )
    except ValueError:
        return None, None
    return result, weather


#: Open SDG categories and DNS weather symbols on one scale of where a goal heads
#: (3 = reaches the target, 0 = moves away): the DNS symbols answer the same
#: question as the categories, sun ~ on track, cloud ~ limited progress,
#: thunderstorm ~ deterioration.
CATEGORY_LEVEL = {
    "target_achieved": 3,
    "on_track": 3,
    "acceleration_needed": 2,
    "limited_progress": 1,
    "deterioration": 0,
}
WEATHER_LEVEL = {"sun": 3, "sun_cloud": 2, "cloud": 1, "thunderstorm": 0}


def verdicts_disagree(category: str, symbol: str) -> bool:
    """True when the Open SDG category and the DNS weather symbol are at least two
    steps apart on the common scale (e.g. "on track" with a thunderstorm, or
    "deterioration" with sun): the page then explains the two windows. One step
    (e.g. "on track" with "leicht bewölkt") is the ordinary blur of two methods."""
    if category not in CATEGORY_LEVEL or symbol not in WEATHER_LEVEL:
        return False
    return abs(CATEGORY_LEVEL[category] - WEATHER_LEVEL[symbol]) >= 2


def _goal_columns(goal: Mapping, ind, lang: str) -> dict:
    return {
        "goal_id": goal["goal_id"],
        "title": goal["title"],
        "working_group": goal["working_group"],
        "working_group_name": goal.get("working_group_name") or goal["working_group"],
        "handlungsfeld": goal["handlungsfeld"],
        "area_id": goal["area_id"],
        "indicator_id": goal["indicator_id"],
        "indicator": ind.text("name", lang) if ind else goal["indicator_id"],
        "unit": ind.unit if ind else "count",
        "direction": goal.get("direction") or (ind.direction if ind else ""),
        "target_year": goal["target_year"],
        "target_value": as_number(goal["target_value"]),
    }


def _cagr_columns(goal: Mapping, result) -> dict:
    """The Open SDG verdict; its window is baseline year -> latest year."""
    if result is None:
        method = (
            "cagr_target"
            if as_number(goal["target_value"]) is not None
            else "cagr_direction"
        )
        return {
            "baseline_year": goal["baseline_year"],
            "baseline_value": as_number(goal["baseline_value"]),
            "cagr_required": None,
            "cagr_observed": None,
            "ratio": None,
            "score": None,
            "category": "not_assessable",
            "method": method,
            "notes": ("direction_context",),
        }
    base_value = result.base_value
    return {
        "baseline_year": result.base_year,
        "baseline_value": as_number(goal["baseline_value"])
        if base_value is None
        else base_value,
        "cagr_required": result.cagr_required,
        "cagr_observed": result.cagr_observed,
        "ratio": result.ratio,
        "score": result.score,
        "category": result.category,
        "method": result.method,
        "notes": result.notes,
    }


def _weather_columns(weather) -> dict:
    """The DNS verdict; its window is the last (up to) six consecutive points."""
    if weather is None:
        return {
            "symbol": "not_assessable",
            "weather_variant": None,
            "weather_notes": (),
            "extrapolated_value": None,
            "mean_change": None,
            "miss_share": None,
            "weather_from_year": None,
            "weather_to_year": None,
            "weather_points": 0,
        }
    assessed = weather.symbol != "not_assessable"
    return {
        "symbol": weather.symbol,
        "weather_variant": weather.variant,
        "weather_notes": weather.notes,
        "extrapolated_value": weather.extrapolated_value,
        "mean_change": weather.mean_change,
        "miss_share": weather.miss_share,
        "weather_from_year": weather.window_start_year if assessed else None,
        "weather_to_year": weather.latest_year if assessed else None,
        "weather_points": weather.points_used if assessed else 0,
    }


def goal_overview(
    goals: pd.DataFrame, values: pd.DataFrame, catalog, lang: str
) -> pd.DataFrame:
    """One row per goal with both verdicts, the numbers and the years behind them.

    ``latest_year`` ends both windows; the Open SDG window starts at
    ``baseline_year``, the weather window at ``weather_from_year``;
    ``verdicts_disagree`` flags goals whose two verdicts contradict each other.
    """
    rows = []
    for goal in goals.to_dict("records"):
        series = goal_series(values, goal)
        known = goal["indicator_id"] in catalog
        ind = catalog[goal["indicator_id"]] if known else None
        result, weather = _assess(goal, series, ind.direction if ind else "")
        latest = series.iloc[-1] if len(series) else None
        row = (
            _goal_columns(goal, ind, lang)
            | _cagr_columns(goal, result)
            | _weather_columns(weather)
        )
        row["latest_year"] = int(latest.year) if latest is not None else None
        row["latest_value"] = float(latest.value) if latest is not None else None
        row["n_points"] = len(series)
        row["verdicts_disagree"] = verdicts_disagree(row["category"], row["symbol"])
        rows.append(row)
    out = pd.DataFrame(rows)
    for column in (
        "baseline_year",
        "latest_year",
        "target_year",
        "weather_from_year",
        "weather_to_year",
    ):
        out[column] = pd.array(
            [None if v is None or pd.isna(v) else int(v) for v in out[column]],
            dtype="Int64",
        )
    return out


def filter_goals(
    overview: pd.DataFrame, group: str, field: str, area: str
) -> pd.DataFrame:
    mask = pd.Series(True, index=overview.index)
    if group != "alle":
        mask &= overview.working_group == group
    if field != "alle":
        mask &= overview.handlungsfeld == field
    if area != "alle":
        mask &= overview.area_id == area
    return overview[mask]


def _observed_traces(fig: go.Figure, series: pd.DataFrame, row: Mapping, lang):
    unit = row["unit"]
    fig.add_trace(
        go.Scatter(
            x=series.year,
            y=series.value,
            name=t("ziele.chart_observed", lang),
            mode="lines+markers",
            line={"color": NEUTRAL, "width": 3},
            marker={"size": 7},
            text=[fmt_value(v, unit, lang) for v in series.value],
            hovertemplate="%{x}: %{text}<extra></extra>",
        )
    )
    base_year, base_value = row["baseline_year"], row["baseline_value"]
    if base_value is not None and base_year is not None and not pd.isna(base_value):
        fig.add_trace(
            go.Scatter(
                x=[base_year],
                y=[base_value],
                name=t("ziele.chart_baseline", lang),
                mode="markers",
                marker={
                    "size": 14,
                    "color": "white",
                    "line": {"color": "#1b1b1b", "width": 2.5},
                },
                text=[fmt_value(base_value, unit, lang)],
                hovertemplate=f"{t('ziele.chart_baseline', lang)} %{{x}}: "
                "%{text}<extra></extra>",
            )
        )


def _target_traces(fig: go.Figure, row: Mapping, lang: str) -> None:
    """Path with the constant required rate, the target, and the weather trend."""
    unit = row["unit"]
    base_year, base_value = row["baseline_year"], row["baseline_value"]
    target_value, target_year = row["target_value"], int(row["target_year"])
    rate = row.get("cagr_required")
    if rate is not None and base_value:
        years = np.arange(int(base_year), target_year + 1)
        path = base_value * (1 + rate) ** (years - int(base_year))
        fig.add_trace(
            go.Scatter(
                x=years.tolist(),
                y=path.tolist(),
                name=t("ziele.chart_path", lang),
                mode="lines",
                line={"color": HIGHLIGHT, "width": 2.5, "dash": "dash"},
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[target_year],
            y=[target_value],
            name=t("ziele.chart_target", lang),
            mode="markers",
            marker={
                "size": 18,
                "symbol": "star",
                "color": HIGHLIGHT,
                "line": {"color": "#1b1b1b", "width": 1},
            },
            text=[fmt_value(target_value, unit, lang)],
            hovertemplate=f"{t('ziele.chart_target', lang)} %{{x}}: "
            "%{text}<extra></extra>",
        )
    )
    extrapolated = row.get("extrapolated_value")
    latest_year = row.get("latest_year")
    if extrapolated is not None and latest_year is not None:
        fig.add_trace(
            go.Scatter(
                x=[latest_year, target_year],
                y=[row["latest_value"], extrapolated],
                name=t("ziele.chart_trend", lang),
                mode="lines",
                line={"color": "#7f8fa3", "width": 2, "dash": "dot"},
                hoverinfo="skip",
            )
        )


def _weather_window(fig: go.Figure, row: Mapping, lang: str) -> None:
    """A light band over the years the weather symbol uses (its window)."""
    start, end = row.get("weather_from_year"), row.get("weather_to_year")
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return
    fig.add_vrect(
        x0=int(start) - 0.3,
        x1=int(end) + 0.3,
        fillcolor="#7f8fa3",
        opacity=0.12,
        line_width=0,
        layer="below",
        annotation_text=t("ziele.chart_weather_window", lang),
        annotation_position="top left",
        annotation_font={"size": 12, "color": "#333c47"},
    )


def goal_chart(
    series: pd.DataFrame,
    row: Mapping,
    *,
    lang: str,
    title: str,
    height: int = 420,
    scale: float = 1.0,
) -> go.Figure:
    """The indicator series with baseline, target and the path to the target.

    The path is the constant annual growth rate from the baseline to the target
    (what Open SDG's CAGR_req assumes); the dotted line continues the mean change
    of the weather window (shaded: the last six points) to the target year (what
    the DNS weather symbol compares with the target).
    """
    fig = go.Figure()
    _observed_traces(fig, series, row, lang)
    target_value, target_year = row["target_value"], row["target_year"]
    if (
        target_value is not None
        and not pd.isna(target_value)
        and target_year is not None
        and not pd.isna(target_year)
    ):
        _target_traces(fig, row, lang)
    _weather_window(fig, row, lang)
    base_layout(fig, lang, height, scale)
    fig.update_layout(
        title={"text": title, "font": {"size": round(17 * scale)}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        margin={"l": 10, "r": 20, "t": 50, "b": 10},
    )
    fig.update_xaxes(showgrid=False, dtick=2)
    fig.update_yaxes(
        gridcolor="#e5e8ec",
        ticksuffix=unit_suffix(row["unit"], lang),
        rangemode="tozero",
    )
    return fig


def export_frame(overview: pd.DataFrame, area_names, lang: str) -> pd.DataFrame:
    """The goals shown, with both verdicts and the numbers behind them (CSV and
    XLSX of the Ziele page); values as numbers, texts translated."""

    def number(values):
        return [None if v is None or pd.isna(v) else round(float(v), 2) for v in values]

    return pd.DataFrame(
        {
            t("ziele.col_goal_id", lang): overview.goal_id,
            t("ziele.col_title", lang): overview.title,
            t("ziele.col_group", lang): overview.working_group_name,
            t("ziele.col_field", lang): [
                t(f"progress.field.{f}", lang) for f in overview.handlungsfeld
            ],
            t("ziele.col_indicator", lang): overview.indicator,
            t("ziele.col_area", lang): [
                str(area_names.get(a, a)) for a in overview.area_id
            ],
            t("ziele.col_baseline_year", lang): overview.baseline_year,
            t("ziele.col_baseline_value", lang): number(overview.baseline_value),
            t("ziele.col_latest_year", lang): overview.latest_year,
            t("ziele.col_latest_value", lang): number(overview.latest_value),
            t("ziele.col_target_year", lang): overview.target_year,
            t("ziele.col_target_value", lang): number(overview.target_value),
            t("ziele.col_category", lang): [
                t(f"progress.category.{c}", lang) for c in overview.category
            ],
            t("ziele.col_weather_symbol", lang): [
                t(f"progress.weather.{s}", lang) for s in overview.symbol
            ],
        }
    )
