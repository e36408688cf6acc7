"""A second, small demo data folder: the fictitious town "Musterstadt".

Why it exists: the app must work for any Perspektivquartier by its data folder
alone. Musterstadt differs from the Neunkirchen demo in everything a city can
differ in — other area ids, 7 Stadtteile and 19 Quartiere, a 300 m raster, two
Perspektivquartiere (one of them across a Stadtteil border), 8 indicators of which
several are not in the Neunkirchen catalogue, the years 2018–2024, other benchmark
ids (``kreis``, ``land``) and no programme files. The AppTest page suite and a
Chromium walk run on it as on the main demo.

Everything here is invented (outline, names, values) and labelled as Demodaten of a
fictitious town; it is placed in a forest area so that an online basemap shows no
real town under it. Deterministic: ``python -m monitor.demo.musterstadt --out
data/musterstadt`` writes byte-identical files.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import MultiPoint, Point, Polygon, box
from shapely.ops import voronoi_diagram

__all__ = ["build_areas", "simulate_counts", "YEARS", "INDICATORS"]

METRIC_CRS = "EPSG:25832"
CENTRE = (421_500.0, 5_463_000.0)  # Pfälzerwald, no town there
CELL_M = 300
YEARS = tuple(range(2018, 2025))
SEED = 20261201

STADTTEILE = (
    # id, name, seed offset from the centre (m), residents 2018
    ("altstadt", "Altstadt", (0, 0), 5200),
    ("bahnhof", "Am Bahnhof", (1500, -600), 3900),
    ("huettenberg", "Hüttenberg", (-1400, 900), 4300),
    ("nordviertel", "Nordviertel", (300, 2100), 3100),
    ("suedstadt", "Südstadt", (-200, -2000), 3600),
    ("westend", "Westend", (-2500, -900), 2400),
    ("auenthal", "Auenthal", (2400, 1500), 1500),
)
QUARTIERE_PER_STADTTEIL = {
    "altstadt": 4,
    "bahnhof": 3,
    "huettenberg": 3,
    "nordviertel": 3,
    "suedstadt": 3,
    "westend": 2,
    "auenthal": 1,
}
FOCUS_AREAS = (
    # id, name, (stadtteil, quartier number) parts
    (
        "pq-altstadt-bahnhof",
        "Perspektivquartier Altstadt/Bahnhof",
        (("altstadt", 2), ("bahnhof", 1)),
    ),
    ("pq-huettenberg", "Perspektivquartier Hüttenberg", (("huettenberg", 1),)),
)

INDICATORS = (
    # id, unit, direction, in_index, numerator, denominator (age bands or count)
    ("einwohner", "count", "context", False),
    ("sgb2_quote", "percent", "higher_is_worse", True),
    ("kinderarmut_u18", "percent", "higher_is_worse", True),
    ("arbeitslose", "percent", "higher_is_worse", True),
    ("wohngeld_quote", "per_100", "higher_is_worse", False),
    ("alleinerziehende", "percent", "higher_is_worse", False),
    ("anteil_u18", "percent", "context", False),
    ("anteil_65plus", "percent", "context", False),
)


def _quartier_id(stadtteil: str, number: int) -> str:
    if QUARTIERE_PER_STADTTEIL[stadtteil] == 1:
        return stadtteil
    return f"{stadtteil}-{number}"


def _outline() -> Polygon:
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    r = 3300 * (1 + 0.13 * np.sin(3 * theta + 0.4) + 0.07 * np.cos(5 * theta))
    cx, cy = CENTRE
    return Polygon(zip(cx + r * np.cos(theta), cy + r * np.sin(theta), strict=True))


def _voronoi(seeds: list[Point], region: Polygon) -> list[Polygon]:
    cells = voronoi_diagram(MultiPoint(seeds), envelope=region.buffer(5000))
    by_seed = []
    for seed in seeds:
        cell = next(c for c in cells.geoms if c.contains(seed))
        by_seed.append(cell.intersection(region))
    return by_seed


def _quartiere(stadtteile: gpd.GeoDataFrame, rng: np.random.Generator):
    rows = []
    for st in stadtteile.itertuples():
        k = QUARTIERE_PER_STADTTEIL[st.area_id]
        minx, miny, maxx, maxy = st.geometry.bounds
        seeds: list[Point] = []
        while len(seeds) < k:
            p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if st.geometry.buffer(-150).contains(p):
                seeds.append(p)
        seeds.sort(key=lambda p: (-p.y, p.x))
        parts = _voronoi(seeds, st.geometry) if k > 1 else [st.geometry]
        for i, geom in enumerate(parts, start=1):
            rows.append(
                {
                    "area_id": f"{st.area_id}-{i}",
                    "name": f"{st.name} {i}" if k > 1 else st.name,
                    "parent_id": st.area_id,
                    "geometry": geom,
                }
            )
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def _raster(outline: Polygon, quartiere: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    xmin, ymin, xmax, ymax = outline.bounds
    rows = []
    for x in np.arange(np.floor(xmin / CELL_M) * CELL_M, xmax, CELL_M):
        for y in np.arange(np.floor(ymin / CELL_M) * CELL_M, ymax, CELL_M):
            centre = Point(x + CELL_M / 2, y + CELL_M / 2)
            hit = quartiere[quartiere.contains(centre)]
            if len(hit):
                rows.append(
                    {
                        "area_id": f"z300-{int(x)}-{int(y)}",
                        "name": f"Zelle {int(x) // CELL_M}/{int(y) // CELL_M}",
                        "parent_id": hit.area_id.iloc[0],
                        "geometry": box(x, y, x + CELL_M, y + CELL_M),
                    }
                )
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def build_areas(seed: int = SEED) -> gpd.GeoDataFrame:
    """Every level of Musterstadt in EPSG:25832 (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    outline = _outline()
    cx, cy = CENTRE
    seeds = [Point(cx + dx, cy + dy) for _, _, (dx, dy), _ in STADTTEILE]
    stadtteile = gpd.GeoDataFrame(
        {
            "area_id": [s[0] for s in STADTTEILE],
            "name": [s[1] for s in STADTTEILE],
            "parent_id": "musterstadt",
        },
        geometry=_voronoi(seeds, outline),
        crs=METRIC_CRS,
    )
    quartiere = _quartiere(stadtteile, rng)
    focus_rows = []
    for focus_id, name, parts in FOCUS_AREAS:
        ids = [
            f"{st}-{i}" if QUARTIERE_PER_STADTTEIL[st] > 1 else st for st, i in parts
        ]
        geom = quartiere[quartiere.area_id.isin(ids)].union_all()
        focus_rows.append(
            {
                "area_id": focus_id,
                "name": name,
                "parent_id": "musterstadt",
                "geometry": geom,
            }
        )
    focus = gpd.GeoDataFrame(focus_rows, crs=METRIC_CRS)
    in_focus = set()
    for _, _, parts in FOCUS_AREAS:
        in_focus |= {_quartier_id(st, i) for st, i in parts}
    city = gpd.GeoDataFrame(
        {"area_id": ["musterstadt"], "name": ["Musterstadt"], "parent_id": [None]},
        geometry=[outline],
        crs=METRIC_CRS,
    )
    levels = (
        (city, "stadt"),
        (focus, "fokusgebiet"),
        (stadtteile, "stadtteil"),
        (quartiere, "quartier"),
        (_raster(outline, quartiere), "raster"),
    )
    frames = [frame.assign(level=level) for frame, level in levels]
    areas = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=METRIC_CRS)
    areas["in_focus"] = areas.level.eq("fokusgebiet") | areas.area_id.isin(in_focus)
    raster_parent = areas.set_index("area_id").parent_id
    cells = areas.level.eq("raster")
    areas.loc[cells, "in_focus"] = areas.loc[cells, "parent_id"].isin(in_focus)
    del raster_parent
    return areas[["area_id", "name", "level", "parent_id", "in_focus", "geometry"]]


