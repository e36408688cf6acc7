"""Every page through Streamlit's AppTest: no exception, Demodaten notice, links.

The parametrisation runs over monitor.viewstate.PAGES, so no page can be dropped,
and over both demo folders (``QM_DATA_DIR``): the Neunkirchen demo and the
fictitious Musterstadt, whose place (city, two Perspektivquartiere, benchmarks,
indicators) comes from its data alone. The English and presentation runs and the
hostile single-key cases run on the main demo; Musterstadt gets the hostile keys
all at once per page, and its English names are checked on Entwicklung.
"""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from monitor.viewstate import PAGES
from tests.apptest import open_page
from tests.conftest import MUSTERSTADT_DIR
from tests.tiny_data import build_tiny_dataset


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [h.value for h in at.title] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", [p.id for p in PAGES])
def test_page_runs_without_exception_and_says_demodaten(page, demo_folder):
    at = open_page(page)
    assert not at.exception, at.exception
    assert "Demodaten" in texts(at)
    assert at.title and at.title[0].value
    if demo_folder == "musterstadt":
        assert "neunkirchen" not in texts(at).lower()


@pytest.mark.parametrize("page", [p.id for p in PAGES])
def test_page_in_english(page):
    at = open_page(page, {"sprache": "en"})
    assert not at.exception
    assert "Demo data" in texts(at)


@pytest.mark.parametrize("page", [p.id for p in PAGES])
def test_page_in_presentation_mode(page):
    at = open_page(page, {"praesentation": "1"})
    assert not at.exception, at.exception
    assert any(b.label == "Präsentation beenden" for b in at.button)


def test_workshop_sequence_link_opens_the_steps_page_and_view():
    at = open_page(
        "uebersicht", {"ablauf": "ag-arbeit", "schritt": "3", "praesentation": "1"}
    )
    assert not at.exception
    assert any("3 / 4" in m.value for m in at.markdown)
    assert at.query_params["indikator"] in (
        "beschaeftigungsquote",
        ["beschaeftigungsquote"],
    )
    assert at.query_params["ebene"] in ("stadtteil", ["stadtteil"])
    at.button(key="qm_step_next").click().run()
    assert not at.exception
    assert any("4 / 4" in m.value for m in at.markdown)
    assert at.query_params["ebene"] in ("quartier", ["quartier"])


@pytest.mark.parametrize("page", [p.id for p in PAGES])
@pytest.mark.parametrize(
    "params",
    [
        {"indikator": "<script>alert(1)</script>"},
        {"jahr": "abc"},
        {"ebene": "' OR 1=1"},
        {"gebiet": "x" * 5000},
        {"sprache": "fr"},
    ],
    ids=["script", "year", "sql", "long", "lang"],
)
def test_hostile_link_gives_a_note_not_an_exception(page, params):
    at = open_page(page, params)
    assert not at.exception
    assert at.warning, "a note about the link must be visible"
    assert "<script>" not in texts(at)


@pytest.mark.parametrize("page", [p.id for p in PAGES])
def test_musterstadt_hostile_link_all_at_once(page, monkeypatch):
    monkeypatch.setenv("QM_DATA_DIR", str(MUSTERSTADT_DIR))
    at = open_page(
        page,
        {
            "indikator": "<script>alert(1)</script>",
            "jahr": "abc",
            "ebene": "' OR 1=1",
            "gebiet": "x" * 5000,
            "gebiete": "perspektivquartier,innenstadt",  # Neunkirchen's ids
            "sprache": "fr",
        },
    )
    assert not at.exception
    assert at.warning, "a note about the link must be visible"
    assert "<script>" not in texts(at)


def test_view_is_written_back_to_the_url():
    at = open_page("uebersicht", {"indikator": "sgb2_quote", "jahr": "2020"})
    assert at.query_params["indikator"] in ("sgb2_quote", ["sgb2_quote"])
    assert at.query_params["jahr"] in ("2020", ["2020"])
    assert at.query_params["sprache"] in ("de", ["de"])


def test_start_page_key_figures_come_from_the_store(demo_store):
    at = open_page("uebersicht")
    values = demo_store.area_values(["perspektivquartier"])
    latest = values[(values.indicator_id == "kinderarmut")].year.max()
    value = values[(values.indicator_id == "kinderarmut") & (values.year == latest)]
    expected = f"{value.value.iloc[0]:.1f}".replace(".", ",")
    metric = next(m for m in at.metric if m.label.startswith("Kinderarmut"))
    assert metric.value.startswith(expected)


