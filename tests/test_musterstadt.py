"""The second demo folder, Musterstadt: a fictitious town whose place comes from its
data alone (no place block in meta.json, no focus_id column)."""

from __future__ import annotations

import json
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from monitor.demo.musterstadt import METRIC_CRS, generate
from monitor.methods.disclosure.structure import area_groups
from monitor.store import Store
from tests.conftest import MUSTERSTADT_DIR

FILES = (
    "areas.parquet",
    "indicator_values.parquet",
    "benchmarks.parquet",
    "meta.json",
)


@pytest.fixture(scope="module")
def areas() -> gpd.GeoDataFrame:
    return gpd.read_parquet(MUSTERSTADT_DIR / "areas.parquet").to_crs(METRIC_CRS)


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(MUSTERSTADT_DIR)


def test_generator_is_deterministic_and_matches_the_committed_files(tmp_path):
    out = tmp_path / "musterstadt"
    shutil.copytree(MUSTERSTADT_DIR / "catalog", out / "catalog")
    generate(out)
    for name in FILES:
        assert (out / name).read_bytes() == (MUSTERSTADT_DIR / name).read_bytes(), name
    reports = [
        json.loads((folder / "disclosure.json").read_text(encoding="utf-8"))
        for folder in (out, MUSTERSTADT_DIR)
    ]
    for report in reports:
        report.pop("seconds")
    assert reports[0] == reports[1]


def test_shape_of_the_town_and_its_two_perspektivquartiere(areas):
    counts = areas.level.value_counts().to_dict()
    assert counts["stadtteil"] == 7 and counts["quartier"] == 19
    assert "focus_id" not in areas.columns  # the app derives it from the geometry
    cells = areas[areas.level == "raster"]
    np.testing.assert_allclose(np.sqrt(cells.area), 300, rtol=0.01)
    focus = areas[areas.level == "fokusgebiet"].set_index("area_id")
    assert len(focus) == 2
    assert ((focus.area / 1e4).between(30, 60)).all()
    assert focus.parent_id.to_dict() == {
        "pq-altstadt-bahnhof": "musterstadt",  # across a Stadtteil border
        "pq-huettenberg": "huettenberg",
    }


def test_the_store_derives_the_place_from_the_data(store):
    place = store.place
    assert place.city_id == "musterstadt" and place.city_name == "Musterstadt"
    assert place.focus_ids == ("pq-altstadt-bahnhof", "pq-huettenberg")
    assert [(b.id, b.role) for b in place.benchmarks] == [
        ("kreis", "region"),
        ("land", "other"),
    ]
    assert place.headline == ("kinderarmut_u18", "sgb2_quote", "arbeitslose")
    assert place.population == "einwohner"
    assert set(place.members_of("pq-altstadt-bahnhof")) >= {
        "altstadt-ost",
        "bahnhof-west",
    }
    assert store.disclosure.origin == "verified"


def test_published_counts_of_each_perspektivquartier_add_up(areas, store):
    members = store.focus_members
    groups = area_groups(areas.assign(focus_id=areas.area_id.map(members)))
    focus = groups[groups.group_id.str.endswith("#focus")]
    assert sorted(focus.part_id) == sorted(
        ["altstadt-ost", "bahnhof-west", "huettenberg-hang", "huettenberg-siedlung"]
    )
    values = pd.read_parquet(MUSTERSTADT_DIR / "indicator_values.parquet")
    shown = values[(values.status == "ok") & (values.indicator_id == "einwohner")]
    by = shown.set_index(["area_id", "year"]).numerator
    for total, parts in focus.groupby("total_id").part_id:
        for year in (2018, 2024):
            assert by[(total, year)] == sum(by[(p, year)] for p in parts)


def test_no_text_of_the_folder_names_neunkirchen():
    texts = [
        (MUSTERSTADT_DIR / "meta.json").read_text(encoding="utf-8"),
        (MUSTERSTADT_DIR / "catalog" / "indicators.yaml").read_text(encoding="utf-8"),
        " ".join(pd.read_parquet(MUSTERSTADT_DIR / "areas.parquet").name),
        " ".join(pd.read_parquet(MUSTERSTADT_DIR / "benchmarks.parquet").name_de),
    ]
    assert not any("neunkirchen" in text.lower() for text in texts)
