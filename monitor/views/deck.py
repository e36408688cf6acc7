"""pydeck decks: polygons or one raster image, the Perspektivquartier outlined,
serialised as compact JSON.

``st.pydeck_chart`` sends ``Deck.to_json()`` on every rerun (streamlit's
elements/deck_gl_json_chart.py; about 263 bytes per raster cell, docs/PERFORMANCE.md),
so records carry only what is drawn or shown in the tooltip, coordinates are rounded
to 5 decimals (about 1 m), cached records are spliced in as one JSON string
(:class:`RecordsJSON`) and the basemap is a setting: Carto's token-free tiles for
users, a blank MapLibre style for offline use and tests. Tooltips use deck.gl's
``text`` mode, which renders as text, so names from imported files cannot inject
HTML. What colour an area gets is decided in :mod:`monitor.views.choropleth`.

pydeck (0.9) asks five times per ``Deck`` whether its Jupyter widget can be
imported (``has_jupyter_extra``); without ipywidgets each failed import searches
``sys.path`` again, about 6 ms per deck and script run on this machine. The answer
cannot change in a running server, so it is asked once per process.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache, lru_cache
from urllib.parse import quote

import geopandas as gpd
import pydeck as pdk
import pydeck.bindings.deck
from pydeck.bindings.json_tools import default_serialize
from shapely.geometry.base import BaseGeometry

from monitor.views.palettes import FOCUS_OUTLINE_RGB, SELECTION_RGB

__all__ = [
    "map_style",
    "fit_view",
    "polygon_records",
    "outline_json",
    "outline_paths",
    "choropleth_deck",
    "image_deck",
    "highlight_layers",
    "CompactDeck",
    "RecordsJSON",
    "records_json",
    "BLANK_STYLE",
    "CARTO_STYLE",
]

if not hasattr(pydeck.bindings.deck.has_jupyter_extra, "cache_info"):
    pydeck.bindings.deck.has_jupyter_extra = cache(
        pydeck.bindings.deck.has_jupyter_extra
    )

CARTO_STYLE = "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json"
BLANK_STYLE = "data:application/json," + quote(
    json.dumps(
        {
            "version": 8,
            "sources": {},
            "layers": [
                {
                    "id": "background",
                    "type": "background",
                    "paint": {"background-color": "#eef0f2"},
                }
            ],
        },
        separators=(",", ":"),
    )
)
DECIMALS = 5


class RecordsJSON(str):
    """Layer records already serialised (``records_json``): cached as one string,
    they cost neither serialisation per rerun nor garbage-collector time (a list
    of 1,000 polygon records is ~20,000 Python containers per cached view)."""


def records_json(records: list[dict]) -> RecordsJSON:
    return RecordsJSON(json.dumps(records, separators=(",", ":")))


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact and built by the C encoder.

    pydeck serialises with ``indent=2``, which forces Python's pure-Python JSON
    encoder: 270 ms and 750 KB for 1,000 Quartier polygons per rerun; compact
    output of the same dict is about 8x faster and a third smaller (bench/scale.py).
    Layer data given as :class:`RecordsJSON` is spliced in as it is.
    """

    def to_json(self) -> str:
        spliced = {}
        for layer in self.layers:
            if isinstance(layer.data, RecordsJSON):
                token = f"qm-records-{id(layer)}"
                spliced[token] = layer.data
                layer.data = token
        try:
            text = json.dumps(
                self, sort_keys=True, default=default_serialize, separators=(",", ":")
            )
        finally:
            for layer in self.layers:
                token = f"qm-records-{id(layer)}"
                if token in spliced:
                    layer.data = spliced[token]
        for token, data in spliced.items():
            text = text.replace(f'"{token}"', data, 1)
        return text


def map_style(basemap: str) -> str:
    return CARTO_STYLE if basemap == "carto" else BLANK_STYLE


def fit_view(
    bounds: Sequence[float],
    width_px: int = 900,
    height_px: int = 560,
    padding: float = 0.08,
) -> pdk.ViewState:
    """Centre and Web-Mercator zoom that fit ``bounds`` (minx, miny, maxx, maxy)."""
    minx, miny, maxx, maxy = bounds
    lon_span = max(maxx - minx, 1e-6) * (1 + 2 * padding)
    lat_c = (miny + maxy) / 2
    y0 = math.log(math.tan(math.pi / 4 + math.radians(miny) / 2))
    y1 = math.log(math.tan(math.pi / 4 + math.radians(maxy) / 2))
    merc_span = max(y1 - y0, 1e-9) * (1 + 2 * padding)
    # deck.gl's Web Mercator viewport is 512 px wide at zoom 0 (not 256 as for
    # raster tiles): with 256 every map came out one zoom level too close
    zoom_x = math.log2(width_px * 360 / (512 * lon_span))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * merc_span))
    return pdk.ViewState(
        latitude=round(lat_c, 5),
        longitude=round((minx + maxx) / 2, 5),
        zoom=round(min(zoom_x, zoom_y), 2),
        pitch=0,
        bearing=0,
    )


def _rings(geom: BaseGeometry):
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        yield poly


def _coords(ring) -> list[list[float]]:
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def polygon_records(
    gdf: gpd.GeoDataFrame, fill: Sequence[Sequence[int]], properties: Sequence[dict]
) -> list[dict]:
    """One record per polygon part: ``polygon`` (with holes), ``fill`` and props."""
    records = []
    for geom, color, props in zip(gdf.geometry, fill, properties, strict=True):
        for poly in _rings(geom):
            shape = [_coords(poly.exterior)] + [_coords(r) for r in poly.interiors]
            records.append({"polygon": shape, "fill": list(color), **props})
    return records


