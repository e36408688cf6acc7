"""The store on the tiny fixture: suppression masking, questions, broken folders."""

from __future__ import annotations

import shutil

import pytest

from monitor.store import QUERY_DIR, DataError, Store


def test_level_values_never_return_numbers_for_suppressed_cells(tiny_store):
    df = tiny_store.level_values("kinderarmut", 2021, "quartier").set_index("area_id")
    assert list(df.index) == ["q1", "q2", "q3"]
    assert df.loc["q2", "status"] == "suppressed"
    assert (
        df.loc[["q1", "q2"], ["numerator", "denominator", "value"]].isna().all().all()
    )
    assert df.loc["q3", "value"] == 20.0
    assert df.loc["q3", "numerator"] == 20


def test_level_values_mark_missing_years(tiny_store):
    df = tiny_store.level_values("kinderarmut", 1999, "quartier")
    assert (df.status == "missing").all()


def test_area_values_and_benchmarks(tiny_store):
    df = tiny_store.area_values(["c", "fq"])
    assert set(df.area_id) == {"c", "fq"}
    fq = df[(df.area_id == "fq") & (df.indicator_id == "kinderarmut")]
    assert fq[fq.year == 2021].value.isna().all()
    bench = tiny_store.benchmark_values(["kinderarmut"])
    assert list(bench.value) == [18.0, 19.0]


def test_geometries_come_back_as_geodataframe(tiny_store):
    gdf = tiny_store.geometries("stadtteil")
    assert list(gdf.area_id) == ["s1", "s2"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].bounds == (7.0, 49.0, 7.1, 49.1)


def test_hostile_parameters_are_data_not_sql(tiny_store):
    df = tiny_store.level_values("kinderarmut' OR 1=1 --", 2021, "quartier")
    assert df.value.isna().all()
    assert tiny_store.area_values(["c'); DROP TABLE areas; --"]).empty
    assert len(tiny_store.areas()) == 7


def test_every_query_file_is_used_by_the_store():
    source = (QUERY_DIR.parent / "monitor" / "store.py").read_text()
    for path in QUERY_DIR.glob("*.sql"):
        assert f'"{path.stem}"' in source, path.name


@pytest.mark.parametrize(
    "breakage,expected",
    [
        ("no_folder", "existiert nicht"),
        ("no_values", "fehlt die Datei indicator_values.parquet"),
        ("garbage_parquet", "keine lesbare Parquet-Datei"),
        ("missing_column", "fehlen die Spalten"),
        ("bad_yaml", "kein gültiges YAML"),
        ("no_catalog", "Indikatorenkatalog fehlt"),
        ("bad_meta", "meta.json ist kein gültiges JSON"),
    ],
)
def test_broken_data_folders_give_a_german_message(
    tiny_dir, tmp_path, breakage, expected
):
    folder = tmp_path / "data"
    shutil.copytree(tiny_dir, folder)
    if breakage == "no_folder":
        folder = tmp_path / "nowhere"
    elif breakage == "no_values":
        (folder / "indicator_values.parquet").unlink()
    elif breakage == "garbage_parquet":
        (folder / "areas.parquet").write_bytes(b"this is not parquet")
    elif breakage == "missing_column":
        import pandas as pd

        # a required file (a broken optional one: tests/security/test_broken_files.py)
        pd.DataFrame({"area_id": ["x"]}).to_parquet(folder / "areas.parquet")
    elif breakage == "bad_yaml":
        (folder / "catalog" / "indicators.yaml").write_text("indicators: [\n  - {")
    elif breakage == "no_catalog":
        (folder / "catalog" / "indicators.yaml").unlink()
    elif breakage == "bad_meta":
        (folder / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match=expected):
        Store(folder)


def test_each_thread_gets_its_own_cursor(tiny_store):
    import threading

    cursors = []

    def work():
        cursors.append(id(tiny_store.cursor))
        for _ in range(20):
            assert len(tiny_store.level_values("kinderarmut", 2020, "quartier")) == 3

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(cursors)) == 4


def test_cache_key_names_the_folder_and_its_data_version(tiny_store):
    """Cached results of the UI are keyed by it (monitor.ui.data.STORE_HASH): a
    republished folder (new data_version in meta.json) gets new cache entries."""
    key = tiny_store.cache_key
    assert str(tiny_store.data_dir) in key
    assert tiny_store.meta.data_version in key


