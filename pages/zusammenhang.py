"""Zusammenhang: two indicators over the areas of one level – a scatter with
Spearman's rho beside a bivariate map (3 x 3 classes). Points selected in the
scatter are outlined on the map, listed, and kept in the link (``auswahl``)."""

from functools import partial
from html import escape

import streamlit as st

from monitor.formatting import fmt_number
from monitor.i18n import t
from monitor.ui import data, layout, relation_data, widgets
from monitor.ui.downloads import (
    Table,
    download_row,
    map_export,
    map_files,
    map_footer,
    table_files,
)
from monitor.ui.state import (
    current_view,
    extra,
    lang,
    stop_page,
    tr,
    update_extra,
    update_view,
)
from monitor.views import deck, exports, relations
from monitor.viewstate import LEVELS, MAX_SELECTED, data_year, parse_ids, safe_excerpt

store, ctx, view = layout.start_page("zusammenhang.title")
catalog = store.catalog
meta = store.meta
st.markdown(tr("zusammenhang.intro"))
if len(catalog.ids) < 2:
    st.info(tr("zusammenhang.levels_none"))
    stop_page()


def link_warning(key: str, value: str, reason: str) -> None:
    st.warning(
        tr(f"link_notes.{reason}", key=key, value=safe_excerpt(value)),
        icon=":material/link_off:",
    )


# -- the second indicator (link key indikator2): known, and not the first one --------
x_ind = catalog[view.indicator]
others = [i for i in catalog.indicators if i.id != x_ind.id]
default_y = next((i.id for i in others if i.in_index), others[0].id)
raw_y = extra("indikator2", None, "")
if raw_y and (raw_y not in catalog.ids or raw_y == x_ind.id):
    if raw_y == x_ind.id:
        st.warning(
            tr(
                "zusammenhang.same_indicator",
                name=catalog[default_y].text("name", lang()),
            )
        )
    else:
        link_warning("indikator2", raw_y, "unknown")
    update_extra("indikator2", None)

# -- levels both indicators have, small enough for a scatter --------------------------
too_large = {
    lv
    for lv in LEVELS
    if len(store.level_areas(lv)) >= data.settings().map_image_min_areas
}
options, label = widgets.indicator_options(catalog)
with layout.controls(view):
    cols = st.columns([2, 2, 1.5])
    with cols[0]:
        widgets.indicator_select(catalog, label=tr("zusammenhang.indicator_x"))
    with cols[1]:
        y_id = widgets.choice(
            tr("zusammenhang.indicator_y"),
            "indikator2",
            [o for o in options if o != view.indicator],
            {o: label(o) for o in options},
            default=default_y,
            widget=st.selectbox,
        )
    y_ind = catalog[y_id]
    levels = [
        lv
        for lv in x_ind.levels
        if lv in y_ind.levels and lv != "stadt" and len(store.level_areas(lv))
    ]
    if not [lv for lv in levels if lv not in too_large]:
        st.info(tr("zusammenhang.levels_none"))
        stop_page()
    if view.level in too_large and view.level in levels:
        st.warning(
            tr(
                "zusammenhang.level_too_large",
                level=tr(f"levels.{view.level}"),
                n=fmt_number(len(store.level_areas(view.level)), lang(), 0),
            )
        )
    levels = [lv for lv in levels if lv not in too_large]
    if view.level not in levels:
        if view.level not in too_large:
            link_warning("ebene", view.level, "not_available")
        update_view(level="quartier" if "quartier" in levels else levels[-1])
        view = current_view(ctx)
    with cols[2]:
        widgets.level_select(levels)
    widgets.year_select(ctx, view)

level, year = view.level, view.year
y_year = data_year(ctx.indicator_years.get(y_id, ()), year) or year
if y_year != year:
    st.caption(
        tr(
            "zusammenhang.y_year",
            indicator=y_ind.text("name", lang()),
            year=y_year,
            wanted=year,
        )
    )
layer = relation_data.relation_layer(store, x_ind.id, year, y_id, y_year, level, lang())
relation = layer.relation

# -- the selection from the link (unknown areas dropped, with a note) -----------------
chosen, bad = parse_ids(
    extra("auswahl", None, ""), relation.pairs.area_id.tolist(), MAX_SELECTED
)
if bad:
    st.warning(
        tr("zusammenhang.selection_unknown", value=safe_excerpt(",".join(bad))),
        icon=":material/link_off:",
    )
    update_extra("auswahl", ",".join(chosen) or None)

plotted = relation.plotted_ids
scatter_key = f"zh_scatter_{x_ind.id}_{y_id}_{level}_{year}"


