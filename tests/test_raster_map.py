"""Large raster levels as one image: grid detection, palette PNG, compact decks."""

from __future__ import annotations

import io
import json
import sys

import numpy as np
import pydeck as pdk
import pytest
from PIL import Image

from monitor.methods.classification import classify
from monitor.methods.raster import NO_CELL, class_image, detect_grid
from monitor.views import raster_map
from monitor.views.deck import (
    CompactDeck,
    RecordsJSON,
    fit_view,
    image_deck,
    records_json,
)


def _boxes(cols, rows, x0=100.0, y0=200.0, size=10.0):
    cols, rows = np.asarray(cols, float), np.asarray(rows, float)
    xmin, ymin = x0 + cols * size, y0 + rows * size
    return xmin, ymin, xmin + size, ymin + size


def test_detect_grid_finds_columns_and_rows_of_a_grid_with_holes():
    # cells at (col, row): (0,0) (2,0) (1,1) (2,1) – a 3 x 2 grid, two holes
    grid = detect_grid(*_boxes([0, 2, 1, 2], [0, 0, 1, 1]))
    assert grid is not None
    assert (grid.nx, grid.ny, grid.dx, grid.dy) == (3, 2, 10.0, 10.0)
    assert grid.col.tolist() == [0, 2, 1, 2]
    assert grid.row.tolist() == [0, 0, 1, 1]
    assert grid.bounds == (100.0, 200.0, 130.0, 220.0)
    assert grid.cell_bounds(3) == (120.0, 210.0, 130.0, 220.0)


@pytest.mark.parametrize(
    "case",
    ["different_size", "off_grid", "duplicate", "empty", "too_large"],
)
def test_detect_grid_rejects_what_is_no_grid(case):
    xmin, ymin, xmax, ymax = _boxes([0, 1, 2], [0, 0, 0])
    if case == "different_size":
        xmax = xmax + np.array([0, 0, 5.0])
    elif case == "off_grid":
        xmin, xmax = xmin + np.array([0, 0, 4.0]), xmax + np.array([0, 0, 4.0])
    elif case == "duplicate":
        xmin, ymin, xmax, ymax = _boxes([0, 1, 1], [0, 0, 0])
    elif case == "empty":
        xmin = ymin = xmax = ymax = np.array([])
    elif case == "too_large":
        xmin, ymin, xmax, ymax = _boxes([0, 5000], [0, 5000])
    assert detect_grid(xmin, ymin, xmax, ymax) is None


def test_class_image_puts_north_up():
    grid = detect_grid(*_boxes([0, 2, 1, 2], [0, 0, 1, 1]))
    image = class_image(grid, np.array([1, 2, 3, 4], dtype=np.uint8))
    # row 1 (north) is the first image row
    assert image.tolist() == [[NO_CELL, 3, 4], [1, NO_CELL, 2]]
    with pytest.raises(ValueError):
        class_image(grid, np.array([1, 2, 3]))
    with pytest.raises(ValueError):
        class_image(grid, np.array([1, 2, 3, NO_CELL]))


def test_palette_png_keeps_colours_and_transparency():
    image = np.array([[0, 1], [NO_CELL, 0]], dtype=np.uint8)
    png = raster_map.palette_png(image, [[10, 20, 30, 215], [200, 0, 0, 255]])
    decoded = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert decoded[0, 0].tolist() == [10, 20, 30, 215]
    assert decoded[0, 1].tolist() == [200, 0, 0, 255]
    assert decoded[1, 0][3] == 0  # no cell: transparent
    assert raster_map.png_data_url(png).startswith("data:image/png;base64,iVBOR")


def test_demo_raster_is_a_utm_grid(demo_store):
    raster = raster_map.level_raster(
        lambda: demo_store.geometry_chunks("raster", rows=100)
    )
    assert raster is not None
    assert raster.crs == "EPSG:25832"  # 250 m cells, square in UTM 32N
    assert raster.grid.dx == pytest.approx(250, abs=0.5)
    assert len(raster.grid.col) == 631
    # the image corners enclose every cell centre
    geo = demo_store.geometries("raster").geometry
    centres = geo.to_crs("EPSG:25832").centroid.to_crs("EPSG:4326")
    lon, lat = centres.x, centres.y
    lons, lats = zip(*raster.corners, strict=True)
    assert min(lons) < lon.min() and lon.max() < max(lons)
    assert min(lats) < lat.min() and lat.max() < max(lats)
    # the outline of a cell is the cell
    first = raster_map.cell_outline(raster, 0)
    assert first.symmetric_difference(geo.iloc[0]).area < 0.02 * geo.iloc[0].area
    assert (
        raster_map.level_raster(lambda: demo_store.geometry_chunks("quartier")) is None
    )


def test_compact_deck_is_the_same_deck_smaller_and_splices_records():
    records = [
        {"polygon": [[[7.1, 49.3], [7.2, 49.3], [7.2, 49.4]]], "name": "Ä „x“"}
    ] * 3
    layer = pdk.Layer("PolygonLayer", data=records, id="areas", get_polygon="polygon")
    plain = pdk.Deck(layers=[layer]).to_json()
    compact = CompactDeck(layers=[layer]).to_json()
    assert json.loads(plain) == json.loads(compact)
    assert len(compact) < len(plain) / 2
    spliced_layer = pdk.Layer(
        "PolygonLayer",
        data=records_json(records),
        id="areas",
        get_polygon="polygon",
    )
    deck = CompactDeck(layers=[spliced_layer])
    assert json.loads(deck.to_json()) == json.loads(compact)
    assert isinstance(spliced_layer.data, RecordsJSON)  # restored after use


class _ImportSpy:
    """A meta path finder that only notes which modules are looked for."""

    def __init__(self):
        self.names: list[str] = []

    def find_spec(self, name, path=None, target=None):
        self.names.append(name)
        return None


def test_a_deck_does_not_look_for_pydecks_jupyter_widget_on_every_run():
    CompactDeck(layers=[])  # the first deck of the process may look once
    spy = _ImportSpy()
    sys.meta_path.insert(0, spy)
    try:
        for _ in range(3):
            CompactDeck(layers=[], map_style=None)
    finally:
        sys.meta_path.remove(spy)
    assert not [n for n in spy.names if n.startswith("pydeck")], spy.names


def test_image_deck_passes_the_data_url_as_a_literal():
    url = "data:image/png;base64,iVBORw0KGgo="
    corners = [[7.1, 49.3], [7.1, 49.4], [7.2, 49.4], [7.2, 49.3]]
    deck = image_deck(
        url, corners, view=fit_view((7.1, 49.3, 7.2, 49.4)), basemap="blank"
    )
    layer = json.loads(deck.to_json())["layers"][0]
    assert layer["@@type"] == "BitmapLayer"
    assert layer["image"] == url  # not a deck.gl expression ("@@=...")
    assert layer["bounds"] == corners
    assert layer["textureParameters"]["magFilter"] == "nearest"


def test_classify_marks_non_finite_values_and_counts_the_rest():
    values = np.array([1.0, np.nan, 3.0, np.inf, 2.0, -np.inf])
    c = classify(values, "quantile", 2)
    assert c.yb.tolist() == [0, -1, 1, -1, 0, -1]
    assert c.counts.tolist() == [2, 1]
    assert not c.yb.flags.writeable
