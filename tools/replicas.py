"""N Streamlit replicas of the app behind nginx on this machine.

One Streamlit process runs every session's script on one Python interpreter, so a
second process is the way to use a second core. ``cluster()`` starts the replicas
(same flags as users get: headless, no file watcher), one shared cookie secret, and
nginx from Debian's package with the configuration rendered from
``deploy/nginx/*.template`` into a run directory (never /etc). Used by ``make serve``,
the load benchmark (bench/load) and tests/test_load_smoke.py.

``python -m tools.replicas serve --replicas 2 --port 8501`` serves until Ctrl-C;
``python -m tools.replicas nginx-conf --backend 10.0.0.5:8501 ...`` prints the site
configuration for a production nginx (docs/DEPLOYMENT.md).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import hashlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tools.serve import HEALTH, free_port, streamlit_command, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
SITE_TEMPLATE = DEPLOY / "quartiersmonitor.conf.template"
LOCAL_TEMPLATE = DEPLOY / "local-main.conf.template"
COOKIE = "qm_replica"
MIME_TYPES = Path("/etc/nginx/mime.types")  # Debian's nginx-common

__all__ = [
    "ROOT",
    "COOKIE",
    "Cluster",
    "backend_name",
    "render_template",
    "render_site",
    "nginx_binary",
    "cluster",
    "main",
]

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def render_template(text: str, values: dict[str, str]) -> str:
    """Fill ``{{ name }}`` placeholders; every placeholder must have a value."""
    missing = sorted(set(_PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise ValueError(f"template placeholders without a value: {missing}")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def backend_name(address: str) -> str:
    """Stable cookie value of a backend: the same address keeps its name when
    replicas are added or removed, and the cookie does not show the address."""
    return "r" + hashlib.sha256(address.encode()).hexdigest()[:10]


def _check_address(address: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.\-]+:\d{1,5}|\[[0-9A-Fa-f:]+\]:\d{1,5}", address):
        raise ValueError(f"backend must be HOST:PORT, got {address!r}")
    return address


def streamlit_static_root() -> Path:
    """The folder whose ``static/`` Streamlit serves under ``/static/``: the
    installed package's, so nginx hands out the files of the replicas' version."""
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static"


def render_site(
    backends: Sequence[str],
    listen: str = "80",
    server_name: str = "_",
    cookie_flags: str = "",
    static_root: Path | None = None,
) -> str:
    """The nginx site (http context) for ``backends`` (``HOST:PORT`` each).

    ``cookie_flags``: extra attributes of the sticky cookie, e.g. ``"; Secure"``
    when nginx terminates TLS. ``static_root``: where nginx finds Streamlit's
    ``static/`` folder (default: this Python's Streamlit package).
    """
    if not backends:
        raise ValueError("at least one backend is needed")
    root = Path(static_root or streamlit_static_root())
    if not (root / "static").is_dir():
        raise ValueError(f"no Streamlit static/ folder under {root}")
    if re.search(r"[\s;{}'\"$]", str(root)):
        raise ValueError(f"static root must be a plain path, got {str(root)!r}")
    backends = [_check_address(b) for b in backends]
    if len(set(backends)) != len(backends):
        raise ValueError("a backend is listed twice")
    names = [backend_name(b) for b in backends]
    pool = [f"    server {b} max_fails=3 fail_timeout=10s;" for b in backends]
    pinned = []
    for name, backend in zip(names, backends, strict=True):
        others = [f"    server {o} backup;" for o in backends if o != backend]
        pinned.append(
            "\n".join(
                [f"upstream qm_{name} {{  # {backend}"]
                + [f"    server {backend} max_fails=1 fail_timeout=10s;"]
                + others
                + ["}"]
            )
        )
    routes = [f"    {n} qm_{n};" for n in names]
    pairs = list(zip(names, backends, strict=True))
    served = [f"    ~(^|\\s){re.escape(b)}$ {n};" for n, b in pairs]
    health = [
        f"    location = /_replica/{n}/health {{  # {b}\n"
        "        allow 127.0.0.1;\n        allow ::1;\n        deny all;\n"
        f"        proxy_pass http://{b}{HEALTH};\n    }}"
        for n, b in pairs
    ]
    return render_template(
        SITE_TEMPLATE.read_text(encoding="utf-8"),
        {
            "pool_servers": "\n".join(pool),
            "pinned_upstreams": "\n\n".join(pinned),
            "cookie_routes": "\n".join(routes),
            "served_by": "\n".join(served),
            "cookie_flags": cookie_flags,
            "listen": listen,
            "server_name": server_name,
            "replica_health": "\n\n".join(health),
            "static_root": str(root),
        },
    )


def nginx_binary() -> str:
    """Debian's nginx (``make nginx`` installs it); an error, not a skip, without."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
    if not found:
        raise RuntimeError("nginx is not installed: run `make nginx` (apt-get)")
    return found


def _die_with_parent() -> None:
    """Children get SIGTERM when this process dies (Linux prctl PR_SET_PDEATHSIG)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def _free_ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        port = free_port()
        if port not in ports:
            ports.append(port)
    return ports


@dataclass
class Cluster:
    """What ``cluster()`` started: URLs, processes and the run directory."""

    url: str  # nginx, or the only replica when started without nginx
    replica_urls: list[str]
    replicas: list[subprocess.Popen]
    run_dir: Path
    nginx: subprocess.Popen | None = None
    names: list[str] = field(default_factory=list)  # sticky cookie value per replica

    def pids(self) -> dict[str, int]:
        """Process ids by role: replica-1 … and nginx (the master)."""
        out = {f"replica-{i + 1}": p.pid for i, p in enumerate(self.replicas)}
        if self.nginx is not None:
            out["nginx"] = self.nginx.pid
        return out

    def check(self) -> None:
        """An error when a process of the cluster has exited."""
        for proc in [*self.replicas, *([self.nginx] if self.nginx else [])]:
            if proc.poll() is not None:
                raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")


def _start_nginx(run_dir: Path, backends: list[str], listen: int) -> subprocess.Popen:
    binary = nginx_binary()
    if not MIME_TYPES.is_file():
        raise RuntimeError(f"{MIME_TYPES} is missing: reinstall Debian's nginx-common")
    (run_dir / "quartiersmonitor.conf").write_text(
        render_site(backends, listen=f"127.0.0.1:{listen}", server_name="localhost"),
        encoding="utf-8",
    )
    main_conf = run_dir / "nginx.conf"
    main_conf.write_text(
        render_template(
            LOCAL_TEMPLATE.read_text(encoding="utf-8"),
            {"run_dir": str(run_dir), "mime_types": str(MIME_TYPES)},
        ),
        encoding="utf-8",
    )
    args = [binary, "-p", str(run_dir), "-e", str(run_dir / "error.log")]
    args += ["-c", str(main_conf)]
    test = subprocess.run([*args, "-t", "-q"], capture_output=True, text=True)
    if test.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{test.stderr}")
    return subprocess.Popen(
        [*args, "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=(run_dir / "nginx.stderr").open("w"),
        preexec_fn=_die_with_parent,
        process_group=0,  # Ctrl-C reaches serve, which stops nginx in order
    )


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextlib.contextmanager
def cluster(
    replicas: int = 2,
    app: str = "app.py",
    *,
    nginx: bool = True,
    port: int | None = None,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    run_dir: Path | None = None,
) -> Iterator[Cluster]:
    """Start ``replicas`` Streamlit processes (and nginx in front); stop them after.

    All replicas get one cookie secret (``QM_COOKIE_SECRET`` or a random one per
    run) so a signed cookie from one replica holds on the others; an ``[auth]
    cookie_secret`` in the app's secrets.toml takes precedence in Streamlit and is
    the same for all replicas because they share the app folder.
    """
    if replicas < 1:
        raise ValueError("replicas must be at least 1")
    if not nginx and replicas != 1:
        raise ValueError("more than one replica needs nginx in front")
    owned = run_dir is None
    run_dir = Path(tempfile.mkdtemp(prefix="qm-serve-")) if owned else run_dir
    run_dir.mkdir(parents=True, exist_ok=True)
    run_dir.chmod(0o755)  # nginx workers (user nobody) write their temp files here
    secret = os.environ.get("QM_COOKIE_SECRET") or secrets.token_hex(32)
    full_env = {"QM_BASEMAP": "blank", **os.environ, **(env or {})}
    full_env["STREAMLIT_SERVER_COOKIE_SECRET"] = secret
    ports = _free_ports(replicas + (1 if nginx and port is None else 0))
    listen = (port or ports.pop()) if nginx else None
    if not nginx and port is not None:
        ports = [port]
    procs: list[subprocess.Popen] = []
    proxy = None
    try:
        for i, replica_port in enumerate(ports):
            log = (run_dir / f"replica-{i + 1}.log").open("w")
            procs.append(
                subprocess.Popen(
                    streamlit_command(app, replica_port),
                    cwd=cwd,
                    env=full_env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent,
                    process_group=0,
                )
            )
        backends = [f"127.0.0.1:{p}" for p in ports]
        urls = [f"http://{b}" for b in backends]
        for url, proc in zip(urls, procs, strict=True):
            wait_healthy(url + HEALTH, proc)
        base = urls[0]
        if nginx:
            proxy = _start_nginx(run_dir, backends, listen)
            base = f"http://127.0.0.1:{listen}"
            wait_healthy(base + HEALTH, proxy, timeout=30)
        yield Cluster(
            url=base,
            replica_urls=urls,
            replicas=procs,
            run_dir=run_dir,
            nginx=proxy,
            names=[backend_name(b) for b in backends],
        )
    finally:
        if proxy is not None:
            _stop(proxy, signal.SIGQUIT)  # graceful: let open requests finish
        for proc in procs:
            _stop(proc)
        if owned:
            shutil.rmtree(run_dir, ignore_errors=True)


def _serve(args: argparse.Namespace) -> int:
    stop = {"now": False}

    def _request_stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _request_stop)
    try:
        nginx = args.replicas > 1 or args.nginx
        with cluster(args.replicas, args.app, nginx=nginx, port=args.port) as running:
            print(f"Quartiersmonitor: {running.url}  (Ctrl-C stops)", flush=True)
            for name, url in zip(running.names, running.replica_urls, strict=True):
                print(f"  replica {name}: {url}", flush=True)
            print(f"  logs and nginx config: {running.run_dir}", flush=True)
            while not stop["now"]:
                running.check()
                time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    print("stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run N replicas behind nginx until Ctrl-C")
    serve.add_argument("--replicas", type=int, default=2)
    serve.add_argument("--port", type=int, default=8501, help="nginx listens here")
    serve.add_argument("--app", default="app.py")
    serve.add_argument(
        "--nginx", action="store_true", help="nginx also in front of one replica"
    )
    conf = sub.add_parser("nginx-conf", help="print the nginx site configuration")
    conf.add_argument("--backend", action="append", required=True, help="HOST:PORT")
    conf.add_argument("--listen", default="80")
    conf.add_argument("--server-name", default="_")
    conf.add_argument(
        "--secure-cookie", action="store_true", help="nginx terminates TLS"
    )
    conf.add_argument(
        "--static-root",
        type=Path,
        help="folder holding Streamlit's static/ (default: this venv's streamlit)",
    )
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    flags = "; Secure" if args.secure_cookie else ""
    site = render_site(
        args.backend, args.listen, args.server_name, flags, args.static_root
    )
    print(site, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
