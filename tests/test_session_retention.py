"""What a session keeps after its run must not hold the page's globals.

Streamlit keeps the widget callbacks (and their serializers) and the deferred
downloads of a session's last run, also for a closed tab's session for 120 s
(``server.disconnectedSessionTTL``). A function defined in a page script has that
run's module dict as ``__globals__``: every frame, figure and record the page
built stays alive with it, about 0.3 MiB per kept session on the demo data
(docs/PERFORMANCE.md, "Soak"). Callbacks and downloads therefore come from
monitor/ (``functools.partial`` of a module function with what it needs).
"""

from __future__ import annotations

import contextlib
import functools
import types
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from monitor.viewstate import PAGES
from tests.apptest import open_page
from tests.conftest import ROOT

SCRIPTS = {str(ROOT / "app.py"), *(str(p) for p in (ROOT / "pages").glob("*.py"))}


def page_globals(obj, seen: set[int] | None = None) -> set[str]:
    """Page scripts whose globals ``obj`` reaches through functions, closures,
    partials, bound methods and the attributes of small holder objects."""
    seen = set() if seen is None else seen
    if id(obj) in seen or obj is None:
        return set()
    seen.add(id(obj))
    found: set[str] = set()
    if isinstance(obj, types.FunctionType):
        source = obj.__globals__.get("__file__")
        if source in SCRIPTS:
            found.add(Path(source).name)
        for cell in obj.__closure__ or ():
            with contextlib.suppress(ValueError):  # an empty cell
                found |= page_globals(cell.cell_contents, seen)
        for default in obj.__defaults__ or ():
            found |= page_globals(default, seen)
    elif isinstance(obj, functools.partial):
        for part in (obj.func, *obj.args, *obj.keywords.values()):
            found |= page_globals(part, seen)
    elif isinstance(obj, types.MethodType):
        found |= page_globals(obj.__func__, seen) | page_globals(obj.__self__, seen)
    elif isinstance(obj, list | tuple):
        for item in obj:
            found |= page_globals(item, seen)
    elif isinstance(obj, dict):
        for item in obj.values():
            found |= page_globals(item, seen)
    elif type(obj).__module__.startswith(("streamlit", "monitor")) and hasattr(
        obj, "__dict__"
    ):
        found |= page_globals(vars(obj), seen)
    return found


@pytest.fixture
def deferred(monkeypatch) -> list:
    """The callables of the deferred downloads registered while the test runs."""
    kept: list = []
    add = MediaFileManager.add_deferred

    def record(self, data_callable, *args, **kwargs):
        kept.append(data_callable)
        return add(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return kept


def kept_callables(at) -> dict[str, list]:
    """What the session keeps: widget callbacks, serializers, callback args."""
    widgets = at._session_state._state._new_widget_state.widget_metadata
    return {
        wid: [m.callback, m.callback_args, m.callback_kwargs, m.serializer,
              m.deserializer]
        for wid, m in widgets.items()
    }  # fmt: skip


@pytest.mark.parametrize("page", [p.id for p in PAGES], ids=[p.id for p in PAGES])
def test_no_callback_or_download_holds_a_page_s_globals(page, deferred):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    offenders = {
        wid: sorted(found)
        for wid, parts in kept_callables(at).items()
        if (found := page_globals(parts))
    }
    offenders |= {
        f"download {i}": sorted(found)
        for i, make in enumerate(deferred)
        if (found := page_globals(make))
    }
    assert not offenders, offenders


def test_the_walk_finds_a_page_function():
    """The check itself: a function whose globals are a page script's is found,
    also behind a partial and a closure."""
    namespace = {"__file__": str(ROOT / "pages" / "karte.py")}
    exec("def make():\n    return 1\n", namespace)  # noqa: S102
    inner = namespace["make"]

    def outer():
        return inner()

    assert page_globals(functools.partial(outer)) == {"karte.py"}
    assert page_globals(functools.partial(len, "x")) == set()
