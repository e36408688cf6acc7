"""Scale scenario of the coming map page: a level/indicator/year switch at 1 M cells.

Data: bench/scale_data.py (1,000,000 raster cells x 25 indicators x 12 years, about
300 M value rows; --quick: 100,000 cells), generated once into /tmp/qm-bench and
reused while the generator is unchanged (delete the folder or pass --regenerate to
``python -m bench.scale`` to force it; QM_BENCH_DATA moves it). Each variant below
runs in its own process (``python -m bench.scale --probe <variant>``), so its peak
RSS (VmHWM) is its own and not the generator's. A switch is a call with a
random indicator and year at a fixed level; p50/p95 over the calls after the first
(the first is reported apart).

Variants (what the Store would have to do):
- ``store_area_major``: the current Store and SQL over one indicator_values.parquet
  sorted like the demo generator sorts it (level, area, indicator, year);
- ``store_clustered``: the current Store and SQL, the file sorted by indicator and
  year (row groups carry min/max of indicator_id and year, so DuckDB skips the rest);
- ``store_hive``: the current SQL over a view on the hive-partitioned folder
  indicator_id=/year=/level= (Store would have to accept a directory);
- ``hive_level_pushdown``: as before plus ``v.level = $level`` in the join, so only
  the partition of that level is opened;
- ``partition_narrow``: read the one partition file by its path (a query parameter)
  and return area_id, counts, value, status without the join with areas (names and
  parents come from the cached areas frame), in file order;
- ``partition_narrow_arrow``: the same query fetched as Arrow and converted with
  ``to_pandas()`` (DuckDB's own ``.df()`` is slow for a million strings);
- ``partition_numeric``: the same file without area_id and with a boolean for
  ``suppressed``: a frame of numbers only, aligned by position with the level's
  areas (cached once per level, in the same order as the partition file);
- ``partition_arrays``: only value and suppressed as numpy arrays (what a map needs
  once the cell geometry is cached in the same order);
- ``raster_bitmap``: partition_arrays plus what a map of a regular raster could send
  instead of one polygon per cell: quantile classes, an RGBA image with one pixel
  per cell, PNG-encoded (for a deck.gl BitmapLayer); other levels as
  partition_arrays.
- ``shipped_store``: the shipped ``Store.level_arrays`` on the folder written by
  ``python -m monitor.ingest.partition`` (what the app runs on at this scale);
- ``app_karte``: the whole map page in AppTest (streamlit's test runner, in
  process) on that folder: random switches of indicator, year or level
  (raster, Quartier, Stadtteil) through the page's own widgets; the time of one
  script run, deck and table included; peak RSS of the process.
A separate probe measures what st.cache_data costs for one raster frame (it pickles
on store and unpickles on every hit) and what the app's max_entries imply.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.report import (
    ROOT,
    Section,
    fmt_bytes,
    fmt_s,
    peak_rss_mb,
    summarize,
    table,
)
from bench.scale_data import FULL, QUICK, YEARS, Grid

__all__ = ["run", "probe", "VARIANTS"]

DATA_ROOT = Path(os.environ.get("QM_BENCH_DATA", "/tmp/qm-bench"))
TARGET_P95_S = 0.300
TARGET_RSS_MB = 1536.0
VARIANTS = (
    "store_area_major",
    "store_clustered",
    "store_hive",
    "hive_level_pushdown",
    "partition_narrow",
    "partition_narrow_arrow",
    "partition_numeric",
    "partition_arrays",
    "raster_bitmap",
    "shipped_store",
)
APP_VARIANT = "app_karte"
LEVELS = ("raster", "quartier")
APP_LEVELS = ("raster", "quartier", "stadtteil")

HIVE_GLOB = "hive/indicator_values/*/*/*/*.parquet"
YEAR_FILTER = "AND v.year = CAST($year AS INTEGER)"
LEVEL_FILTER = "AND v.level = CAST($level AS VARCHAR)"


def _level_pushdown_sql() -> str:
    """queries/level_values.sql plus a filter on the partition key ``level``."""
    sql = (ROOT / "queries" / "level_values.sql").read_text(encoding="utf-8")
    if YEAR_FILTER not in sql:
        raise RuntimeError("queries/level_values.sql changed: update bench/scale.py")
    return sql.replace(YEAR_FILTER, f"{YEAR_FILTER}\n    {LEVEL_FILTER}")


NARROW_SQL = """
SELECT
    area_id,
    CASE WHEN status = 'suppressed' THEN NULL ELSE numerator END AS numerator,
    CASE WHEN status = 'suppressed' THEN NULL ELSE denominator END AS denominator,
    CASE WHEN status = 'suppressed' THEN NULL ELSE value END AS value,
    status
