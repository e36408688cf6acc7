"""One cached frame for every session of a process; each caller gets a shallow copy.

``st.cache_data`` gives every hit a new copy (it unpickles the stored value). The
copies cost CPU on every run (a page reads 5–20 frames) and memory for as long
as a session's last run holds them: Streamlit keeps a closed tab's session for a
reconnect (``server.disconnectedSessionTTL``, 120 s, at most 128 per process)
with the callbacks and deferred downloads of its last run and the page's frames
they reach, about 0.4 MiB per kept session on the demo data (docs/PERFORMANCE.md,
"Soak").

pandas 3 always copies on write (PDEP-7): a shallow copy shares the arrays, and
a change made through pandas, also to the index, the column names or ``attrs``,
copies what it changes; ``to_numpy`` views of it are read-only. So a shallow copy
of one ``st.cache_resource`` frame keeps the sessions apart as a deep copy does,
and takes microseconds.

Arguments go to Streamlit by name: for each positional argument its key builder
reads the function's signature again (streamlit 1.67,
``cache_utils._get_positional_arg_name``), about 40 % of the time it takes to
build a key.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

__all__ = ["cache_frames", "shallow"]

_IMMUTABLE = (str, int, float, bool, type(None), pd.Index)


def shallow(value: Any) -> Any:
    """``value`` with every frame and series replaced by a shallow copy.

    Only frames, series, immutable values and tuples of these can be shared; any
    other value is refused, since a caller could change it for every session."""
    if isinstance(value, pd.DataFrame | pd.Series):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(shallow(v) for v in value)
    if isinstance(value, _IMMUTABLE):
        return value
    raise TypeError(
        f"cache_frames shares frames, series and tuples of them, "
        f"not {type(value).__name__}"
    )


def cache_frames(
    *, max_entries: int, hash_funcs: dict | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``st.cache_resource`` for functions returning frames (see the module);
    the decorated function keeps ``clear()``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        cached = st.cache_resource(
            max_entries=max_entries, hash_funcs=hash_funcs, show_spinner=False
        )(func)
        names = tuple(inspect.signature(func).parameters)

        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            return shallow(cached(**dict(zip(names, args, strict=False)), **kwargs))

        call.clear = cached.clear  # type: ignore[attr-defined]
        return call

    return decorate
