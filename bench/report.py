"""Small helpers of the report: timing summaries, Markdown tables, the machine."""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

__all__ = [
    "ROOT",
    "OUT_DIR",
    "Section",
    "Summary",
    "summarize",
    "time_calls",
    "table",
    "fmt_s",
    "fmt_bytes",
    "machine",
    "peak_rss_mb",
]

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench" / "out"


@dataclass
class Section:
    """One benchmark's part of the report: Markdown plus the raw numbers."""

    name: str
    title: str
    markdown: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    n: int
    p50: float
    p95: float
    max: float
    min: float

    def row(self, unit: str = "s") -> list[str]:
        fmt = fmt_s if unit == "s" else (lambda v: f"{v:,.0f}")
        return [fmt(self.p50), fmt(self.p95), fmt(self.max), str(self.n)]

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "p50": self.p50,
            "p95": self.p95,
            "max": self.max,
            "min": self.min,
        }


def summarize(samples: Sequence[float]) -> Summary:
    """p50/p95 (linear interpolation, numpy's default), max, min and n."""
    arr = np.asarray(samples, dtype=float)
    if arr.size == 0:
        nan = float("nan")
        return Summary(0, nan, nan, nan, nan)
    return Summary(
        n=int(arr.size),
        p50=float(np.percentile(arr, 50)),
        p95=float(np.percentile(arr, 95)),
        max=float(arr.max()),
        min=float(arr.min()),
    )


def time_calls(fn: Callable[[], object], n: int) -> list[float]:
    """Seconds of ``n`` calls of ``fn``."""
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def fmt_s(seconds: float) -> str:
    """Seconds as ms below 10 s (3 significant digits), else as s."""
    if seconds != seconds:  # NaN
        return "–"
    if seconds < 10:
        ms = seconds * 1000
        return f"{ms:.3g} ms" if ms < 100 else f"{ms:,.0f} ms"
    return f"{seconds:.1f} s"


def fmt_bytes(n: float) -> str:
    if n < 1024:
        return f"{n:.0f} B"
    if n < 1024**2:
        return f"{n / 1024:.1f} KiB"
    if n < 1024**3:
        return f"{n / 1024**2:.1f} MiB"
    return f"{n / 1024**3:.2f} GiB"


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub Markdown table; numbers-like columns are right-aligned."""
    rows = [[str(c) for c in r] for r in rows]
    align = []
    for i, _ in enumerate(header):
        col = [r[i] for r in rows if i < len(r)]
        numeric = col and all(
            c[:1].isdigit() or c[:1] in "–-~≈<>" or c.startswith("**") for c in col
        )
        align.append("---:" if numeric and i > 0 else "---")
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(align) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def peak_rss_mb() -> float:
    """Peak resident set size of this process image in MiB.

    VmHWM from /proc/self/status: ru_maxrss is not used because Linux carries the
    parent's RSS at fork time over exec into the child's ru_maxrss, so a probe
    started from a big parent would report at least the parent's size.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                kib = int(line.split()[1])
                return fmt_bytes(kib * 1024)
    except OSError:
        pass
    return "unknown"


def _cgroup_limit() -> str:
    path = Path("/sys/fs/cgroup/memory.max")
    try:
        raw = path.read_text().strip()
    except OSError:
        return "n/a"
    return raw if raw == "max" else fmt_bytes(int(raw))


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out.stdout.strip() + (" (+ uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "cpu": _cpu_model(),
        "memory": _memory(),
        "cgroup memory.max": _cgroup_limit(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "streamlit": _version("streamlit"),
        "duckdb": _version("duckdb"),
        "pandas": _version("pandas"),
        "pyarrow": _version("pyarrow"),
        "pydeck": _version("pydeck"),
        "playwright": _version("playwright"),
        "git": _git_head(),
    }
