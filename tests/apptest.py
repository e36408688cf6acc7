"""The app in AppTest, opened as a pasted link opens it: one way for every test.

A link to ``/<page>?<query>`` starts one script run of app.py, whose
``st.navigation`` runs the page (``switch_page`` before the first run names the
page by its file, which is its ``url_path`` here). Opening the start page first
and then switching would be a second run no user makes.

AppTest scans the metadata of every installed package for custom components on
each new instance (``discover_and_register_components``, ~0.3 s here); the app
has none of its own, so one registry serves every session of a test process.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

from monitor.viewstate import PAGES

__all__ = [
    "APP",
    "START_PAGE",
    "TIMEOUT_S",
    "app_test",
    "open_page",
    "shared_components",
]

APP = str(Path(__file__).resolve().parent.parent / "app.py")
START_PAGE = next(spec.id for spec in PAGES if not spec.url_path)
# A limit for one script run (a page with a map takes seconds on a busy 2-core
# machine); never an assertion about time.
TIMEOUT_S = 180


@cache
def _components() -> BidiComponentManager:
    registry = BidiComponentManager()
    registry.discover_and_register_components(start_file_watching=False)
    return registry


def shared_components(at: AppTest) -> AppTest:
    """``at`` with the process's one component registry (AppTest keeps its own
    per instance, a private attribute: a Streamlit without it just scans again)."""
    at._bidi_component_manager = _components()
    return at


def app_test(timeout: float = TIMEOUT_S) -> AppTest:
    """A new session of the app, not run yet."""
    return shared_components(AppTest.from_file(APP, default_timeout=timeout))


def open_page(
    page: str = START_PAGE,
    params: Mapping[str, str | list[str]] | None = None,
    *,
    user: dict | None = None,
    secrets: dict | None = None,
    check: bool = True,
) -> AppTest:
    """``page`` opened from a link with the query ``params`` in a new session.

    ``user`` and ``secrets`` stand in for ``st.user`` and secrets.toml. With
    ``check`` the run must end without an exception (the hostile-input tests look
    at what went wrong themselves).
    """
    at = app_test()
    if secrets is not None:
        at.secrets = secrets
    if user is not None:
        at.user = user
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page != START_PAGE:
        at.switch_page(f"pages/{page}.py")
    at.run()
    if check:
        assert not at.exception, at.exception
    return at
