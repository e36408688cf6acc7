"""Shared fixtures: the committed demo data (Neunkirchen and the fictitious
Musterstadt) and a tiny data set built in code."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monitor.store import Store
from tests.tiny_data import build_tiny_dataset

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
MUSTERSTADT_DIR = ROOT / "data" / "musterstadt"


@pytest.fixture(scope="session")
def demo_store() -> Store:
    return Store(DEMO_DIR)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    return build_tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_store(tiny_dir) -> Store:
    return Store(tiny_dir)


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster with the edit-log table, an owner role and the
    restricted app role (tests/postgres_cluster.py). Fails, never skips, when the
    cluster cannot start: `make test` installs PostgreSQL."""
    from tests.postgres_cluster import start_cluster

    try:
        cluster = start_cluster()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pytest.fail(f"PostgreSQL test cluster did not start: {exc}", pytrace=False)
    yield cluster
    cluster.stop()
