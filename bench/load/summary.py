"""Figures of one load run: percentiles of the waits, errors, bytes, CPU and RSS.

Percentiles are numpy's (linear interpolation) over the successful waits; a failed
wait is counted under errors and not timed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from bench.load.client import Action
from bench.report import fmt_bytes, fmt_s, table

__all__ = ["percentiles", "summarize", "waits_table", "servers_table", "run_line"]

KINDS = ("open", "view", "all")


def percentiles(values: Sequence[float]) -> dict[str, float]:
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        nan = float("nan")
        return {"n": 0, "p50": nan, "p95": nan, "p99": nan, "max": nan}
    p50, p95, p99 = np.percentile(arr, [50, 95, 99])
    return {
        "n": int(arr.size),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "max": float(arr.max()),
    }


def _kind_summary(actions: Sequence[Action]) -> dict:
    timed = [a.seconds for a in actions if a.seconds is not None]
    return percentiles(timed) | {
        "actions": len(actions),
        "errors": sum(1 for a in actions if a.error),
        "exceptions": sum(a.exceptions for a in actions),
        "error_alerts": sum(a.error_alerts for a in actions),
    }


def summarize(actions: Sequence[Action], facts: dict) -> dict:
    """Per kind of wait (open, view, all) and per participant (bytes, replica)."""
    by_kind = {
        "open": [a for a in actions if a.kind == "open"],
        "view": [a for a in actions if a.kind == "view"],
        "all": list(actions),
    }
    per_session: dict[int, list[Action]] = {}
    for a in actions:
        per_session.setdefault(a.participant, []).append(a)
    ws = [sum(a.ws_bytes for a in acts) for acts in per_session.values()]
    http = [sum(a.http_bytes for a in acts) for acts in per_session.values()]
    replicas = Counter(a.replica for a in by_kind["open"] if a.replica)
    errors = Counter(a.error for a in actions if a.error)
    texts = Counter(t for a in actions for t in a.exception_texts)
    first_delta = [a.first_delta_seconds for a in by_kind["open"] if a.seconds]
    return {
        "waits": {k: _kind_summary(v) for k, v in by_kind.items()},
        "first_delta_open": percentiles([v for v in first_delta if v is not None]),
        "http_open": percentiles(
            [a.http_seconds for a in by_kind["open"] if a.http_seconds is not None]
        ),
        "ws_bytes_per_session": percentiles(ws),
        "http_bytes_per_session": percentiles(http),
        "sessions_per_replica": dict(replicas),
        "error_kinds": dict(errors.most_common(10)),
        "exception_texts": dict(texts.most_common(5)),
        "errors_total": sum(errors.values())
        + facts.get("cut_by_deadline", 0)
        + facts.get("n_crashed", 0),
        "exceptions_total": sum(a.exceptions for a in actions),
    }


def waits_table(summary: dict) -> str:
    rows = []
    for kind in KINDS:
        w = summary["waits"][kind]
        rows.append(
            [
                kind,
                str(w["n"]),
                fmt_s(w["p50"]),
                fmt_s(w["p95"]),
                fmt_s(w["p99"]),
                fmt_s(w["max"]),
                str(w["errors"]),
                str(w["exceptions"]),
            ]
        )
    return table(
        ["wait", "n", "p50", "p95", "p99", "max", "errors", "exception elements"],
        rows,
    )


def servers_table(servers: dict[str, dict]) -> str:
    rows = [
        [
            name,
            f"{s['cpu_seconds']:.1f} s",
            f"{100 * s['cpu_share']:.0f} %",
            fmt_bytes(s["rss_first"]),
            fmt_bytes(s["rss_peak"]),
            fmt_bytes(s["rss_last"]),
        ]
        for name, s in servers.items()
    ]
    return table(
        ["process", "CPU time", "CPU (mean)", "RSS start", "RSS peak", "RSS end"],
        rows,
    )


def run_line(summary: dict) -> str:
    """Bytes per session and how sessions fell on the replicas, as one line."""
    ws = summary["ws_bytes_per_session"]
    http = summary["http_bytes_per_session"]
    spread = ", ".join(f"{v}" for v in sorted(summary["sessions_per_replica"].values()))
    return (
        f"Bytes per session: websocket p50 {fmt_bytes(ws['p50'])} "
        f"(max {fmt_bytes(ws['max'])}), HTTP p50 {fmt_bytes(http['p50'])}; "
        f"sessions per replica: {spread or '–'}; errors {summary['errors_total']}, "
        f"exception elements {summary['exceptions_total']}."
    )
