"""Synthetic but realistic geography of the Kreisstadt Neunkirchen.

The city outline is real (VG250, AGS 10043114). The ten Stadtteile sit at their real
coordinates (see STADTTEILE) and tile the outline as a Voronoi partition of those
points. Quartiere (Sozialräume) are a weighted k-means of populated raster cells per
Stadtteil, again as a clipped Voronoi partition, so they tile their Stadtteil exactly.
The Perspektivquartier is a block of about 53 ha in the city centre split into three
Quartiere. All borders inside the city are invented and labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import voronoi_polygons
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.ops import split, unary_union

__all__ = [
    "CELL_SIZE_M",
    "METRIC_CRS",
    "STADTTEILE",
    "Geography",
    "build_geography",
]

METRIC_CRS = "EPSG:25832"  # ETRS89 / UTM 32N, the official projection in the Saarland
CELL_SIZE_M = 250
OUTLINE_FILE = Path(__file__).with_name("neunkirchen_outline.geojson")
CITY_ID = "neunkirchen"
FOCUS_ID = "perspektivquartier"


@dataclass(frozen=True)
class Stadtteil:
    area_id: str
    name: str
    lat: float
    lon: float
    population_2018: int
    kernel_sigma_m: float
    quartiere: tuple[str, ...]


# Populations (31.12.2018) and coordinates from the Stadtteile's de.wikipedia
# infoboxes (which cite the city) and neunkirchen.de; the Innenstadt is the city total
# (47,873) minus the nine other Stadtteile. Quartier names are descriptive, invented.
STADTTEILE: tuple[Stadtteil, ...] = (
    Stadtteil(
        "innenstadt",
        "Innenstadt",
        49.3500,
        7.1830,
        22935,
        1100,
        (
            "Scheib",
            "Schwebel",
            "Eschweilerhof",
            "Nord",
            "Nordost",
            "Ost",
            "Süd",
            "Südwest",
            "West",
            "Hüttenberg",
            "Zoo",
        ),
    ),
    Stadtteil(
        "wiebelskirchen",
        "Wiebelskirchen",
        49.3733,
        7.1833,
        9076,
        700,
        ("Nord", "Mitte", "Süd", "Ost", "West", "Seitersberg"),
    ),
    Stadtteil(
        "wellesweiler",
        "Wellesweiler",
        49.3464,
        7.2206,
        5150,
        600,
        ("Nord", "Mitte", "Süd", "Ost"),
    ),
    Stadtteil(
        "furpach", "Furpach", 49.3250, 7.2200, 3819, 550, ("Nord", "Süd", "West")
    ),
    Stadtteil("hangard", "Hangard", 49.3827, 7.2106, 1803, 450, ("Nord", "Süd")),
    Stadtteil("kohlhof", "Kohlhof", 49.3203, 7.2411, 1671, 420, ("Nord", "Süd")),
    Stadtteil("muenchwies", "Münchwies", 49.4000, 7.2500, 1147, 380, ("",)),
    Stadtteil("ludwigsthal", "Ludwigsthal", 49.3330, 7.2330, 1136, 350, ("",)),
    Stadtteil("heinitz", "Heinitz", 49.3298, 7.1377, 652, 330, ("",)),
    Stadtteil("sinnerthal", "Sinnerthal", 49.3522, 7.1439, 549, 300, ("",)),
)

# Centre of the Perspektivquartier (Unterstadt / station area) and its three parts.
FOCUS_CENTRE = (49.3478, 7.1795)
FOCUS_QUARTIERE = ("Unterstadt", "Oberstadt", "Bahnhofsviertel")


@dataclass
class Geography:
    """Areas of all levels in the metric CRS, plus the raster cells' kernel weights."""

    outline: Polygon
    stadtteile: gpd.GeoDataFrame
    quartiere: gpd.GeoDataFrame
    focus: Polygon
    cells: gpd.GeoDataFrame  # raster cells with parent quartier and kernel weight


