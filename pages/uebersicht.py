"""Übersicht: a Perspektivquartier at a glance, against its Stadtteil, the city and
the benchmarks; everything it names comes from the data folder's place."""

import streamlit as st

from monitor.formatting import fmt_number, unit_suffix
from monitor.methods.classification import class_labels, classify
from monitor.ui import data, layout
from monitor.ui.state import bound_widget, lang, tr
from monitor.views import charts, choropleth, deck, overview
from monitor.views.legend import legend_html
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB, class_colors

store, ctx, view = layout.start_page("uebersicht.title", needs=("benchmarks",))
figure = layout.figure_slot(view)  # presentation: the map comes first
catalog = store.catalog
place = store.place

# -- which area: a Perspektivquartier (a choice when there are several), else the
#    city with a note ---------------------------------------------------------------
if len(place.focus_ids) > 1:
    first = place.focus_ids[0]
    bound_widget(
        st.segmented_control,
        tr("uebersicht.pick_focus", n=len(place.focus_ids)),
        field="area",
        key="w_uebersicht_fokus",
        options=list(place.focus_ids),
        format_func=place.area_name,
        selection_mode="single",
        from_view=lambda v: v if v in place.focus_ids else first,
        to_view=lambda v: v or first,
    )
subject = overview.subject_of(place, view.area)
if subject is None:
    st.info(tr("uebersicht.no_city"), icon=":material/info:")
    st.stop()
if not subject.is_focus:
    st.info(tr("uebersicht.no_focus", city=subject.name), icon=":material/info:")
headline = [i for i in place.headline if ctx.indicator_years.get(i)]
indicator = place.default_indicator
if not headline or not ctx.indicator_years.get(indicator):
    st.info(tr("uebersicht.no_headline"), icon=":material/info:")
    st.stop()
year = ctx.indicator_years[indicator][-1]
shown_ids = tuple(
    a for a in (subject.area_id, subject.context_id, subject.city_id) if a
)
values = data.area_values(store, tuple(dict.fromkeys(shown_ids)))
bench = data.benchmark_values(store, tuple(catalog.ids))
areas = data.areas(store).set_index("area_id")

if place.population in ctx.indicator_years:
    st.markdown(
        tr(
            "uebersicht.intro" if subject.is_focus else "uebersicht.intro_city",
            year=year,
            **overview.intro_figures(values, areas, place, subject, year, lang()),
        )
    )

st.subheader(tr("uebersicht.key_figures", year=year, name=subject.name))
cards = [place.population] if place.population in ctx.indicator_years else []
layout.metric_cards(
    overview.key_figures(
        values, bench, catalog, place, subject, year, lang(), (*cards, *headline)
    )
)

left, right = st.columns([1.15, 1])
with left:
    st.subheader(tr("uebersicht.comparison_title", year=year))
    for ind_id in headline:
        ind = catalog[ind_id]
        rows = overview.comparison_rows(
            values, bench, place, subject, ind_id, year, lang()
        )
        st.plotly_chart(
            charts.comparison_bars(
                rows,
                title=ind.text("name", lang()),
                unit=ind.unit,
                lang=lang(),
                height=280 + 30 * max(0, len(rows) - 6),
                scale=layout.chart_scale(view),
            ),
            config={"displaylogo": False, "displayModeBar": False},
            key=f"bars_{ind_id}",
        )
with layout.main_figure(figure) if view.presentation else right:
    ind = catalog[indicator]
    level = "quartier" if "quartier" in ind.levels else ctx.default_level
    st.subheader(
        tr(
            "uebersicht.map_title"
            if level == "quartier"
            else "uebersicht.map_title_level",
            indicator=ind.text("name", lang()),
            level=tr(f"levels.{level}"),
            year=year,
        )
    )
    map_col, side = (
        st.columns([2.2, 1]) if view.presentation else (st.container(), st.container())
    )
    map_height = layout.figure_height(view, 520)
    geo = data.geometries(store, level)
    shown = data.level_values(store, ind.id, year, level)
    shown = shown.set_index("area_id").loc[geo.area_id].reset_index()
    classes = classify(shown.value.to_numpy(), "quantile", 5)
    colors = class_colors(classes.k, ind.direction)
    records = choropleth.indicator_records(
        geo,
        shown,
        yb=classes.yb,
        colors=colors,
        unit=ind.unit,
        lang=lang(),
        suppressed_rgb=SUPPRESSED_RGB,
        missing_rgb=MISSING_RGB,
    )
    chart = deck.choropleth_deck(
        records,
        view=deck.fit_view(geo.total_bounds, 560, map_height),
        basemap=data.settings().basemap,
        outline=data.focus_outline(store),
        height=map_height,
    )
    with map_col:
        st.pydeck_chart(
            chart,
            height=map_height,
            key="overview_map",
            alt=tr(
                "karte.alt",
                city=place.city_name,
                indicator=ind.text("name", lang()),
                year=year,
                level=tr(f"levels.{level}"),
            ),
        )
    labels = class_labels(classes, lambda v: fmt_number(v, lang(), 1))
    suffix = unit_suffix(ind.unit, lang())
    entries = [
        (c, f"{lab}{suffix}", str(n))
        for c, lab, n in zip(colors, labels, classes.counts, strict=True)
    ]
    n_supp = int((shown.status == "suppressed").sum())
    if n_supp:
        entries.append((SUPPRESSED_RGB, tr("status.suppressed"), str(n_supp)))
    with side:
        st.html(
            legend_html(
                ind.text("name", lang()), entries, outline_label=tr("common.focus")
            )
        )
        st.caption(tr("uebersicht.map_caption"))

first_year = ctx.indicator_years[indicator][0]
st.subheader(tr("uebersicht.trends_title", first=first_year))
for column, ind_id in zip(st.columns(len(headline)), headline, strict=True):
    ind = catalog[ind_id]
    with column:
        st.plotly_chart(
            charts.trend_lines(
                overview.trend_series(values, bench, place, subject, ind_id, lang()),
                title=ind.text("name", lang()),
                unit=ind.unit,
                lang=lang(),
                height=300,
                scale=layout.chart_scale(view),
            ),
            config={"displaylogo": False, "displayModeBar": False},
            key=f"trend_{ind_id}",
        )
if place.region is not None:
    st.caption(tr("uebersicht.trends_caption", region=place.region.name(lang())))
