"""The log replayed: what the edits change on top of the published data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitor.programme.entry import Entry

__all__ = ["EditState", "replay"]


@dataclass(frozen=True)
class EditState:
    """The log replayed: what the edits change on top of the published data.

    Attributes
    ----------
    entries : tuple of Entry
        All entries in ``seq`` order.
    effective : dict
        ``entry_id -> bool``: False when the entry is undone by an effective
        revert.
    reverted_by : dict
        ``entry_id -> entry_id`` of the effective revert that undoes it.
    reports : tuple of Entry
        Effective progress entries, in ``seq`` order.
    status : dict
        ``measure_id -> status`` set by the latest effective entry with a status.
    measures, goals : dict
        ``id -> {field: value}``: fields set by effective measure/goal entries.
    roles : dict
        ``e-mail -> role`` from effective role entries.
    """

    entries: tuple[Entry, ...] = ()
    effective: Mapping[str, bool] = field(default_factory=dict)
    reverted_by: Mapping[str, str] = field(default_factory=dict)
    reports: tuple[Entry, ...] = ()
    status: Mapping[str, str] = field(default_factory=dict)
    measures: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    goals: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)

    def entry(self, entry_id: str) -> Entry | None:
        return next((e for e in self.entries if e.entry_id == entry_id), None)

    def history(self, target: str) -> list[Entry]:
        """Entries about one measure, goal or e-mail, and the reverts of them
        (also reverts of reverts)."""
        own: set[str] = set()
        out = []
        for e in self.entries:  # in seq order: a revert comes after its target
            if (e.kind != "revert" and e.target == target) or (
                e.kind == "revert" and e.target in own
            ):
                own.add(e.entry_id)
                out.append(e)
        return out


def _effective(entries: tuple[Entry, ...]) -> tuple[dict[str, bool], dict[str, str]]:
    """Which entries count, and the revert that undoes each undone one.

    Reverts always point to earlier entries, so walking the log backwards decides
    every entry after all entries that could undo it."""
    reverters: dict[str, list[str]] = {}
    for e in entries:
        if e.kind == "revert":
            reverters.setdefault(e.target, []).append(e.entry_id)
    effective: dict[str, bool] = {}
    reverted_by: dict[str, str] = {}
    for e in reversed(entries):
        active = [r for r in reverters.get(e.entry_id, []) if effective.get(r)]
        effective[e.entry_id] = not active
        if active:
            reverted_by[e.entry_id] = active[-1]
    return effective, reverted_by


def replay(entries: tuple[Entry, ...] | list[Entry]) -> EditState:
    """Fold the log into an :class:`EditState`.

    An entry is effective unless an effective ``revert`` entry targets it;
    reverting a revert therefore re-applies the original edit. The effective
    entries are then applied in ``seq`` order: the latest value of a field wins.
    """
    entries = tuple(sorted(entries, key=lambda e: e.seq))
    effective, reverted_by = _effective(entries)
    reports: list[Entry] = []
    status: dict[str, str] = {}
    measures: dict[str, dict[str, Any]] = {}
    goals: dict[str, dict[str, Any]] = {}
    roles: dict[str, str] = {}
    for e in entries:
        if not effective[e.entry_id] or e.kind == "revert":
            continue
        if e.kind == "progress":
            reports.append(e)
            if e.data.get("status"):
                status[e.target] = str(e.data["status"])
        elif e.kind == "status":
            status[e.target] = str(e.data["status"])
        elif e.kind == "measure":
            measures.setdefault(e.target, {}).update(e.data)
            if e.data.get("status"):
                status[e.target] = str(e.data["status"])
        elif e.kind == "goal":
            goals.setdefault(e.target, {}).update(e.data)
        elif e.kind == "role":
            roles[e.target] = str(e.data["role"])
    return EditState(
        entries=entries,
        effective=effective,
        reverted_by=reverted_by,
        reports=tuple(reports),
        status=status,
        measures=measures,
        goals=goals,
        roles=roles,
    )
