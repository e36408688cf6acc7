"""Zusammenhang: two indicators from the link, Spearman's rho against scipy, the
bivariate map and legend, the selection in the link, and every download."""

from __future__ import annotations

import io
import json
import sqlite3

import numpy as np
import pandas as pd
import pyogrio
import pytest
from PIL import Image
from scipy import stats

from monitor.formatting import SUPPRESSED
from monitor.methods.bivariate import bivariate_classes
from monitor.views import relations
from monitor.views.palettes import BIVARIATE_RGB, SUPPRESSED_RGB, to_hex
from tests.apptest import open_page
from tests.page_downloads import (
    assert_no_formulas,
    downloads,
    read_csv,
    recording_media,  # noqa: F401 - fixture
    sheet_frame,
)

LINK = {
    "indikator": "kinderarmut",
    "indikator2": "arbeitslosenanteil",
    "ebene": "quartier",
    "jahr": "2024",
}
PICKED = ["innenstadt-scheib", "innenstadt-oberstadt"]


def url(at, key: str) -> str | None:
    if key not in at.query_params:
        return None
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


def scatter(at) -> dict:
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(c for c in charts if c["layout"].get("dragmode") == "select")


def bivariate_deck(at) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning]
    parts += [c.value for c in at.caption] + [i.value for i in at.info]
    return "\n".join(parts)


# -- the view functions --------------------------------------------------------------
def _values(ids, values, status):
    return pd.DataFrame(
        {"area_id": ids, "name": [i.upper() for i in ids], "value": values,
         "status": status}
    )  # fmt: skip


def test_relation_pairs_classes_and_rho_against_scipy():
    ids = [f"a{i}" for i in range(8)]
    x = _values(ids, [1, 2, 3, 4, 5, 6, 7, np.nan], ["ok"] * 7 + ["suppressed"])
    y = _values(ids, [2, 1, 4, 3, 6, 5, 8, 9], ["ok"] * 8)
    relation = relations.build_relation(x, y)
    assert relation.plotted_ids == ids[:7]
    assert relation.status.tolist()[-1] == "suppressed"
    expected = stats.spearmanr(x.value[:7], y.value[:7])
    assert relation.rho.rho == pytest.approx(expected.statistic)
    assert relation.rho.p_value == pytest.approx(expected.pvalue)
    assert (relation.rho.n, relation.rho.n_dropped) == (7, 1)
    np.testing.assert_array_equal(
        relation.classes.index, bivariate_classes(x.value, y.value).index
    )


def test_scatter_colours_are_the_map_classes_and_the_selection_is_drawn():
    ids = [f"a{i}" for i in range(9)]
    x = _values(ids, list(range(9)), ["ok"] * 9)
    y = _values(ids, [8, 7, 6, 5, 4, 3, 2, 1, 0], ["ok"] * 9)
    relation = relations.build_relation(x, y)
    from monitor.catalog import Indicator

    ind = Indicator("x", "X", "X", "d", "percent", "", "", "", "", "", "", "context",
                    False, 0, 3, 30, ("quartier",), "", "")  # fmt: skip
    fig = relations.scatter_figure(
        relation, x_ind=ind, y_ind=ind, city=(4.0, 4.0),
        focus=pd.DataFrame({"name": ["F"], "x": [7.0], "y": [7.0]}),
        selected_area="a1", chosen=["a2", "a5"], level_label="Q", lang="de",
    )  # fmt: skip
    areas = fig.data[0]
    assert list(areas.marker.color) == [
        to_hex(BIVARIATE_RGB[i]) for i in relation.classes.index
    ]
    assert list(areas.selectedpoints) == [2, 5]
    assert [trace.name for trace in fig.data[1:]] == ["Perspektivquartier",
                                                      "Gewähltes Gebiet"]  # fmt: skip
    dashed = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert {s.x0 for s in dashed if s.xref == "x"} == {4.0}
    assert {s.y0 for s in dashed if s.yref == "y"} == {4.0}


