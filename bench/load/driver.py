"""Run a plan of participants against a served app and collect what they waited for.

Every participant is an asyncio task in this one process (a browser tab each, see
client.py); ``Plan.max_concurrent`` bounds the open tabs, ``max_seconds`` the whole
run. ``warm_up`` visits every page once on every replica first, because each
Streamlit process has its own caches (``st.cache_data`` is per process).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from bench.load.client import Action, Participant
from bench.load.scenarios import Plan, Script

__all__ = ["MAX_PARTICIPANTS", "MAX_SECONDS", "warm_up", "run_plan", "probe"]

MAX_PARTICIPANTS = 1000  # bounds of one run, whatever the command line says
MAX_SECONDS = 3600.0


def _links(pages: dict[str, str]) -> list[str]:
    return ["/" + path for path in pages]


async def warm_up(replica_urls: Sequence[str], timeout: float = 180.0) -> list[str]:
    """Open ``/`` and then every page of the navigation once on each replica.

    Returns the app's page links (``["/"]`` for a one-page app). An error when a
    replica does not serve every page without error.
    """
    links: list[str] = []
    for url in replica_urls:
        tab = Participant(url, -1, clock_zero=time.perf_counter(), timeout=timeout)
        try:
            actions = [await tab.open("/")]
            links = ["/"] if tab.single_page else _links(tab.pages)
            for link in links:
                if link != "/":
                    actions.append(await tab.view(link))
        finally:
            await tab.close()
        failed = [a for a in actions if a.error or a.exceptions]
        if failed:
            a = failed[0]
            raise RuntimeError(
                f"warm-up of {url}{a.link} failed: {a.error or a.exception_texts}"
            )
    return links


async def probe(url: str, timeout: float = 120.0) -> Action:
    """One short session on ``/`` (after a soak it also lets Streamlit expire the
    disconnected sessions, which its TTL cache does only when touched)."""
    tab = Participant(url, -2, clock_zero=time.perf_counter(), timeout=timeout)
    try:
        return await tab.open("/")
    finally:
        await tab.close()


async def _participant(
    index: int,
    script: Script,
    url: str,
    zero: float,
    slots: asyncio.Semaphore,
    actions: list[Action],
    timeout: float,
    assets: bool,
) -> None:
    await asyncio.sleep(max(0.0, script.arrival - (time.perf_counter() - zero)))
    async with slots:
        tab = Participant(url, index, clock_zero=zero, timeout=timeout, assets=assets)
        try:
            first, *rest = script.visits
            actions.append(await tab.open(first.link))
            for visit in rest:
                await asyncio.sleep(visit.think)
                actions.append(await tab.view(visit.link))
            await asyncio.sleep(script.dwell)
        finally:
            await tab.close()


async def run_plan(
    plan: Plan,
    url: str,
    *,
    timeout: float = 120.0,
    assets: bool = True,
    max_seconds: float = 1800.0,
) -> tuple[list[Action], dict]:
    """Run ``plan`` against ``url``; returns the actions and facts of the run."""
    if len(plan.scripts) > MAX_PARTICIPANTS:
        raise ValueError(f"at most {MAX_PARTICIPANTS} participants per run")
    if not 0 < max_seconds <= MAX_SECONDS:
        raise ValueError(f"max_seconds must be in (0, {MAX_SECONDS:g}]")
    zero = time.perf_counter()
    slots = asyncio.Semaphore(plan.max_concurrent)
    actions: list[Action] = []
    tasks = [
        asyncio.create_task(
            _participant(i, s, url, zero, slots, actions, timeout, assets)
        )
        for i, s in enumerate(plan.scripts)
    ]
    done, pending = await asyncio.wait(tasks, timeout=max_seconds)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    crashed = [repr(t.exception()) for t in done if t.exception() is not None]
    facts = {
        "wall_seconds": time.perf_counter() - zero,
        "participants": len(plan.scripts),
        "cut_by_deadline": len(pending),
        "crashed": crashed[:5],
        "n_crashed": len(crashed),
    }
    return sorted(actions, key=lambda a: a.started), facts
