"""Primary and secondary suppression against hand-worked examples."""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.methods.aggregation import aggregate_counts
from monitor.methods.suppression import (
    compute_values,
    primary_suppression,
    secondary_suppression,
)


def test_primary_suppression_rules():
    num = np.array([0, 1, 2, 3, 10, 5, np.nan])
    den = np.array([50, 50, 50, 50, 29, np.nan, 40])
    # 0 is publishable; 1 and 2 are dotted; denominator 29 < 30; counts without
    # denominator are judged by the numerator only
    expected = [False, True, True, False, True, False, False]
    assert list(primary_suppression(num, den, 3, 30)) == expected


def test_secondary_suppression_closes_the_differencing_gap():
    # Stadtteil T = A + B + C. A is primarily suppressed (2 cases). Publishing T, B
    # and C would reveal A = T - B - C, so the smallest other part (C: 5) goes too.
    frame = pd.DataFrame(
        {
            "indicator_id": "x",
            "year": 2024,
            "area_id": ["T", "A", "B", "C"],
            "numerator": [27, 2, 20, 5],
            "suppressed": [False, True, False, False],
        }
    )
    membership = pd.DataFrame(
        {"group_id": "T", "total_id": "T", "part_id": ["A", "B", "C"]}
    )
    result = secondary_suppression(frame, membership)
    assert list(result) == [False, True, False, True]


def test_secondary_suppression_cascades_through_overlapping_groups():
    # Two constraints share part P2: T1 = P1 + P2, T2 = P2 + P3.
    # P1 is suppressed -> P2 must go (only other part of T1) -> T2 now has exactly
    # one suppressed part -> P3 must go too.
    frame = pd.DataFrame(
        {
            "indicator_id": "x",
            "year": 2024,
            "area_id": ["T1", "T2", "P1", "P2", "P3"],
            "numerator": [10, 20, 1, 9, 11],
            "suppressed": [False, False, True, False, False],
        }
    )
    membership = pd.DataFrame(
        {
            "group_id": ["T1", "T1", "T2", "T2"],
            "total_id": ["T1", "T1", "T2", "T2"],
            "part_id": ["P1", "P2", "P2", "P3"],
        }
    )
    assert list(secondary_suppression(frame, membership)) == [
        False,
        False,
        True,
        True,
        True,
    ]


def test_suppressed_total_needs_no_secondary_suppression():
    frame = pd.DataFrame(
        {
            "indicator_id": "x",
            "year": 1,
            "area_id": ["T", "A", "B"],
            "numerator": [3, 1, 2],
            "suppressed": [True, True, False],
        }
    )
    membership = pd.DataFrame({"group_id": "T", "total_id": "T", "part_id": ["A", "B"]})
    assert list(secondary_suppression(frame, membership)) == [True, True, False]


def test_rates_come_from_summed_counts_not_averaged_rates():
    counts = pd.DataFrame(
        {
            "area_id": ["a", "b"],
            "indicator_id": "x",
            "year": 2024,
            "numerator": [1.0, 30.0],
            "denominator": [10.0, 100.0],
        }
    )
    total = aggregate_counts(counts, pd.Series({"a": "T", "b": "T"}))
    assert total.numerator.iloc[0] == 31 and total.denominator.iloc[0] == 110
    # mean of rates would be (10 % + 30 %) / 2 = 20 %; the rate of sums is 28.18 %
    value = compute_values(total.numerator, total.denominator, 100.0)
    np.testing.assert_allclose(value, [100 * 31 / 110])


def test_count_indicators_keep_their_numerator_as_value():
    num = pd.Series([46882.0])
    den = pd.Series([np.nan])
    assert compute_values(num, den, 1.0).iloc[0] == 46882.0
