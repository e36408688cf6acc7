"""The status vocabulary (monitor/statuses.py) in the Store, the UI texts and the
exports; the data version in every export."""

from __future__ import annotations

import io
import json
import shutil

import numpy as np
import openpyxl
import pandas as pd
import pytest

from monitor import versions
from monitor.ingest.partition import partition_values
from monitor.statuses import STATUS_CODES, keep_source_statuses
from monitor.store import Store
from monitor.views import exports, geo_exports, map_tables
from monitor.views.legend import flag_notes, status_entries, status_tip
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB
from tests.import_root import EPPELBORN, INDICATOR, build_root

ILLINGEN, MERCHWEILER, NEUNKIRCHEN, OTTWEILER = (
    "10043112",
    "10043113",
    "10043114",
    "10043115",
)


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    folder = tmp_path_factory.mktemp("statuses") / "root"
    build_root(folder)
    return folder


@pytest.fixture(scope="module")
def store(root) -> Store:
    return Store(root)


def test_every_status_of_an_official_table_reaches_the_store(store):
    frame = store.area_values([EPPELBORN, ILLINGEN, MERCHWEILER, NEUNKIRCHEN])
    got = frame.set_index(["area_id", "year"])
    assert got.loc[(ILLINGEN, 2021), "value"] == 0  # "-" is a true zero
    assert got.loc[(ILLINGEN, 2021), "status"] == "ok"
    assert got.loc[(ILLINGEN, 2023), "status"] == "pending"  # "..."
    assert got.loc[(MERCHWEILER, 2021), "status"] == "suppressed"  # "."
    assert got.loc[(NEUNKIRCHEN, 2023), "status"] == "not_meaningful"  # "x"
    assert got.loc[(EPPELBORN, 2023), "flag"] == "p"
    assert got.loc[(NEUNKIRCHEN, 2022), "flag"] == "r"
    panel = store.level_panel("stadt").set_index(["area_id", "year"])
    assert panel.loc[(OTTWEILER, 2022), "status"] == "uncertain"  # "/"
    assert panel.loc[(OTTWEILER, 2021), "flag"] == "s"
    without = frame[frame.status != "ok"]
    assert without["value"].isna().all() and without["numerator"].isna().all()


def test_arrays_carry_the_new_status_codes_and_labels(store):
    arrays = store.level_arrays(INDICATOR, 2023, "stadt")
    ids = store.level_areas("stadt").area_id
    labels = dict(zip(ids, arrays.status_labels(), strict=True))
    assert labels[ILLINGEN] == "pending" and labels[NEUNKIRCHEN] == "not_meaningful"
    codes = dict(zip(ids, arrays.status, strict=True))
    assert codes[ILLINGEN] == STATUS_CODES.index("pending") == 3
    assert codes[EPPELBORN] == 0 and codes["10041100"] == 2  # no row: missing


def test_partitioned_values_keep_the_status_codes(store, tmp_path):
    parted = tmp_path / "parted"
    partition_values(store.data_dir, parted)
    other = Store(parted)
    for year in (2021, 2022, 2023):
        a = store.level_arrays(INDICATOR, year, "stadt")
        b = other.level_arrays(INDICATOR, year, "stadt")
        np.testing.assert_array_equal(a.status, b.status)
        np.testing.assert_array_equal(a.value, b.value)
    frame = other.level_values(INDICATOR, 2022, "stadt").set_index("area_id")
    assert frame.loc[OTTWEILER, "status"] == "uncertain"


def test_old_folders_read_as_before(tiny_store, demo_store):
    for old in (tiny_store, demo_store):
        frame = old.area_values(list(old.areas().area_id[:3]))
        assert set(frame.status) <= {"ok", "suppressed", "missing"}
        assert frame["flag"].isna().all()
        assert not old.version.versioned and old.root == old.data_dir


