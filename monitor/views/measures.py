"""The catalogue of measures (Maßnahmen): filters, status counts, the table and the
timeline of their periods, coloured by status."""

from __future__ import annotations

from datetime import date
from html import escape

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
from shapely.geometry import Point

from monitor.formatting import fmt_date, fmt_number
from monitor.i18n import t
from monitor.programme.merge import latest_values
from monitor.programme.vocabulary import HANDLUNGSFELDER, MEASURE_STATUSES
from monitor.views.charts import base_layout
from monitor.views.palettes import MEASURE_STATUS_RGB
from monitor.views.programme_text import short, value_text

__all__ = [
    "catalogue_table",
    "export_frame",
    "map_frame",
    "filter_measures",
    "group_names",
    "status_counts",
    "timeline_figure",
]


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


def catalogue_table(
    measures: pd.DataFrame, reports: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """The catalogue for display (German formats, translated vocabularies)."""
    latest = latest_values(reports)
    output = []
    for m in measures.itertuples():
        if not m.quantified:
            output.append("–")
            continue
        now = latest.value.get(m.measure_id) if len(latest) else None
        now = m.baseline_value if now is None else now
        target = value_text(m.target_value, m.output_unit, lang)
        output.append(f"{value_text(now, None, lang)} / {target}")
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


def _field_headings(
    fig: go.Figure, df: pd.DataFrame, categories: list, lang: str, scale: float
) -> None:
    """The Handlungsfeld of each block, written into the plot above its first row,
    with a line between blocks."""
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


def timeline_figure(
    measures: pd.DataFrame, *, lang: str, today: date, scale: float = 1.0
) -> go.Figure:
    """Gantt-like bars of the measures' periods, coloured by status."""
    df = measures[measures.start.notna() & measures.end.notna()].copy()
    order = {f: i for i, f in enumerate(HANDLUNGSFELDER)}
    df["_order"] = df.handlungsfeld.map(order).fillna(len(order))
    df = df.sort_values(["_order", "start", "measure_id"], ascending=[True, True, True])
    df["label"] = [
        f"{m} · {short(title)}"
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
                marker_color="rgb({},{},{})".format(*MEASURE_STATUS_RGB[status]),
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
    _field_headings(fig, df, categories, lang, scale)
    fig.add_vline(
        x=pd.Timestamp(today).timestamp() * 1000,
        line={"color": "#1b1b1b", "width": 1.5, "dash": "dot"},
        annotation_text=t("massnahmen.today", lang),
        annotation_position="bottom right",
    )
    return fig


def export_frame(
    measures: pd.DataFrame, reports: pd.DataFrame, lang: str
) -> pd.DataFrame:
    """The measures shown with their record fields (CSV and XLSX of the
    Maßnahmen page): dates as ISO text, budgets and outputs as numbers."""
    latest = latest_values(reports)

    def latest_value(measure_id):
        if not len(latest) or measure_id not in latest.index:
            return None
        return float(latest.value[measure_id])

    def day(value):
        return value.isoformat()[:10] if value and not pd.isna(value) else ""

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
            t("massnahmen.col_lead", lang): measures.lead,
            t("massnahmen.col_status", lang): [
                t(f"progress.status.{s}", lang) for s in measures.status
            ],
            t("massnahmen.col_start", lang): [day(v) for v in measures.start],
            t("massnahmen.col_end", lang): [day(v) for v in measures.end],
            t("massnahmen.col_budget_eur", lang): measures.budget_eur,
            t("massnahmen.col_output_indicator", lang): measures.output_indicator,
            t("massnahmen.col_baseline_value", lang): measures.baseline_value,
            t("massnahmen.col_target_value", lang): measures.target_value,
            t("massnahmen.col_latest_value", lang): [
                latest_value(m) for m in measures.measure_id
            ],
            t("massnahmen.col_goals", lang): [", ".join(g) for g in measures.goal_ids],
            t("massnahmen.col_area_id", lang): measures.area_id.fillna(""),
            t("massnahmen.col_lon", lang): measures.lon,
            t("massnahmen.col_lat", lang): measures.lat,
        }
    )


def map_frame(measures: pd.DataFrame, area_points) -> gpd.GeoDataFrame:
    """Located measures as GIS points: their own place, or the point inside
    their area that the map draws as a ring (``located`` says which). ``status``
    is the data status ("ok": nothing here is secret), ``measure_status`` the
    measure's state."""
    rows, points = [], []
    for m in measures.itertuples():
        if not pd.isna(m.lon) and not pd.isna(m.lat):
            xy, located = (float(m.lon), float(m.lat)), "point"
        elif m.area_id in area_points:
            xy, located = area_points[m.area_id], "area"
        else:
            continue
        rows.append(
            {
                "area_id": m.area_id if isinstance(m.area_id, str) else "",
                "measure_id": m.measure_id,
                "name": m.title,
                "status": "ok",
                "measure_status": m.status,
                "handlungsfeld": m.handlungsfeld,
                "located": located,
            }
        )
        points.append(Point(*xy))
    return gpd.GeoDataFrame(rows, geometry=points, crs="EPSG:4326")
