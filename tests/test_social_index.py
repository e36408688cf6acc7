"""Tests for monitor.methods.social_index (MSS-style status/dynamics index).

Worked example (population SD, ddof = 0; six included areas A-F)

Status year shares (%) and their z-values:

    area  sgb2_quote  kinderarmut  arbeitslosenanteil
    A      9            17            3
    B     12            17            5
    C      9            20            5
    D     16            24            9
    E     10            18           12
    F     16            24           14
    mean  12            20            8
    dev   -3 0 -3 4 -2 4  -3 -3 0 4 -2 4  -5 -3 -3 1 4 6
    SS    9+0+9+16+4+16   (same) = 54    25+9+9+1+16+36 = 96
    SD    sqrt(54/6) = 3  3               sqrt(96/6) = 4

    z_sgb2  = (-1, 0, -1, 4/3, -2/3, 4/3)
    z_kind  = (-1, -1, 0, 4/3, -2/3, 4/3)
    z_alo   = (-5/4, -3/4, -3/4, 1/4, 1, 3/2)

Equal weights 1/3: status_score = (z_sgb2 + z_kind + z_alo) / 3; in 36ths:
    sum of z in 12ths = (-39, -21, -21, 35, -4, 50) -> score = (..)/36
    mean 0; SD of the 12ths vector: sqrt((1521+441+441+1225+16+2500)/6)
    = sqrt(6144/6) = sqrt(1024) = 32
    status_index = (-39, -21, -21, 35, -4, 50) / 32
                 = (-1.21875, -0.65625, -0.65625, 1.09375, -0.125, 1.5625)
    classes: A hoch (< -1), B C E mittel, D niedrig (1 < z <= 1.5),
             F sehr_niedrig (> 1.5); rank by index: F 1, D 2, E 3, B C 4, A 6

Earlier shares and changes (percentage points):
    sgb2  earlier (9, 10, 9, 14, 14, 10)        change (0, 2, 0, 2, -4, 6)
          mean 1, dev (-1, 1, -1, 1, -5, 5), SS 54, SD 3
    kind  earlier (19, 15, 22, 22, 28, 14)      change (-2, 2, -2, 2, -10, 10)
          mean 0, SD 6
    alo   earlier (3.5, 4.5, 5.5, 8.5, 14.5, 11.5)
          change (-0.5, 0.5, -0.5, 0.5, -2.5, 2.5), mean 0, SD 1.5
    every change z = (-1, 1, -1, 1, -5, 5) / 3, so the dynamics score is that
    vector, its SD is sqrt((1+1+1+1+25+25)/9/6) = 1 and the dynamics index
    equals it: E positiv (-5/3), F negativ (+5/3), the others stabil.

Groups: A hoch_stabil (2), B C mittel_stabil (5), D niedrig_stabil (8),
        E mittel_positiv (4), F sehr_niedrig_negativ (12).

Excluded: G (250 inhabitants < 300; its extreme shares would move every mean
and SD) and H (kinderarmut suppressed in the status year).
"""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from monitor.methods.social_index import (
    DYNAMICS_CLASSES,
    EXCLUDED,
    GROUPS,
    STATUS_CLASSES,
    classify_dynamics,
    classify_status,
    compare_classes,
    compute_social_index,
    group_id,
    group_number,
)

IDS = list("ABCDEFGH")
INCLUDED = list("ABCDEF")


@pytest.fixture
def status():
    return pd.DataFrame(
        {
            "sgb2_quote": [9, 12, 9, 16, 10, 16, 50, 11],
            "kinderarmut": [17, 17, 20, 24, 18, 24, 60, np.nan],
            "arbeitslosenanteil": [3, 5, 5, 9, 12, 14, 30, 7],
        },
        index=pd.Index(IDS, name="area_id"),
        dtype=float,
    )


@pytest.fixture
def earlier():
    return pd.DataFrame(
        {
            "sgb2_quote": [9, 10, 9, 14, 14, 10, 40, 11],
            "kinderarmut": [19, 15, 22, 22, 28, 14, 50, 20],
            "arbeitslosenanteil": [3.5, 4.5, 5.5, 8.5, 14.5, 11.5, 25, 7],
        },
        index=pd.Index(IDS, name="area_id"),
    )


@pytest.fixture
def population():
    return pd.Series([1000, 2000, 1500, 800, 1200, 3000, 250, 900], index=IDS)


@pytest.fixture
def result(status, earlier, population):
    return compute_social_index(status, earlier, population)


# --------------------------------------------------------------------------
# the worked example


def test_included_and_excluded_areas(result):
    assert list(result.areas.index) == INCLUDED
    assert result.n_included == 6
    assert list(result.excluded.index) == ["G", "H"]
    assert result.excluded.loc["G", "reason"] == "population_below_min"
    assert result.excluded.loc["G", "population"] == 250
    assert result.excluded.loc["H", "reason"] == "value_missing"
    assert "kinderarmut (status year)" in result.excluded.loc["H", "detail"]


