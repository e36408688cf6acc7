"""The append-only edit log (monitor/edits.py): concurrency, crashes, replay,
reverts, and the checks of form inputs."""

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
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from monitor.programme.entry import EditError
from monitor.programme.jsonl import LOG_NAME
from monitor.programme.jsonl import JsonLinesLog as EditLog
from monitor.programme.parsing import (
    parse_number,
    parse_value,
    validate_report,
    validate_status_change,
)
from monitor.programme.replay import replay
from tests.conftest import ROOT

TODAY = date(2026, 11, 25)


def progress(log: EditLog, measure: str, day: str, value, who="a@example.org"):
    return log.append(
        "progress",
        measure,
        {"date": day, "value": value, "status": "in_progress", "comment": ""},
        who,
    )


# ------------------------------------------------------------------ basic writing


def test_entries_are_numbered_and_survive_a_new_instance(tmp_path):
    log = EditLog(tmp_path / "log")
    first = progress(log, "M001", "2026-10-01", 670.0)
    second = log.append(
        "status", "M001", {"status": "delayed", "comment": "Bauverzug"}, "b@x.de"
    )
    assert (first.seq, second.seq) == (1, 2)
    again = EditLog(tmp_path / "log").entries()
    assert [e.entry_id for e in again] == [first.entry_id, second.entry_id]
    assert again[1].who == "b@x.de"
    assert again[1].data == {"status": "delayed", "comment": "Bauverzug"}
    assert datetime.fromisoformat(again[0].at).tzinfo is not None


def test_previous_value_comes_from_published_data_then_from_the_log(tmp_path):
    log = EditLog(tmp_path)
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


def test_nothing_is_overwritten_the_file_only_grows(tmp_path):
    log = EditLog(tmp_path)
    snapshots = [b""]
    for i in range(5):
        log.append("status", "M002", {"status": ["delayed", "in_progress"][i % 2]}, "a")
        snapshots.append((tmp_path / LOG_NAME).read_bytes())
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        assert after.startswith(before) and len(after) > len(before)
    assert replay(log.entries()).status == {"M002": "delayed"}


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
    tmp_path, kind, target, data, code
):
    log = EditLog(tmp_path)
    with pytest.raises(EditError) as info:
        log.append(kind, target, data, "a@x.de")
    assert info.value.code == code
    assert log.entries() == ()


def test_an_entry_without_identity_is_refused(tmp_path):
    with pytest.raises(EditError) as info:
        EditLog(tmp_path).append("status", "M1", {"status": "delayed"}, "  ")
    assert info.value.code == "no_identity"


# -------------------------------------------------------------------------- reverts


def test_revert_undoes_and_reverting_the_revert_reapplies(tmp_path):
    log = EditLog(tmp_path)
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


def test_new_target_cannot_be_created_twice(tmp_path):
    log = EditLog(tmp_path)
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


def test_replay_of_the_history_equals_the_current_state(tmp_path):
    rng = random.Random(7)
    log = EditLog(tmp_path)
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
        # after every step the state read from disk equals the model's state
        state = EditLog(tmp_path).state()
        status, reports, roles, fields = model.state()
        assert state.status == status, step
        assert [e.entry_id for e in state.reports] == reports, step
        assert state.roles == roles, step
        assert {k: dict(v) for k, v in state.measures.items()} == fields, step
    assert sum(1 for e in log.entries() if e.kind == "revert") > 10


# ---------------------------------------------------------------- concurrency


def test_concurrent_threads_keep_every_entry(tmp_path):
    n_threads, per_thread = 8, 25
    barrier = threading.Barrier(n_threads)
    written: list[str] = []
    lock = threading.Lock()

    def work(worker: int):
        log = EditLog(tmp_path)  # an instance per thread, like one per session
        barrier.wait()
        for i in range(per_thread):
            entry = progress(log, f"M{worker}", "2026-01-01", float(i), f"w{worker}")
            with lock:
                written.append(entry.entry_id)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    entries = EditLog(tmp_path).entries()
    assert len(entries) == n_threads * per_thread
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert sorted(e.entry_id for e in entries) == sorted(written)


_WORKER = textwrap.dedent(
    """
    import sys, time
    from monitor.programme.jsonl import JsonLinesLog as EditLog
    folder, worker, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    start_at = float(sys.argv[4])
    log = EditLog(folder)
    while time.time() < start_at:
        time.sleep(0.001)
    for i in range(n):
        data = {"date": "2026-01-01", "value": float(i)}
        log.append("progress", f"M{worker}", data, f"p{worker}")
    """
)