# -- confidentiality: reports, protection on load, the masking view -------------------


def test_the_demo_folder_is_verified_by_its_report(demo_store):
    assert demo_store.disclosure.origin == "verified"
    report = demo_store.disclosure.report
    assert report["passed"] and report["min_width"] >= report["min_required"]


def test_a_folder_without_report_is_suppressed_on_load(tiny_dir, tmp_path):
    import pandas as pd

    folder = tmp_path / "raw"
    shutil.copytree(tiny_dir, folder)
    values = pd.read_parquet(folder / "indicator_values.parquet")
    values["status"] = "ok"  # a city's own folder: counts, nothing suppressed
    values.to_parquet(folder / "indicator_values.parquet", index=False)
    store = Store(folder)
    assert store.disclosure.origin == "on_load"
    assert store.disclosure.report["passed"]
    frame = store.level_values("kinderarmut", 2021, "quartier").set_index("area_id")
    # q2 has 2 children in SGB II; q1 is the complement (s1 = q1 + q2 is shown)
    assert list(frame.status) == ["suppressed", "suppressed", "ok"]
    assert frame.loc[["q1", "q2"], ["numerator", "value"]].isna().all().all()
    focus = store.area_values(["fq"]).set_index(["indicator_id", "year"])
    assert focus.loc[("kinderarmut", 2021), "status"] == "suppressed"  # fq is q1


def test_published_files_edited_afterwards_are_refused(tmp_path):
    import pandas as pd

    from tests.conftest import DEMO_DIR

    folder = tmp_path / "edited"
    shutil.copytree(DEMO_DIR, folder)
    values = pd.read_parquet(folder / "indicator_values.parquet")
    values.loc[values.status == "ok", "numerator"] += 1
    values.to_parquet(folder / "indicator_values.parquet", index=False)
    with pytest.raises(DataError, match="passen nicht zu seinem Geheimhaltungsbericht"):
        Store(folder)


def test_large_or_partitioned_folders_without_report_are_refused(
    tiny_dir, tmp_path, monkeypatch
):
    import monitor.store as store_module

    monkeypatch.setattr(store_module, "ON_LOAD_LIMIT", 10)
    with pytest.raises(DataError, match="zu groß"):
        Store(tiny_dir)
    from monitor.ingest.partition import partition_values

    target = tmp_path / "parted"
    partition_values(tiny_dir, target)
    monkeypatch.setattr(store_module, "ON_LOAD_LIMIT", 10**6)
    with pytest.raises(DataError, match="partitionierter Ordner"):
        Store(target)


def test_the_view_applies_the_catalogue_threshold_to_any_row(tiny_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(tiny_dir, folder)
    store = Store(folder)
    # a status changed behind the publish step's back: the 2 stays secret
    store._con.execute(
        "UPDATE indicator_values SET status = 'ok', numerator = 2, "
        "denominator = 50, value = 4 WHERE area_id = 'q2' AND year = 2021 "
        "AND indicator_id = 'kinderarmut'"
    )
    frame = store.level_values("kinderarmut", 2021, "quartier").set_index("area_id")
    assert frame.loc["q2", "status"] == "suppressed"
    assert frame.loc["q2", ["numerator", "denominator", "value"]].isna().all()


def test_a_folder_published_by_the_command_is_verified(tiny_dir, tmp_path):
    import json

    import pandas as pd

    from monitor.ingest.publish import main

    raw = tmp_path / "raw"
    shutil.copytree(tiny_dir, raw)
    target = tmp_path / "published"
    assert main([str(raw), str(target)]) == 0
    assert main([str(raw), str(target)]) == 2  # never overwrites
    report = json.loads((target / "disclosure.json").read_text(encoding="utf-8"))
    assert report["passed"] and report["fingerprint"]
    values = pd.read_parquet(target / "indicator_values.parquet")
    hidden = values[values.status == "suppressed"]
    assert len(hidden) == 3  # q1, q2 and fq in 2021
    assert hidden[["numerator", "denominator", "value"]].isna().all().all()
    store = Store(target)
    assert store.disclosure.origin == "verified"
    assert store.disclosure.report["fingerprint"] == report["fingerprint"]
