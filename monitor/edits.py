"""Append-only edit log of the programme data: progress reports, status changes,
changes to goals and measures, and user roles.

The published files (goals, measures, progress reports in the data folder) are never
written. Every edit made in the app is one *entry* appended to a JSON-lines file in
the local edit folder; the current state is the published data with the log
replayed over it (:func:`replay`). Nothing is overwritten, so the history is the log
itself, and an edit is undone by a new ``revert`` entry.

Storage and guarantees
----------------------
* One entry is one line ``{...}\\n`` written with a single ``os.write`` on a file
  opened with ``O_APPEND``, then ``fsync``; only then does :meth:`EditLog.append`
  return (the entry is *confirmed*). A new file also gets its folder fsynced.
* Writers serialise on an exclusive ``fcntl.flock`` of a separate lock file. flock
  locks belong to the open file description, so they exclude other processes *and*
  other threads of the same process (each append opens its own descriptor). Inside
  the lock the writer reads the log, numbers the entry (``seq``) and computes the
  previous value from the state at that moment, so two people saving at the same
  time both keep their entries, one after the other.
* Every line carries a checksum of its content. A process killed mid-write can
  leave at most an incomplete last line; readers ignore it (the state before the
  write stays readable) and the next writer cuts it off under the lock. A torn line
  was never confirmed, so no confirmed entry is lost.

This module is pure Python (no Streamlit): the UI layer decides who may write.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import math
import os
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "HANDLUNGSFELDER",
    "KINDS",
    "MEASURE_FIELDS",
    "GOAL_FIELDS",
    "MEASURE_STATUSES",
    "RESPONSIBLE_BODIES",
    "ROLES",
    "EditError",
    "Entry",
    "EditLog",
    "EditState",
    "InputProblem",
    "LogRead",
    "parse_number",
    "parse_value",
    "replay",
    "validate_report",
    "validate_status_change",
]

#: The seven Handlungsfelder of the 3rd Aktionsplan (24.09.2024), stable ids.
HANDLUNGSFELDER = (
    "wohnraum",
    "energiesicherung",
    "kinderarmut_bildung",
    "arbeit",
    "mobilitaet_infrastruktur",
    "gesundheit",
    "integration",
)
#: Status of a measure: geplant, in Umsetzung, umgesetzt, verzögert, gestoppt.
MEASURE_STATUSES = ("planned", "in_progress", "completed", "delayed", "stopped")
#: Responsible body: Land, Landkreis, Stadt, Träger.
RESPONSIBLE_BODIES = ("land", "landkreis", "stadt", "traeger")
#: Roles, weakest first.
ROLES = ("viewer", "editor", "admin")
#: Kinds of entries.
KINDS = ("progress", "status", "measure", "goal", "role", "revert")
#: Fields of a measure an admin may set through the log.
MEASURE_FIELDS = (
    "title",
    "handlungsfeld",
    "working_group",
    "responsible",
    "lead",
    "start",
    "end",
    "status",
    "budget_eur",
    "output_indicator",
    "output_unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "area_id",
    "comment",
)
#: Fields of a goal an admin may set through the log.
GOAL_FIELDS = (
    "title",
    "working_group",
    "working_group_name",
    "handlungsfeld",
    "indicator_id",
    "area_id",
    "direction",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
)

LOG_NAME = "edits.jsonl"
LOCK_NAME = "edits.lock"
MAX_TEXT = 1000
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
    """One line of the log.

    Attributes
    ----------
    seq : int
        Position in the log, 1, 2, ... (gap-free, assigned under the lock).
    entry_id : str
        Random unique id (references from ``revert`` entries use it).
    at : str
        Time of the write, ISO 8601 in UTC (``2026-03-01T09:15:00+00:00``).
    who : str
        The identity that wrote it (e-mail address, or the demo editor).
    kind : str
        One of :data:`KINDS`.
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


def _canonical(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:_CHECK_LEN]


def _encode(entry: Entry) -> bytes:
    body = _canonical(entry.to_json())
    line = _canonical({"check": _checksum(body), "entry": json.loads(body)})
    return (line + "\n").encode("utf-8")


