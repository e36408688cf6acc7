"""Freed heap memory goes back to the kernel (monitor/memory.py, glibc malloc_trim)."""

from __future__ import annotations

import threading

from monitor import memory

MIB = 1024 * 1024


def _rss() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * 4096


def test_trim_gives_back_what_a_thread_freed_in_the_middle_of_its_arena():
    """As a session's script thread leaves it: most of 160 MiB freed, every tenth
    chunk still alive, so the heap cannot simply shrink from its top."""
    assert memory._malloc_trim() is not None  # Debian's glibc has it
    kept: list[bytes] = []

    def session() -> None:
        chunks = [bytes(1600) + bytes([i % 251]) for i in range(100_000)]
        kept.extend(chunks[::10])

    thread = threading.Thread(target=session)
    thread.start()
    thread.join()
    before = _rss()
    assert memory.trim()
    after = _rss()
    assert before - after > 60 * MIB, (before // MIB, after // MIB)
    assert len(kept) == 10_000


def test_the_trimming_thread_trims_until_stopped(monkeypatch):
    calls = threading.Semaphore(0)
    monkeypatch.setattr(memory, "trim", lambda: calls.release() or True)
    stop = threading.Event()
    thread = memory.start_trimming(0.01, stop)
    assert thread is not None and thread.daemon
    assert calls.acquire(timeout=30) and calls.acquire(timeout=30)  # it repeats
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()
