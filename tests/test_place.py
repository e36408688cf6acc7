"""The place of a data folder: city, Perspektivquartiere, benchmarks from data."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from monitor.place import PlaceError, build_place


def _areas() -> gpd.GeoDataFrame:
    rows = [
        ("town", "Musterstadt", "stadt", box(0, 0, 10, 10)),
        ("north", "Nord", "stadtteil", box(0, 5, 10, 10)),
        ("south", "Süd", "stadtteil", box(0, 0, 10, 5)),
        ("pq-a", "Quartier A", "fokusgebiet", box(1, 6, 3, 9)),
        ("pq-b", "Quartier B", "fokusgebiet", box(4, 4.5, 6, 4.9)),
        ("q1", "Q1", "quartier", box(0, 5, 5, 10)),
    ]
    return gpd.GeoDataFrame(
        rows, columns=["area_id", "name", "level", "geometry"], crs="EPSG:25832"
    )


BENCH = pd.DataFrame(
    {
        "benchmark_id": ["kreis", "land", "kreis"],
        "name_de": ["Kreis Beispiel", "Beispielland", "Kreis Beispiel"],
        "name_en": ["Example district", "", "Example district"],
        "indicator_id": ["x", "x", "y"],
        "year": [2020, 2020, 2020],
        "value": [1.0, 2.0, 3.0],
    }
)


def test_defaults_come_from_the_data():
    place = build_place(_areas(), BENCH, {"title": "Musterstadt"}, ["x", "y", "z"])
    assert place.city_id == "town"
    assert place.focus_ids == ("pq-a", "pq-b")
    assert dict(place.context_ids) == {"pq-a": "north", "pq-b": "south"}
    assert [b.id for b in place.benchmarks] == ["kreis", "land"]
    assert place.region.name("de") == "Kreis Beispiel"
    assert place.benchmark("land").name("en") == "Beispielland"  # falls back to de
    assert place.headline == ("x", "y", "z")
    assert place.default_level == "quartier"
    assert place.default_areas() == ("pq-a", "north")
    assert place.area_name("pq-b") == "Quartier B"


def test_meta_overrides_every_default():
    meta = {
        "title": "T",
        "title_en": "T en",
        "place": {
            "city": "town",
            "focus": ["pq-b"],
            "context": {"pq-b": "north"},
            "benchmarks": [{"id": "land", "role": "state"}, {"id": "kreis"}],
            "headline": ["y"],
            "default_level": "stadtteil",
        },
    }
    place = build_place(_areas(), BENCH, meta, ["x", "y"])
    assert place.focus_ids == ("pq-b",)
    assert dict(place.context_ids) == {"pq-b": "north"}
    assert place.region is None
    assert [(b.id, b.role) for b in place.benchmarks] == [
        ("land", "state"),
        ("kreis", "other"),
    ]
    assert (place.headline, place.default_indicator) == (("y",), "y")
    assert place.title("en") == "T en"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"focus": ["nowhere"]}, "nowhere"),
        ({"city": "atlantis"}, "atlantis"),
        ({"benchmarks": [{"id": "mars"}]}, "mars"),
        ({"benchmarks": [{"id": "kreis", "role": "galaxy"}]}, "galaxy"),
        ({"headline": ["unknown"]}, "unknown"),
        ({"default_level": "planet"}, "planet"),
        ({"context": ["pq-a"]}, "Paare"),
        ("kaputt", "Objekt"),
    ],
)
def test_bad_meta_is_a_german_error(spec, message):
    with pytest.raises(PlaceError, match=message):
        build_place(_areas(), BENCH, {"place": spec}, ["x"])


def test_a_folder_without_focus_area_or_benchmarks_still_has_a_place():
    areas = _areas()
    areas = areas[areas.level != "fokusgebiet"]
    place = build_place(areas, BENCH.iloc[0:0], {}, ["x"])
    assert place.focus_ids == () and place.focus_id is None
    assert place.benchmarks == () and place.region is None
    assert place.default_areas() == ()


def test_population_short_names_members_and_the_context_from_the_parent():
    areas = _areas().assign(parent_id=["", "town", "town", "north", "town", "north"])
    meta = {
        "place": {
            "benchmarks": [
                {"id": "kreis", "role": "region", "short_de": "Kreis"},
                {"id": "land", "role": "state"},
            ],
            "population": "y",
        }
    }
    place = build_place(
        areas, BENCH, meta, ["x", "y"], count_ids=["x"], members={"q1": "pq-a"}
    )
    assert place.population == "y"
    assert build_place(areas, BENCH, {}, ["x", "y"], count_ids=["x"]).population == "x"
    region = place.region
    assert (region.short("de"), region.short("en")) == ("Kreis", "Example district")
    assert place.benchmark("land").short("de") == "Beispielland"
    # pq-a's parent is the Stadtteil north; pq-b has none: the geometry decides
    assert dict(place.context_ids) == {"pq-a": "north", "pq-b": "south"}
    assert place.focus_of("q1") == "pq-a" and place.focus_of("pq-b") == "pq-b"
    assert place.focus_of("north") is None
    assert place.members_of("pq-a") == ("q1",)
    assert place.default_area == "pq-a"
    assert place.city_name == "Musterstadt"


def test_levels_of_the_whole_data_decide_the_default_level():
    areas = _areas()
    areas = areas[areas.level.isin(["stadt", "fokusgebiet"])]
    place = build_place(areas, BENCH, {}, ["x"], levels=["stadt", "raster"])
    assert place.default_level == "raster"


def test_a_folder_without_focus_area_shows_the_city():
    areas = _areas()
    place = build_place(areas[areas.level != "fokusgebiet"], BENCH, {}, ["x"])
    assert place.default_area == "town"
    with pytest.raises(PlaceError, match="population"):
        build_place(areas, BENCH, {"place": {"population": "nope"}}, ["x"])
