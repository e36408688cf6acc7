"""Shared fixtures: the committed demo data and a tiny data set built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.store import Store
from tests.tiny_data import build_tiny_dataset

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"


@pytest.fixture(scope="session")
def demo_store() -> Store:
    return Store(DEMO_DIR)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    return build_tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_store(tiny_dir) -> Store:
    return Store(tiny_dir)
