"""Sizes of the app's cache entries, for the limits of every cache.

``python -m bench.run --only cache_sizes``: every page runs in AppTest on the demo
data, the Karte, Profil and Hotspots in several views (indicators, levels,
change mode, areas), then every ``st.cache_data`` and ``st.cache_resource``
function is read out: entries, the typical (median) and the largest entry, and
the worst case the limit allows (largest entry x ``max_entries``).

A ``st.cache_data`` entry is held pickled: its size is the pickle's length. A
``st.cache_resource`` entry (also a frame of ``cache_frames``,
monitor/ui/shared_frames.py) is a live object: its size is pympler's ``asizeof``
(what Streamlit's own memory stats use; numpy buffers counted). The Store's
DuckDB connection lives outside Python: its size is the RSS it adds when opened.
"""

from __future__ import annotations

import os
import statistics

from bench.report import Section, fmt_bytes, table

__all__ = ["measure", "run"]

# views that fill the caches the way a workshop does
VIEWS: list[tuple[str, dict[str, str]]] = [
    ("karte", {"indikator": "kinderarmut", "ebene": "quartier"}),
    ("karte", {"indikator": "sgb2_quote", "ebene": "raster"}),
    (
        "karte",
        {"indikator": "sgb2_quote", "ebene": "stadtteil", "modus": "veraenderung"},
    ),
    ("profil", {"gebiet": "innenstadt"}),
    ("profil", {"gebiet": "furpach-nord"}),
    ("hotspots", {"indikator": "sgb2_quote", "ebene": "raster"}),
    ("vergleich", {"gebiete": "furpach,innenstadt,hangard"}),
    ("entwicklung", {"indikator": "arbeitslosenanteil", "ebene": "stadtteil"}),
    ("sozialindex", {"ebene": "stadtteil"}),
]


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _run_pages() -> None:
    from streamlit.testing.v1 import AppTest

    from monitor.store import ROOT
    from monitor.viewstate import PAGES

    app = str(ROOT / "app.py")
    views = [(p.id, {}) for p in PAGES] + VIEWS
    for page, params in views:
        at = AppTest.from_file(app, default_timeout=300)
        for key, value in params.items():
            at.query_params[key] = value
        if page != "uebersicht":
            at.switch_page(f"pages/{page}.py")
        at.run()


def _caches():
    """(kind, function name, max_entries, ttl, entry sizes) of every cache."""
    from streamlit.runtime.caching import cache_data_api, cache_resource_api
    from streamlit.vendor.pympler.asizeof import asizeof

    found = []
    for caches in cache_data_api._data_caches._function_caches.values():
        for cache in caches.values():
            stats = (
                cache.storage.get_stats() if hasattr(cache.storage, "get_stats") else {}
            )
            sizes = [s.byte_length for family in stats.values() for s in family]
            found.append(
                (
                    "data",
                    cache.display_name,
                    cache.max_entries,
                    cache.ttl_seconds,
                    sizes,
                )
            )
    for caches in cache_resource_api._resource_caches._function_caches.values():
        for cache in caches.values():
            values = list(cache._mem_cache.values())
            sizes = [asizeof(v.value) for v in values]
            ttl = cache.ttl_seconds
            found.append(
                (
                    "resource",
                    cache.display_name,
                    cache.max_entries,
                    None if ttl == float("inf") else ttl,
                    sizes,
                )
            )
    return found


def measure() -> list[dict]:
    os.environ.setdefault("QM_BASEMAP", "blank")
    from monitor.store import DEFAULT_DATA_DIR, Store

    before = _rss()
    Store(DEFAULT_DATA_DIR)
    store_rss = _rss() - before
    _run_pages()
    rows = []
    for kind, name, max_entries, ttl, sizes in _caches():
        if name.endswith("_store_for"):
            sizes = [max(store_rss, *sizes)] if sizes else [store_rss]
        largest = max(sizes) if sizes else 0
        limit = int(max_entries) if max_entries != float("inf") else None
        rows.append(
            {
                "kind": kind,
                "function": name.split(".")[-1],
                "module": ".".join(name.split(".")[:-1]),
                "entries": len(sizes),
                "median": statistics.median(sizes) if sizes else 0,
                "largest": largest,
                "max_entries": limit,
                "ttl": ttl,
                "worst": largest * limit if limit else None,
            }
        )
    return sorted(rows, key=lambda r: -(r["worst"] or float("inf")))


def run(quick: bool = False) -> Section:  # noqa: ARG001 - one size
    rows = measure()
    body = table(
        [
            "cache",
            "kind",
            "entries seen",
            "typical entry",
            "largest entry",
            "max_entries",
            "ttl",
            "largest x max_entries",
        ],
        [
            [
                f"`{r['module'].removeprefix('monitor.ui.')}.{r['function']}`",
                r["kind"],
                r["entries"],
                fmt_bytes(r["median"]),
                fmt_bytes(r["largest"]),
                r["max_entries"] or "**none**",
                f"{r['ttl']:.0f} s" if r["ttl"] else "–",
                fmt_bytes(r["worst"]) if r["worst"] is not None else "unbounded",
            ]
            for r in rows
        ],
    )
    total = sum(r["worst"] or 0 for r in rows)
    text = (
        f"{body}\n\nSum of the worst cases: {fmt_bytes(total)} (demo data; an entry "
        "grows with the areas of a level: see the scale scenario for 1 M cells)."
    )
    return Section("cache_sizes", "Cache entries and limits", text, {"rows": rows})


if __name__ == "__main__":
    print(run().markdown)
