"""Large raster levels drawn as one image: a pixel per cell on a deck.gl BitmapLayer.

Why: above a few ten thousand cells a PolygonLayer sends every cell's ring on every
rerun (1 M cells: about 730 MiB); a palette PNG of the class per cell is below 1 MB
at the same resolution (docs/PERFORMANCE.md, scale scenario). The image is drawn
between its four corners in longitude/latitude, so a grid that is regular in a
projected CRS (UTM, the Zensus grid's LAEA) is placed correctly.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from PIL import Image
from pyproj import Transformer
from shapely.geometry import Polygon

from monitor.methods.raster import NO_CELL, RasterGrid, detect_grid

__all__ = [
    "GRID_CRS",
    "LevelRaster",
    "level_raster",
    "cell_outline",
    "palette_png",
    "png_data_url",
]

GRID_CRS = ("EPSG:4326", "EPSG:25832", "EPSG:3035")
"""CRSs in which a raster level's cells are tried as a regular grid: as stored,
UTM 32N (an official CRS of the Länder), ETRS89-LAEA (Zensus and EU grids)."""


@dataclass(frozen=True)
class LevelRaster:
    grid: RasterGrid
    crs: str
    corners: tuple[tuple[float, float], ...]  # lon/lat: lower-left, upper-left,
    # upper-right, lower-right (deck.gl BitmapLayer ``bounds``)

    def to_lonlat(self, xs, ys):
        if self.crs == "EPSG:4326":
            return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        transformer = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        return transformer.transform(np.asarray(xs, float), np.asarray(ys, float))


def level_raster(chunks: Callable[[], Iterable[np.ndarray]]) -> LevelRaster | None:
    """The regular grid of a level's cells, or None.

    ``chunks()`` yields the cells' polygons (EPSG:4326, in level order) in arrays;
    each CRS of ``GRID_CRS`` is tried in turn, one pass over the chunks each, so a
    million cells never exist as shapely objects at once.
    """
    for crs in GRID_CRS:
        transformer = (
            None
            if crs == "EPSG:4326"
            else Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        )
        parts = []
        for geoms in chunks():
            if transformer is not None:
                geoms = shapely.transform(
                    geoms,
                    lambda xy, tr=transformer: np.column_stack(
                        tr.transform(xy[:, 0], xy[:, 1])
                    ),
                )
            parts.append(shapely.bounds(geoms))
        if not parts:
            return None
        b = np.concatenate(parts)
        grid = detect_grid(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
        if grid is None:
            continue
        xmin, ymin, xmax, ymax = grid.bounds
        probe = LevelRaster(grid, crs, ())
        lon, lat = probe.to_lonlat([xmin, xmin, xmax, xmax], [ymin, ymax, ymax, ymin])
        corners = tuple(
            (round(float(x), 6), round(float(y), 6))
            for x, y in zip(lon, lat, strict=True)
        )
        return LevelRaster(grid, crs, corners)
    return None


def cell_outline(raster: LevelRaster, index: int) -> Polygon:
    """One cell's square in longitude/latitude (for the selection outline)."""
    x0, y0, x1, y1 = raster.grid.cell_bounds(index)
    lon, lat = raster.to_lonlat([x0, x0, x1, x1, x0], [y0, y1, y1, y0, y0])
    return Polygon(zip(lon, lat, strict=True))


def palette_png(image: np.ndarray, palette: Sequence[Sequence[int]]) -> bytes:
    """A palette PNG of ``image`` (uint8 codes); ``palette[i]`` is RGBA of code i,
    ``NO_CELL`` is transparent. One byte per pixel and zlib level 1 keep 1 M cells
    at 13 ms and ~350 KB (level 6: 128 ms, 311 KB; measured on the scale data)."""
    if len(palette) >= NO_CELL:
        raise ValueError("too many colours for a palette image")
    rgb = np.zeros((256, 3), dtype=np.uint8)
    alpha = np.zeros(256, dtype=np.uint8)
    for i, colour in enumerate(palette):
        rgb[i] = colour[:3]
        alpha[i] = colour[3] if len(colour) > 3 else 255
    img = Image.fromarray(np.ascontiguousarray(image, dtype=np.uint8))
    img.putpalette(rgb.tobytes(), rawmode="RGB")
    buf = io.BytesIO()
    img.save(buf, format="PNG", transparency=alpha.tobytes(), compress_level=1)
    return buf.getvalue()


def png_data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
