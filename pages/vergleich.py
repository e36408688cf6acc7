"""Vergleich: two to four areas side by side for chosen indicators, with the city
and the data's benchmarks as reference rows (table and bars); CSV, XLSX and PNG."""

from functools import partial

import streamlit as st

from monitor.areas import area_labels
from monitor.formatting import plain
from monitor.ui import data, layout, widgets
from monitor.ui.downloads import Download, Table, download_row, table_files
from monitor.ui.state import lang, tr
from monitor.views import comparison, exports
from monitor.viewstate import MAX_AREAS

MAX_INDICATORS = 6

store, ctx, view = layout.start_page("vergleich.title", needs=("benchmarks",))
catalog = store.catalog
meta = store.meta
place = store.place

# -- areas and indicators from the link (raster cells and the city are not compared;
#    the city and the benchmarks are reference rows anyway) ----------------------------
areas = data.areas(store)
names = areas.set_index("area_id").name.astype(str)
labels = area_labels(areas, lang())
chosen = widgets.linked_areas(areas, labels, ctx, view, 2)
default_inds = list(place.headline) or catalog.ids[:3]
indicators = widgets.linked_indicators(catalog, default_inds, MAX_INDICATORS)


with layout.controls(view):
    cols = st.columns([2.3, 2.3, 1.4])
    with cols[0]:
        widgets.areas_multiselect(
            areas, labels, key="w_vergleich_gebiete", max_selections=MAX_AREAS
        )
    with cols[1]:
        widgets.indicators_multiselect(
            catalog,
            indicators,
            key="w_indikatoren",
            default=default_inds,
            max_selections=MAX_INDICATORS,
        )
    with cols[2]:
        year = widgets.year_select(ctx, view)
if len(chosen) < 2:
    st.info(tr("vergleich.pick_two"), icon=":material/info:")

# -- data, table and chart -------------------------------------------------------------
city = place.city_id
values = data.area_values(store, (*chosen, *([city] if city else [])))
bench = data.benchmark_values(store, tuple(indicators))
comp = comparison.build_comparison(
    area_ids=chosen,
    areas=areas,
    catalog=catalog,
    indicator_ids=indicators,
    year=int(year),
    values=values,
    bench=bench,
    place=place,
    lang=lang(),
)
provenance = exports.provenance_text(meta.is_demo, meta.data_date, lang())
sources = [catalog[i].text("source", lang()) for i in indicators]

st.subheader(tr("vergleich.table_title", year=year))
shown = comparison.display_table(comp)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={
        header: st.column_config.TextColumn(header, alignment="right")
        for header in comp.headers.values()
    },
    key="vergleich_table",
)
reference_names = [place.city_name, *(b.name(lang()) for b in place.benchmarks)]
references = ", ".join(map(plain, reference_names))  # names from the data, in Markdown
st.caption(
    tr("common.suppressed_legend")
    + " · "
    + tr("vergleich.table_caption", references=references)
    + " "
    + tr("vergleich.interval_caption")
)
if comp.notes:
    st.info(
        "\n".join(
            [f"**{tr('vergleich.wider_title')}**"] + [f"- {n}" for n in comp.notes]
        ),
        icon=":material/info:",
    )

chart = comparison.comparison_figure(
    comp,
    colors=comparison.series_colors(chosen, place.focus_ids),
    footer=tr("vergleich.chart_source", sources="; ".join(dict.fromkeys(sources)))
    + f" · {provenance}",
    scale=layout.chart_scale(view),
)
st.plotly_chart(
    chart,
    config={"displaylogo": False, "displayModeBar": False},
    key="vergleich_chart",
    alt=tr("vergleich.chart_alt", references=references),
)

# -- downloads -------------------------------------------------------------------------
st.subheader(tr("export.title"))
stem = exports.file_stem(
    "vergleich", *[names.get(a, a) for a in chosen], year, is_demo=meta.is_demo
)
table = Table(
    tr("vergleich.sheet"),
    comp.frame,
    f"{stem}.csv",
    source="; ".join(dict.fromkeys(sources)),
)

download_row(
    [
        *table_files(
            store,
            "dl_vergleich",
            stem,
            [table],
            title=tr("vergleich.title"),
            indicator_ids=indicators,
            sources=sources,
        ),
        Download(
            tr("export.png_chart"),
            partial(exports.figure_png, chart, width=1200),
            f"{stem}.png",
            "dl_vergleich_png",
        ),
    ]
)
st.caption(tr("export.caption", provenance=provenance))