def test_start_page_map_spec():
    import json

    at = open_page("uebersicht")
    charts = at.get("deck_gl_json_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.json)
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert {"areas", "focus-outline"} <= set(layers)
    assert layers["areas"]["@@type"] == "PolygonLayer"
    assert spec["mapStyle"].startswith("data:application/json,")
    names = {record["name"] for record in layers["areas"]["data"]}
    assert len(names) == 35
    suppressed = [
        r for r in layers["areas"]["data"] if r["tip"].startswith("aus Daten")
    ]
    for record in suppressed:
        assert "%" not in record["tip"]


# -- Musterstadt: the place from the data ----------------------------------------
def test_musterstadt_start_page_offers_its_two_perspektivquartiere(monkeypatch):
    monkeypatch.setenv("QM_DATA_DIR", str(MUSTERSTADT_DIR))
    at = open_page("uebersicht")
    assert not at.exception
    choice = at.get("button_group")[0]
    assert "2 in diesen Daten" in choice.label
    heads = [h.value for h in at.subheader]
    assert "Kennzahlen 2024: Perspektivquartier Altstadt/Bahnhof" in heads
    captions = "\n".join(c.value for c in at.caption)
    assert "Kreis Musterland" in captions or "Kreis Musterland" in texts(at)
    at = open_page("uebersicht", {"gebiet": "pq-huettenberg"})
    heads = [h.value for h in at.subheader]
    assert "Kennzahlen 2024: Perspektivquartier Hüttenberg" in heads
    assert "Hüttenberg" in "\n".join(m.value for m in at.markdown)
    assert at.query_params["gebiet"] in ("pq-huettenberg", ["pq-huettenberg"])


def test_musterstadt_comparison_names_its_own_city_and_benchmarks(monkeypatch):
    monkeypatch.setenv("QM_DATA_DIR", str(MUSTERSTADT_DIR))
    at = open_page("vergleich")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Gebiet"]) == [
        "Perspektivquartier Altstadt/Bahnhof",
        "Am Bahnhof",  # the Stadtteil holding most of it
        "Musterstadt",
        "Kreis Musterland",
        "Land Beispielland",
    ]
    at = open_page("entwicklung", {"sprache": "en"})
    legend = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "Musterland district" in legend and "State of Beispielland" in legend


def test_a_folder_without_perspektivquartier_shows_the_city(monkeypatch, tmp_path):
    folder = build_tiny_dataset(tmp_path / "ohne")
    areas = gpd.read_parquet(folder / "areas.parquet")
    areas[areas.level != "fokusgebiet"].to_parquet(folder / "areas.parquet")
    values = pd.read_parquet(folder / "indicator_values.parquet")
    values[values.area_id != "fq"].to_parquet(folder / "indicator_values.parquet")
    monkeypatch.setenv("QM_DATA_DIR", str(folder))
    at = open_page("uebersicht")
    assert not at.exception, at.exception
    assert any("kein Perspektivquartier" in i.value for i in at.info)
    assert any(h.value.endswith(": Stadt") for h in at.subheader)
    for page in ("vergleich", "entwicklung", "profil"):
        assert not open_page(page).exception, page


def test_a_bad_place_block_is_a_german_message(monkeypatch, tmp_path):
    folder = tmp_path / "kaputt"
    shutil.copytree(MUSTERSTADT_DIR, folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["place"] = {"focus": ["perspektivquartier"]}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    monkeypatch.setenv("QM_DATA_DIR", str(folder))
    at = open_page()
    assert any("perspektivquartier" in e.value for e in at.error)


def test_missing_data_folder_shows_a_german_page(monkeypatch, tmp_path):
    monkeypatch.setenv("QM_DATA_DIR", str(tmp_path / "fehlt"))
    at = open_page()
    assert any("existiert nicht" in e.value for e in at.error)


def test_the_karte_table_is_drawn_only_when_its_expander_is_opened(demo_store):
    """Closed (the default on polygon levels), the table under the map costs no
    run: st.dataframe formats every cell of its Styler each time. Opened, it
    lists every area of the level in German numbers and stays open on reruns."""
    at = open_page("karte", {"indikator": "kinderarmut", "ebene": "quartier"})
    (box,) = [e for e in at.expander if e.label == "Tabelle zur Karte"]
    assert not at.dataframe and not box.children
    at.session_state["karte_tabelle_offen_quartier"] = True
    at.run()
    assert not at.exception, at.exception
    (table,) = at.dataframe
    assert len(table.value) == len(demo_store.level_areas("quartier"))
    at.run()  # an unrelated rerun keeps it open
    assert len(at.dataframe) == 1


def test_the_share_link_is_built_only_when_its_expander_is_opened():
    """Closed (the default), the sidebar's share expander draws nothing: no link,
    no QR code, and no st.code, whose syntax highlighter is 1.5 MB of script for
    every page load. Opened, it shows the link of the view on this page."""
    at = open_page("karte", {"indikator": "kinderarmut"})
    assert not at.sidebar.code
    at.session_state["qm_share_open"] = True
    at.run()
    assert not at.exception, at.exception
    (code,) = at.sidebar.code
    assert "indikator=kinderarmut" in code.value
