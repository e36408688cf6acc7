"""Ziele: the working groups' goals against the path to their targets (outcomes)."""

import streamlit as st

from monitor.edits import HANDLUNGSFELDER
from monitor.formatting import fmt_value
from monitor.ui import auth, data, layout, widgets
from monitor.ui.state import lang, tr
from monitor.views import programme

store, ctx, view = layout.start_page("ziele.title")
state = auth.edit_state(store)
person = auth.identity(state)
auth.account_bar(store, person, key="ziele_auth")

published = data.goals(store)
if published.empty:
    st.info(tr("ziele.no_goals"), icon=":material/flag:")
    st.stop()
st.markdown(tr("ziele.intro"))
goals = programme.current_goals(published, state)
areas = data.areas(store).set_index("area_id")
values = data.area_values(store, tuple(sorted(set(goals.area_id))))
overview = programme.goal_overview(goals, values, store.catalog, lang())
area_names = {a: areas.name.get(a, a) for a in set(goals.area_id)}

# -- filters (URL keys ag, feld, raum, ziel) -------------------------------------------
all_label = {"alle": tr("ziele.all")}
groups = all_label | dict(
    sorted(zip(goals.working_group, goals.working_group_name, strict=True))
)
fields = all_label | {f: tr(f"progress.field.{f}") for f in HANDLUNGSFELDER}
places = all_label | dict(sorted(area_names.items(), key=lambda kv: kv[1]))
auth.link_notes({"ag": groups, "feld": fields, "raum": places})
with layout.controls(view):
    left, middle, right = st.columns(3)
    with left:
        group = widgets.choice(
            tr("ziele.filter_group"), "ag", list(groups), groups,
            default="alle", widget=st.selectbox,
        )  # fmt: skip
    with middle:
        field = widgets.choice(
            tr("ziele.filter_field"), "feld", list(fields), fields,
            default="alle", widget=st.selectbox,
        )  # fmt: skip
    with right:
        place = widgets.choice(
            tr("ziele.filter_area"), "raum", list(places), places,
            default="alle", widget=st.selectbox,
        )  # fmt: skip
shown = programme.filter_goals(overview, group, field, place)

# -- status board ----------------------------------------------------------------------
counts = shown.category.value_counts()
for column, category in zip(
    st.columns(len(programme.CATEGORY_COLORS)), programme.CATEGORY_COLORS, strict=True
):
    with column:
        st.metric(tr(f"progress.category.{category}"), int(counts.get(category, 0)))
if shown.empty:
    st.info(tr("ziele.none_match"))
    st.stop()
st.html(programme.overview_html(shown, area_names, lang()))
st.caption(tr("ziele.board_caption"))

# -- one goal --------------------------------------------------------------------------
st.subheader(tr("ziele.detail_title"))
labels = {g: f"{g} · {t}" for g, t in zip(shown.goal_id, shown.title, strict=True)}
auth.link_notes({"ziel": set(goals.goal_id)})  # a filtered-out goal is no error
goal_id = widgets.choice(
    tr("ziele.choose_goal"), "ziel", list(labels), labels,
    default=list(labels)[0], widget=st.selectbox,
)  # fmt: skip
row = shown.set_index("goal_id").loc[goal_id].to_dict() | {"goal_id": goal_id}
goal = goals.set_index("goal_id").loc[goal_id].to_dict() | {"goal_id": goal_id}
series = programme.goal_series(values, goal)
unit = row["unit"]
chart_col, facts = st.columns([1.9, 1])
with chart_col:
    st.plotly_chart(
        programme.goal_chart(
            series,
            row,
            lang=lang(),
            title=f"{row['indicator']} · {area_names[row['area_id']]}",
            scale=layout.chart_scale(view),
        ),
        config={"displaylogo": False, "displayModeBar": False},
        key=f"goal_chart_{goal_id}",
        alt=tr("ziele.chart_alt", title=row["title"], indicator=row["indicator"]),
    )
    st.caption(tr(f"ziele.method_{row['method']}"))
with facts:
    st.html(
        programme.category_badge(
            row["category"], tr(f"progress.category.{row['category']}")
        )
        + "&nbsp;"
        + programme.weather_svg(row["symbol"], tr(f"progress.weather.{row['symbol']}"))
    )
    base_text = fmt_value(row["baseline_value"], unit, lang())
    st.metric(tr("ziele.baseline", year=row["baseline_year"]), base_text)
    if row["n_points"]:
        st.metric(
            tr("ziele.latest", year=row["latest_year"]),
            fmt_value(row["latest_value"], unit, lang()),
        )
    if row["method"] == "cagr_target":
        st.metric(
            tr("ziele.target", year=row["target_year"]),
            fmt_value(row["target_value"], unit, lang()),
        )
        st.markdown(
            tr(
                "ziele.rates",
                required=programme.fmt_rate(row["cagr_required"], lang()),
                observed=programme.fmt_rate(row["cagr_observed"], lang()),
                ratio=programme.fmt_ratio(row["ratio"], lang()),
            )
        )
    else:
        st.markdown(
            tr(
                "ziele.rate_direction",
                observed=programme.fmt_rate(row["cagr_observed"], lang()),
                direction=tr(f"ziele.direction_only_{row['direction']}"),
            )
        )
    for note in row["notes"]:
        st.caption(tr(f"progress.notes.{note}"))
    st.caption(tr(f"ziele.weather_{row['weather_variant'] or 'none'}"))
    for note in row["weather_notes"]:
        st.caption(tr(f"progress.notes.{note}"))

# -- measures linked to the goal: outputs, listed apart --------------------------------
st.markdown(f"#### {tr('ziele.linked_title')}")
linked = programme.current_measures(data.measures(store), state)
linked = linked[[goal_id in ids for ids in linked.goal_ids]]
if linked.empty:
    st.caption(tr("ziele.linked_none"))
else:
    st.markdown(
        "\n".join(
            f"- {m.measure_id} · {m.title} – {tr(f'progress.status.{m.status}')}"
            for m in linked.itertuples()
        )
    )
st.caption(tr("ziele.linked_caption"))

# -- administration --------------------------------------------------------------------
if auth.can(person, "manage"):
    auth.goal_admin(store, goal, goals, published, state)