def slug(text: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", " ": "-"})
    return "".join(c for c in text.lower().translate(table) if c.isalnum() or c == "-")


def load_outline() -> Polygon:
    outline = gpd.read_file(OUTLINE_FILE).to_crs(METRIC_CRS)
    return outline.geometry.iloc[0]


def _project_points(latlon: list[tuple[float, float]]) -> list[Point]:
    pts = gpd.GeoSeries(
        [Point(lon, lat) for lat, lon in latlon], crs="EPSG:4326"
    ).to_crs(METRIC_CRS)
    return list(pts)


def _clipped_voronoi(seeds: list[Point], region: Polygon) -> list[Polygon]:
    """Voronoi cells of ``seeds`` clipped to ``region``, in the seeds' order."""
    cells = voronoi_polygons(
        MultiPoint(seeds), extend_to=region.buffer(5000), ordered=True
    )
    return [cell.intersection(region) for cell in cells.geoms]


def _wobbly_ring(poly: Polygon, rng: np.random.Generator, inward: float, amp: float):
    """Densify a rectangle's ring and push vertices along the normal, smoothly."""
    ring = LineString(poly.exterior.coords)
    n = int(ring.length // 40)
    dist = np.linspace(0, ring.length, n, endpoint=False)
    phase = rng.uniform(0, 2 * np.pi, 3)
    cx, cy = poly.centroid.x, poly.centroid.y
    coords = []
    for i, d in enumerate(dist):
        p = ring.interpolate(d)
        t = 2 * np.pi * i / n
        offset = -inward + amp * (
            0.6 * np.sin(3 * t + phase[0])
            + 0.3 * np.sin(7 * t + phase[1])
            + 0.1 * np.sin(13 * t + phase[2])
        )
        vx, vy = p.x - cx, p.y - cy
        norm = np.hypot(vx, vy)
        coords.append((p.x + offset * vx / norm, p.y + offset * vy / norm))
    return Polygon(coords)


def _wobbly_line(x: float, y0: float, y1: float, rng: np.random.Generator, amp: float):
    ys = np.arange(y0, y1 + 1, 50.0)
    xs = x + amp * np.sin(ys / 140.0 + rng.uniform(0, 6.28)) * rng.uniform(0.6, 1.0)
    return LineString(list(zip(xs, ys, strict=True)))


def _focus_area(rng: np.random.Generator) -> tuple[Polygon, list[Polygon], tuple]:
    """A 3 x 3 block of raster cells, its edge pulled in to about 53 ha, in 3 parts."""
    centre = _project_points([FOCUS_CENTRE])[0]
    x0 = np.floor(centre.x / CELL_SIZE_M) * CELL_SIZE_M - CELL_SIZE_M
    y0 = np.floor(centre.y / CELL_SIZE_M) * CELL_SIZE_M - CELL_SIZE_M
    block = box(x0, y0, x0 + 3 * CELL_SIZE_M, y0 + 3 * CELL_SIZE_M)
    focus = _wobbly_ring(block, rng, inward=11.0, amp=35.0).buffer(0)
    parts = []
    remaining = focus
    for k in (1, 2):
        line = _wobbly_line(x0 + k * CELL_SIZE_M, y0 - 200, y0 + 950, rng, amp=40.0)
        pieces = split(remaining, line).geoms
        west = [g for g in pieces if g.centroid.x < x0 + k * CELL_SIZE_M]
        east = [g for g in pieces if g.centroid.x >= x0 + k * CELL_SIZE_M]
        parts.append(unary_union(west))
        remaining = unary_union(east)
    parts.append(remaining)
    return focus, parts, (x0, y0)


def _raster(outline: Polygon) -> gpd.GeoDataFrame:
    xmin, ymin, xmax, ymax = outline.bounds
    xs = np.arange(np.floor(xmin / CELL_SIZE_M) * CELL_SIZE_M, xmax, CELL_SIZE_M)
    ys = np.arange(np.floor(ymin / CELL_SIZE_M) * CELL_SIZE_M, ymax, CELL_SIZE_M)
    records = []
    for x in xs:
        for y in ys:
            cx, cy = x + CELL_SIZE_M / 2, y + CELL_SIZE_M / 2
            if outline.contains(Point(cx, cy)):
                records.append(
                    {
                        "area_id": f"r250-E{int(x)}-N{int(y)}",
                        "x": cx,
                        "y": cy,
                        "geometry": box(x, y, x + CELL_SIZE_M, y + CELL_SIZE_M),
                    }
                )
    return gpd.GeoDataFrame(records, crs=METRIC_CRS)


def _weighted_kmeans(xy: np.ndarray, w: np.ndarray, k: int, iters: int = 60):
    """Lloyd's algorithm with a deterministic farthest-point start."""
    order = np.argsort(-w)
    centres = [xy[order[0]]]
    for _ in range(1, k):
        d = np.min([np.hypot(*(xy - c).T) for c in centres], axis=0) * np.sqrt(w)
        centres.append(xy[int(np.argmax(d))])
    centres = np.array(centres, dtype=float)
    for _ in range(iters):
        d = np.stack([np.hypot(*(xy - c).T) for c in centres])
        label = np.argmin(d, axis=0)
        for j in range(k):
            m = label == j
            if m.any():
                centres[j] = np.average(xy[m], axis=0, weights=w[m] + 1e-9)
    return centres


def build_geography(seed: int = 20241121) -> Geography:
    """Build every level; deterministic for a given seed."""
    rng = np.random.default_rng(seed)
    outline = load_outline()
    seeds = _project_points([(s.lat, s.lon) for s in STADTTEILE])
    st_polys = _clipped_voronoi(seeds, outline)
    stadtteile = gpd.GeoDataFrame(
        {
            "area_id": [s.area_id for s in STADTTEILE],
            "name": [s.name for s in STADTTEILE],
        },
        geometry=st_polys,
        crs=METRIC_CRS,
    )

    cells = _raster(outline)
    # Settlement density: one kernel per Stadtteil centre, plus two elongated
    # kernels along the Blies valley through the Innenstadt.
    kernel = np.zeros(len(cells))
    own_kernel = np.zeros(len(cells))
    stadtteil_of_cell = np.full(len(cells), "", dtype=object)
    for s, centre, poly in zip(STADTTEILE, seeds, st_polys, strict=True):
        d2 = (cells.x - centre.x) ** 2 + (cells.y - centre.y) ** 2
        own = (
            s.population_2018
            / s.kernel_sigma_m**2
            * np.exp(-d2 / (2 * s.kernel_sigma_m**2))
        )
        kernel += own
        inside = cells.geometry.centroid.within(poly).to_numpy()
        stadtteil_of_cell[inside] = s.area_id
        own_kernel[inside] = own[inside]
    valley = _project_points([(49.3600, 7.1700), (49.3420, 7.1950)])
    for v in valley:
        d2 = (cells.x - v.x) ** 2 + (cells.y - v.y) ** 2
        kernel += 4000 / 700**2 * np.exp(-d2 / (2 * 700**2))
    kernel *= np.exp(rng.normal(0, 0.25, len(cells)))  # lumpy, not perfectly round
    cells["kernel"] = kernel
    cells["stadtteil_id"] = stadtteil_of_cell

    focus, focus_parts, _ = _focus_area(rng)
    cells["in_focus"] = cells.geometry.centroid.within(focus).to_numpy()

    # Populated cells: those where the Stadtteil's own settlement kernel reaches 6 %
    # of its peak (the rest is forest, fields and industry, as in reality).
    populated = np.zeros(len(cells), dtype=bool)
    for s in STADTTEILE:
        idx = np.where(cells.stadtteil_id.to_numpy() == s.area_id)[0]
        own = own_kernel[idx]
        populated[idx[own >= 0.06 * own.max()]] = True
    populated |= cells.in_focus.to_numpy()
    cells = cells[populated].reset_index(drop=True)

    q_rows = []
    for s, poly in zip(STADTTEILE, st_polys, strict=True):
        sub = cells[(cells.stadtteil_id == s.area_id) & ~cells.in_focus]
        region = poly.difference(focus) if s.area_id == "innenstadt" else poly
        names = s.quartiere
        if len(names) == 1:
            parts = [region]
        else:
            xy = sub[["x", "y"]].to_numpy()
            centres = _weighted_kmeans(xy, sub.kernel.to_numpy(), len(names))
            parts = _clipped_voronoi([Point(c) for c in centres], region)
            # name the parts by their compass position where the name says so
            parts = _name_by_position(parts, names, poly)
        for name, part in zip(names, parts, strict=True):
            label = f"{s.name}-{name}" if name else s.name
            q_rows.append(
                {
                    # a Stadtteil that is one Quartier keeps its name, not its id
                    "area_id": slug(label) if name else f"{s.area_id}-quartier",
                    "name": label,
                    "parent_id": s.area_id,
                    "in_focus": False,
                    "geometry": part,
                }
            )
    for name, part in zip(FOCUS_QUARTIERE, focus_parts, strict=True):
        label = f"Innenstadt-{name}"
        q_rows.append(
            {
                "area_id": slug(label),
                "name": label,
                "parent_id": "innenstadt",
                "in_focus": True,
                "geometry": part,
            }
        )
    quartiere = gpd.GeoDataFrame(q_rows, crs=METRIC_CRS)
    # Each raster cell belongs to the Quartier containing its centre.
    centroids = gpd.GeoDataFrame(geometry=cells.geometry.centroid, crs=METRIC_CRS)
    joined = gpd.sjoin(
        centroids, quartiere[["area_id", "geometry"]], predicate="within"
    )
    cells["parent_id"] = joined.groupby(level=0)["area_id"].first().reindex(cells.index)
    if cells.parent_id.isna().any():
        raise RuntimeError("raster cells without a Quartier")
    return Geography(outline, stadtteile, quartiere, focus, cells)


_DIRECTIONS = {
    "Nord": (0, 1),
    "Süd": (0, -1),
    "Ost": (1, 0),
    "West": (-1, 0),
    "Nordost": (0.7, 0.7),
    "Südwest": (-0.7, -0.7),
    "Mitte": (0, 0),
}


def _name_by_position(parts, names, whole):
    """Give compass names to the parts that lie in that direction (greedy)."""
    cx, cy = whole.centroid.x, whole.centroid.y
    free = list(range(len(parts)))
    result: list = [None] * len(names)
    scale = np.sqrt(whole.area)
    for i, name in enumerate(names):
        if name not in _DIRECTIONS:
            continue
        dx, dy = _DIRECTIONS[name]

        def score(j, dx=dx, dy=dy):
            c = parts[j].centroid
            vx, vy = (c.x - cx) / scale, (c.y - cy) / scale
            if dx == 0 and dy == 0:
                return -np.hypot(vx, vy)
            return vx * dx + vy * dy

        best = max(free, key=score)
        result[i] = parts[best]
        free.remove(best)
    for i in range(len(names)):
        if result[i] is None:
            result[i] = parts[free.pop(0)]
    return result


def to_frame(geo: Geography) -> pd.DataFrame:  # pragma: no cover - debugging aid
    return pd.DataFrame(
        {
            "level": ["stadtteil", "quartier", "raster"],
            "n": [len(geo.stadtteile), len(geo.quartiere), len(geo.cells)],
        }
    )
