"""A second, small demo data folder: the fictitious town "Musterstadt".

Why it exists: the app must work for any Perspektivquartier by its data folder
alone. Musterstadt differs from the Neunkirchen demo in everything a city can
differ in — other area ids, 7 Stadtteile and 19 Quartiere, a 300 m raster, two
Perspektivquartiere of about 40–50 ha (one of them across a Stadtteil border, so
its parent is the town), 8 indicators of which several are not in the Neunkirchen
catalogue (one collected every other year, two not on the raster), the years
2018–2024, other benchmark ids (``kreis``, ``land``), no ``place`` block in
meta.json (every default comes from the data), no ``focus_id`` column (which
Perspektivquartier a Quartier belongs to follows from the geometry) and no
programme files. The AppTest page suite and a Chromium walk run on it as on the
main demo; docs/DATA.md uses it as the worked example.

Everything here is invented (outline, names, values) and labelled as Demodaten of a
fictitious town; it is placed in a forest area so that an online basemap shows no
real town under it. Deterministic: ``python -m monitor.demo.musterstadt --out
data/musterstadt`` writes byte-identical files; the catalogue
(data/musterstadt/catalog/indicators.yaml) is an input, written by hand.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, box
from shapely.ops import voronoi_diagram

from monitor.demo.generate import LEVEL_ORDER, write_table
from monitor.ingest.publish import publish_counts, write_publication
from monitor.methods.aggregation import aggregate_counts
from monitor.schema import AREA_COLUMNS, BENCHMARK_COLUMNS

__all__ = [
    "build_areas",
    "simulate_counts",
    "all_levels",
    "benchmarks",
    "generate",
    "main",
    "YEARS",
    "INDICATORS",
]

METRIC_CRS = "EPSG:25832"
CENTRE = (421_500.0, 5_463_000.0)  # Pfälzerwald, no town there
CELL_M = 300
YEARS = tuple(range(2018, 2025))
SEED = 20261201
CITY = ("musterstadt", "Musterstadt")
DATA_DATE = "2025-06-30"

STADTTEILE = (
    # id, name, seed offset from the centre (m), residents 2018
    ("altstadt", "Altstadt", (0, 0), 8300),
    ("bahnhof", "Am Bahnhof", (1500, -600), 6200),
    ("huettenberg", "Hüttenberg", (-1400, 900), 6900),
    ("nordviertel", "Nordviertel", (300, 2100), 5000),
    ("suedstadt", "Südstadt", (-200, -2000), 5800),
    ("westend", "Westend", (-2500, -900), 3800),
    ("auenthal", "Auenthal", (2400, 1500), 2400),
)
OTHER_QUARTIERE = {
    # Quartiere of a Stadtteil outside its Perspektivquartier part(s)
    "altstadt": 3,
    "bahnhof": 2,
    "huettenberg": 1,
    "nordviertel": 3,
    "suedstadt": 3,
    "westend": 2,
    "auenthal": 1,
}
FOCUS_AREAS = (
    # id, name, centre offset (m), radius (m), its Quartiere: (id, name, Stadtteil,
    # half-plane "north"/"south"/None inside the Stadtteil)
    (
        "pq-altstadt-bahnhof",
        "Perspektivquartier Altstadt/Bahnhof",
        (760, -310),
        400,
        (
            ("altstadt-ost", "Altstadt-Ost", "altstadt", None),
            ("bahnhof-west", "Bahnhof-West", "bahnhof", None),
        ),
    ),
    (
        "pq-huettenberg",
        "Perspektivquartier Hüttenberg",
        (-1350, 850),
        370,
        (
            ("huettenberg-hang", "Hüttenberg-Hang", "huettenberg", "north"),
            ("huettenberg-siedlung", "Hüttenberg-Siedlung", "huettenberg", "south"),
        ),
    ),
)

DOMAINS = (
    ("armut_arbeit", "Armut & Arbeit", "Poverty & work"),
    ("familie", "Familie", "Family"),
    ("bevoelkerung", "Bevölkerung", "Population"),
)
INDICATORS = (
    # id, unit, direction, in_index, levels (without the raster: "no_raster")
    ("kinderarmut_u18", "percent", "higher_is_worse", True, "all"),
    ("sgb2_quote", "percent", "higher_is_worse", True, "all"),
    ("arbeitslose", "percent", "higher_is_worse", True, "all"),
    ("wohngeld_quote", "per_100", "higher_is_worse", False, "no_raster"),
    ("alleinerziehende", "percent", "higher_is_worse", False, "no_raster"),
    ("einwohner", "count", "context", False, "all"),
    ("anteil_u18", "percent", "context", False, "all"),
    ("anteil_65plus", "percent", "context", False, "all"),
)
WOHNGELD_YEARS = tuple(y for y in YEARS if y % 2 == 1)  # every other year


# -- geometry ------------------------------------------------------------------------
def _outline() -> Polygon:
    theta = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    r = 3300 * (1 + 0.13 * np.sin(3 * theta + 0.4) + 0.07 * np.cos(5 * theta))
    cx, cy = CENTRE
    return Polygon(zip(cx + r * np.cos(theta), cy + r * np.sin(theta), strict=True))


def _blob(offset: tuple[float, float], radius: float) -> Polygon:
    """A slightly irregular round outline of a Perspektivquartier."""
    theta = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    r = radius * (1 + 0.12 * np.sin(2 * theta + 1.0) + 0.05 * np.cos(5 * theta))
    cx, cy = CENTRE[0] + offset[0], CENTRE[1] + offset[1]
    return Polygon(zip(cx + r * np.cos(theta), cy + r * np.sin(theta), strict=True))


def _voronoi(seeds: list[Point], region) -> list:
    cells = voronoi_diagram(MultiPoint(seeds), envelope=region.buffer(5000))
    return [
        next(c for c in cells.geoms if c.contains(seed)).intersection(region)
        for seed in seeds
    ]


def _half(geom, centre: Point, side: str | None):
    """``geom`` north or south of the horizontal line through ``centre``."""
    if side is None:
        return geom
    minx, miny, maxx, maxy = geom.bounds
    if side == "north":
        return geom.intersection(box(minx, centre.y, maxx, maxy))
    return geom.intersection(box(minx, miny, maxx, centre.y))


def _focus_parts(stadtteile: gpd.GeoDataFrame):
    """The Quartiere of the Perspektivquartiere: each outline cut by the Stadtteile
    (and split north/south where one Stadtteil holds two of them)."""
    by_id = stadtteile.set_index("area_id").geometry
    focus, parts = [], []
    for focus_id, name, offset, radius, members in FOCUS_AREAS:
        outline = _blob(offset, radius)
        geoms = []
        for q_id, q_name, st_id, side in members:
            geom = _half(outline.intersection(by_id[st_id]), outline.centroid, side)
            geoms.append(geom)
            parts.append((q_id, q_name, st_id, focus_id, geom))
        focus.append((focus_id, name, shapely.union_all(geoms)))
    return focus, parts


def _quartiere(stadtteile, focus_parts, rng: np.random.Generator):
    rows = [
        {"area_id": q, "name": n, "parent_id": st, "focus_id": f, "geometry": g}
        for q, n, st, f, g in focus_parts
    ]
    for st in stadtteile.itertuples():
        taken = [g for _, _, s, _, g in focus_parts if s == st.area_id]
        rest = (
            st.geometry.difference(shapely.union_all(taken)) if taken else st.geometry
        )
        k = OTHER_QUARTIERE[st.area_id]
        seeds: list[Point] = []
        minx, miny, maxx, maxy = rest.bounds
        while len(seeds) < k:
            p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if rest.buffer(-250).contains(p):
                seeds.append(p)
        seeds.sort(key=lambda p: (-p.y, p.x))
        parts = _voronoi(seeds, rest) if k > 1 else [rest]
        alone = k == 1 and not taken  # the Stadtteil is one Quartier
        for i, geom in enumerate(parts, start=1):
            rows.append(
                {
                    "area_id": f"{st.area_id}-{i}",
                    "name": st.name if alone else f"{st.name} {i}",
                    "parent_id": st.area_id,
                    "focus_id": None,
                    "geometry": geom,
                }
            )
    return gpd.GeoDataFrame(rows, crs=METRIC_CRS)


def _raster(outline: Polygon, quartiere: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """300 m cells whose centre lies in the town; each belongs to the Quartier
    holding its centre."""
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
    cells = gpd.GeoDataFrame(rows, crs=METRIC_CRS)
    empty = sorted(set(quartiere.area_id) - set(cells.parent_id))
    if empty:
        raise ValueError(f"Quartiere without a raster cell: {', '.join(empty)}")
    return cells


def build_areas(seed: int = SEED) -> gpd.GeoDataFrame:
    """Every level of Musterstadt in EPSG:25832 (deterministic for a seed), with the
    helper column ``focus_id`` (not written: the app derives it from geometry)."""
    rng = np.random.default_rng(seed)
    outline = _outline()
    cx, cy = CENTRE
    stadtteile = gpd.GeoDataFrame(
        {
            "area_id": [s[0] for s in STADTTEILE],
            "name": [s[1] for s in STADTTEILE],
            "parent_id": CITY[0],
        },
        geometry=_voronoi(
            [Point(cx + dx, cy + dy) for _, _, (dx, dy), _ in STADTTEILE], outline
        ),
        crs=METRIC_CRS,
    )
    focus_list, parts = _focus_parts(stadtteile)
    quartiere = _quartiere(stadtteile, parts, rng)
    parent_of_focus = {
        f_id: {st for _, _, st, f, _ in parts if f == f_id} for f_id, _, _ in focus_list
    }
    focus = gpd.GeoDataFrame(
        {
            "area_id": [f[0] for f in focus_list],
            "name": [f[1] for f in focus_list],
            # inside one Stadtteil: that Stadtteil; across a border: the town
            "parent_id": [
                next(iter(parent_of_focus[f[0]]))
                if len(parent_of_focus[f[0]]) == 1
                else CITY[0]
                for f in focus_list
            ],
            "focus_id": [f[0] for f in focus_list],
        },
        geometry=[f[2] for f in focus_list],
        crs=METRIC_CRS,
    )
    cells = _raster(outline, quartiere)
    cells["focus_id"] = cells.parent_id.map(quartiere.set_index("area_id").focus_id)
    city = gpd.GeoDataFrame(
        {"area_id": [CITY[0]], "name": [CITY[1]], "parent_id": [None]},
        geometry=[outline],
        crs=METRIC_CRS,
    )
    levels = (
        (city, "stadt"),
        (focus, "fokusgebiet"),
        (stadtteile, "stadtteil"),
        (quartiere, "quartier"),
        (cells, "raster"),
    )
    frames = [frame.assign(level=level) for frame, level in levels]
    areas = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=METRIC_CRS)
    areas["focus_id"] = areas["focus_id"].where(areas["focus_id"].notna(), None)
    areas["in_focus"] = areas["focus_id"].notna()
    return areas[[*AREA_COLUMNS, "focus_id"]]


# -- counts --------------------------------------------------------------------------
def _deprivation(cells: gpd.GeoDataFrame, focus: gpd.GeoDataFrame) -> np.ndarray:
    centres = cells.geometry.centroid
    dep = np.zeros(len(cells))
    for geom in focus.geometry:
        c = geom.centroid
        dist = np.hypot(centres.x - c.x, centres.y - c.y).to_numpy()
        dep += 1.4 * np.exp(-((dist / 650) ** 2))
    return dep - dep.mean()


def _cell_population(cells, areas, dep, rng) -> np.ndarray:
    """Residents per cell in the first year: each Stadtteil's total shared out with
    random weights, denser in and around the Perspektivquartiere."""
    weight = np.exp(rng.normal(0, 0.7, len(cells))) * (1 + np.clip(dep, 0, None))
    weight *= np.where(cells.in_focus.to_numpy(), 3.0, 1.0)
    st_of = areas.set_index("area_id").parent_id.loc[cells.parent_id].to_numpy()
    base = np.zeros(len(cells))
    for st_id, _, _, total in STADTTEILE:
        m = st_of == st_id
        base[m] = total * weight[m] / weight[m].sum()
    return base


def simulate_counts(areas: gpd.GeoDataFrame, seed: int = SEED + 1) -> pd.DataFrame:
    """True counts per raster cell, indicator and year (numerator, denominator)."""
    rng = np.random.default_rng(seed)
    cells = areas[areas.level == "raster"].reset_index(drop=True)
    dep = _deprivation(cells, areas[areas.level == "fokusgebiet"])
    base = _cell_population(cells, areas, dep, rng)
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
        wohngeld = draw(pop, 0.021, 0.4)
        counts = {
            "einwohner": (pop, None),
            "sgb2_quote": (kids_sgb2 + others_sgb2, u65),
            "kinderarmut_u18": (kids_sgb2, u18),
            "arbeitslose": (draw(a15_65, 0.062, 0.45, covid), a15_65),
            "alleinerziehende": (draw(households_kids, 0.24, 0.35), households_kids),
            "anteil_u18": (u18, pop),
            "anteil_65plus": (a65, pop),
        }
        if year in WOHNGELD_YEARS:
            counts["wohngeld_quote"] = (wohngeld, pop)
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


def all_levels(counts: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The cells' counts summed up the tree (raster → Quartier → Stadtteil → town)
    and into each Perspektivquartier from its Quartiere."""
    parent = areas.set_index("area_id").parent_id
    frames, current = [counts], counts
    for level in ("raster", "quartier", "stadtteil"):
        ids = areas.loc[areas.level == level, "area_id"]
        current = aggregate_counts(current, parent.loc[ids])
        frames.append(current)
    quartier = frames[1]
    members = areas[(areas.level == "quartier") & areas.focus_id.notna()]
    frames.append(
        aggregate_counts(
            quartier, pd.Series(members.focus_id.to_numpy(), index=members.area_id)
        )
    )
    return pd.concat(frames, ignore_index=True)


