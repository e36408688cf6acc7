"""Hot/cold and LISA classes (monitor.methods.hotspots.classes)."""

from __future__ import annotations

import numpy as np
import pytest

from monitor.methods import hotspots as hs
from tests.hotspots.examples import BH_P


def test_gstar_classes_without_fdr():
    z = [3.0, 2.5, 1.8, 1.0, -1.8, -2.5, -3.0, 2.0]
    p = [0.005, 0.03, 0.08, 0.3, 0.08, 0.03, 0.005, np.nan]
    expected = [
        "hot_99",
        "hot_95",
        "hot_90",
        "not_significant",
        "cold_90",
        "cold_95",
        "cold_99",
        "not_significant",
    ]
    assert list(hs.gstar_classes(z, p, fdr=False)) == expected


def test_gstar_classes_with_fdr_uses_bh_per_level():
    # BH_P: q-values 0.4 0.048 0.008 0.048 0.74 0.048 0.08 0.583
    z = [1, 1, 1, -1, 1, 1, -1, 1]
    labels = hs.gstar_classes(z, BH_P, fdr=True)
    # q <= 0.01 -> 99 %, q <= 0.05 -> 95 %, q <= 0.10 -> 90 %
    expected = [
        "not_significant",
        "hot_95",
        "hot_99",
        "cold_95",
        "not_significant",
        "hot_95",
        "cold_90",
        "not_significant",
    ]
    assert list(labels) == expected


def test_lisa_classes():
    quadrant = ["HH", "LL", "HL", "LH", "HH", None]
    p = [0.01, 0.04, 0.02, 0.2, 0.06, np.nan]
    expected = ["HH", "LL", "HL", "not_significant", "not_significant"]
    expected.append("not_significant")
    assert list(hs.lisa_classes(quadrant, p, fdr=False, alpha=0.05)) == expected
    # BH over the 5 tested units at 0.05: sorted 0.01 0.02 0.04 0.06 0.2 vs
    # 0.01 0.02 0.03 0.04 0.05 -> k = 2: only HH (0.01) and HL (0.02) remain.
    expected_fdr = ["HH", "not_significant", "HL"] + ["not_significant"] * 3
    assert list(hs.lisa_classes(quadrant, p, fdr=True, alpha=0.05)) == expected_fdr


@pytest.mark.parametrize(
    ("m", "permutations", "fdr", "levels"),
    [
        pytest.param(35, 999, True, (0.90,), id="35-999-fdr"),
        pytest.param(35, 9999, True, (0.90, 0.95, 0.99), id="35-9999-fdr"),
        pytest.param(100, 9999, True, (0.90, 0.95), id="100-9999-fdr"),
        pytest.param(600, 9999, True, (), id="600-9999-fdr"),
        pytest.param(600, 999, False, (0.90, 0.95, 0.99), id="600-999-no-fdr"),
    ],
)
def test_reachable_levels(m, permutations, fdr, levels):
    assert hs.reachable_levels(m, permutations, fdr) == levels


def test_gstar_class_ids_list_only_the_reachable_classes():
    assert hs.gstar_class_ids((0.90,)) == ("hot_90", "not_significant", "cold_90")
    assert hs.gstar_class_ids(hs.CONFIDENCE_LEVELS) == hs.GSTAR_CLASSES
    assert hs.gstar_class_ids(()) == ("not_significant",)


def test_gstar_classes_at_reachable_levels_only():
    z = [3.0, 2.5, -3.0]
    p = [0.005, 0.03, 0.005]
    labels = hs.gstar_classes(z, p, fdr=False, levels=(0.90,))
    assert list(labels) == ["hot_90", "hot_90", "cold_90"]