def test_means_and_sds_used(result):
    s = result.standardisation
    assert_allclose(s.loc["sgb2_quote", ["status_mean", "status_sd"]], [12, 3])
    assert_allclose(s.loc["kinderarmut", ["status_mean", "status_sd"]], [20, 3])
    assert_allclose(s.loc["arbeitslosenanteil", ["status_mean", "status_sd"]], [8, 4])
    assert_allclose(s.loc["sgb2_quote", ["dynamics_mean", "dynamics_sd"]], [1, 3])
    assert_allclose(s.loc["kinderarmut", ["dynamics_mean", "dynamics_sd"]], [0, 6])
    assert_allclose(
        s.loc["arbeitslosenanteil", ["dynamics_mean", "dynamics_sd"]], [0, 1.5]
    )
    # composite before re-standardisation: SD of (..)/36 = 32/36
    assert_allclose(s.loc["score", "status_sd"], 32 / 36)
    assert_allclose(s["direction"].iloc[:3], [1, 1, 1])


def test_z_values(result):
    a = result.areas
    assert_allclose(a["sgb2_quote_z"], [-1, 0, -1, 4 / 3, -2 / 3, 4 / 3])
    assert_allclose(a["kinderarmut_z"], [-1, -1, 0, 4 / 3, -2 / 3, 4 / 3])
    assert_allclose(a["arbeitslosenanteil_z"], [-1.25, -0.75, -0.75, 0.25, 1, 1.5])
    assert_allclose(a["sgb2_quote_change"], [0, 2, 0, 2, -4, 6])
    for ind in result.indicators:
        assert_allclose(a[f"{ind}_change_z"], np.array([-1, 1, -1, 1, -5, 5]) / 3)


def test_status_index_and_classes(result):
    a = result.areas
    assert_allclose(a["status_score"], np.array([-39, -21, -21, 35, -4, 50]) / 36)
    assert_allclose(a["status_index"], np.array([-39, -21, -21, 35, -4, 50]) / 32)
    assert a["status_class"].tolist() == [
        "hoch",
        "mittel",
        "mittel",
        "niedrig",
        "mittel",
        "sehr_niedrig",
    ]
    assert a["rank"].tolist() == [6, 4, 4, 2, 3, 1]


def test_dynamics_index_and_classes(result):
    a = result.areas
    assert_allclose(a["dynamics_index"], np.array([-1, 1, -1, 1, -5, 5]) / 3)
    assert a["dynamics_class"].tolist() == [
        "stabil",
        "stabil",
        "stabil",
        "stabil",
        "positiv",
        "negativ",
    ]


def test_groups(result):
    a = result.areas
    assert a["group"].tolist() == [
        "hoch_stabil",
        "mittel_stabil",
        "mittel_stabil",
        "niedrig_stabil",
        "mittel_positiv",
        "sehr_niedrig_negativ",
    ]
    assert a["group_no"].tolist() == [2, 5, 5, 8, 4, 12]


def test_class_matrix(result):
    m = result.class_matrix()
    assert list(m.index) == list(STATUS_CLASSES)
    assert list(m.columns) == list(DYNAMICS_CLASSES)
    expected = [
        # positiv stabil negativ
        [0, 1, 0],  # hoch: A
        [1, 2, 0],  # mittel: E | B C
        [0, 1, 0],  # niedrig: D
        [0, 0, 1],  # sehr_niedrig: F
    ]
    assert_array_equal(m.to_numpy(), expected)
    assert m.to_numpy().sum() == result.n_included


def test_weights_are_normalised_and_components_add_up(result):
    assert_allclose(list(result.weights.values()), [1 / 3] * 3)
    comp = result.components()
    assert len(comp) == 6 * 3
    sums = comp.groupby("area_id")[["status_contribution", "dynamics_contribution"]]
    total = sums.sum().loc[INCLUDED]
    assert_allclose(total["status_contribution"], result.areas["status_score"])
    assert_allclose(total["dynamics_contribution"], result.areas["dynamics_score"])


# --------------------------------------------------------------------------
# weights and comparison


