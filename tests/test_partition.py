"""Partitioned indicator values: the Store answers exactly as with one file."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from monitor.ingest.partition import (
    MANIFEST,
    PartitionError,
    main,
    partition_path,
    partition_values,
)
from monitor.store import DataError, Store
from tests.conftest import DEMO_DIR


@pytest.fixture(scope="module")
def parted_dir(tmp_path_factory):
    target = tmp_path_factory.mktemp("parted") / "data"
    partition_values(DEMO_DIR, target)
    return target


@pytest.fixture(scope="module")
def parted(parted_dir):
    return Store(parted_dir)


CASES = [
    (ind, year, level)
    for ind in ("kinderarmut", "einwohner", "sprachfoerderbedarf")
    for year in (2014, 2019, 2024, 1990)
    for level in ("stadt", "fokusgebiet", "stadtteil", "quartier", "raster")
]


def test_manifest_lists_every_file_and_the_level_fingerprints(parted_dir):
    manifest = json.loads((parted_dir / "indicator_values" / MANIFEST).read_text())
    files = sorted(parted_dir.glob("indicator_values/*/*/*/data.parquet"))
    assert manifest["n_files"] == len(files) > 1000
    assert manifest["n_rows"] == 125_679  # every row of the single file
    assert manifest["levels"]["raster"]["n_areas"] == 631
    # the demo is complete: every partition holds each area of its level once
    assert len(manifest["aligned"]) == len(files)
    assert not (parted_dir / "indicator_values.parquet").exists()


def test_partition_files_are_sorted_by_area(parted_dir):
    path = partition_path(
        parted_dir / "indicator_values", "kinderarmut", 2024, "raster"
    )
    ids = pd.read_parquet(path).area_id.tolist()
    assert ids == sorted(ids) and len(ids) == 631


@pytest.mark.parametrize("ind,year,level", CASES)
def test_level_values_and_arrays_equal_the_single_file(
    demo_store, parted, ind, year, level
):
    pd.testing.assert_frame_equal(
        demo_store.level_values(ind, year, level), parted.level_values(ind, year, level)
    )
    a, b = (
        demo_store.level_arrays(ind, year, level),
        parted.level_arrays(ind, year, level),
    )
    for name in ("value", "numerator", "denominator", "status"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_other_questions_equal_the_single_file(demo_store, parted):
    ids = list(demo_store.areas().area_id[:7])
    pd.testing.assert_frame_equal(demo_store.area_values(ids), parted.area_values(ids))
    pd.testing.assert_frame_equal(
        demo_store.level_panel("quartier"), parted.level_panel("quartier")
    )
    pd.testing.assert_frame_equal(
        demo_store.indicator_years(), parted.indicator_years()
    )
    pd.testing.assert_frame_equal(demo_store.inventory(), parted.inventory())


def test_suppressed_cells_come_as_nan_with_their_code(parted):
    arrays = parted.level_arrays("kinderarmut", 2024, "raster")
    suppressed = arrays.status == 1
    assert suppressed.any()
    assert np.isnan(arrays.value[suppressed]).all()
    assert np.isnan(arrays.numerator[suppressed]).all()
    assert not arrays.value.flags.writeable  # shared through a resource cache


def test_stale_fingerprint_falls_back_to_sql(parted_dir, tmp_path, demo_store):
    folder = tmp_path / "data"
    shutil.copytree(parted_dir, folder)
    path = folder / "indicator_values" / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["levels"]["raster"]["area_ids_sha1"] = "0" * 40  # areas changed since
    path.write_text(json.dumps(manifest))
    store = Store(folder)
    assert store._aligned_partition("kinderarmut", 2024, "raster") is None
    assert store._aligned_partition("kinderarmut", 2024, "quartier") is not None
    pd.testing.assert_frame_equal(
        store.level_values("kinderarmut", 2024, "raster"),
        demo_store.level_values("kinderarmut", 2024, "raster"),
    )


def test_incomplete_partition_is_read_through_sql(parted_dir, tmp_path, demo_store):
    folder = tmp_path / "data"
    shutil.copytree(parted_dir, folder)
    path = partition_path(folder / "indicator_values", "kinderarmut", 2024, "quartier")
    rows = pd.read_parquet(path)
    dropped = rows.area_id.iloc[3]
    rows.iloc[[i for i in range(len(rows)) if i != 3]].to_parquet(path, index=False)
    manifest_path = folder / "indicator_values" / MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["aligned"].remove("kinderarmut/2024/quartier")
    manifest_path.write_text(json.dumps(manifest))
    _republish_report(folder)  # fewer published cells: still protected
    store = Store(folder)
    frame = store.level_values("kinderarmut", 2024, "quartier").set_index("area_id")
    assert frame.loc[dropped, "status"] == "missing"
    assert len(frame) == 35
    expected = demo_store.level_values("kinderarmut", 2024, "quartier")
    kept = expected[expected.area_id != dropped].set_index("area_id")
    pd.testing.assert_frame_equal(frame.drop(index=dropped), kept)


def _republish_report(folder):
    """Let the folder's disclosure report match its (edited) values again."""
    import duckdb

    from monitor.catalog import load_catalog
    from monitor.store import DISCLOSURE_FILE, disclosure_fingerprint, read_count_model

    con = duckdb.connect()
    con.read_parquet(str(folder / "areas.parquet")).create_view("areas")
    con.read_parquet(
        str(folder / "indicator_values" / "*" / "*" / "*" / "*.parquet"),
        hive_partitioning=True,
    ).create_view("indicator_values")
    catalog_path = folder / "catalog" / "indicators.yaml"
    report = json.loads((folder / DISCLOSURE_FILE).read_text(encoding="utf-8"))
    report["fingerprint"] = disclosure_fingerprint(
        con, load_catalog(catalog_path), read_count_model(catalog_path)
    )
    (folder / DISCLOSURE_FILE).write_text(json.dumps(report), encoding="utf-8")


