"""Karte: any indicator on any level and year, or its change between two years."""

from functools import partial

import streamlit as st

from monitor.formatting import fmt_change, fmt_number, fmt_value
from monitor.ui import data, facility_data, layout, widgets
from monitor.ui.downloads import download_row, map_export, map_files, map_footer
from monitor.ui.map_layer import LayerKey, map_layer
from monitor.ui.state import (
    extra,
    lang,
    rerun,
    stop_page,
    tr,
    update_extra,
    update_view,
)
from monitor.views import (
    deck,
    facilities,
    map_tables,
    raster_map,
    uncertainty,
)
from monitor.views.legend import flag_notes, legend_html, status_entries

FACILITY_LEVELS = ("stadtteil", "quartier")  # coverage needs areas of many cells
GEO_FILES_MAX = 5000  # GeoJSON/PNG of the polygons; larger levels get the CSV

store, ctx, view = layout.start_page("karte.title")
figure = layout.figure_slot(view)  # presentation: the figure comes first
catalog = store.catalog

# -- controls ---------------------------------------------------------------------
with layout.controls(view):
    top = st.columns([1.9, 2.3, 1.3])
    with top[0]:
        widgets.indicator_select(catalog)
    with top[1]:
        ind = catalog[view.indicator]
        widgets.level_select(ind.levels)
    with top[2]:
        mode = widgets.choice(
            tr("karte.mode"),
            "modus",
            ["stand", "veraenderung"],
            {"stand": tr("karte.mode_state"), "veraenderung": tr("karte.mode_change")},
            default="stand",
        )
    change = mode == "veraenderung" and len(ctx.indicator_years[ind.id]) > 1
    row = st.columns([1.9, 2.3, 1.3])
    with row[0]:
        if change:
            widgets.year_select(
                ctx,
                view,
                field="year_from",
                label_key="karte.year_from",
                key="w_jahr_von",
            )
        widgets.year_select(ctx, view)
    with row[1]:
        if not change:
            widgets.scheme_select()
    with row[2]:
        if not change and view.scheme != "fixed":
            widgets.k_select()
        elif not change:
            typed = st.text_input(
                tr("karte.breaks"),
                value=extra("grenzen", None, ""),
                help=tr("karte.breaks_help"),
                key="w_grenzen",
            )
            if typed != extra("grenzen", None, ""):
                update_extra("grenzen", typed or None)
    facility_points = facility_data.points(store)
    distance = 500
    if not facility_points.empty:
        row = st.columns([1.9, 4.6])
        with row[0]:
            shown_categories = widgets.facility_layer(
                facility_points, categories_slot=row[1]
            )
        with row[1]:
            if shown_categories:
                distance = widgets.facility_distance(facility_data.DISTANCES)
    else:
        shown_categories = []

# -- data -------------------------------------------------------------------------
level = view.level
try:
    layer = map_layer(
        store,
        LayerKey(
            ind.id,
            view.year,
            view.year_from,
            level,
            view.scheme,
            view.k,
            extra("grenzen", None, ""),
            change,
            lang(),
        ),
    )
except ValueError as exc:
    st.error(tr("errors.page_failed", message=str(exc)))
    stop_page()
table, classes, colors = layer.table, layer.classes, layer.colors
if layer.breaks_invalid:
    st.warning(tr("karte.breaks_invalid"), icon=":material/edit_note:")
city = layer.city_value
selected_row = layer.row(view.area)

# -- map, legend and selected area ---------------------------------------------------
focus_geom = data.focus_outline(store)
coverage = (
    facility_data.children_coverage(store, view.year, level, distance)
    if shown_categories and level in FACILITY_LEVELS
    else None
)


