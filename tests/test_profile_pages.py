"""Profil, Vergleich and Entwicklung through AppTest: the URL parameters each page
accepts (gebiet, gebiete, indikatoren, jahr, jahr_von, skala), fallbacks with a note,
and the values in the plotly specs and tables against the store."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from monitor.formatting import fmt_number, fmt_value
from monitor.methods.intervals import rate_interval
from tests.apptest import open_page


def url(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def subheaders(at: AppTest) -> list[str]:
    """Subheaders as read (names are Markdown-escaped on the page)."""
    return [s.value.replace("\\", "") for s in at.subheader]


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [c.value for c in at.caption] + [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def store_value(store, area_id: str, indicator_id: str, year: int):
    values = store.area_values([area_id])
    hit = values[(values.indicator_id == indicator_id) & (values.year == year)]
    return hit.iloc[0]


# -- Profil -------------------------------------------------------------------------
def test_profile_of_a_quartier_from_a_link(demo_store):
    area, year = "innenstadt-oberstadt", 2024
    at = open_page("profil", {"gebiet": area, "jahr": str(year)})
    assert url(at, "gebiet") == area and url(at, "jahr") == str(year)
    assert "Innenstadt-Oberstadt" in subheaders(at)
    # the "Stadt = 100" chart: bars start at 100 and end at 100 * area / city
    specs = plotly_specs(at)
    chart = next(s for s in specs if s["data"][0].get("base") == 100)
    bar = chart["data"][0]
    labels = bar["y"][1]
    own = store_value(demo_store, area, "kinderarmut", year)
    city = store_value(demo_store, "neunkirchen", "kinderarmut", year)
    i = next(k for k, label in enumerate(labels) if label.startswith("Kinderarmut"))
    assert bar["base"] + bar["x"][i] == pytest.approx(100 * own.value / city.value)
    # the table of the domain shows the same value, formatted
    table = at.dataframe[0].value
    row = table[table["Indikator"].str.startswith("Kinderarmut")].iloc[0]
    assert row["Wert"] == fmt_value(own.value, "percent", "de")
    assert row["Stadt"] == fmt_value(city.value, "percent", "de")
    level = demo_store.level_values("kinderarmut", year, "quartier")
    rank = int(
        level.value.rank(ascending=False, method="min")[level.area_id == area].iloc[0]
    )
    assert row["Rang"] == f"{rank} / {level.value.notna().sum()}"
    # its Sozialindex class and the locator map
    assert "Sozialindex" in texts(at)
    assert len(specs) == 2


def test_profile_default_is_the_perspektivquartier_with_its_quartiere():
    at = open_page("profil", {})
    assert "Perspektivquartier Innenstadt" in subheaders(at)
    body = texts(at)
    assert "Innenstadt-Oberstadt: Status" in body  # classes of its three Quartiere
    assert "Rang" not in at.dataframe[0].value.columns  # the only area of its level


def test_profile_shows_suppressed_values_as_dot_with_the_reason(demo_store):
    panel = demo_store.level_panel("quartier")
    hit = panel[(panel.status == "suppressed") & (panel.year == 2025)].iloc[0]
    at = open_page("profil", {"gebiet": hit.area_id, "jahr": "2025"})
    name = demo_store.catalog[hit.indicator_id].name_de
    tables = [df.value for df in at.dataframe]
    rows = [t[t["Indikator"] == name] for t in tables if "Indikator" in t.columns]
    row = next(r for r in rows if len(r)).iloc[0]
    assert row["Wert"] == "."
    assert row["Zähler / Nenner"] == "."
    assert f"{name}: aus Datenschutzgründen nicht ausgewiesen" in texts(at)


@pytest.mark.parametrize(
    "gebiet,expected,note",
    [
        ("r250-E364000-N5465250", None, "Rasterzellen"),  # shows its Quartier
        ("neunkirchen", "Perspektivquartier Innenstadt", "kein Profil"),
        ("gibt-es-nicht", "Perspektivquartier Innenstadt", "unbekannt"),
    ],
)
def test_profile_fallbacks_with_a_note(demo_store, gebiet, expected, note):
    at = open_page("profil", {"gebiet": gebiet})
    assert note in "\n".join(w.value for w in at.warning)
    if expected is None:
        areas = demo_store.areas().set_index("area_id")
        expected = areas.name[areas.parent_id[gebiet]]
    assert expected in subheaders(at)


def test_profile_switching_the_area_keeps_the_link_in_step():
    at = open_page("profil", {"gebiet": "wellesweiler"})
    at.selectbox(key="w_profil_gebiet").select("furpach").run()
    assert not at.exception
    assert url(at, "gebiet") == "furpach"
    assert "Furpach" in subheaders(at)


# -- Vergleich ------------------------------------------------------------------------
def test_vergleich_from_a_link_matches_the_store(demo_store):
    params = {
        "gebiete": "perspektivquartier,innenstadt,wiebelskirchen",
        "indikatoren": "sgb2_quote,arbeitslosenanteil",
        "jahr": "2020",
    }
    at = open_page("vergleich", params)
    for key, value in params.items():
        assert url(at, key) == value
    table = at.dataframe[0].value
    assert list(table["Gebiet"]) == [
        "Perspektivquartier Innenstadt",
        "Innenstadt",
        "Wiebelskirchen",
        "Stadt Neunkirchen",
        "Landkreis Neunkirchen",  # every benchmark of the data, in its order
        "Saarland",
        "Deutschland",
    ]
    column = next(c for c in table.columns if c.startswith("SGB-II-Quote"))
    own = store_value(demo_store, "wiebelskirchen", "sgb2_quote", 2020)
    # the value, then its 95 % interval from the counts in brackets
    iv = rate_interval([own.numerator], [own.denominator], "percent")
    assert table[column].iloc[2] == (
        f"{fmt_value(own.value, 'percent', 'de')} "
        f"({fmt_number(iv.lower[0], 'de', 1)}–{fmt_number(iv.upper[0], 'de', 1)})"
    )
    bench = demo_store.benchmark_values(["sgb2_quote"])
    kreis = bench[
        (bench.benchmark_id == "landkreis") & (bench.year == 2020)
    ].value.iloc[0]
    assert table[column].iloc[4] == fmt_value(kreis, "percent", "de")
    spec = plotly_specs(at)[0]
    panel = spec["data"][0]  # first indicator: one bar per row
    assert panel["y"][2] == "Wiebelskirchen"
    assert panel["x"][2] == pytest.approx(round(own.value, 1))


def test_vergleich_hostile_and_unusable_values_fall_back_with_a_note():
    at = open_page(
        "vergleich",
        {
            "gebiete": "innenstadt,r250-E364000-N5465250,neunkirchen",
            "indikatoren": "<script>,kinderarmut",
        },
    )
    warnings = "\n".join(w.value for w in at.warning)
    assert "Nicht verglichen werden können" in warnings
    assert "unbekannte" in warnings and "<script>" not in warnings
    assert url(at, "gebiete") == "innenstadt"
    assert list(at.dataframe[0].value["Gebiet"])[0] == "Innenstadt"
    assert any("Kinderarmut" in c for c in at.dataframe[0].value.columns)


# -- Entwicklung ---------------------------------------------------------------------
def test_entwicklung_values_index_breaks_and_change(demo_store):
    params = {
        "gebiete": "innenstadt,furpach",
        "indikatoren": "sgb2_quote,kinderarmut",
        "indikator": "sgb2_quote",
        "jahr_von": "2018",
        "jahr": "2024",
        "ebene": "stadtteil",
    }
    at = open_page("entwicklung", params)
    for key, value in params.items():
        assert url(at, key) == value
    specs = plotly_specs(at)
    assert len(specs) == 3  # two series charts, one change chart
    series = {trace["name"]: trace for trace in specs[0]["data"]}
    values = demo_store.area_values(["furpach"])
    sub = values[values.indicator_id == "sgb2_quote"].sort_values("year")
    assert series["Furpach"]["x"] == list(sub.year)
    assert series["Furpach"]["y"] == pytest.approx(list(sub.value))
    assert {"Stadt Neunkirchen", "Landkreis Neunkirchen"} <= set(series)
    # breaks: Covid (2020) and 2022 are marked
    marks = {
        a["x"]: a["text"]
        for a in specs[0]["layout"]["annotations"]
        if a.get("xref") == "x"
    }
    assert {2020, 2022} <= set(marks)
    # the change chart: every Stadtteil ranked, values from the store
    change = specs[2]["data"][0]
    now = demo_store.level_values("sgb2_quote", 2024, "stadtteil").set_index("name")
    before = demo_store.level_values("sgb2_quote", 2018, "stadtteil").set_index("name")
    k = change["y"].index("Furpach")
    assert change["x"][k] == pytest.approx(
        now.value["Furpach"] - before.value["Furpach"]
    )
    shown = [x for x, y in zip(change["x"], change["y"], strict=True) if y in now.index]
    assert shown == sorted(shown, reverse=True)


def test_entwicklung_as_index(demo_store):
    at = open_page(
        "entwicklung",
        {
            "gebiete": "innenstadt",
            "indikatoren": "arbeitslosenanteil",
            "skala": "index",
        },
    )
    assert url(at, "skala") == "index"
    spec = plotly_specs(at)[0]
    trace = next(t for t in spec["data"] if t["name"] == "Innenstadt")
    values = demo_store.area_values(["innenstadt"])
    sub = values[values.indicator_id == "arbeitslosenanteil"].sort_values("year")
    expected = list(100 * sub.value / sub.value.iloc[0])
    assert trace["y"] == pytest.approx(expected)
    assert trace["y"][0] == pytest.approx(100)
    assert "= 100" in spec["layout"]["title"]["text"]


def test_entwicklung_hostile_values():
    at = open_page(
        "entwicklung",
        {"indikatoren": "x" * 300, "skala": "<b>", "ebene": "raster"},
    )
    assert at.warning
    assert url(at, "ebene") == "quartier"
    assert "skala" not in at.query_params
    assert "Darstellung" in "\n".join(w.value for w in at.warning)


def test_area_measures_by_assignment_site_and_focus():
    """Hand example: city c > district s1 > quarters q1 (in focus), q2; focus area
    fq (parent s1). M1 assigned to q1, M2 sited in q2's square, M3 for the focus
    area as a whole, M4 city-wide (no area, no site)."""
    import pandas as pd
    from shapely.geometry import box

    from monitor.views.profile import area_measures

    areas = pd.DataFrame(
        {
            "area_id": ["c", "s1", "q1", "q2", "fq"],
            "level": ["stadt", "stadtteil", "quartier", "quartier", "fokusgebiet"],
            "parent_id": [None, "c", "s1", "s1", "s1"],
            "in_focus": [False, False, True, False, True],
        }
    )
    measures = pd.DataFrame(
        {
            "measure_id": ["M1", "M2", "M3", "M4"],
            "title": ["a", "b", "c", "d"],
            "lead": ["x"] * 4,
            "status": ["planned"] * 4,
            "start": ["2025-01-01"] * 4,
            "end": ["2026-01-01"] * 4,
            "area_id": ["q1", None, "fq", None],
            "lon": [None, 7.05, None, None],
            "lat": [None, 49.05, None, None],
        }
    )

    def where(area_id, outline=None, focus=None):
        out = area_measures(measures, areas, area_id, outline, focus)
        return dict(zip(out.measure_id, out["where"], strict=True))

    # q1 lies in fq (monitor.place.Place.focus_of)
    assert where("q1", focus="fq") == {"M1": "area", "M3": "focus"}
    assert where("q1") == {"M1": "area"}  # in no Perspektivquartier: no M3
    assert where("q2", box(7.0, 49.0, 7.1, 49.1)) == {"M2": "area"}
    assert where("q2") == {}  # without its outline a site cannot be placed
    assert where("s1") == {"M1": "area", "M3": "area"}  # parts of the district
    assert where("c") == {"M1": "area", "M3": "area"}  # M4 is city-wide: not listed
    assert where("fq") == {"M3": "area"}
    assert where("unknown") == {}


def test_profile_lists_the_measures_of_the_area(demo_store):
    at = open_page("profil", {"gebiet": "perspektivquartier"})
    heads = subheaders(at)
    located = [h for h in heads if h.startswith("Maßnahmen im Gebiet")]
    assert located, heads
    n = int(located[0].split("(")[1].rstrip(")"))
    table = next(d.value for d in at.dataframe if "Maßnahme" in d.value.columns)
    assert len(table) == n > 0
    assert set(table["Bezug"]) <= {"im Gebiet", "ganzes Perspektivquartier"}
    quiet = open_page("profil", {"gebiet": "wellesweiler"})
    assert any(h == "Maßnahmen im Gebiet (0)" for h in subheaders(quiet))
    assert "keine Maßnahme verortet" in texts(quiet)