def _decode(line: bytes) -> Entry | None:
    """An entry from one complete line, or None if the line is damaged."""
    try:
        raw = json.loads(line.decode("utf-8"))
        body = _canonical(raw["entry"])
        if raw.get("check") != _checksum(body):
            return None
        return Entry.from_json(raw["entry"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class LogRead:
    """What a read of the log found."""

    entries: tuple[Entry, ...]
    valid_bytes: int  # length of the prefix made of complete, valid lines
    size: int  # file size at the time of reading
    damaged: int  # complete lines in the middle that failed their checksum

    @property
    def torn_tail(self) -> bool:
        """True when the file ends in an incomplete or damaged last line."""
        return self.valid_bytes < self.size


def _read_bytes(raw: bytes) -> LogRead:
    entries: list[Entry] = []
    valid = 0
    damaged = 0
    pos = 0
    pending_damaged = 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end < 0:  # no newline: an interrupted write
            break
        entry = _decode(raw[pos:end])
        pos = end + 1
        if entry is None:
            pending_damaged += 1
            continue
        entries.append(entry)
        damaged += pending_damaged
        pending_damaged = 0
        valid = pos
    # damaged lines at the very end count as a torn tail, not as damage
    return LogRead(tuple(entries), valid, len(raw), damaged)


# ------------------------------------------------------------------------- state


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


def replay(entries: tuple[Entry, ...] | list[Entry]) -> EditState:
    """Fold the log into an :class:`EditState`.

    An entry is effective unless an effective ``revert`` entry targets it. Reverts
    always point to earlier entries, so walking the log backwards decides every
    entry after all entries that could undo it. Reverting a revert therefore
    re-applies the original edit. The effective entries are then applied in
    ``seq`` order: the latest value of a field wins.
    """
    entries = tuple(sorted(entries, key=lambda e: e.seq))
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


def _previous(
    state: EditState,
    kind: str,
    target: str,
    data: Mapping[str, Any],
    published: Mapping[str, Any],
) -> dict[str, Any]:
    """The value an entry replaces, from the state at the moment of writing.

    ``published`` holds the published values of the target (e.g. ``status``, the
    latest published report as ``date``/``value``, measure fields, ``role``).
    """
    if kind == "progress":
        candidates = []
        if published.get("date"):
            candidates.append(
                (str(published["date"]), published.get("value"), published)
            )
        for e in state.reports:
            if e.target == target:
                candidates.append((str(e.data["date"]), e.data.get("value"), e.data))
        prev: dict[str, Any] = {}
        if candidates:
            day, value, _ = max(candidates, key=lambda c: c[0])
            prev = {"date": day, "value": value}
        prev["status"] = state.status.get(target, published.get("status"))
        return prev
    if kind == "status":
        return {"status": state.status.get(target, published.get("status"))}
    if kind in ("measure", "goal"):
        own = (state.measures if kind == "measure" else state.goals).get(target, {})
        out = {}
        for name in data:
            if name == "status" and kind == "measure":
                out[name] = state.status.get(target, published.get("status"))
            else:
                out[name] = own.get(name, published.get(name))
        return out
    if kind == "role":
        return {"role": state.roles.get(target, published.get("role"))}
    if kind == "revert":
        original = state.entry(target)
        if original is None:  # checked before; keeps the function total
            return {}
        return {
            "kind": original.kind,
            "target": original.target,
            "seq": original.seq,
            "data": dict(original.data),
        }
    return {}


def _json_safe(value: Any, name: str) -> Any:
    """Only plain JSON values enter the log (dates as ISO strings)."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EditError("not_finite", field=name)
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(v, name) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v, name) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalars
        return _json_safe(value.item(), name)
    raise EditError("not_serialisable", field=name)


def _check_entry(
    state: EditState, kind: str, target: str, data: Mapping[str, Any], who: str
) -> None:
    if kind not in KINDS:
        raise EditError("unknown_kind", kind=kind)
    if not str(target).strip():
        raise EditError("no_target")
    if not str(who).strip():
        raise EditError("no_identity")
    if kind == "progress":
        if "date" not in data:
            raise EditError("missing_field", field="date")
        date.fromisoformat(str(data["date"]))
        status = data.get("status")
        if status is not None and status not in MEASURE_STATUSES:
            raise EditError("unknown_status", status=status)
    elif kind == "status":
        if data.get("status") not in MEASURE_STATUSES:
            raise EditError("unknown_status", status=data.get("status"))
    elif kind == "measure":
        unknown = set(data) - set(MEASURE_FIELDS)
        if unknown:
            raise EditError("unknown_field", field=", ".join(sorted(unknown)))
        if "status" in data and data["status"] not in MEASURE_STATUSES:
            raise EditError("unknown_status", status=data["status"])
    elif kind == "goal":
        unknown = set(data) - set(GOAL_FIELDS)
        if unknown:
            raise EditError("unknown_field", field=", ".join(sorted(unknown)))
    elif kind == "role":
        if data.get("role") not in ROLES:
            raise EditError("unknown_role", role=data.get("role"))
    elif kind == "revert":
        original = state.entry(target)
        if original is None:
            raise EditError("revert_unknown", entry=target)
        if not state.effective.get(original.entry_id, True):
            raise EditError("already_reverted", seq=original.seq)


# --------------------------------------------------------------------------- log


class EditLog:
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

    # -- reading ----------------------------------------------------------------
    def read(self) -> LogRead:
        """Read the log without a lock; an incomplete last line is ignored."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LogRead((), 0, 0, 0)
        return _read_bytes(raw)

    def entries(self) -> tuple[Entry, ...]:
        return self.read().entries

    def state(self) -> EditState:
        """The log replayed (see :func:`replay`)."""
        return replay(self.read().entries)

    # -- writing ----------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _repair(self, found: LogRead) -> None:
        """Cut an incomplete last line left by a killed writer (never confirmed)."""
        with open(self.path, "r+b") as handle:
            handle.truncate(found.valid_bytes)
            handle.flush()
            os.fsync(handle.fileno())

    def _write_line(self, line: bytes) -> None:
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
    ) -> Entry:
        """Append one entry and return it once it is on disk (fsynced).

        Parameters
        ----------
        kind, target, data, who
            See :class:`Entry`.
        published : mapping, optional
            Published values of the target, used for ``previous`` when the log has
            none yet (see :func:`_previous`).
        now : datetime, optional
            Time stamp (tests); default: now in UTC.
        new_target : bool, default False
            The entry creates ``target`` (a new measure or goal): refused when the
            log already has an entry of this kind for it, checked under the lock,
            so two admins creating the same id at once cannot overwrite each other.

        Raises
        ------
        EditError
            Unknown kind/status/role/field, a revert of an unknown or already
            reverted entry, values that are not plain JSON.
        """
        clean = {str(k): _json_safe(v, str(k)) for k, v in dict(data).items()}
        stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
        with self._locked():
            found = self.read()
            if found.torn_tail:
                self._repair(found)
            state = replay(found.entries)
            _check_entry(state, kind, target, clean, who)
            if new_target and any(
                e.kind == kind and e.target == str(target) for e in state.entries
            ):
                raise EditError("id_taken", target=str(target))
            entry = Entry(
                seq=(found.entries[-1].seq + 1) if found.entries else 1,
                entry_id=uuid.uuid4().hex,
                at=stamp,
                who=str(who).strip(),
                kind=kind,
                target=str(target),
                data=clean,
                previous={
                    k: _json_safe(v, k)
                    for k, v in _previous(
                        state, kind, str(target), clean, published or {}
                    ).items()
                },
            )
            self._write_line(_encode(entry))
        return entry


# ---------------------------------------------------------------- input checking


@dataclass(frozen=True)
class InputProblem:
    """A problem with a form input: ``code`` (translated by the UI) and params."""

    field: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


_GERMAN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


def parse_number(text: str) -> float:
    """A number typed the German way (decimal comma) or with a decimal point.

    ``"1.234,5"`` → 1234.5; ``"1234,5"`` → 1234.5; ``"12.5"`` → 12.5;
    ``"1.234"`` → 1234 (German thousands separator wins, as the UI is German
    first). Spaces (also thin/non-breaking) are ignored. Raises ValueError.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", str(text))
    if not cleaned:
        raise ValueError("empty")
    if _GERMAN_THOUSANDS.match(cleaned):
        return float(cleaned.replace(".", "").replace(",", "."))
    if "," in cleaned and "." in cleaned:
        raise ValueError(f"not a number: {text!r}")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"not a number: {text!r}")
    number = float(cleaned.replace(",", "."))
    if not math.isfinite(number):
        raise ValueError(f"not a number: {text!r}")
    return number


_UNIT_TAIL = re.compile(
    r"^(?P<num>[+\-]?[\d.,\s\u00a0\u202f']*\d)\s*(?P<unit>[^\d\s.,+\-].*)?$"
)


def parse_value(
    text: str, unit: str | None
) -> tuple[float | None, InputProblem | None]:
    """A reported value with an optional unit, e.g. ``"412 Plätze"`` or ``"7,5"``.

    Returns ``(value, None)`` or ``(None, problem)``. An empty text gives
    ``(None, None)``. A unit typed after the number must be the measure's unit
    (case-insensitive).
    """
    text = str(text or "").strip()
    if not text:
        return None, None
    match = _UNIT_TAIL.match(text)
    if match is None:
        return None, InputProblem("value", "not_a_number", {"text": text[:40]})
    typed_unit = (match.group("unit") or "").strip()
    if typed_unit and (unit is None or typed_unit.casefold() != unit.casefold()):
        return None, InputProblem(
            "value", "wrong_unit", {"typed": typed_unit[:20], "unit": unit or "–"}
        )
    try:
        number = parse_number(match.group("num"))
    except ValueError:
        return None, InputProblem("value", "not_a_number", {"text": text[:40]})
    return number, None


def validate_report(
    *,
    report_date: Any,
    value_text: str,
    comment: str,
    unit: str | None,
    quantified: bool,
    start: date | None,
    today: date,
) -> tuple[dict[str, Any], list[InputProblem]]:
    """Check a progress report typed into the form.

    Returns the clean data (``date``, ``value``, ``comment``) and the problems
    (empty when it can be saved). Rules: a date is required, not in the future
    and not before the start of the measure; the value is a number (German
    decimal comma accepted), not negative, in the measure's unit; a report
    without a value needs a comment; comments have at most 1000 characters.
    """
    problems: list[InputProblem] = []
    clean: dict[str, Any] = {}
    if not isinstance(report_date, date):
        problems.append(InputProblem("date", "date_missing"))
    else:
        day = report_date.date() if isinstance(report_date, datetime) else report_date
        if day > today:
            problems.append(InputProblem("date", "date_future", {"date": day}))
        elif start is not None and day < start:
            problems.append(
                InputProblem("date", "date_before_start", {"date": day, "start": start})
            )
        clean["date"] = day.isoformat()
    value = None
    if quantified:
        value, problem = parse_value(value_text, unit)
        if problem is not None:
            problems.append(problem)
        elif value is not None and value < 0:
            problems.append(InputProblem("value", "negative"))
    clean["value"] = value
    comment = str(comment or "").strip()
    if len(comment) > MAX_TEXT:
        problems.append(InputProblem("comment", "too_long", {"n": MAX_TEXT}))
    if value is None and not comment and not any(p.field == "value" for p in problems):
        problems.append(
            InputProblem("value", "value_or_comment" if quantified else "comment")
        )
    clean["comment"] = comment
    return clean, problems


def validate_status_change(
    *, new_status: str, current: str | None, comment: str
) -> tuple[dict[str, Any], list[InputProblem]]:
    """Check a status change: a known status, different from the current one, and
    a reason for "delayed" and "stopped"."""
    problems: list[InputProblem] = []
    comment = str(comment or "").strip()
    if new_status not in MEASURE_STATUSES:
        problems.append(InputProblem("status", "unknown_status"))
    elif new_status == current:
        problems.append(InputProblem("status", "same_status", {"status": new_status}))
    if new_status in ("delayed", "stopped") and not comment:
        problems.append(InputProblem("comment", "reason_needed"))
    if len(comment) > MAX_TEXT:
        problems.append(InputProblem("comment", "too_long", {"n": MAX_TEXT}))
    return {"status": new_status, "comment": comment}, problems
