"""A throwaway PostgreSQL cluster for the tests of the PostgreSQL edit log.

``initdb`` + ``pg_ctl`` from the Debian packages (``make test`` installs
``postgresql`` when it is missing) in a temporary folder, listening on 127.0.0.1 on
a free port with scram-sha-256 passwords. initdb refuses to run as root, so as
root the cluster runs as the ``postgres`` system user (via ``runuser``). Three
roles: the superuser (test set-up only), the table's owner, and the restricted app
role that may only SELECT and INSERT.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import sql

from monitor.programme.postgres import install

__all__ = ["Cluster", "start_cluster"]

DATABASE = "quartiersmonitor"
OWNER = "qm_owner"
APP = "qm_app"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        on_path = shutil.which("initdb")
        if on_path is None:
            raise RuntimeError(
                "PostgreSQL is not installed (no initdb); `make test` installs the "
                "Debian package postgresql."
            )
        return Path(on_path).resolve().parent
    return Path(found[-1]).parent  # the newest major version


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    folder: Path
    port: int
    passwords: dict[str, str]
    run_as: list[str]
    bin_dir: Path

    def url(self, role: str, database: str = DATABASE) -> str:
        password = quote(self.passwords[role], safe="")
        return f"postgresql://{role}:{password}@127.0.0.1:{self.port}/{database}"

    @property
    def app_url(self) -> str:
        return self.url(APP)

    @property
    def owner_url(self) -> str:
        return self.url(OWNER)

    @property
    def super_url(self) -> str:
        return self.url("postgres", "postgres")

    def _pg_ctl(self, *args: str) -> subprocess.CompletedProcess:
        command = [*self.run_as, str(self.bin_dir / "pg_ctl"), "-D", str(self.data)]
        return subprocess.run(
            [*command, *args], capture_output=True, text=True, timeout=120
        )

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "immediate", "-w")  # thrown away anyway
        shutil.rmtree(self.folder, ignore_errors=True)


def _runner() -> tuple[list[str], int | None, int | None]:
    """The command prefix to run PostgreSQL tools as a non-root user."""
    if os.geteuid() != 0:
        return [], None, None
    try:
        user = pwd.getpwnam("postgres")
    except KeyError as exc:
        raise RuntimeError(
            "running as root without a 'postgres' user: initdb cannot run as root"
        ) from exc
    return ["runuser", "-u", "postgres", "--"], user.pw_uid, user.pw_gid


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    if done.returncode != 0:
        raise RuntimeError(f"{command[-1]} failed: {done.stderr or done.stdout}")


def start_cluster() -> Cluster:
    """initdb, start, create the owner and the app role and the edit-log table."""
    bin_dir = _bin_dir()
    run_as, uid, gid = _runner()
    folder = Path(tempfile.mkdtemp(prefix="qm-pg-"))
    if uid is not None:
        os.chown(folder, uid, gid)
    passwords = {r: secrets.token_hex(12) for r in ("postgres", OWNER, APP)}
    pwfile = folder / "pw"
    pwfile.write_text(passwords["postgres"] + "\n")
    if uid is not None:
        os.chown(pwfile, uid, gid)
    cluster = Cluster(folder, _free_port(), passwords, run_as, bin_dir)
    _run(
        [
            *run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={pwfile}",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",  # the cluster is thrown away; the server itself fsyncs
        ]
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {cluster.port} "
        f"-c unix_socket_directories={folder} -c fsync=on -c max_connections=300"
    )
    started = cluster._pg_ctl(
        "start", "-w", "-t", "60", "-l", str(folder / "log"), "-o", options
    )
    if started.returncode != 0:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {started.stderr}{log}")
    try:
        _create_roles(cluster)
        install(cluster.owner_url, APP)
    except Exception:
        cluster.stop()
        raise
    return cluster


def _create_roles(cluster: Cluster) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = psycopg.connect(cluster.super_url, autocommit=True)
            break
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    with conn:
        for role in (OWNER, APP):
            conn.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(role), sql.Literal(cluster.passwords[role])
                )
            )
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(DATABASE), sql.Identifier(OWNER)
            )
        )
