"""Example data shared by the hotspot tests: square cells, clustered values and a
hand-worked Benjamini-Hochberg example."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import box

SEED = 20240611


def grid(nx, ny, size=100.0, crs="EPSG:25832", x0=350_000.0, y0=5_470_000.0):
    """nx x ny square cells, row-major ids g000, g001, ..."""
    cells = [
        box(x0 + i * size, y0 + j * size, x0 + (i + 1) * size, y0 + (j + 1) * size)
        for j in range(ny)
        for i in range(nx)
    ]
    ids = [f"g{n:03d}" for n in range(nx * ny)]
    return gpd.GeoDataFrame({"area_id": ids}, geometry=cells, crs=crs)


def clustered_values(nx=10, ny=10, seed=1):
    """Positive values with a high cluster around (2, 2) and a low one at (7, 7)."""
    rng = np.random.default_rng(seed)
    i, j = np.meshgrid(np.arange(nx), np.arange(ny))
    i, j = i.ravel(), j.ravel()
    hot = np.exp(-((i - 2) ** 2 + (j - 2) ** 2) / 4.0)
    cold = np.exp(-((i - 7) ** 2 + (j - 7) ** 2) / 4.0)
    return 20.0 + 8.0 * hot - 6.0 * cold + rng.normal(0.0, 1.0, nx * ny)


# 8 p-values, alpha = 0.05. Sorted: 0.001, 0.013, 0.018, 0.024, 0.05, 0.30, 0.51, 0.74
# Thresholds k * 0.05 / 8:        0.00625 0.0125 0.01875 0.025 0.03125 0.0375
#                                 0.04375 0.05
# p(k) <= threshold for k = 1, 3, 4 (not for k = 2: 0.013 > 0.0125); the largest
# such k is 4, so the step-up rejects the four smallest, including 0.013.
# Adjusted q(k) = min over j >= k of 8 p(j) / j:
#   8 p / k = 0.008, 0.052, 0.048, 0.048, 0.08, 0.4, 0.582857, 0.74
#   running minimum from the top: 0.008, 0.048, 0.048, 0.048, 0.08, 0.4,
#   0.582857, 0.74
BH_P = [0.30, 0.013, 0.001, 0.024, 0.74, 0.018, 0.05, 0.51]
BH_REJECT = [False, True, True, True, False, True, False, False]

BH_Q = [0.4, 0.048, 0.008, 0.048, 0.74, 0.048, 0.08, 8 * 0.51 / 7]