FROM read_parquet(CAST($path AS VARCHAR))
"""
NUMERIC_SQL = """
SELECT
    CASE WHEN status = 'suppressed' THEN NULL ELSE numerator END AS numerator,
    CASE WHEN status = 'suppressed' THEN NULL ELSE denominator END AS denominator,
    CASE WHEN status = 'suppressed' THEN NULL ELSE value END AS value,
    status = 'suppressed' AS suppressed
FROM read_parquet(CAST($path AS VARCHAR))
"""
ARRAYS_SQL = """
SELECT
    CASE WHEN status = 'suppressed' THEN NULL ELSE value END AS value,
    status = 'suppressed' AS suppressed
FROM read_parquet(CAST($path AS VARCHAR))
"""


# -- data -----------------------------------------------------------------------------
def _fingerprint(grid: Grid) -> str:
    """Hash of the grid and of the generator functions that decide the data."""
    import inspect

    from bench import scale_data as sd

    parts = [repr(grid), repr(sd.SCHEMA), repr(sd.WRITE_OPTS), str(sd.ROW_GROUP)]
    for fn in (
        sd._mix,
        sd._deprivation,
        sd.raster_counts,
        sd._status,
        sd._values,
        sd._geo,
        sd._write_areas,
        sd._write_catalog,
        sd._upper,
        sd._chunk,
        sd._write_indicator_major,
        sd._write_area_major,
        sd._common,
    ):
        parts.append(inspect.getsource(fn))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def ensure_data(grid: Grid, regenerate: bool = False) -> tuple[Path, dict]:
    """The data folder of ``grid``; generate it (two processes) when missing/stale."""
    out = DATA_ROOT / f"scale-{grid.name}"
    stamp = out / "_complete.json"
    fp = _fingerprint(grid)
    if not regenerate and stamp.is_file():
        info = json.loads(stamp.read_text())
        if info.get("fingerprint") == fp:
            return out, {**info, "reused": True}
    quick = ["--quick"] if grid == QUICK else []
    start = time.perf_counter()
    cpu_start = _cpu_seconds()
    cmd = [sys.executable, "-m", "bench.scale_data", "--out", str(out), *quick]
    timings: dict[str, float] = {}
    peaks: dict[str, float] = {}
    # the common files first, then both value layouts in parallel (two CPUs)
    for group in (("common",), ("indicator", "area")):
        procs = {
            part: subprocess.Popen(
                [*cmd, "--part", part], cwd=ROOT, stdout=subprocess.PIPE, text=True
            )
            for part in group
        }
        for part, proc in procs.items():
            stdout, _ = proc.communicate()
            if proc.returncode != 0:
                raise RuntimeError(f"bench.scale_data --part {part} failed")
            result = json.loads(stdout.strip().splitlines()[-1])
            timings.update(result["timings"])
            peaks[part] = result["peak_rss_mb"]
    info = {
        "fingerprint": fp,
        "grid": repr(grid),
        "seconds": time.perf_counter() - start,
        "cpu_seconds": _cpu_seconds() - cpu_start,
        "load_after": os.getloadavg()[0],
        "timings": timings,
        "generator_peak_rss_mb": max(peaks.values()),
        "generator_peaks_mb": peaks,
        "bytes": {
            name: sum(p.stat().st_size for p in (out / name).rglob("*") if p.is_file())
            for name in ("clustered", "area_major", "hive")
        },
    }
    stamp.write_text(json.dumps(info, indent=2))
    return out, {**info, "reused": False}


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and its finished children."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


# -- probes (run in their own process) -------------------------------------------------
def _switch_fn(variant: str, data: Path):
    """(init seconds, function(indicator, year, level) -> result)."""
    from monitor.store import Store

    start = time.perf_counter()
    if variant == "shipped_store":
        store = Store(data / "partitioned")
        return time.perf_counter() - start, store, store.level_arrays
    if variant == "store_area_major":
        store = Store(data / "area_major")
    else:
        store = Store(data / "clustered")
    if variant in ("store_hive", "hive_level_pushdown"):
        glob = str(data / HIVE_GLOB)
        store.cursor.execute(
            "CREATE OR REPLACE VIEW indicator_values AS SELECT * FROM "
            f"read_parquet('{glob}', hive_partitioning = true)"
        )
    init = time.perf_counter() - start
    part = data / "hive" / "indicator_values"

    def path(indicator, year, level):
        name = f"indicator_id={indicator}/year={int(year)}/level={level}/data.parquet"
        return str(part / name)

    if variant in ("store_area_major", "store_clustered", "store_hive"):
        return init, store, store.level_values
    if variant == "hive_level_pushdown":
        sql = _level_pushdown_sql()

        def fn(indicator, year, level):
            params = {"indicator": indicator, "year": int(year), "level": level}
            return store.cursor.execute(sql, params).df()

        return init, store, fn
    if variant == "partition_narrow":

        def fn(indicator, year, level):
            params = {"path": path(indicator, year, level)}
            return store.cursor.execute(NARROW_SQL, params).df()

        return init, store, fn
    if variant == "partition_narrow_arrow":

        def fn(indicator, year, level):
            params = {"path": path(indicator, year, level)}
            rel = store.cursor.sql(NARROW_SQL, params=params)
            return rel.to_arrow_table().to_pandas()

        return init, store, fn
    if variant == "partition_numeric":

        def fn(indicator, year, level):
            params = {"path": path(indicator, year, level)}
            return store.cursor.execute(NUMERIC_SQL, params).df()

        return init, store, fn
    if variant in ("partition_arrays", "raster_bitmap"):

        def fn(indicator, year, level):
            params = {"path": path(indicator, year, level)}
            arrays = store.cursor.execute(ARRAYS_SQL, params).fetchnumpy()
            if variant == "raster_bitmap" and level == "raster":
                png = _bitmap(arrays, store.data_dir)
                return {"png": png, "cells": len(arrays["value"])}
            return arrays

        return init, store, fn
    raise ValueError(f"unknown variant {variant!r}")


# Colours of 5 classes (light to dark), suppressed grey, missing transparent.
_CLASS_RGBA = [
    (254, 240, 217, 220),
    (253, 204, 138, 220),
    (252, 141, 89, 220),
    (227, 74, 51, 220),
    (179, 0, 0, 220),
    (160, 160, 160, 220),
    (0, 0, 0, 0),
]


def _bitmap(arrays: dict, data_dir: Path) -> bytes:
    """Quantile classes of one raster year as a PNG, one pixel per cell."""
    import io

    import numpy as np
    from PIL import Image

    grid = json.loads((data_dir / "meta.json").read_text(encoding="utf-8"))["grid"]
    value = np.ma.filled(arrays["value"].astype(float), np.nan)
    suppressed = np.ma.filled(arrays["suppressed"], False)
    ok = ~np.isnan(value)
    breaks = np.quantile(value[ok], [0.2, 0.4, 0.6, 0.8])
    classes = np.where(ok, np.searchsorted(breaks, value, side="right"), 6)
    classes[suppressed] = 5
    lut = np.array(_CLASS_RGBA, dtype=np.uint8)
    rgba = lut[classes].reshape(grid["ny"], grid["nx"], 4)[::-1]  # north up
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def ensure_partitioned(data: Path) -> dict:
    """data/partitioned from data/clustered (monitor.ingest.partition), once."""
    target = data / "partitioned"
    stamp = target / "_partitioned.json"
    if stamp.is_file():
        return {**json.loads(stamp.read_text()), "reused": True}
    start, cpu = time.perf_counter(), _cpu_seconds()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "monitor.ingest.partition",
            str(data / "clustered"),
            str(target),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    import resource

    info = {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": _cpu_seconds() - cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "bytes": sum(p.stat().st_size for p in target.rglob("*") if p.is_file()),
    }
    stamp.write_text(json.dumps(info, indent=2))
    return {**info, "reused": False}


def app_probe(data: Path, n: int, seed: int) -> dict:
    """The map page in AppTest on the partitioned folder: random widget switches."""
    os.environ["QM_DATA_DIR"] = str(data / "partitioned")
    os.environ["QM_BASEMAP"] = "blank"
    from streamlit.testing.v1 import AppTest

    from monitor.store import Store

    catalog = Store(data / "partitioned").catalog
    indicators = sorted(i.id for i in catalog.indicators if "raster" in i.levels)
    rng = random.Random(seed)
    start = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
    at.switch_page("pages/karte.py")
    at.run()
    first = time.perf_counter() - start
    # warm-up: the first visit of each level loads its areas once per process
    # (1 M raster cells: ids, names, grid; shared by every later session)
    warmup = {}
    for lv in (*APP_LEVELS[1:], APP_LEVELS[0]):
        at.segmented_control(key="w_ebene").set_value(lv)
        t = time.perf_counter()
        at.run()
        warmup[lv] = time.perf_counter() - t
    errors = [str(e.value) for e in at.exception]
    samples: dict[str, list[float]] = {lv: [] for lv in APP_LEVELS}
    kinds: list[str] = []
    level = "raster"
    deck_bytes: dict[str, int] = {}
    for _ in range(n):
        kind = rng.choice(("indicator", "year", "level"))
        if kind == "indicator":
            at.selectbox(key="w_indikator").set_value(rng.choice(indicators))
        elif kind == "year":
            at.select_slider(key="w_jahr").set_value(rng.choice(YEARS))
        else:
            level = rng.choice([lv for lv in APP_LEVELS if lv != level])
            at.segmented_control(key="w_ebene").set_value(level)
        t = time.perf_counter()
        at.run()
        samples[level].append(time.perf_counter() - t)
        kinds.append(kind)
        errors += [str(e.value) for e in at.exception]
        decks = at.get("deck_gl_json_chart")
        if decks:
            deck_bytes[level] = len(decks[0].proto.json)
    return {
        "variant": APP_VARIANT,
        "first_s": first,
        "warmup_s": warmup,
        "levels": samples,
        "kinds": kinds,
        "deck_bytes": deck_bytes,
        "errors": sorted(set(errors)),
        "peak_rss_mb": peak_rss_mb(),
    }


def _rows(result) -> int:
    if hasattr(result, "status") and hasattr(result, "value"):  # LevelArrays
        return len(result.value)
    if isinstance(result, dict) and "png" in result:
        return result["cells"]
    if isinstance(result, dict):
        return len(next(iter(result.values())))
    return len(result)


def _result_bytes(result) -> int:
    if hasattr(result, "status") and hasattr(result, "value"):  # LevelArrays
        return int(result.value.nbytes + result.status.nbytes)
    if isinstance(result, dict) and "png" in result:
        return len(result["png"])
    if isinstance(result, dict):
        return int(sum(a.nbytes for a in result.values()))
    return int(result.memory_usage(deep=True).sum())


def probe(
    variant: str, data: Path, n_max: int, budget_s: float, seed: int, n_min: int = 3
) -> dict:
    """Random switches per level; times, rows, bytes and this process's peak RSS."""
    rss_start = peak_rss_mb()
    init, store, fn = _switch_fn(variant, data)
    rng = random.Random(seed)
    indicators = sorted(store.catalog.ids)
    out: dict = {"variant": variant, "init_s": init, "levels": {}}
    out["rss_after_init_mb"] = peak_rss_mb()
    for level in LEVELS:
        t = time.perf_counter()
        result = fn(rng.choice(indicators), rng.choice(YEARS), level)
        first = time.perf_counter() - t
        rows, nbytes = _rows(result), _result_bytes(result)
        del result
        samples: list[float] = []
        cpu: list[float] = []
        spent = 0.0
        while len(samples) < n_max and (spent < budget_s or len(samples) < n_min):
            ind, year = rng.choice(indicators), rng.choice(YEARS)
            t, c = time.perf_counter(), time.process_time()
            result = fn(ind, year, level)
            dt = time.perf_counter() - t
            cpu.append(time.process_time() - c)
            del result
            samples.append(dt)
            spent += dt
        out["levels"][level] = {
            "first_s": first,
            "samples": samples,
            "cpu_samples": cpu,
            "rows": rows,
            "result_bytes": nbytes,
        }
    out["peak_rss_mb"] = peak_rss_mb()
    out["rss_at_start_mb"] = rss_start
    return out