def test_weight_change_moves_f_from_sehr_niedrig_to_niedrig(
    result, status, earlier, population
):
    # weights 1:1:0 -> score ~ z_sgb2 + z_kind = (-2, -1, -1, 8/3, -4/3, 8/3),
    # mean 0, sum of squares 4 + 1 + 1 + 64/9 + 16/9 + 64/9 = 22, SD sqrt(22/6);
    # F: (8/3) / sqrt(11/3) = 1.3926 -> niedrig; D the same, already niedrig;
    # A: -2 / sqrt(11/3) = -1.0445 stays hoch. The dynamics do not change
    # (every change z is the same vector).
    custom = compute_social_index(
        status,
        earlier,
        population,
        weights={"sgb2_quote": 1, "kinderarmut": 1, "arbeitslosenanteil": 0},
    )
    assert_allclose(
        custom.areas["status_index"],
        np.array([-2, -1, -1, 8 / 3, -4 / 3, 8 / 3]) / math.sqrt(11 / 3),
    )
    assert custom.weights["arbeitslosenanteil"] == 0
    diff = compare_classes(result, custom)
    assert list(diff.index) == ["F"]
    row = diff.loc["F"]
    assert (row["status_class_old"], row["status_class_new"]) == (
        "sehr_niedrig",
        "niedrig",
    )
    assert (row["group_old"], row["group_new"]) == (
        "sehr_niedrig_negativ",
        "niedrig_negativ",
    )
    assert row["dynamics_class_old"] == row["dynamics_class_new"] == "negativ"
    assert row["changed"] == "status"
    assert_allclose(row["status_index_old"], 1.5625)
    assert_allclose(row["status_index_new"], (8 / 3) / math.sqrt(11 / 3))


def test_zero_weight_indicator_does_not_exclude(result, status, earlier, population):
    # H misses only kinderarmut; with its weight 0 H enters the index
    custom = compute_social_index(
        status,
        earlier,
        population,
        weights={"sgb2_quote": 1, "kinderarmut": 0, "arbeitslosenanteil": 1},
    )
    assert "H" in custom.areas.index
    assert np.isnan(custom.areas.loc["H", "kinderarmut_z"])
    diff = compare_classes(result, custom)
    assert diff.loc["H", "changed"] == "inclusion"
    assert diff.loc["H", "status_class_old"] == EXCLUDED
    assert diff.loc["H", "status_class_new"] in STATUS_CLASSES
    assert custom.class_matrix().to_numpy().sum() == 7


def test_compare_identical_results_is_empty(result):
    diff = compare_classes(result, result)
    assert diff.empty
    assert "group_old" in diff.columns


def test_direction_flag_flips_z(status, earlier, population):
    # an indicator given as "higher is better" with negated values must give
    # exactly the same index as the original "higher is worse" one
    base = compute_social_index(status, earlier, population)
    s2, e2 = status.copy(), earlier.copy()
    s2["arbeitslosenanteil"] *= -1
    e2["arbeitslosenanteil"] *= -1
    flipped = compute_social_index(
        s2, e2, population, higher_is_worse={"arbeitslosenanteil": False}
    )
    assert flipped.standardisation.loc["arbeitslosenanteil", "direction"] == -1
    assert_allclose(
        flipped.areas["arbeitslosenanteil_z"], base.areas["arbeitslosenanteil_z"]
    )
    assert_allclose(flipped.areas["status_index"], base.areas["status_index"])
    assert_allclose(flipped.areas["dynamics_index"], base.areas["dynamics_index"])


# --------------------------------------------------------------------------
# parameters


def test_sample_sd_shrinks_the_index(status, earlier, population):
    # ddof = 1 divides by sqrt(SS / 5) instead of sqrt(SS / 6): index * sqrt(5/6)
    # D: 1.09375 * 0.91287 = 0.9985 -> mittel instead of niedrig
    r = compute_social_index(status, earlier, population, ddof=1)
    assert_allclose(
        r.areas["status_index"],
        np.array([-39, -21, -21, 35, -4, 50]) / 32 * math.sqrt(5 / 6),
    )
    assert r.areas.loc["D", "status_class"] == "mittel"


def test_without_restandardisation(status, earlier, population):
    # index = weighted mean of z = (-39, -21, -21, 35, -4, 50) / 36
    # D 0.972 -> mittel, F 1.389 -> niedrig
    r = compute_social_index(status, earlier, population, restandardise=False)
    assert_allclose(r.areas["status_index"], np.array([-39, -21, -21, 35, -4, 50]) / 36)
    assert r.areas.loc["D", "status_class"] == "mittel"
    assert r.areas.loc["F", "status_class"] == "niedrig"


def test_min_population_parameter(status, earlier, population):
    r = compute_social_index(status, earlier, population, min_population=1000)
    # D (800), G (250) and H (900) fall below 1000
    assert sorted(r.excluded.index) == ["D", "G", "H"]
    assert r.excluded.loc["D", "reason"] == "population_below_min"
    # H has two problems; the first code is reported, both in the detail
    assert r.excluded.loc["H", "reason"] == "population_below_min"
    assert "missing value" in r.excluded.loc["H", "detail"]


