"""Load smoke test: 5 participants on 2 replicas of the app behind a real nginx.

Each participant opens the start page over nginx as a browser would (page, JS/CSS,
websocket, Streamlit's protocol; bench/load) and changes the view twice. No waiting
time is asserted: no errors, no exception elements, both replicas served sessions,
every request of a browser reached the replica its sticky cookie names, and the
replicas share one cookie secret. nginx comes from Debian's package; the test
installs it when missing and fails (never skips) when it cannot.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench.load.client import require_loopback
from bench.load.driver import run_plan
from bench.load.scenarios import Options, build
from tools.replicas import backend_name, cluster, render_site, streamlit_static_root

PARTICIPANTS = 5
VIEWS = ("/karte?ebene=quartier", "/hotspots")


def _ensure_nginx() -> None:
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "nginx"]):
        done = subprocess.run([*sudo, *cmd], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"cannot install nginx ({' '.join(cmd)}):\n{done.stderr}")


@pytest.fixture(scope="module")
def served():
    _ensure_nginx()
    with cluster(2, "app.py", env={"QM_BASEMAP": "blank"}) as running:
        yield running


@pytest.fixture(scope="module")
def load_run(served):
    plan = build(
        "workshop",
        Options(participants=PARTICIPANTS, views=VIEWS, think=(0.5, 1.0)),
    )
    # a thread of its own: pytest-playwright's sync API keeps an event loop running
    # in the main thread once a browser test of the session has started
    with ThreadPoolExecutor(1) as pool:
        run = pool.submit(asyncio.run, run_plan(plan, served.url, timeout=180))
        actions, facts = run.result()
    served.check()
    return actions, facts


def _server_logs(served) -> str:
    """The end of each replica's log (tracebacks are redacted in the browser)."""
    logs = sorted(served.run_dir.glob("replica-*.log"))
    return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs)


def test_every_wait_ends_without_error_or_exception(load_run, served):
    actions, facts = load_run
    assert facts["cut_by_deadline"] == 0 and facts["n_crashed"] == 0, facts
    assert len(actions) == PARTICIPANTS * (1 + len(VIEWS))
    assert [a.error for a in actions if a.error] == [], _server_logs(served)
    exceptions = [(a.link, t) for a in actions for t in a.exception_texts]
    assert exceptions == [], _server_logs(served)
    assert sum(a.exceptions for a in actions) == 0
    assert all(a.seconds is not None and a.ws_bytes > 0 for a in actions)


def test_sessions_reach_both_replicas(load_run, served):
    actions, _ = load_run
    replicas = {a.replica for a in actions if a.kind == "open"}
    assert replicas == set(served.names)


def test_every_request_goes_to_the_replica_of_its_cookie(load_run, served):
    del load_run  # the log is written by the run
    name_of = {
        u.removeprefix("http://"): n
        for u, n in zip(served.replica_urls, served.names, strict=True)
    }
    line = re.compile(r'"(?P<req>[^"]*)" (?P<status>\d+) (?P<up>\S+) cookie=(?P<c>\S*)')
    pinned = 0
    for text in (served.run_dir / "access.log").read_text().splitlines():
        m = line.search(text)
        assert m, text
        if m["c"] != "-" and m["up"] in name_of:  # nginx logs "" as "-"
            pinned += 1
            assert name_of[m["up"]] == m["c"], text
    # after the page (which sets the cookie): health, host-config and the
    # websocket of every participant (the JS/CSS come from nginx itself)
    assert pinned >= PARTICIPANTS * 3


def _log_lines(served) -> list[re.Match]:
    line = re.compile(r'"GET (?P<path>\S+) [^"]*" (?P<status>\d+) (?P<up>\S+) ')
    text = (served.run_dir / "access.log").read_text().splitlines()
    return [m for m in map(line.search, text) if m]


def test_streamlit_files_come_from_disk_not_from_a_replica(load_run, served):
    """The ~60 JS/CSS/font files of every new browser are nginx's work (read from
    the Streamlit package), not the app processes'; pages and the websocket still
    reach a replica."""
    del load_run  # the log is written by the run
    lines = _log_lines(served)
    static = [m for m in lines if m["path"].startswith("/static/")]
    assert len(static) >= PARTICIPANTS * 10
    assert {m["up"] for m in static} == {"-"}, static[:3]
    assert all(m["status"] in ("200", "304") for m in static)
    pages = [m for m in lines if m["path"].split("?")[0] in ("/", "/_stcore/stream")]
    assert pages and all(m["up"] != "-" for m in pages)


def test_nginx_sends_streamlit_files_compressed_and_typed(served):
    root = streamlit_static_root()
    script = next((root / "static" / "js").glob("index.*.js"))
    url = f"{served.url}/static/js/{script.name}"
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        headers = response.headers
    assert headers["Content-Type"] == "application/javascript"
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert gzip.decompress(body) == script.read_bytes()
    # a file nginx does not have is asked of a replica (replicas of another
    # Streamlit version than nginx's folder)
    with contextlib.suppress(urllib.error.HTTPError):
        urllib.request.urlopen(f"{served.url}/static/js/not-on-disk.js", timeout=10)
    # nginx writes the log line when the request ends, which can be just after the
    # client has the answer (seen on a busy machine): wait for it, a bounded while
    for _ in range(50):
        lines = _log_lines(served)
        asked = [m for m in lines if m["path"] == "/static/js/not-on-disk.js"]
        if asked:
            break
        time.sleep(0.1)
    assert asked and asked[-1]["up"] != "-"


def test_replicas_share_one_cookie_secret(served):
    def secret(pid: int) -> bytes:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        return next(e for e in environ if e.startswith(b"STREAMLIT_SERVER_COOKIE"))

    first, second = (secret(p.pid) for p in served.replicas)
    assert first == second and len(first) > len("STREAMLIT_SERVER_COOKIE_SECRET=")


def test_nginx_site_names_backends_stably():
    two = render_site(["127.0.0.1:8501", "127.0.0.1:8502"])
    three = render_site(["127.0.0.1:8501", "127.0.0.1:8502", "10.0.0.5:8501"])
    name = backend_name("127.0.0.1:8501")
    assert f"    {name} qm_{name};" in two and f"    {name} qm_{name};" in three
    assert "10.0.0.5" not in name
    with pytest.raises(ValueError, match="twice"):
        render_site(["127.0.0.1:8501", "127.0.0.1:8501"])
    with pytest.raises(ValueError, match="HOST:PORT"):
        render_site(["127.0.0.1:8501; evil"])


def test_nginx_site_serves_streamlit_files_of_a_given_root(tmp_path):
    (tmp_path / "static").mkdir()
    site = render_site(["127.0.0.1:8501"], static_root=tmp_path)
    assert f"root {tmp_path};" in site and "try_files $uri @replica;" in site
    assert f"root {streamlit_static_root()};" in render_site(["127.0.0.1:8501"])
    with pytest.raises(ValueError, match="no Streamlit static"):
        render_site(["127.0.0.1:8501"], static_root=tmp_path / "missing")
    evil = tmp_path / "x; include etc"
    (evil / "static").mkdir(parents=True)
    with pytest.raises(ValueError, match="plain path"):
        render_site(["127.0.0.1:8501"], static_root=evil)


def test_load_client_refuses_other_hosts():
    require_loopback("http://127.0.0.1:8501")
    require_loopback("http://localhost:8501")
    with pytest.raises(ValueError, match="loopback"):
        require_loopback("http://192.0.2.1:8501")