def cache_probe(data: Path, seed: int) -> dict:
    """What st.cache_data does with one raster frame: pickle once, unpickle per hit."""
    from monitor.store import Store

    store = Store(data / "clustered")
    rng = random.Random(seed)
    ind = rng.choice(sorted(store.catalog.ids))
    df = store.level_values(ind, YEARS[-1], "raster")
    t = time.perf_counter()
    blob = pickle.dumps(df, protocol=pickle.HIGHEST_PROTOCOL)
    dumps = time.perf_counter() - t
    loads = []
    for _ in range(5):
        t = time.perf_counter()
        pickle.loads(blob)
        loads.append(time.perf_counter() - t)
    return {
        "rows": len(df),
        "frame_bytes": int(df.memory_usage(deep=True).sum()),
        "pickle_bytes": len(blob),
        "dumps_s": dumps,
        "loads_s": loads,
        "peak_rss_mb": peak_rss_mb(),
    }


def _run_probe(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.scale", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip()[-2000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- report ---------------------------------------------------------------------------
def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def run(quick: bool = False, regenerate: bool = False) -> Section:
    grid = QUICK if quick else FULL
    start = time.perf_counter()
    data, gen = ensure_data(grid, regenerate)
    partitioned = ensure_partitioned(data)
    results = {}
    for variant in VARIANTS:
        # a full scan of 300 M rows takes tens of seconds: the first call and one
        # more are enough to show it (and keep the scenario near 10 minutes)
        slow = variant == "store_area_major" and not quick
        args = ["--probe", variant, "--data", str(data), "--n", "25"]
        args += ["--budget", "1" if slow else "15", "--min", "1" if slow else "3"]
        results[variant] = _run_probe(args)
    app = _run_probe(["--app-probe", "--data", str(data), "--n", str(90)])
    cache = _run_probe(["--cache-probe", "--data", str(data)])
    total = time.perf_counter() - start
    gen_s = 0.0 if gen.get("reused") else gen["seconds"]

    rows = []
    verdicts = {}
    for variant, r in results.items():
        if "error" in r:
            rows.append([f"`{variant}`", "error", *[""] * 9])
            continue
        ok_all = r["peak_rss_mb"] <= TARGET_RSS_MB
        for level in LEVELS:
            lv = r["levels"][level]
            s = summarize(lv["samples"])
            ok = s.p95 <= TARGET_P95_S
            ok_all = ok_all and ok
            rows.append(
                [
                    f"`{variant}`",
                    level,
                    f"{lv['rows']:,}",
                    fmt_s(lv["first_s"]),
                    fmt_s(s.p50),
                    fmt_s(s.p95),
                    fmt_s(s.max),
                    str(s.n),
                    fmt_s(summarize(lv["cpu_samples"]).p50),
                    fmt_bytes(lv["result_bytes"]),
                    f"{r['peak_rss_mb']:,.0f} MiB",
                ]
            )
        verdicts[variant] = ok_all
    n_rows = grid.cells + grid.n_quartiere + grid.n_stadtteile + 1
    sizes = gen.get("bytes", {})
    gen_line = (
        f"reused from an earlier run (generated in {gen['seconds']:.0f} s)"
        if gen.get("reused")
        else f"generated in {gen['seconds']:.0f} s (two processes in parallel)"
    )
    gen_line += (
        f"; generation used {gen.get('cpu_seconds', float('nan')):.0f} CPU-seconds "
        f"(on {os.cpu_count()} CPUs), peak RSS of a generator process "
        f"{gen.get('generator_peak_rss_mb', float('nan')):,.0f} MiB"
    )
    parts = [
        "Command: `.venv/bin/python -m bench.run --only scale"
        + (" --quick" if quick else "")
        + f"`. Data: {grid.cells:,} raster cells, {grid.n_quartiere:,} Quartiere, "
        f"{grid.n_stadtteile} Stadtteile, 1 Stadt; 25 indicators × 12 years = "
        f"{n_rows * 25 * 12:,} value rows; under `{data}`, {gen_line}. Sizes: "
        + ", ".join(f"{k} {fmt_bytes(v)}" for k, v in sizes.items())
        + f". Measurement {total - gen_s:.0f} s"
        + (f" + generation {gen_s:.0f} s." if gen_s else " (data reused)."),
        "Random switches (indicator and year drawn at random) at a fixed level; "
        "p50/p95/max (wall clock) over the calls after the first; CPU p50 = "
        "process CPU time per call (all DuckDB threads; less sensitive to other "
        "load on the machine than wall clock); result = size of what the call "
        "returns (pandas deep memory, numpy bytes or PNG bytes); each variant in "
        "its own process (peak RSS = VmHWM of that process). Targets: p95 ≤ "
        f"{fmt_s(TARGET_P95_S)}, peak RSS ≤ {TARGET_RSS_MB / 1024:.1f} GiB.",
        table(
            [
                "variant",
                "level",
                "rows",
                "first",
                "p50",
                "p95",
                "max",
                "n",
                "CPU p50",
                "result",
                "peak RSS",
            ],
            rows,
        ),
        table(
            ["variant", "meets both targets"],
            [[f"`{v}`", _mark(ok)] for v, ok in verdicts.items()],
        ),
    ]
    part_line = (
        f"`python -m monitor.ingest.partition` wrote `{data}/partitioned` "
        f"({fmt_bytes(partitioned['bytes'])}, 1,200 files) in "
        f"{partitioned['seconds']:.0f} s, peak RSS "
        f"{partitioned['peak_rss_mb']:,.0f} MiB"
        + (" (reused)" if partitioned.get("reused") else "")
        + "."
    )
    parts.append(part_line)
    if "error" in app:
        parts.append(f"App probe failed: `{app['error'][-600:]}`")
    else:
        app_rows = []
        every = [x for lv in APP_LEVELS for x in app["levels"][lv]]
        for lv, samples in [*app["levels"].items(), ("all", every)]:
            if not samples:
                continue
            s = summarize(samples)
            app_rows.append(
                [
                    lv,
                    str(s.n),
                    fmt_s(s.p50),
                    fmt_s(s.p95),
                    fmt_s(s.max),
                    fmt_bytes(app["deck_bytes"].get(lv, 0)) if lv != "all" else "",
                ]
            )
        s_all = summarize(every)
        verdicts[APP_VARIANT] = (
            s_all.p95 <= TARGET_P95_S
            and app["peak_rss_mb"] <= TARGET_RSS_MB
            and not app["errors"]
        )
        parts.append(
            "**The map page itself** (`app_karte`: AppTest, the page's own widgets, "
            "random switches of indicator, year or level; time of one script run "
            f"after the switch, after one visit of each level; first run of the "
            f"page incl. process start {fmt_s(app['first_s'])}, first visit of a "
            "level "
            + ", ".join(f"{lv} {fmt_s(t)}" for lv, t in app["warmup_s"].items())
            + f"; peak RSS {app['peak_rss_mb']:,.0f} MiB; "
            f"exceptions: {len(app['errors'])}; meets both targets: "
            f"{_mark(verdicts[APP_VARIANT])}):\n\n"
            + table(
                ["level after switch", "n", "p50", "p95", "max", "deck JSON"], app_rows
            )
        )
    if "error" not in cache:
        loads = summarize(cache["loads_s"])
        per_entry = cache["pickle_bytes"]
        parts.append(
            f"st.cache_data and one raster frame of the current `level_values` "
            f"({cache['rows']:,} rows): {fmt_bytes(cache['frame_bytes'])} in "
            f"pandas, {fmt_bytes(per_entry)} pickled; pickling "
            f"{fmt_s(cache['dumps_s'])}, every cache hit unpickles in "
            f"{fmt_s(loads.p50)} (p50). This is why the shipped map reads "
            "`level_arrays` into `st.cache_resource` (no copy per hit; 12 entries, "
            "about 13 MiB each at 1 M cells without the lazily read counts) and "
            "`level_values` frames stay in `st.cache_data` only for small levels "
            "(64 entries; at 1 M rows that cache could hold "
            f"{fmt_bytes(per_entry * 64)})."
        )
    errors = {v: r["error"] for v, r in results.items() if "error" in r}
    if errors:
        parts.append(
            "Errors: " + "; ".join(f"{v}: {e[-300:]}" for v, e in errors.items())
        )
    return Section(
        "scale",
        f"Scale scenario ({grid.cells:,} raster cells)",
        "\n\n".join(parts),
        {
            "generation": gen,
            "partitioned": partitioned,
            "variants": results,
            "app": app,
            "cache": cache,
            "total_s": total,
        },
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe", choices=VARIANTS)
    parser.add_argument("--cache-probe", action="store_true")
    parser.add_argument("--app-probe", action="store_true")
    parser.add_argument("--data", type=Path)
    parser.add_argument("--n", type=int, default=25)
    parser.add_argument("--budget", type=float, default=15.0)
    parser.add_argument("--min", type=int, default=3, dest="n_min")
    parser.add_argument("--seed", type=int, default=20251231)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args(argv)
    if args.probe:
        result = probe(
            args.probe, args.data, args.n, args.budget, args.seed, args.n_min
        )
        print(json.dumps(result))
    elif args.app_probe:
        print(json.dumps(app_probe(args.data, args.n, args.seed)))
    elif args.cache_probe:
        print(json.dumps(cache_probe(args.data, args.seed)))
    else:
        print(run(args.quick, args.regenerate).markdown)


if __name__ == "__main__":
    main()
