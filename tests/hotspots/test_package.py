"""The package's public names: those of its modules, loaded on first use."""

from __future__ import annotations

import importlib
import subprocess
import sys

import monitor.methods.hotspots as hs
from tests.conftest import ROOT


def test_package_names_are_the_submodules_names():
    names = {}
    for module in sorted(set(hs._SUBMODULES.values()) - {"_checks"}):
        mod = importlib.import_module(f"monitor.methods.hotspots.{module}")
        for name in mod.__all__:
            names.setdefault(name, getattr(mod, name))
    assert set(hs.__all__) == set(names)
    for name, value in names.items():
        assert getattr(hs, name) is value, name


def test_registry_and_rules_load_without_esda():
    code = (
        "import sys; from monitor.methods import hotspots as hs; "
        "hs.WEIGHTS, hs.MIN_COVERAGE, hs.MIN_UNITS, hs.TIME_LAG, hs.EHSA_ALPHA, "
        "hs.PERMUTATION_STEPS, hs.CONFIDENCE_LEVELS, hs.GRID_BAND_CELLS, "
        "hs.MAX_CUBE_DRAWS, hs.MIN_YEARS, hs.MIN_MEAN_NEIGHBOURS; "
        "print(sorted(m for m in ('esda', 'libpysal', 'scipy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