def uncertainty_lines(r) -> None:
    """The selected area's 95 % interval (method named), whether it differs
    significantly from the rest of the city, and the note when the interval is
    wider than its difference to the city."""
    if "ci_lower" in r.index:
        lower, upper, method = r.ci_lower, r.ci_upper, r.ci_method
    else:  # an image level: the interval of this one cell, no test
        iv = uncertainty.rate_columns([r.numerator], [r.denominator], ind.unit)
        lower, upper, method = iv.ci_lower[0], iv.ci_upper[0], iv.ci_method[0]
    text = uncertainty.interval_text(lower, upper, ind.unit, lang())
    if not text:
        return
    lines = [f"{text} ({uncertainty.method_text(method, lang())})"]
    if "sig_p" in r.index:
        lines.append(uncertainty.significance_text(r.sig_direction, r.sig_p, lang()))
    st.caption("  \n".join(lines))
    note = (
        uncertainty.wider_note(lower, upper, r.diff_city, ind.unit, lang())
        if not change
        else ""
    )
    if note:
        st.info(note, icon=":material/info:")


def facility_lines(area_id: str) -> None:
    """Facilities in the selected area, and how many of its children live near
    one (Luftlinie)."""
    counts = facility_data.area_counts(store, level)
    if area_id not in counts.index:
        return
    own = (
        coverage.table[coverage.table.group == area_id].set_index("category")
        if coverage is not None
        else None
    )
    lines = [f"**{tr('points.title')}** ({tr('points.distance')} {distance} m)"]
    for c in shown_categories:
        line = tr(
            "points.selected_count",
            category=tr(f"points.category_plural.{c}"),
            n=int(counts.loc[area_id, c]),
        )
        if own is not None and c in own.index:
            line += " · " + tr(
                "points.selected_share",
                share=fmt_value(100 * own.share[c], "percent", lang(), decimals=0),
                city=fmt_value(
                    100 * coverage.city.get(c, float("nan")),
                    "percent",
                    lang(),
                    decimals=0,
                ),
            )
        lines.append(line)
    st.caption("  \n".join(lines))


if layer.image is None:
    geo = data.geometries(store, level)
    bounds = geo.total_bounds
    selected_geom = (
        geo.set_index("area_id").geometry.loc[view.area]
        if selected_row is not None
        else None
    )
else:
    lons, lats = zip(*layer.image.raster.corners, strict=True)
    bounds = (min(lons), min(lats), max(lons), max(lats))
    position = data.area_position(store, level, view.area)
    selected_geom = (
        raster_map.cell_outline(layer.image.raster, position)
        if selected_row is not None
        else None
    )

