"""monitor/ui/shared_frames.py: one cached frame, no caller can change it for another.

The guarantee is pandas 3's copy on write; these tests hold it to the changes the
pages make to frames they read (new columns, set values, sort, rename, index,
attrs, geometry), so a pandas that shares differently fails here first.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from monitor.ui.shared_frames import cache_frames, shallow


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"value": [1.0, 2.0, 3.0], "name": ["a", "b", "c"]},
        index=pd.Index(["q1", "q2", "q3"], name="area_id"),
    )


CHANGES = {
    "new column": lambda f: f.__setitem__("label", "x"),
    "set with loc": lambda f: f.loc.__setitem__(("q1", "value"), -1.0),
    "set with iloc": lambda f: f.iloc.__setitem__((0, 0), -1.0),
    "replace a column": lambda f: f.__setitem__("name", f["name"].str.upper()),
    "rename columns": lambda f: f.rename(columns={"value": "v"}, inplace=True),
    "sort in place": lambda f: f.sort_values("value", ascending=False, inplace=True),
    "index name": lambda f: setattr(f.index, "name", "other"),
    "reset index": lambda f: f.reset_index(inplace=True),
    "attrs": lambda f: f.attrs.__setitem__("note", "changed"),
    "drop rows": lambda f: f.drop(index="q2", inplace=True),
}


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_of_a_shallow_copy_stays_with_it(change):
    original = _frame()
    before = original.copy(deep=True)
    copy = shallow(original)
    CHANGES[change](copy)
    pd.testing.assert_frame_equal(original, before)
    assert original.attrs == {}


def test_arrays_of_a_shallow_copy_are_read_only():
    numbers = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]})
    copy = shallow(numbers)
    with pytest.raises(ValueError, match="read-only"):
        copy["a"].to_numpy()[0] = 9.0
    with pytest.raises(ValueError, match="read-only"):
        copy.values[0, 0] = 9.0
    assert numbers.a.tolist() == [1.0, 2.0]


def test_geometries_stay_with_the_copy():
    original = gpd.GeoDataFrame(
        {"area_id": ["q1", "q2"]}, geometry=[Point(0, 0), Point(1, 1)], crs=4326
    )
    copy = shallow(original)
    copy.loc[0, "geometry"] = Point(5, 5)
    copy.set_crs(25832, allow_override=True, inplace=True)
    assert isinstance(copy, gpd.GeoDataFrame)
    assert original.geometry.iloc[0].equals(Point(0, 0))
    assert original.crs.to_epsg() == 4326


def test_tuples_and_immutable_values_pass_and_the_rest_is_refused():
    frame, series, label = shallow((_frame(), _frame().value, "x"))
    assert isinstance(frame, pd.DataFrame) and isinstance(series, pd.Series)
    assert label == "x"
    for value in ([1, 2], {"a": 1}, np.arange(3), {1}):
        with pytest.raises(TypeError, match="cache_frames shares"):
            shallow(value)


def test_one_entry_per_key_by_position_or_by_name():
    calls: list[tuple] = []

    @cache_frames(max_entries=4)
    def frame_for(level: str, year: int, _unhashed: object = None) -> pd.DataFrame:
        calls.append((level, year))
        return _frame().assign(level=level, year=year)

    frame_for.clear()
    first = frame_for("quartier", 2024)
    again = frame_for(level="quartier", year=2024, _unhashed=object())
    third = frame_for("quartier", year=2024)
    assert calls == [("quartier", 2024)]
    assert first is not again and first is not third  # a copy per caller
    assert np.shares_memory(first["value"].to_numpy(), again["value"].to_numpy())
    frame_for("stadtteil", 2024)
    assert len(calls) == 2
    frame_for.clear()
    frame_for("quartier", 2024)
    assert len(calls) == 3
