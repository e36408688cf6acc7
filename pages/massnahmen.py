"""Maßnahmen: the catalogue of measures, their periods, outputs against the
Soll-Pfad, a map, and the progress entry with its audit trail."""

from datetime import date
from functools import partial

import streamlit as st

from monitor.formatting import fmt_date, fmt_number, plain
from monitor.i18n import t
from monitor.programme.vocabulary import MEASURE_STATUSES, RESPONSIBLE_BODIES
from monitor.ui import (
    auth,
    data,
    facility_data,
    facility_panel,
    layout,
    measure_admin,
    programme_data,
    programme_forms,
    role_admin,
    widgets,
)
from monitor.ui.downloads import (
    Table,
    download_row,
    map_export,
    map_files,
    table_files,
)
from monitor.ui.programme_filters import (
    Filter,
    all_option,
    field_filter,
    filter_row,
    link_notes,
)
from monitor.ui.state import extra, lang, stop_page, tr, update_extra
from monitor.views import edit_history, exports, facilities, measure_map
from monitor.views import measures as views
from monitor.views.legend import legend_html
from monitor.views.measures import map_frame as measure_map_frame
from monitor.views.palettes import MEASURE_STATUS_RGB

store, ctx, view = layout.start_page(
    "massnahmen.title", needs=("measures", "progress_reports", "goals")
)
state = auth.edit_state(store)
person = auth.identity(state)
auth.account_bar(store, person, key="massnahmen_auth")

published = data.measures(store)
if published.empty:
    st.info(tr("massnahmen.no_measures"), icon=":material/checklist:")
    stop_page()
st.markdown(tr("massnahmen.intro", n=len(published)))
measures = programme_data.current_measures(store, state)
measures["published_status"] = measures.measure_id.map(
    published.set_index("measure_id").status
)
reports = programme_data.all_reports(store, state)
today = date.today()

# -- filters (URL keys ag, feld, status, zustaendig, suche, massnahme) -----------------
groups = views.group_names(data.goals(store), measures)
statuses = {s: tr(f"progress.status.{s}") for s in MEASURE_STATUSES}
bodies = {r: tr(f"progress.responsible.{r}") for r in RESPONSIBLE_BODIES}
chosen, (search_col,) = filter_row(
    view,
    [
        Filter(tr("ziele.filter_group"), "ag", all_option() | groups),
        field_filter(),
        Filter(tr("massnahmen.filter_status"), "status", all_option() | statuses),
        Filter(
            tr("massnahmen.filter_responsible"), "zustaendig", all_option() | bodies
        ),
    ],
    widths=[1.2, 1.3, 1, 1, 1.4],
)
with search_col:
    query = extra("suche", None, "")
    typed = st.text_input(
        tr("massnahmen.search"),
        value=query,
        key="w_suche",
        placeholder=tr("massnahmen.search_placeholder"),
    )
    if typed != query:
        update_extra("suche", typed.strip() or None)
        query = typed
shown = views.filter_measures(
    measures,
    group=chosen["ag"],
    field=chosen["feld"],
    status=chosen["status"],
    responsible=chosen["zustaendig"],
    query=query,
)

# -- status counts ---------------------------------------------------------------------
counts = views.status_counts(shown)
count_cols = st.columns(len(counts) + 1)
count_cols[0].metric(tr("massnahmen.count_all"), len(shown))
for column, (key, n) in zip(count_cols[1:], counts.items(), strict=True):
    column.metric(tr(f"progress.status.{key}"), n)
if shown.empty:
    st.info(tr("massnahmen.none_match"))
    stop_page()

# -- catalogue, timeline, Soll-Pfad and map --------------------------------------------
tab_list, tab_time, tab_path = st.tabs(
    [
        tr("massnahmen.tab_catalogue"),
        tr("massnahmen.tab_timeline"),
        tr("massnahmen.tab_path"),
    ]
)
with tab_list:
    st.dataframe(
        programme_data.catalogue_table(shown, reports, lang()),
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(shown)),
    )
    st.caption(tr("massnahmen.catalogue_caption"))
    page_lang = lang()
    measure_sources = list(dict.fromkeys(shown.source.dropna().astype(str)))
    measures_stem = exports.file_stem("massnahmen", is_demo=store.meta.is_demo)
    measures_table = Table(
        t("massnahmen.sheet", page_lang),
        programme_data.measure_export_frame(shown, reports, page_lang),
        f"{measures_stem}.csv",
        source="; ".join(measure_sources),
    )
    download_row(
        table_files(
            store,
            "dl_mn",
            measures_stem,
            [measures_table],
            title=t("massnahmen.title", page_lang),
            sources=measure_sources,
        )
    )
with tab_time:
    st.plotly_chart(
        programme_data.timeline_figure(
            shown, lang=lang(), today=today, scale=layout.chart_scale(view)
        ),
        config={"displaylogo": False, "displayModeBar": False},
        key="measures_timeline",
        alt=tr("massnahmen.timeline_alt", n=len(shown)),
    )
    st.caption(tr("massnahmen.timeline_caption"))
with tab_path:
    rows = programme_data.path_rows(shown, reports)
    if rows.empty:
        st.info(tr("massnahmen.path_none"))
    else:
        st.plotly_chart(
            programme_data.path_bars(rows, lang=lang(), scale=layout.chart_scale(view)),
            config={"displaylogo": False, "displayModeBar": False},
            key="measures_path",
            alt=tr("massnahmen.path_alt", n=len(rows)),
        )
    st.caption(tr("massnahmen.path_caption"))
