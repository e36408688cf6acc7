"""What the maps gained: the distribution under the Karte legend, the facilities
layer (Karte, Profil, Maßnahmen) and the downloads of the Karte, Hotspots,
Sozialindex, Ziele and Maßnahmen."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from PIL import Image

from monitor.formatting import SUPPRESSED
from monitor.methods.classification import classify
from monitor.views.distribution import STRIP_MAX, distribution_figure
from monitor.views.palettes import class_colors
from tests.apptest import open_page
from tests.page_downloads import (
    assert_no_formulas,
    downloads,
    read_csv,
    recording_media,  # noqa: F401 - fixture
    sheet_frame,
)


def decks(at) -> list[dict]:
    return [json.loads(c.proto.json) for c in at.get("deck_gl_json_chart")]


def layer(spec: dict, layer_id: str) -> dict | None:
    return next((lay for lay in spec["layers"] if lay["id"] == layer_id), None)


def distribution(at) -> dict:
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(c for c in charts if "bounds" in (c["layout"].get("meta") or {}))


def legend_bounds(at) -> list[float]:
    """The inner class bounds as the legend labels them ("18,0 – 24,6")."""
    body = next(h.proto.body for h in at.get("html") if "qm-legend" in h.proto.body)
    labels = [part.split("</span>")[0] for part in body.split("qm-label'>")[1:]]
    uppers = [lab.split("–")[-1].strip() for lab in labels if "–" in lab]
    return [float(u.replace(".", "").replace(",", ".").replace("+", "").replace(
        "−", "-").split()[0]) for u in uppers[:-1]]  # fmt: skip


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setenv("QM_BASEMAP", "blank")


# -- the distribution under the legend ----------------------------------------------
def test_distribution_strip_is_drawn_with_the_legend_bounds(demo_store):
    at = open_page("karte", {"indikator": "kinderarmut", "jahr": "2025", "k": "5"})
    spec = distribution(at)
    assert spec["layout"]["meta"]["kind"] == "strip"
    bounds = spec["layout"]["meta"]["bounds"]
    assert [s["x0"] for s in spec["layout"]["shapes"]] == bounds
    assert bounds == pytest.approx(legend_bounds(at), abs=0.05)
    values = demo_store.level_values("kinderarmut", 2025, "quartier").value
    classes = classify(values.to_numpy(), "quantile", 5)
    assert bounds == pytest.approx(list(classes.bins[:-1]))
    # one dot per area, in its class colour
    colors = class_colors(classes.k, "higher_is_worse")
    dots = sum(len(trace["x"]) for trace in spec["data"])
    assert dots == int(values.notna().sum())
    for trace in spec["data"]:
        hexes = {"#{:02x}{:02x}{:02x}".format(*c) for c in colors}
        assert trace["marker"]["color"] in hexes


def test_distribution_in_change_mode_uses_the_diverging_bounds():
    at = open_page(
        "karte",
        {"indikator": "kinderarmut", "jahr": "2025", "jahr_von": "2021",
         "modus": "veraenderung"},
    )  # fmt: skip
    spec = distribution(at)
    bounds = spec["layout"]["meta"]["bounds"]
    assert bounds and bounds == pytest.approx(legend_bounds(at), abs=0.05)
    assert bounds == pytest.approx([-b for b in bounds[::-1]])  # symmetric around 0


def test_distribution_of_an_image_level(monkeypatch, demo_store):
    monkeypatch.setenv("QM_MAP_IMAGE_AREAS", "100")
    at = open_page("karte", {"indikator": "einwohner", "ebene": "raster"})
    assert layer(decks(at)[0], "raster-image") is not None
    spec = distribution(at)
    bounds = spec["layout"]["meta"]["bounds"]
    assert [s["x0"] for s in spec["layout"]["shapes"]] == bounds
    assert bounds == pytest.approx(legend_bounds(at), abs=0.5)
    # built from the arrays: one dot per published cell (631 < STRIP_MAX)
    arrays = demo_store.level_arrays("einwohner", 2025, "raster")
    assert sum(len(t["x"]) for t in spec["data"]) == int(
        np.isfinite(arrays.value).sum()
    )


def test_a_million_values_make_a_histogram_whose_bars_sum_to_the_areas():
    rng = np.random.default_rng(1)
    values = rng.gamma(2.0, 10.0, 1_000_000)
    values[::50] = np.nan
    classes = classify(values, "quantile", 5)
    fig = distribution_figure(
        values, classes, class_colors(5, "higher_is_worse"), unit="percent", lang="de"
    )
    assert fig.layout.meta["kind"] == "histogram" and len(values) > STRIP_MAX
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert sum(sum(t.y) for t in bars) == int(np.isfinite(values).sum())
    # per class, as many values as the classification counts: no bar straddles
    # a class bound
    assert [sum(t.y) for t in bars] == list(classes.counts)


# -- facilities ----------------------------------------------------------------------
def test_facility_toggle_on_puts_the_layer_into_the_deck(demo_store):
    off = open_page("karte", {})
    assert any(t.label == "Einrichtungen auf der Karte zeigen" for t in off.toggle)
    assert layer(decks(off)[0], "einrichtungen") is None

    at = open_page("karte", {"einrichtungen": "kita,schule", "gebiet": "innenstadt"})
    points = layer(decks(at)[0], "einrichtungen")
    assert points["@@type"] == "IconLayer"
    facilities = demo_store.points()
    wanted = facilities[facilities.category.isin(["kita", "schule"])]
    assert len(points["data"]) == len(wanted)
    assert {r["category"] for r in points["data"]} == {"kita", "schule"}
    # icons are made here (data: URLs), never fetched from the internet
    assert all(r["icon"]["url"].startswith("data:image/png;base64,")
               for r in points["data"])  # fmt: skip
    first = wanted.iloc[0]
    record = next(r for r in points["data"] if r["name"] == first["name"])
    assert first["address"] in record["tip"] and "eröffnet" in record["tip"]
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert "html" not in tooltip  # text mode: names are never HTML
    # legend per category and the Demodaten note
    body = "\n".join(h.proto.body for h in at.get("html"))
    assert "Kitas" in body and "Schulen" in body and "Arztpraxen" not in body
    captions = "\n".join(c.value for c in at.caption)
    assert "Demodaten: Lage, Namen und Adressen" in captions
    at.session_state["karte_einrichtungen_offen"] = True  # the table, opened
    at.run()
    assert "Luftlinie" in "\n".join(c.value for c in at.caption)


def test_toggle_switches_the_layer_on_and_writes_the_link():
    at = open_page("karte", {})
    at.toggle(key="w_einrichtungen").set_value(True).run()
    assert not at.exception
    value = at.query_params["einrichtungen"]
    assert (value[-1] if isinstance(value, list) else value) == "alle"
    assert layer(decks(at)[0], "einrichtungen") is not None


def test_children_within_a_straight_line_per_area_on_the_karte():
    link = {"einrichtungen": "kita", "ebene": "stadtteil", "gebiet": "innenstadt"}
    at = open_page("karte", link)
    assert not at.dataframe  # both tables closed: not drawn
    at.session_state["karte_einrichtungen_offen"] = True
    at.run()
    table = next(df.value for df in at.dataframe if "Kitas" in df.value.columns)
    row = table.set_index(table.columns[0]).loc["Innenstadt"]
    # frozen demo figure (docs/ANALYSIS.md): 75.5 % of Innenstadt's children live
    # within 500 m straight line of a Kita
    assert row["Kitas: Kinder im Umkreis"] == "75\u202f%"
    captions = "\n".join(c.value for c in at.caption)
    assert "75\u202f% der Kinder im Umkreis (Stadt 63\u202f%)" in captions


def test_profile_shows_counts_and_shares_of_children(demo_store):
    at = open_page("profil", {"gebiet": "innenstadt", "jahr": "2025",
                              "einrichtungen": "alle", "luftlinie": "500"})  # fmt: skip
    table = next(df.value for df in at.dataframe if "im Gebiet" in df.value.columns)
    kitas = table.set_index("Einrichtungen").loc["Kitas"]
    assert kitas["im Gebiet"] == 13
    assert kitas["Kinder ≤ 500 m Luftlinie"] == "75\u202f%"
    assert kitas["Stadt gesamt"] == "63\u202f%"
    assert any("Luftlinie" in c.value and "5,9" in c.value for c in at.caption)
    maps = [layer(spec, "einrichtungen") for spec in decks(at)]
    assert any(m is not None for m in maps)


def test_massnahmen_map_gets_the_facilities_below_the_measures():
    at = open_page("massnahmen", {"einrichtungen": "alle"})
    spec = decks(at)[0]
    ids = [lay["id"] for lay in spec["layers"]]
    assert ids.index("einrichtungen") < ids.index("measures-points")
    assert layer(spec, "einrichtungen")["data"][0]["title"]


@pytest.mark.parametrize("page", ["karte", "profil", "massnahmen"])
def test_a_folder_without_facilities_has_no_toggle(monkeypatch, tiny_dir, page):
    monkeypatch.setenv("QM_DATA_DIR", str(tiny_dir))
    at = open_page(page, {"einrichtungen": "alle"})
    assert not any("Einrichtungen" in t.label for t in at.toggle)
    assert all(layer(spec, "einrichtungen") is None for spec in decks(at))


def test_unknown_facility_categories_in_the_link_are_named():
    at = open_page("karte", {"einrichtungen": "kita,<b>zoo</b>"})
    assert any("zoo" in w.value for w in at.warning)
    points = layer(decks(at)[0], "einrichtungen")
    assert {r["category"] for r in points["data"]} == {"kita"}


# -- downloads -----------------------------------------------------------------------
def _geojson_secret_values_empty(data: bytes) -> dict:
    document = json.loads(data)
    assert document["metadata"]["demo"] == "true"
    assert document["metadata"]["data_version"]
    assert "Demodaten" in document["metadata"]["note"]
    for feature in document["features"]:
        props = feature["properties"]
        if props["status"] == "suppressed":
            numbers = {k: v for k, v in props.items()
                       if k not in ("area_id", "name", "level", "status")}  # fmt: skip
            assert all(v is None for v in numbers.values()), props
    return document


def _png(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width >= 1000


def test_karte_map_files(recording_media, demo_store):  # noqa: F811
    at = open_page("karte", {"indikator": "kinderarmut", "ebene": "raster",
                             "jahr": "2025"})  # fmt: skip
    files = downloads(at, recording_media)
    assert {"dl_karte_geojson", "dl_karte_gpkg", "dl_karte_png"} <= set(files)
    document = _geojson_secret_values_empty(files["dl_karte_geojson"].data)
    secret = [f for f in document["features"]
              if f["properties"]["status"] == "suppressed"]  # fmt: skip
    assert len(secret) == int(
        (demo_store.level_values("kinderarmut", 2025, "raster").status
         == "suppressed").sum()
    )  # fmt: skip
    assert files["dl_karte_geojson"].name.endswith("_demodaten.geojson")
    _png(files["dl_karte_png"].data)


def test_hotspot_table_and_map_files(recording_media):  # noqa: F811
    at = open_page("hotspots", {"indikator": "kinderarmut", "ebene": "quartier"})
    files = downloads(at, recording_media)
    assert {"dl_hs_csv", "dl_hs_xlsx", "dl_hs_geojson", "dl_hs_gpkg",
            "dl_hs_png"} <= set(files)  # fmt: skip
    table = read_csv(files["dl_hs_csv"].data)
    for column in ("Gebiets-ID", "Gi* z", "LISA p", "Datenstand"):
        assert column in table.columns
    assert len(table) == 35
    p = table["p (zweiseitig, vor FDR-Korrektur)"].str.replace(",", ".").astype(float)
    assert p.between(0, 1).all()
    book = assert_no_formulas(files["dl_hs_xlsx"].data)
    assert len(sheet_frame(book, "Hotspots")) == 35
    _geojson_secret_values_empty(files["dl_hs_geojson"].data)
    _png(files["dl_hs_png"].data)


def test_hotspot_table_on_the_raster_keeps_suppressed_cells_secret(
    recording_media,  # noqa: F811
    demo_store,
):
    at = open_page("hotspots", {"indikator": "anteil_65plus", "ebene": "raster"})
    files = downloads(at, recording_media)
    table = read_csv(files["dl_hs_csv"].data).set_index("Gebiets-ID")
    values = demo_store.level_values("anteil_65plus", 2025, "raster")
    secret = values.area_id[values.status == "suppressed"]
    assert len(secret) > 100 and len(table) == len(values)
    raw_column = table.columns[1]  # the value as published
    assert (table.loc[secret, raw_column] == SUPPRESSED).all()
    assert not table.loc[secret, "Gi* z"].str.strip().astype(bool).any()
    assert (table.loc[secret, "Ausschluss"] != "").all()


def test_sozialindex_table_and_map_files(recording_media):  # noqa: F811
    at = open_page("sozialindex", {"ebene": "quartier"})
    files = downloads(at, recording_media)
    assert {"dl_si_csv", "dl_si_xlsx", "dl_si_geojson", "dl_si_gpkg",
            "dl_si_png"} <= set(files)  # fmt: skip
    table = read_csv(files["dl_si_csv"].data)
    assert "Gebiets-ID" in table.columns and "Datenstand" in table.columns
    book = assert_no_formulas(files["dl_si_xlsx"].data)
    assert len(sheet_frame(book, "Sozialindex")) == len(table)
    _geojson_secret_values_empty(files["dl_si_geojson"].data)
    _png(files["dl_si_png"].data)


def test_goal_table_files(recording_media):  # noqa: F811
    at = open_page("ziele", {})
    files = downloads(at, recording_media)
    table = read_csv(files["dl_ziele_csv"].data)
    assert table["Nr."].str.startswith("Z").all() and len(table) == 25
    assert {"Bewertung (Open SDG)", "Wettersymbol (DNS)", "Basiswert"} <= set(
        table.columns
    )
    assert_no_formulas(files["dl_ziele_xlsx"].data)


def test_measure_table_and_map_files(recording_media):  # noqa: F811
    at = open_page("massnahmen", {})
    files = downloads(at, recording_media)
    table = read_csv(files["dl_mn_csv"].data)
    assert len(table) == 86 and table["Nr."].str.startswith("M").all()
    assert_no_formulas(files["dl_mn_xlsx"].data)
    document = json.loads(files["dl_mn_map_geojson"].data)
    assert len(document["features"]) == 65  # 40 points + 25 area-wide measures
    assert {f["geometry"]["type"] for f in document["features"]} == {"Point"}
