"""Maßnahmen: the catalogue of measures, their periods, outputs against the
Soll-Pfad, a map, and the progress entry with its audit trail."""

from datetime import date

import streamlit as st

from monitor.edits import HANDLUNGSFELDER, MEASURE_STATUSES, RESPONSIBLE_BODIES
from monitor.formatting import fmt_date, fmt_number
from monitor.ui import auth, data, layout, widgets
from monitor.ui.state import extra, lang, tr, update_extra
from monitor.views import programme
from monitor.views.legend import legend_html

store, ctx, view = layout.start_page("massnahmen.title")
state = auth.edit_state(store)
person = auth.identity(state)
auth.account_bar(store, person, key="massnahmen_auth")

published = data.measures(store)
if published.empty:
    st.info(tr("massnahmen.no_measures"), icon=":material/checklist:")
    st.stop()
st.markdown(tr("massnahmen.intro", n=len(published)))
measures = programme.current_measures(published, state)
measures["published_status"] = measures.measure_id.map(
    published.set_index("measure_id").status
)
reports = programme.all_reports(data.progress_reports(store), state)
today = date.today()

# -- filters (URL keys ag, feld, status, zustaendig, suche, massnahme) -----------------
all_label = {"alle": tr("ziele.all")}
groups = all_label | programme.group_names(data.goals(store), measures)
fields = all_label | {f: tr(f"progress.field.{f}") for f in HANDLUNGSFELDER}
statuses = all_label | {s: tr(f"progress.status.{s}") for s in MEASURE_STATUSES}
bodies = all_label | {r: tr(f"progress.responsible.{r}") for r in RESPONSIBLE_BODIES}
auth.link_notes(
    {"ag": groups, "feld": fields, "status": statuses, "zustaendig": bodies}
)
with layout.controls(view):
    cols = st.columns([1.2, 1.3, 1, 1, 1.4])
    with cols[0]:
        group = widgets.choice(
            tr("ziele.filter_group"), "ag", list(groups), groups,
            default="alle", widget=st.selectbox,
        )  # fmt: skip
    with cols[1]:
        field = widgets.choice(
            tr("ziele.filter_field"), "feld", list(fields), fields,
            default="alle", widget=st.selectbox,
        )  # fmt: skip
    with cols[2]:
        status = widgets.choice(
            tr("massnahmen.filter_status"), "status", list(statuses), statuses,
            default="alle", widget=st.selectbox,
        )  # fmt: skip
    with cols[3]:
        body = widgets.choice(
            tr("massnahmen.filter_responsible"), "zustaendig", list(bodies), bodies,
            default="alle", widget=st.selectbox,
        )  # fmt: skip
    with cols[4]:
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
shown = programme.filter_measures(
    measures, group=group, field=field, status=status, responsible=body, query=query
)

# -- status counts ---------------------------------------------------------------------
counts = programme.status_counts(shown)
count_cols = st.columns(len(counts) + 1)
count_cols[0].metric(tr("massnahmen.count_all"), len(shown))
for column, (key, n) in zip(count_cols[1:], counts.items(), strict=True):
    column.metric(tr(f"progress.status.{key}"), n)
if shown.empty:
    st.info(tr("massnahmen.none_match"))
    st.stop()

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
        programme.catalogue_table(shown, reports, lang()),
        hide_index=True,
        width="stretch",
        height=min(420, 38 + 35 * len(shown)),
    )
    st.caption(tr("massnahmen.catalogue_caption"))
with tab_time:
    st.plotly_chart(
        programme.timeline_figure(
            shown, lang=lang(), today=today, scale=layout.chart_scale(view)
        ),
        config={"displaylogo": False, "displayModeBar": False},
        key="measures_timeline",
        alt=tr("massnahmen.timeline_alt", n=len(shown)),
    )
    st.caption(tr("massnahmen.timeline_caption"))
with tab_path:
    rows = programme.path_rows(shown, reports)
    if rows.empty:
        st.info(tr("massnahmen.path_none"))
    else:
        st.plotly_chart(
            programme.path_bars(rows, lang=lang(), scale=layout.chart_scale(view)),
            config={"displaylogo": False, "displayModeBar": False},
            key="measures_path",
            alt=tr("massnahmen.path_alt", n=len(rows)),
        )
    st.caption(tr("massnahmen.path_caption"))
st.subheader(tr("massnahmen.map_title"))
lookup = data.areas(store)
quarters = data.geometries(store, "quartier")
inner = quarters[
    quarters.area_id.isin(lookup[lookup.parent_id == "innenstadt"].area_id)
]
deck, n_points, n_rings = programme.measures_deck(
    shown,
    area_points=programme.area_points(
        [data.geometries(store, lv) for lv in ("stadtteil", "fokusgebiet", "quartier")]
    ),
    quarters=inner if len(inner) else quarters,
    focus_geom=data.focus_outline(store),
    basemap=data.settings().basemap,
    lang=lang(),
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
        (programme.STATUS_RGB[s], tr(f"progress.status.{s}"), str(n))
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

# -- one measure -----------------------------------------------------------------------
st.subheader(tr("massnahmen.detail_title"))
labels = {m: f"{m} · {t}" for m, t in zip(shown.measure_id, shown.title, strict=True)}
auth.link_notes({"massnahme": set(measures.measure_id)})
measure_id = widgets.choice(
    tr("massnahmen.choose"), "massnahme", list(labels), labels,
    default=list(labels)[0], widget=st.selectbox,
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
            group=groups.get(measure["working_group"], measure["working_group"]),
            responsible=tr(f"progress.responsible.{measure['responsible']}"),
            lead=measure["lead"] or "–",
            start=fmt_date(measure["start"], lang()) if measure["start"] else "–",
            end=fmt_date(measure["end"], lang()) if measure["end"] else "–",
            budget="–"
            if measure["budget_eur"] != measure["budget_eur"]
            else fmt_number(measure["budget_eur"], lang(), 0) + " €",
            goals=", ".join(measure["goal_ids"]) or "–",
        )
    )
    if measure["quantified"]:
        st.markdown(
            tr(
                "massnahmen.output_facts",
                output=measure["output_indicator"],
                base=fmt_number(measure["baseline_value"], lang(), 0),
                target=fmt_number(measure["target_value"], lang(), 0),
                unit=measure["output_unit"] or "",
                target_date=fmt_date(measure["target_date"], lang()),
            )
        )
with chart:
    if measure["quantified"]:
        st.plotly_chart(
            programme.measure_path_chart(
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
    programme.reports_table(own_reports, measure.get("output_unit"), lang()),
    hide_index=True,
    width="stretch",
)
log_entries = state.history(measure_id)
if log_entries:
    st.markdown(f"##### {tr('massnahmen.log_title')}")
    st.dataframe(
        programme.history_table(
            log_entries, state, lang=lang(), unit=measure.get("output_unit")
        ),
        hide_index=True,
        width="stretch",
    )
    if auth.can(person, "record"):
        auth.revert_control(
            store,
            [e for e in log_entries if e.kind != "measure"],
            state,
            action="record",
            key="measure",
        )
st.caption(tr("massnahmen.history_caption"))

# -- progress entry (editors) and administration (admins) ------------------------------
st.markdown(f"#### {tr('progress.form_title')}")
auth.show_message()
if auth.can(person, "record"):
    auth.progress_forms(store, measure, reports)
else:
    st.info(tr(f"progress.no_form_{person.mode}"), icon=":material/lock:")
if auth.can(person, "manage"):
    auth.measure_admin(store, measure, measures, published, state)
    auth.role_admin(store, state)
