"""Fixtures of the hotspot tests (the root tests/conftest.py applies as well)."""

from __future__ import annotations

import pytest

from tests.hotspots.examples import clustered_values, grid


@pytest.fixture(scope="module")
def grid10():
    gdf = grid(10, 10)
    gdf["value"] = clustered_values()
    return gdf
