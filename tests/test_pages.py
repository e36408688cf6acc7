"""Every page through Streamlit's AppTest: no exception, Demodaten notice, links.

The parametrisation runs over monitor.viewstate.PAGES, so no page can be dropped.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from monitor.viewstate import PAGES
from tests.conftest import open_page


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [h.value for h in at.title] + [c.value for c in at.caption]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", [p.id for p in PAGES])
def test_page_runs_without_exception_and_says_demodaten(page):
    at = open_page(page)
    assert not at.exception, at.exception
    assert "Demodaten" in texts(at)
    assert at.title and at.title[0].value


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


def test_missing_data_folder_shows_a_german_page(monkeypatch, tmp_path):
    monkeypatch.setenv("QM_DATA_DIR", str(tmp_path / "fehlt"))
    at = open_page()
    assert any("existiert nicht" in e.value for e in at.error)
