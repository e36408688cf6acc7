"""Script run time per page with Streamlit's AppTest (no browser, no websocket).

Each repetition is a fresh Python process (``python -m bench.scripts --worker``):
the first ``AppTest.run()`` there pays imports, the Store and every cache (cold
process); then, per page of monitor.viewstate.PAGES, all st.cache_data and
st.cache_resource entries are cleared, the page runs once (cold caches, modules
already imported) and is rerun 20 times unchanged (warm). QM_BASEMAP=blank.

The baseline compares ways to get the start page's data: pandas reading
data/demo/*.parquet on every call, the Store's DuckDB queries on every call (with and
without building the Store), and the cached path of monitor.ui.data.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time

from bench.report import ROOT, Section, fmt_s, summarize, table, time_calls

__all__ = ["run", "worker", "baseline"]

RERUNS = 20


def _quiet() -> None:
    os.environ["QM_BASEMAP"] = "blank"
    logging.disable(logging.WARNING)  # "missing ScriptRunContext" in bare mode


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def worker(reruns: int = RERUNS) -> dict:
    """Cold process, then per page cold caches and warm reruns (this process).

    Every page gets its own AppTest (a new session: widget state of one page does
    not leak into the next); it opens on the start page, then the caches are
    cleared and it switches to the page.
    """
    _quiet()
    start = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    from monitor.viewstate import PAGES

    def new_app():
        return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)

    at = new_app()
    at.run()
    cold_process = time.perf_counter() - start
    result: dict = {"cold_process": cold_process, "pages": {}}
    if at.exception:
        result["cold_process_exception"] = str(at.exception[0].value)
    for spec in PAGES:
        at = new_app()
        at.run()
        _clear_caches()
        at.switch_page(f"pages/{spec.id}.py")
        t = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t
        exceptions = [str(e.value) for e in at.exception]
        warm = []
        for _ in range(reruns):
            t = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t)
            exceptions += [str(e.value) for e in at.exception]
        result["pages"][spec.id] = {
            "url_path": spec.url_path,
            "cold_caches": cold,
            "warm": warm,
            "title": at.title[0].value if len(at.title) else "",
            "exception": sorted(set(exceptions)),
            "elements": len(list(at.main)),
        }
    return result


def baseline(n: int = 20) -> dict:
    """The start page's data: pandas per call vs Store per call vs cached."""
    _quiet()
    import geopandas as gpd
    import pandas as pd

    from monitor.store import DEFAULT_DATA_DIR, Store
    from monitor.ui import data
    from monitor.views import overview

    store = Store(DEFAULT_DATA_DIR)
    subject = overview.subject_of(store.place)
    ids = (subject.area_id, subject.context_id, subject.city_id)
    catalog_ids = tuple(store.catalog.ids)
    year = int(
        store.indicator_years().query("indicator_id == 'kinderarmut'").year.max()
    )

    def naive() -> None:
        folder = DEFAULT_DATA_DIR
        areas = gpd.read_parquet(folder / "areas.parquet")
        values = pd.read_parquet(folder / "indicator_values.parquet")
        bench = pd.read_parquet(folder / "benchmarks.parquet")
        masked = values.copy()
        hidden = masked.status == "suppressed"
        masked.loc[hidden, ["numerator", "denominator", "value"]] = float("nan")
        masked[masked.area_id.isin(ids)].sort_values(["area_id", "indicator_id"])
        bench[bench.indicator_id.isin(catalog_ids)]
        for level in ("quartier", "fokusgebiet"):
            areas[areas.level == level][["area_id", "geometry"]]
        sel = masked[(masked.indicator_id == "kinderarmut") & (masked.year == year)]
        quartiere = areas[areas.level == "quartier"].drop(columns="geometry")
        quartiere.merge(sel, on="area_id", how="left").sort_values("area_id")
        values.merge(areas[["area_id", "level"]], on="area_id").groupby(
            ["indicator_id", "level", "year"]
        ).size()

    def store_calls(s: Store) -> None:
        s.area_values(list(ids))
        s.benchmark_values(list(catalog_ids))
        s.areas()
        s.geometries("quartier")
        s.geometries("fokusgebiet")
        s.level_values("kinderarmut", year, "quartier")
        s.indicator_years()

    def store_cold() -> None:
        store_calls(Store(DEFAULT_DATA_DIR))

    cached_store = data.get_store()

    def cached() -> None:
        data.area_values(cached_store, ids)
        data.benchmark_values(cached_store, catalog_ids)
        data.areas(cached_store)
        data.geometries(cached_store, "quartier")
        data.geometries(cached_store, "fokusgebiet")
        data.level_values(cached_store, "kinderarmut", year, "quartier")
        data.context(cached_store)

    cached()  # fill the caches once
    naive()  # warm the OS page cache for a fair comparison
    return {
        "naive_pandas": time_calls(naive, n),
        "store_new_each_call": time_calls(store_cold, n),
        "store_per_call": time_calls(lambda: store_calls(store), n),
        "cached": time_calls(cached, n),
    }


