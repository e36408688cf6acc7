"""Karte, Sozialindex and Hotspots through AppTest: deck specs, links, statistics."""

from __future__ import annotations

import json
import re

import mapclassify
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from monitor.methods import classification
from monitor.methods import hotspots as hs
from monitor.methods.classification import classify
from monitor.views.palettes import EXCLUDED_RGB, GI_RGB, SUPPRESSED_RGB, class_colors
from tests.apptest import open_page


def deck_specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.json) for c in at.get("deck_gl_json_chart")]


def url(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


@pytest.mark.parametrize(
    "level,n_areas", [("stadtteil", 10), ("quartier", 35), ("raster", 631)]
)
def test_karte_deck_spec_per_level(demo_store, level, n_areas):
    at = open_page(
        "karte",
        {
            "indikator": "sgb2_quote",
            "jahr": "2024",
            "ebene": level,
            "klassen": "quantile",
            "k": "5",
        },
    )
    spec = deck_specs(at)[0]
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["areas"]["@@type"] == "PolygonLayer"
    assert "focus-outline" in layers
    records = layers["areas"]["data"]
    assert len({r["area_id"] for r in records}) == n_areas
    # colours match the classes computed from the store's values
    values = demo_store.level_values("sgb2_quote", 2024, level).set_index("area_id")
    classes = classify(values.value.to_numpy(), "quantile", 5)
    colors = class_colors(classes.k, "higher_is_worse")
    expected = {
        a: (SUPPRESSED_RGB if s == "suppressed" else colors[c])
        for a, s, c in zip(values.index, values.status, classes.yb, strict=True)
        if s == "suppressed" or c >= 0
    }
    for record in records:
        if record["area_id"] in expected:
            assert record["fill"][:3] == list(expected[record["area_id"]])
    # tooltip: name and value; suppressed cells carry no number
    tooltip = json.loads(at.get("deck_gl_json_chart")[0].proto.tooltip)
    assert tooltip["text"] == "{name}\n{tip}"
    for record in records:
        if values.loc[record["area_id"], "status"] == "suppressed":
            assert not any(ch.isdigit() for ch in record["tip"].split("\n")[0])
    assert url(at, "ebene") == level


def test_karte_link_reproduces_the_view():
    params = {
        "indikator": "arbeitslosenanteil",
        "jahr": "2021",
        "ebene": "quartier",
        "klassen": "natural_breaks",
        "k": "4",
        "gebiet": "innenstadt-scheib",
    }
    at = open_page("karte", params)
    for key, value in params.items():
        assert url(at, key) == value
    spec = deck_specs(at)[0]
    assert "selected" in {layer["id"] for layer in spec["layers"]}
    assert any("Innenstadt-Scheib" in m.value for m in at.markdown)
    again = open_page("karte", params)
    assert deck_specs(again)[0] == spec


def test_karte_change_map_and_csv():
    at = open_page(
        "karte",
        {
            "indikator": "kinderarmut",
            "jahr": "2024",
            "jahr_von": "2019",
            "modus": "veraenderung",
        },
    )
    spec = deck_specs(at)[0]
    tips = [r["tip"] for r in spec["layers"][0]["data"]]
    assert any("seit 2019" in tip for tip in tips)
    assert any("Pp." in tip for tip in tips)
    assert url(at, "modus") == "veraenderung"


def test_karte_fixed_breaks_from_link_and_invalid_breaks():
    at = open_page("karte", {"klassen": "fixed", "grenzen": "20;30;45,5"})
    legend = "".join(h.proto.body for h in at.get("html"))
    assert "45,5" in legend
    bad = open_page("karte", {"klassen": "fixed", "grenzen": "30;20"})
    assert any("Klassengrenzen" in w.value for w in bad.warning)


def test_karte_indicator_not_on_raster_falls_back_with_a_note():
    at = open_page("karte", {"indikator": "sprachfoerderbedarf", "ebene": "raster"})
    assert url(at, "ebene") == "quartier"
    assert at.warning


def test_sozialindex_default_and_weights_change():
    at = open_page("sozialindex", {"ebene": "quartier"})
    frames = [d.value for d in at.dataframe]
    matrix = frames[0]
    assert matrix.shape == (4, 3)
    assert int(np.asarray(matrix).sum()) == 35
    weighted = open_page(
        "sozialindex",
        {
            "ebene": "quartier",
            "gewichte": "sgb2_quote:0,kinderarmut:5,arbeitslosenanteil:0",
        },
    )
    assert any("Klassenwechsel" in s.value for s in weighted.subheader)
    invalid = open_page("sozialindex", {"gewichte": "kinderarmut:-1"})
    assert any("Gewichte im Link" in w.value for w in invalid.warning)


def legend_labels(at: AppTest, title: str) -> list[str]:
    """The labels of the legend called ``title`` (an st.html block)."""
    for block in at.get("html"):
        body = block.proto.body
        if f"qm-legend-title'>{title}<" in body:
            return re.findall(r"qm-label'>([^<]*)<", body)
    raise AssertionError(f"no legend {title!r}")


GI_LABELS = {
    "hot_99": "Hotspot 99 %",
    "hot_95": "Hotspot 95 %",
    "hot_90": "Hotspot 90 %",
    "not_significant": "nicht signifikant",
    "cold_90": "Coldspot 90 %",
    "cold_95": "Coldspot 95 %",
    "cold_99": "Coldspot 99 %",
}


def test_hotspots_page_on_quartiere(demo_store):
    area = demo_store.level_areas("quartier").area_id.iloc[0]
    at = open_page(
        "hotspots",
        {
            "indikator": "sgb2_quote",
            "jahr": "2024",
            "ebene": "quartier",
            "gebiet": area,
        },
    )
    text = "\n".join(m.value for m in at.markdown)
    assert "Moran's I" in text
    specs = deck_specs(at)
    assert len(specs) == 2  # hotspots and emerging hotspots
    fills = {tuple(r["fill"][:3]) for r in specs[0]["layers"][0]["data"]}
    assert (178, 24, 43) in fills or (239, 138, 98) in fills  # a hotspot exists
    # 35 tests: 9999 permutations make all three levels reachable -> all classes
    labels = legend_labels(at, "Gi*-Klassen")
    assert labels == [*GI_LABELS.values(), "Perspektivquartier"]
    captions = "\n".join(c.value for c in at.caption)
    assert "9.999 Permutationen" in captions
    assert "Stadtwert 18,5\u202f%" in captions  # sgb2_quote 2024 of the city
    assert "35 Gebiete mit 100,0\u202f% der Bezugsgröße der Stadt" in captions
    assert "420 Raum-Zeit-Zellen" in captions  # 35 Quartiere x 12 years
    # the yearly strip of the selected area: the bins its category counts
    assert "Klasse jedes Jahres aus dem Raum-Zeit-Gi*" in captions
    strip = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    colours = {"rgb({},{},{})".format(*GI_RGB[c]) for c in GI_LABELS}
    assert len(strip["x"]) == 12 and set(strip["marker"]["color"]) <= colours


def test_hotspots_on_the_raster_show_only_reachable_classes():
    """365 published cells: even 9999 permutations leave one cell at best
    365 x 0.0002 = 0.073 after BH, so only 90 % is offered, in map and legend."""
    at = open_page(
        "hotspots", {"indikator": "sgb2_quote", "jahr": "2024", "ebene": "raster"}
    )
    specs = deck_specs(at)
    assert len(specs) == 1  # no emerging map: coverage over all years too low
    fills = {tuple(r["fill"][:3]) for r in specs[0]["layers"][0]["data"]}
    reachable = {"hot_90", "not_significant", "cold_90"}
    allowed = {tuple(GI_RGB[c]) for c in reachable} | {tuple(EXCLUDED_RGB)}
    assert (253, 219, 199) in fills and fills <= allowed
    labels = legend_labels(at, "Gi*-Klassen")
    assert labels == [
        GI_LABELS["hot_90"],
        GI_LABELS["not_significant"],
        GI_LABELS["cold_90"],
        "ausgeschlossen (kein Wert)",
        "Perspektivquartier",
    ]
    captions = "\n".join(c.value for c in at.caption)
    assert "Distanzband 500 m" in captions
    assert "Nicht angeboten: 95\u202f%, 99\u202f%" in captions
    assert "87,4\u202f% der Bezugsgröße der Stadt" in captions
    infos = "\n".join(i.value for i in at.info)
    assert "im schwächsten Jahr nur 71,9\u202f%" in infos


def test_hotspots_on_the_raster_refuse_low_coverage():
    at = open_page(
        "hotspots", {"indikator": "kinderarmut", "jahr": "2025", "ebene": "raster"}
    )
    assert not deck_specs(at)
    infos = "\n".join(i.value for i in at.info)
    assert "nur 30,5\u202f% der Bezugsgröße der Stadt" in infos
    assert "ab 80\u202f%" in infos


def test_hotspots_on_the_raster_use_the_distance_band_whatever_the_link_says():
    at = open_page(
        "hotspots",
        {
            "indikator": "sgb2_quote",
            "jahr": "2024",
            "ebene": "raster",
            "gewichtung": "knn",
            "statistik": "lisa",
        },
    )
    captions = "\n".join(c.value for c in at.caption)
    assert "Distanzband 500 m" in captions and "8 nächste" not in captions
    infos = "\n".join(i.value for i in at.info)
    assert "Lokales Moran's I (5 %) ist mit 9.999 Permutationen" in infos


def test_methodik_states_the_hotspot_rules():
    at = open_page("methodik", {})
    text = "\n".join(m.value for m in at.markdown)
    assert "Distanzband von 2 Zellbreiten" in text
    assert "mindestens 80\u202f% der Bezugsgröße der Stadt" in text
    assert "999 / 9.999" in text
    assert "Vorjahr" in text and hs.TIME_LAG == 1


def test_hotspots_on_stadtteile_explains_instead_of_testing():
    at = open_page("hotspots", {"ebene": "stadtteil"})
    assert any("10 Stadtteilen" in w.value for w in at.warning)
    assert not deck_specs(at)


def test_hotspots_with_too_few_units(monkeypatch, tiny_dir):
    monkeypatch.setenv("QM_DATA_DIR", str(tiny_dir))
    at = open_page("hotspots", {"ebene": "quartier", "jahr": "2020"})
    assert any("mindestens 30" in i.value for i in at.info)
    assert not deck_specs(at)


def _png_colours(url_: str) -> dict[tuple, int]:
    import base64
    import io

    from PIL import Image

    png = base64.b64decode(url_.split(",", 1)[1])
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).reshape(-1, 4)
    colours, counts = np.unique(pixels[pixels[:, 3] > 0], axis=0, return_counts=True)
    return {
        tuple(int(v) for v in c[:3]): int(n)
        for c, n in zip(colours, counts, strict=True)
    }