def outline_paths(geom: BaseGeometry) -> list[dict]:
    return [{"path": _coords(poly.exterior)} for poly in _rings(geom)]


@lru_cache(maxsize=64)
def outline_json(geom: BaseGeometry) -> RecordsJSON:
    """:func:`outline_paths` serialised, once per geometry (shapely geometries are
    immutable and hashed by value): the programme area's outline lies on every
    map of every run, and rounding and serialising its vertices each time showed
    in a profile of the served process (0.13 ms for the demo's 80 vertices)."""
    return records_json(outline_paths(geom))


def choropleth_deck(
    records: list[dict] | RecordsJSON,
    *,
    view: pdk.ViewState,
    basemap: str,
    outline: BaseGeometry | None = None,
    selected: BaseGeometry | None = None,
    tooltip_text: str = "{name}\n{tip}",
    line_width_px: float = 0.6,
    height: int = 560,
    pickable: bool = True,
    highlighted: Sequence[tuple[str, BaseGeometry]] = (),
    extra_layers: Sequence[pdk.Layer] = (),
) -> pdk.Deck:
    """A choropleth deck: filled polygons, thin borders, thick focus outline;
    ``highlighted`` (area id, geometry) pairs outlined in the selection colour
    (areas picked in a chart), ``extra_layers`` on top (facilities)."""
    layers = [
        pdk.Layer(
            "PolygonLayer",
            data=records,
            id="areas",
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=[255, 255, 255, 220],
            # widths in pixels via *_min_pixels: "pixels" units leave the canvas
            # blank under SwiftShader (software WebGL, measured here)
            get_line_width=0,
            line_width_min_pixels=line_width_px,
            stroked=True,
            filled=True,
            pickable=pickable,
            auto_highlight=pickable,
            highlight_color=[31, 95, 168, 90],
        )
    ]
    layers.extend(_outline_layers(outline, selected))
    layers.extend(highlight_layers(highlighted))
    layers.extend(extra_layers)
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider="carto" if basemap == "carto" else None,
        map_style=map_style(basemap),
        tooltip=_tooltip(tooltip_text) if pickable or extra_layers else False,
        height=height,
    )


def _tooltip(text: str) -> dict:
    """deck.gl's text tooltip (rendered as text, so names cannot carry HTML)."""
    return {
        "text": text,
        "style": {"fontSize": "15px", "backgroundColor": "#1b1b1b", "color": "white"},
    }


def _outline_layers(
    outline: BaseGeometry | None, selected: BaseGeometry | None
) -> list[pdk.Layer]:
    layers = []
    if outline is not None:
        layers.append(
            pdk.Layer(
                "PathLayer",
                data=outline_json(outline),
                id="focus-outline",
                get_path="path",
                get_color=FOCUS_OUTLINE_RGB,
                get_width=0,
                width_min_pixels=3.5,
                pickable=False,
            )
        )
    if selected is not None:
        layers.append(
            pdk.Layer(
                "PathLayer",
                data=outline_json(selected),
                id="selected",
                get_path="path",
                get_color=[31, 95, 168],
                get_width=0,
                width_min_pixels=5,
                pickable=False,
            )
        )
    return layers


def highlight_layers(areas: Sequence[tuple[str, BaseGeometry]]) -> list[pdk.Layer]:
    """Outlines of picked areas, one path per ring with its ``area_id``: the
    selection colour over a white casing, visible on every fill."""
    paths = [
        {**path, "area_id": area_id}
        for area_id, geom in areas
        if geom is not None
        for path in outline_paths(geom)
    ]
    if not paths:
        return []
    common = {"data": paths, "get_path": "path", "get_width": 0, "pickable": False}
    return [
        pdk.Layer(
            "PathLayer",
            id="auswahl-casing",
            get_color=[255, 255, 255],
            width_min_pixels=7,
            **common,
        ),
        pdk.Layer(
            "PathLayer",
            id="auswahl",
            get_color=SELECTION_RGB,
            width_min_pixels=4,
            **common,
        ),
    ]


def image_deck(
    image_url: str,
    corners: Sequence[Sequence[float]],
    *,
    view: pdk.ViewState,
    basemap: str,
    outline: BaseGeometry | None = None,
    selected: BaseGeometry | None = None,
    height: int = 560,
    extra_layers: Sequence[pdk.Layer] = (),
    tooltip_text: str = "{name}\n{tip}",
) -> pdk.Deck:
    """A raster level as one image (deck.gl BitmapLayer between four lon/lat
    corners), nearest-neighbour sampled so class colours never blend."""
    layers = [
        pdk.Layer(
            "BitmapLayer",
            id="raster-image",
            # quoted: pydeck passes quoted strings through as literals; unquoted
            # it would run its URL regex over the whole data URL (56 ms per MB)
            # and then treat the string as a deck.gl expression
            image=f"'{image_url}'",
            bounds=[list(c) for c in corners],
            texture_parameters={"minFilter": "nearest", "magFilter": "nearest"},
            pickable=False,
        ),
        *_outline_layers(outline, selected),
        *extra_layers,
    ]
    return CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider="carto" if basemap == "carto" else None,
        map_style=map_style(basemap),
        # only facilities can be picked on an image level
        tooltip=_tooltip(tooltip_text) if extra_layers else False,
        height=height,
    )
