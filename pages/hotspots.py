"""Hotspots: where values cluster in space (Gi*, local Moran) and how that moves."""

import streamlit as st

from monitor.formatting import fmt_number
from monitor.methods import hotspots as hs
from monitor.ui import data, hotspot_data, layout, widgets
from monitor.ui.bootstrap import ensure_app
from monitor.ui.state import current_view, lang, rerun, tr, update_view
from monitor.views import hotspot_view, maps, palettes
from monitor.views.legend import legend_html

ensure_app()
store = data.get_store()
ctx = data.context(store)
view = current_view(ctx)
catalog = store.catalog
layout.page_header(store, "hotspots.title")
st.markdown(tr("hotspots.intro"))

# -- controls ------------------------------------------------------------------
# permutation tests on a million cells would take the server for minutes: levels
# drawn as an image on the Karte (QM_MAP_IMAGE_AREAS) are left out here
too_large = {
    lv
    for lv in ("stadtteil", "quartier", "raster")
    if len(store.level_areas(lv)) >= data.settings().map_image_min_areas
}
if view.level in too_large:
    st.warning(
        tr(
            "hotspots.level_too_large",
            level=tr(f"levels.{view.level}"),
            n=fmt_number(len(store.level_areas(view.level)), lang(), 0),
        ),
        icon=":material/info:",
    )
    update_view(level="quartier")
    view = current_view(ctx)
with layout.controls(view):
    cols = st.columns([2.0, 1.8, 1.3])
    with cols[0]:
        widgets.indicator_select(catalog)
    ind = catalog[view.indicator]
    with cols[1]:
        widgets.level_select(
            [
                lv
                for lv in ("stadtteil", "quartier", "raster")
                if lv in ind.levels and lv not in too_large
            ]
        )
    with cols[2]:
        widgets.year_select(ctx, view)
    level = view.level
    default_scheme = "knn" if level == "raster" else "queen"
    opts = st.columns([1.5, 1, 1, 1.3])
    with opts[0]:
        scheme = widgets.choice(
            tr("hotspots.weights"),
            "gewichtung",
            list(hs.WEIGHTS),
            {s: tr(f"hotspots.scheme_{s}") for s in hs.WEIGHTS},
            default=default_scheme,
            widget=st.selectbox,
        )
    with opts[1]:
        smooth = (
            widgets.choice(
                tr("hotspots.smoothing"),
                "glaettung",
                ["1", "0"],
                {"1": tr("hotspots.on"), "0": tr("hotspots.off")},
                default="1",
            )
            == "1"
        )
    with opts[2]:
        fdr = (
            widgets.choice(
                tr("hotspots.fdr"),
                "fdr",
                ["1", "0"],
                {"1": tr("hotspots.on"), "0": tr("hotspots.off")},
                default="1",
            )
            == "1"
        )
    with opts[3]:
        layer = widgets.choice(
            tr("hotspots.statistic"),
            "statistik",
            ["gi", "lisa"],
            {"gi": "Getis-Ord Gi*", "lisa": tr("hotspots.lisa")},
            default="gi",
        )

if level == "stadtteil":
    st.warning(tr("hotspots.too_coarse"), icon=":material/grid_off:")
    st.stop()

# -- statistics ----------------------------------------------------------------
with st.spinner(tr("hotspots.computing")):
    result = hotspot_data.hotspot_result(
        store, ind.id, view.year, level, scheme, smooth, fdr
    )
names = data.areas(store).set_index("area_id").name
n_excluded = len(result.excluded)
if n_excluded:
    st.caption(tr("hotspots.excluded_note", n=n_excluded))
if not result.testable:
    st.info(
        tr(f"hotspots.reason_{result.reason}", n=len(result.units), min=hs.MIN_UNITS),
        icon=":material/info:",
    )
    st.stop()

gm = result.global_moran
st.markdown(
    tr(
        "hotspots.global_moran",
        i=fmt_number(gm.I, lang(), 2),
        p=fmt_number(gm.p_sim, lang(), 3),
        verdict=tr(
            "hotspots.clustered"
            if gm.p_sim < 0.05 and gm.I > 0
            else "hotspots.not_clustered"
        ),
    )
)
w = result.weights
st.caption(
    tr(
        "hotspots.weights_info",
        scheme=tr(f"hotspots.scheme_{w.scheme}"),
        mean=fmt_number(w.mean_neighbours, lang(), 1),
        min=int(w.min_neighbours),
        islands=int(w.n_islands),
        n=len(result.units),
    )
)

