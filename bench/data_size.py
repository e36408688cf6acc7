"""Size of the demo data and of what the start page sends to the browser.

- data/demo/*: bytes, rows and row groups per file; areas and values per level.
- The pydeck deck of the start page, built with the functions the page uses
  (classify, class_colors, indicator_records, choropleth_deck), and the same
  builder for the other levels: JSON bytes (``Deck.to_json()`` is exactly what
  st.pydeck_chart puts into its message), gzip bytes for reference (Streamlit's
  websocket compression is off by default), and the time to build and serialise.
- In Chromium via CDP ``Network.webSocketFrameReceived``: the bytes of all websocket
  frames the browser receives while the start page loads, and the largest frame.
"""

from __future__ import annotations

import base64
import gzip
import os
import time

import pyarrow.parquet as pq
from playwright.sync_api import sync_playwright

from bench.browser import launch_browser, running_app, wait_script_done
from bench.report import ROOT, Section, fmt_bytes, fmt_s, summarize, table

__all__ = ["run", "file_sizes", "deck_payloads", "websocket_bytes"]

DEMO_DIR = ROOT / "data" / "demo"


def file_sizes() -> list[dict]:
    rows = []
    for path in sorted(DEMO_DIR.rglob("*")):
        if not path.is_file():
            continue
        row = {"file": str(path.relative_to(DEMO_DIR)), "bytes": path.stat().st_size}
        if path.suffix == ".parquet":
            meta = pq.ParquetFile(path).metadata
            row["rows"] = meta.num_rows
            row["row_groups"] = meta.num_row_groups
        rows.append(row)
    return rows


def deck_payloads(levels=("stadtteil", "quartier", "raster"), n: int = 5) -> dict:
    """Deck JSON of the start page's map (kinderarmut, latest year) per level."""
    os.environ.setdefault("QM_BASEMAP", "blank")
    from monitor.methods.classification import classify
    from monitor.store import DEFAULT_DATA_DIR, Store
    from monitor.views.choropleth import indicator_records
    from monitor.views.deck import choropleth_deck, fit_view
    from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB, class_colors

    store = Store(DEFAULT_DATA_DIR)
    ind = store.catalog["kinderarmut"]
    years = store.indicator_years()
    year = int(years[years.indicator_id == ind.id].year.max())
    focus = store.geometries("fokusgebiet").geometry.iloc[0]
    out = {}
    for level in levels:
        geo = store.geometries(level)
        values = store.level_values(ind.id, year, level)

        def build(geo=geo, values=values):
            aligned = values.set_index("area_id").loc[geo.area_id].reset_index()
            classes = classify(aligned.value.to_numpy(), "quantile", 5)
            colors = class_colors(classes.k, ind.direction)
            records = indicator_records(
                geo,
                aligned,
                yb=classes.yb,
                colors=colors,
                unit=ind.unit,
                lang="de",
                suppressed_rgb=SUPPRESSED_RGB,
                missing_rgb=MISSING_RGB,
            )
            return choropleth_deck(
                records,
                view=fit_view(geo.total_bounds, 700, 520),
                basemap="blank",
                outline=focus,
                height=520,
            )

        build_s, json_s = [], []
        for _ in range(n):
            t = time.perf_counter()
            deck = build()
            build_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            spec = deck.to_json()
            json_s.append(time.perf_counter() - t)
        raw = spec.encode("utf-8")
        out[level] = {
            "areas": len(geo),
            "json_bytes": len(raw),
            "gzip_bytes": len(gzip.compress(raw, 6)),
            "bytes_per_area": len(raw) / max(len(geo), 1),
            "build_s": build_s,
            "to_json_s": json_s,
        }
    return out