title = (
    tr(
        "karte.title_change",
        indicator=ind.text("name", lang()),
        year_from=view.year_from,
        year=view.year,
    )
    if change
    else tr(
        "karte.title_state",
        indicator=ind.text("name", lang()),
        year=view.year,
        level=tr(f"levels.{level}"),
    )
)
map_height = layout.figure_height(view, 600)
with layout.main_figure(figure):
    st.subheader(title)
    map_col, side = st.columns([2.3, 1])
    with map_col:
        alt = tr(
            "karte.alt",
            city=store.place.city_name,
            indicator=ind.text("name", lang()),
            year=view.year,
            level=tr(f"levels.{level}"),
        )
        shown_points = facility_points[facility_points.category.isin(shown_categories)]
        point_layers = (
            [facilities.points_layer(facilities.point_records(shown_points, lang()))]
            if len(shown_points)
            else []
        )
        if layer.image is None:
            chart = deck.choropleth_deck(
                layer.records,
                view=deck.fit_view(bounds, 720, map_height),
                basemap=data.settings().basemap,
                outline=focus_geom,
                selected=selected_geom,
                height=map_height,
                extra_layers=point_layers,
            )
        else:
            chart = deck.image_deck(
                layer.image.url,
                layer.image.raster.corners,
                view=deck.fit_view(bounds, 720, map_height),
                basemap=data.settings().basemap,
                outline=focus_geom,
                selected=selected_geom,
                height=map_height,
                extra_layers=point_layers,
            )
        event = st.pydeck_chart(
            chart,
            height=map_height,
            key=f"karte_{level}",
            on_select="rerun" if layer.image is None else "ignore",
            selection_mode="single-object",
            alt=alt,
        )
        picked = (
            (event.selection.objects.get("areas") or [])
            if event and layer.image is None
            else []
        )
        if picked and picked[0].get("area_id") and picked[0]["area_id"] != view.area:
            update_view(area=picked[0]["area_id"])
            rerun()
        if layer.image is not None:
            st.caption(tr("karte.image_note", n=fmt_number(layer.n_areas, lang(), 0)))
    with side:
        labels = layer.labels
        entries = [
            (c, lab, tr("karte.n_areas", n=int(n)))
            for c, lab, n in zip(colors, labels, classes.counts, strict=True)
        ]
        entries += status_entries(
            layer.status_counts, lang(), lambda n: tr("karte.n_areas", n=n)
        )
        legend_title = (
            tr("karte.legend_change", unit=tr(f"units.{ind.unit}"))
            if change
            else f"{ind.text('name', lang())} ({tr(f'units.{ind.unit}')})"
        )
        st.html(legend_html(legend_title, entries, outline_label=tr("common.focus")))
        for note in flag_notes(layer.flags, lang()):
            st.caption(note)
        if layer.distribution is not None:
            st.plotly_chart(
                layer.distribution,
                config={"displayModeBar": False},
                key="karte_verteilung",
                alt=tr("karte.distribution_alt"),
            )
            st.caption(
                tr(
                    "karte.distribution_strip"
                    if layer.distribution.layout.meta["kind"] == "strip"
                    else "karte.distribution_histogram"
                )
            )
        st.caption(
            tr(f"schemes.{'diverging' if change else classes.scheme}")
            + " · "
            + tr("karte.rank_note")
        )
        if shown_categories:
            st.html(
                legend_html(
                    tr("points.title"),
                    facilities.legend_entries(shown_points, shown_categories, lang()),
                    icons=facilities.legend_icons(shown_categories, lang()),
                )
            )
            notes = [tr("points.legend_note")]
            if facilities.is_demo(shown_points):
                notes.append(tr("points.demo_note"))
            st.caption(" ".join(notes))
        for note in classes.notes:
            if note.code == "sampled":
                st.caption(
                    tr(
                        "karte.sampled_note",
                        n_sample=fmt_number(note.params["n_sample"], lang(), 0),
                        n=fmt_number(note.params["n"], lang(), 0),
                    )
                )

        st.markdown(f"#### {tr('karte.selected')}")
        if selected_row is None:
            st.caption(
                tr("karte.click_hint" if layer.image is None else "karte.row_hint")
            )
        else:
            r = selected_row
            st.markdown(f"**{r['name']}**")
            st.metric(
                ind.text("name", lang()),
                fmt_value(r.value, ind.unit, lang(), r.status, flag=r.get("flag")),
                fmt_change(r.change, ind.unit, lang(), minus="-") if change else None,
                delta_color={
                    "higher_is_worse": "inverse",
                    "higher_is_better": "normal",
                }.get(ind.direction, "off"),
            )
            if r.status == "ok" and ind.unit != "count":
                st.caption(
                    f"{tr('common.numerator')}: {fmt_number(r.numerator, lang(), 0)}"
                    f" · {tr('common.denominator')}: "
                    f"{fmt_number(r.denominator, lang(), 0)}"
                )
            if r.status == "ok" and not change:
                st.caption(
                    tr(
                        "karte.city_compare",
                        city=fmt_value(city, ind.unit, lang()),
                        diff=fmt_change(r.diff_city, ind.unit, lang()),
                    )
                )
            if r.status == "ok" and ind.unit != "count":
                uncertainty_lines(r)
            if shown_categories and layer.image is None:
                facility_lines(r.area_id)
            layout.page_link("profil", tr("karte.open_profile"), view)


# -- table and download ---------------------------------------------------------------
shown = layer.shown_table()


