"""Facilities per area and the share of children within a straight-line distance
(k-d tree against brute force, hand examples, the demo figures)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from scipy.spatial.distance import cdist
from shapely.geometry import box

from monitor.demo.points import cell_weights
from monitor.methods.accessibility import (
    ESTIMATED,
    PUBLISHED,
    UNKNOWN,
    coverage,
    estimate_suppressed,
    nearest_distance,
    points_per_area,
    project,
    share_within,
)
from tests.conftest import DEMO_DIR


def test_nearest_distance_equals_brute_force():
    rng = np.random.default_rng(5)
    cells = rng.uniform([360_000, 5_460_000], [370_000, 5_470_000], size=(500, 2))
    points = rng.uniform([360_000, 5_460_000], [370_000, 5_470_000], size=(30, 2))
    ours = nearest_distance(cells[:, 0], cells[:, 1], points[:, 0], points[:, 1])
    np.testing.assert_allclose(ours, cdist(cells, points).min(axis=1))


def test_no_points_means_infinitely_far_and_degrees_are_refused():
    d = nearest_distance([364_000.0], [5_465_000.0], [], [])
    assert np.isinf(d).all()
    with pytest.raises(ValueError, match="degrees"):
        nearest_distance([7.18], [49.35], [364_000.0], [5_465_000.0])


def test_share_within_hand_example():
    # cells 0 m, 400 m, 600 m and 2 km from the point; 10, 20, 30, 40 children
    distance = [0.0, 400.0, 600.0, 2000.0]
    out = share_within(distance, [10, 20, 30, 40], ["a", "a", "b", "b"], 500)
    assert out.group.tolist() == ["a", "b"]
    assert out.weight_within.tolist() == [30.0, 0.0]
    assert out.share.tolist() == [1.0, 0.0]
    edge = share_within([500.0], [5], ["a"], 500)
    assert edge.share.tolist() == [1.0]  # "within" includes the distance itself
    empty = share_within([10.0], [0.0], ["a"], 500)
    assert np.isnan(empty.share[0])
    with pytest.raises(ValueError):
        share_within([1.0], [1.0], ["a"], 0)


def test_coverage_per_category():
    cells_x = np.array([0.0, 1000.0, 2000.0]) + 364_000
    cells_y = np.full(3, 5_465_000.0)
    out = coverage(
        cells_x,
        cells_y,
        [10, 10, 20],
        ["q1", "q1", "q2"],
        [364_000.0, 366_100.0],
        [5_465_000.0, 5_465_000.0],
        ["kita", "arzt"],
        500,
    )
    table = out.set_index(["category", "group"]).share
    assert table[("kita", "q1")] == 0.5
    assert table[("kita", "q2")] == 0.0
    assert table[("arzt", "q2")] == 1.0


def test_estimate_suppressed_uses_only_published_numbers():
    est = estimate_suppressed(
        [12.0, np.nan, np.nan, np.nan],
        [80.0, 20.0, np.nan, 15.0],
        [0.2, 0.25, 0.2, np.nan],
    )
    assert est.count.tolist() == [12.0, 5.0, 0.0, 0.0]
    assert est.status.tolist() == [PUBLISHED, ESTIMATED, UNKNOWN, UNKNOWN]
    assert est.estimated_share == pytest.approx(5 / 17)
    assert est.n_unknown == 2
    with pytest.raises(ValueError, match="share"):
        estimate_suppressed([1.0], [2.0], [20.0])


def test_points_per_area_counts_each_point_once():
    areas = gpd.GeoDataFrame(
        {"area_id": ["west", "east"]},
        geometry=[box(7.0, 49.0, 7.1, 49.1), box(7.1, 49.0, 7.2, 49.1)],
        crs="EPSG:4326",
    )
    out = points_per_area(
        [7.05, 7.05, 7.15, 7.1, 8.0],
        [49.05, 49.06, 49.05, 49.05, 49.05],
        ["kita", "arzt", "kita", "kita", "kita"],
        areas,
        ["kita", "schule", "arzt"],
    )
    # the point on the shared border counts in the first area, the one far away
    # in none
    assert out.to_dict("index") == {
        "west": {"kita": 2, "schule": 0, "arzt": 1},
        "east": {"kita": 1, "schule": 0, "arzt": 0},
    }


def test_project_matches_pyproj_and_refuses_degrees():
    x, y = project([7.18], [49.35], "EPSG:25832")
    ref = pyproj.Transformer.from_crs(4326, 25832, always_xy=True)
    assert (x[0], y[0]) == pytest.approx(ref.transform(7.18, 49.35))
    with pytest.raises(ValueError, match="projected"):
        project([7.18], [49.35], "EPSG:4326")


# -- the demo figures ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_kita_coverage() -> pd.DataFrame:
    areas = gpd.read_parquet(DEMO_DIR / "areas.parquet")
    values = pd.read_parquet(DEMO_DIR / "indicator_values.parquet")
    points = pd.read_parquet(DEMO_DIR / "points.parquet")
    weights = cell_weights(areas, values)
    cells = areas.set_index("area_id").loc[weights.area_id]
    centroids = cells.geometry.to_crs("EPSG:25832").centroid
    px, py = project(points.lon, points.lat, "EPSG:25832")
    names = areas.set_index("area_id").name
    return coverage(
        centroids.x.to_numpy(),
        centroids.y.to_numpy(),
        weights.children.to_numpy(),
        weights.stadtteil.map(names).to_numpy(),
        px,
        py,
        points.category.to_numpy(),
        500,
    )


def test_demo_share_of_children_near_a_kita(demo_kita_coverage):
    kita = demo_kita_coverage[demo_kita_coverage.category == "kita"]
    share = kita.set_index("group").share
    # frozen from the committed demo data (500 m straight line)
    assert share["Innenstadt"] == pytest.approx(0.755, abs=0.001)
    assert share["Heinitz"] == 0.0 and share["Sinnerthal"] == 0.0
    city = kita.weight_within.sum() / kita.weight.sum()
    assert city == pytest.approx(0.630, abs=0.001)
    assert kita.weight.sum() == pytest.approx(8012.8, abs=0.1)
