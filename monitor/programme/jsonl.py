"""The edit log as a JSON-lines file: the embedded default (one machine).

Storage and guarantees
----------------------
* One entry is one line ``{...}\\n`` written with a single ``os.write`` on a file
  opened with ``O_APPEND``, then ``fsync``; only then does :meth:`append` return
  (the entry is *confirmed*). A new file also gets its folder fsynced.
* Writers serialise on an exclusive ``fcntl.flock`` of a separate lock file. flock
  locks belong to the open file description, so they exclude other processes *and*
  other threads of the same process (each append opens its own descriptor). Inside
  the lock the writer reads the log, numbers the entry (``seq``) and computes the
  previous value from the state at that moment.
* Every line carries a checksum of its content. A process killed mid-write can
  leave at most an incomplete last line; readers ignore it (the state before the
  write stays readable) and the next writer cuts it off under the lock. A torn line
  was never confirmed, so no confirmed entry is lost.

Why a file and not SQLite: one line per edit is the audit trail itself, readable
with any editor, and append + ``fsync`` under a lock is all the durability needed.
flock works on local file systems; for several machines use the PostgreSQL backend
(:mod:`monitor.programme.postgres`), not a network share.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monitor.programme.entry import Entry, canonical, checksum
from monitor.programme.log import EditLog, Locked, LogRead

__all__ = ["LOCK_NAME", "LOG_NAME", "FileRead", "JsonLinesLog"]

LOG_NAME = "edits.jsonl"
LOCK_NAME = "edits.lock"


@dataclass(frozen=True)
class FileRead(LogRead):
    """A read of the file; ``valid_bytes`` is the length of its valid prefix."""

    valid_bytes: int = 0


def encode_line(entry: Entry) -> bytes:
    record = entry.to_json()
    line = canonical({"check": checksum(record), "entry": record})
    return (line + "\n").encode("utf-8")


def decode_line(line: bytes) -> Entry | None:
    """An entry from one complete line, or None if the line is damaged."""
    try:
        raw = json.loads(line.decode("utf-8"))
        if raw.get("check") != checksum(raw["entry"]):
            return None
        return Entry.from_json(raw["entry"])
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        return None


def read_bytes(raw: bytes) -> FileRead:
    entries: list[Entry] = []
    valid = 0
    damaged = 0
    pos = 0
    pending_damaged = 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end < 0:  # no newline: an interrupted write
            break
        entry = decode_line(raw[pos:end])
        pos = end + 1
        if entry is None:
            pending_damaged += 1
            continue
        entries.append(entry)
        damaged += pending_damaged
        pending_damaged = 0
        valid = pos
    # damaged lines at the very end count as a torn tail, not as damage
    return FileRead(tuple(entries), damaged, valid < len(raw), valid)


class JsonLinesLog(EditLog):
    """The append-only log in ``folder`` (created on the first write).

    Parameters
    ----------
    folder : path
        Folder of ``edits.jsonl`` and ``edits.lock``. It must not be the published
        data folder; the UI layer checks that.
    """

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.path = self.folder / LOG_NAME
        self.lock_path = self.folder / LOCK_NAME

    def read(self) -> FileRead:
        """Read the log without a lock; an incomplete last line is ignored."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return FileRead(())
        return read_bytes(raw)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Locked]:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                found = self.read()
                if found.torn_tail:
                    self._repair(found)
                last = found.entries[-1].seq if found.entries else 0
                yield Locked(found.entries, last + 1, self._write)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _repair(self, found: FileRead) -> None:
        """Cut an incomplete last line left by a killed writer (never confirmed)."""
        with open(self.path, "r+b") as handle:
            handle.truncate(found.valid_bytes)
            handle.flush()
            os.fsync(handle.fileno())

    def _write(self, entry: Entry) -> None:
        line = encode_line(entry)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            view = memoryview(line)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            dir_fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
