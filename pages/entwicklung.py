"""Entwicklung: time series of indicators for chosen areas against the city and
the benchmarks (values or index, first year = 100), data breaks marked, and the
change between two years as a ranked bar chart; CSV, XLSX and PNG."""

import streamlit as st

from monitor.areas import RANK_LEVELS, area_labels
from monitor.formatting import plain
from monitor.ui import data, layout, widgets
from monitor.ui.downloads import Download, Table, download_row, table_files
from monitor.ui.state import current_view, extra, lang, tr, update_extra, update_view
from monitor.views import comparison, exports, trends
from monitor.viewstate import MAX_AREAS, ids_param, safe_excerpt

MAX_INDICATORS = 6

store, ctx, view = layout.start_page("entwicklung.title", needs=("benchmarks",))
catalog = store.catalog
meta = store.meta
place = store.place

# -- areas and indicators from the link ------------------------------------------------
areas = data.areas(store)
names = areas.set_index("area_id").name.astype(str)
labels = area_labels(areas, lang())
chosen = widgets.linked_areas(areas, labels, ctx, view, 1)
indicators = widgets.linked_indicators(catalog, [view.indicator], MAX_INDICATORS)
if view.indicator not in indicators:
    update_view(indicator=indicators[0])
raw_scale = extra("skala", None, "wert")
if raw_scale not in ("wert", "index"):
    st.warning(
        tr("entwicklung.scale_invalid", value=safe_excerpt(raw_scale)),
        icon=":material/link_off:",
    )
    update_extra("skala", None)
if view.level not in RANK_LEVELS:
    update_view(level="quartier")
view = current_view(ctx)


def _indicators_changed():
    picked = st.session_state["w_entw_indikatoren"] or [view.indicator]
    update_extra("indikatoren", ids_param(picked, [view.indicator]))
    if view.indicator not in picked:
        update_view(indicator=picked[0])


with layout.controls(view):
    cols = st.columns([2.3, 2.3, 1.4])
    with cols[0]:
        widgets.areas_multiselect(
            areas, labels, key="w_entw_gebiete", max_selections=MAX_AREAS
        )
    with cols[1]:
        widgets.indicators_multiselect(
            catalog,
            indicators,
            key="w_entw_indikatoren",
            on_change=_indicators_changed,
            max_selections=MAX_INDICATORS,
        )
    with cols[2]:
        scale_mode = widgets.choice(
            tr("entwicklung.scale"),
            "skala",
            ["wert", "index"],
            {
                "wert": tr("entwicklung.scale_value"),
                "index": tr("entwicklung.scale_index"),
            },
            default="wert",
        )

city = place.city_id
values = data.area_values(store, (*chosen, *([city] if city else [])))
bench = data.benchmark_values(store, tuple(indicators))
colors = comparison.series_colors(chosen, place.focus_ids)
provenance = exports.provenance_text(meta.is_demo, meta.data_date, lang())
page_lang = lang()

# -- time series -----------------------------------------------------------------------
st.subheader(tr("entwicklung.series_title"))
if len(chosen) == 0:
    st.info(tr("entwicklung.pick_area"))
series_frames, series_charts = [], []
legend_slot, legend_parts = st.empty(), []
grid = st.columns(2) if len(indicators) > 1 else [st.container()]
for k, ind_id in enumerate(indicators):
    ind = catalog[ind_id]
    years = list(ctx.indicator_years.get(ind_id, ()))
    series = trends.trend_series(
        values=values,
        bench=bench,
        indicator_id=ind_id,
        area_ids=chosen,
        names=names,
        city=city,
        lang=page_lang,
        benchmarks=place.benchmarks,
    )
    base = years[0] if scale_mode == "index" and years else None
    dropped_series: list[str] = []
    if base is not None:
        series, dropped_series = trends.indexed(series, base)
    events = trends.break_events(ind, years, page_lang)
    fig = trends.trend_figure(
        series,
        ind,
        lang=page_lang,
        colors=colors,
        events=events,
        index_base=base,
        footer=f"{tr('common.source')}: {ind.text('source', page_lang)} · {provenance}",
        footer_chars=140 if len(grid) == 1 else 75,
        scale=layout.chart_scale(view),
    )
    with grid[k % len(grid)]:
        st.plotly_chart(
            fig,
            config={"displaylogo": False, "displayModeBar": False},
            key=f"entw_series_{ind_id}",
            alt=tr("entwicklung.series_alt", indicator=ind.text("name", page_lang)),
        )
        notes = [
            f"{trends.MARKS[i % len(trends.MARKS)]} {year}: {plain(text)}"
            for i, (year, text) in enumerate(events)
        ]
        if notes:
            st.caption("  \n".join(notes))
        if dropped_series:
            st.caption(
                tr(
                    "entwicklung.index_dropped",
                    names=plain(", ".join(dropped_series)),
                    year=base,
                )
            )
    series_frames.append(trends.series_export(series, ind, page_lang, index_base=base))
    png_args = {
        "lang": page_lang,
        "colors": colors,
        "events": events,
        "index_base": base,
        "footer": f"{tr('common.source')}: {ind.text('source', page_lang)}"
        f" · {provenance}",
        "legend": True,
    }
    series_charts.append(
        (ind_id, lambda s=series, i=ind, a=png_args: trends.trend_figure(s, i, **a))
    )
    legend_parts.append(series)
