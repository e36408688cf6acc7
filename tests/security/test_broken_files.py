"""Broken files never take the app down.

Optional files (benchmarks, goals, measures, progress reports, points, the
workshop sequences) may be missing; a corrupt or unreadable one is left out and
named on the pages that need it, while every other page shows its content. A
broken required file (areas, indicator values) gives the German data error page.

"Unreadable" is simulated with a folder in place of the file and a named pipe:
the tests run as root, for whom ``chmod 000`` does not block reading. A pipe is
the dangerous case (reading it blocks the server): the Store never opens it.

The matrix (case x page: content / German message) is in docs/ARCHITECTURE.md,
"Broken files".
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from monitor.i18n import t
from monitor.store import OPTIONAL_COLUMNS, DataError, Store
from monitor.viewstate import PAGES
from tests.apptest import open_page
from tests.conftest import DEMO_DIR
from tests.security.hostile_support import error_shown

OPTIONAL = [name.removesuffix(".parquet") for name in OPTIONAL_COLUMNS]
FILE_NOTE = t("errors.file_problem", "de", message="").split(":")[0]
DATA_TITLE = t("errors.data_title", "de")
NO_DATA_INFO = {
    "ziele": t("ziele.no_goals", "de"),
    "massnahmen": t("massnahmen.no_measures", "de"),
}
# the optional tables each page shows (layout.start_page(..., needs=...))
NEEDS = {
    "uebersicht": {"benchmarks"},
    "vergleich": {"benchmarks"},
    "entwicklung": {"benchmarks"},
    "profil": {"benchmarks", "measures"},
    "ziele": {"goals", "measures", "progress_reports"},
    "massnahmen": {"measures", "progress_reports", "goals"},
    "methodik": set(OPTIONAL),  # the data holdings list every broken file
}


def break_file(path: Path, case: str) -> None:
    """Damage ``path`` in the way ``case`` names."""
    data = path.read_bytes() if path.is_file() else b""
    if path.is_file():
        path.unlink()
    if case == "missing":
        return
    if case == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif case == "wrong_schema":
        pd.DataFrame({"spalte": ["x"], "wert": [1]}).to_parquet(path)
    elif case == "empty":
        path.write_bytes(b"")
    elif case == "unreadable":
        path.mkdir()  # root reads a chmod-000 file; a folder it cannot read
    elif case == "pipe":
        os.mkfifo(path)
    elif case == "damaged":
        # footer intact, data pages overwritten: fails only when read in full
        middle = bytearray(data)
        for i in range(4, len(middle) - 2048):
            middle[i] = 0xA5
        path.write_bytes(bytes(middle))
    else:
        raise ValueError(case)


def broken_folder(tmp_path: Path, case: str, files: list[str]) -> Path:
    folder = tmp_path / f"daten_{case}"
    shutil.copytree(DEMO_DIR, folder)
    for name in files:
        break_file(folder / name, case)
    return folder


CASES = ["truncated", "wrong_schema", "empty", "unreadable", "pipe", "damaged"]


# -- the Store: each optional file, each case -------------------------------------
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("table", OPTIONAL)
def test_a_broken_optional_file_is_left_out_and_named(tmp_path, case, table):
    folder = broken_folder(tmp_path, case, [f"{table}.parquet"])
    store = Store(folder)
    assert set(store.problems) == {table}
    assert f"{table}.parquet" in store.problems[table]
    assert table not in store.optional_tables
    assert set(OPTIONAL) - {table} <= store.optional_tables
    frame = {
        "benchmarks": lambda: store.benchmark_values(["kinderarmut"]),
        "goals": store.goals,
        "measures": store.measures,
        "progress_reports": store.progress_reports,
        "points": store.points,
    }[table]()
    assert frame.empty and len(frame.columns)


@pytest.mark.parametrize("table", OPTIONAL)
def test_a_missing_optional_file_is_no_problem(tmp_path, table):
    store = Store(broken_folder(tmp_path, "missing", [f"{table}.parquet"]))
    assert store.problems == {}
    assert table not in store.optional_tables


@pytest.mark.parametrize("case", CASES + ["missing"])
@pytest.mark.parametrize("name", ["areas.parquet", "indicator_values.parquet"])
def test_a_broken_required_file_gives_a_german_message(tmp_path, case, name):
    folder = broken_folder(tmp_path, case, [name])
    with pytest.raises(DataError) as err:
        Store(folder)
    assert name in str(err.value) or "Indikatorwerte" in str(err.value)


@pytest.mark.parametrize("name", ["meta.json", "catalog/indicators.yaml"])
@pytest.mark.parametrize("case", ["unreadable", "pipe", "empty"])
def test_broken_meta_and_catalogue_give_a_german_message(tmp_path, name, case):
    folder = broken_folder(tmp_path, case, [name])
    with pytest.raises(DataError):
        Store(folder)


@pytest.mark.parametrize("case", ["pipe", "unreadable", "truncated"])
def test_a_broken_disclosure_report_gives_a_german_message(tmp_path, case):
    """Published values keep no counts of suppressed cells, so without their
    report they cannot be protected again: refused, never shown unprotected."""
    folder = broken_folder(tmp_path, case, ["disclosure.json"])
    with pytest.raises(DataError, match="Geheimhaltungsbericht"):
        Store(folder)


# -- every page, per case ---------------------------------------------------------
def page_outcome(page_id: str, folder: Path, monkeypatch, tmp_path) -> str:
    """``content``, ``message`` (German note of a broken file), ``no data`` (the
    page's German notice that the optional data is absent) or ``data error``."""
    monkeypatch.setenv("QM_DATA_DIR", str(folder))
    monkeypatch.setenv("QM_EDIT_DIR", str(tmp_path / "edits"))
    at = open_page(page_id, check=False)
    assert not at.exception, at.exception
    assert error_shown(at) is None, [e.value for e in at.error]
    if any(DATA_TITLE in str(e.value) for e in at.error):
        return "data error"
    assert at.title, "every page shows its title"
    noted = any(FILE_NOTE in str(w.value) for w in at.warning)
    if page_id in NO_DATA_INFO and any(
        NO_DATA_INFO[page_id] in str(i.value) for i in at.info
    ):
        return "message, no data" if noted else "no data"
    return "message" if noted else "content"


def expected(page_id: str, case: str) -> str:
    needs = NEEDS.get(page_id, set())
    noted = case != "missing" and bool(needs)
    if page_id in NO_DATA_INFO:
        return "message, no data" if noted else "no data"
    return "message" if noted else "content"


@pytest.mark.parametrize("case", ["missing", *CASES[:4]])
def test_every_page_with_broken_optional_files(tmp_path, monkeypatch, case):
    """All optional files broken the same way: which pages show their content,
    which a German note (and which a German "no data" notice)."""
    folder = broken_folder(tmp_path, case, [f"{t}.parquet" for t in OPTIONAL])
    shutil.rmtree(folder / "ablaeufe")  # optional too
    outcome = {p.id: page_outcome(p.id, folder, monkeypatch, tmp_path) for p in PAGES}
    assert outcome == {p.id: expected(p.id, case) for p in PAGES}


def test_every_page_with_a_broken_required_file(tmp_path, monkeypatch):
    folder = broken_folder(tmp_path, "truncated", ["areas.parquet"])
    outcome = {p.id: page_outcome(p.id, folder, monkeypatch, tmp_path) for p in PAGES}
    assert set(outcome.values()) == {"data error"}


def test_broken_workshop_sequences_are_named_and_the_rest_works(tmp_path, monkeypatch):
    folder = broken_folder(tmp_path, "missing", [])
    (folder / "ablaeufe" / "kaputt.yaml").write_text("steps: [\n  - {", "utf-8")
    (folder / "ablaeufe" / "ordner.yaml").mkdir()
    os.mkfifo(folder / "ablaeufe" / "rohr.yaml")
    monkeypatch.setenv("QM_DATA_DIR", str(folder))
    monkeypatch.setenv("QM_EDIT_DIR", str(tmp_path / "edits"))
    at = open_page("ablauf", check=False)
    assert not at.exception
    warning = "\n".join(str(w.value) for w in at.warning)
    for name in ("kaputt.yaml", "ordner.yaml", "rohr.yaml"):
        assert name in warning
    assert (
        any("ag-arbeit" in str(o) for o in at.selectbox(key="w_ablauf_wahl").options)
        or len(at.selectbox(key="w_ablauf_wahl").options) > 1
    )
    assert page_outcome("karte", folder, monkeypatch, tmp_path) == "content"
