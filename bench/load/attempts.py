"""Measuring on a shared machine: wait for quiet, repeat disturbed runs, keep every
attempt on disk, and reuse the quietest one when the suite runs again.

"Quiet" is what the other processes of the machine use (CPU seconds from
/proc/stat minus our own processes), not the load average: other people's test
runs at ``nice 10`` keep the load average high but can still take both cores.
Every attempt is written to ``bench/out/load-runs/<key>-<n>.json`` (key = hash of
setup, scenario and options), so an interrupted suite resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.load.experiment import Setup, measure
from bench.load.procstats import machine_busy_seconds, read
from bench.load.scenarios import Options
from bench.report import OUT_DIR, fmt_s

__all__ = ["Policy", "RUNS_DIR", "measure_quietly", "others_now"]

RUNS_DIR = OUT_DIR / "load-runs"


@dataclass(frozen=True)
class Policy:
    """``cores``: start a run only when the other processes used fewer cores than
    this over the last 10 s (waiting at most ``max_wait`` s), and repeat a run
    during which they used more, ``repeats`` attempts at most. ``reuse``: take a
    stored attempt of the same run (the quietest) instead of measuring again."""

    cores: float | None = None
    max_wait: float = 1800.0
    repeats: int = 1
    reuse: bool = False

    def quiet(self, result: dict) -> bool:
        return self.cores is None or result["others"]["cores"] < self.cores


def _log(text: str) -> None:
    print(f"[bench-load] {text}", file=sys.stderr, flush=True)


def others_now(window: float = 10.0) -> float:
    """Cores the rest of the machine used over the last ``window`` seconds."""
    me = os.getpid()
    busy, mine = machine_busy_seconds(), read(me).cpu_seconds
    time.sleep(window)
    others = machine_busy_seconds() - busy - (read(me).cpu_seconds - mine)
    return max(0.0, others) / window


def _wait_for_quiet(policy: Policy) -> None:
    if policy.cores is None:
        return
    deadline = time.monotonic() + policy.max_wait
    while time.monotonic() < deadline:
        others = others_now()
        if others < policy.cores:
            return
        _log(f"  waiting: other processes use {others:.2f} cores")


def _key(setup: Setup, scenario: str, options: Options) -> str:
    text = json.dumps([asdict(setup), scenario, asdict(options)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _stored(key: str) -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(RUNS_DIR.glob(f"{key}-*.json"))
    ]


def _store(key: str, result: dict) -> Path:
    RUNS_DIR.mkdir(parents=True, exist_ok=True)
    n = len(list(RUNS_DIR.glob(f"{key}-*.json"))) + 1
    path = RUNS_DIR / f"{key}-{n}.json"
    path.write_text(json.dumps(result, default=str), encoding="utf-8")
    return path


def measure_quietly(
    setup: Setup, scenario: str, options: Options, policy: Policy
) -> dict:
    """The quietest attempt of this run (stored or new) under ``policy``."""
    key = _key(setup, scenario, options)
    earlier = _stored(key) if policy.reuse else []
    attempts = list(earlier)
    if not any(policy.quiet(r) for r in earlier):
        for _ in range(max(1, policy.repeats)):
            _wait_for_quiet(policy)
            _log(f"{scenario} on {setup.label()} ({options}) …")
            start = time.perf_counter()
            result = measure(setup, scenario, options)
            _store(key, result)
            attempts.append(result)
            _log(
                f"  done in {time.perf_counter() - start:.0f} s: p95 "
                f"{fmt_s(result['summary']['waits']['all']['p95'])}, errors "
                f"{result['summary']['errors_total']}, other processes "
                f"{result['others']['cores']:.2f} cores"
            )
            if policy.quiet(result):
                break
    best = min(attempts, key=lambda r: r["others"]["cores"])
    return best | {"attempts": len(attempts), "key": key}