# -- benchmarks, catalogue, meta ------------------------------------------------------
BENCHMARK_LEVELS = {
    # id, names, value in 2018 and 2024 (linear in between)
    "kreis": (
        ("Kreis Musterland", "Musterland district"),
        {
            "kinderarmut_u18": (17.5, 19.2),
            "sgb2_quote": (9.4, 10.1),
            "arbeitslose": (5.1, 5.4),
            "wohngeld_quote": (1.9, 2.2),
            "alleinerziehende": (22.0, 23.5),
            "anteil_u18": (16.1, 16.4),
            "anteil_65plus": (24.5, 26.0),
        },
    ),
    "land": (
        ("Land Beispielland", "State of Beispielland"),
        {
            "kinderarmut_u18": (15.8, 16.9),
            "sgb2_quote": (8.7, 9.0),
            "arbeitslose": (4.8, 5.0),
        },
    ),
}


def benchmarks() -> pd.DataFrame:
    """Invented reference values of the Kreis and the Land (Demodaten)."""
    rows = []
    for bench_id, ((name_de, name_en), indicators) in BENCHMARK_LEVELS.items():
        for indicator_id, (first, last) in indicators.items():
            years = WOHNGELD_YEARS if indicator_id == "wohngeld_quote" else YEARS
            for year in years:
                share = (year - YEARS[0]) / (YEARS[-1] - YEARS[0])
                rows.append(
                    {
                        "benchmark_id": bench_id,
                        "name_de": name_de,
                        "name_en": name_en,
                        "indicator_id": indicator_id,
                        "year": year,
                        "value": round(first + share * (last - first), 2),
                    }
                )
    return pd.DataFrame(rows, columns=list(BENCHMARK_COLUMNS))