def _deprivation(cells: gpd.GeoDataFrame, focus: gpd.GeoDataFrame) -> np.ndarray:
    centres = cells.geometry.centroid
    dep = np.zeros(len(cells))
    for geom in focus.geometry:
        c = geom.centroid
        dist = np.hypot(centres.x - c.x, centres.y - c.y).to_numpy()
        dep += 1.3 * np.exp(-((dist / 700) ** 2))
    return dep - dep.mean()


def simulate_counts(areas: gpd.GeoDataFrame, seed: int = SEED + 1) -> pd.DataFrame:
    """Counts per raster cell, indicator and year (numerator, denominator)."""
    rng = np.random.default_rng(seed)
    cells = areas[areas.level == "raster"].reset_index(drop=True)
    focus = areas[areas.level == "fokusgebiet"]
    dep = _deprivation(cells, focus)
    weight = np.exp(rng.normal(0, 0.8, len(cells))) * (1 + 0.8 * np.clip(dep, 0, None))
    quart_of = cells.parent_id.to_numpy()
    st_of = areas.set_index("area_id").parent_id.loc[quart_of].to_numpy()
    target = {s[0]: s[3] for s in STADTTEILE}
    base = np.zeros(len(cells))
    for st_id, total in target.items():
        m = st_of == st_id
        base[m] = total * weight[m] / weight[m].sum()
    frames = []
    for yi, year in enumerate(YEARS):
        covid = 1.08 if year in (2020, 2021) else 1.0
        refugees = 1.06 if year >= 2022 else 1.0
        pop = rng.poisson(base * (1 + 0.004 * yi))
        u18 = rng.binomial(pop, np.clip(0.17 + 0.04 * dep, 0.05, 0.4))
        a65 = rng.binomial(pop - u18, np.clip(0.27 - 0.05 * dep, 0.05, 0.5))
        u65 = pop - a65
        a15_65 = rng.binomial(u65 - u18, 0.93) + rng.binomial(u18, 0.17)
        households_kids = rng.binomial(u18, 0.58)

        def draw(n, base_rate, beta, factor=1.0):
            p = np.clip(base_rate * factor * np.exp(beta * dep), 0.001, 0.9)
            return rng.binomial(n, p)

        kids_sgb2 = draw(u18, 0.22, 0.55, covid * refugees)
        others_sgb2 = draw(u65 - u18, 0.085, 0.5, covid * refugees)
        counts = {
            "einwohner": (pop, None),
            "sgb2_quote": (kids_sgb2 + others_sgb2, u65),
            "kinderarmut_u18": (kids_sgb2, u18),
            "arbeitslose": (draw(a15_65, 0.062, 0.45, covid), a15_65),
            "wohngeld_quote": (draw(pop, 0.021, 0.4), pop),
            "alleinerziehende": (draw(households_kids, 0.24, 0.35), households_kids),
            "anteil_u18": (u18, pop),
            "anteil_65plus": (a65, pop),
        }
        for indicator_id, (num, den) in counts.items():
            frames.append(
                pd.DataFrame(
                    {
                        "area_id": cells.area_id.to_numpy(),
                        "indicator_id": indicator_id,
                        "year": year,
                        "numerator": np.asarray(num, dtype=float),
                        "denominator": np.full(len(cells), np.nan)
                        if den is None
                        else np.asarray(den, dtype=float),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
