"""Übersicht: a Perspektivquartier at a glance, against its Stadtteil, the city and
the benchmarks; everything it names comes from the data folder's place."""

from functools import partial

import streamlit as st

from monitor.formatting import plain
from monitor.ui import data, layout, overview_data
from monitor.ui.state import bound_widget, lang, one_of, stop_page, tr
from monitor.views import deck, overview
from monitor.views.legend import legend_html
from monitor.views.palettes import SUPPRESSED_RGB

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
        from_view=partial(one_of, tuple(place.focus_ids), first),
        to_view=partial(one_of, tuple(place.focus_ids), first),
    )
subject = overview.subject_of(place, view.area)
if subject is None:
    st.info(tr("uebersicht.no_city"), icon=":material/info:")
    stop_page()
if not subject.is_focus:
    st.info(tr("uebersicht.no_focus", city=plain(subject.name)), icon=":material/info:")
headline = [i for i in place.headline if ctx.indicator_years.get(i)]
indicator = place.default_indicator
if not headline or not ctx.indicator_years.get(indicator):
    st.info(tr("uebersicht.no_headline"), icon=":material/info:")
    stop_page()
year = ctx.indicator_years[indicator][-1]

if place.population in ctx.indicator_years:
    figures = dict(overview_data.intro_figures(store, subject.area_id, year, lang()))
    figures.update(name=plain(figures["name"]), city=plain(figures["city"]))
    st.markdown(
        tr(
            "uebersicht.intro" if subject.is_focus else "uebersicht.intro_city",
            year=year,
            **figures,
        )
    )

st.subheader(tr("uebersicht.key_figures", year=year, name=plain(subject.name)))
cards = [place.population] if place.population in ctx.indicator_years else []
layout.metric_cards(
    overview_data.key_figures(store, subject.area_id, year, lang(), (*cards, *headline))
)

left, right = st.columns([1.15, 1])
with left:
    st.subheader(tr("uebersicht.comparison_title", year=year))
    for ind_id in headline:
        st.plotly_chart(
            overview_data.comparison_figure(
                store, subject.area_id, ind_id, year, lang(), layout.chart_scale(view)
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
    view_map = overview_data.overview_map(store, ind.id, year, level, lang())
    chart = deck.choropleth_deck(
        view_map.records,
        view=deck.fit_view(view_map.bounds, 560, map_height),
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
    entries = list(view_map.entries)
    if view_map.n_suppressed:
        entries.append(
            (SUPPRESSED_RGB, tr("status.suppressed"), str(view_map.n_suppressed))
        )
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
    with column:
        st.plotly_chart(
            overview_data.trend_figure(
                store, subject.area_id, ind_id, lang(), layout.chart_scale(view)
            ),
            config={"displaylogo": False, "displayModeBar": False},
            key=f"trend_{ind_id}",
        )
if place.region is not None:
    st.caption(tr("uebersicht.trends_caption", region=plain(place.region.name(lang()))))
