"""The append-only edit log of the programme data: progress reports, status changes,
changes to goals and measures, and user roles.

The published files (goals, measures, progress reports in the data folder) are never
written. Every edit made in the app is one *entry* appended to the log; the current
state is the published data with the log replayed over it
(:func:`monitor.programme.replay.replay`). Nothing is overwritten, so the history is
the log itself, and an edit is undone by a new ``revert`` entry.

Two backends keep the same guarantees behind this interface: a JSON-lines file
(:mod:`monitor.programme.jsonl`, the embedded default) and a PostgreSQL table
(:mod:`monitor.programme.postgres`, for several machines). Each serialises writers,
numbers the entry and computes its ``previous`` value inside its lock
(:func:`monitor.programme.new_entry.make_entry`), and returns from :meth:`append`
only when the entry is durable (*confirmed*).
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from monitor.programme.entry import Entry
from monitor.programme.new_entry import clean_data, make_entry, stamp
from monitor.programme.replay import EditState, replay

__all__ = ["EditLog", "Locked", "LogRead", "LogUnavailableError"]


class LogUnavailableError(OSError):
    """The log cannot be reached (database down, wrong URL, missing table); the
    message says which, in German."""


@dataclass(frozen=True)
class LogRead:
    """What a read of the log found.

    ``damaged``: entries in the middle whose checksum fails (skipped).
    ``torn_tail``: the log ends in an incomplete entry of a killed writer (ignored;
    it was never confirmed).
    """

    entries: tuple[Entry, ...]
    damaged: int = 0
    torn_tail: bool = False


class Locked(NamedTuple):
    """What a writer holds inside the lock: the entries at this moment, the number
    of the next entry, and the function that makes it durable (returns when it is
    confirmed)."""

    entries: tuple[Entry, ...]
    next_seq: int
    write: Callable[[Entry], None]


class EditLog(abc.ABC):
    """The interface of both backends: read, replay, append."""

    @abc.abstractmethod
    def read(self) -> LogRead:
        """Every valid entry in seq order (no lock: readers never wait)."""

    def entries(self) -> tuple[Entry, ...]:
        return self.read().entries

    def state(self) -> EditState:
        """The log replayed (see :func:`monitor.programme.replay.replay`)."""
        return replay(self.read().entries)

    @abc.abstractmethod
    def _locked(self) -> contextlib.AbstractContextManager[Locked]:
        """Exclusive writer access (released on exit), see :class:`Locked`."""

    def append(
        self,
        kind: str,
        target: str,
        data: Mapping[str, Any],
        who: str,
        *,
        published: Mapping[str, Any] | None = None,
        now: datetime | None = None,
        new_target: bool = False,
        authorise: Callable[[EditState], None] | None = None,
    ) -> Entry:
        """Append one entry and return it once it is durable (confirmed).

        Parameters
        ----------
        kind, target, data, who
            See :class:`monitor.programme.entry.Entry`.
        published : mapping, optional
            Published values of the target, used for ``previous`` when the log has
            none yet.
        now : datetime, optional
            Time stamp (tests); default: now in UTC.
        new_target : bool, default False
            The entry creates ``target`` (a new measure or goal): refused when the
            log already has an entry of this kind for it, checked under the lock,
            so two admins creating the same id at once cannot overwrite each other.
        authorise : callable, optional
            Called inside the lock with the log replayed at that moment, before
            the entry is made; raising refuses the write (nothing is written). The
            app checks the writer's role here, so a role withdrawn a moment ago
            is seen.

        Raises
        ------
        EditError
            Unknown kind/status/role/field, a revert of an unknown or already
            reverted entry, values that are not plain JSON.
        LogUnavailableError
            The backend cannot be reached; nothing was written.
        """
        clean = clean_data(data)
        at = stamp(now)
        with self._locked() as held:
            if authorise is not None:
                authorise(replay(held.entries))
            entry = make_entry(
                held.entries,
                kind,
                target,
                clean,
                who,
                seq=held.next_seq,
                at=at,
                published=published,
                new_target=new_target,
            )
            held.write(entry)
        return entry
