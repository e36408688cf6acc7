"""Ziele: the working groups' goals against the path to their targets (outcomes)."""

import streamlit as st

from monitor.formatting import fmt_value, plain
from monitor.i18n import t
from monitor.ui import auth, data, goal_admin, layout, programme_data, widgets
from monitor.ui.downloads import Table, download_row, table_files
from monitor.ui.programme_filters import (
    Filter,
    all_option,
    field_filter,
    filter_row,
    link_notes,
)
from monitor.ui.state import lang, stop_page, tr
from monitor.views import exports, goal_board
from monitor.views import goals as goal_views
from monitor.views.palettes import CATEGORY_COLORS
from monitor.views.programme_text import fmt_rate, fmt_ratio

store, ctx, view = layout.start_page(
    "ziele.title", needs=("goals", "measures", "progress_reports")
)
state = auth.edit_state(store)
person = auth.identity(state)
auth.account_bar(store, person, key="ziele_auth")

published = data.goals(store)
if published.empty:
    st.info(tr("ziele.no_goals"), icon=":material/flag:")
    stop_page()
st.markdown(tr("ziele.intro"))
goals = programme_data.current_goals(store, state)
areas = data.areas(store).set_index("area_id")
values = data.area_values(store, tuple(sorted(set(goals.area_id))))
overview = programme_data.goal_overview(store, goals, lang())
area_names = {a: areas.name.get(a, a) for a in set(goals.area_id)}

# -- filters (URL keys ag, feld, raum, ziel) -------------------------------------------
group_names = dict(
    sorted(zip(goals.working_group, goals.working_group_name, strict=True))
)
chosen, _ = filter_row(
    view,
    [
        Filter(tr("ziele.filter_group"), "ag", all_option() | group_names),
        field_filter(),
        Filter(
            tr("ziele.filter_area"),
            "raum",
            all_option() | dict(sorted(area_names.items(), key=lambda kv: kv[1])),
        ),
    ],
)
shown = goal_views.filter_goals(overview, chosen["ag"], chosen["feld"], chosen["raum"])

# -- status board ----------------------------------------------------------------------
counts = shown.category.value_counts()
for column, category in zip(
    st.columns(len(CATEGORY_COLORS)), CATEGORY_COLORS, strict=True
):
    with column:
        st.metric(tr(f"progress.category.{category}"), int(counts.get(category, 0)))
if shown.empty:
    st.info(tr("ziele.none_match"))
    stop_page()
st.html(programme_data.goal_board_html(shown, area_names, lang()))
st.caption(tr("ziele.board_caption"))
page_lang = lang()
goal_sources = list(dict.fromkeys(goals.source.dropna().astype(str)))
goals_stem = exports.file_stem("ziele", is_demo=store.meta.is_demo)
goals_table = Table(
    t("ziele.sheet", page_lang),
    goal_views.export_frame(shown, area_names, page_lang),
    f"{goals_stem}.csv",
    source="; ".join(goal_sources),
)
download_row(
    table_files(
        store,
        "dl_ziele",
        goals_stem,
        [goals_table],
        title=t("ziele.title", page_lang),
        indicator_ids=list(shown.indicator_id),
        sources=goal_sources,
    )
)

# -- one goal --------------------------------------------------------------------------
st.subheader(tr("ziele.detail_title"))
labels = {g: f"{g} · {t}" for g, t in zip(shown.goal_id, shown.title, strict=True)}
link_notes({"ziel": set(goals.goal_id)})  # a filtered-out goal is no error
goal_id = widgets.choice(
    tr("ziele.choose_goal"), "ziel", list(labels), labels,
    default=list(labels)[0], widget=st.selectbox, note=False,
)  # fmt: skip
row = shown.set_index("goal_id").loc[goal_id].to_dict() | {"goal_id": goal_id}
goal = goals.set_index("goal_id").loc[goal_id].to_dict() | {"goal_id": goal_id}
series = goal_views.goal_series(values, goal)
unit = row["unit"]
chart_col, facts = st.columns([1.9, 1])
with chart_col:
    st.plotly_chart(
        programme_data.goal_chart(
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
        goal_board.category_badge(
            row["category"], tr(f"progress.category.{row['category']}")
        )
        + "&nbsp;"
        + goal_board.weather_svg(row["symbol"], tr(f"progress.weather.{row['symbol']}"))
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
                required=fmt_rate(row["cagr_required"], lang()),
                observed=fmt_rate(row["cagr_observed"], lang()),
                ratio=fmt_ratio(row["ratio"], lang()),
            )
        )
    else:
        st.markdown(
            tr(
                "ziele.rate_direction",
                observed=fmt_rate(row["cagr_observed"], lang()),
                direction=tr(f"ziele.direction_only_{row['direction']}"),
            )
        )
    for note in row["notes"]:
        st.caption(tr(f"progress.notes.{note}"))
    st.caption(tr(f"ziele.weather_{row['weather_variant'] or 'none'}"))
    for note in row["weather_notes"]:
        st.caption(tr(f"progress.notes.{note}"))

# -- the two verdicts side by side: which years each compares, and why they differ ----
if row["category"] != "not_assessable" and row["symbol"] != "not_assessable":
    windows = {
        "base_year": row["baseline_year"],
        "latest_year": row["latest_year"],
        "from_year": row["weather_from_year"],
        "to_year": row["weather_to_year"],
        "n": row["weather_points"],
        "category": tr(f"progress.category.{row['category']}"),
        "weather": tr(f"progress.weather.{row['symbol']}"),
    }
    cagr_col, weather_col = st.columns(2)
    cagr_col.markdown(tr("ziele.window_cagr", **windows))
    weather_col.markdown(tr("ziele.window_weather", **windows))
    if row["verdicts_disagree"]:
        reach = "before" if windows["from_year"] < windows["base_year"] else "within"
        st.info(
            tr(f"ziele.verdicts_differ_{reach}", **windows),
            icon=":material/compare_arrows:",
        )

# -- measures linked to the goal: outputs, listed apart --------------------------------
st.markdown(f"#### {tr('ziele.linked_title')}")
linked = programme_data.current_measures(store, state)
linked = linked[[goal_id in ids for ids in linked.goal_ids]]
if linked.empty:
    st.caption(tr("ziele.linked_none"))
else:
    st.markdown(
        "\n".join(
            f"- {m.measure_id} · {plain(m.title)} – {tr(f'progress.status.{m.status}')}"
            for m in linked.itertuples()
        )
    )
st.caption(tr("ziele.linked_caption"))

# -- administration --------------------------------------------------------------------
if auth.can(person, "manage"):
    goal_admin.goal_admin(store, goal, goals, published, state)
