"""Uncertainty of small-area rates on the pages: the 95 % interval in the Karte
tooltips and side panel, the Profil and Vergleich tables and the Steckbrief, the
marker of the rest-of-city test, the note where an interval is wider than the
difference, and the Methodik section."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from pypdf import PdfReader
from statsmodels.stats.proportion import proportion_confint

from monitor.formatting import fmt_number
from monitor.methods.intervals import (
    compare_with_whole,
    interval_wider_than,
    rate_interval,
)
from monitor.views import uncertainty
from tests.apptest import open_page
from tests.page_downloads import downloads, recording_media  # noqa: F401

YEAR = 2025


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("QM_BASEMAP", "blank")


def _de(value: float) -> str:
    return fmt_number(value, "de", 1)


def _level(demo_store, indicator="kinderarmut", level="quartier"):
    values = demo_store.level_values(indicator, YEAR, level)
    city = demo_store.level_values(indicator, YEAR, "stadt").iloc[0]
    iv = rate_interval(values.numerator, values.denominator, "percent")
    test = compare_with_whole(
        values.numerator, values.denominator, city.numerator, city.denominator,
        fdr=True,
    )  # fmt: skip
    return values, city, iv, test


def _wide_area(demo_store) -> str:
    """A Quartier whose interval is wider than its difference to the city."""
    values, city, iv, _ = _level(demo_store)
    wide = interval_wider_than(iv.lower, iv.upper, values.value - city.value)
    assert wide.any()
    return str(values.area_id[wide].iloc[0])


# -- the wording ---------------------------------------------------------------------
def test_texts_follow_the_statistics_and_units():
    cols = uncertainty.rate_columns([12, 2], [80, 30], "percent")
    lower, upper = proportion_confint(12, 80, method="wilson")
    assert cols.ci_lower[0] == pytest.approx(100 * lower)
    assert cols.ci_upper[0] == pytest.approx(100 * upper)
    assert list(cols.ci_method) == ["wilson", "clopper_pearson"]
    text = uncertainty.interval_text(
        cols.ci_lower[0], cols.ci_upper[0], "percent", "de"
    )
    assert text == (
        f"95-%-Konfidenzintervall: {_de(100 * lower)}\u202f% bis "
        f"{_de(100 * upper)}\u202f%"
    )
    per_mille = uncertainty.rate_columns([12], [80], "per_mille")
    assert per_mille.ci_upper[0] == pytest.approx(1000 * upper)
    counts = uncertainty.rate_columns([12], [np.nan], "count")
    assert (
        counts.ci_lower.isna().all()
        and uncertainty.range_text(
            counts.ci_lower[0], counts.ci_upper[0], "count", "de"
        )
        == ""
    )
    note = uncertainty.wider_note(10.0, 20.0, 4.0, "percent", "de")
    assert note.startswith("Das Konfidenzintervall ist 10,0 Pp. breit")
    assert (
        "4,0 Pp." in note and uncertainty.wider_note(10, 20, -11, "percent", "de") == ""
    )
    assert uncertainty.marker(1) == "▲" and uncertainty.marker(-1) == "▼"


# -- Karte ---------------------------------------------------------------------------
def test_karte_tooltips_carry_the_interval_and_the_marker(demo_store):
    at = open_page("karte", {"indikator": "kinderarmut", "jahr": str(YEAR)})
    records = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"][0]
    tips = {r["area_id"]: r["tip"] for r in records["data"]}
    values, _, iv, test = _level(demo_store)
    for i, area_id in enumerate(values.area_id):
        if values.status[i] != "ok":
            assert "Konfidenz" not in tips[area_id]
            continue
        assert (
            f"95-%-Konfidenzintervall: {_de(iv.lower[i])}\u202f% bis "
            f"{_de(iv.upper[i])}\u202f%" in tips[area_id]
        )
        expected = {1: "▲ signifikant höher", -1: "▼ signifikant niedriger"}
        for direction, text in expected.items():
            assert (text in tips[area_id]) == (test.direction[i] == direction)
    assert (test.direction != 0).any() and (test.direction == 0).any()


def test_karte_side_panel_names_the_method_and_warns_on_a_wide_interval(demo_store):
    area = _wide_area(demo_store)
    at = open_page("karte", {"indikator": "kinderarmut", "jahr": str(YEAR),
                             "gebiet": area})  # fmt: skip
    captions = "\n".join(c.value for c in at.caption)
    assert "95-%-Konfidenzintervall" in captions
    assert "Wilson-Intervall" in captions or "Clopper-Pearson" in captions
    assert any("kann Zufall sein" in i.value for i in at.info)


def test_karte_csv_has_the_interval_columns(recording_media, demo_store):  # noqa: F811
    at = open_page("karte", {"indikator": "kinderarmut", "jahr": str(YEAR)})
    import pandas as pd

    csv = next(b for b in at.get("download_button") if "CSV" in b.proto.label)
    entry = recording_media[-1]._deferred_callables[csv.proto.deferred_file_id]
    frame = pd.read_csv(io.BytesIO(entry["callable"]()), sep=";", decimal=",",
                        encoding="utf-8-sig")  # fmt: skip
    values, _, iv, _ = _level(demo_store)
    frame = frame.set_index("gebiet_id").loc[values.area_id]
    np.testing.assert_allclose(frame.ki95_unten, np.round(iv.lower, 2), atol=0.006)
    assert set(frame.ki_methode.dropna()) <= {"wilson", "clopper_pearson"}


# -- Profil, Vergleich, Steckbrief ---------------------------------------------------
def test_profile_table_shows_the_interval_and_the_note(demo_store):
    area = _wide_area(demo_store)
    at = open_page("profil", {"gebiet": area, "jahr": str(YEAR)})
    table = next(df.value for df in at.dataframe if "95-%-KI" in df.value.columns)
    values, _, iv, _ = _level(demo_store)
    i = int(np.flatnonzero(values.area_id == area)[0])
    row = table[table.iloc[:, 0].str.startswith("Kinderarmut")].iloc[0]
    assert row["95-%-KI"] == f"{_de(iv.lower[i])}–{_de(iv.upper[i])}"
    captions = "\n".join(c.value for c in at.caption)
    assert "Kinderarmut" in captions and "kann Zufall sein" in captions


def test_vergleich_table_has_intervals_and_the_note(demo_store):
    area = _wide_area(demo_store)
    at = open_page("vergleich", {"gebiete": f"perspektivquartier,{area}",
                                 "jahr": str(YEAR)})  # fmt: skip
    table = at.dataframe[0].value
    values, _, iv, _ = _level(demo_store)
    i = int(np.flatnonzero(values.area_id == area)[0])
    column = next(c for c in table.columns if c.startswith("Kinderarmut"))
    cells = table[column].tolist()
    assert any(f"({_de(iv.lower[i])}–{_de(iv.upper[i])})" in c for c in cells)
    assert any("kann Zufall sein" in info.value for info in at.info)


def test_steckbrief_lists_the_intervals(recording_media, demo_store):  # noqa: F811
    at = open_page("profil", {"gebiet": "innenstadt-scheib", "jahr": str(YEAR)})
    pdf = downloads(at, recording_media)["dl_profil_pdf"].data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    values, _, iv, _ = _level(demo_store)
    i = int(np.flatnonzero(values.area_id == "innenstadt-scheib")[0])
    assert "95-%-KI" in text
    assert f"{_de(iv.lower[i])}–{_de(iv.upper[i])}" in text


def test_methodik_names_the_methods():
    at = open_page("methodik", {})
    body = "\n".join(m.value for m in at.markdown)
    for name in ("Wilson", "Clopper-Pearson", "Rest der Stadt", "Fishers exakter Test",
                 "Benjamini-Hochberg"):  # fmt: skip
        assert name in body, name
