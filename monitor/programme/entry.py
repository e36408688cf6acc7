"""One entry of the edit log and its checksum (the same for every backend)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["EditError", "Entry", "canonical", "checksum"]

_CHECK_LEN = 16


class EditError(ValueError):
    """An entry that cannot be appended (unknown kind, bad revert, ...).

    ``code`` is a stable id the UI translates; ``params`` fill its placeholders.
    """

    def __init__(self, code: str, **params: Any):
        super().__init__(f"{code}: {params}" if params else code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Entry:
    """One entry of the log.

    Attributes
    ----------
    seq : int
        Position in the log, 1, 2, ... (gap-free, assigned under the writer lock).
    entry_id : str
        Random unique id (references from ``revert`` entries use it).
    at : str
        Time of the write, ISO 8601 in UTC (``2026-03-01T09:15:00+00:00``).
    who : str
        The identity that wrote it (e-mail address, or the demo editor).
    kind : str
        One of :data:`monitor.programme.vocabulary.KINDS`.
    target : str
        Measure id (progress, status, measure), goal id (goal), e-mail (role) or
        entry id (revert).
    data : dict
        What was set. progress: ``date``, ``value`` (or None), ``status`` (or
        None), ``comment``; status: ``status``, ``comment``; measure/goal: the
        changed fields; role: ``role``; revert: ``comment``.
    previous : dict
        The value before this entry, from the state at the moment of writing.
    """

    seq: int
    entry_id: str
    at: str
    who: str
    kind: str
    target: str
    data: Mapping[str, Any]
    previous: Mapping[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "id": self.entry_id,
            "at": self.at,
            "who": self.who,
            "kind": self.kind,
            "target": self.target,
            "data": dict(self.data),
            "previous": dict(self.previous),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> Entry:
        return cls(
            seq=int(raw["seq"]),
            entry_id=str(raw["id"]),
            at=str(raw["at"]),
            who=str(raw["who"]),
            kind=str(raw["kind"]),
            target=str(raw["target"]),
            data=dict(raw.get("data") or {}),
            previous=dict(raw.get("previous") or {}),
        )

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)


def canonical(record: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no spaces: the text the checksum is taken of."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def checksum(entry: Entry | Mapping[str, Any]) -> str:
    """First 16 hex digits of the SHA-256 of the entry's canonical JSON."""
    record = entry.to_json() if isinstance(entry, Entry) else entry
    body = canonical(record)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:_CHECK_LEN]
