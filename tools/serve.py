"""Start the app on a free local port for browser tests and screenshots."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("QM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HEALTH = "/_stcore/health"


def streamlit_command(app: str, port: int, address: str = "127.0.0.1") -> list[str]:
    """How users get the app: headless, no file watcher, no usage statistics."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]


def wait_healthy(
    url: str, proc: subprocess.Popen, timeout: float = 90, poll: float = 0.05
) -> None:
    """Poll ``url`` until it answers 200; an error when ``proc`` (its server)
    exits first or the time is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(poll)
    raise RuntimeError(f"{url} not healthy after {timeout:.0f} s")


@contextlib.contextmanager
def served_app(
    env: dict | None = None,
    app: str = "app.py",
    cwd: Path = ROOT,
    log_path: Path | None = None,
):
    """Yield the base URL of a headless Streamlit server; stop it afterwards.

    ``log_path``: keep the server's output in this file (for a test that reads
    the log); by default it goes to a temporary file."""
    port = free_port()
    full_env = {**os.environ, "QM_BASEMAP": "blank", **(env or {})}
    # the server's output goes to a file: a pipe nobody reads would block it
    if log_path:
        log = open(log_path, "w+", encoding="utf-8")  # noqa: SIM115 - closed below
    else:
        log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in finally
    proc = subprocess.Popen(
        streamlit_command(app, port),
        cwd=cwd,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_healthy(url + HEALTH, proc, timeout=60, poll=0.2)
        except RuntimeError as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}:\n{log.read()}") from None
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