# -- scatter and map side by side -----------------------------------------------------
x_name, y_name = x_ind.text("name", lang()), y_ind.text("name", lang())
level_label = tr(f"levels.{level}")
provenance = exports.provenance_text(meta.is_demo, meta.data_date, lang())
sources = "; ".join(dict.fromkeys([x_ind.text("source", lang()),
                                   y_ind.text("source", lang())]))  # fmt: skip
st.subheader(
    tr("zusammenhang.scatter_title", x=x_name, y=y_name, level=level_label, year=year)
)
scatter_col, map_col = st.columns([1.15, 1])
with scatter_col:
    figure = relations.scatter_figure(
        relation,
        x_ind=x_ind,
        y_ind=y_ind,
        city=layer.city,
        focus=layer.focus,
        selected_area=view.area,
        chosen=chosen,
        level_label=level_label,
        lang=lang(),
        footer=f"{tr('common.source')}: {sources} · {provenance}",
        scale=layout.chart_scale(view),
    )
    st.plotly_chart(
        figure,
        key=scatter_key,
        on_select=partial(relation_data.scatter_picked, scatter_key, plotted),
        selection_mode=("points", "box", "lasso"),
        config={"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]},
        alt=tr("zusammenhang.scatter_alt", x=x_name, y=y_name, level=level_label),
    )
    st.caption(tr("zusammenhang.scatter_hint"))
geo = data.geometries(store, level)
shapes = geo.set_index("area_id").geometry
with map_col:
    focus_geom = data.focus_outline(store)
    chart = deck.choropleth_deck(
        layer.records,
        view=deck.fit_view(geo.total_bounds, 620, 520),
        basemap=data.settings().basemap,
        outline=focus_geom,
        selected=shapes.get(view.area),
        highlighted=[(a, shapes.get(a)) for a in chosen],
        height=520,
    )
    st.pydeck_chart(
        chart,
        height=520,
        key=f"zh_map_{level}",
        alt=tr("zusammenhang.map_alt", x=x_name, y=y_name, level=level_label),
    )

text_col, legend_col = st.columns([1.15, 1])
with text_col:
    st.markdown(f"**{tr('zusammenhang.rho_title')}**")
    st.markdown("  \n".join(relations.correlation_lines(relation, lang())))
    st.info(tr("correlation.caveat"), icon=":material/lightbulb:")
with legend_col:
    st.html(
        relations.legend_html(
            relation.classes,
            x_name,
            y_name,
            lang(),
            n_missing=relation.classes.n_missing,
            n_chosen=len(chosen),
            focus_label=tr("common.focus") if focus_geom is not None else "",
        )
    )

# -- the selected areas ---------------------------------------------------------------
st.subheader(tr("zusammenhang.selection_title", n=len(chosen)))
if chosen:
    st.dataframe(
        relations.selection_table(relation, chosen, x_ind, y_ind, lang()),
        hide_index=True,
        width="stretch",
        key="zh_auswahl",
    )
    st.button(
        tr("zusammenhang.clear"),
        on_click=update_extra,
        args=("auswahl", None),
        icon=":material/deselect:",
        key="zh_clear",
    )
else:
    st.caption(tr("zusammenhang.selection_hint"))
st.caption(tr("common.suppressed_legend"))

# -- downloads (built on click) -------------------------------------------------------
st.subheader(tr("export.title"))
stem = exports.file_stem(
    "zusammenhang", x_ind.id, y_id, level, year, is_demo=meta.is_demo
)
page_lang = lang()
title = tr("zusammenhang.map_png_title", x=x_name, y=y_name, level=level_label,
           year=year)  # fmt: skip


map_areas = partial(relations.map_export_frame, geo, relation, level=level)
map_png = partial(
    relations.map_png,
    map_areas,
    relation,
    relations.class_labels(x_name, y_name, page_lang),
    title=escape(title, quote=False),
    footer=map_footer(store, sources, page_lang),
    legend_title=t("bivariate.title", page_lang),
    outline=focus_geom,
    lang=page_lang,
    width=1500,
)


table = Table(
    t("zusammenhang.sheet", page_lang),
    relations.export_frame(
        relation,
        x_ind=x_ind,
        y_ind=y_ind,
        year=year,
        y_year=y_year,
        level=level,
        chosen=chosen,
        lang=page_lang,
    ),
    f"{stem}.csv",
    source=sources,
)
download_row(
    [
        *table_files(
            store,
            "dl_zh",
            stem,
            [table],
            title=title,
            indicator_ids=[x_ind.id, y_id],
            sources=[sources],
        ),
        *map_files(
            stem,
            "dl_zh",
            map_areas,
            map_export(
                store,
                title=title,
                indicator_id=f"{x_ind.id}+{y_id}",
                unit=f"{x_ind.unit}+{y_ind.unit}",
                year=year,
                level=level,
                source=sources,
                lang=page_lang,
            ),
            map_png,
        ),
    ],
    columns=5,
)
st.caption(tr("export.caption", provenance=provenance))
