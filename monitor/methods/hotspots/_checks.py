"""Defaults of the permutation inference and argument checks shared by the
hotspot statistics (``ValueError``, never assert)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "PERMUTATIONS",
    "SEED",
    "check_alpha",
    "check_p_values",
    "check_permutations",
    "check_seed",
]

PERMUTATIONS = 999
"""Conditional permutations per test, as esda's default."""

SEED = 12345
"""Default seed of the permutations (same seed, same pseudo p-values)."""


def check_seed(seed: int | None) -> int:
    """A valid seed; ``None`` draws a fresh one."""
    if seed is None:
        return int(np.random.default_rng().integers(0, 2**31 - 1))
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError("seed must be a non-negative integer or None")
    return int(seed)


def check_permutations(permutations: int) -> int:
    if not isinstance(permutations, int | np.integer) or permutations < 0:
        raise ValueError("permutations must be a non-negative integer")
    return int(permutations)


def check_alpha(alpha: float) -> float:
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie strictly between 0 and 1")
    return float(alpha)


def check_p_values(p_values: Any) -> np.ndarray:
    """p-values as a float array; NaN (not tested) is allowed, others in [0, 1]."""
    p = np.asarray(p_values, dtype=float).ravel()
    finite = p[np.isfinite(p)]
    if ((finite < 0) | (finite > 1)).any():
        raise ValueError("p-values must lie in [0, 1]")
    return p
