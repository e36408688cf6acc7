"""Profil: one area on one page – every indicator by domain against the city,
ranks, references and years, a locator map, the Sozialindex class; downloads of
the table (CSV, XLSX), the charts (PNG) and the Steckbrief (PDF)."""

from functools import partial

import streamlit as st

from monitor.areas import area_labels, area_options, resolve_area
from monitor.formatting import fmt_number, plain
from monitor.ui import data, facility_panel, layout, profile_data, widgets
from monitor.ui.downloads import Download, Table, download_row, table_files
from monitor.ui.state import bound_widget, current_view, lang, tr, update_view
from monitor.views import exports, profile_tables
from monitor.views.steckbrief_pdf import steckbrief_pdf

store, ctx, view = layout.start_page("profil.title", needs=("benchmarks", "measures"))
catalog = store.catalog
meta = store.meta

# -- which area (a raster cell shows its Quartier; the city and unknown levels fall
#    back to the default with a note) --------------------------------------------------
areas = data.areas(store)
names = areas.set_index("area_id").name.astype(str)
area_id, reason = resolve_area(view.area, areas, ctx.default_area)
if reason:
    st.warning(
        tr(
            f"profil.area_{reason}",
            name=plain(names.get(view.area, view.area)),
            shown=plain(names.get(area_id, area_id)),
        ),
        icon=":material/info:",
    )
    update_view(area=area_id)
    view = current_view(ctx)

with layout.controls(view):
    cols = st.columns([2.4, 2])
    with cols[0]:
        bound_widget(
            st.selectbox,
            tr("profil.area"),
            field="area",
            key="w_profil_gebiet",
            options=area_options(areas),
            format_func=area_labels(areas, lang()).get,
        )
    with cols[1]:
        year = widgets.year_select(ctx, view, label_key="profil.year")

prof = profile_data.area_profile(store, area_id, int(year), lang())
provenance = exports.provenance_text(meta.is_demo, meta.data_date, lang())
source_text = "; ".join(prof.sources)

# -- the area at a glance --------------------------------------------------------------
left, right = st.columns([1.45, 1])
with left:
    st.subheader(plain(prof.name))
    facts = [prof.level_label]
    if prof.parent_name and prof.level == "quartier":
        facts.append(tr("profil.in_district", name=plain(prof.parent_name)))
    if prof.area_ha == prof.area_ha:
        facts.append(f"{fmt_number(prof.area_ha, lang(), 0)}\u00a0ha")
    if prof.population == prof.population:
        facts.append(
            tr(
                "profil.population",
                n=fmt_number(prof.population, lang(), 0),
                year=prof.population_year,
            )
        )
    st.markdown(" · ".join(facts))
    layout.metric_cards(profile_tables.headline_cards(prof), delta_arrow="off")
    summary = profile_tables.summary_text(prof)
    st.markdown(f"**{tr('profil.summary_title')}** {summary}")
    social = profile_tables.social_lines(prof)
    if social:
        year_from, year_to = prof.social_span
        st.markdown(
            f"**{tr('profil.social_title', year=year_to, year_from=year_from)}**  \n"
            + "  \n".join(plain(line) for line in social)
        )
        st.caption(tr("profil.social_caveat"))
chart, locator = profile_data.area_figures(
    store,
    area_id,
    int(year),
    lang(),
    layout.chart_scale(view),
    tr("export.chart_source", title=layout.app_title(store), provenance=provenance),
)
with right:
    st.plotly_chart(
        locator,
        config={"displayModeBar": False, "staticPlot": True},
        key="profil_locator",
    )
    st.caption(tr("profil.locator_caption"))

# -- key figures by domain -------------------------------------------------------------
st.subheader(tr("profil.key_figures", year=prof.year))
st.caption(tr("profil.table_caption"))
export, tables = profile_data.area_tables(store, area_id, int(year), lang())
column_config = profile_tables.table_column_config(prof)
for table in tables:
    st.markdown(f"**{plain(table.name)}**")
    st.dataframe(
        table.frame,
        hide_index=True,
        width="stretch",
        column_config={
            key: st.column_config.ImageColumn(
                label, width=width, help=help_text or None
            )
            if kind == "image"
            else st.column_config.TextColumn(
                label,
                width=width,
                help=help_text or None,
                alignment="right" if kind == "number" else "left",
            )
            for key, (kind, label, width, help_text) in column_config.items()
        },
        key=f"profil_table_{table.domain_id}",
        row_height=profile_tables.ROW_HEIGHT,
    )
    if table.notes:
        st.caption(" · ".join(plain(note) for note in table.notes))
st.caption(tr("common.suppressed_legend") + " · " + tr("profil.rank_note"))

st.subheader(tr("profil.chart_title"))
st.plotly_chart(
    chart, config={"displaylogo": False, "displayModeBar": False}, key="profil_chart"
)
st.caption(tr("profil.chart_caption"))

if prof.notes:
    with st.expander(tr("profil.notes_title")):
        for note_year, inds, text in prof.notes:
            st.markdown(f"- **{note_year}** – {plain(inds)}: {plain(text)}")

# -- measures located in the area -----------------------------------------------------
located = prof.measures
st.subheader(tr("profil.measures_title", n=len(located)))
if located.empty:
    st.caption(tr("profil.measures_none"))
else:
    st.dataframe(
        profile_tables.measures_display(located, lang()),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(located), 420),
        key="profil_massnahmen",
    )
    st.caption(tr("profil.measures_caption"))
layout.page_link("massnahmen", tr("profil.open_measures"), view)

area_level = str(areas.set_index("area_id").level[area_id])
facility_panel.profile_section(store, area_id, area_level, int(year), prof.name)

# -- downloads -------------------------------------------------------------------------
st.subheader(tr("export.title"))
stem = exports.file_stem("profil", prof.name, prof.year, is_demo=meta.is_demo)
tables = [
    Table(tr("profil.sheet_profile"), export, f"{stem}.csv", source=source_text),
    Table(tr("profil.sheet_series"), profile_tables.series_export(prof)),
]

download_row(
    [
        Download(
            tr("export.pdf"),
            partial(steckbrief_pdf, prof, catalog),
            f"{stem}.pdf",
            "dl_profil_pdf",
            type="primary",
        ),
        *table_files(
            store,
            "dl_profil",
            stem,
            tables,
            title=tr("export.pdf_title", name=prof.name),
            indicator_ids=catalog.ids,
            sources=prof.sources,
            page_lang=prof.lang,
        ),
        Download(
            tr("export.png_chart"),
            partial(exports.figure_png, chart, width=1100),
            f"{stem}_stadt100.png",
            "dl_profil_png_chart",
        ),
        Download(
            tr("export.png_map"),
            partial(exports.figure_png, locator, width=700, height=560),
            f"{stem}_karte.png",
            "dl_profil_png_map",
            icon=":material/map:",
        ),
    ],
    columns=5,
)
st.caption(tr("export.caption", provenance=provenance))
