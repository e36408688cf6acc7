"""The append-only edit log (monitor/programme/): every guarantee is tested on both
backends, the JSON-lines file and the PostgreSQL table (a throwaway cluster, see
tests/postgres_cluster.py): nothing overwritten, concurrent writers (threads and
processes) keep every entry with gap-free numbers, a kill during a write leaves the
previous state, confirmed entries are not lost, replay equals the state. Plus what
only one backend has (torn lines; roles and triggers of the table) and the checks
of form inputs."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest

from monitor.programme.entry import EditError, canonical, checksum
from monitor.programme.jsonl import LOCK_NAME, LOG_NAME, JsonLinesLog
from monitor.programme.log import EditLog, LogUnavailableError
from monitor.programme.parsing import (
    parse_number,
    parse_value,
    validate_report,
    validate_status_change,
)
from monitor.programme.postgres import TABLE, PostgresLog
from monitor.programme.replay import replay
from tests.conftest import ROOT

TODAY = date(2026, 11, 25)


@dataclass
class Backend:
    """One log on one backend: new instances on it, the argv for child processes,
    and its raw stored form (file lines or table rows) to prove nothing changes."""

    name: str
    open: Callable[[], EditLog]
    spec: str  # JSON, read by _OPEN_LOG in child processes
    raw: Callable[[], list]
    opened: list = field(default_factory=list)


def _jsonl_backend(folder: Path) -> Backend:
    def raw():
        path = folder / LOG_NAME
        return path.read_bytes().splitlines(keepends=True) if path.exists() else []

    return Backend(
        "jsonl",
        lambda: JsonLinesLog(folder),
        json.dumps(["jsonl", str(folder)]),
        raw,
    )


def _postgres_backend(cluster) -> Backend:
    name = f"test-{uuid.uuid4().hex[:12]}"  # a log of its own per test

    def raw():
        with psycopg.connect(cluster.owner_url) as conn:
            return conn.execute(
                f"SELECT *, data::text, previous::text FROM {TABLE} "
                "WHERE log = %s ORDER BY seq",
                (name,),
            ).fetchall()

    backend = Backend(
        "postgres", None, json.dumps(["postgres", cluster.app_url, name]), raw
    )

    def open_log():
        log = PostgresLog(cluster.app_url, name=name)
        backend.opened.append(log)
        return log

    backend.open = open_log
    return backend


@pytest.fixture(params=["jsonl", "postgres"])
def backend(request, tmp_path):
    if request.param == "jsonl":
        yield _jsonl_backend(tmp_path)
        return
    made = _postgres_backend(request.getfixturevalue("postgres"))
    yield made
    for log in made.opened:
        log.close()


# How a child process opens the same log as the test (argv[1] = Backend.spec).
_OPEN_LOG = textwrap.dedent(
    """
    import json, sys
    def open_log(spec):
        kind, *args = json.loads(spec)
        if kind == "jsonl":
            from monitor.programme.jsonl import JsonLinesLog
            return JsonLinesLog(args[0])
        from monitor.programme.postgres import PostgresLog
        return PostgresLog(args[0], name=args[1])
    """
)


def child(script: str) -> str:
    return _OPEN_LOG + textwrap.dedent(script)


def progress(log: EditLog, measure: str, day: str, value, who="a@example.org"):
    return log.append(
        "progress",
        measure,
        {"date": day, "value": value, "status": "in_progress", "comment": ""},
        who,
    )


# ------------------------------------------------------------------ basic writing


def test_entries_are_numbered_and_survive_a_new_instance(backend):
    log = backend.open()
    first = progress(log, "M001", "2026-10-01", 670.0)
    second = log.append(
        "status", "M001", {"status": "delayed", "comment": "Bauverzug"}, "b@x.de"
    )
    assert (first.seq, second.seq) == (1, 2)
    again = backend.open().entries()
    assert [e.entry_id for e in again] == [first.entry_id, second.entry_id]
    assert again[1].who == "b@x.de"
    assert again[1].data == {"status": "delayed", "comment": "Bauverzug"}
    assert datetime.fromisoformat(again[0].at).tzinfo is not None
    assert again == (first, second)  # what append returned is what is stored


def test_previous_value_comes_from_published_data_then_from_the_log(backend):
    log = backend.open()
    published = {"status": "in_progress", "date": "2026-09-30", "value": 662.0}
    first = log.append(
        "progress",
        "M001",
        {"date": "2026-10-15", "value": 670.0, "status": "in_progress"},
        "a@x.de",
        published=published,
    )
    assert first.previous == {
        "date": "2026-09-30",
        "value": 662.0,
        "status": "in_progress",
    }
    second = log.append(
        "progress",
        "M001",
        {"date": "2026-11-01", "value": 675.0, "status": "in_progress"},
        "a@x.de",
        published=published,
    )
    assert second.previous["value"] == 670.0
    # a late report for an earlier date: "previous" is the latest known report
    late = log.append(
        "progress",
        "M001",
        {"date": "2026-08-01", "value": 650.0},
        "a@x.de",
        published=published,
    )
    assert late.previous["date"] == "2026-11-01"
    status = log.append(
        "status", "M001", {"status": "delayed"}, "a@x.de", published=published
    )
    assert status.previous == {"status": "in_progress"}


def test_nothing_is_overwritten_the_log_only_grows(backend):
    log = backend.open()
    snapshots = [backend.raw()]
    for i in range(5):
        log.append("status", "M002", {"status": ["delayed", "in_progress"][i % 2]}, "a")
        snapshots.append(backend.raw())
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        assert after[: len(before)] == before and len(after) == len(before) + 1
    assert replay(log.entries()).status == {"M002": "delayed"}


def test_numbers_survive_exactly(backend):
    """Values come back as written (the checksum depends on it): floats with
    exponent, integers, unicode, nested lists."""
    data = {
        "title": "Zähler „groß“ ✓",
        "budget_eur": 1e20,
        "baseline_value": 0.1 + 0.2,
        "target_value": 3,
        "comment": "Zeile 1\nZeile 2",
    }
    written = backend.open().append("measure", "M001", data, "admin")
    stored = backend.open().read()
    assert stored.damaged == 0 and stored.entries == (written,)
    assert stored.entries[0].data == data


@pytest.mark.parametrize(
    "kind,target,data,code",
    [
        ("comment", "M001", {}, "unknown_kind"),
        ("status", "", {"status": "delayed"}, "no_target"),
        ("status", "M001", {"status": "fertig"}, "unknown_status"),
        ("progress", "M001", {"value": 3}, "missing_field"),
        ("measure", "M001", {"colour": "red"}, "unknown_field"),
        ("role", "a@x.de", {"role": "boss"}, "unknown_role"),
        ("revert", "nope", {}, "revert_unknown"),
        ("progress", "M1", {"date": "2026-01-01", "value": float("nan")}, "not_finite"),
    ],
    ids=["kind", "target", "status", "date", "field", "role", "revert", "nan"],
)
def test_invalid_entries_are_refused_and_nothing_is_written(
    backend, kind, target, data, code
):
    log = backend.open()
    with pytest.raises(EditError) as info:
        log.append(kind, target, data, "a@x.de")
    assert info.value.code == code
    assert log.entries() == ()


def test_an_entry_without_identity_is_refused(backend):
    with pytest.raises(EditError) as info:
        backend.open().append("status", "M1", {"status": "delayed"}, "  ")
    assert info.value.code == "no_identity"


# -------------------------------------------------------------------------- reverts


def test_revert_undoes_and_reverting_the_revert_reapplies(backend):
    log = backend.open()
    report = progress(log, "M001", "2026-10-01", 700.0)
    status = log.append("status", "M001", {"status": "delayed"}, "a")
    undo = log.append("revert", status.entry_id, {"comment": "Irrtum"}, "b")
    state = log.state()
    assert state.status == {"M001": "in_progress"}  # from the progress report
    assert state.reverted_by == {status.entry_id: undo.entry_id}
    assert undo.previous["kind"] == "status" and undo.previous["seq"] == status.seq
    with pytest.raises(EditError) as info:
        log.append("revert", status.entry_id, {}, "c")
    assert info.value.code == "already_reverted"
    redo = log.append("revert", undo.entry_id, {}, "c")
    state = log.state()
    assert state.status == {"M001": "delayed"}
    assert state.effective[status.entry_id] and not state.effective[undo.entry_id]
    assert state.reverted_by == {undo.entry_id: redo.entry_id}
    # the report itself can be withdrawn too
    log.append("revert", report.entry_id, {}, "a")
    assert [e.entry_id for e in log.state().reports] == []
    history = log.state().history("M001")
    assert len(history) == 5  # every step stays visible


def test_new_target_cannot_be_created_twice(backend):
    log = backend.open()
    log.append("measure", "M087", {"title": "Neu"}, "admin", new_target=True)
    with pytest.raises(EditError) as info:
        log.append("measure", "M087", {"title": "Auch neu"}, "admin", new_target=True)
    assert info.value.code == "id_taken"
    assert log.state().measures == {"M087": {"title": "Neu"}}


# ---------------------------------------------------------- replay = current state


class Model:
    """The intended semantics, written differently: forward, with active flags."""

    def __init__(self):
        self.entries = []  # (entry_id, kind, target, data)
        self.active = {}
        self.reverts = {}  # revert id -> target id

    def apply(self, entry):
        self.entries.append((entry.entry_id, entry.kind, entry.target, entry.data))
        self.active[entry.entry_id] = True
        if entry.kind == "revert":
            target = entry.target
            self.reverts[entry.entry_id] = target
            self.active[target] = False
            if target in self.reverts:  # undoing an undo re-applies the original
                self.active[self.reverts[target]] = True

    def state(self):
        status, reports, roles, fields = {}, [], {}, {}
        for entry_id, kind, target, data in self.entries:
            if not self.active[entry_id] or kind == "revert":
                continue
            if kind == "progress":
                reports.append(entry_id)
                status[target] = data["status"]
            elif kind == "status":
                status[target] = data["status"]
            elif kind == "role":
                roles[target] = data["role"]
            elif kind == "measure":
                fields.setdefault(target, {}).update(data)
        return status, reports, roles, fields


def test_replay_of_the_history_equals_the_current_state(backend):
    rng = random.Random(7)
    log, reader = backend.open(), backend.open()
    model = Model()
    statuses = ["planned", "in_progress", "completed", "delayed", "stopped"]
    for step in range(160):
        choice = rng.random()
        state = log.state()
        revertible = [e for e in state.entries if state.effective[e.entry_id]]
        if choice < 0.2 and revertible:
            entry = log.append("revert", rng.choice(revertible).entry_id, {}, "r")
        elif choice < 0.5:
            entry = log.append(
                "status", f"M{rng.randint(1, 4):03d}", {"status": rng.choice(statuses)},
                "s",
            )  # fmt: skip
        elif choice < 0.8:
            entry = log.append(
                "progress",
                f"M{rng.randint(1, 4):03d}",
                {"date": f"2026-0{rng.randint(1, 9)}-01", "value": float(step),
                 "status": rng.choice(statuses)},
                "p",
            )  # fmt: skip
        elif choice < 0.9:
            entry = log.append(
                "role", f"u{rng.randint(1, 3)}@x.de",
                {"role": rng.choice(["viewer", "editor", "admin"])}, "admin",
            )  # fmt: skip
        else:
            entry = log.append(
                "measure", f"M{rng.randint(1, 4):03d}",
                {"title": f"Titel {step}", "budget_eur": float(step)}, "admin",
            )  # fmt: skip
        model.apply(entry)
        # after every step the state read back equals the model's state
        state = reader.state()
        status, reports, roles, fields = model.state()
        assert state.status == status, step
        assert [e.entry_id for e in state.reports] == reports, step
        assert state.roles == roles, step
        assert {k: dict(v) for k, v in state.measures.items()} == fields, step
    assert sum(1 for e in log.entries() if e.kind == "revert") > 10


# ---------------------------------------------------------------- concurrency


def test_concurrent_threads_keep_every_entry(backend):
    n_threads, per_thread = 8, 25
    barrier = threading.Barrier(n_threads)
    written: list[str] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work(worker: int):
        log = backend.open()  # an instance per thread, like one per session
        barrier.wait()
        try:
            for i in range(per_thread):
                entry = progress(
                    log, f"M{worker}", "2026-01-01", float(i), f"w{worker}"
                )
                with lock:
                    written.append(entry.entry_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    entries = backend.open().entries()
    assert len(entries) == n_threads * per_thread
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert sorted(e.entry_id for e in entries) == sorted(written)


_WORKER = child(
    """
    import time
    spec, worker, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    start_at = float(sys.argv[4])
    log = open_log(spec)
    while time.time() < start_at:
        time.sleep(0.001)
    for i in range(n):
        data = {"date": "2026-01-01", "value": float(i)}
        log.append("progress", f"M{worker}", data, f"p{worker}")
    """
)


def _start_writers(backend, n_workers, per_worker, script=_WORKER, extra=()):
    start_at = time.time() + 2.0  # all processes start writing at the same moment
    return [
        subprocess.Popen(
            [sys.executable, "-c", script, backend.spec, str(w), str(per_worker),
             str(start_at), *extra],
            cwd=ROOT,
        )
        for w in range(n_workers)
    ]  # fmt: skip


def test_concurrent_processes_keep_every_entry(backend):
    n_workers, per_worker = 4, 25
    procs = _start_writers(backend, n_workers, per_worker)
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    entries = backend.open().entries()
    assert len(entries) == n_workers * per_worker
    assert [e.seq for e in entries] == list(range(1, n_workers * per_worker + 1))
    for w in range(n_workers):
        mine = [e.data["value"] for e in entries if e.who == f"p{w}"]
        assert mine == [float(i) for i in range(per_worker)]  # in order, none lost
    writers = [e.who for e in entries]
    switches = sum(a != b for a, b in zip(writers, writers[1:], strict=False))
    assert switches >= n_workers - 1


def test_two_people_saving_at_the_same_time_both_keep_their_entries(backend):
    barrier = threading.Barrier(2)
    results = {}

    def save(person: str, status: str):
        log = backend.open()
        barrier.wait()
        results[person] = log.append(
            "status",
            "M001",
            {"status": status, "comment": person},
            person,
            published={"status": "in_progress"},
        )

    threads = [
        threading.Thread(target=save, args=("anna@x.de", "delayed")),
        threading.Thread(target=save, args=("ben@x.de", "stopped")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    first, second = sorted(results.values(), key=lambda e: e.seq)
    assert first.previous == {"status": "in_progress"}
    assert second.previous == {"status": first.data["status"]}  # saw the other one
    history = backend.open().state().history("M001")
    assert {e.who for e in history} == {"anna@x.de", "ben@x.de"}


# ------------------------------------------------------------ crashes mid-write

# The child dies by SIGKILL in the middle of its write: the JSON-lines writer after
# half of the line reached the file, the PostgreSQL writer after its INSERT and
# before COMMIT.
_KILL_MID_WRITE = child(
    """
    import os, signal
    spec = sys.argv[1]
    if json.loads(spec)[0] == "jsonl":
        import monitor.programme.jsonl as jsonl
        real_write = os.write
        def half_write(fd, data):
            data = bytes(data)
            real_write(fd, data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        jsonl.os.write = half_write
    else:
        from monitor.programme.postgres import PostgresLog
        real_insert = PostgresLog._insert
        def insert_then_die(self, conn, entry):
            real_insert(self, conn, entry)
            os.kill(os.getpid(), signal.SIGKILL)
        PostgresLog._insert = insert_then_die
    open_log(spec).append(
        "progress", "M001", {"date": "2026-10-01", "value": 999.0}, "killed"
    )
    """
)


def test_a_process_killed_mid_write_leaves_the_previous_state(backend):
    log = backend.open()
    confirmed = [progress(log, "M001", "2026-09-01", float(v)) for v in (1, 2, 3)]
    before = backend.raw()
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_MID_WRITE, backend.spec],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    found = log.read()
    assert found.damaged == 0
    assert [e.entry_id for e in found.entries] == [e.entry_id for e in confirmed]
    assert [e.data["value"] for e in log.state().reports] == [1.0, 2.0, 3.0]
    # the next writer is not blocked and continues the numbering without a gap
    after = progress(log, "M001", "2026-10-02", 4.0)
    assert after.seq == 4
    assert backend.raw()[: len(before)] == before
    assert not log.read().torn_tail
    assert [e.seq for e in log.entries()] == [1, 2, 3, 4]
    assert "killed" not in {e.who for e in log.entries()}


def test_a_torn_line_is_seen_and_cut_off_by_the_next_writer(tmp_path):
    """JSON lines only: the half-written line stays in the file until the next
    writer cuts it off (a table has no half rows)."""
    log = JsonLinesLog(tmp_path)
    progress(log, "M001", "2026-09-01", 1.0)
    before = (tmp_path / LOG_NAME).read_bytes()
    spec = json.dumps(["jsonl", str(tmp_path)])
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_MID_WRITE, spec], cwd=ROOT, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL
    raw = (tmp_path / LOG_NAME).read_bytes()
    assert raw.startswith(before) and len(raw) > len(before)  # a torn line is there
    assert log.read().torn_tail
    progress(log, "M001", "2026-10-02", 2.0)
    repaired = (tmp_path / LOG_NAME).read_bytes()
    assert repaired.startswith(before) and repaired.count(b"\n") == 2


_WRITE_FOREVER = child(
    """
    log = open_log(sys.argv[1])
    i = 0
    while True:
        entry = log.append(
            "progress", "M002", {"date": "2026-01-01", "value": float(i),
            "comment": "x" * 2000}, "loop"
        )
        print(entry.entry_id, flush=True)  # confirmed: append returned
        i += 1
    """
)


def test_no_confirmed_entry_is_lost_when_writers_are_killed(backend):
    rng = random.Random(3)
    confirmed: list[str] = []
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITE_FOREVER, backend.spec],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        target = len(confirmed) + rng.randint(15, 40)
        seen = []
        while len(confirmed) + len(seen) < target:
            line = proc.stdout.readline()
            assert line, "writer died early"
            seen.append(line.strip())
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        confirmed += seen + [x for x in rest.split() if x]
    entries = backend.open().entries()
    ids = [e.entry_id for e in entries]
    assert set(confirmed) <= set(ids)
    assert [e.seq for e in entries] == list(range(1, len(ids) + 1))


def test_damaged_lines_are_skipped_and_counted_but_do_not_stop_reading(tmp_path):
    log = JsonLinesLog(tmp_path)
    a = progress(log, "M001", "2026-01-01", 1.0)
    b = progress(log, "M001", "2026-02-01", 2.0)
    path = tmp_path / LOG_NAME
    lines = path.read_bytes().splitlines(keepends=True)
    tampered = json.loads(lines[0])
    tampered["entry"]["data"]["value"] = 1000.0  # checksum no longer matches
    path.write_bytes((json.dumps(tampered) + "\n").encode() + lines[1] + b'{"half": tr')
    found = log.read()
    assert [e.entry_id for e in found.entries] == [b.entry_id]
    assert found.damaged == 1 and found.torn_tail
    assert a.entry_id not in {e.entry_id for e in found.entries}


# ------------------------------------------------- JSON lines under load, processes

_LOAD_WRITER = child(
    """
    import time
    spec, worker, n, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(
        sys.argv[4])
    log = open_log(spec)
    while time.time() < start_at:
        time.sleep(0.001)
    for i in range(n):
        log.append("progress", f"M{worker}", {"date": "2026-01-01", "value": float(i),
                   "comment": "ä" * (50 + 97 * i % 1500)}, f"p{worker}")
    """
)
_LOAD_READER = child(
    """
    import time
    spec, expected = sys.argv[1], int(sys.argv[2])
    log = open_log(spec)
    deadline = time.time() + 120
    reads = 0
    while time.time() < deadline:
        found = log.read()
        seqs = [e.seq for e in found.entries]
        assert found.damaged == 0, found.damaged  # never a damaged line mid-file
        assert seqs == list(range(1, len(seqs) + 1)), "gap seen by a reader"
        reads += 1
        if len(seqs) == expected:
            break
        time.sleep(0.01)
    print(reads, len(seqs))
    """
)


def test_jsonl_log_under_load_from_several_writer_processes(tmp_path):
    """Eight writer processes append long, varying lines at once while two reader
    processes read without a lock: every entry arrives once, numbered 1..n, and no
    reader ever sees a damaged line or a gap (at most an incomplete last line)."""
    backend = _jsonl_backend(tmp_path)
    n_workers, per_worker = 8, 30
    expected = n_workers * per_worker
    writers = _start_writers(backend, n_workers, per_worker, script=_LOAD_WRITER)
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", _LOAD_READER, backend.spec, str(expected)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for proc in writers:
        assert proc.wait(timeout=180) == 0
    for proc in readers:
        out, _ = proc.communicate(timeout=180)
        assert proc.returncode == 0
        reads, seen = map(int, out.split())
        assert seen == expected and reads >= 1
    found = JsonLinesLog(tmp_path).read()
    assert not found.torn_tail and found.damaged == 0
    assert [e.seq for e in found.entries] == list(range(1, expected + 1))
    for w in range(n_workers):
        mine = [e.data["value"] for e in found.entries if e.who == f"p{w}"]
        assert mine == [float(i) for i in range(per_worker)]


# ----------------------------------------------- PostgreSQL: roles, triggers, setup


@pytest.fixture
def pg_log(postgres):
    log = PostgresLog(postgres.app_url, name=f"test-{uuid.uuid4().hex[:12]}")
    yield log
    log.close()


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE {TABLE} SET who = 'x' WHERE log = %s",
        f"DELETE FROM {TABLE} WHERE log = %s",
        f"TRUNCATE {TABLE}",
    ],
    ids=["update", "delete", "truncate"],
)
@pytest.mark.parametrize("role", ["app", "owner"])
def test_no_role_can_update_or_delete_entries(postgres, pg_log, role, statement):
    """The app role lacks the privilege; the owner has it but the triggers refuse."""
    progress(pg_log, "M001", "2026-01-01", 1.0)
    url = postgres.app_url if role == "app" else postgres.owner_url
    with psycopg.connect(url, autocommit=True) as conn:
        params = () if statement.startswith("TRUNCATE") else (pg_log.name,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as info:
            conn.execute(statement, params)
    expected = "permission denied" if role == "app" else "append-only"
    assert expected in str(info.value)
    assert [e.data["value"] for e in pg_log.entries()] == [1.0]


def test_the_table_refuses_a_gap_in_the_numbers(postgres, pg_log):
    """Even a client that skips the lock cannot leave a gap or a duplicate."""
    first = progress(pg_log, "M001", "2026-01-01", 1.0)
    with psycopg.connect(postgres.app_url, autocommit=True) as conn:
        for seq in (3, 1):
            with pytest.raises(psycopg.errors.UniqueViolation):
                conn.execute(
                    f"INSERT INTO {TABLE} (log, seq, entry_id, at, who, kind, target, "
                    "data, previous, checksum) VALUES (%s, %s, %s, %s, 'x', "
                    "'status', 'M1', '{}', '{}', 'x')",
                    (pg_log.name, seq, uuid.uuid4().hex, first.at),
                )
    assert [e.seq for e in pg_log.entries()] == [1]


def test_a_damaged_row_is_skipped_and_counted_and_keeps_its_number(postgres, pg_log):
    a = progress(pg_log, "M001", "2026-01-01", 1.0)
    bad = {"date": "2026-02-01", "value": 1000.0}
    with psycopg.connect(postgres.owner_url, autocommit=True) as conn:
        conn.execute(
            f"INSERT INTO {TABLE} (log, seq, entry_id, at, who, kind, target, data, "
            "previous, checksum) VALUES (%s, 2, %s, %s, 'x', 'progress', 'M001', "
            "%s::json, '{}', %s)",
            (pg_log.name, uuid.uuid4().hex, a.at, canonical(bad), "0" * 16),
        )
    found = pg_log.read()
    assert found.damaged == 1 and [e.entry_id for e in found.entries] == [a.entry_id]
    c = progress(pg_log, "M001", "2026-03-01", 3.0)
    assert c.seq == 3 and checksum(c) != "0" * 16


def test_an_unreachable_database_is_a_clear_german_error(postgres):
    url = postgres.app_url.replace(f":{postgres.port}/", f":{_closed_port()}/")
    log = PostgresLog(url, name="x", connect_timeout=2)
    with pytest.raises(LogUnavailableError) as info:
        log.read()
    assert "ist nicht erreichbar" in str(info.value)
    assert postgres.passwords["qm_app"] not in str(info.value)
    with pytest.raises(LogUnavailableError):
        progress(log, "M001", "2026-01-01", 1.0)


def test_a_missing_table_names_the_setup_command(postgres):
    url = postgres.url("qm_app", "postgres")  # a database without the table
    log = PostgresLog(url, name="x")
    with pytest.raises(LogUnavailableError) as info:
        log.read()
    assert "python -m monitor.programme.postgres setup" in str(info.value)
    log.close()


def test_setup_is_idempotent(postgres, pg_log):
    from monitor.programme.postgres import install

    progress(pg_log, "M001", "2026-01-01", 1.0)
    install(postgres.owner_url, "qm_app")
    assert [e.seq for e in pg_log.entries()] == [1]
    progress(pg_log, "M001", "2026-01-02", 2.0)


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ input checks


@pytest.mark.parametrize(
    "text,expected",
    [
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("1.234", 1234.0),
        ("1234", 1234.0),
        ("12.5", 12.5),
        (" 7 ", 7.0),
        ("1\u202f234,5", 1234.5),
        ("-3,25", -3.25),
        (",5", 0.5),
    ],
)
def test_parse_number_accepts_the_german_decimal_comma(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.234.5,6,7", "1,234.5", "inf"])
def test_parse_number_rejects_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_parse_value_with_the_unit_of_the_measure():
    assert parse_value("412 Plätze", "Plätze") == (412.0, None)
    assert parse_value("412 plätze", "Plätze") == (412.0, None)
    assert parse_value("7,5", "VZÄ") == (7.5, None)
    assert parse_value("", "Plätze") == (None, None)
    value, problem = parse_value("45 %", "Plätze")
    assert value is None and problem.code == "wrong_unit"
    assert problem.params == {"typed": "%", "unit": "Plätze"}
    assert parse_value("viele", "Plätze")[1].code == "not_a_number"


def _report(**kwargs):
    args = {
        "report_date": date(2026, 10, 1),
        "value_text": "670",
        "comment": "",
        "unit": "Plätze",
        "quantified": True,
        "start": date(2025, 1, 1),
        "today": TODAY,
    } | kwargs
    return validate_report(**args)


@pytest.mark.parametrize(
    "changes,codes",
    [
        ({}, []),
        ({"report_date": None}, ["date_missing"]),
        ({"report_date": date(2026, 12, 1)}, ["date_future"]),
        ({"report_date": date(2024, 12, 31)}, ["date_before_start"]),
        ({"value_text": "12,3,4"}, ["not_a_number"]),
        ({"value_text": "12 Kinder"}, ["wrong_unit"]),
        ({"value_text": "-5"}, ["negative"]),
        ({"value_text": ""}, ["value_or_comment"]),
        ({"value_text": "", "comment": "Gespräch mit Träger"}, []),
        ({"quantified": False, "value_text": ""}, ["comment"]),
        ({"comment": "x" * 1001}, ["too_long"]),
    ],
    ids=[
        "ok",
        "no-date",
        "future",
        "before-start",
        "not-number",
        "unit",
        "negative",
        "empty",
        "comment-only",
        "no-output-needs-comment",
        "too-long",
    ],
)
def test_validate_report(changes, codes):
    clean, problems = _report(**changes)
    assert [p.code for p in problems] == codes
    if not codes:
        day = changes.get("report_date") or date(2026, 10, 1)
        assert clean["date"] == day.isoformat()


def test_validate_report_keeps_the_number_from_german_input():
    clean, problems = _report(value_text="1.234,5 Plätze")
    assert problems == [] and clean["value"] == 1234.5


@pytest.mark.parametrize(
    "status,current,comment,codes",
    [
        ("delayed", "in_progress", "Bauverzug", []),
        ("delayed", "in_progress", "", ["reason_needed"]),
        ("in_progress", "in_progress", "", ["same_status"]),
        ("fertig", "in_progress", "", ["unknown_status"]),
        ("completed", "in_progress", "", []),
    ],
)
def test_validate_status_change(status, current, comment, codes):
    _, problems = validate_status_change(
        new_status=status, current=current, comment=comment
    )
    assert [p.code for p in problems] == codes


def test_timestamps_are_utc_and_can_be_given(backend):
    moment = datetime(2026, 3, 1, 9, 15, tzinfo=UTC)
    entry = backend.open().append(
        "status", "M1", {"status": "delayed"}, "a", now=moment
    )
    assert entry.at == "2026-03-01T09:15:00+00:00"
    assert backend.open().entries()[0].at == entry.at


def test_the_jsonl_log_writes_its_file_and_lock(tmp_path):
    JsonLinesLog(tmp_path).append("status", "M1", {"status": "delayed"}, "a")
    assert os.path.getsize(tmp_path / LOG_NAME) > 0
    assert Path(tmp_path / LOCK_NAME).exists()
