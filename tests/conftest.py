"""The test plumbing, in one place (test modules define no fixtures).

- Data: the committed demo data (Neunkirchen and the fictitious Musterstadt) and a
  tiny data set built in code.
- The app's environment for every test: blank basemap (offline), edits into a
  temporary folder, no demo editing.
- AppTest: :func:`tests.apptest.open_page` opens a page of the app from a link.
- Browser tests (``-m browser``), as in Streamlit's own e2e suite
  (``e2e_playwright/conftest.py``): pytest-playwright's ``browser``/``new_context``
  fixtures on Debian's Chromium (never ``playwright install``), one browser
  ``context`` per test module and one served and warmed app per environment
  (``app_server``, shared by the modules of a worker with the same ``app_env``),
  helpers in ``tests/browser.py``. A module configures them with markers::

      pytestmark = [
          pytest.mark.browser(timeout_ms=20_000),  # how long assertions wait
          pytest.mark.app_env(QM_MAP_IMAGE_AREAS="100"),  # the server's environment
          pytest.mark.browser_context_args(viewport=..., locale="de-DE"),
      ]

  A failing browser test leaves a screenshot of each of its pages in
  ``test-results/`` (``--screenshot=only-on-failure`` in pyproject.toml).
- Skips: with ``CI`` or ``QM_NO_SKIP=1`` set, a skipped test fails (no check may
  silently not run in CI).
- Order on the xdist workers (``make test``): each file on one worker, browser
  files one at a time from the start of the run (tests/scheduling.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect
from playwright.sync_api import Error as PlaywrightError

from monitor.programme.jsonl import JsonLinesLog
from monitor.store import Store
from tests.browser import (
    oidc_provider,
    register_user,
    warm_server,
    write_login_secrets,
)
from tests.tiny_data import build_tiny_dataset
from tools.serve import CHROMIUM, CHROMIUM_ARGS, served_app

pytest_plugins = ["pytester"]  # tests/test_no_skip.py runs pytest on small suites

ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = ROOT / "data" / "demo"
MUSTERSTADT_DIR = ROOT / "data" / "musterstadt"


def streamlit_option(name: str):
    """The option as Streamlit itself reads .streamlit/config.toml (fresh process,
    so the test session's configuration is untouched)."""
    code = (
        "import json; from streamlit import config; "
        f"print(json.dumps(config.get_option({name!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        check=True, timeout=120,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


# How long browser assertions (``expect``) wait unless the module's browser marker
# says otherwise: a script run may take seconds on a busy 2-core machine.
EXPECT_TIMEOUT_MS = 20_000

# The editor of the login tests' app (secrets.toml [roles]).
LOGIN_EDITOR = "editor@example.org"
LOGIN_VIEWER = "viewer@example.org"
# listed as editor, but the provider is not told about this name: it sends only
# ``email`` (no ``email_verified``), so the app must treat them as a viewer
LOGIN_UNVERIFIED = "unbestaetigt@example.org"


# -- the order of test files on the xdist workers ------------------------------------


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile`` with one browser file at a time (tests/scheduling.py)."""
    if config.getoption("dist") == "loadfile":
        from tests.scheduling import OneBrowserAtATime

        return OneBrowserAtATime(config, log)
    return None


# -- skips fail in CI ---------------------------------------------------------------


def skips_fail() -> bool:
    """Whether a skip counts as a failure: in CI (``CI`` set, as every CI service
    does) or when ``QM_NO_SKIP=1`` (set by ``make test``)."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return ci or os.environ.get("QM_NO_SKIP", "").strip() == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn a skip into a failure that names the skip's reason.

    An expected failure (``xfail``) stays what it is; only real skips fail.
    """
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and skips_fail()) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
    report.outcome = "failed"
    report.longrepr = (
        f"skipped, but skips fail here (CI or QM_NO_SKIP=1): {reason}\n"
        "A test that needs a tool installs it (make test) or fails."
    )


# -- data and environment -----------------------------------------------------------


DEMO_FOLDERS = {"demo": DEMO_DIR, "musterstadt": MUSTERSTADT_DIR}


@pytest.fixture(params=list(DEMO_FOLDERS))
def demo_folder(request, monkeypatch) -> str:
    """Run the test on each shipped demo folder (Neunkirchen, Musterstadt)."""
    monkeypatch.setenv("QM_DATA_DIR", str(DEMO_FOLDERS[request.param]))
    return request.param


@pytest.fixture(scope="session")
def demo_store() -> Store:
    return Store(DEMO_DIR)


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory) -> Path:
    return build_tiny_dataset(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="session")
def tiny_store(tiny_dir) -> Store:
    return Store(tiny_dir)


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster with the edit-log table, an owner role and the
    restricted app role (tests/postgres_cluster.py). Fails, never skips, when the
    cluster cannot start: `make test` installs PostgreSQL."""
    from tests.postgres_cluster import start_cluster

    try:
        cluster = start_cluster()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pytest.fail(f"PostgreSQL test cluster did not start: {exc}", pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(autouse=True)
def environment(monkeypatch, tmp_path) -> Path:
    """The app's environment for each test; returns the edit folder.

    Blank basemap (no tile server), edits into the test's temporary folder (never
    into local_data/), demo editing off.
    """
    monkeypatch.setenv("QM_BASEMAP", "blank")
    monkeypatch.setenv("QM_EDIT_DIR", str(tmp_path / "edits"))
    monkeypatch.delenv("QM_DEMO_EDIT", raising=False)
    return tmp_path / "edits"


# -- browser tests ------------------------------------------------------------------


def _marker_kwargs(node, name: str) -> dict:
    marker = node.get_closest_marker(name)
    return dict(marker.kwargs) if marker else {}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args) -> dict:
    """pytest-playwright launches Debian's Chromium (tools/serve.py's CHROMIUM)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (apt-get)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="module", autouse=True)
def _expect_timeout(request) -> None:
    """Browser assertions wait the module's ``browser(timeout_ms=...)``."""
    if request.node.get_closest_marker("browser"):
        timeout = _marker_kwargs(request.node, "browser").get("timeout_ms")
        expect.set_options(timeout=timeout or EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="module")
def _module_context(browser, browser_context_args, request) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **browser_context_args, **_marker_kwargs(request.node, "browser_context_args")
    )
    yield context
    context.close()


@pytest.fixture
def context(_module_context, request, pytestconfig) -> Iterator[BrowserContext]:
    """The module's one browser context (replaces pytest-playwright's per test).

    A new context has an empty HTTP and code cache: its first page load compiles
    Streamlit's scripts again (6-8 s against 3 s on a warm context here, measured
    with tests/browser.py's open_page). Each test still opens its own pages (new
    sessions); they are closed after the test, with a screenshot in
    ``test-results/`` when it failed. Tests that need a clean context (cookies,
    a login) take ``new_context``.
    """
    before = set(_module_context.pages)
    yield _module_context
    opened = [page for page in _module_context.pages if page not in before]
    call = getattr(request.node, "rep_call", None)  # set by pytest-playwright
    if call is not None and call.failed:
        folder = Path(pytestconfig.getoption("--output")) / re.sub(
            r"[^\w.-]+", "-", request.node.nodeid
        )
        for n, page in enumerate(opened, 1):
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=folder / f"test-failed-{n}.png", timeout=5000)
    for page in opened:
        with contextlib.suppress(PlaywrightError):
            page.close()