def test_missing_population_and_earlier_value(status, earlier, population):
    population = population.drop("B")
    earlier = earlier.copy()
    earlier.loc["C", "sgb2_quote"] = np.nan
    earlier = earlier.drop("D")
    r = compute_social_index(status, earlier, population)
    assert r.excluded.loc["B", "reason"] == "population_missing"
    assert r.excluded.loc["C", "reason"] == "value_missing"
    assert "sgb2_quote (earlier year)" in r.excluded.loc["C", "detail"]
    assert r.excluded.loc["D", "reason"] == "value_missing"
    assert list(r.areas.index) == ["A", "E", "F"]


def test_indicator_without_variation_is_noted(status, earlier, population):
    s2 = status.copy()
    s2["arbeitslosenanteil"] = 5.0
    r = compute_social_index(s2, earlier, population)
    assert_allclose(r.areas["arbeitslosenanteil_z"], 0)
    assert any("arbeitslosenanteil (status)" in n for n in r.notes)


def test_custom_cutoffs(result, status, earlier, population):
    # a stricter "sehr niedrig" (> 2 SD) moves F (1.5625) to niedrig
    r = compute_social_index(status, earlier, population, status_cutoffs=(-1, 1, 2))
    assert r.areas.loc["F", "status_class"] == "niedrig"
    assert r.status_cutoffs == (-1.0, 1.0, 2.0)


# --------------------------------------------------------------------------
# classes and ids


@pytest.mark.parametrize(
    ("z", "expected"),
    [
        (-1.2, "hoch"),
        (-1.0, "mittel"),
        (0.0, "mittel"),
        (1.0, "mittel"),
        (1.0000001, "niedrig"),
        (1.5, "niedrig"),
        (1.5 + 1e-12, "niedrig"),  # float noise on the cut-off is rounded away
        (1.6, "sehr_niedrig"),
        (np.nan, None),
    ],
    ids=lambda v: str(v),
)
def test_status_class_boundaries(z, expected):
    assert classify_status([z])[0] == expected


@pytest.mark.parametrize(
    ("z", "expected"),
    [(-1.01, "positiv"), (-1.0, "stabil"), (1.0, "stabil"), (1.01, "negativ")],
    ids=lambda v: str(v),
)
def test_dynamics_class_boundaries(z, expected):
    assert classify_dynamics([z])[0] == expected


@pytest.mark.parametrize(
    ("status_class", "dynamics_class", "number"),
    [
        ("hoch", "positiv", 1),
        ("hoch", "negativ", 3),
        ("mittel", "positiv", 4),
        ("niedrig", "stabil", 8),
        ("sehr_niedrig", "negativ", 12),
    ],
    ids=lambda v: str(v),
)
def test_group_numbers(status_class, dynamics_class, number):
    assert group_number(group_id(status_class, dynamics_class)) == number
    assert GROUPS[number - 1] == f"{status_class}_{dynamics_class}"


def test_unknown_group():
    with pytest.raises(ValueError, match="unknown group"):
        group_number("gut_stabil")
    with pytest.raises(ValueError, match="unknown status class"):
        group_id("gut", "stabil")


# --------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"weights": {"sgb2_quote": 1, "kinderarmut": 1, "miete": 1}},
            "unknown indicator",
        ),
        (
            {"weights": {"sgb2_quote": 0, "kinderarmut": 0, "arbeitslosenanteil": 0}},
            "all weights are zero",
        ),
        (
            {"weights": {"sgb2_quote": -1, "kinderarmut": 1, "arbeitslosenanteil": 1}},
            "must not be negative",
        ),
        ({"weights": {"sgb2_quote": 1}}, "weights missing"),
        (
            {
                "weights": {
                    "sgb2_quote": float("nan"),
                    "kinderarmut": 1,
                    "arbeitslosenanteil": 1,
                }
            },
            "must be finite",
        ),
        ({"min_population": 2500}, "at least 3 are needed"),
        ({"higher_is_worse": {"miete": False}}, "unknown indicator"),
        ({"indicators": ["sgb2_quote", "miete"]}, "lacks indicator column"),
        ({"ddof": -1}, "ddof"),
        ({"status_cutoffs": (1, -1, 2)}, "strictly increasing"),
        ({"dynamics_cutoffs": (-1,)}, "2 finite numbers"),
    ],
    ids=[
        "unknown_weight",
        "all_zero",
        "negative",
        "missing_weight",
        "nan_weight",
        "fewer_than_3",
        "unknown_direction",
        "missing_column",
        "negative_ddof",
        "unsorted_cutoffs",
        "short_cutoffs",
    ],
)
def test_errors(status, earlier, population, kwargs, message):
    with pytest.raises(ValueError, match=message):
        compute_social_index(status, earlier, population, **kwargs)


def test_duplicate_area_ids(status, earlier, population):
    dup = pd.concat([status, status.iloc[[0]]])
    with pytest.raises(ValueError, match="duplicate area ids"):
        compute_social_index(dup, earlier, population)
