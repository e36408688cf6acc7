"""A copy of data/demo whose every text is hostile (for tests/security/).

Names of areas, the catalogue (indicator names, explanations, numerator and
denominator texts, sources, domains), benchmarks, goals, measures, progress
reports, points, workshop sequences, meta.json and entries of the edit log get
HTML/JavaScript (``<script>``, ``<img onerror>``, ``javascript:`` links), formula
starts (``=``, ``+``, ``-``, ``@``), right-to-left overrides, zero-width
characters and 5,000-character strings.

Only texts change: the disclosure report fingerprints the area tree, the
catalogue's rules and the values, not names (monitor/store.py,
``disclosure_fingerprint``), so the copy stays "verified" without republishing.
Every hostile script sets ``window.__pwned``: a browser test asserts it stays
unset.
"""

from __future__ import annotations

import json
import shutil
from itertools import cycle
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from monitor.programme.jsonl import JsonLinesLog
from tests.conftest import DEMO_DIR

__all__ = ["HOSTILE", "LONG", "build_hostile_dir", "hostile_names"]

SCRIPT = "<script>window.__pwned=1</script>Skript"
IMG = '<img src=x onerror="window.__pwned=1">Bild'
JS_LINK = "[Klick](javascript:window.__pwned=1) Link"
FORMULA = '=HYPERLINK("http://angreifer.example","x")'
PLUS = "+1+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
RTL = "Gebiet \u202eNAMREH\u202c Ende"
ZERO_WIDTH = "Null\u200bbreite\u200d Zei\ufeffchen"
LONG = "Langer Name " + "x" * 4988  # 5,000 characters
HOSTILE = (SCRIPT, IMG, JS_LINK, FORMULA, PLUS, MINUS, AT, RTL, ZERO_WIDTH, LONG)
# the shown area names (the page default and its comparison areas)
NAMED = {
    "perspektivquartier": SCRIPT,
    "innenstadt": IMG,
    "neunkirchen": FORMULA,
    "innenstadt-oberstadt": LONG,
    "furpach": JS_LINK,
    "hangard": RTL,
    "wellesweiler": ZERO_WIDTH,
    "kohlhof": PLUS,
}


def hostile_names(ids) -> dict[str, str]:
    """A hostile name per id (the named ones first, then the others in turn,
    made unique by the id)."""
    others = cycle(HOSTILE)
    return {i: NAMED[i] if i in NAMED else f"{next(others)} {i}" for i in ids}


def _texts(frame: pd.DataFrame, columns, tag: str) -> pd.DataFrame:
    texts = cycle(HOSTILE)
    for column in columns:
        if column in frame:
            frame[column] = [
                f"{next(texts)} {tag}{n}" if pd.notna(v) else v
                for n, v in enumerate(frame[column])
            ]
    return frame


def _rewrite(path: Path, columns, tag: str) -> None:
    frame = pd.read_parquet(path)
    _texts(frame, columns, tag).to_parquet(path, index=False)


def _catalogue(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = cycle(HOSTILE)
    for domain in raw["domains"]:
        domain["name_de"] = f"{next(texts)} {domain['id']}"
    for ind in raw["indicators"]:
        for key in ("name", "explanation", "numerator", "denominator", "source"):
            if f"{key}_de" in ind:
                ind[f"{key}_de"] = f"{next(texts)} {ind['id']}"
        for note in ind.get("notes") or []:
            note["de"] = next(texts)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def _sequences(folder: Path) -> None:
    for path in folder.glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        raw["title_de"] = SCRIPT
        for step in raw["steps"]:
            step["title_de"], step["note_de"] = IMG, JS_LINK
        path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")


def _edit_log(edit_dir: Path, data_dir: Path, measure_id: str, goal_id: str) -> None:
    """Entries as the app writes them (monitor.ui.auth.edit_folder's place)."""
    log = JsonLinesLog(edit_dir / "programm" / data_dir.name)
    log.append(
        "progress",
        measure_id,
        {"date": "2025-06-01", "value": 3.0, "status": None, "comment": SCRIPT},
        IMG,
    )
    log.append("status", measure_id, {"status": "delayed", "comment": FORMULA}, AT)
    log.append("measure", measure_id, {"title": RTL, "lead": JS_LINK}, PLUS)
    log.append("goal", goal_id, {"title": ZERO_WIDTH}, MINUS)


def _rename_areas(path: Path) -> None:
    """New names, everything else as written (DuckDB keeps the geometry type that
    a round trip through pandas would lose)."""
    con = duckdb.connect()
    ids = con.execute("SELECT area_id FROM read_parquet(?)", [str(path)]).df()
    names = pd.DataFrame(hostile_names(ids.area_id).items(), columns=["id", "new"])
    con.register("names", names)
    out = path.with_suffix(".tmp")
    con.execute(
        f"COPY (SELECT a.* REPLACE (n.new AS name) FROM read_parquet('{path}') a "
        f"JOIN names n ON n.id = a.area_id ORDER BY a.area_id) TO '{out}' "
        "(FORMAT parquet)"
    )
    con.close()
    out.replace(path)


def build_hostile_dir(root: Path) -> tuple[Path, Path]:
    """(data folder, edit folder) under ``root``."""
    data_dir, edit_dir = root / "feindlich", root / "edits"
    shutil.copytree(DEMO_DIR, data_dir)
    _rename_areas(data_dir / "areas.parquet")
    _rewrite(data_dir / "benchmarks.parquet", ("name_de", "name_en"), "b")
    _rewrite(data_dir / "goals.parquet", ("title", "working_group_name", "source"), "g")
    _rewrite(
        data_dir / "measures.parquet",
        ("title", "lead", "output_indicator", "comment", "source"),
        "m",
    )
    _rewrite(data_dir / "progress_reports.parquet", ("comment", "reported_by"), "p")
    _rewrite(data_dir / "points.parquet", ("name", "address", "source"), "o")
    _catalogue(data_dir / "catalog" / "indicators.yaml")
    _sequences(data_dir / "ablaeufe")
    meta = json.loads((data_dir / "meta.json").read_text(encoding="utf-8"))
    meta.update(title=SCRIPT, attribution=JS_LINK + " " + IMG, note_de=FORMULA)
    (data_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    measures = pd.read_parquet(data_dir / "measures.parquet")
    goals = pd.read_parquet(data_dir / "goals.parquet")
    _edit_log(edit_dir, data_dir, measures.measure_id.iloc[0], goals.goal_id.iloc[0])
    return data_dir, edit_dir