def _subprocess(args: list[str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.scripts", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "QM_BASEMAP": "blank"},
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench.scripts {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> Section:
    reps = 1 if quick else 3
    workers = [_subprocess(["--worker"]) for _ in range(reps)]
    base = _subprocess(["--baseline"])
    pages = list(workers[0]["pages"])
    rows = [
        [
            "first run of `/` in a fresh process (imports + Store + caches)",
            *summarize([w["cold_process"] for w in workers]).row(),
        ]
    ]
    problems = []
    for page in pages:
        runs = [w["pages"][page] for w in workers]
        path = "/" + runs[0]["url_path"]
        rows.append(
            [
                f"`{path}` first run, caches cleared",
                *summarize([r["cold_caches"] for r in runs]).row(),
            ]
        )
        rows.append(
            [
                f"`{path}` warm rerun",
                *summarize([t for r in runs for t in r["warm"]]).row(),
            ]
        )
        for r in runs:
            if r["exception"] or not r["title"]:
                what = r["exception"][0][:200] if r["exception"] else "no title"
                problems.append(f"`{path}`: {what}")
    base_rows = [
        [label, *summarize(base[key]).row()]
        for key, label in (
            ("naive_pandas", "pandas reads data/demo/*.parquet on every call"),
            ("store_new_each_call", "new Store (DuckDB) + queries on every call"),
            ("store_per_call", "one Store, DuckDB queries on every call"),
            ("cached", "monitor.ui.data (st.cache_data hits), as the page does"),
        )
    ]
    naive = summarize(base["naive_pandas"]).p50
    cached = summarize(base["cached"]).p50
    per_call = summarize(base["store_per_call"]).p50
    md = "\n\n".join(
        [
            "Command: `.venv/bin/python -m bench.run --only scripts"
            + (" --quick" if quick else "")
            + "` "
            f"({reps} fresh process(es); AppTest.from_file('app.py'), "
            f"`at.switch_page('pages/<id>.py')`, {RERUNS} warm reruns per page and "
            "process; QM_BASEMAP=blank).",
            table(["AppTest run", "p50", "p95", "max", "n"], rows),
            "Data of the start page (area values of Perspektivquartier, Innenstadt "
            "and city; benchmarks; areas; quartier and focus geometries; the "
            "quartier map values; the indicator years), per call, n = 20:",
            table(["way", "p50", "p95", "max", "n"], base_rows),
            f"Caching gain: the cached path takes {fmt_s(cached)} against "
            f"{fmt_s(naive)} for pandas per call ({naive / cached:,.1f}×) and "
            f"{fmt_s(per_call)} for DuckDB per call ({per_call / cached:,.1f}×).",
        ]
    )
    if problems:
        md += "\n\n**Problems seen (pages under construction?):** " + "; ".join(
            sorted(set(problems))
        )
    data = {
        "workers": workers,
        "baseline": base,
        "titles": {p: workers[0]["pages"][p]["title"] for p in pages},
    }
    return Section("scripts", "Script run time per page (AppTest)", md, data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", action="store_true")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--reruns", type=int, default=RERUNS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.reruns)))
    elif args.baseline:
        print(json.dumps(baseline()))
    else:
        print(run().markdown)


if __name__ == "__main__":
    main()