def _areas_out(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """As written: EPSG:4326, area in km², rounded coordinates, level order."""
    out = areas[list(AREA_COLUMNS)].copy()
    out["area_km2"] = (out.geometry.area / 1e6).round(4)
    out = out.to_crs("EPSG:4326")
    out["geometry"] = shapely.set_precision(out.geometry.values, 1e-6)
    out["_order"] = out.level.map(LEVEL_ORDER)
    out = out.sort_values(["_order", "area_id"]).drop(columns="_order")
    return out.reset_index(drop=True)


META = {
    "title": "Quartiersmonitor Musterstadt",
    "title_en": "Neighbourhood Monitor Musterstadt",
    "is_demo": True,
    "data_version": "musterstadt-1",
    "data_date": DATA_DATE,
    "years": [YEARS[0], YEARS[-1]],
    "generator": "monitor.demo.musterstadt",
    "attribution": "Demodaten einer fiktiven Stadt: Stadtgebiet, Grenzen, Namen und "
    "Werte erfunden (keine Geodaten Dritter)",
    "note_de": "Demodaten einer fiktiven Stadt: Stadtgebiet, Stadtteile, Quartiere, "
    "Perspektivquartiere und alle Werte sind erfunden.",
    "note_en": "Demo data of a fictitious town: town area, districts, quarters, "
    "Perspektivquartiere and all values are invented.",
}


def generate(out: Path) -> dict:
    """Write the Musterstadt data folder into ``out``, which holds the hand-written
    catalogue (catalog/indicators.yaml); returns summary figures."""
    out = Path(out)
    catalog_path = out / "catalog" / "indicators.yaml"
    areas = build_areas()
    counts = all_levels(simulate_counts(areas), areas)
    written = _areas_out(areas)
    written.to_parquet(out / "areas.parquet", compression="zstd", index=False)
    publication = publish_counts(counts, areas, catalog_path)
    write_publication(out, publication)
    write_table(benchmarks(), out / "benchmarks.parquet")
    (out / "meta.json").write_text(
        json.dumps(META, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    values = publication.values
    return {
        "areas": written.level.value_counts().to_dict(),
        "focus_ha": {
            r.area_id: round(r.area_km2 * 100, 1)
            for r in written[written.level == "fokusgebiet"].itertuples()
        },
        "rows": len(values),
        "suppressed_share": float((values.status == "suppressed").mean()),
        "disclosure_seconds": publication.report["seconds"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="data/musterstadt", type=Path)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.out), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
