"""The protection rule: how uncertain a suppressed count must stay for an attacker.

A sensitive cell (``primary.sensitive_cells``) is protected when the interval
``[L, U]`` to which an attacker can narrow its numerator from everything published
(``audit.attacker_ranges``) is at least ``min_numerator`` wide::

    U - L >= max(min_numerator, 1)

Because the true count lies in the interval and counts are >= 0, the interval then
holds at least ``min_numerator + 1`` whole numbers and reaches ``min_numerator`` or
more: an attacker can neither tell a 1 from a 2 nor rule out that the count is as
large as a publishable one. This is the protection interval ("Schutzintervall") of
cell suppression with a lower and upper protection level (Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, §4.2.3), here set to the primary
threshold; denominators are not protected themselves (population counts such as the
Einwohner are published), the rate of a cell is protected through its numerator.
"""

from __future__ import annotations

import numpy as np

__all__ = ["RULE", "required_width", "protected"]

RULE = "upper - lower >= max(min_numerator, 1)"


def required_width(min_numerator: int | np.ndarray) -> np.ndarray:
    """Minimum width of a sensitive numerator's attacker interval: the threshold,
    and at least 1 (a suppressed count is never exact, also where a catalogue
    suppresses by the denominator only)."""
    return np.maximum(np.asarray(min_numerator, dtype=float), 1.0)


def protected(
    lower: np.ndarray, upper: np.ndarray, min_numerator: int | np.ndarray
) -> np.ndarray:
    """True where the interval ``[lower, upper]`` satisfies the rule."""
    return np.asarray(upper, float) - np.asarray(lower, float) >= required_width(
        min_numerator
    )