def test_the_on_load_path_keeps_source_statuses_and_flags(root, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(versions.current(root).path, folder)
    for path in folder.rglob("*"):
        path.chmod(path.stat().st_mode | 0o200)
    (folder / "disclosure.json").unlink()
    values = pd.read_parquet(folder / "indicator_values.parquet")
    values = values[values.area_id != MERCHWEILER]  # no counts behind its "."
    values.to_parquet(folder / "indicator_values.parquet", index=False)
    store = Store(folder)
    assert store.disclosure.origin == "on_load"
    got = store.area_values([ILLINGEN, EPPELBORN]).set_index(["area_id", "year"])
    assert got.loc[(ILLINGEN, 2023), "status"] == "pending"
    assert got.loc[(EPPELBORN, 2023), "flag"] == "p"


def test_source_statuses_come_back_after_the_disclosure_step():
    key = {"area_id": ["a", "b", "c"], "indicator_id": "i", "year": 2020}
    published = pd.DataFrame({**key, "status": ["missing", "suppressed", "ok"]})
    source = pd.DataFrame(
        {**key, "status": ["pending", "ok", "ok"], "flag": [None, "p", "r"]}
    )
    out = keep_source_statuses(published, source).set_index("area_id")
    assert out.loc["a", "status"] == "pending"
    assert out.loc["b", "status"] == "suppressed"  # the step's suppression wins
    assert out.loc["b", "flag"] is None  # no flag beside a secret cell
    assert out.loc["c", "flag"] == "r"


def test_legend_has_one_entry_per_status_that_occurs():
    entries = status_entries(
        {"ok": 4, "suppressed": 2, "pending": 1, "uncertain": 0}, "de", str
    )
    assert [(tuple(rgb), label, n) for rgb, label, n in entries] == [
        (tuple(SUPPRESSED_RGB), ". = aus Datenschutzgründen nicht ausgewiesen", "2"),
        (tuple(MISSING_RGB), "... = Angabe fällt später an", "1"),
    ]
    assert flag_notes(["p", None, "p,r", "()"], "de") == [
        "p = vorläufig",
        "r = berichtigt",
        "(Zahl) = Aussagewert eingeschränkt",
    ]
    assert status_tip("not_meaningful", "en") == "x = not meaningful"


def test_map_tables_show_the_sign_of_each_status_and_the_flags(store):
    values = store.level_values(INDICATOR, 2023, "stadt")
    table = map_tables.state_table(values, float("nan"))
    rows = table[table.area_id.isin([EPPELBORN, ILLINGEN, NEUNKIRCHEN])]
    ranked = map_tables.ranked_rows(rows, "count", "de", change=False)
    assert list(ranked["Wert"]) == ["1.198\u202fp", "...", "x"]
    styled = map_tables.display_table(rows, "count", "de", change=False).to_html()
    assert "1.198\u202fp" in styled and ">...<" in styled and ">x<" in styled
    assert "–" not in styled
    out = map_tables.export_frame(
        rows,
        indicator_id=INDICATOR,
        year=2023,
        level="stadt",
        classes=np.array([0, -1, -1]),
        class_labels=["a"],
        is_demo=False,
    )
    assert out["kennzeichen"].tolist()[0] == "p" and out["kennzeichen"][1:].isna().all()
    assert list(out["status"]) == ["ok", "pending", "not_meaningful"]


# -- the data version in every export --------------------------------------------------


def test_version_line_names_version_publication_and_data_date(store):
    meta = store.meta
    line = exports.data_version_text(
        meta.version_id, meta.published_at, "2023-12-31", "de"
    )
    day = meta.published_at[:10]
    assert line == (
        f"Datenversion {store.version.id} vom {day[8:10]}.{day[5:7]}.{day[:4]}"
        " · Datenstand: 31.12.2023"
    )
    csv = exports.with_version_line(
        exports.csv_bytes(pd.DataFrame({"a": [1.5]}), "de"), line
    )
    text = csv.decode("utf-8-sig")
    assert text.splitlines()[0] == f"# {line}"
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", comment="#")
    assert back["a"].tolist() == [1.5]


def test_xlsx_and_geojson_carry_the_version(store):
    xlsx = exports.workbook(
        [("Daten", pd.DataFrame({"a": [1]}))],
        catalog=store.catalog,
        indicator_ids=[INDICATOR],
        meta=store.meta,
        title="Test",
        sources=["Test"],
        lang="de",
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert store.version.id in book.properties.version
    notes = {r[0].value: r[1].value for r in book["Hinweise"].iter_rows()}
    assert store.version.id in notes["Datenversion"]
    geo = store.geometries("stadt").merge(
        store.level_values(INDICATOR, 2023, "stadt")[["area_id", "value", "status"]]
    )
    meta = geo_exports.MapExport(
        title="t",
        indicator_id=INDICATOR,
        unit="count",
        year=2023,
        level="stadt",
        data_version=store.meta.version_id,
        data_date="",
        is_demo=False,
        source="s",
        published_at=store.meta.published_at,
    )
    document = json.loads(geo_exports.geojson_bytes(geo, meta))
    assert document["metadata"]["data_version"] == store.version.id
    assert document["metadata"]["published"] == store.meta.published_at