def test_hostile_ids_never_become_paths(parted):
    for indicator in ("../../etc/passwd", "kinderarmut/../x", "x' OR 1=1 --"):
        assert parted._aligned_partition(indicator, 2024, "raster") is None
        assert np.isnan(parted.level_arrays(indicator, 2024, "raster").value).all()
    assert parted._aligned_partition("kinderarmut", 2024, "../raster") is None


def test_broken_manifest_gives_a_german_message(parted_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(parted_dir, folder)
    (folder / "indicator_values" / MANIFEST).write_text("{kaputt")
    with pytest.raises(DataError, match="kein gültiges JSON"):
        Store(folder)
    (folder / "indicator_values" / MANIFEST).write_text('{"format": "other"}')
    with pytest.raises(DataError, match="unbekanntes Format"):
        Store(folder)


def test_folder_without_parquet_files_gives_a_german_message(tiny_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(tiny_dir, folder)
    (folder / "indicator_values.parquet").unlink()
    (folder / "indicator_values").mkdir()
    with pytest.raises(DataError, match="keine lesbaren Parquet-Dateien"):
        Store(folder)


def test_partitioner_never_overwrites_and_rejects_duplicates(tiny_dir, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    with pytest.raises(PartitionError, match="existiert schon"):
        partition_values(tiny_dir, target)
    assert main([str(tiny_dir), str(target)]) == 2  # German message, exit code 2

    doubled = tmp_path / "doubled"
    shutil.copytree(tiny_dir, doubled)
    values = pd.read_parquet(doubled / "indicator_values.parquet")
    pd.concat([values, values.iloc[:1]]).to_parquet(
        doubled / "indicator_values.parquet", index=False
    )
    with pytest.raises(PartitionError, match="mehrfach"):
        partition_values(doubled, tmp_path / "never")
    assert not (tmp_path / "never").exists()
