"""Regular raster grids: find the grid behind cell polygons and paint classes into it.

Why: a map of a million 250 m cells cannot send one polygon per cell (about 730 MiB
of deck JSON per rerun, docs/PERFORMANCE.md); it sends one image with a pixel per
cell instead (deck.gl BitmapLayer), which needs each cell's column and row. Grids
such as the Zensus 2022 grid (EPSG:3035) or a UTM grid are regular in their own
projection, not in longitude/latitude, so the caller tries the plausible CRSs and
passes each cell's bounds in it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["RasterGrid", "NO_CELL", "MAX_PIXELS", "detect_grid", "class_image"]

NO_CELL = 255
"""Palette index of pixels without a cell (drawn transparent)."""

MAX_PIXELS = 16_000_000
"""Largest image (e.g. 4,000 x 4,000 cells) a grid may span."""


@dataclass(frozen=True)
class RasterGrid:
    """Cells on a regular grid: origin (x0, y0) is the lower-left corner, cell size
    (dx, dy), nx columns and ny rows; ``col``/``row`` per cell in input order."""

    x0: float
    y0: float
    dx: float
    dy: float
    nx: int
    ny: int
    col: np.ndarray
    row: np.ndarray

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (
            self.x0,
            self.y0,
            self.x0 + self.nx * self.dx,
            self.y0 + self.ny * self.dy,
        )

    def cell_bounds(self, index: int) -> tuple[float, float, float, float]:
        x = self.x0 + int(self.col[index]) * self.dx
        y = self.y0 + int(self.row[index]) * self.dy
        return (x, y, x + self.dx, y + self.dy)


def detect_grid(
    xmin: np.ndarray,
    ymin: np.ndarray,
    xmax: np.ndarray,
    ymax: np.ndarray,
    *,
    tolerance: float = 0.01,
) -> RasterGrid | None:
    """The regular grid of axis-aligned cells with these bounds, or None.

    A grid is accepted when every cell has the median width and height and sits
    on a multiple of them from the lower-left corner (both within ``tolerance``
    of a cell size), no two cells share a position, and the grid spans at most
    ``MAX_PIXELS`` positions.
    """
    xmin, ymin, xmax, ymax = (
        np.asarray(a, dtype=float) for a in (xmin, ymin, xmax, ymax)
    )
    if xmin.size == 0 or not np.isfinite([xmin, ymin, xmax, ymax]).all():
        return None
    w, h = xmax - xmin, ymax - ymin
    dx, dy = float(np.median(w)), float(np.median(h))
    if dx <= 0 or dy <= 0:
        return None
    if np.abs(w - dx).max() > tolerance * dx or np.abs(h - dy).max() > tolerance * dy:
        return None
    x0, y0 = float(xmin.min()), float(ymin.min())
    fx, fy = (xmin - x0) / dx, (ymin - y0) / dy
    col, row = np.rint(fx), np.rint(fy)
    if np.abs(fx - col).max() > tolerance or np.abs(fy - row).max() > tolerance:
        return None
    col, row = col.astype(np.int64), row.astype(np.int64)
    nx, ny = int(col.max()) + 1, int(row.max()) + 1
    if nx * ny > MAX_PIXELS:
        return None
    if np.unique(row * nx + col).size != col.size:
        return None
    return RasterGrid(
        x0, y0, dx, dy, nx, ny, col.astype(np.int32), row.astype(np.int32)
    )


def class_image(grid: RasterGrid, codes: np.ndarray) -> np.ndarray:
    """A (ny, nx) uint8 image, north up: each cell's code (palette index) at its
    position, ``NO_CELL`` where the grid has no cell."""
    codes = np.asarray(codes)
    if codes.shape != grid.col.shape:
        raise ValueError("one code per cell of the grid is needed")
    if codes.size and (codes.min() < 0 or codes.max() >= NO_CELL):
        raise ValueError(f"codes must lie in 0..{NO_CELL - 1}")
    image = np.full((grid.ny, grid.nx), NO_CELL, dtype=np.uint8)
    image[grid.ny - 1 - grid.row, grid.col] = codes
    return image
