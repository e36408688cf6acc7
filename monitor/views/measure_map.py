"""The map of measures: located ones as points, area-wide ones as rings at the
area's centre, over the quarter borders and the Perspektivquartier outline."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import pydeck as pdk

from monitor.i18n import t
from monitor.views.deck import (
    CompactDeck,
    RecordsJSON,
    fit_view,
    map_style,
    outline_json,
    polygon_records,
    records_json,
)
from monitor.views.palettes import MEASURE_STATUS_RGB

__all__ = ["area_points", "measures_deck", "quarter_borders"]


def area_points(frames) -> dict[str, tuple[float, float]]:
    """A point inside every area of the given GeoDataFrames (for area-wide
    measures on the map)."""
    points = {}
    for frame in frames:
        for area_id, geom in zip(frame.area_id, frame.geometry, strict=True):
            point = geom.representative_point()
            points[area_id] = (point.x, point.y)
    return points


def _marker_records(
    measures: pd.DataFrame, area_points: Mapping[str, tuple[float, float]], lang: str
) -> tuple[list[dict], list[dict]]:
    """Points of located measures and rings of area-wide ones (several rings in one
    area spread on a golden-angle spiral so they stay apart)."""
    points, rings = [], []
    ring_counts: dict[str, int] = {}
    area_tip = t("massnahmen.map_area_tip", lang)
    for m in measures.itertuples():
        tip = (
            f"{m.measure_id} · {t(f'progress.status.{m.status}', lang)}\n"
            f"{t(f'progress.field.{m.handlungsfeld}', lang)}"
        )
        record = {
            "title": m.title,
            "tip": tip,
            "fill": MEASURE_STATUS_RGB.get(m.status, [90, 90, 90]) + [230],
        }
        if not pd.isna(m.lon) and not pd.isna(m.lat):
            points.append(record | {"position": [round(m.lon, 5), round(m.lat, 5)]})
        elif m.area_id in area_points:
            lon, lat = area_points[m.area_id]
            k = ring_counts.get(m.area_id, 0)
            ring_counts[m.area_id] = k + 1
            angle = k * 2.4
            radius = 0.0009 * math.sqrt(k)
            position = [
                round(lon + radius * math.cos(angle) * 1.5, 5),
                round(lat + radius * math.sin(angle), 5),
            ]
            rings.append(record | {"position": position, "tip": f"{tip}\n{area_tip}"})
    return points, rings


def quarter_borders(quarters) -> RecordsJSON:
    """The quarter borders under the measures: unfilled polygons, serialised."""
    n = len(quarters)
    return records_json(polygon_records(quarters, [[0, 0, 0, 0]] * n, [{}] * n))


def _layers(
    points: list[dict], rings: list[dict], quarters: RecordsJSON, focus_geom
) -> list:
    """Quarter borders, the Perspektivquartier outline, rings, points on top."""
    return [
        pdk.Layer(
            "PolygonLayer",
            data=quarters,
            id="quarters",
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=[120, 130, 140, 200],
            get_line_width=0,
            line_width_min_pixels=0.8,
            stroked=True,
            filled=True,
            pickable=False,
        ),
        pdk.Layer(
            "PathLayer",
            data=outline_json(focus_geom) if focus_geom is not None else [],
            id="focus-outline",
            get_path="path",
            get_color=[0, 0, 0],
            get_width=0,
            width_min_pixels=3.5,
            pickable=False,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=rings,
            id="measures-areas",
            get_position="position",
            get_fill_color=[255, 255, 255, 200],
            get_line_color="fill",
            get_radius=1,
            radius_min_pixels=8,
            line_width_min_pixels=3,
            stroked=True,
            filled=True,
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            data=points,
            id="measures-points",
            get_position="position",
            get_fill_color="fill",
            get_line_color=[255, 255, 255],
            get_radius=1,
            radius_min_pixels=7,
            line_width_min_pixels=1.5,
            stroked=True,
            filled=True,
            pickable=True,
        ),
    ]


def _bounds(markers: list[dict], focus_geom) -> tuple[float, float, float, float]:
    """The markers and the Perspektivquartier with a small margin."""
    xs = [p["position"][0] for p in markers]
    ys = [p["position"][1] for p in markers]
    fx0, fy0, fx1, fy1 = (
        focus_geom.bounds
        if focus_geom is not None
        else (
            min(xs, default=0),
            min(ys, default=0),
            max(xs, default=0),
            max(ys, default=0),
        )
    )
    return (
        min([*xs, fx0]) - 0.002,
        min([*ys, fy0]) - 0.0015,
        max([*xs, fx1]) + 0.002,
        max([*ys, fy1]) + 0.0015,
    )


def measures_deck(
    measures: pd.DataFrame,
    *,
    area_points: Mapping[str, tuple[float, float]],
    quarters: RecordsJSON,
    focus_geom,
    basemap: str,
    lang: str,
    height: int = 520,
    extra_layers=(),
) -> tuple[pdk.Deck, int, int]:
    """Located measures: points (filled) and whole areas (rings at the area's
    centre, spread in a small circle), the quarter borders and the
    Perspektivquartier; ``extra_layers`` (facilities) below the measures.
    Returns the deck and the numbers of points and rings."""
    points, rings = _marker_records(measures, area_points, lang)
    layers = _layers(points, rings, quarters, focus_geom)
    layers[2:2] = list(extra_layers)
    bounds = _bounds(points + rings, focus_geom)
    view = fit_view(bounds, 720, height - 60, padding=0.15)
    view.zoom = round(view.zoom - 0.4, 2)  # room for markers at the edges
    deck = CompactDeck(
        layers=layers,
        initial_view_state=view,
        map_provider="carto" if basemap == "carto" else None,
        map_style=map_style(basemap),
        tooltip={
            "text": "{title}\n{tip}",
            "style": {
                "fontSize": "15px",
                "backgroundColor": "#1b1b1b",
                "color": "white",
            },
        },
        height=height,
    )
    return deck, len(points), len(rings)
