"""The note ids that progress results carry, with an English explanation each.

Every family (Open SDG, DNS weather, ESCAP) reports *why* a verdict is missing
or qualified through stable note ids; the UI translates them
(``progress.notes.<id>`` in the locales). Some ids are shared, e.g.
``too_few_points`` and ``target_equals_base``, so the vocabulary lives here once.
"""

from __future__ import annotations

__all__ = ["NOTES"]

#: Explanation of every note id that a result can carry.
NOTES: dict[str, str] = {
    "too_few_points": "Fewer than two data points from the base year on.",
    "no_data_from_base_year": "No data in or after the requested base year.",
    "base_year_moved": "No value in the base year; the first later year is used.",
    "all_values_zero": "All values are zero; a growth rate is not defined.",
    "mixed_signs": "Values are partly positive, partly negative; CAGR not defined.",
    "negative_values_direction_flipped": (
        "All values are negative; growth is measured on magnitudes with the "
        "direction flipped."
    ),
    "zero_base_replaced": "Base value 0 replaced by 0.001 for the growth rate.",
    "zero_target_replaced": "Target value 0 replaced by 0.001 for the growth rate.",
    "target_sign_differs": "Target and data have different signs; CAGR not defined.",
    "target_year_not_after_base": "The target year is not after the base year.",
    "target_opposite_to_desired_direction": (
        "The target lies on the other side of the base value than the desired "
        "direction (the base value already met the target)."
    ),
    "target_equals_base": "Target value equals the base value; no progress required.",
    "limit_ignored_with_target": "A natural limit is only used without a target.",
    "limit_not_in_desired_direction": (
        "The natural limit does not lie in the desired direction from the base value "
        "and is ignored."
    ),
    "limit_reached_at_base": (
        "The base value is at the natural limit (C = 0): holding it counts as on track."
    ),
    "fewer_than_4_consecutive_points": (
        "Fewer than four consecutive data points; no weather symbol."
    ),
    "gap_in_series": "A gap in the series shortened the window to the latest run.",
    "target_already_reached": (
        "The target is already reached; assessed like an annual limit value (DNS)."
    ),
    "target_year_passed": "The target year lies before the latest data point.",
}