geo = data.geometries(store, level)
class_col = "gi_class" if layer == "gi" else "lisa_class"
palette = palettes.GI_RGB if layer == "gi" else palettes.LISA_RGB
records, counts = hotspot_view.records(
    geo, result, class_col, palette, ind, lang(), names
)
st.subheader(
    tr(
        "hotspots.map_title",
        indicator=ind.text("name", lang()),
        year=view.year,
        level=tr(f"levels.{level}"),
    )
)
map_col, side = st.columns([2.2, 1])
with map_col:
    event = st.pydeck_chart(
        maps.choropleth_deck(
            records,
            view=maps.fit_view(geo.total_bounds, 720, 580),
            basemap=data.settings().basemap,
            outline=data.focus_outline(store),
            height=580,
        ),
        height=580,
        key=f"hs_{level}",
        on_select="rerun",
        selection_mode="single-object",
        alt=tr("hotspots.alt", indicator=ind.text("name", lang()), year=view.year),
    )
    picked = (event.selection.objects.get("areas") or []) if event else []
    if picked and picked[0].get("area_id") and picked[0]["area_id"] != view.area:
        update_view(area=picked[0]["area_id"])
        rerun()
with side:
    entries = [
        (palette[c], tr(f"hotspots.class_{c}"), str(counts.get(c, 0)))
        for c in palette
        if counts.get(c, 0)
    ]
    if n_excluded:
        entries.append(
            (palettes.EXCLUDED_RGB, tr("hotspots.class_excluded"), str(n_excluded))
        )
    st.html(
        legend_html(
            tr("hotspots.legend_gi" if layer == "gi" else "hotspots.legend_lisa"),
            entries,
            outline_label=tr("common.focus"),
        )
    )
    st.caption(tr("hotspots.legend_note"))

significant = hotspot_view.significant_table(result, class_col, names, ind, lang())
st.subheader(tr("hotspots.list_title", n=len(significant)))
if significant.empty:
    st.info(tr("hotspots.none_significant"))
else:
    st.dataframe(significant, hide_index=True, width="stretch")

with st.expander(tr("hotspots.explain_title"), expanded=False):
    st.markdown(tr("hotspots.explain_text"))

# -- emerging hotspots ---------------------------------------------------------
st.subheader(tr("hotspots.emerging_title"))
st.markdown(tr("hotspots.emerging_intro"))
with st.spinner(tr("hotspots.computing")):
    emerging = hotspot_data.emerging_result(
        store, ind.id, ctx.indicator_years[ind.id], level, scheme, smooth, fdr
    )
categories, z_years, p_years = emerging.categories, emerging.z, emerging.p
if categories is None:
    st.info(tr("hotspots.emerging_not_possible", n=hs.MIN_UNITS))
else:
    e_records, e_counts = hotspot_view.emerging_records(geo, categories, names, lang())
    map_col, side = st.columns([2.2, 1])
    with map_col:
        st.pydeck_chart(
            maps.choropleth_deck(
                e_records,
                view=maps.fit_view(geo.total_bounds, 720, 520),
                basemap=data.settings().basemap,
                outline=data.focus_outline(store),
                height=520,
            ),
            height=520,
            key=f"ehs_{level}",
            alt=tr("hotspots.emerging_alt", indicator=ind.text("name", lang())),
        )
    with side:
        entries = [
            (palettes.EMERGING_RGB[c], tr(f"hotspots.ehs_{c}"), str(e_counts[c]))
            for c in palettes.EMERGING_RGB
            if e_counts.get(c)
        ]
        st.html(
            legend_html(
                tr("hotspots.emerging_legend"),
                entries,
                outline_label=tr("common.focus"),
            )
        )
    area = view.area if view.area in z_years.index else None
    if area is None:
        st.caption(tr("hotspots.strip_hint"))
    else:
        st.markdown(
            f"**{names.get(area, area)}** – "
            + tr(f"hotspots.ehs_{categories.loc[area, 'category']}")
        )
        st.plotly_chart(
            hotspot_view.gi_strip(z_years.loc[area], p_years.loc[area], fdr, lang()),
            config={"displaylogo": False, "displayModeBar": False},
            key="gi_strip",
        )
        trend = categories.loc[area]
        st.caption(
            tr(
                "hotspots.mk",
                tau=fmt_number(trend.mk_tau, lang(), 2),
                p=fmt_number(trend.mk_p, lang(), 3),
            )
        )
st.caption(f"{tr('common.source')}: {ind.text('source', lang())}")