@pytest.fixture(scope="session")
def _served_apps() -> Iterator[Callable[[dict], str]]:
    """Served and warmed apps of this worker by environment, started when first
    asked for: the browser modules with the same ``app_env`` share one server, as
    the users of a deployment do (a start and warm-up is ~10 s of the run)."""
    servers: dict[tuple, str] = {}
    with contextlib.ExitStack() as stack:

        def served(env: dict) -> str:
            key = tuple(sorted(env.items()))
            if key not in servers:
                servers[key] = stack.enter_context(warm_server(env))
            return servers[key]

        yield served


@pytest.fixture(scope="module")
def app_server(request, _served_apps) -> str:
    """The served app of the module's ``app_env`` marker (its environment), warmed
    by one session on the start page; its URL. Each test opens its own sessions."""
    return _served_apps(_marker_kwargs(request.node, "app_env"))


@pytest.fixture(scope="module")
def login_app(tmp_path_factory) -> Iterator[tuple[str, JsonLinesLog]]:
    """The app with login against a local OIDC provider: (URL, edit log).

    It runs from a temporary app folder whose .streamlit/secrets.toml holds the
    [auth] table and the roles (``LOGIN_EDITOR`` and ``LOGIN_UNVERIFIED`` are
    listed as editors, only the first is verified); real secrets are never used
    or committed.
    """
    folder = tmp_path_factory.mktemp("app")
    streamlit_dir = folder / ".streamlit"
    streamlit_dir.mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", streamlit_dir / "config.toml")
    edits = folder / "edits"
    with oidc_provider() as issuer:
        # the mock sends only the e-mail unless told: these two are verified
        register_user(issuer, LOGIN_EDITOR)
        register_user(issuer, LOGIN_VIEWER)
        write_login_secrets(
            streamlit_dir / "secrets.toml", issuer, [LOGIN_EDITOR, LOGIN_UNVERIFIED]
        )
        env = {"QM_EDIT_DIR": str(edits), "QM_DEMO_EDIT": ""}
        with served_app(env=env, app=str(ROOT / "app.py"), cwd=folder) as url:
            yield url, JsonLinesLog(edits / "programm" / "demo")
