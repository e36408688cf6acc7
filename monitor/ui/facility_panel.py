"""The facilities section of the Profil: how many facilities an area has, how
many of its children live within a straight-line distance of one, and (switched
on) a map of the area with the facilities. Nothing when the data folder has no
points.parquet."""

from __future__ import annotations

import streamlit as st

from monitor.formatting import fmt_value
from monitor.store import Store
from monitor.ui import data, facility_data, widgets
from monitor.ui.state import lang, tr
from monitor.views import deck, facilities
from monitor.views.legend import legend_html
from monitor.views.palettes import HIGHLIGHT, to_rgb_list

__all__ = ["profile_section", "demo_caption"]


def demo_caption(points) -> None:
    if facilities.is_demo(points):
        st.caption(tr("points.demo_note"))


def _area_map(store: Store, area_id: str, level: str, shown, name: str) -> None:
    geo = data.geometries(store, level)
    own = geo[geo.area_id == area_id]
    if own.empty:
        return
    fills = [
        [*to_rgb_list(HIGHLIGHT), 70] if a == area_id else [0, 0, 0, 0]
        for a in geo.area_id
    ]
    records = deck.polygon_records(geo, fills, [{} for _ in range(len(geo))])
    chart = deck.choropleth_deck(
        records,
        view=deck.fit_view(own.total_bounds, 560, 400, padding=0.35),
        basemap=data.settings().basemap,
        outline=data.focus_outline(store),
        selected=own.geometry.iloc[0],
        height=400,
        pickable=False,
        line_width_px=1,
        extra_layers=[facilities.points_layer(facilities.point_records(shown, lang()))],
    )
    st.pydeck_chart(
        chart,
        height=400,
        key="profil_einrichtungen_karte",
        alt=tr("points.profile_map_alt", name=name),
    )


def profile_section(store: Store, area_id: str, level: str, year: int, name: str):
    """Counts per category, the share of children within the chosen distance
    (area and city) and the switchable map."""
    points = facility_data.points(store)
    if points.empty:
        return
    st.subheader(tr("points.profile_title"))
    controls = st.columns([1.3, 2])
    with controls[0]:
        shown_categories = widgets.facility_layer(
            points, key="w_profil_einrichtungen", categories_slot=controls[1]
        )
        distance = widgets.facility_distance(facility_data.DISTANCES)
    counts = facility_data.area_counts(store, level)
    coverage = facility_data.children_coverage(store, year, level, distance)
    table_col, map_col = (
        st.columns([1.3, 1]) if shown_categories else (st.container(), None)
    )
    with table_col:
        row = counts.loc[area_id] if area_id in counts.index else counts.iloc[0] * 0
        st.dataframe(
            facilities.coverage_table(row, coverage, area_id, lang()),
            hide_index=True,
            width="stretch",
            key="profil_einrichtungen",
        )
        if coverage is not None:
            estimated = fmt_value(
                100 * coverage.estimated_share, "percent", lang(), decimals=1
            )
            st.caption(
                tr("points.profile_caption", distance=distance, year=coverage.year)
                + " "
                + tr("points.within_explain", estimated=estimated)
            )
        demo_caption(points)
    if map_col is not None:
        shown = points[points.category.isin(shown_categories)]
        with map_col:
            _area_map(store, area_id, level, shown, name)
            st.html(
                legend_html(
                    tr("points.title"),
                    facilities.legend_entries(
                        shown, shown_categories, lang(), counts=False
                    ),
                    icons=facilities.legend_icons(shown_categories, lang()),
                )
            )
