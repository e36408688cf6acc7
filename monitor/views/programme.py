"""Tables, charts and maps of the programme pages (Ziele and Maßnahmen).

Outcomes (indicators of goals) and outputs (deliveries of measures) are kept apart:
goal charts show indicator series with their target path, measure charts show
outputs against the linear Soll-Pfad, and no figure puts both on one axis or
suggests that a measure caused a change of an indicator.

The published data are combined with the edit log (monitor/edits.py) here: the
current state of a measure is its published row with the effective edits applied.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from monitor.edits import (
    GOAL_FIELDS,
    HANDLUNGSFELDER,
    MEASURE_FIELDS,
    MEASURE_STATUSES,
    EditState,
)
from monitor.formatting import fmt_date, fmt_number, fmt_value, unit_suffix
from monitor.i18n import t
from monitor.methods.progress import (
    assess_progress,
    path_progress,
    weather_symbol,
)
from monitor.views.charts import base_layout
from monitor.views.deck import (
    CompactDeck,
    fit_view,
    map_style,
    outline_paths,
    polygon_records,
)
from monitor.views.palettes import HIGHLIGHT, NEUTRAL

__all__ = [
    "CATEGORY_COLORS",
    "STATUS_RGB",
    "PATH_COLORS",
    "current_goals",
    "current_measures",
    "all_reports",
    "goal_series",
    "goal_overview",
    "overview_html",
    "weather_svg",
    "category_badge",
    "goal_chart",
    "filter_goals",
    "filter_measures",
    "status_counts",
    "group_names",
    "catalogue_table",
    "timeline_figure",
    "path_rows",
    "path_bars",
    "measure_path_chart",
    "measures_deck",
    "area_points",
    "history_table",
    "fmt_rate",
    "fmt_ratio",
    "fmt_when",
    "reports_table",
]

BERLIN = ZoneInfo("Europe/Berlin")

#: Colours of the Open SDG categories (green to red; text label always next to it).
CATEGORY_COLORS = {
    "target_achieved": ("#0f5c2e", "#ffffff"),
    "on_track": ("#237a4b", "#ffffff"),
    "acceleration_needed": ("#f2c230", "#1b1b1b"),
    "limited_progress": ("#e07b1a", "#1b1b1b"),
    "deterioration": ("#b8322a", "#ffffff"),
    "not_assessable": ("#d5d9de", "#1b1b1b"),
}
#: Colours of the measure statuses (Okabe-Ito based, colour-blind safe).
STATUS_RGB = {
    "planned": [153, 153, 153],
    "in_progress": [0, 114, 178],
    "completed": [0, 158, 115],
    "delayed": [230, 159, 0],
    "stopped": [120, 40, 40],
}
#: Colours of the Soll-Pfad statuses.
PATH_COLORS = {
    "achieved": "#009e73",
    "ahead": "#56b4e9",
    "on_path": "#0072b2",
    "behind": "#e69f00",
    "not_started": "#999999",
}

# ----------------------------------------------------------------------- helpers


def _day(value) -> date | None:
    """A date from a Timestamp, datetime, ISO string or date; None for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _num(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _ids(value) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)


def fmt_rate(rate: float | None, lang: str, *, per_year: bool = True) -> str:
    """A growth rate per year: -0.0248 -> '−2,5 % p. a.'."""
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return "–"
    sign = "+" if rate > 0 else ("−" if rate < 0 else "±")
    suffix = "\u202f%" if lang == "de" else "%"
    if per_year:
        suffix += " p.\u202fa." if lang == "de" else " p.a."
    return f"{sign}{fmt_number(abs(rate) * 100, lang, 1)}{suffix}"


def fmt_ratio(ratio: float | None, lang: str) -> str:
    """The ratio R of actual to required rate as a percentage ('–' if none)."""
    number = _num(ratio)
    if number is None:
        return "–"
    text = fmt_number(number * 100, lang, 0).replace("-", "−")
    return text + ("\u202f%" if lang == "de" else "%")


