"""Scenarios: who opens which link when, and which views follow after what pause.

A plan is a list of participant scripts, drawn from a seeded random generator so a
scenario is the same in every run. The first visit of a script opens its link in a
new tab (HTTP + websocket); each further visit is a view change in that tab after
its think time. ``SCENARIOS`` maps the names of the command line to builders.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from bench.load.client import split_link

__all__ = [
    "Visit",
    "Script",
    "Plan",
    "Options",
    "SCENARIOS",
    "build",
    "to_single_page",
]

START = "/"
KARTE = "/karte?ebene=quartier"
# what a moderator asks for after the start page: the map, the hotspots, another level
WORKSHOP_VIEWS = ("/karte?ebene=quartier", "/hotspots", "/karte?ebene=stadtteil")


@dataclass(frozen=True)
class Visit:
    link: str
    think: float = 0.0  # seconds after the previous visit ended


@dataclass(frozen=True)
class Script:
    arrival: float  # seconds after the scenario started
    visits: tuple[Visit, ...]
    dwell: float = 0.0  # seconds the tab stays open after the last visit


@dataclass(frozen=True)
class Plan:
    name: str
    description: str
    scripts: tuple[Script, ...]
    max_concurrent: int  # tabs open at the same time at most


@dataclass(frozen=True)
class Options:
    """What the command line can change; the defaults are the issue's workshop."""

    participants: int = 30
    link: str = START
    views: tuple[str, ...] = WORKSHOP_VIEWS
    think: tuple[float, float] = (5.0, 15.0)
    window: float | None = None  # arrivals spread over s (workshop 1.5, arrivals 0)
    duration: float = 120.0  # steady use
    sessions: int = 200  # soak
    concurrency: int = 10  # soak, steady
    pages: tuple[str, ...] = (START,)  # soak: every page, filled in from the app
    seed: int = 1


def _arrivals(rng: random.Random, n: int, window: float) -> list[float]:
    return sorted(rng.uniform(0, window) if window > 0 else 0.0 for _ in range(n))


def workshop(o: Options) -> Plan:
    rng = random.Random(o.seed)
    window = 1.5 if o.window is None else o.window
    scripts = tuple(
        Script(
            arrival,
            (Visit(o.link),) + tuple(Visit(v, rng.uniform(*o.think)) for v in o.views),
        )
        for arrival in _arrivals(rng, o.participants, window)
    )
    return Plan(
        "workshop",
        f"{o.participants} participants open {o.link} within {window:g} s, then "
        f"{len(o.views)} view changes each ({', '.join(o.views)}) after "
        f"{o.think[0]:g}–{o.think[1]:g} s of thinking",
        scripts,
        o.participants,
    )


def workshop_short(o: Options) -> Plan:
    return replace(
        workshop(replace(o, views=o.views[:1], think=(2.0, 5.0))),
        name="workshop-short",
    )


def _arrivals_on(link: str, name: str) -> Callable[[Options], Plan]:
    def build_plan(o: Options) -> Plan:
        rng = random.Random(o.seed)
        window = o.window or 0.0
        scripts = tuple(
            Script(a, (Visit(link),)) for a in _arrivals(rng, o.participants, window)
        )
        when = "at once" if window <= 0 else f"within {window:g} s"
        return Plan(
            name, f"{o.participants} open {link} {when}", scripts, o.participants
        )

    return build_plan


def steady(o: Options) -> Plan:
    """``concurrency`` tabs open for ``duration`` s, a view change per think time."""
    rng = random.Random(o.seed)
    links = list(dict.fromkeys([o.link, *o.views, *o.pages]))
    scripts = []
    for _ in range(o.concurrency):
        arrival = rng.uniform(0, o.think[1])
        visits = [Visit(rng.choice(links))]
        elapsed = arrival
        while elapsed < o.duration:
            think = rng.uniform(*o.think)
            elapsed += think
            visits.append(Visit(rng.choice(links), think))
        scripts.append(Script(arrival, tuple(visits)))
    return Plan(
        "steady",
        f"{o.concurrency} participants for {o.duration:g} s, a view change every "
        f"{o.think[0]:g}–{o.think[1]:g} s over {len(links)} links",
        tuple(scripts),
        o.concurrency,
    )


def soak(o: Options) -> Plan:
    """``sessions`` tabs opened and closed over every page, ``concurrency`` at once.

    Each tab opens one page and changes to the next one, so every page is run both
    as a first run and as a rerun of a session.
    """
    pages = list(o.pages)
    scripts = tuple(
        Script(
            0.0,
            (Visit(pages[i % len(pages)]), Visit(pages[(i + 1) % len(pages)], 0.5)),
            dwell=0.5,
        )
        for i in range(o.sessions)
    )
    return Plan(
        "soak",
        f"{o.sessions} sessions opened and closed, {o.concurrency} at a time, over "
        f"{len(pages)} pages",
        scripts,
        o.concurrency,
    )


SCENARIOS: dict[str, Callable[[Options], Plan]] = {
    "workshop": workshop,
    "workshop-short": workshop_short,
    "arrivals-start": _arrivals_on(START, "arrivals-start"),
    "arrivals-karte": _arrivals_on(KARTE, "arrivals-karte"),
    "steady": steady,
    "soak": soak,
}


def build(name: str, options: Options) -> Plan:
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; known: {sorted(SCENARIOS)}")
    return SCENARIOS[name](options)


def to_single_page(plan: Plan) -> Plan:
    """The plan for a one-page app (the trivial floor app): every link becomes
    ``/`` with the link's query string, so a view change is a rerun of that page."""

    def one(link: str) -> str:
        _, query = split_link(link)
        return "/" + (f"?{query}" if query else "")

    scripts = tuple(
        replace(s, visits=tuple(replace(v, link=one(v.link)) for v in s.visits))
        for s in plan.scripts
    )
    return replace(plan, scripts=scripts)