def test_karte_large_level_is_one_image_with_the_class_colours(monkeypatch, demo_store):
    """Image mode (as for 1 M cells), forced on the 631 demo cells: one pixel per
    cell in the colour of its class; the counts per colour are the legend's."""
    monkeypatch.setenv("QM_MAP_IMAGE_AREAS", "100")
    at = open_page(
        "karte",
        {"indikator": "sgb2_quote", "jahr": "2024", "ebene": "raster", "k": "5"},
    )
    spec = deck_specs(at)[0]
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["raster-image"]["@@type"] == "BitmapLayer"
    assert "areas" not in layers and "focus-outline" in layers
    assert len(layers["raster-image"]["bounds"]) == 4
    values = demo_store.level_values("sgb2_quote", 2024, "raster")
    classes = classify(values.value.to_numpy(), "quantile", 5)
    colors = class_colors(classes.k, "higher_is_worse")
    expected = {tuple(c): int(n) for c, n in zip(colors, classes.counts, strict=True)}
    n_supp = int((values.status == "suppressed").sum())
    if n_supp:
        expected[tuple(SUPPRESSED_RGB)] = n_supp
    assert _png_colours(layers["raster-image"]["image"]) == expected
    # the table lists the 100 highest values, ranked, with a note
    table = at.dataframe[0].value
    assert len(table) == 100
    assert table.iloc[0, 0] == 1  # rank column first
    assert any("631 Gebiete" in c.value for c in at.caption)
    assert not at.exception