def test_concurrent_processes_keep_every_entry(tmp_path):
    n_workers, per_worker = 4, 25
    start_at = time.time() + 1.5  # all processes start writing at the same moment
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(tmp_path), str(w), str(per_worker),
             str(start_at)],
            cwd=ROOT,
        )
        for w in range(n_workers)
    ]  # fmt: skip
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    entries = EditLog(tmp_path).entries()
    assert len(entries) == n_workers * per_worker
    assert [e.seq for e in entries] == list(range(1, n_workers * per_worker + 1))
    for w in range(n_workers):
        mine = [e.data["value"] for e in entries if e.who == f"p{w}"]
        assert mine == [float(i) for i in range(per_worker)]  # in order, none lost
    writers = [e.who for e in entries]
    switches = sum(a != b for a, b in zip(writers, writers[1:], strict=False))
    assert switches >= n_workers - 1


def test_two_people_saving_at_the_same_time_both_keep_their_entries(tmp_path):
    barrier = threading.Barrier(2)
    results = {}

    def save(person: str, status: str):
        log = EditLog(tmp_path)
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
        thread.join(timeout=30)
    first, second = sorted(results.values(), key=lambda e: e.seq)
    assert first.previous == {"status": "in_progress"}
    assert second.previous == {"status": first.data["status"]}  # saw the other one
    history = EditLog(tmp_path).state().history("M001")
    assert {e.who for e in history} == {"anna@x.de", "ben@x.de"}


# ------------------------------------------------------------ crashes mid-write

_KILL_MID_WRITE = textwrap.dedent(
    """
    import os, signal, sys
    import monitor.programme.jsonl as edits
    real_write = os.write
    def half_write(fd, data):
        data = bytes(data)
        real_write(fd, data[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    edits.os.write = half_write
    edits.JsonLinesLog(sys.argv[1]).append(
        "progress", "M001", {"date": "2026-10-01", "value": 999.0}, "killed"
    )
    """
)


def test_a_process_killed_mid_write_leaves_the_previous_state(tmp_path):
    log = EditLog(tmp_path)
    confirmed = [progress(log, "M001", "2026-09-01", float(v)) for v in (1, 2, 3)]
    before = (tmp_path / LOG_NAME).read_bytes()
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_MID_WRITE, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGKILL
    raw = (tmp_path / LOG_NAME).read_bytes()
    assert raw.startswith(before) and len(raw) > len(before)  # a torn line is there
    found = log.read()
    assert found.torn_tail and found.damaged == 0
    assert [e.entry_id for e in found.entries] == [e.entry_id for e in confirmed]
    assert [e.data["value"] for e in log.state().reports] == [1.0, 2.0, 3.0]
    # the next writer cuts the torn line off and continues the numbering
    after = progress(log, "M001", "2026-10-02", 4.0)
    assert after.seq == 4
    assert (tmp_path / LOG_NAME).read_bytes().startswith(before)
    assert not log.read().torn_tail
    assert [e.seq for e in log.entries()] == [1, 2, 3, 4]


_WRITE_FOREVER = textwrap.dedent(
    """
    import sys
    from monitor.programme.jsonl import JsonLinesLog as EditLog
    log = EditLog(sys.argv[1])
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


def test_no_confirmed_entry_is_lost_when_writers_are_killed(tmp_path):
    rng = random.Random(3)
    confirmed: list[str] = []
    for _ in range(3):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRITE_FOREVER, str(tmp_path)],
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
    ids = [e.entry_id for e in EditLog(tmp_path).entries()]
    assert set(confirmed) <= set(ids)
    assert [e.seq for e in EditLog(tmp_path).entries()] == list(range(1, len(ids) + 1))


def test_damaged_lines_are_skipped_and_counted_but_do_not_stop_reading(tmp_path):
    log = EditLog(tmp_path)
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


def test_timestamps_are_utc_and_can_be_given(tmp_path):
    moment = datetime(2026, 3, 1, 9, 15, tzinfo=UTC)
    entry = EditLog(tmp_path).append(
        "status", "M1", {"status": "delayed"}, "a", now=moment
    )
    assert entry.at == "2026-03-01T09:15:00+00:00"
    assert os.path.getsize(tmp_path / LOG_NAME) > 0
    assert Path(tmp_path / "edits.lock").exists()
