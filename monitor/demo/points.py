"""Demo infrastructure points (``python -m monitor.demo.points --data data/demo``).

Synthetic, labelled "Demodaten": plausible numbers of facilities for a town of
about 47,000 residents, placed where the people they serve live, so that the map
and the accessibility figures look like a real town's without showing one.

- Counts: 30 Kitas, 12 schools (8 Grundschulen, 2 Gemeinschaftsschulen, a
  Gymnasium, a Förderschule), 8 counselling services, 6 youth and family centres
  and 32 doctors' practices (about one GP per 1,500 residents plus paediatricians).
- Each category is shared out among the Stadtteile by largest remainder in
  proportion to its weight (children for Kitas, schools and youth centres,
  residents for doctors, residents on SGB II for counselling); a Stadtteil with
  enough children gets at least one Kita and one Grundschule.
- Within a Stadtteil the facilities go to distinct raster cells drawn with the
  same weights, at a random place inside the cell.

Only published numbers are used: children per cell are the published count or,
where it is secret, an estimate from published numbers
(:func:`monitor.methods.accessibility.estimate_suppressed`). Names and addresses
are invented ("Musterstraße"). Deterministic: the same inputs give a
byte-identical file.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from monitor.demo.geography import METRIC_CRS
from monitor.methods.accessibility import estimate_suppressed
from monitor.points import CATEGORIES, FILE_NAME, write_points

__all__ = ["PLAN", "SOURCE", "cell_weights", "generate_points", "main"]

SEED = 20251231
SOURCE = "Demodaten (synthetisch, monitor.demo.points)"
KITA_NAMES = (
    "Regenbogen",
    "Sonnenschein",
    "Pusteblume",
    "Löwenzahn",
    "Kunterbunt",
    "Sternschnuppe",
    "Spatzennest",
    "Wirbelwind",
    "Schatzkiste",
    "Arche",
    "Zwergenland",
    "Sausewind",
    "Villa Kunterbunt",
    "Glühwürmchen",
    "Traumland",
)


@dataclass(frozen=True)
class Category:
    """How many facilities of one category, what they are weighted by, which
    kinds they are (the first ``len(kinds)`` names, the last repeats) and the
    range of opening years."""

    id: str
    n: int
    weight: str
    kinds: tuple[str, ...]
    years: tuple[int, int]
    min_children: int = 0


PLAN = (
    Category("kita", 30, "children", ("Kita",), (1965, 2025), min_children=150),
    Category(
        "schule",
        12,
        "children",
        ("Grundschule",) * 8
        + ("Gemeinschaftsschule", "Gemeinschaftsschule", "Gymnasium", "Förderschule"),
        (1955, 2012),
        min_children=250,
    ),
    Category(
        "beratung",
        8,
        "poor",
        (
            "Schuldnerberatung",
            "Erziehungsberatung",
            "Sozialberatung",
            "Migrationsberatung",
            "Suchtberatung",
            "Schwangerschaftsberatung",
            "Pflegeberatung",
            "Allgemeine Sozialberatung",
        ),
        (1978, 2024),
    ),
    Category(
        "jugend_familie",
        6,
        "poor_children",
        (
            "Jugendzentrum",
            "Familienzentrum",
            "Jugendtreff",
            "Familienzentrum",
            "Mehrgenerationenhaus",
            "Jugendtreff",
        ),
        (1975, 2024),
    ),
    Category(
        "arzt",
        32,
        "residents",
        ("Kinderarztpraxis",) * 4 + ("Hausarztpraxis",),
        (1985, 2025),
    ),
)


def _published(values: pd.DataFrame, indicator: str, year: int) -> pd.DataFrame:
    rows = values[(values.indicator_id == indicator) & (values.year == year)]
    rows = rows.set_index("area_id")
    ok = rows.status == "ok"
    return pd.DataFrame(
        {
            "numerator": rows.numerator.where(ok),
            "value": rows.value.where(ok),
        }
    )


def cell_weights(areas: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Per raster cell: Stadtteil, residents, children (estimated where secret)
    and residents and children on SGB II, from published numbers of the last
    year."""
    year = int(values.year.max())
    cells = areas[areas.level == "raster"][["area_id", "parent_id"]].copy()
    stadtteil = areas.set_index("area_id").parent_id
    cells["stadtteil"] = cells.parent_id.map(stadtteil).to_numpy()
    residents = _published(values, "einwohner", year).numerator
    under18 = _published(values, "anteil_unter18", year)
    children = estimate_suppressed(
        cells.area_id.map(under18.numerator).to_numpy(dtype=float),
        cells.area_id.map(residents).to_numpy(dtype=float),
        cells.parent_id.map(under18.value / 100).to_numpy(dtype=float),
    )
    cells["residents"] = cells.area_id.map(residents).fillna(0).to_numpy()
    cells["children"] = children.count
    quartier_rate = {
        name: _published(values, name, year).value / 100
        for name in ("sgb2_quote", "kinderarmut")
    }
    cells["poor"] = cells.residents * cells.parent_id.map(quartier_rate["sgb2_quote"])
    cells["poor_children"] = cells.children * cells.parent_id.map(
        quartier_rate["kinderarmut"]
    )
    return cells.fillna({"poor": 0.0, "poor_children": 0.0}).reset_index(drop=True)