st.subheader(tr("massnahmen.map_title"))
facility_points = facility_data.points(store)
shown_categories = widgets.facility_layer(facility_points, key="w_mn_einrichtungen")
shown_points = facility_points[facility_points.category.isin(shown_categories)]
area_points = programme_data.area_points(store)
deck, n_points, n_rings = measure_map.measures_deck(
    shown,
    area_points=area_points,
    quarters=programme_data.quarter_borders(store),
    focus_geom=data.focus_outline(store),
    basemap=data.settings().basemap,
    lang=lang(),
    extra_layers=[
        facilities.points_layer(facilities.point_records(shown_points, lang()))
    ]
    if len(shown_points)
    else [],
)
map_col, legend_col = st.columns([2.4, 1])
with map_col:
    st.pydeck_chart(
        deck,
        height=520,
        key="measures_map",
        alt=tr("massnahmen.map_alt", n=n_points + n_rings),
    )
with legend_col:
    entries = [
        (MEASURE_STATUS_RGB[s], tr(f"progress.status.{s}"), str(n))
        for s, n in counts.items()
    ]
    st.html(
        legend_html(
            tr("massnahmen.map_legend"), entries, outline_label=tr("common.focus")
        )
    )
    st.caption(
        tr(
            "massnahmen.map_caption",
            points=n_points,
            rings=n_rings,
            none=len(shown) - n_points - n_rings,
        )
    )
    if shown_categories:
        st.html(
            legend_html(
                tr("points.title"),
                facilities.legend_entries(shown_points, shown_categories, lang()),
                icons=facilities.legend_icons(shown_categories, lang()),
            )
        )
        facility_panel.demo_caption(shown_points)

download_row(
    map_files(
        exports.file_stem("massnahmen_karte", is_demo=store.meta.is_demo),
        "dl_mn_map",
        partial(measure_map_frame, shown, area_points),
        map_export(
            store,
            title=tr("massnahmen.map_title"),
            indicator_id="massnahmen",
            unit="",
            year=today.year,
            level="massnahmen",
            source="; ".join(dict.fromkeys(shown.source.dropna().astype(str))),
            lang=lang(),
        ),
    )
)

# -- one measure -----------------------------------------------------------------------
st.subheader(tr("massnahmen.detail_title"))
labels = {m: f"{m} · {t}" for m, t in zip(shown.measure_id, shown.title, strict=True)}
link_notes({"massnahme": set(measures.measure_id)})
measure_id = widgets.choice(
    tr("massnahmen.choose"), "massnahme", list(labels), labels,
    default=list(labels)[0], widget=st.selectbox, note=False,
)  # fmt: skip
measure = shown.set_index("measure_id").loc[measure_id].to_dict()
measure["measure_id"] = measure_id
own_reports = reports[reports.measure_id == measure_id]
facts, chart = st.columns([1, 1.6])
with facts:
    st.markdown(
        tr(
            "massnahmen.facts",
            status=tr(f"progress.status.{measure['status']}"),
            field=tr(f"progress.field.{measure['handlungsfeld']}"),
            group=plain(groups.get(measure["working_group"], measure["working_group"])),
            responsible=tr(f"progress.responsible.{measure['responsible']}"),
            lead=plain(measure["lead"] or "–"),
            start=fmt_date(measure["start"], lang()) if measure["start"] else "–",
            end=fmt_date(measure["end"], lang()) if measure["end"] else "–",
            budget="–"
            if measure["budget_eur"] != measure["budget_eur"]
            else fmt_number(measure["budget_eur"], lang(), 0) + " €",
            goals=plain(", ".join(measure["goal_ids"]) or "–"),
        )
    )
    if measure["quantified"]:
        st.markdown(
            tr(
                "massnahmen.output_facts",
                output=plain(measure["output_indicator"]),
                base=fmt_number(measure["baseline_value"], lang(), 0),
                target=fmt_number(measure["target_value"], lang(), 0),
                unit=plain(measure["output_unit"] or ""),
                target_date=fmt_date(measure["target_date"], lang()),
            )
        )
with chart:
    if measure["quantified"]:
        st.plotly_chart(
            programme_data.measure_path_chart(
                measure, own_reports, lang=lang(), today=today,
                scale=layout.chart_scale(view),
            ),
            config={"displaylogo": False, "displayModeBar": False},
            key=f"measure_chart_{measure_id}",
            alt=tr("massnahmen.chart_alt", title=measure["title"]),
        )  # fmt: skip
        st.caption(tr("massnahmen.chart_caption"))
    else:
        st.info(tr("massnahmen.no_output"))

# -- history: published reports and the app's audit trail ------------------------------
st.markdown(f"#### {tr('massnahmen.history_title')}")
st.dataframe(
    edit_history.reports_table(own_reports, measure.get("output_unit"), lang()),
    hide_index=True,
    width="stretch",
)
log_entries = state.history(measure_id)
if log_entries:
    st.markdown(f"##### {tr('massnahmen.log_title')}")
    st.dataframe(
        edit_history.history_table(
            log_entries, state, lang=lang(), unit=measure.get("output_unit")
        ),
        hide_index=True,
        width="stretch",
    )
    if auth.can(person, "record"):
        programme_forms.revert_control(
            store,
            [e for e in log_entries if e.kind != "measure"],
            state,
            action="record",
            key="measure",
        )
st.caption(tr("massnahmen.history_caption"))

# -- progress entry (editors) and administration (admins) ------------------------------
st.markdown(f"#### {tr('progress.form_title')}")
programme_forms.show_message()
if auth.can(person, "record"):
    programme_forms.progress_forms(store, measure, reports)
else:
    st.info(tr(f"progress.no_form_{person.mode}"), icon=":material/lock:")
if auth.can(person, "manage"):
    measure_admin.measure_admin(store, measure, measures, published, state)
    role_admin.role_admin(store, state)
