"""Hotspots: where values cluster in space (Gi*, local Moran) and how that moves."""

from functools import partial

import streamlit as st

from monitor.formatting import fmt_number
from monitor.i18n import t
from monitor.methods import hotspots as hs
from monitor.ui import data, hotspot_data, layout, widgets
from monitor.ui.downloads import (
    Table,
    download_row,
    map_export,
    map_files,
    map_footer,
    table_files,
)
from monitor.ui.state import current_view, lang, rerun, stop_page, tr, update_view
from monitor.views import deck, exports, hotspot_view, palettes
from monitor.views import hotspot_text as text
from monitor.views.legend import legend_html

store, ctx, view = layout.start_page("hotspots.title")
figure = layout.figure_slot(view)  # presentation: the figure comes first
catalog = store.catalog
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
    # a grid gets only the distance band of hs.GRID_BAND_CELLS cell widths
    weight_bands = hotspot_data.weight_options(store, level)
    scheme_labels = {
        s: tr(
            "hotspots.scheme_distance_band",
            band=fmt_number(band, lang(), 0),
            cells=hs.GRID_BAND_CELLS,
        )
        if band is not None
        else tr(f"hotspots.scheme_{s}")
        for s, band in weight_bands.items()
    }
    opts = st.columns([1.5, 1, 1, 1.3])
    with opts[0]:
        scheme = widgets.choice(
            tr("hotspots.weights"),
            "gewichtung",
            list(weight_bands),
            scheme_labels,
            default="queen" if "queen" in weight_bands else next(iter(weight_bands)),
            widget=st.selectbox,
        )
    band = weight_bands[scheme]
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
    stop_page()

names = data.areas(store).set_index("area_id").name
geo = data.geometries(store, level)


def legend(result: hs.HotspotResult, class_ids, palette: dict, counts: dict) -> None:
    """The classes that can occur (reachable levels only), with their counts."""
    params = result.params
    entries = hotspot_view.class_entries(class_ids, palette, counts, lang())
    if len(result.excluded):
        entries.append(
            (
                palettes.EXCLUDED_RGB,
                tr("hotspots.class_excluded"),
                fmt_number(len(result.excluded), lang(), 0),
            )
        )
    st.html(
        legend_html(
            tr("hotspots.legend_gi" if layer == "gi" else "hotspots.legend_lisa"),
            entries,
            outline_label=tr("common.focus"),
        )
    )
    fdr_note = tr("hotspots.legend_fdr") if fdr else ""
    if layer == "gi":
        st.caption(
            tr(
                "hotspots.legend_note",
                fdr=fdr_note,
                levels=text.levels_text(params["confidence_levels"], lang()),
            )
        )
        if params["unreachable_levels"]:
            st.caption(
                tr(
                    "hotspots.levels_unreachable",
                    levels=text.levels_text(params["unreachable_levels"], lang()),
                    **text.floor_params(params, lang()),
                )
            )
    else:
        st.caption(tr("hotspots.legend_note_lisa", fdr=fdr_note))


def downloads(
    result: hs.HotspotResult, class_col: str, palette, class_ids, table
) -> None:
    """The table (every area: values, z, p, classes) as CSV and XLSX, the map as
    GeoJSON, GeoPackage and PNG; ``table`` comes from the cached map, the files
    are built on click."""
    meta, page_lang = store.meta, lang()
    statistic = "Gi*" if layer == "gi" else tr("hotspots.lisa")
    map_title = tr(
        "hotspots.map_title",
        indicator=ind.text("name", page_lang),
        year=view.year,
        level=tr(f"levels.{level}"),
    )
    title = f"{map_title} – {statistic}"
    source = ind.text("source", page_lang)
    stem = exports.file_stem(
        "hotspots", layer, ind.id, level, view.year, is_demo=meta.is_demo
    )

    areas = partial(hotspot_view.map_frame, geo, result, class_col, level, names)
    png = partial(
        hotspot_view.map_png,
        areas,
        result,
        class_col,
        class_ids,
        [palette[c] for c in class_ids],
        [t(f"hotspots.class_{c}", page_lang) for c in class_ids],
        title=title,
        footer=map_footer(store, source, page_lang),
        outline=data.focus_outline(store),
        lang=page_lang,
    )

    sheet = Table(t("hotspots.sheet", page_lang), table, f"{stem}.csv", source=source)
    download_row(
        [
            *table_files(
                store,
                "dl_hs",
                stem,
                [sheet],
                title=title,
                indicator_ids=[ind.id],
                sources=[source],
            ),
            *map_files(
                stem,
                "dl_hs",
                areas,
                map_export(
                    store,
                    title=title,
                    indicator_id=ind.id,
                    unit=ind.unit,
                    year=view.year,
                    level=level,
                    source=source,
                    lang=page_lang,
                ),
                png,
            ),
        ],
        columns=5,
    )