def _allocate(n: int, weights: pd.Series, minimum: pd.Series) -> pd.Series:
    """``n`` facilities shared out in proportion to ``weights`` by largest
    remainder, after one each to the groups where ``minimum`` is True."""
    base = minimum.astype(int)
    rest = n - int(base.sum())
    quota = weights / weights.sum() * rest
    out = base + np.floor(quota).astype(int)
    left = n - int(out.sum())
    order = (quota - np.floor(quota)).sort_values(ascending=False, kind="stable")
    out[order.index[:left]] += 1
    return out


def _place(cells: gpd.GeoDataFrame, weight: str, n: int, rng) -> list:
    """``n`` points in distinct cells drawn with ``weight``, each at a random
    place inside its cell."""
    w = cells[weight].to_numpy(dtype=float)
    p = w / w.sum()
    chosen = rng.choice(len(cells), size=n, replace=False, p=p)
    points = []
    for i in chosen:
        geom = cells.geometry.iloc[i]
        x0, y0, x1, y1 = geom.bounds
        while True:
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if shapely.contains_xy(geom, x, y):
                break
        points.append((x, y))
    return points


def _rows_for(category: Category, cells: gpd.GeoDataFrame, names: dict, rng):
    groups = cells.groupby("stadtteil", sort=True)
    weights = groups[category.weight].sum()
    minimum = groups["children"].sum() >= category.min_children
    if category.min_children == 0:
        minimum[:] = False
    counts = _allocate(category.n, weights, minimum)
    placed = []
    for stadtteil, k in counts.items():
        if k:
            group = cells[cells.stadtteil == stadtteil]
            xy = _place(group, category.weight, k, rng)
            placed += [(j, stadtteil, p) for j, p in enumerate(xy)]
    # kinds are handed out round by round, largest Stadtteil first: every
    # Stadtteil's first school is a Grundschule, the secondary schools go to the
    # Stadtteile with more than one school
    rank = {s: r for r, s in enumerate(weights.sort_values(ascending=False).index)}
    placed = [(s, p) for _, s, p in sorted(placed, key=lambda t: (t[0], rank[t[1]]))]
    rows = []
    for i, (stadtteil, (x, y)) in enumerate(placed):
        kind = category.kinds[min(i, len(category.kinds) - 1)]
        rows.append(
            {
                "category": category.id,
                "kind": kind,
                "stadtteil": names[stadtteil],
                "x": x,
                "y": y,
                "opening_year": int(rng.integers(*category.years)),
            }
        )
    return rows


def _name(row, seen: dict) -> str:
    if row["category"] == "kita":
        base = f"Kita {KITA_NAMES[seen['kita'] % len(KITA_NAMES)]} {row['stadtteil']}"
        seen["kita"] += 1
    else:
        base = f"{row['kind']} {row['stadtteil']}"
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base} {seen[base]}"


def generate_points(areas: gpd.GeoDataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """The demo points in the contract of :mod:`monitor.points`."""
    rng = np.random.default_rng(SEED)
    weights = cell_weights(areas, values)
    metric = areas.to_crs(METRIC_CRS).set_index("area_id").geometry
    cells = gpd.GeoDataFrame(weights, geometry=metric.loc[weights.area_id].values)
    # a cell belongs to the Quartier holding its centre but may reach into the
    # next Stadtteil: places are drawn inside the cell's part of its Stadtteil
    cells["geometry"] = shapely.intersection(
        cells.geometry.values, metric.loc[cells.stadtteil].values
    )
    names = areas.set_index("area_id").name
    rows = [r for c in PLAN for r in _rows_for(c, cells, names, rng)]
    frame = pd.DataFrame(rows)
    lonlat = gpd.GeoSeries(gpd.points_from_xy(frame.x, frame.y), crs=METRIC_CRS)
    lonlat = lonlat.to_crs("EPSG:4326")
    seen = {"kita": 0}
    frame["name"] = [_name(r, seen) for r in frame.to_dict("records")]
    frame["point_id"] = [
        f"{c}-{i + 1:03d}"
        for c, i in zip(
            frame.category, frame.groupby("category").cumcount(), strict=True
        )
    ]
    frame["address"] = [
        f"Musterstraße {int(n)}, {s}"
        for n, s in zip(rng.integers(1, 120, len(frame)), frame.stadtteil, strict=True)
    ]
    frame["lon"] = np.round(lonlat.x.to_numpy(), 6)
    frame["lat"] = np.round(lonlat.y.to_numpy(), 6)
    frame["source"] = SOURCE
    return frame


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="data/demo", type=Path)
    args = parser.parse_args(argv)
    areas = gpd.read_parquet(args.data / "areas.parquet")
    values = pd.read_parquet(args.data / "indicator_values.parquet")
    points = generate_points(areas, values)
    write_points(points, args.data / FILE_NAME)
    counts = points.category.value_counts().reindex(CATEGORIES).to_dict()
    print(json.dumps(counts, ensure_ascii=False))


if __name__ == "__main__":
    main()
