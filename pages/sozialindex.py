"""Sozialindex: status and dynamics of deprivation as in Berlin's MSS."""

from functools import partial

import streamlit as st

from monitor.i18n import t
from monitor.methods.social_index import compare_classes
from monitor.ui import data, layout, social_index_data, widgets
from monitor.ui.downloads import (
    Table,
    download_row,
    map_export,
    map_files,
    map_footer,
    table_files,
)
from monitor.ui.state import extra, lang, stop_page, tr, update_extra
from monitor.views import deck, exports, social_index
from monitor.views.legend import legend_html

store, ctx, view = layout.start_page("sozialindex.title")
figure = layout.figure_slot(view)  # presentation: the figure comes first
catalog = store.catalog
st.markdown(tr("sozialindex.intro"))

# -- what the index is made of (the catalogue's index indicators) -------------------
spec = social_index_data.index_spec(store)
years = social_index.index_years(spec, ctx.indicator_years)
if not spec.indicators or spec.population not in ctx.indicator_years or not years:
    st.info(tr("sozialindex.not_available"), icon=":material/info:")
    stop_page()
INDICATORS = spec.indicators

# -- controls ---------------------------------------------------------------------
level = view.level if view.level in ("stadtteil", "quartier") else "quartier"
year = view.year if view.year in years else years[-1]
year_from = view.year_from if view.year_from < year else max(years[0], year - 2)
with layout.controls(view):
    cols = st.columns([1.2, 2, 1.2])
with cols[0]:
    widgets.level_select(("stadtteil", "quartier"))
with cols[1]:
    widgets.year_range(years, year_from, year, tr("sozialindex.span"))
with cols[2]:
    shown = widgets.choice(
        tr("sozialindex.map_layer"),
        "index",
        ["status", "dynamik"],
        {"status": tr("sozialindex.status"), "dynamik": tr("sozialindex.dynamics")},
        default="status",
    )

raw_weights = extra("gewichte", None, "")
weights = social_index.parse_weights(raw_weights, INDICATORS)
if raw_weights and weights is None:
    st.warning(tr("sozialindex.weights_invalid"), icon=":material/link_off:")
    update_extra("gewichte", None)  # the written link shows the default weights
weights = weights or dict(spec.weights)
with st.expander(tr("sozialindex.weights_title"), expanded=bool(raw_weights)):
    st.caption(tr("sozialindex.weights_help"))
    wcols = st.columns(len(INDICATORS))
    new_weights = {}
    for col, ind_id in zip(wcols, INDICATORS, strict=True):
        with col:
            new_weights[ind_id] = st.number_input(
                catalog[ind_id].text("name", lang()),
                min_value=0.0,
                max_value=5.0,
                step=0.5,
                value=float(weights[ind_id]),
                key=f"w_gewicht_{ind_id}",
            )
    if new_weights != weights and sum(new_weights.values()) > 0:
        update_extra("gewichte", social_index.weights_param(new_weights, spec.weights))
        weights = new_weights
    elif sum(new_weights.values()) <= 0:
        st.warning(tr("sozialindex.weights_zero"))

# -- data and method ----------------------------------------------------------------
names = data.areas(store).set_index("area_id").name
try:
    default = social_index_data.index_result(store, level, year, year_from)
    result = social_index_data.index_result(
        store, level, year, year_from, tuple(weights.items())
    )
except ValueError as exc:
    st.error(tr("errors.page_failed", message=str(exc)))
    stop_page()

# -- map and class matrix -------------------------------------------------------------
map_height = layout.figure_height(view, 560)
with layout.main_figure(figure):
    st.subheader(
        tr(
            "sozialindex.map_title",
            level=tr(f"levels.{level}"),
            year=year,
            year_from=year_from,
        )
    )
    geo = data.geometries(store, level)
    map_col, side = st.columns([2.2, 1])
    with map_col:
        st.pydeck_chart(
            deck.choropleth_deck(
                social_index.map_records(geo, result, shown, names, lang()),
                view=deck.fit_view(geo.total_bounds, 700, map_height),
                basemap=data.settings().basemap,
                outline=data.focus_outline(store),
                height=map_height,
            ),
            height=map_height,
            key=f"si_{level}",
            alt=tr("sozialindex.alt", level=tr(f"levels.{level}"), year=year),
        )
    with side:
        st.html(
            legend_html(
                tr(
                    "sozialindex.status"
                    if shown == "status"
                    else "sozialindex.dynamics"
                ),
                social_index.legend_entries(result, shown, lang()),
                outline_label=tr("common.focus"),
            )
        )
        st.markdown(f"**{tr('sozialindex.matrix_title')}**")
        st.dataframe(social_index.matrix_table(result, lang()))
        st.caption(tr("sozialindex.matrix_caption", n=result.n_included))

changes = compare_classes(default, result)
if weights != dict(spec.weights):
    st.subheader(tr("sozialindex.changes_title"))
    if changes.empty:
        st.info(tr("sozialindex.no_changes"))
    else:
        st.dataframe(
            social_index.changes_table(changes, names, lang()), hide_index=True
        )

st.subheader(tr("sozialindex.table_title"))
st.dataframe(
    social_index.ranked_table(result, names, catalog, lang()),
    hide_index=True,
    width="stretch",
)
if len(result.excluded):
    st.markdown(f"**{tr('sozialindex.excluded_title')}**")
    st.dataframe(social_index.excluded_table(result, names, lang()), hide_index=True)
with st.expander(tr("sozialindex.method_title")):
    st.markdown(tr("sozialindex.method_text"))

# -- downloads (built on click) -------------------------------------------------------
st.subheader(tr("export.title"))
meta, page_lang = store.meta, lang()
title = tr(
    "sozialindex.map_title", level=tr(f"levels.{level}"), year=year, year_from=year_from
)
sources = [catalog[i].text("source", page_lang) for i in result.indicators]
source = "; ".join(dict.fromkeys(sources))
provenance = exports.provenance_text(meta.is_demo, meta.data_date, page_lang)
stem = exports.file_stem(
    "sozialindex", level, f"{year_from}-{year}", is_demo=meta.is_demo
)


map_areas = partial(social_index.map_frame, geo, result, level, names)
map_png = partial(
    social_index.map_png,
    map_areas,
    result,
    shown,
    page_lang,
    title=title,
    footer=map_footer(store, source, page_lang),
    legend_title=t(
        "sozialindex.status" if shown == "status" else "sozialindex.dynamics",
        page_lang,
    ),
    outline=data.focus_outline(store),
)


table = Table(
    t("sozialindex.sheet", page_lang),
    social_index.export_frame(result, names, catalog, page_lang),
    f"{stem}.csv",
    source=source,
)
download_row(
    [
        *table_files(
            store,
            "dl_si",
            stem,
            [table],
            title=title,
            indicator_ids=list(result.indicators),
            sources=sources,
        ),
        *map_files(
            stem,
            "dl_si",
            map_areas,
            map_export(
                store,
                title=title,
                indicator_id="sozialindex",
                unit="index",
                year=year,
                level=level,
                source=source,
                lang=page_lang,
            ),
            map_png,
        ),
    ],
    columns=5,
)
st.caption(tr("export.caption", provenance=provenance))
