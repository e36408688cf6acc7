"""Long uptime: every cache is bounded and a session's state does not grow.

A server runs for months; an unbounded cache or a list in session state that
grows with every view would eat its memory slowly. The limits and the measured
entry sizes behind them are in docs/PERFORMANCE.md ("Caches"; numbers from
``python -m bench.run --only cache_sizes``).
"""

from __future__ import annotations

import ast
import pickle
import random

from streamlit.testing.v1 import AppTest

from monitor.viewstate import PAGES
from tests.apptest import app_test
from tests.conftest import ROOT
from tests.security.hostile_support import demo_context

SOURCES = [
    p
    for folder in ("monitor", "pages", "tools", "bench")
    for p in (ROOT / folder).rglob("*.py")
] + [ROOT / "app.py"]
LIMITS = {"max_entries", "ttl"}


def cache_decorators():
    """(file, line, function, keywords) of every st.cache_data/st.cache_resource
    and cache_frames (monitor/ui/shared_frames.py)."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                target = call.func if call else deco
                name = ast.unparse(target)
                if name.endswith(("cache_data", "cache_resource", "cache_frames")):
                    keywords = {k.arg for k in call.keywords} if call else set()
                    yield path.relative_to(ROOT), node.lineno, node.name, keywords


def test_every_cache_has_a_limit():
    found = list(cache_decorators())
    assert len(found) >= 25, "the scan finds the app's caches"
    unbounded = [f"{f}:{line} {name}" for f, line, name, kw in found if not kw & LIMITS]
    assert not unbounded, unbounded


def _state_size(at: AppTest) -> tuple[int, int]:
    state = at.session_state.to_dict()
    size = 0
    for value in state.values():
        try:
            size += len(pickle.dumps(value))
        except Exception:  # noqa: BLE001 - an unpicklable value counts as small
            size += 64
    return len(state), size


def _views(rng: random.Random, n: int):
    ctx = demo_context()
    pages = [p.id for p in PAGES if p.id != "ablauf"]
    areas = sorted(ctx.area_ids)
    for _ in range(n):
        indicator = rng.choice(ctx.indicator_ids)
        years = ctx.indicator_years[indicator]
        params = {
            "indikator": indicator,
            "jahr": str(rng.choice(years)),
            "ebene": rng.choice(ctx.indicator_levels[indicator]),
            "gebiet": rng.choice(areas),
            "gebiete": ",".join(rng.sample(areas, 3)),
            "k": str(rng.randint(3, 7)),
            "suche": f"suche {rng.random()}",
        }
        yield rng.choice(pages), params


def test_session_state_stays_bounded_over_many_views():
    """One session, every page, then 40 more views with changing links: the
    number of keys and the pickled size of the session state stay within the
    largest of the first round over all pages (a view holds the widgets of its
    page and the one before; lists that grow per view would not stay)."""
    rng = random.Random(7)
    at = app_test()

    def visit(page: str, params: dict) -> None:
        at.query_params.clear()
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(f"pages/{page}.py")
        at.run()
        assert not at.exception, at.exception

    for page, params in _views(rng, 12):  # warm-up: every page once or more
        visit(page, params)
    first_round = []
    for spec in PAGES:  # the state holds the widgets of the page just left too
        visit(spec.id, {})
        first_round.append(_state_size(at))
    keys = max(k for k, _ in first_round)
    size = max(s for _, s in first_round)
    sizes = []
    for page, params in _views(rng, 40):
        visit(page, params)
        sizes.append(_state_size(at))
    assert max(k for k, _ in sizes) <= keys + 5, (keys, sizes[-5:])
    assert max(s for _, s in sizes) <= size * 1.2 + 4096, (size, sizes[-5:])