def websocket_bytes(reps: int = 2) -> dict:
    """Websocket bytes Chromium receives while the start page loads (per session)."""
    sessions = []
    with running_app() as (_proc, url), sync_playwright() as pw:
        browser = launch_browser(pw)
        try:
            for _ in range(reps):
                ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
                page = ctx.new_page()
                frames: list[int] = []

                def on_frame(event, frames=frames):
                    resp = event["response"]
                    payload = resp.get("payloadData", "")
                    if resp.get("opcode") == 2:  # binary: base64 in CDP
                        frames.append(len(base64.b64decode(payload)))
                    else:
                        frames.append(len(payload.encode("utf-8")))

                cdp = ctx.new_cdp_session(page)
                cdp.on("Network.webSocketFrameReceived", on_frame)
                cdp.send("Network.enable")
                page.goto(url)
                wait_script_done(page, deck=True)
                page.wait_for_timeout(500)
                sessions.append(
                    {
                        "frames": len(frames),
                        "bytes": sum(frames),
                        "largest": max(frames),
                    }
                )
                ctx.close()
        finally:
            browser.close()
    return {"sessions": sessions}


def _inventory() -> list[dict]:
    from monitor.store import DEFAULT_DATA_DIR, Store

    inv = Store(DEFAULT_DATA_DIR).inventory()
    return inv.to_dict(orient="records")


def run(quick: bool = False) -> Section:
    files = file_sizes()
    inventory = _inventory()
    decks = deck_payloads(n=3 if quick else 5)
    ws = websocket_bytes(reps=1 if quick else 2)
    file_rows = [
        [
            f"`{f['file']}`",
            fmt_bytes(f["bytes"]),
            f"{f['rows']:,}" if "rows" in f else "–",
            str(f.get("row_groups", "–")),
        ]
        for f in files
    ]
    total = sum(f["bytes"] for f in files)
    file_rows.append(["**total**", f"**{fmt_bytes(total)}**", "", ""])
    level_rows = [
        [
            r["level"],
            f"{int(r['n_areas']):,}",
            f"{int(r['n_values']):,}",
            f"{r['first_year']}–{r['last_year']}",
            f"{100 * r['suppressed_share']:.1f} %",
        ]
        for r in inventory
    ]
    deck_rows = []
    for level, d in decks.items():
        build = summarize(d["build_s"])
        to_json = summarize(d["to_json_s"])
        deck_rows.append(
            [
                level + (" (start page)" if level == "quartier" else ""),
                f"{d['areas']:,}",
                fmt_bytes(d["json_bytes"]),
                fmt_bytes(d["gzip_bytes"]),
                f"{d['bytes_per_area']:,.0f}",
                fmt_s(build.p50),
                fmt_s(to_json.p50),
            ]
        )
    per_cell = decks["raster"]["bytes_per_area"]
    ws_rows = [
        [
            str(i + 1),
            str(s["frames"]),
            fmt_bytes(s["bytes"]),
            fmt_bytes(s["largest"]),
        ]
        for i, s in enumerate(ws["sessions"])
    ]
    md = "\n\n".join(
        [
            "Command: `.venv/bin/python -m bench.run --only data_size"
            + (" --quick" if quick else "")
            + "`.",
            "Files in data/demo:",
            table(["file", "size", "rows", "row groups"], file_rows),
            "Areas and values per level (queries/data_inventory.sql):",
            table(["level", "areas", "values", "years", "suppressed"], level_rows),
            "Deck of the start page's map (Kinderarmut, latest year) and the same "
            "builder on the other levels; size of `Deck.to_json()`, which "
            "st.pydeck_chart sends on every rerun; build = align + classify + "
            "records + deck (p50):",
            table(
                [
                    "level",
                    "areas",
                    "deck JSON",
                    "gzip",
                    "bytes/area",
                    "build",
                    "to_json",
                ],
                deck_rows,
            ),
            f"At {per_cell:,.0f} bytes per raster cell, a PolygonLayer deck of "
            f"1,000,000 cells would be about {fmt_bytes(per_cell * 1e6)} per rerun.",
            "Websocket frames received by Chromium while `/` loads (CDP "
            "`Network.webSocketFrameReceived`, new browser context each time):",
            table(["session", "frames", "bytes", "largest frame"], ws_rows),
        ]
    )
    return Section(
        "data_size",
        "Data and payload size",
        md,
        {"files": files, "inventory": inventory, "decks": decks, "websocket": ws},
    )
