"""Synthetic data folder at city-region scale for bench/scale.py.

A regular raster of ``nx * ny`` cells (1,000,000 by default, 100,000 with --quick),
blocks of 40 x 25 cells as Quartiere, blocks of 200 x 125 cells as Stadtteile and one
Stadt; 25 indicators (the demo catalogue's 22 plus three copies) and 12 years. Counts
come from a counter-based hash of (cell, indicator, year), so every layout below holds
exactly the same rows whatever order it is written in, and nothing is held in memory
beyond one chunk (about 1 M rows):

- ``clustered/``: a data folder for the current Store, indicator_values.parquet sorted
  by indicator, year, level, area (one group of row groups per indicator and year);
- ``area_major/``: the same rows sorted like the demo generator sorts them (level,
  area, indicator, year), so every row group holds every indicator and year;
- ``hive/indicator_values/indicator_id=<id>/year=<y>/level=<level>/data.parquet``.

All three share areas.parquet (with a ``level`` column and only the attributes the
Store needs; geometry as WKB squares with GeoParquet metadata), the extended
catalogue and meta.json. Never written into data/.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
import yaml

from bench.report import ROOT, peak_rss_mb

__all__ = ["Grid", "FULL", "QUICK", "generate", "layout_dirs", "YEARS"]

DEMO_DIR = ROOT / "data" / "demo"
YEARS = tuple(range(2014, 2026))
N_INDICATORS = 25
ROW_GROUP = 131_072  # close to DuckDB's own 122,880: lets 2 threads share a scan
LEVEL_ORDER = ("stadt", "stadtteil", "quartier", "raster")
SCHEMA = pa.schema(
    [
        ("area_id", pa.string()),
        ("indicator_id", pa.string()),
        ("year", pa.int64()),
        ("numerator", pa.float64()),
        ("denominator", pa.float64()),
        ("value", pa.float64()),
        ("status", pa.string()),
    ]
)
WRITE_OPTS = {
    "compression": "zstd",
    "use_dictionary": ["indicator_id", "status", "level"],
    "write_statistics": True,
}


@dataclass(frozen=True)
class Grid:
    nx: int
    ny: int
    qx: int = 40  # Quartier = qx * qy cells
    qy: int = 25
    sx: int = 200  # Stadtteil = sx * sy cells
    sy: int = 125

    @property
    def cells(self) -> int:
        return self.nx * self.ny

    @property
    def n_quartiere(self) -> int:
        return (self.nx // self.qx) * (self.ny // self.qy)

    @property
    def n_stadtteile(self) -> int:
        return (self.nx // self.sx) * (self.ny // self.sy)

    @property
    def name(self) -> str:
        return f"{self.cells // 1000}k"


FULL = Grid(1000, 1000)
QUICK = Grid(400, 250)


# -- deterministic counts -------------------------------------------------------------
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (uint64 arithmetic wraps)."""
    x = x + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def _unit(h: np.ndarray) -> np.ndarray:
    return (h >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _deprivation(grid: Grid, cells: np.ndarray) -> np.ndarray:
    """0.3 .. 1.7: higher near two synthetic centres (spatial clustering)."""
    row, col = np.divmod(cells, grid.nx)
    y, x = row / grid.ny, col / grid.nx
    d1 = (x - 0.35) ** 2 + (y - 0.4) ** 2
    d2 = (x - 0.7) ** 2 + (y - 0.65) ** 2
    return 0.3 + 1.4 * np.maximum(np.exp(-d1 / 0.02), 0.7 * np.exp(-d2 / 0.01))


def raster_counts(
    grid: Grid, cells: np.ndarray, k: np.ndarray | int, yi: np.ndarray | int
) -> tuple[np.ndarray, np.ndarray]:
    """Numerator and denominator of cells ``cells`` (broadcast with k and yi)."""
    key = (
        cells.astype(np.uint64) * np.uint64(4096)
        + np.asarray(k, dtype=np.uint64) * np.uint64(16)
        + np.asarray(yi, dtype=np.uint64)
    )
    h1 = _mix(key)
    h2 = _mix(h1 ^ _GOLDEN)
    den = 20.0 + np.floor(_unit(h1) * 260.0)
    base = 0.04 + 0.01 * (np.asarray(k) % 9)
    trend = 1.0 + 0.015 * np.asarray(yi)
    rate = base * _deprivation(grid, cells) * trend
    num = np.floor(den * rate * (0.5 + _unit(h2)))
    return num, den


def _status(num: np.ndarray, den: np.ndarray) -> pa.Array:
    supp = ((num > 0) & (num < 3)) | (den < 30)
    return pa.DictionaryArray.from_arrays(
        pa.array(supp.astype(np.int8)), pa.array(["ok", "suppressed"])
    ).cast(pa.string())


def _values(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.round(100.0 * num / den, 4), np.nan)


# -- geography ---------------------------------------------------------------------
@dataclass
class Geo:
    raster_ids: pa.Array
    quartier_of_cell: np.ndarray
    stadtteil_of_quartier: np.ndarray
    quartier_ids: list[str]
    stadtteil_ids: list[str]


def _geo(grid: Grid) -> Geo:
    cells = np.arange(grid.cells)
    row, col = np.divmod(cells, grid.nx)
    nqx = grid.nx // grid.qx
    q_of_cell = (row // grid.qy) * nqx + col // grid.qx
    q = np.arange(grid.n_quartiere)
    q_row, q_col = np.divmod(q, nqx)
    nsx = grid.nx // grid.sx
    s_of_q = (q_row * grid.qy // grid.sy) * nsx + (q_col * grid.qx) // grid.sx
    ids = pa.array([f"r-{r:04d}-{c:04d}" for r, c in zip(row, col, strict=True)])
    return Geo(
        raster_ids=ids,
        quartier_of_cell=q_of_cell,
        stadtteil_of_quartier=s_of_q,
        quartier_ids=[f"q-{i:04d}" for i in q],
        stadtteil_ids=[f"s-{i:03d}" for i in range(grid.n_stadtteile)],
    )


def _write_areas(grid: Grid, geo: Geo, path: Path) -> None:
    """areas.parquet: stadt, stadtteile, quartiere, raster; WKB squares in EPSG:4326."""
    cell_deg = (0.0036, 0.00225)  # about 250 m at 49.35° N
    x0, y0 = 6.9, 49.2

    def boxes(col, row, w, h):
        xmin = x0 + col * cell_deg[0]
        ymin = y0 + row * cell_deg[1]
        geoms = shapely.box(xmin, ymin, xmin + w * cell_deg[0], ymin + h * cell_deg[1])
        return shapely.to_wkb(geoms)

    cells = np.arange(grid.cells)
    row, col = np.divmod(cells, grid.nx)
    q = np.arange(grid.n_quartiere)
    q_row, q_col = np.divmod(q, grid.nx // grid.qx)
    s = np.arange(grid.n_stadtteile)
    s_row, s_col = np.divmod(s, grid.nx // grid.sx)
    parts = [
        {
            "area_id": ["stadt"],
            "name": ["Synthetische Stadt"],
            "level": ["stadt"],
            "parent_id": [None],
            "in_focus": [False],
            "geometry": list(boxes(np.array([0]), np.array([0]), grid.nx, grid.ny)),
            "area_km2": [grid.cells * 0.0625],
        },
        {
            "area_id": geo.stadtteil_ids,
            "name": [f"Stadtteil {i}" for i in s],
            "level": ["stadtteil"] * len(s),
            "parent_id": ["stadt"] * len(s),
            "in_focus": [False] * len(s),
            "geometry": list(boxes(s_col * grid.sx, s_row * grid.sy, grid.sx, grid.sy)),
            "area_km2": [grid.sx * grid.sy * 0.0625] * len(s),
        },
        {
            "area_id": geo.quartier_ids,
            "name": [f"Quartier {i}" for i in q],
            "level": ["quartier"] * len(q),
            "parent_id": [geo.stadtteil_ids[i] for i in geo.stadtteil_of_quartier],
            "in_focus": list(q == 0),
            "geometry": list(boxes(q_col * grid.qx, q_row * grid.qy, grid.qx, grid.qy)),
            "area_km2": [grid.qx * grid.qy * 0.0625] * len(q),
        },
    ]
    tables = [pa.table(p) for p in parts]
    schema = tables[2].schema
    raster = pa.table(
        {
            "area_id": geo.raster_ids,
            "name": pa.array(
                [f"Rasterzelle {r} {c}" for r, c in zip(row, col, strict=True)]
            ),
            "level": pa.array(["raster"] * grid.cells),
            "parent_id": pa.array(geo.quartier_ids).take(
                pa.array(geo.quartier_of_cell)
            ),
            "in_focus": pa.array(geo.quartier_of_cell == 0),
            "geometry": pa.array(boxes(col, row, 1, 1), type=pa.binary()),
            "area_km2": pa.array(np.full(grid.cells, 0.0625)),
        }
    )
    table = pa.concat_tables([t.cast(schema) for t in tables] + [raster.cast(schema)])
    geo_meta = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Polygon"],
            }
        },
    }
    table = table.replace_schema_metadata({"geo": json.dumps(geo_meta)})
    pq.write_table(table, path, row_group_size=ROW_GROUP, **WRITE_OPTS)


def _write_catalog(out: Path) -> list[str]:
    """The demo catalogue extended to 25 indicators (copies of the first ones)."""
    raw = yaml.safe_load(
        (DEMO_DIR / "catalog" / "indicators.yaml").read_text(encoding="utf-8")
    )
    indicators = raw["indicators"]
    extra = []
    for i in range(N_INDICATORS - len(indicators)):
        copy = dict(indicators[i % len(indicators)])
        copy["id"] = f"bench_extra_{i + 1}"
        copy["name_de"] = f"Benchmark-Indikator {i + 1}"
        copy["name_en"] = f"Benchmark indicator {i + 1}"
        extra.append(copy)
    for ind in (*indicators, *extra):
        ind["levels"] = list(LEVEL_ORDER)
    raw["indicators"] = (indicators + extra)[:N_INDICATORS]
    (out / "catalog").mkdir(parents=True, exist_ok=True)
    (out / "catalog" / "indicators.yaml").write_text(
        yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return sorted(ind["id"] for ind in raw["indicators"])


def _write_common(out: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("areas.parquet", "benchmarks.parquet", "meta.json"):
        shutil.copyfile(out / "_common" / name, folder / name)
    shutil.copytree(out / "_common" / "catalog", folder / "catalog", dirs_exist_ok=True)


# -- layouts ------------------------------------------------------------------------
def _upper(
    grid: Grid, geo: Geo, num: np.ndarray, den: np.ndarray
) -> list[tuple[str, list[str], np.ndarray, np.ndarray]]:
    """(level, ids, numerator, denominator) of Stadt, Stadtteile, Quartiere."""
    nq = grid.n_quartiere
    q_num = np.bincount(geo.quartier_of_cell, weights=num, minlength=nq)
    q_den = np.bincount(geo.quartier_of_cell, weights=den, minlength=nq)
    ns = grid.n_stadtteile
    s_num = np.bincount(geo.stadtteil_of_quartier, weights=q_num, minlength=ns)
    s_den = np.bincount(geo.stadtteil_of_quartier, weights=q_den, minlength=ns)
    return [
        ("stadt", ["stadt"], np.array([num.sum()]), np.array([den.sum()])),
        ("stadtteil", geo.stadtteil_ids, s_num, s_den),
        ("quartier", geo.quartier_ids, q_num, q_den),
    ]


def _chunk(ids, ind: str, year: int, num, den) -> pa.Table:
    n = len(num)
    return pa.table(
        {
            "area_id": ids if isinstance(ids, pa.Array) else pa.array(ids),
            "indicator_id": pa.array([ind]).take(pa.array(np.zeros(n, np.int32))),
            "year": pa.array(np.full(n, year, dtype=np.int64)),
            "numerator": num,
            "denominator": den,
            "value": _values(num, den),
            "status": _status(num, den),
        },
        schema=SCHEMA,
    )


def _write_indicator_major(grid: Grid, out: Path, indicators: list[str]) -> None:
    """clustered/indicator_values.parquet and the hive folder, in one pass."""
    geo = _geo(grid)
    cells = np.arange(grid.cells)
    flat = pq.ParquetWriter(
        out / "clustered" / "indicator_values.parquet", SCHEMA, **WRITE_OPTS
    )
    hive = out / "hive" / "indicator_values"
    part_schema = pa.schema(
        [f for f in SCHEMA if f.name not in ("indicator_id", "year")]
    )
    try:
        for k, ind in enumerate(indicators):
            for yi, year in enumerate(YEARS):
                num, den = raster_counts(grid, cells, k, yi)
                pieces = [
                    (level, _chunk(ids, ind, year, n, d))
                    for level, ids, n, d in _upper(grid, geo, num, den)
                ]
                pieces.append(("raster", _chunk(geo.raster_ids, ind, year, num, den)))
                for level, tab in pieces:
                    flat.write_table(tab, row_group_size=ROW_GROUP)
                    folder = hive / f"indicator_id={ind}" / f"year={year}"
                    folder = folder / f"level={level}"
                    folder.mkdir(parents=True, exist_ok=True)
                    pq.write_table(
                        tab.drop_columns(["indicator_id", "year"]).cast(part_schema),
                        folder / "data.parquet",
                        row_group_size=ROW_GROUP,
                        **WRITE_OPTS,
                    )
    finally:
        flat.close()


def _write_area_major(grid: Grid, out: Path, indicators: list[str]) -> None:
    """area_major/indicator_values.parquet: level, area, indicator, year order."""
    geo = _geo(grid)
    cells = np.arange(grid.cells)
    n_ind, n_years = len(indicators), len(YEARS)
    ind_arr = pa.array(indicators)
    writer = pq.ParquetWriter(
        out / "area_major" / "indicator_values.parquet", SCHEMA, **WRITE_OPTS
    )
    try:
        # upper levels: aggregate every (indicator, year) first, then write area-major
        upper: dict[str, list] = {}
        for k in range(n_ind):
            for yi in range(n_years):
                num, den = raster_counts(grid, cells, k, yi)
                for level, ids, n, d in _upper(grid, geo, num, den):
                    upper.setdefault(level, [ids, []])[1].append((n, d))
        for level in LEVEL_ORDER[:-1]:
            ids, series = upper[level]
            # series[k * n_years + yi] -> arrays over areas; reorder to area-major
            num = np.stack([s[0] for s in series], axis=1).ravel()
            den = np.stack([s[1] for s in series], axis=1).ravel()
            area_idx = np.repeat(np.arange(len(ids)), n_ind * n_years)
            k_idx = np.tile(np.repeat(np.arange(n_ind), n_years), len(ids))
            y_idx = np.tile(np.arange(n_years), len(ids) * n_ind)
            tab = pa.table(
                {
                    "area_id": pa.array(ids).take(pa.array(area_idx)),
                    "indicator_id": ind_arr.take(pa.array(k_idx)),
                    "year": pa.array(np.asarray(YEARS, dtype=np.int64)[y_idx]),
                    "numerator": num,
                    "denominator": den,
                    "value": _values(num, den),
                    "status": _status(num, den),
                },
                schema=SCHEMA,
            )
            writer.write_table(tab, row_group_size=ROW_GROUP)
        block = 4000
        for start in range(0, grid.cells, block):
            c = cells[start : start + block]
            shape = (len(c), n_ind, n_years)
            k = np.arange(n_ind)[None, :, None]
            yi = np.arange(n_years)[None, None, :]
            num, den = raster_counts(grid, c[:, None, None], k, yi)
            num = np.broadcast_to(num, shape).ravel()
            den = np.broadcast_to(den, shape).ravel()
            area_idx = np.repeat(c, n_ind * n_years)
            k_idx = np.tile(np.repeat(np.arange(n_ind), n_years), len(c))
            y_idx = np.tile(np.arange(n_years), len(c) * n_ind)
            tab = pa.table(
                {
                    "area_id": geo.raster_ids.take(pa.array(area_idx)),
                    "indicator_id": ind_arr.take(pa.array(k_idx)),
                    "year": pa.array(np.asarray(YEARS, dtype=np.int64)[y_idx]),
                    "numerator": num,
                    "denominator": den,
                    "value": _values(num, den),
                    "status": _status(num, den),
                },
                schema=SCHEMA,
            )
            writer.write_table(tab, row_group_size=ROW_GROUP)
    finally:
        writer.close()


LAYOUTS = ("clustered", "area_major", "hive")


def layout_dirs(out: Path) -> dict[str, Path]:
    return {name: Path(out) / name for name in LAYOUTS}


def _common(grid: Grid, out: Path) -> list[str]:
    common = out / "_common"
    common.mkdir(parents=True, exist_ok=True)
    indicators = _write_catalog(common)
    _write_areas(grid, _geo(grid), common / "areas.parquet")
    shutil.copyfile(DEMO_DIR / "benchmarks.parquet", common / "benchmarks.parquet")
    meta = json.loads((DEMO_DIR / "meta.json").read_text(encoding="utf-8"))
    meta.update(
        title=f"Benchmark-Daten {grid.cells:,} Rasterzellen",
        is_demo=True,
        data_version=f"bench-{grid.name}",
        generator="bench.scale_data",
        grid={"nx": grid.nx, "ny": grid.ny},
    )
    (common / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return indicators


def generate(grid: Grid, out: Path, part: str = "all") -> dict[str, float]:
    """Write the layouts into ``out``; ``part`` = all | common | indicator | area.

    Returns seconds per part. ``run.py`` starts ``indicator`` and ``area`` in two
    processes after ``common`` so the two cores write in parallel.
    """
    out = Path(out)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    if part in ("all", "common"):
        if out.exists():
            shutil.rmtree(out)
        indicators = _common(grid, out)
        for folder in layout_dirs(out).values():
            _write_common(out, folder)
        timings["common"] = time.perf_counter() - start
    else:
        indicators = sorted(
            i["id"]
            for i in yaml.safe_load(
                (out / "_common" / "catalog" / "indicators.yaml").read_text("utf-8")
            )["indicators"]
        )
    if part in ("all", "indicator"):
        t = time.perf_counter()
        _write_indicator_major(grid, out, indicators)
        timings["indicator_major"] = time.perf_counter() - t
    if part in ("all", "area"):
        t = time.perf_counter()
        _write_area_major(grid, out, indicators)
        timings["area_major"] = time.perf_counter() - t
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--part", default="all", choices=["all", "common", "indicator", "area"]
    )
    args = parser.parse_args(argv)
    if (ROOT / "data") in args.out.resolve().parents:
        parser.error("bench data never goes into data/")
    timings = generate(QUICK if args.quick else FULL, args.out, args.part)
    print(json.dumps({"timings": timings, "peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main()
