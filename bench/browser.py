"""Launch the app and a headless Chromium for the browser benchmarks.

Unlike tools/serve.py's ``served_app`` (which yields only after the health check),
``launch_app`` returns the process at once, so startup.py can time the server from
the launch on. Server flags are the same as served_app's: headless, no file watcher,
no usage statistics, QM_BASEMAP=blank (no internet tiles).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from bench.report import ROOT
from tools.serve import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HEALTH,
    free_port,
    streamlit_command,
    wait_healthy,
)

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "APP_READY",
    "CONNECTED",
    "launch_app",
    "stop_app",
    "wait_app",
    "running_app",
    "wait_script_done",
    "load_milestones",
    "server_memory_mb",
    "chromium_version",
]

APP_READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
DECK_CANVAS = "[data-testid='stDeckGlJsonChart'] canvas"


def launch_app(env: dict | None = None, app: str = "app.py") -> tuple:
    """Start ``streamlit run`` on a free port; return (process, base URL)."""
    port = free_port()
    full_env = {**os.environ, "QM_BASEMAP": "blank", **(env or {})}
    proc = subprocess.Popen(
        streamlit_command(app, port),
        cwd=ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}"


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_app(proc: subprocess.Popen, url: str, timeout: float = 90) -> None:
    """Until the app's health check answers, polled every 20 ms (startup timing)."""
    wait_healthy(url + HEALTH, proc, timeout=timeout, poll=0.02)


@contextlib.contextmanager
def running_app(env: dict | None = None) -> Iterator[tuple]:
    proc, url = launch_app(env)
    try:
        wait_app(proc, url)
        yield proc, url
    finally:
        stop_app(proc)


def wait_script_done(page, deck: bool = True, timeout_ms: int = 120_000) -> None:
    """Connected, the script finished and (when ``deck``) the map canvas attached."""
    load_milestones(page, None, deck=deck, timeout_ms=timeout_ms)


def load_milestones(
    page, url: str | None, deck: bool = True, timeout_ms: int = 120_000
) -> dict[str, float]:
    """Open ``url`` (if given) and return seconds to each milestone of the load.

    ``notRunning`` alone can match before the first run has started, so "script
    done" also requires the page title (h1) the script writes. The deck canvas comes
    later: deck.gl's bundle is loaded and initialised in the browser after the
    script has finished.
    """
    start = time.perf_counter()
    marks = {}
    if url is not None:
        page.goto(url)
        marks["document loaded"] = time.perf_counter() - start
    page.wait_for_selector(CONNECTED, timeout=timeout_ms)
    marks["connected"] = time.perf_counter() - start
    page.wait_for_selector("h1", state="attached", timeout=timeout_ms)
    page.wait_for_selector(APP_READY, timeout=timeout_ms)
    marks["script done"] = time.perf_counter() - start
    if deck:
        page.wait_for_selector(DECK_CANVAS, state="attached", timeout=timeout_ms)
        marks["map canvas attached"] = time.perf_counter() - start
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError("the page shows an exception")
    return marks


def server_memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process from /proc, in MiB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return out


def chromium_version() -> str:
    try:
        out = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "not found"


def launch_browser(pw):
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