def fmt_when(stamp: str, lang: str) -> str:
    """An ISO time stamp (UTC) as local date and time: '25.11.2026, 14:03'."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone(BERLIN)
    except ValueError:
        return stamp
    return f"{fmt_date(moment.date(), lang)}, {moment:%H:%M}"


def _value_text(value, unit: str | None, lang: str) -> str:
    number = _num(value)
    if number is None:
        return "–"
    decimals = 0 if float(number).is_integer() else 1
    return f"{fmt_number(number, lang, decimals)} {unit or ''}".strip()


# ------------------------------------------------------------- current state


def current_goals(goals: pd.DataFrame, state: EditState) -> pd.DataFrame:
    """Published goals with the admins' edits applied (new goals appended)."""
    df = goals.copy()
    for column in ("target_year", "baseline_year"):
        df[column] = df[column].astype("object")
    df = df.astype(dict.fromkeys(df.columns, "object"))
    rows = {r.goal_id: r._asdict() for r in df.itertuples(index=False)}
    for goal_id, fields in state.goals.items():
        row = rows.get(goal_id)
        if row is None:
            if not all(fields.get(k) is not None for k in ("title", "indicator_id")):
                continue
            row = dict.fromkeys(df.columns) | {"goal_id": goal_id}
            rows[goal_id] = row
        row.update({k: v for k, v in fields.items() if k in GOAL_FIELDS})
    out = pd.DataFrame(list(rows.values()), columns=list(goals.columns))
    for column in ("baseline_value", "target_value"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in ("baseline_year", "target_year"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    return out.sort_values("goal_id").reset_index(drop=True)


def current_measures(measures: pd.DataFrame, state: EditState) -> pd.DataFrame:
    """Published measures with the effective edits applied.

    Dates become ``datetime.date``; list columns become tuples; ``edited`` is True
    when the log changed the row.
    """
    rows = {}
    for record in measures.to_dict("records"):
        rows[record["measure_id"]] = record
    for measure_id, fields in state.measures.items():
        row = rows.get(measure_id)
        if row is None:
            if not fields.get("title"):
                continue
            row = dict.fromkeys(measures.columns) | {
                "measure_id": measure_id,
                "goal_ids": (),
                "outcome_indicator_ids": (),
                "status": "planned",
            }
            rows[measure_id] = row
        row.update({k: v for k, v in fields.items() if k in MEASURE_FIELDS})
    for measure_id, status in state.status.items():
        if measure_id in rows:
            rows[measure_id]["status"] = status
    out = pd.DataFrame(list(rows.values()), columns=list(measures.columns))
    for column in ("start", "end", "baseline_date", "target_date"):
        out[column] = [_day(v) for v in out[column]]
    for column in ("goal_ids", "outcome_indicator_ids"):
        out[column] = [_ids(v) for v in out[column]]
    for column in ("budget_eur", "baseline_value", "target_value", "lon", "lat"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["edited"] = out.measure_id.isin(set(state.measures) | set(state.status))
    out["quantified"] = (
        out.target_value.notna()
        & out.baseline_value.notna()
        & out.baseline_date.notna()
        & out.target_date.notna()
        & (out.target_value != out.baseline_value)
    )
    out.loc[~out.status.isin(MEASURE_STATUSES), "status"] = "planned"
    return out.sort_values("measure_id").reset_index(drop=True)


REPORT_COLUMNS = [
    "measure_id",
    "report_date",
    "value",
    "status",
    "comment",
    "reported_by",
    "source",
    "entry_id",
    "seq",
    "at",
]


def all_reports(reports: pd.DataFrame, state: EditState) -> pd.DataFrame:
    """Published reports and the effective reports from the log, by date."""
    rows = [
        {
            "measure_id": r["measure_id"],
            "report_date": _day(r["report_date"]),
            "value": _num(r["value"]),
            "status": None if pd.isna(r["status"]) else r["status"],
            "comment": "" if pd.isna(r["comment"]) else r["comment"],
            "reported_by": r["reported_by"],
            "source": "published",
            "entry_id": "",
            "seq": 0,
            "at": "",
        }
        for r in reports.to_dict("records")
    ]
    for e in state.reports:
        rows.append(
            {
                "measure_id": e.target,
                "report_date": _day(e.data.get("date")),
                "value": _num(e.data.get("value")),
                "status": e.data.get("status"),
                "comment": e.data.get("comment") or "",
                "reported_by": e.who,
                "source": "app",
                "entry_id": e.entry_id,
                "seq": e.seq,
                "at": e.at,
            }
        )
    df = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    if df.empty:
        return df
    return df.sort_values(["measure_id", "report_date", "seq"]).reset_index(drop=True)


# -------------------------------------------------------------------- goals


def goal_series(values: pd.DataFrame, goal: Mapping) -> pd.DataFrame:
    """The indicator series (year, value) of a goal's area; the goal's baseline is
    added when the data lack the base year."""
    mask = (values.area_id == goal["area_id"]) & (
        values.indicator_id == goal["indicator_id"]
    )
    series = values.loc[mask & values.value.notna(), ["year", "value"]]
    series = series.astype({"year": "int64", "value": "float64"})
    base_year = goal.get("baseline_year")
    base_value = _num(goal.get("baseline_value"))
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
    target_value = _num(goal.get("target_value"))
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


def goal_overview(
    goals: pd.DataFrame, values: pd.DataFrame, catalog, lang: str
) -> pd.DataFrame:
    """One row per goal with the verdicts and the numbers behind them."""
    rows = []
    for goal in goals.to_dict("records"):
        series = goal_series(values, goal)
        known = goal["indicator_id"] in catalog
        ind = catalog[goal["indicator_id"]] if known else None
        result, weather = _assess(goal, series, ind.direction if ind else "")
        latest = series.iloc[-1] if len(series) else None
        rows.append(
            {
                "goal_id": goal["goal_id"],
                "title": goal["title"],
                "working_group": goal["working_group"],
                "working_group_name": goal.get("working_group_name")
                or goal["working_group"],
                "handlungsfeld": goal["handlungsfeld"],
                "area_id": goal["area_id"],
                "indicator_id": goal["indicator_id"],
                "indicator": ind.text("name", lang) if ind else goal["indicator_id"],
                "unit": ind.unit if ind else "count",
                "direction": goal.get("direction") or (ind.direction if ind else ""),
                "baseline_year": result.base_year if result else goal["baseline_year"],
                "baseline_value": result.base_value
                if result and result.base_value is not None
                else _num(goal["baseline_value"]),
                "latest_year": int(latest.year) if latest is not None else None,
                "latest_value": float(latest.value) if latest is not None else None,
                "target_year": goal["target_year"],
                "target_value": _num(goal["target_value"]),
                "cagr_required": result.cagr_required if result else None,
                "cagr_observed": result.cagr_observed if result else None,
                "ratio": result.ratio if result else None,
                "score": result.score if result else None,
                "category": result.category if result else "not_assessable",
                "method": result.method
                if result
                else (
                    "cagr_target"
                    if _num(goal["target_value"]) is not None
                    else "cagr_direction"
                ),
                "notes": result.notes if result else ("direction_context",),
                "symbol": weather.symbol if weather else "not_assessable",
                "weather_variant": weather.variant if weather else None,
                "weather_notes": weather.notes if weather else (),
                "extrapolated_value": weather.extrapolated_value if weather else None,
                "mean_change": weather.mean_change if weather else None,
                "miss_share": weather.miss_share if weather else None,
                "n_points": len(series),
            }
        )
    out = pd.DataFrame(rows)
    for column in ("baseline_year", "latest_year", "target_year"):
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


_WEATHER_PATHS = {
    "sun": (
        "<circle cx='16' cy='16' r='7' fill='#f2b705' stroke='#b07d00'/>"
        "<g stroke='#d99a00' stroke-width='2.2' stroke-linecap='round'>"
        "<line x1='16' y1='2' x2='16' y2='6'/><line x1='16' y1='26' x2='16' y2='30'/>"
        "<line x1='2' y1='16' x2='6' y2='16'/><line x1='26' y1='16' x2='30' y2='16'/>"
        "<line x1='6' y1='6' x2='8.8' y2='8.8'/><line x1='23.2' y1='23.2' x2='26' "
        "y2='26'/><line x1='6' y1='26' x2='8.8' y2='23.2'/><line x1='23.2' y1='8.8' "
        "x2='26' y2='6'/></g>"
    ),
    "sun_cloud": (
        "<circle cx='12' cy='12' r='6' fill='#f2b705' stroke='#b07d00'/>"
        "<g stroke='#d99a00' stroke-width='2' stroke-linecap='round'>"
        "<line x1='12' y1='1.5' x2='12' y2='4'/><line x1='1.5' y1='12' x2='4' "
        "y2='12'/><line x1='4.5' y1='4.5' x2='6.3' y2='6.3'/><line x1='19.5' "
        "y1='4.5' x2='17.7' y2='6.3'/></g>"
        "<path d='M10 27h15a5 5 0 0 0 0-10 7 7 0 0 0-13 2 4 4 0 0 0-2 8z' "
        "fill='#e9edf2' stroke='#6b7785' stroke-width='1.5'/>"
    ),
    "cloud": (
        "<path d='M7 25h18a6 6 0 0 0 0-12 8 8 0 0 0-15 2 5 5 0 0 0-3 10z' "
        "fill='#c9d0d8' stroke='#5f6b7a' stroke-width='1.5'/>"
    ),
    "thunderstorm": (
        "<path d='M7 20h18a6 6 0 0 0 0-12 8 8 0 0 0-15 2 5 5 0 0 0-3 10z' "
        "fill='#5f6b7a' stroke='#333c47' stroke-width='1.5'/>"
        "<path d='M17 18l-5 8h4l-2 6 7-9h-4l2-5z' fill='#f2b705' stroke='#9a6b00' "
        "stroke-width='0.8'/>"
    ),
}


def weather_svg(symbol: str, label: str, size: int = 30) -> str:
    """An inline SVG weather symbol (no emoji font needed) with its label."""
    if symbol not in _WEATHER_PATHS:
        return f"<span class='qm-wx-none'>–</span> <span>{escape(label)}</span>"
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='32' height='32' "
        f"viewBox='0 0 32 32'>{_WEATHER_PATHS[symbol]}</svg>"
    )
    # st.html sanitises inline SVG away; an <img> with a data URI survives
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return (
        f"<img class='qm-wx' src='{source}' width='{size}' height='{size}' "
        f"alt='{escape(label, quote=True)}' title='{escape(label, quote=True)}'>"
        f"<span class='qm-wx-label'>{escape(label)}</span>"
    )


def category_badge(category: str, label: str) -> str:
    bg, fg = CATEGORY_COLORS.get(category, CATEGORY_COLORS["not_assessable"])
    return (
        f"<span class='qm-badge' style='background:{bg};color:{fg}'>"
        f"{escape(label)}</span>"
    )


_TABLE_CSS = (
    "<style>"
    ".qm-goals{border-collapse:collapse;width:100%;font-size:.9rem;line-height:1.35}"
    ".qm-goals th{text-align:left;font-weight:600;border-bottom:2px solid #5f6b7a;"
    "padding:.3rem .4rem;vertical-align:bottom}"
    ".qm-goals td{border-bottom:1px solid #dde1e6;padding:.35rem .4rem;"
    "vertical-align:top}"
    ".qm-goals td.num{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}"
    ".qm-goals .sub{color:#555;font-size:.85rem}"
    ".qm-badge{display:inline-block;border-radius:.8rem;padding:.1rem .6rem;"
    "font-size:.85rem;font-weight:600;white-space:nowrap}"
    ".qm-wx{vertical-align:middle;margin-right:.3rem}"
    ".qm-wx-label{font-size:.85rem;vertical-align:middle}"
    ".qm-goals-wrap{overflow-x:auto}"
    "</style>"
)


def overview_html(
    overview: pd.DataFrame, area_names: Mapping[str, str], lang: str
) -> str:
    """The status board of goals as an HTML table (every text escaped)."""
    head = [
        t("ziele.col_status", lang),
        t("ziele.col_goal", lang),
        t("ziele.col_baseline", lang),
        t("ziele.col_latest", lang),
        t("ziele.col_target", lang),
        t("ziele.col_rates", lang),
        t("ziele.col_ratio", lang),
        t("ziele.col_weather", lang),
    ]
    body = []
    for r in overview.to_dict("records"):
        unit = r["unit"]

        def val(value, year, unit=unit):
            if _num(value) is None:
                return "–"
            when = "" if year is None or pd.isna(year) else str(int(year))
            return (
                f"{escape(fmt_value(value, unit, lang))}"
                f"<br><span class='sub'>{when}</span>"
            )

        if _num(r["target_value"]) is not None:
            target = val(r["target_value"], r["target_year"])
        else:
            target = escape(t(f"ziele.direction_only_{r['direction']}", lang))
        ratio = fmt_ratio(r["ratio"], lang)
        rates = (
            f"{escape(t('ziele.rate_required_short', lang))} "
            f"{escape(fmt_rate(r['cagr_required'], lang, per_year=False))}<br>"
            f"{escape(t('ziele.rate_observed_short', lang))} "
            f"{escape(fmt_rate(r['cagr_observed'], lang, per_year=False))}"
        )
        field = t(f"progress.field.{r['handlungsfeld']}", lang)
        cells = [
            category_badge(
                r["category"], t(f"progress.category.{r['category']}", lang)
            ),
            f"<strong>{escape(r['title'])}</strong> "
            f"<span class='sub'>({escape(r['goal_id'])})</span><br>"
            f"{escape(r['indicator'])} · "
            f"{escape(area_names.get(r['area_id'], r['area_id']))}<br>"
            f"<span class='sub'>{escape(r['working_group_name'])} · "
            f"{escape(field)}</span>",
            f"<td class='num'>{val(r['baseline_value'], r['baseline_year'])}</td>",
            f"<td class='num'>{val(r['latest_value'], r['latest_year'])}</td>",
            f"<td class='num'>{target}</td>",
            f"<td class='num'>{rates}</td>",
            f"<td class='num'>{escape(ratio)}</td>",
            weather_svg(r["symbol"], t(f"progress.weather.{r['symbol']}", lang), 26),
        ]
        tds = "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells)
        body.append(f"<tr>{tds}</tr>")
    ths = "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
    return (
        f"{_TABLE_CSS}<div class='qm-goals-wrap'><table class='qm-goals'>"
        f"<caption style='caption-side:bottom;text-align:left;color:#555'>"
        f"{escape(t('ziele.table_caption', lang))}</caption>"
        f"<thead><tr>{ths}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
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
    of the last five years to the target year (what the DNS weather symbol
    compares with the target).
    """
    unit = row["unit"]
    fig = go.Figure()
    texts = [fmt_value(v, unit, lang) for v in series.value]
    fig.add_trace(
        go.Scatter(
            x=series.year,
            y=series.value,
            name=t("ziele.chart_observed", lang),
            mode="lines+markers",
            line={"color": NEUTRAL, "width": 3},
            marker={"size": 7},
            text=texts,
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
    target_value, target_year = row["target_value"], row["target_year"]
    has_target = (
        target_value is not None
        and not pd.isna(target_value)
        and target_year is not None
        and not pd.isna(target_year)
    )
    if has_target:
        rate = row.get("cagr_required")
        if rate is not None and base_value:
            years = np.arange(int(base_year), int(target_year) + 1)
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
                x=[int(target_year)],
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
                    x=[latest_year, int(target_year)],
                    y=[row["latest_value"], extrapolated],
                    name=t("ziele.chart_trend", lang),
                    mode="lines",
                    line={"color": "#7f8fa3", "width": 2, "dash": "dot"},
                    hoverinfo="skip",
                )
            )
    base_layout(fig, lang, height, scale)
    fig.update_layout(
        title={"text": title, "font": {"size": round(17 * scale)}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        margin={"l": 10, "r": 20, "t": 50, "b": 10},
    )
    fig.update_xaxes(showgrid=False, dtick=2)
    fig.update_yaxes(
        gridcolor="#e5e8ec", ticksuffix=unit_suffix(unit, lang), rangemode="tozero"
    )
    return fig


# ------------------------------------------------------------------ measures


def filter_measures(
    measures: pd.DataFrame,
    *,
    group: str = "alle",
    field: str = "alle",
    status: str = "alle",
    responsible: str = "alle",
    query: str = "",
) -> pd.DataFrame:
    """Measures matching the filters; ``query`` is a plain substring (no regex)
    searched in id, title, output and lead."""
    mask = pd.Series(True, index=measures.index)
    if group != "alle":
        mask &= measures.working_group == group
    if field != "alle":
        mask &= measures.handlungsfeld == field
    if status != "alle":
        mask &= measures.status == status
    if responsible != "alle":
        mask &= measures.responsible == responsible
    query = query.strip().casefold()
    if query:
        text = (
            measures.measure_id.fillna("")
            + " "
            + measures.title.fillna("")
            + " "
            + measures.output_indicator.fillna("")
            + " "
            + measures.lead.fillna("")
        ).str.casefold()
        mask &= text.str.contains(query, regex=False)
    return measures[mask]


def group_names(goals: pd.DataFrame, measures: pd.DataFrame) -> dict[str, str]:
    """Working group id -> name (names come with the goals; else the id)."""
    named = goals.drop_duplicates("working_group")
    names = dict(zip(named.working_group, named.working_group_name, strict=True))
    for group in measures.working_group.dropna().unique():
        names.setdefault(group, group)
    return {k: str(v) for k, v in sorted(names.items()) if isinstance(k, str)}


def status_counts(measures: pd.DataFrame) -> dict[str, int]:
    counts = measures.status.value_counts()
    return {s: int(counts.get(s, 0)) for s in MEASURE_STATUSES}


def _latest(reports: pd.DataFrame) -> pd.DataFrame:
    with_value = reports[reports.value.notna()]
    return with_value.groupby("measure_id", sort=False).tail(1).set_index("measure_id")


def catalogue_table(
    measures: pd.DataFrame, reports: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """The catalogue for display (German formats, translated vocabularies)."""
    latest = _latest(reports) if len(reports) else pd.DataFrame()
    output = []
    for m in measures.itertuples():
        if not m.quantified:
            output.append("–")
            continue
        now = latest.value.get(m.measure_id) if len(latest) else None
        now = m.baseline_value if now is None else now
        target = _value_text(m.target_value, m.output_unit, lang)
        output.append(f"{_value_text(now, None, lang)} / {target}")
    return pd.DataFrame(
        {
            t("massnahmen.col_id", lang): measures.measure_id,
            t("massnahmen.col_title", lang): measures.title,
            t("massnahmen.col_field", lang): [
                t(f"progress.field.{f}", lang) for f in measures.handlungsfeld
            ],
            t("massnahmen.col_responsible", lang): [
                t(f"progress.responsible.{r}", lang) for r in measures.responsible
            ],
            t("massnahmen.col_period", lang): [
                f"{s.year if s else '–'}–{e.year if e else '–'}"
                for s, e in zip(measures.start, measures.end, strict=True)
            ],
            t("massnahmen.col_status", lang): [
                t(f"progress.status.{s}", lang) for s in measures.status
            ],
            t("massnahmen.col_budget", lang): [
                "–" if pd.isna(b) else fmt_number(b, lang, 0) + " €"
                for b in measures.budget_eur
            ],
            t("massnahmen.col_output", lang): output,
        }
    )


def _short(text: str, n: int = 48) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def timeline_figure(
    measures: pd.DataFrame, *, lang: str, today: date, scale: float = 1.0
) -> go.Figure:
    """Gantt-like bars of the measures' periods, coloured by status."""
    df = measures[measures.start.notna() & measures.end.notna()].copy()
    order = {f: i for i, f in enumerate(HANDLUNGSFELDER)}
    df["_order"] = df.handlungsfeld.map(order).fillna(len(order))
    df = df.sort_values(["_order", "start", "measure_id"], ascending=[True, True, True])
    df["label"] = [
        f"{m} · {_short(title)}"
        for m, title in zip(df.measure_id, df.title, strict=True)
    ]
    fig = go.Figure()
    for status in MEASURE_STATUSES:
        part = df[df.status == status]
        if part.empty:
            continue
        starts = [pd.Timestamp(s) for s in part.start]
        ends = [pd.Timestamp(e) + pd.Timedelta(days=1) for e in part.end]
        fig.add_trace(
            go.Bar(
                y=part.label,
                x=[
                    (e - s).total_seconds() * 1000
                    for s, e in zip(starts, ends, strict=True)
                ],
                base=[s.isoformat() for s in starts],
                orientation="h",
                name=t(f"progress.status.{status}", lang),
                marker_color="rgb({},{},{})".format(*STATUS_RGB[status]),
                customdata=[
                    [
                        fmt_date(s, lang),
                        fmt_date(e, lang),
                        t(f"progress.field.{f}", lang),
                    ]
                    for s, e, f in zip(
                        part.start, part.end, part.handlungsfeld, strict=True
                    )
                ],
                hovertemplate="%{y}<br>%{customdata[0]} – %{customdata[1]}"
                "<br>%{customdata[2]}<extra></extra>",
            )
        )
    base_layout(fig, lang, max(260, 19 * len(df) + 110), scale)
    fig.update_layout(
        barmode="overlay",
        bargap=0.25,
        margin={"l": 10, "r": 20, "t": 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    fig.update_xaxes(type="date", tickformat="%Y", dtick="M12", gridcolor="#e5e8ec")
    categories = list(df.label)[::-1]  # plotly puts the first category at the bottom
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=categories,
        automargin=True,
        tickfont={"size": round(12 * scale)},
    )
    # the Handlungsfeld of each block, written into the plot above its first row
    position = {label: i for i, label in enumerate(categories)}
    for field, group in df.groupby("handlungsfeld", sort=False):
        top = position[group.label.iloc[0]]
        fig.add_annotation(
            x=1,
            xref="paper",
            xanchor="right",
            y=top + 0.5,
            yanchor="bottom",
            text=f"<b>{escape(t(f'progress.field.{field}', lang))}</b>",
            showarrow=False,
            font={"size": round(13 * scale), "color": "#333c47"},
        )
        if top < len(categories) - 1:
            fig.add_hline(y=top + 0.5, line={"color": "#9aa3ad", "width": 1})
    fig.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000,
        line={"color": "#1b1b1b", "width": 1.5, "dash": "dot"},
        annotation_text=t("massnahmen.today", lang),
        annotation_position="bottom right",
    )
    return fig


def path_rows(measures: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Soll-Pfad comparison of the latest reported value of each quantified
    measure (:func:`monitor.methods.progress.path_progress`)."""
    latest = _latest(reports) if len(reports) else pd.DataFrame()
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


def path_bars(rows: pd.DataFrame, *, lang: str, scale: float = 1.0) -> go.Figure:
    """Share of the planned output delivered (bar) against the share the Soll-Pfad
    expects at the date of the latest report (black tick)."""
    rows = rows.sort_values(["share_of_target", "measure_id"]).reset_index(drop=True)
    labels = [
        f"{m} · {_short(title, 40)}"
        for m, title in zip(rows.measure_id, rows.title, strict=True)
    ]
    texts = [
        t(
            "massnahmen.path_text",
            lang,
            actual=_value_text(r.actual, None, lang),
            target=_value_text(r.target_value, r.unit, lang),
            expected=_value_text(round(r.expected), None, lang),
        )
        for r in rows.itertuples()
    ]
    fig = go.Figure()
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
                _value_text(measure["baseline_value"], unit, lang),
                _value_text(measure["target_value"], unit, lang),
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
                text=[_value_text(v, unit, lang) for v in part.value],
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


def area_points(frames) -> dict[str, tuple[float, float]]:
    """A point inside every area of the given GeoDataFrames (for area-wide
    measures on the map)."""
    points = {}
    for frame in frames:
        for area_id, geom in zip(frame.area_id, frame.geometry, strict=True):
            point = geom.representative_point()
            points[area_id] = (point.x, point.y)
    return points


def measures_deck(
    measures: pd.DataFrame,
    *,
    area_points: Mapping[str, tuple[float, float]],
    quarters,
    focus_geom,
    basemap: str,
    lang: str,
    height: int = 520,
) -> tuple[pdk.Deck, int, int]:
    """Located measures: points (filled) and whole areas (rings at the area's
    centre, spread in a small circle), the quarter borders and the
    Perspektivquartier. Returns the deck and the numbers of points and rings."""
    points, rings = [], []
    ring_counts: dict[str, int] = {}
    for m in measures.itertuples():
        tip = (
            f"{m.measure_id} · {t(f'progress.status.{m.status}', lang)}\n"
            f"{t(f'progress.field.{m.handlungsfeld}', lang)}"
        )
        record = {
            "title": m.title,
            "tip": tip,
            "fill": STATUS_RGB.get(m.status, [90, 90, 90]) + [230],
        }
        if not pd.isna(m.lon) and not pd.isna(m.lat):
            points.append(record | {"position": [round(m.lon, 5), round(m.lat, 5)]})
        elif m.area_id in area_points:
            lon, lat = area_points[m.area_id]
            k = ring_counts.get(m.area_id, 0)
            ring_counts[m.area_id] = k + 1
            angle = k * 2.4  # golden-angle spiral keeps rings apart
            radius = 0.0009 * math.sqrt(k)
            position = [
                round(lon + radius * math.cos(angle) * 1.5, 5),
                round(lat + radius * math.sin(angle), 5),
            ]
            area_tip = t("massnahmen.map_area_tip", lang)
            rings.append(record | {"position": position, "tip": f"{tip}\n{area_tip}"})
    layers = [
        pdk.Layer(
            "PolygonLayer",
            data=polygon_records(
                quarters, [[0, 0, 0, 0]] * len(quarters), [{}] * len(quarters)
            ),
            id="quarters",
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=[120, 130, 140, 200],
            get_line_width=0,
            line_width_min_pixels=0.8,
            stroked=True,
            filled=True,
            pickable=False,
        ),
        pdk.Layer(
            "PathLayer",
            data=outline_paths(focus_geom) if focus_geom is not None else [],
            id="focus-outline",
            get_path="path",
            get_color=[0, 0, 0],
            get_width=0,
            width_min_pixels=3.5,
            pickable=False,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=rings,
            id="measures-areas",
            get_position="position",
            get_fill_color=[255, 255, 255, 200],
            get_line_color="fill",
            get_radius=1,
            radius_min_pixels=8,
            line_width_min_pixels=3,
            stroked=True,
            filled=True,
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=points,
            id="measures-points",
            get_position="position",
            get_fill_color="fill",
            get_line_color=[255, 255, 255],
            get_radius=1,
            radius_min_pixels=7,
            line_width_min_pixels=1.5,
            stroked=True,
            filled=True,
            pickable=True,
        ),
    ]
    xs = [p["position"][0] for p in points + rings]
    ys = [p["position"][1] for p in points + rings]
    fx0, fy0, fx1, fy1 = (
        focus_geom.bounds
        if focus_geom is not None
        else (
            min(xs, default=0),
            min(ys, default=0),
            max(xs, default=0),
            max(ys, default=0),
        )
    )
    bounds = (
        min([*xs, fx0]) - 0.002,
        min([*ys, fy0]) - 0.0015,
        max([*xs, fx1]) + 0.002,
        max([*ys, fy1]) + 0.0015,
    )
    view = fit_view(bounds, 720, height - 60, padding=0.15)
    view.zoom = round(view.zoom - 0.4, 2)  # room for markers at the edges
    deck = CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider="carto" if basemap == "carto" else None,
        map_style=map_style(basemap),
        tooltip={
            "text": "{title}\n{tip}",
            "style": {
                "fontSize": "15px",
                "backgroundColor": "#1b1b1b",
                "color": "white",
            },
        },
        height=height,
    )
    return deck, len(points), len(rings)


# ------------------------------------------------------------------- history


def _what(entry, lang: str, unit: str | None) -> str:
    data = entry.data
    if entry.kind == "progress":
        parts = [fmt_date(_day(data.get("date")), lang)]
        if data.get("value") is not None:
            parts.append(_value_text(data.get("value"), unit, lang))
        if data.get("status"):
            parts.append(t(f"progress.status.{data['status']}", lang))
        return t("massnahmen.hist_progress", lang, what=" · ".join(parts))
    if entry.kind == "status":
        return t(
            "massnahmen.hist_status",
            lang,
            status=t(f"progress.status.{data.get('status')}", lang),
        )
    if entry.kind in ("measure", "goal"):
        return t("massnahmen.hist_fields", lang, fields=", ".join(sorted(data)))
    if entry.kind == "role":
        return t(
            "massnahmen.hist_role", lang, role=t(f"auth.role_{data.get('role')}", lang)
        )
    if entry.kind == "revert":
        prev = entry.previous
        return t("massnahmen.hist_revert", lang, seq=prev.get("seq", "?"))
    return entry.kind


def _before(entry, lang: str, unit: str | None) -> str:
    prev = entry.previous
    if not prev:
        return "–"
    if entry.kind == "progress":
        parts = []
        if prev.get("date"):
            parts.append(fmt_date(_day(prev["date"]), lang))
        if prev.get("value") is not None:
            parts.append(_value_text(prev["value"], unit, lang))
        if prev.get("status"):
            parts.append(t(f"progress.status.{prev['status']}", lang))
        return " · ".join(parts) or "–"
    if entry.kind == "status":
        status = prev.get("status")
        return t(f"progress.status.{status}", lang) if status else "–"
    if entry.kind == "role":
        role = prev.get("role")
        return t(f"auth.role_{role}", lang) if role else "–"
    if entry.kind == "revert":
        return t(f"massnahmen.kind_{prev.get('kind', 'progress')}", lang)
    return "; ".join(f"{k}: {'–' if v is None else v}" for k, v in sorted(prev.items()))


def history_table(
    entries: Sequence, state: EditState, *, lang: str, unit: str | None
) -> pd.DataFrame:
    """The audit trail of one measure or goal: who, when, what, previous value."""
    rows = []
    for e in reversed(list(entries)):
        reverted = e.entry_id in state.reverted_by
        rows.append(
            {
                t("massnahmen.hist_no", lang): e.seq,
                t("massnahmen.hist_when", lang): fmt_when(e.at, lang),
                t("massnahmen.hist_who", lang): e.who,
                t("massnahmen.hist_what", lang): _what(e, lang, unit),
                t("massnahmen.hist_before", lang): _before(e, lang, unit),
                t("massnahmen.hist_comment", lang): str(e.data.get("comment") or ""),
                t("massnahmen.hist_state", lang): t(
                    "massnahmen.hist_reverted"
                    if reverted
                    else "massnahmen.hist_active",
                    lang,
                ),
            }
        )
    return pd.DataFrame(rows)


def reports_table(reports: pd.DataFrame, unit: str | None, lang: str) -> pd.DataFrame:
    """Progress reports of one measure, newest first: published ones and those
    recorded in the app (with their entry number)."""
    rows = []
    for r in reports.iloc[::-1].itertuples():
        rows.append(
            {
                t("massnahmen.rep_date", lang): fmt_date(r.report_date, lang)
                if r.report_date
                else "–",
                t("massnahmen.rep_value", lang): _value_text(r.value, unit, lang),
                t("massnahmen.rep_status", lang): t(f"progress.status.{r.status}", lang)
                if r.status
                else "–",
                t("massnahmen.rep_comment", lang): r.comment,
                t("massnahmen.rep_who", lang): r.reported_by,
                t("massnahmen.rep_source", lang): t(
                    "massnahmen.source_published"
                    if r.source == "published"
                    else "massnahmen.source_app",
                    lang,
                    seq=r.seq,
                ),
            }
        )
    columns = [
        t(f"massnahmen.rep_{c}", lang)
        for c in ("date", "value", "status", "comment", "who", "source")
    ]
    return pd.DataFrame(rows, columns=columns)
