"""The page caches of monitor/ui (overview_data, trend_data, programme_data,
hotspot_data's maps) give
what the builders give, and a new edit-log entry is a new key (never a stale state).
A cached figure is a SharedFigure: st.plotly_chart gets its dict without a copy."""

from __future__ import annotations

import json
import logging

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools
import pytest
import shapely

from monitor.programme import merge
from monitor.programme.entry import Entry
from monitor.programme.replay import replay
from monitor.ui import data, hotspot_data, overview_data, programme_data, trend_data
from monitor.views import (
    charts,
    comparison,
    deck,
    exports,
    hotspot_view,
    overview,
    trends,
)
from monitor.views.shared_figure import SharedFigure, shared


@pytest.fixture(autouse=True)
def _quiet():
    logging.disable(logging.WARNING)  # "missing ScriptRunContext" in bare mode
    yield
    logging.disable(logging.NOTSET)


def _plotly_chart_spec(fig) -> str:
    """What st.plotly_chart does with a figure: its dict, serialised."""
    as_dict = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return pio.to_json(as_dict, validate=False)


def test_a_shared_figure_hands_streamlit_one_dict_equal_to_the_figures():
    def build():
        return go.Figure(go.Bar(x=["a", "b"], y=[3, 4]), layout={"title": "t"})

    fig, plain = build(), build()
    same = shared(fig)
    assert same is fig and isinstance(same, SharedFigure)
    handed = plotly.tools.return_figure_from_figure_or_data(same, validate_figure=True)
    assert handed is same.to_dict()  # no deep copy per run
    assert handed == plain.to_dict()
    assert _plotly_chart_spec(same) == _plotly_chart_spec(plain)


def test_cached_comparison_figure_is_the_builders_figure(demo_store):
    place = demo_store.place
    subject = overview.subject_of(place)
    ind_id = place.headline[0]
    year = max(demo_store.indicator_years().query("indicator_id == @ind_id").year)
    values = demo_store.area_values(
        [a for a in (subject.area_id, subject.context_id, subject.city_id) if a]
    )
    bench = demo_store.benchmark_values(list(demo_store.catalog.ids))
    rows = overview.comparison_rows(
        values, bench, place, subject, ind_id, int(year), "de"
    )
    ind = demo_store.catalog[ind_id]
    built = charts.comparison_bars(
        rows,
        title=ind.text("name", "de"),
        unit=ind.unit,
        lang="de",
        height=280 + 30 * max(0, len(rows) - 6),
    )
    cached = overview_data.comparison_figure(
        demo_store, subject.area_id, ind_id, int(year), "de", 1.0
    )
    assert isinstance(cached, SharedFigure)
    assert pio.to_json(cached) == pio.to_json(built)  # what st.plotly_chart sends
    again = overview_data.comparison_figure(
        demo_store, subject.area_id, ind_id, int(year), "de", 1.0
    )
    assert again is cached  # a hit: no rebuild per rerun


@pytest.mark.parametrize("index", [False, True])
def test_cached_trend_panel_is_the_builders_figure(demo_store, index):
    place = demo_store.place
    ind_id = place.headline[0]
    chosen = tuple(dict.fromkeys([*place.focus_ids[:1], *place.default_areas()]))
    city = place.city_id
    years = sorted(
        int(y)
        for y in demo_store.indicator_years().query("indicator_id == @ind_id").year
    )
    series = trends.trend_series(
        values=demo_store.area_values([*chosen, city]),
        bench=demo_store.benchmark_values([ind_id]),
        indicator_id=ind_id,
        area_ids=chosen,
        names=demo_store.areas().set_index("area_id").name.astype(str),
        city=city,
        lang="en",
        benchmarks=place.benchmarks,
    )
    if index:
        series, _ = trends.indexed(series, years[0])
    ind = demo_store.catalog[ind_id]
    panel = trend_data.series_panel(demo_store, ind_id, chosen, index, "en", 1.0, 75)
    built = trends.trend_figure(
        series,
        ind,
        lang="en",
        colors=comparison.series_colors(chosen, place.focus_ids),
        events=trends.break_events(ind, years, "en"),
        index_base=years[0] if index else None,
        footer=f"Source: {ind.text('source', 'en')} · "
        + exports.provenance_text(
            demo_store.meta.is_demo, demo_store.meta.data_date, "en"
        ),
        footer_chars=75,
    )
    assert pio.to_json(panel.figure) == pio.to_json(built)
    again = trend_data.series_panel(demo_store, ind_id, chosen, index, "en", 1.0, 75)
    assert again is panel


