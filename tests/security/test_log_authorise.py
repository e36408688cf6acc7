"""The edit log runs the writer's check inside its lock, on both backends: the
check sees the log as it is at that moment, and a refusal writes nothing."""

from __future__ import annotations

import uuid

import pytest

from monitor.programme.jsonl import JsonLinesLog
from monitor.programme.postgres import PostgresLog


class RefusedError(Exception):
    pass


@pytest.fixture(params=["jsonl", "postgres"])
def log(request, tmp_path):
    if request.param == "jsonl":
        yield JsonLinesLog(tmp_path / "log")
        return
    cluster = request.getfixturevalue("postgres")
    opened = PostgresLog(cluster.app_url, name=f"security-{uuid.uuid4().hex[:12]}")
    yield opened
    opened.close()


def test_a_refusal_inside_the_lock_writes_nothing(log):
    log.append("role", "neu@example.org", {"role": "editor"}, "admin@example.org")
    seen = []

    def refuse(state):
        seen.append(dict(state.roles))
        raise RefusedError

    with pytest.raises(RefusedError):
        log.append("progress", "M001", {"date": "2025-06-01"}, "neu@example.org",
                   authorise=refuse)  # fmt: skip
    assert seen == [{"neu@example.org": "editor"}]
    assert [e.kind for e in log.entries()] == ["role"]
    # the next writer is not blocked by the refused one, and numbers have no gap
    entry = log.append("progress", "M001", {"date": "2025-06-01"}, "neu@example.org",
                       authorise=lambda state: None)  # fmt: skip
    assert entry.seq == 2
