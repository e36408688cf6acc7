"""Entwicklung: time series of indicators for chosen areas against the city and
the benchmarks (values or index, first year = 100), data breaks marked, and the
change between two years as a ranked bar chart; CSV, XLSX and PNG."""

from functools import partial

import streamlit as st

from monitor.areas import RANK_LEVELS, area_labels
from monitor.formatting import plain
from monitor.ui import data, layout, trend_data, widgets
from monitor.ui.downloads import Download, Table, download_row, table_files
from monitor.ui.state import current_view, extra, lang, tr, update_extra, update_view
from monitor.views import exports, trends
from monitor.viewstate import MAX_AREAS, safe_excerpt

MAX_INDICATORS = 6

store, ctx, view = layout.start_page("entwicklung.title", needs=("benchmarks",))
catalog = store.catalog
meta = store.meta

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
            default=[view.indicator],
            follow=view.indicator,
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

chosen = tuple(chosen)
colors = trend_data.series_colors(store, chosen)
provenance = exports.provenance_text(meta.is_demo, meta.data_date, lang())
page_lang = lang()
scale = layout.chart_scale(view)

# -- time series -----------------------------------------------------------------------
st.subheader(tr("entwicklung.series_title"))
if len(chosen) == 0:
    st.info(tr("entwicklung.pick_area"))
legend_slot = st.empty()
grid = st.columns(2) if len(indicators) > 1 else [st.container()]
panels = {}
for k, ind_id in enumerate(indicators):
    panel = trend_data.series_panel(
        store,
        ind_id,
        chosen,
        scale_mode == "index",
        page_lang,
        scale,
        140 if len(grid) == 1 else 75,
    )
    panels[ind_id] = panel
    with grid[k % len(grid)]:
        st.plotly_chart(
            panel.figure,
            config={"displaylogo": False, "displayModeBar": False},
            key=f"entw_series_{ind_id}",
            alt=tr(
                "entwicklung.series_alt",
                indicator=catalog[ind_id].text("name", page_lang),
            ),
        )
        notes = [
            f"{trends.MARKS[i % len(trends.MARKS)]} {year}: {plain(text)}"
            for i, (year, text) in enumerate(panel.events)
        ]
        if notes:
            st.caption("  \n".join(notes))
        if panel.dropped:
            st.caption(
                tr(
                    "entwicklung.index_dropped",
                    names=plain(", ".join(panel.dropped)),
                    year=panel.index_base,
                )
            )
series_charts = [
    (ind_id, partial(trend_data.series_png, store, ind_id, chosen, panel, page_lang))
    for ind_id, panel in panels.items()
]
legend_slot.html(
    trends.series_legend_html(
        trends.concat_exports([p.series for p in panels.values()]), colors
    )
)

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
change = None
if len(years) < 2 or view.year_from >= view.year:
    st.info(tr("entwicklung.no_change", indicator=ind.text("name", page_lang)))
else:
    change = trend_data.change_panel(
        store, ind.id, view.year_from, view.year, view.level, chosen, page_lang, scale
    )
    st.plotly_chart(
        change.figure,
        config={"displaylogo": False, "displayModeBar": False},
        key="entw_change",
        alt=tr("entwicklung.change_alt"),
    )
    st.caption(tr("entwicklung.change_caption") + " " + tr("common.suppressed_legend"))
    series_charts.append(
        ("veraenderung", partial(exports.figure_png, change.figure, width=1200))
    )

# -- downloads -------------------------------------------------------------------------
st.subheader(tr("export.title"))
stem = exports.file_stem(
    "entwicklung", *[names.get(a, a) for a in chosen], is_demo=meta.is_demo
)
sources = [catalog[i].text("source", page_lang) for i in indicators]
series_table = Table(
    tr("entwicklung.sheet_series"),
    trends.concat_exports([p.export for p in panels.values()]),
    f"{stem}_zeitreihen.csv",
    tr("entwicklung.csv_series"),
    "dl_entw_csv_series",
    source="; ".join(dict.fromkeys(sources)),
)
change_table_out = (
    Table(
        tr("entwicklung.sheet_change"),
        change.export,
        f"{stem}_veraenderung.csv",
        tr("entwicklung.csv_change"),
        "dl_entw_csv_change",
        source=ind.text("source", page_lang),
    )
    if change is not None
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
            make_png,
            f"{stem}_{chart_id}.png",
            f"dl_entw_png_{chart_id}",
            type="tertiary",
        )
        for chart_id, make_png in series_charts
    ]
)
st.caption(tr("export.caption", provenance=provenance))