def test_karte_image_mode_selected_cell_and_change(monkeypatch, demo_store):
    monkeypatch.setenv("QM_MAP_IMAGE_AREAS", "100")
    cells = demo_store.level_values("kinderarmut", 2024, "raster")
    cell = cells[cells.status == "ok"].iloc[5]
    at = open_page(
        "karte",
        {
            "indikator": "kinderarmut",
            "jahr": "2024",
            "ebene": "raster",
            "gebiet": cell.area_id,
        },
    )
    layers = {layer["id"] for layer in deck_specs(at)[0]["layers"]}
    assert {"raster-image", "selected"} <= layers
    assert any(cell["name"] in m.value for m in at.markdown)
    assert at.metric[0].value.replace(",", ".").startswith(f"{cell.value:.1f}"[:3])
    change = open_page(
        "karte",
        {
            "indikator": "kinderarmut",
            "jahr": "2024",
            "jahr_von": "2019",
            "ebene": "raster",
            "modus": "veraenderung",
        },
    )
    assert deck_specs(change)[0]["layers"][0]["@@type"] == "BitmapLayer"
    assert not change.exception


def test_image_mode_full_table_equals_the_polygon_table(monkeypatch):
    """The CSV of an image map (built on click) holds the same rows, ranks and
    values as the polygon map's table."""
    from monitor.store import Store
    from monitor.ui.map_layer import LayerKey, map_layer
    from tests.conftest import DEMO_DIR

    store = Store(DEMO_DIR)
    args = ("kinderarmut", 2024, 2019, "raster", "quantile", 5, "")
    for change in (False, True):
        monkeypatch.setenv("QM_MAP_IMAGE_AREAS", "100")
        image = map_layer(store, LayerKey(*args, change, "de"))
        monkeypatch.setenv("QM_MAP_IMAGE_AREAS", "100000")
        polygons = map_layer(store, LayerKey(*args, change, "de"))
        assert image.image is not None and polygons.image is None
        full, table = image.full_table(), polygons.full_table()
        shown = "change" if change else "value"
        columns = ["area_id", shown, "rank", "numerator", "denominator"]
        pd.testing.assert_frame_equal(
            full[columns].reset_index(drop=True),
            table[columns].reset_index(drop=True),
            check_dtype=False,
        )
        assert (full[image.status_col] == table[polygons.status_col]).all()
        # the side panel's row of an area is the table's row
        by_id = table.set_index("area_id")
        for area in table.area_id.iloc[[0, 17, 300, 630]]:
            row = image.row(area)
            for col in (shown, "rank", "numerator"):
                want = by_id.loc[area, col]
                assert (pd.isna(row[col]) and pd.isna(want)) or row[col] == want
        assert image.row("not-a-cell") is None and image.row(None) is None


