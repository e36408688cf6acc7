"""How this package hands values and weights to PySAL ``esda``.

Shared by the statistic modules (:mod:`.getisord`, :mod:`.moran`): the alignment
of values with the weights, the removal of islands and a serialised,
side-effect-free call of esda.

Notes
-----
esda's conditional randomisation seeds numpy's global generator and esda mutates
the weights it is given (it sets their transform). Streamlit runs sessions in
threads, so the calls are serialised (the same seed then always gives the same
result) and the global generator is restored afterwards, so callers see no side
effect.

References
----------
.. [1] Rey, S. J. & Anselin, L. (2007). PySAL: A Python library of spatial
   analytical methods. The Review of Regional Studies 37(1), 5-27
   (pysal/esda).
"""

from __future__ import annotations

import copy
import threading
import warnings
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from libpysal.weights import W

from monitor.methods.hotspots.weights import subset

__all__ = [
    "aligned",
    "check_testable_values",
    "esda_call",
    "split_islands",
]

_ESDA_LOCK = threading.Lock()


@contextmanager
def esda_call():
    """Serialise an esda call, silence its warnings, restore numpy's global RNG."""
    with _ESDA_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        state = np.random.get_state()
        try:
            yield
        finally:
            np.random.set_state(state)


def aligned(values: Any, w: W) -> np.ndarray:
    """Values as a float array in ``w.id_order`` (a Series is aligned by index)."""
    if isinstance(values, pd.Series):
        missing = set(w.id_order) - set(values.index)
        if missing:
            raise ValueError(f"values lack ids of the weights: {sorted(missing)[:5]}")
        y = values.reindex(w.id_order).to_numpy(dtype=float)
    else:
        y = np.asarray(values, dtype=float).ravel()
    if y.shape[0] != w.n:
        raise ValueError(f"{y.shape[0]} values for {w.n} units of the weights")
    if not np.isfinite(y).all():
        raise ValueError("values must be finite; drop missing units first")
    return y


def _binary_copy(w: W) -> W:
    w = copy.deepcopy(w)
    w.transform = "B"
    return w


def split_islands(y: np.ndarray, w: W) -> tuple[np.ndarray, W, np.ndarray]:
    """Values and binary weights without islands, and the boolean mask of
    non-islands (a copy of ``w`` in any case: esda may change what it is given)."""
    mask = np.array([w.cardinalities[i] > 0 for i in w.id_order], dtype=bool)
    if mask.all():
        return y, _binary_copy(w), mask
    ids = [i for i, m in zip(w.id_order, mask, strict=True) if m]
    sub = subset(w, ids)
    sub.transform = "B"
    return y[mask], sub, mask


def check_testable_values(y: np.ndarray) -> None:
    if y.size < 3:
        raise ValueError("at least 3 units with neighbours are needed")
    if np.ptp(y) == 0:
        raise ValueError("values have no variation")
