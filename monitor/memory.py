"""Give freed heap memory back to the operating system now and then (glibc).

Why: Streamlit runs each session's script in a thread, glibc gives threads malloc
arenas of their own and keeps the chunks freed in them for reuse. After many
sessions have come and gone, the objects are gone but the server's RSS stays near
its high-water mark (docs/PERFORMANCE.md, "Soak"). glibc's ``malloc_trim(0)``
returns the free pages of every arena to the kernel (``madvise``, glibc >= 2.8;
malloc_trim(3)). Where the C library has no ``malloc_trim`` (musl, macOS) this
does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from functools import cache

__all__ = ["TRIM_INTERVAL_S", "start_trimming", "trim"]

# often enough that a workshop's closed tabs are given back within minutes,
# rare enough to cost nothing (one trim of ~500 MiB takes milliseconds)
TRIM_INTERVAL_S = 60.0


@cache
def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None
    function = getattr(libc, "malloc_trim", None)
    if function is not None:
        function.argtypes = [ctypes.c_size_t]
        function.restype = ctypes.c_int
    return function


def trim() -> bool:
    """Return free heap pages to the kernel; whether any were returned."""
    function = _malloc_trim()
    return bool(function(0)) if function is not None else False


def start_trimming(
    interval_s: float = TRIM_INTERVAL_S, stop: threading.Event | None = None
) -> threading.Thread | None:
    """A daemon thread that calls :func:`trim` every ``interval_s`` seconds until
    ``stop`` is set (``None`` where there is no ``malloc_trim``). Start it once
    per process."""
    if _malloc_trim() is None:
        return None
    stop = stop or threading.Event()

    def loop() -> None:
        while not stop.wait(interval_s):
            trim()

    thread = threading.Thread(target=loop, name="qm-malloc-trim", daemon=True)
    thread.start()
    return thread