# -- the page ------------------------------------------------------------------------
def test_both_indicators_come_from_the_link(demo_store):
    at = open_page("zusammenhang", LINK)
    for key, value in LINK.items():
        assert url(at, key) == value
    spec = scatter(at)
    assert spec["layout"]["xaxis"]["title"]["text"].startswith("Kinderarmut")
    assert spec["layout"]["yaxis"]["title"]["text"] == "Arbeitslosenanteil"
    x = demo_store.level_values("kinderarmut", 2024, "quartier")
    y = demo_store.level_values("arbeitslosenanteil", 2024, "quartier")
    both = x.merge(y, on="area_id").dropna(subset=["value_x", "value_y"])
    expected = stats.spearmanr(both.value_x, both.value_y).statistic
    rho = f"{expected:.2f}".replace(".", ",")
    assert f"ρ = {rho}" in texts(at)
    assert f"{len(both)} Gebiete" in texts(at)
    assert "keine Ursache" in texts(at)
    # the Perspektivquartier (level fokusgebiet) is its own marker
    names = [trace.get("name") for trace in spec["data"]]
    assert "Perspektivquartier" in names


def test_a_selection_in_the_link_is_on_the_map_and_listed(demo_store):
    at = open_page("zusammenhang", {**LINK, "auswahl": ",".join(PICKED)})
    assert url(at, "auswahl") == ",".join(PICKED)
    layers = {layer["id"]: layer for layer in bivariate_deck(at)["layers"]}
    assert {p["area_id"] for p in layers["auswahl"]["data"]} == set(PICKED)
    listed = at.dataframe[0].value
    names = demo_store.areas().set_index("area_id").name
    assert sorted(listed.iloc[:, 0]) == sorted(names[a] for a in PICKED)
    areas = scatter(at)["data"][0]
    chosen = [areas["customdata"][i][0] for i in areas["selectedpoints"]]
    assert sorted(chosen) == sorted(PICKED)
    assert any("Im Diagramm ausgewählt (2)" in h.proto.body for h in at.get("html"))


def test_map_colours_and_legend_follow_the_classes(demo_store):
    at = open_page("zusammenhang", LINK)
    x = demo_store.level_values("kinderarmut", 2024, "quartier")
    y = demo_store.level_values("arbeitslosenanteil", 2024, "quartier")
    relation = relations.build_relation(x, y)
    fills = {}
    for record in bivariate_deck(at)["layers"][0]["data"]:
        fills[record["area_id"]] = record["fill"][:3]
    for area_id, index, status in zip(
        relation.pairs.area_id, relation.classes.index, relation.status, strict=True
    ):
        expected = BIVARIATE_RGB[index] if index >= 0 else SUPPRESSED_RGB
        if status != "missing":
            assert fills[area_id] == list(expected)
    legend = next(h.proto.body for h in at.get("html") if "qm-bv" in h.proto.body)
    for y_class in range(3):
        for x_class in range(3):
            rgb = to_hex(BIVARIATE_RGB[3 * y_class + x_class])
            n = relation.classes.counts[y_class, x_class]
            assert f"background:{rgb};" in legend
            assert f">{n}</td>" in legend
    assert "<caption>" in legend and "scope='col'" in legend


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"indikator2": "<script>x</script>"}, "indikator2"),
        ({"indikator2": "kinderarmut"}, "Beide Indikatoren"),
        ({"auswahl": "innenstadt-scheib,gibtsnicht"}, "gibtsnicht"),
        ({"ebene": "stadt"}, "ebene"),
    ],
    ids=["unknown", "same", "selection", "level"],
)
def test_invalid_keys_fall_back_with_a_note(params, expected):
    at = open_page("zusammenhang", {"indikator": "kinderarmut", **params})
    warnings = "\n".join(w.value for w in at.warning)
    assert expected in warnings
    assert "<script>" not in texts(at)
    if "indikator2" in params:
        assert url(at, "indikator2") is None  # the link is cleaned
        assert scatter(at)["layout"]["yaxis"]["title"]["text"] != "<script>x</script>"
    if "auswahl" in params:
        assert url(at, "auswahl") == "innenstadt-scheib"
    if "ebene" in params:
        assert url(at, "ebene") == "quartier"


