"""The workshop-load baseline: floor vs Quartiersmonitor, 1 process vs 2 replicas
behind nginx, the knee, the soak. ``run(quick)`` is the "load" section of
``python -m bench.run``; ``main()`` is ``make bench-load`` (bench/out/load.md and
bench/out/load.json, every run with all its waits).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass

from bench.load.attempts import Policy, measure_quietly
from bench.load.experiment import Setup
from bench.load.scenarios import Options
from bench.report import OUT_DIR, Section, fmt_bytes, fmt_s, machine, table

__all__ = ["Plan", "FULL", "QUICK", "run", "main"]

KNEE_SECONDS = 5.0  # the knee: the first participant count whose p95 passes this


@dataclass(frozen=True)
class Plan:
    """What the suite measures."""

    participants: int = 30
    ladder: tuple[int, ...] = (5, 10, 15, 20, 30, 40, 60)
    knee_scenario: str = "workshop"
    comparison: tuple[str, ...] = ("workshop", "arrivals-start", "arrivals-karte")
    soak_sessions: int = 200
    soak_settle: float = 135.0  # > server.disconnectedSessionTTL (120 s)
    steady_seconds: float = 120.0


FULL = Plan()
QUICK = Plan(
    participants=10,
    ladder=(),
    knee_scenario="workshop-short",
    comparison=("workshop-short", "arrivals-start"),
    soak_sessions=30,
    soak_settle=0.0,
    steady_seconds=30.0,
)


POLICY = {"now": Policy()}  # set by main(); see bench/load/attempts.py


def _measure(setup: Setup, scenario: str, options: Options) -> dict:
    return measure_quietly(setup, scenario, options, POLICY["now"])


def _comparison(plan: Plan) -> list[dict]:
    """Floor and app, 1 process and 2 replicas; the workshop also from warm
    browser caches (no JS/CSS) and through nginx to one process."""
    runs = []
    options = Options(participants=plan.participants)
    for scenario in plan.comparison:
        apps = ["quartiersmonitor"]
        if scenario != "arrivals-karte":  # the one-page floor has no Karte
            apps.insert(0, "trivial")
        assets = (True, False) if scenario == plan.comparison[0] else (True,)
        for cold in assets:
            for app in apps:
                for replicas in (1, 2):
                    setup = Setup(app=app, replicas=replicas, assets=cold)
                    runs.append(_measure(setup, scenario, options))
    # what nginx itself adds: the same workshop through nginx to one process
    runs.append(_measure(Setup(nginx=True), plan.comparison[0], options))
    return runs


def _knee(plan: Plan, known: list[dict]) -> dict[tuple[int, bool], list[dict]]:
    """For 1 and 2 replicas, cold and warm browser caches: the ladder of
    participant counts up to the first one whose p95 over all waits passes
    KNEE_SECONDS (reusing a run of the comparison with the same setup)."""
    out: dict[tuple[int, bool], list[dict]] = {}
    for assets in (True, False):
        for replicas in (1, 2):
            setup = Setup(replicas=replicas, assets=assets)
            ladder = []
            for n in plan.ladder:
                same = [
                    r
                    for r in known
                    if r["scenario"] == plan.knee_scenario
                    and r["setup"] == asdict(setup) | {"label": setup.label()}
                    and r["options"]["participants"] == n
                ]
                result = same[0] if same else None
                if result is None:
                    result = _measure(
                        setup, plan.knee_scenario, Options(participants=n)
                    )
                ladder.append(result)
                if _p95(result) > KNEE_SECONDS:
                    break
            out[(replicas, assets)] = ladder
    return out


def _soak(plan: Plan) -> dict:
    return _measure(
        Setup(settle=plan.soak_settle, max_seconds=3600.0),
        "soak",
        Options(sessions=plan.soak_sessions),
    )


def _steady(plan: Plan) -> dict:
    return _measure(Setup(), "steady", Options(duration=plan.steady_seconds))


# --- Markdown -------------------------------------------------------------


def _count(result: dict) -> int:
    """Participants; tabs open at a time for steady use; sessions for the soak."""
    o = result["options"]
    return {"soak": o["sessions"], "steady": o["concurrency"]}.get(
        result["scenario"], o["participants"]
    )


def _row(result: dict) -> list[str]:
    s = result["summary"]
    o, a = s["waits"]["open"], s["waits"]["all"]
    cpu = sum(
        v["cpu_seconds"] for k, v in result["servers"].items() if k.startswith("rep")
    )
    peak = max(
        (v["rss_peak"] for k, v in result["servers"].items() if k.startswith("rep")),
        default=float("nan"),
    )
    return [
        result["scenario"],
        result["setup"]["label"],
        str(_count(result)),
        fmt_s(o["p50"]),
        fmt_s(o["p95"]),
        fmt_s(o["p99"]),
        fmt_s(a["p50"]),
        fmt_s(a["p95"]),
        str(s["errors_total"]),
        str(s["exceptions_total"]),
        fmt_bytes(s["ws_bytes_per_session"]["p50"]),
        f"{cpu:.1f} s",
        f"{result['servers'].get('client', {}).get('cpu_seconds', float('nan')):.1f} s",
        fmt_bytes(peak),
        f"{result['others']['cores']:.2f}",
    ]


_HEADER = [
    "scenario",
    "app, processes",
    "n",
    "open p50",
    "open p95",
    "open p99",
    "all p50",
    "all p95",
    "errors",
    "exception elements",
    "websocket bytes/session",
    "server CPU",
    "client CPU",
    "peak RSS/replica",
    "others' cores",
]


def _p95(result: dict) -> float:
    return result["summary"]["waits"]["all"]["p95"]


def _knee_text(ladders: dict[tuple[int, bool], list[dict]]) -> str:
    lines = []
    for (replicas, assets), ladder in ladders.items():
        if not ladder:
            continue
        where = "1 process" if replicas == 1 else f"{replicas} replicas + nginx"
        where += ", cold browser caches" if assets else ", warm browser caches"
        steps = ", ".join(
            f"{r['options']['participants']}: {fmt_s(_p95(r))}" for r in ladder
        )
        passed = [r for r in ladder if _p95(r) > KNEE_SECONDS]
        if passed:
            n = passed[0]["options"]["participants"]
            verdict = f"p95 passes {KNEE_SECONDS:g} s at **{n} participants**"
        else:
            n = ladder[-1]["options"]["participants"]
            verdict = f"p95 stays below {KNEE_SECONDS:g} s up to {n}"
        lines.append(f"- {where}: {verdict} (p95 by participants: {steps})")
    return "\n".join(lines)


def _soak_text(result: dict) -> str:
    lines = []
    for name, s in result["servers"].items():
        if not name.startswith("rep"):
            continue
        change = s["rss_last"] / s["rss_first"] - 1
        lines.append(
            f"- {name}: RSS after warm-up {fmt_bytes(s['rss_first'])}, peak "
            f"{fmt_bytes(s['rss_peak'])}, after the last session + "
            f"{result['setup']['settle']:.0f} s idle + one probe session "
            f"{fmt_bytes(s['rss_last'])} ({100 * change:+.1f} %; target within "
            f"±10 %: {'met' if abs(change) <= 0.10 else 'not met'})"
        )
    return "\n".join(lines)


def _markdown(
    plan: Plan, runs: list[dict], ladders: dict, soak: dict, steady: dict
) -> str:
    knee_runs = [r for ladder in ladders.values() for r in ladder]
    all_rows = runs + [r for r in knee_runs if all(r is not k for k in runs)]
    parts = [
        "Command: `make bench-load` (`.venv/bin/python -m bench.load suite`); one "
        "run per row, each on freshly started processes warmed up by one visit of "
        "every page per replica. Client: bench/load (Streamlit's websocket protocol "
        "with streamlit's protobufs, one asyncio task per participant in one "
        "process on the same machine; opening = page + its JS/CSS + health + "
        "websocket until `script_finished`). `open` = opening the link, `all` = "
        "opening and view changes. Server CPU = CPU seconds of all replicas during "
        "the run; client CPU = the load client's; others' cores = CPU the rest of "
        "the machine used meanwhile, in cores (of "
        f"{os.cpu_count()}), from /proc/stat.",
        table(_HEADER, [_row(r) for r in all_rows + [steady, soak]]),
        f"**Knee** (scenario `{plan.knee_scenario}`, p95 over all waits):\n\n"
        + (_knee_text(ladders) or "not measured in this variant"),
        "**Soak** (" + soak["plan"] + "):\n\n" + _soak_text(soak),
    ]
    return "\n\n".join(parts)


def _suite(plan: Plan) -> tuple[Section, dict]:
    runs = _comparison(plan)
    ladders = _knee(plan, runs) if plan.ladder else {}
    steady = _steady(plan)
    soak = _soak(plan)
    data = {
        "machine": machine(),
        "plan": plan.__dict__,
        "runs": runs,
        "knee": {f"{k[0]} {'cold' if k[1] else 'warm'}": v for k, v in ladders.items()},
        "steady": steady,
        "soak": soak,
    }
    markdown = _markdown(plan, runs, ladders, soak, steady)
    return Section("load", "Workshop load", markdown, _small(data)), data


def _small(data: dict) -> dict:
    """The section's data for results.json: summaries without every wait."""

    def strip(r: dict) -> dict:
        return {k: v for k, v in r.items() if k not in ("actions", "timeline")}

    return {
        "runs": [strip(r) for r in data["runs"]],
        "knee": {k: [strip(r) for r in v] for k, v in data["knee"].items()},
        "steady": strip(data["steady"]),
        "soak": strip(data["soak"]) | {"timeline": data["soak"]["timeline"]},
    }


def run(quick: bool = False) -> Section:
    section, data = _suite(QUICK if quick else FULL)
    _write(section, data)
    return section


def _write(section: Section, data: dict) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "load.json").write_text(
        json.dumps(data, indent=1, default=str), encoding="utf-8"
    )
    (OUT_DIR / "load.md").write_text(
        f"## {section.title}\n\n{section.markdown}\n", encoding="utf-8"
    )


def main(quick: bool = False, policy: Policy | None = None) -> int:
    POLICY["now"] = policy or Policy()
    load = os.getloadavg()[0]
    start = time.perf_counter()
    section, data = _suite(QUICK if quick else FULL)
    section.markdown += (
        f"\n\n_{time.perf_counter() - start:.0f} s; load average (1 min) {load:.1f} "
        f"before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs._"
    )
    _write(section, data)
    print(f"## {section.title}\n\n{section.markdown}")
    failed = sum(r["summary"]["errors_total"] for r in data["runs"])
    return 1 if failed else 0
