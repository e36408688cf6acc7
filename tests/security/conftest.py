"""Fixtures of the security tests (the rest comes from tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path):
    """A fresh edit folder per test, no demo editing mode, no basemap requests."""
    monkeypatch.setenv("QM_BASEMAP", "blank")
    monkeypatch.setenv("QM_EDIT_DIR", str(tmp_path / "edits"))
    monkeypatch.delenv("QM_DEMO_EDIT", raising=False)
    monkeypatch.delenv("QM_EDIT_DB", raising=False)
    monkeypatch.delenv("QM_DATA_DIR", raising=False)
    return tmp_path / "edits"