def table_section() -> None:
    if layer.table_limited:
        st.caption(
            tr(
                "karte.table_limited",
                n=fmt_number(layer.n_areas, lang(), 0),
                top=fmt_number(len(shown), lang(), 0),
            )
        )
    picked_rows = st.dataframe(
        (map_tables.ranked_rows if layer.table_limited else map_tables.display_table)(
            shown, ind.unit, lang(), change=change
        ),
        hide_index=True,
        width="stretch",
        key=f"karte_tabelle_{level}",
        on_select="rerun" if layer.table_limited else "ignore",
        selection_mode="single-row",
    )
    rows = picked_rows.selection.rows if layer.table_limited else []  # type: ignore[union-attr]
    if rows and shown.area_id.iloc[rows[0]] != view.area:
        update_view(area=str(shown.area_id.iloc[rows[0]]))
        rerun()
    st.caption(tr("common.suppressed_legend"))


def facility_table() -> None:
    st.dataframe(
        facilities.counts_table(
            facility_data.area_counts(store, level),
            coverage.table,
            data.areas(store).set_index("area_id").name.astype(str),
            shown_categories,
            lang(),
        ),
        hide_index=True,
        width="stretch",
        key="karte_einrichtungen",
    )
    st.caption(tr("points.table_caption", distance=distance, year=coverage.year))


# drawn only when opened: st.dataframe formats every cell of its Styler on every
# run, about a third of a Karte run (docs/PERFORMANCE.md, "Workshop load")
table_box = layout.opened_expander(
    tr("karte.table_top" if layer.table_limited else "karte.table_title"),
    key=f"karte_tabelle_offen_{level}",
    expanded=layer.image is not None,
)
if table_box is not None:
    with table_box:
        table_section()
if coverage is not None:
    facility_box = layout.opened_expander(
        tr("points.table_title"), key="karte_einrichtungen_offen"
    )
    if facility_box is not None:
        with facility_box:
            facility_table()
elif shown_categories:
    st.caption(tr("points.no_coverage"))
file_name = (
    f"quartiersmonitor_{ind.id}_{level}_"
    f"{f'{view.year_from}-' if change else ''}{view.year}"
    f"{'_demodaten' if store.meta.is_demo else ''}.csv"
)
export_csv = partial(
    map_tables.export_csv,
    layer.full_table,  # built on click: a million rows take seconds
    lang(),
    indicator_id=ind.id,
    year=view.year,
    level=level,
    classes=classes.yb,
    class_labels=layer.labels,
    is_demo=store.meta.is_demo,
    change=change,
    year_from=view.year_from,
)
st.download_button(
    tr("common.download_csv"),
    export_csv,
    file_name=file_name,
    mime="text/csv",
    icon=":material/download:",
)
if layer.image is None and layer.n_areas <= GEO_FILES_MAX:
    page_lang = lang()
    geo_title = title
    source = ind.text("source", page_lang)

    map_areas = partial(
        map_tables.map_frame,
        data.geometries(store, level),
        layer.full_table(),
        level=level,
        classes=classes.yb,
        class_labels=layer.labels,
        change=change,
    )
    map_png = partial(
        map_tables.map_png,
        map_areas,
        colors,
        layer.labels,
        title=geo_title,
        footer=map_footer(store, source, page_lang),
        legend_title=legend_title,
        outline=focus_geom,
        lang=page_lang,
    )
    download_row(
        map_files(
            file_name.removesuffix(".csv"),
            "dl_karte",
            map_areas,
            map_export(
                store,
                title=geo_title,
                indicator_id=ind.id,
                unit=ind.unit,
                year=view.year,
                level=level,
                source=source,
                lang=page_lang,
            ),
            map_png,
        ),
    )
else:
    st.caption(tr("karte.geo_limited", n=fmt_number(GEO_FILES_MAX, lang(), 0)))
st.caption(f"{tr('common.source')}: {ind.text('source', lang())}")
