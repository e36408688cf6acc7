"""Übersicht: the Perspektivquartier at a glance, against city and Landkreis."""

import streamlit as st

from monitor.formatting import fmt_number
from monitor.methods.classification import class_labels, classify
from monitor.ui import data, layout
from monitor.ui.state import lang, tr
from monitor.views import charts, choropleth, deck, overview
from monitor.views.legend import legend_html
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB, class_colors

store, ctx, view = layout.start_page("uebersicht.title", needs=("benchmarks",))
catalog = store.catalog

needed = (overview.FOCUS, overview.INNENSTADT, overview.CITY)
absent = [a for a in needed if a not in ctx.area_ids]
if absent or "kinderarmut" not in ctx.indicator_years:
    st.info(
        tr("uebersicht.not_neunkirchen", missing=", ".join(absent or ["kinderarmut"])),
        icon=":material/info:",
    )
    st.stop()
year = ctx.indicator_years["kinderarmut"][-1]
values = data.area_values(store, (overview.FOCUS, overview.INNENSTADT, overview.CITY))
bench = data.benchmark_values(store, tuple(catalog.ids))
areas = data.areas(store).set_index("area_id")

st.markdown(
    tr(
        "uebersicht.intro",
        year=year,
        **overview.intro_figures(values, areas, year, lang()),
    )
)

st.subheader(tr("uebersicht.key_figures", year=year))
layout.metric_cards(overview.key_figures(values, bench, catalog, year, lang()))

left, right = st.columns([1.15, 1])
with left:
    st.subheader(tr("uebersicht.comparison_title", year=year))
    for ind_id in overview.CORE_INDICATORS:
        ind = catalog[ind_id]
        rows = overview.comparison_rows(values, bench, ind_id, year, lang())
        st.plotly_chart(
            charts.comparison_bars(
                rows,
                title=ind.text("name", lang()),
                unit=ind.unit,
                lang=lang(),
                height=280,
                scale=layout.chart_scale(view),
            ),
            config={"displaylogo": False, "displayModeBar": False},
            key=f"bars_{ind_id}",
        )
with right:
    ind = catalog["kinderarmut"]
    st.subheader(
        tr("uebersicht.map_title", indicator=ind.text("name", lang()), year=year)
    )
    geo = data.geometries(store, "quartier")
    level = data.level_values(store, ind.id, year, "quartier")
    level = level.set_index("area_id").loc[geo.area_id].reset_index()
    classes = classify(level.value.to_numpy(), "quantile", 5)
    colors = class_colors(classes.k, ind.direction)
    records = choropleth.indicator_records(
        geo,
        level,
        yb=classes.yb,
        colors=colors,
        unit=ind.unit,
        lang=lang(),
        suppressed_rgb=SUPPRESSED_RGB,
        missing_rgb=MISSING_RGB,
    )
    focus_geom = data.focus_outline(store)
    chart = deck.choropleth_deck(
        records,
        view=deck.fit_view(geo.total_bounds, 560, 520),
        basemap=data.settings().basemap,
        outline=focus_geom,
        height=520,
    )
    st.pydeck_chart(chart, height=520, key="overview_map")
    labels = class_labels(classes, lambda v: fmt_number(v, lang(), 1))
    entries = [
        (c, f"{lab} %", str(n))
        for c, lab, n in zip(colors, labels, classes.counts, strict=True)
    ]
    n_supp = int((level.status == "suppressed").sum())
    if n_supp:
        entries.append((SUPPRESSED_RGB, tr("status.suppressed"), str(n_supp)))
    st.html(
        legend_html(ind.text("name", lang()), entries, outline_label=tr("common.focus"))
    )
    st.caption(tr("uebersicht.map_caption"))

first = ctx.indicator_years["kinderarmut"][0]
st.subheader(tr("uebersicht.trends_title", first=first))
for column, ind_id in zip(
    st.columns(len(overview.CORE_INDICATORS)), overview.CORE_INDICATORS, strict=True
):
    ind = catalog[ind_id]
    with column:
        st.plotly_chart(
            charts.trend_lines(
                overview.trend_series(values, bench, ind_id, lang()),
                title=ind.text("name", lang()),
                unit=ind.unit,
                lang=lang(),
                height=300,
                scale=layout.chart_scale(view),
            ),
            config={"displaylogo": False, "displayModeBar": False},
            key=f"trend_{ind_id}",
        )
st.caption(tr("uebersicht.trends_caption"))