def test_hotspots_leave_out_levels_drawn_as_image(monkeypatch):
    """A million raster cells cannot take 999 permutations while the user waits:
    such a level falls back to Quartiere with a note (forced on the demo raster)."""
    monkeypatch.setenv("QM_MAP_IMAGE_AREAS", "100")
    at = open_page("hotspots", {"ebene": "raster", "indikator": "kinderarmut"})
    assert url(at, "ebene") == "quartier"
    assert any("zu viele" in w.value for w in at.warning)
    assert not at.exception


@pytest.mark.filterwarnings("ignore:Numba not installed")
def test_karte_natural_breaks_legend_counts_are_mapclassify_counts(demo_store):
    """The legend of a natural-breaks map counts the areas mapclassify puts in
    each class (Kinderarmut 2025, Quartier, k = 5: the area with the largest
    value of class 4 once fell into class 5)."""
    at = open_page(
        "karte",
        {
            "indikator": "kinderarmut",
            "jahr": "2025",
            "ebene": "quartier",
            "klassen": "natural_breaks",
            "k": "5",
        },
    )
    values = demo_store.level_values("kinderarmut", 2025, "quartier").value
    ref = mapclassify.FisherJenks(values.dropna().to_numpy(), k=5)
    legend = next(h.proto.body for h in at.get("html") if "qm-legend" in h.proto.body)
    shown = [int(n) for n in re.findall(r"qm-count'>(\d+) Gebiete<", legend)]
    assert shown[: ref.k] == ref.counts.tolist() == [3, 12, 8, 8, 4]


def test_karte_sampled_natural_breaks_say_so_under_the_legend(monkeypatch):
    """Natural breaks of very many areas come from a sample; the legend says so
    (limits lowered so that the 631 demo cells count as very many)."""
    monkeypatch.setattr(classification, "FISHER_JENKS_MAX_N", 100)
    monkeypatch.setattr(classification, "FISHER_JENKS_SAMPLE_N", 50)
    at = open_page(
        "karte",
        {
            "indikator": "einwohner",
            "jahr": "2019",
            "ebene": "raster",
            "klassen": "natural_breaks",
            "k": "6",
        },
    )
    assert any(
        re.search(r"Natürliche Brüche aus 50 von \d+ Werten", c.value)
        for c in at.caption
    )


def test_hotspots_name_the_distance_band_they_used_on_quartiere():
    at = open_page(
        "hotspots",
        {
            "indikator": "sgb2_quote",
            "jahr": "2024",
            "ebene": "quartier",
            "gewichtung": "distance",
        },
    )
    captions = "\n".join(c.value for c in at.caption)
    assert re.search(r"Distanzband [\d.]+ m \(kleinster Abstand", captions)
