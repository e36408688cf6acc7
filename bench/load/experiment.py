"""One measurement: start the app (1 process, or N replicas behind nginx), warm it
up, run one scenario, sample the processes, and summarize.

A fresh set of processes per measurement, so no run inherits the sessions of the
one before (Streamlit keeps a closed session for ``server.disconnectedSessionTTL``
= 120 s) or its warmer caches.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import asdict, dataclass, replace

from bench.load.client import require_loopback
from bench.load.driver import probe, run_plan, warm_up
from bench.load.procstats import Sampler
from bench.load.scenarios import Options, build, to_single_page
from bench.load.summary import run_line, servers_table, summarize, waits_table
from tools.replicas import cluster

__all__ = ["APPS", "Setup", "measure", "render"]

APPS = {
    "quartiersmonitor": "app.py",
    "trivial": "bench/load/trivial_app.py",
}
_TIMELINE_STEP = 2.0  # seconds between the samples kept in the JSON


@dataclass(frozen=True)
class Setup:
    """Which app on which processes, and how the client behaves."""

    app: str = "quartiersmonitor"
    replicas: int = 1
    nginx: bool | None = None  # None: nginx exactly when replicas > 1
    assets: bool = True  # fetch index.html's JS and CSS (a cold browser cache)
    timeout: float = 120.0  # per wait
    max_seconds: float = 1800.0  # whole scenario
    settle: float = 0.0  # seconds idle after the scenario before the last sample

    @property
    def behind_nginx(self) -> bool:
        return self.replicas > 1 if self.nginx is None else self.nginx

    def label(self) -> str:
        where = (
            f"{self.replicas} replicas + nginx" if self.replicas > 1 else "1 process"
        )
        if self.replicas == 1 and self.behind_nginx:
            where = "1 process + nginx"
        return f"{self.app}, {where}" + ("" if self.assets else ", no assets")


def measure(
    setup: Setup, scenario: str, options: Options, url: str | None = None
) -> dict:
    """Run ``scenario`` on a new cluster (or against a running ``url``)."""
    if setup.app not in APPS:
        raise ValueError(f"unknown app {setup.app!r}; known: {sorted(APPS)}")
    if url is not None:
        require_loopback(url)
        return asyncio.run(_run(setup, scenario, options, url, [url], {}))
    with cluster(setup.replicas, APPS[setup.app], nginx=setup.behind_nginx) as running:
        result = asyncio.run(
            _run(
                setup,
                scenario,
                options,
                running.url,
                running.replica_urls,
                running.pids(),
            )
        )
        running.check()
    return result


async def _run(
    setup: Setup,
    scenario: str,
    options: Options,
    url: str,
    replica_urls: list[str],
    pids: dict[str, int],
) -> dict:
    load_before = os.getloadavg()
    pages = await warm_up(replica_urls, timeout=setup.timeout)
    plan = build(scenario, replace(options, pages=tuple(pages)))
    if pages == ["/"]:
        plan = to_single_page(plan)
    sampler = Sampler({**pids, "client": os.getpid()})
    zero = time.perf_counter()
    sampler.start(zero)
    actions, facts = await run_plan(
        plan,
        url,
        timeout=setup.timeout,
        assets=setup.assets,
        max_seconds=setup.max_seconds,
    )
    if setup.settle > 0:
        await asyncio.sleep(setup.settle)
        for replica in replica_urls:
            await probe(replica)
        await asyncio.sleep(5)
    await sampler.stop()
    summary = summarize(actions, facts)
    return {
        "setup": asdict(setup) | {"label": setup.label()},
        "scenario": scenario,
        "plan": plan.description,
        "options": asdict(replace(options, pages=tuple(pages))),
        "facts": facts,
        "summary": summary,
        "servers": sampler.summary(),
        "others": sampler.others(),
        "nice": os.nice(0),
        "timeline": _thin(sampler.timeline),
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "actions": [a.as_dict() for a in actions],
    }


def _thin(timeline: list[dict]) -> list[dict]:
    kept, last = [], -_TIMELINE_STEP
    for row in timeline:
        if row["t"] - last >= _TIMELINE_STEP or row is timeline[-1]:
            kept.append(row)
            last = row["t"]
    return kept


def render(result: dict) -> str:
    """Markdown of one run: the plan, the waits, bytes and the processes."""
    before, after = result["load_before"][0], result["load_after"][0]
    return "\n\n".join(
        [
            f"**{result['scenario']}** on {result['setup']['label']}: "
            f"{result['plan']} ({result['facts']['wall_seconds']:.0f} s; load "
            f"average {before:.1f} before, {after:.1f} after; other processes used "
            f"{result['others']['cores']:.2f} cores meanwhile; nice "
            f"{result['nice']}).",
            waits_table(result["summary"]),
            run_line(result["summary"]),
            servers_table(result["servers"]),
        ]
    )