def _status(seq: int, measure_id: str, status: str) -> Entry:
    return Entry(
        seq=seq,
        entry_id=f"e{seq}",
        at="2026-03-01T09:15:00+00:00",
        who="a@example.org",
        kind="status",
        target=measure_id,
        data={"status": status, "comment": ""},
        previous={},
    )


def test_a_new_log_entry_is_a_new_key_and_shows_at_once(demo_store):
    published = demo_store.measures()
    measure_id = published.measure_id.iloc[0]
    first = replay([_status(1, measure_id, "delayed")])
    second = replay(
        [_status(1, measure_id, "delayed"), _status(2, measure_id, "completed")]
    )
    assert programme_data.log_key(first) != programme_data.log_key(second)
    for state, expected in ((first, "delayed"), (second, "completed")):
        got = programme_data.current_measures(demo_store, state)
        want = merge.current_measures(published, state)
        assert got.equals(want)
        assert got.set_index("measure_id").status[measure_id] == expected


def _years(store, ind_id: str) -> tuple[int, ...]:
    found = data.indicator_years(store)
    return tuple(sorted(int(y) for y in found[found.indicator_id == ind_id].year))


@pytest.mark.parametrize("class_col", ["gi_class", "lisa_class"])
def test_cached_hotspot_map_is_the_builders_map(demo_store, class_col):
    """The Hotspots page's map, counts and tables come from one shared entry per
    result, class column and language: what the builders give, built once."""
    ind = demo_store.catalog["sgb2_quote"]
    year = int(max(_years(demo_store, ind.id)))
    args = (demo_store, ind.id, year, "quartier", "queen", None, True, True)
    result = hotspot_data.hotspot_result(*args)
    geo = data.geometries(demo_store, "quartier")
    names = data.areas(demo_store).set_index("area_id").name
    records, counts = hotspot_view.records(
        geo, result, class_col, hotspot_view.CLASS_PALETTES[class_col], ind, "en", names
    )
    cached = hotspot_data.class_map(*args, class_col, "en")
    assert cached.records == deck.records_json(records)
    assert dict(cached.counts) == counts and sum(counts.values()) == len(geo)
    expected = hotspot_view.significant_table(result, class_col, names, ind, "en")
    pd.testing.assert_frame_equal(cached.significant, expected)
    table = hotspot_view.export_frame(result, geo.area_id, names, ind, "en")
    pd.testing.assert_frame_equal(cached.table, table)
    assert hotspot_data.class_map(*args, class_col, "en") is cached  # no rebuild
    with pytest.raises(TypeError):
        cached.counts["high"] = 0  # shared by all sessions: read only


def test_cached_emerging_map_is_the_builders_map(demo_store):
    years = _years(demo_store, "sgb2_quote")
    args = (demo_store, "sgb2_quote", years, "quartier", "queen", None, True, True)
    emerging = hotspot_data.emerging_result(*args)
    assert emerging.categories is not None
    records, counts = hotspot_view.emerging_records(
        data.geometries(demo_store, "quartier"),
        emerging.categories,
        data.areas(demo_store).set_index("area_id").name,
        "de",
    )
    cached = hotspot_data.emerging_map(*args, "de")
    assert cached.records == deck.records_json(records)
    assert dict(cached.counts) == counts
    assert hotspot_data.emerging_map(*args, "de") is cached


def test_cached_quarter_borders_are_the_quarters_around_the_focus(demo_store):
    """The Maßnahmen map's quarter borders: the Quartiere of the Stadtteile
    around the Perspektivquartiere, unfilled, serialised once per Store."""
    quarters = data.geometries(demo_store, "quartier")
    areas = data.areas(demo_store)
    around = set(demo_store.place.context_ids.values())
    inside = areas[areas.parent_id.isin(around)].area_id
    wanted = quarters[quarters.area_id.isin(inside)]
    assert 0 < len(wanted) < len(quarters)
    borders = programme_data.quarter_borders(demo_store)
    records = json.loads(borders)
    assert len(records) == int(shapely.get_num_geometries(wanted.geometry).sum())
    assert all(r["fill"] == [0, 0, 0, 0] for r in records)
    assert programme_data.quarter_borders(demo_store) is borders  # no rebuild
