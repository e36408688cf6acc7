"""Static choropleth PNG made on the server (plotly without tiles, kaleido)."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import Polygon, box

from monitor.methods.classification import class_labels, classify
from monitor.views.palettes import SUPPRESSED_RGB, class_colors
from monitor.views.static_map import choropleth_figure, choropleth_png, polygon_xy
from tests.conftest import DEMO_DIR


@pytest.fixture(scope="module")
def quartiere():
    areas = gpd.read_parquet(DEMO_DIR / "areas.parquet")
    values = pd.read_parquet(DEMO_DIR / "indicator_values.parquet")
    rows = values[
        (values.indicator_id == "gymnasium_uebergang") & (values.year == 2025)
    ]
    q = areas[areas.level == "quartier"].merge(rows[["area_id", "value", "status"]])
    q.loc[q.status == "suppressed", "value"] = np.nan
    focus = areas[areas.level == "fokusgebiet"].geometry.iloc[0]
    return q, focus


def _map_args(q):
    c = classify(q.value.to_numpy(), "quantile", 4)
    colors = class_colors(c.k, "higher_is_better")
    labels = class_labels(c, lambda v: f"{v:.1f}".replace(".", ",") + " %")
    return c, colors, labels


def test_polygon_rings_keep_holes_and_parts():
    donut = Polygon(
        box(0, 0, 10, 10).exterior.coords, [box(3, 3, 7, 7).exterior.coords]
    )
    x, y = polygon_xy([donut, box(20, 0, 21, 1)])
    assert x.count(None) == 3  # exterior, hole, second polygon
    first = np.array(list(zip(x[:5], y[:5], strict=True)))
    signed = np.sum(first[:-1, 0] * first[1:, 1] - first[1:, 0] * first[:-1, 1])
    assert signed > 0  # exterior counter-clockwise, so the clockwise hole stays open


def test_figure_has_one_fill_and_one_legend_entry_per_class(quartiere):
    q, focus = quartiere
    c, colors, labels = _map_args(q)
    assert (q.status == "suppressed").any()
    fig = choropleth_figure(
        q, c.yb, colors, labels, status=q.status.to_numpy(),
        title="Übergang aufs Gymnasium 2025", footer="Quelle: Demodaten",
        outline=focus,
    )  # fmt: skip
    fills = [tr for tr in fig.data if tr.fill == "toself"]
    legend = [tr for tr in fig.data if tr.showlegend is not False]
    assert [tr.name for tr in legend] == [
        *labels,
        "aus Datenschutzgründen nicht ausgewiesen",
    ]
    assert len(fills) == np.unique(c.yb).size
    assert fig.layout.yaxis.scaleanchor == "x"
    assert not any(tr.type in ("choropleth", "choroplethmap") for tr in fig.data)
    assert fig.layout.annotations[0].text == "Quelle: Demodaten"


def test_png_decodes_with_size_and_legend_colours(quartiere):
    q, _ = quartiere
    c, colors, labels = _map_args(q)
    png = choropleth_png(
        q, c.yb, colors, labels, status=q.status.to_numpy(),
        title="Übergang aufs Gymnasium 2025",
        footer="Quelle: Schulstatistik · Demodaten · Stand 31.12.2025",
        width=900, height=700, scale=1,
    )  # fmt: skip
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (900, 700)
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    found = {tuple(p) for p in np.unique(pixels, axis=0)}
    for color in [*colors, SUPPRESSED_RGB]:
        assert tuple(color) in found, color


def test_bad_arguments_are_refused(quartiere):
    q, _ = quartiere
    c, colors, labels = _map_args(q)
    with pytest.raises(ValueError, match="one class per area"):
        choropleth_figure(q, c.yb[:-1], colors, labels, title="", footer="")
    with pytest.raises(ValueError, match="same length"):
        choropleth_figure(q, c.yb, colors, labels[:-1], title="", footer="")