legend_slot.html(trends.series_legend_html(trends.concat_exports(legend_parts), colors))

# -- change between two years, ranked --------------------------------------------------
st.subheader(tr("entwicklung.change_section"))
ind = catalog[view.indicator]
years = list(ctx.indicator_years.get(ind.id, ()))
cols = st.columns([2.2, 1.4, 2.4])
with cols[0]:
    widgets.indicator_select(catalog, key="w_entw_indikator", ids=indicators)
with cols[1]:
    widgets.level_select(RANK_LEVELS, key="w_entw_ebene")
with cols[2]:
    if len(years) > 1:
        span = st.columns(2)
        with span[0]:
            widgets.year_select(
                ctx,
                view,
                field="year_from",
                label_key="entwicklung.year_from",
                key="w_entw_jahr_von",
            )
        with span[1]:
            widgets.year_select(
                ctx, view, label_key="entwicklung.year_to", key="w_entw_jahr"
            )
change_table = None
if len(years) < 2 or view.year_from >= view.year:
    st.info(tr("entwicklung.no_change", indicator=ind.text("name", page_lang)))
else:
    now = data.level_values(store, ind.id, view.year, view.level)
    before = data.level_values(store, ind.id, view.year_from, view.level)
    level_ids = set(now.area_id)
    extra_ids = [a for a in chosen if a not in level_ids] + ([city] if city else [])
    change_table = trends.ranked_changes(
        now,
        before,
        extra_now=trends.area_rows(values, ind.id, view.year, extra_ids, names),
        extra_before=trends.area_rows(values, ind.id, view.year_from, extra_ids, names),
        highlight=chosen,
        city=city,
    )
    change_chart = trends.change_figure(
        change_table,
        ind,
        lang=page_lang,
        year_from=view.year_from,
        year=view.year,
        colors=colors,
        level_label=tr(f"levels.{view.level}"),
        footer=f"{tr('common.source')}: {ind.text('source', page_lang)} · {provenance}",
        scale=layout.chart_scale(view),
    )
    st.plotly_chart(
        change_chart,
        config={"displaylogo": False, "displayModeBar": False},
        key="entw_change",
        alt=tr("entwicklung.change_alt"),
    )
    st.caption(tr("entwicklung.change_caption") + " " + tr("common.suppressed_legend"))
    series_charts.append(("veraenderung", lambda: change_chart))

# -- downloads -------------------------------------------------------------------------
st.subheader(tr("export.title"))
stem = exports.file_stem(
    "entwicklung", *[names.get(a, a) for a in chosen], is_demo=meta.is_demo
)
sources = [catalog[i].text("source", page_lang) for i in indicators]
series_table = Table(
    tr("entwicklung.sheet_series"),
    trends.concat_exports(series_frames),
    f"{stem}_zeitreihen.csv",
    tr("entwicklung.csv_series"),
    "dl_entw_csv_series",
    source="; ".join(dict.fromkeys(sources)),
)
change_table_out = (
    Table(
        tr("entwicklung.sheet_change"),
        trends.change_export(
            change_table, ind, page_lang, year_from=view.year_from, year=view.year
        ),
        f"{stem}_veraenderung.csv",
        tr("entwicklung.csv_change"),
        "dl_entw_csv_change",
        source=ind.text("source", page_lang),
    )
    if change_table is not None
    else None
)
download_row(
    table_files(
        store,
        "dl_entw",
        stem,
        [series_table, change_table_out],
        title=tr("entwicklung.title"),
        indicator_ids=indicators,
        sources=sources,
    )
)
download_row(
    [
        Download(
            tr(
                "export.png",
                name=catalog[chart_id].text("name", page_lang)
                if chart_id in catalog
                else tr("entwicklung.change_short"),
            ),
            lambda make=make_figure: exports.figure_png(make(), width=1200),
            f"{stem}_{chart_id}.png",
            f"dl_entw_png_{chart_id}",
            type="tertiary",
        )
        for chart_id, make_figure in series_charts
    ]
)
st.caption(tr("export.caption", provenance=provenance))