def map_section(result: hs.HotspotResult) -> None:
    """Gi* or LISA classes on the map, legend, list of significant areas."""
    params = result.params
    if layer == "gi" and not params["confidence_levels"]:
        st.info(tr("hotspots.no_level_reachable", **text.floor_params(params, lang())))
        return
    if layer == "lisa" and not params["lisa_reachable"]:
        st.info(tr("hotspots.lisa_unreachable", **text.floor_params(params, lang())))
        return
    class_col = "gi_class" if layer == "gi" else "lisa_class"
    palette = hotspot_view.CLASS_PALETTES[class_col]
    class_ids = (
        hs.gstar_class_ids(params["confidence_levels"])
        if layer == "gi"
        else hs.LISA_CLASSES
    )
    shown = hotspot_data.class_map(
        store, ind.id, view.year, level, scheme, band, smooth, fdr, class_col, lang()
    )
    map_height = layout.figure_height(view, 580)
    with layout.main_figure(figure):
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
                deck.choropleth_deck(
                    shown.records,
                    view=deck.fit_view(geo.total_bounds, 720, map_height),
                    basemap=data.settings().basemap,
                    outline=data.focus_outline(store),
                    height=map_height,
                ),
                height=map_height,
                key=f"hs_{level}",
                on_select="rerun",
                selection_mode="single-object",
                alt=tr(
                    "hotspots.alt", indicator=ind.text("name", lang()), year=view.year
                ),
            )
            picked = (event.selection.objects.get("areas") or []) if event else []
            if (
                picked
                and picked[0].get("area_id")
                and picked[0]["area_id"] != view.area
            ):
                update_view(area=picked[0]["area_id"])
                rerun()
        with side:
            legend(result, class_ids, palette, shown.counts)
    downloads(result, class_col, palette, class_ids, shown.table)
    significant = shown.significant
    st.subheader(tr("hotspots.list_title", n=len(significant)))
    if significant.empty:
        st.info(tr("hotspots.none_significant"))
    else:
        st.dataframe(significant, hide_index=True, width="stretch")


def hotspot_section() -> None:
    with st.spinner(tr("hotspots.computing")):
        result = hotspot_data.hotspot_result(
            store, ind.id, view.year, level, scheme, band, smooth, fdr
        )
    if len(result.excluded):
        st.caption(tr("hotspots.excluded_note", n=len(result.excluded)))
    if not result.testable:
        st.info(text.refusal(result, ind, lang()), icon=":material/info:")
        return
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
    captions = [
        tr(
            "hotspots.weights_info",
            scheme=tr(
                "hotspots.scheme_distance_used", band=fmt_number(w.band, lang(), 0)
            )
            if w.scheme == "distance" and band is None
            else scheme_labels[w.scheme],
            mean=fmt_number(w.mean_neighbours, lang(), 1),
            min=int(w.min_neighbours),
            islands=int(w.n_islands),
            n=fmt_number(result.params["n_tests"], lang(), 0),
            perms=fmt_number(result.params["permutations"], lang(), 0),
        ),
        text.smoothing_caption(result, lang()),
    ]
    if result.coverage is not None:
        captions.append(
            tr(
                "hotspots.coverage_info",
                **text.coverage_params(result.coverage, ind, lang()),
            )
        )
    st.caption("  \n".join(captions))
    map_section(result)


hotspot_section()
with st.expander(tr("hotspots.explain_title"), expanded=False):
    st.markdown(
        tr(
            "hotspots.explain_text",
            coverage=text.pct(hs.MIN_COVERAGE, lang(), 0),
            units=hs.MIN_UNITS,
            steps=" / ".join(fmt_number(r, lang(), 0) for r in hs.PERMUTATION_STEPS),
        )
    )


# -- emerging hotspots ---------------------------------------------------------
def strip_section(emerging: hs.EmergingResult) -> None:
    """The yearly classes of the selected area, as its category counts them."""
    params, categories = emerging.params, emerging.categories
    area = view.area if view.area in emerging.z.index else None
    if area is None:
        st.caption(tr("hotspots.strip_hint"))
        return
    st.markdown(
        f"**{names.get(area, area)}** – "
        + tr(f"hotspots.ehs_{categories.loc[area, 'category']}")
    )
    st.plotly_chart(
        hotspot_view.gi_strip(emerging.z.loc[area], emerging.bins.loc[area], lang()),
        config={"displaylogo": False, "displayModeBar": False},
        key="gi_strip",
    )
    trend = categories.loc[area]
    st.caption(
        tr(
            "hotspots.strip_caption",
            levels=text.levels_text(params["confidence_levels"], lang()),
            fdr=tr("hotspots.legend_fdr") if fdr else "",
        )
        + "  \n"
        + tr(
            "hotspots.mk",
            tau=fmt_number(trend.mk_tau, lang(), 2),
            p=fmt_number(trend.mk_p, lang(), 3),
        )
    )


def emerging_section() -> None:
    st.subheader(tr("hotspots.emerging_title"))
    st.markdown(tr("hotspots.emerging_intro"))
    years = ctx.indicator_years[ind.id]
    with st.spinner(tr("hotspots.computing")):
        emerging = hotspot_data.emerging_result(
            store, ind.id, years, level, scheme, band, smooth, fdr
        )
    if emerging.categories is None:
        st.info(
            text.emerging_refusal(emerging, len(years), ind, lang()),
            icon=":material/info:",
        )
        return
    params = emerging.params
    fdr_note = tr("hotspots.emerging_fdr") if fdr else ""
    st.caption(
        tr(
            "hotspots.emerging_info",
            n=fmt_number(params["n_tests"], lang(), 0),
            years=len(years),
            bins=fmt_number(params["n_bins"], lang(), 0),
            perms=fmt_number(params["permutations"], lang(), 0),
            fdr=fdr_note,
        )
    )
    shown = hotspot_data.emerging_map(
        store, ind.id, years, level, scheme, band, smooth, fdr, lang()
    )
    map_col, side = st.columns([2.2, 1])
    with map_col:
        st.pydeck_chart(
            deck.choropleth_deck(
                shown.records,
                view=deck.fit_view(geo.total_bounds, 720, 520),
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
            (palettes.EMERGING_RGB[c], tr(f"hotspots.ehs_{c}"), str(shown.counts[c]))
            for c in palettes.EMERGING_RGB
            if shown.counts.get(c)
        ]
        st.html(
            legend_html(
                tr("hotspots.emerging_legend"),
                entries,
                outline_label=tr("common.focus"),
            )
        )
    strip_section(emerging)


emerging_section()
st.caption(f"{tr('common.source')}: {ind.text('source', lang())}")