def test_a_level_too_large_for_a_scatter_is_left_out(monkeypatch):
    monkeypatch.setenv("QM_MAP_IMAGE_AREAS", "100")
    at = open_page("zusammenhang", {"ebene": "raster"})
    assert any("zu viele" in w.value for w in at.warning)
    assert url(at, "ebene") == "quartier"


# -- downloads -----------------------------------------------------------------------
def test_downloads_keep_suppression_and_metadata(recording_media, demo_store):  # noqa: F811
    cell = "r250-E364000-N5465250"
    params = {"indikator": "kinderarmut", "indikator2": "sgb2_quote",
              "ebene": "raster", "jahr": "2025", "auswahl": cell}  # fmt: skip
    at = open_page("zusammenhang", params)
    files = downloads(at, recording_media)
    assert set(files) == {"dl_zh_csv", "dl_zh_xlsx", "dl_zh_geojson", "dl_zh_gpkg",
                          "dl_zh_png"}  # fmt: skip
    x = demo_store.level_values("kinderarmut", 2025, "raster").set_index("area_id")
    secret = x.index[x.status == "suppressed"]
    assert len(secret)

    table = read_csv(files["dl_zh_csv"].data).set_index("Gebiets-ID")
    value_col = "Kinderarmut (SGB II unter 15) (2025)"
    assert list(table.columns[:5]) == [
        "Gebiet", "Ebene", value_col, "SGB-II-Quote (2025)", "Klasse (Drittel)"
    ]  # fmt: skip
    assert (table.loc[secret, value_col] == SUPPRESSED).all()
    assert table.loc[cell, "ausgewählt"] == "ja"
    assert table["Datenstand"].str.startswith("Demodaten").all()

    book = assert_no_formulas(files["dl_zh_xlsx"].data)
    sheet = sheet_frame(book, "Zusammenhang").set_index("Gebiets-ID")
    assert (sheet.loc[secret, value_col] == SUPPRESSED).all()
    assert {"Definitionen", "Hinweise"} <= set(book.sheetnames)

    geojson = json.loads(files["dl_zh_geojson"].data)
    assert geojson["metadata"]["demo"] == "true"
    assert geojson["metadata"]["data_version"] == demo_store.meta.data_version
    by_id = {f["properties"]["area_id"]: f["properties"] for f in geojson["features"]}
    for area_id in secret:
        assert by_id[area_id]["value_x"] is None
        assert by_id[area_id]["status"] == "suppressed"

    gpkg = files["dl_zh_gpkg"].data
    frame = pyogrio.read_dataframe(io.BytesIO(gpkg))
    assert frame.loc[frame.status == "suppressed", "value_x"].isna().all()
    with open_sqlite(gpkg) as con:
        (description,) = con.execute("SELECT description FROM gpkg_contents").fetchone()
    assert "Demodaten" in description

    image = Image.open(io.BytesIO(files["dl_zh_png"].data))
    assert image.format == "PNG" and image.width >= 1200


class open_sqlite:  # noqa: N801 - a context manager over bytes
    def __init__(self, data: bytes):
        import tempfile

        self.file = tempfile.NamedTemporaryFile(suffix=".gpkg")  # noqa: SIM115
        self.file.write(data)
        self.file.flush()

    def __enter__(self):
        self.con = sqlite3.connect(self.file.name)
        return self.con

    def __exit__(self, *exc):
        self.con.close()
        self.file.close()


def test_names_that_look_like_formulas_stay_text(
    recording_media,  # noqa: F811
    monkeypatch,
    tiny_dir,
):
    monkeypatch.setenv("QM_DATA_DIR", str(tiny_dir))
    at = open_page("zusammenhang", {"indikator": "kinderarmut", "jahr": "2020"})
    files = downloads(at, recording_media)
    table = read_csv(files["dl_zh_csv"].data)
    assert "'=1+1" in set(table["Gebiet"])
    book = assert_no_formulas(files["dl_zh_xlsx"].data)
    cells = [c for row in book.worksheets[0].iter_rows() for c in row]
    assert any(c.value == "=1+1" and c.data_type == "s" for c in cells)
    # three areas are too few pairs: a reason, not a coefficient
    assert "Zu wenige Gebiete" in texts(at)
