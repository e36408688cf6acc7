"""Which Perspektivquartier an area lies in, and the disclosure structure built
from it when a data folder has several of them."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from monitor.methods.disclosure.structure import (
    CountModel,
    area_groups,
    build_system,
)
from monitor.methods.focus_membership import FocusMembershipError, focus_members


def _town(with_geometry: bool = True) -> pd.DataFrame:
    """Town T: Stadtteile A (Quartiere A1, A2, A3) and B (B1, B2); focus F1 = A1 +
    B1 across the border (parent: the town), focus F2 = A3 (parent A); A1 has two
    raster cells."""
    rows = [
        ("T", "stadt", None, False, box(0, 0, 4, 2)),
        ("F1", "fokusgebiet", "T", True, box(1, 0, 3, 1)),
        ("F2", "fokusgebiet", "A", True, box(0, 1, 1, 2)),
        ("A", "stadtteil", "T", False, box(0, 0, 2, 2)),
        ("B", "stadtteil", "T", False, box(2, 0, 4, 2)),
        ("A1", "quartier", "A", True, box(1, 0, 2, 1)),
        ("A2", "quartier", "A", False, box(0, 0, 1, 1).union(box(1, 1, 2, 2))),
        ("A3", "quartier", "A", True, box(0, 1, 1, 2)),
        ("B1", "quartier", "B", True, box(2, 0, 3, 1)),
        ("B2", "quartier", "B", False, box(3, 0, 4, 2).union(box(2, 1, 3, 2))),
        ("c1", "raster", "A1", True, box(1, 0, 1.5, 1)),
        ("c2", "raster", "A1", True, box(1.5, 0, 2, 1)),
    ]
    frame = gpd.GeoDataFrame(
        rows, columns=["area_id", "level", "parent_id", "in_focus", "geometry"]
    )
    return frame if with_geometry else pd.DataFrame(frame.drop(columns="geometry"))


def test_the_geometry_says_which_perspektivquartier():
    members = focus_members(_town())
    assert members.to_dict() == {
        "A1": "F1",
        "A3": "F2",
        "B1": "F1",
        "c1": "F1",
        "c2": "F1",
    }


def test_the_focus_id_column_wins_and_one_focus_area_needs_nothing():
    areas = _town(with_geometry=False)
    areas["focus_id"] = [None, "F1", "F2", None, None, "F1", None, "F2", "F1"] + [
        None,
        "F1",
        "F1",
    ]
    assert focus_members(areas)["B1"] == "F1"
    single = _town(with_geometry=False)
    single = single[single.area_id != "F2"]
    assert set(focus_members(single)) == {"F1"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.drop(columns="geometry"), "mehrere Fokusgebiete"),
        (lambda a: a.assign(focus_id=["X"] * len(a)), "nicht gibt: X"),
    ],
)
def test_unclear_membership_is_a_german_error(change, message):
    with pytest.raises(FocusMembershipError, match=message):
        focus_members(change(_town()))


def test_area_groups_hold_each_focus_area_with_its_top_members():
    groups = area_groups(_town())
    members = groups.groupby("group_id")["part_id"].apply(sorted).to_dict()
    # the Perspektivquartiere: their Quartiere, not also the cells of A1
    assert members["F1#focus"] == ["A1", "B1"]
    assert members["F2#focus"] == ["A3"]
    assert members["A"] == ["A1", "A2", "A3"]
    assert "F1" not in set(groups.part_id)  # a fokusgebiet is part of no tree group


def test_the_audit_knows_a_perspektivquartier_across_a_stadtteil_border():
    """F1 = A1 + B1: with F1, A1 and B1 published the attacker knows the sum, so a
    system over the cells holds the identity (and drops none)."""
    areas = _town()
    counts = {"T": 100, "F1": 30, "F2": 10, "A": 50, "B": 50, "A1": 20, "A2": 20}
    counts |= {"A3": 10, "B1": 10, "B2": 40, "c1": 8, "c2": 12}
    cells = pd.DataFrame(
        {
            "area_id": list(counts),
            "indicator_id": "einwohner",
            "numerator": [float(v) for v in counts.values()],
            "denominator": np.nan,
        }
    )
    system = build_system(cells, area_groups(areas), CountModel({}, {}), [])
    assert system.dropped == {}
    x = system.x
    var = {a: i for i, a in enumerate(system.var_area)}
    row = np.zeros(len(x))
    row[[var["F1"], var["A1"], var["B1"]]] = [1, -1, -1]
    # the identity F1 - A1 - B1 = 0 is a row of the system (up to sign)
    dense = system.A.toarray()
    assert any(np.array_equal(r, row) or np.array_equal(r, -row) for r in dense)
