"""CPU time and memory of the server processes, sampled from /proc while load runs.

psutil is not a dependency of the project; on Linux /proc/<pid>/stat (utime + stime
in clock ticks) and /proc/<pid>/status (VmRSS, VmHWM) give the same numbers. nginx
is counted as its master plus its worker processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ProcSample", "Sampler", "read", "children", "machine_busy_seconds"]

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class ProcSample:
    cpu_seconds: float
    rss_bytes: int
    hwm_bytes: int


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (e.g. nginx workers of the master)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(p) for p in path.read_text().split()]
    except OSError:
        return []


def _read_one(pid: int) -> ProcSample | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)"
    cpu = (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime
    memory = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            memory[key] = int(rest.split()[0]) * 1024
    return ProcSample(cpu, memory.get("VmRSS", 0), memory.get("VmHWM", 0))


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used since boot (/proc/stat:
    every column but idle and iowait), to tell how much the others took."""
    values = [
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    ]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / _TICKS


def read(pid: int, with_children: bool = False) -> ProcSample | None:
    """One sample of ``pid`` (summed with its children when asked)."""
    pids = [pid, *(children(pid) if with_children else [])]
    samples = [s for s in map(_read_one, pids) if s is not None]
    if not samples:
        return None
    return ProcSample(
        sum(s.cpu_seconds for s in samples),
        sum(s.rss_bytes for s in samples),
        sum(s.hwm_bytes for s in samples),
    )


@dataclass
class Sampler:
    """Samples named processes every ``interval`` seconds until stopped."""

    pids: dict[str, int]
    interval: float = 0.5
    timeline: list[dict] = field(default_factory=list)
    _task: asyncio.Task | None = None
    _zero: float = 0.0

    def sample(self) -> dict:
        row = {"t": time.perf_counter() - self._zero, "busy": machine_busy_seconds()}
        for name, pid in self.pids.items():
            s = read(pid, with_children=name == "nginx")
            if s is not None:
                row[name] = {
                    "cpu": s.cpu_seconds,
                    "rss": s.rss_bytes,
                    "hwm": s.hwm_bytes,
                }
        self.timeline.append(row)
        return row

    async def _loop(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.interval)

    def start(self, zero: float) -> None:
        self._zero = zero
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.sample()

    def others(self) -> dict[str, float]:
        """CPU the rest of the machine used meanwhile (other people's work)."""
        first, last = self.timeline[0], self.timeline[-1]
        ours = sum(s["cpu_seconds"] for s in self.summary().values())
        seconds = last["t"] - first["t"]
        others = max(0.0, last["busy"] - first["busy"] - ours)
        return {
            "cpu_seconds": others,
            "cores": others / seconds if seconds > 0 else float("nan"),
        }

    def summary(self) -> dict[str, dict]:
        """Per process: CPU seconds used, mean CPU share, RSS first/peak/last."""
        out = {}
        for name in self.pids:
            rows = [(r["t"], r[name]) for r in self.timeline if name in r]
            if len(rows) < 2:
                continue
            (t0, first), (t1, last) = rows[0], rows[-1]
            cpu = last["cpu"] - first["cpu"]
            out[name] = {
                "cpu_seconds": cpu,
                "cpu_share": cpu / (t1 - t0) if t1 > t0 else float("nan"),
                "rss_first": first["rss"],
                "rss_peak": max(s["rss"] for _, s in rows),
                "rss_last": last["rss"],
                "hwm": last["hwm"],
            }
        return out
