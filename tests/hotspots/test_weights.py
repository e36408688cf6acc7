"""Spatial weights (monitor.methods.hotspots.weights): counts of neighbours by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from monitor.methods import hotspots as hs
from tests.hotspots.examples import grid


@pytest.mark.parametrize(
    ("scheme", "kwargs", "mean", "minimum"),
    [
        # 10 x 10 cells: 4 corners, 32 edge cells, 64 interior cells.
        pytest.param("queen", {}, (4 * 3 + 32 * 5 + 64 * 8) / 100, 3, id="queen"),
        pytest.param("rook", {}, (4 * 2 + 32 * 3 + 64 * 4) / 100, 2, id="rook"),
        pytest.param("knn", {"k": 4}, 4.0, 4, id="knn-4"),
        # Default band = largest nearest-neighbour distance = 100 m -> rook.
        pytest.param("distance", {}, 3.6, 2, id="distance-default"),
        # 150 m also reaches the diagonal cells (141 m) -> queen.
        pytest.param("distance", {"band": 150.0}, 6.84, 3, id="distance-150m"),
    ],
)
def test_weights_for_schemes(grid10, scheme, kwargs, mean, minimum):
    w, info = hs.weights_for(grid10, scheme, **kwargs)
    assert list(w.id_order) == list(grid10["area_id"])
    assert w.transform == "B"
    assert info.scheme == scheme
    assert info.n == 100
    assert info.mean_neighbours == pytest.approx(mean)
    assert info.min_neighbours == minimum
    assert info.n_islands == 0
    assert info.n_components == 1


@pytest.mark.parametrize(
    ("scheme", "kwargs"),
    [
        pytest.param("knn", {"k": 2}, id="knn"),
        pytest.param("distance", {"band": 120.0}, id="distance"),
    ],
)
def test_weights_for_reprojects_geographic_crs(scheme, kwargs):
    # jittered cell centres, so that no two neighbours are equally far away
    cells = grid(6, 6)
    shift = np.random.default_rng(8).uniform(-20, 20, (36, 2))
    cells["geometry"] = [
        box(c.x + dx - 5, c.y + dy - 5, c.x + dx + 5, c.y + dy + 5)
        for c, (dx, dy) in zip(cells.centroid, shift, strict=True)
    ]
    w_projected, _ = hs.weights_for(cells, scheme, **kwargs)
    w_geographic, _ = hs.weights_for(cells.to_crs("EPSG:4326"), scheme, **kwargs)
    for i in w_projected.id_order:
        assert set(w_projected.neighbors[i]) == set(w_geographic.neighbors[i])
        assert all(type(j) is str for j in w_geographic.neighbors[i])


def test_weights_for_uses_index_without_id_column():
    gdf = grid(4, 4).set_index("area_id")
    w, _ = hs.weights_for(gdf, "rook")
    assert list(w.id_order) == list(gdf.index)
    assert set(w.neighbors["g005"]) == {"g001", "g004", "g006", "g009"}


@pytest.mark.parametrize(
    ("scheme", "kwargs"),
    [
        pytest.param("hexagon", {}, id="unknown-scheme"),
        pytest.param("knn", {"k": 100}, id="k-not-below-n"),
        pytest.param("knn", {"k": 0}, id="k-zero"),
        pytest.param("distance", {"band": -5.0}, id="negative-band"),
    ],
)
def test_weights_for_rejects_bad_arguments(grid10, scheme, kwargs):
    with pytest.raises(ValueError):
        hs.weights_for(grid10, scheme, **kwargs)


def test_weights_for_reports_islands(grid10):
    far = gpd.GeoDataFrame(
        {"area_id": ["island"]},
        geometry=[box(360_000, 5_480_000, 360_100, 5_480_100)],
        crs=grid10.crs,
    )
    gdf = pd.concat([grid10[["area_id", "geometry"]], far], ignore_index=True)
    _, info = hs.weights_for(gdf, "queen")
    assert info.n_islands == 1
    assert info.islands == ("island",)
    assert info.min_neighbours == 0
    assert info.n_components == 2


def test_weights_registry_dispatches_to_its_builders(grid10):
    assert list(hs.WEIGHTS) == ["queen", "rook", "knn", "distance"]
    assert all(hs.WEIGHTS[s].id == s for s in hs.WEIGHTS)
    assert [s for s in hs.WEIGHTS if hs.WEIGHTS[s].distance_based] == [
        "knn",
        "distance",
    ]
    ids = list(grid10["area_id"])
    built, k, band = hs.WEIGHTS["rook"].build(grid10, ids, 8, None)
    assert (k, band) == (None, None)
    via_registry, _ = hs.weights_for(grid10, "rook")
    assert dict(built.neighbors) == dict(via_registry.neighbors)


def test_grid_cell_size_recognises_square_cells(grid10):
    assert hs.grid_cell_size(grid10) == pytest.approx(100.0)
    assert hs.grid_cell_size(grid10.to_crs("EPSG:4326")) == pytest.approx(100.0, 1e-3)
    uneven = grid10.copy()
    uneven.loc[0, "geometry"] = box(350_000, 5_470_000, 350_150, 5_470_100)
    assert hs.grid_cell_size(uneven) is None


def test_weight_options_on_a_grid_offer_only_the_stated_band(grid10):
    assert hs.weight_options(grid10) == {"distance": 200.0}
    polygons = grid10.copy()
    polygons.loc[0, "geometry"] = polygons.loc[0, "geometry"].buffer(30)
    assert list(hs.weight_options(polygons)) == list(hs.WEIGHTS)


def test_grid_band_of_two_cells_gives_twelve_neighbours_inside(grid10):
    # centroids at most 2 cell widths apart: offsets (0, +-1), (+-1, 0),
    # (+-1, +-1), (0, +-2), (+-2, 0) -> 12 for a cell far from the edge
    w, info = hs.weights_for(grid10, "distance", band=200.0)
    assert info.band == 200.0
    assert len(w.neighbors["g044"]) == 12  # cell (4, 4)
    assert len(w.neighbors["g000"]) == 5  # corner: (1,0) (0,1) (1,1) (2,0) (0,2)


def test_demo_raster_gets_a_500_m_band(demo_store):
    cells = demo_store.geometries("raster")
    assert hs.weight_options(cells) == {"distance": 500.0}
    quartiere = demo_store.geometries("quartier")
    assert list(hs.weight_options(quartiere)) == list(hs.WEIGHTS)


def test_band_tolerates_coordinates_rounded_in_storage(grid10):
    shifted = grid10.copy()
    shifted.loc[1, "geometry"] = box(350_100.05, 5_470_000, 350_200.05, 5_470_100)
    w, _ = hs.weights_for(shifted, "distance", band=100.0)
    assert "g001" in w.neighbors["g000"]  # 100.05 m apart, within 0.1 %
