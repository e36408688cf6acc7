"""A new entry of the edit log: the checks it must pass, the value it replaces and
its number. Every backend calls :func:`make_entry` under its writer lock with the
entries at that moment, so two people saving at once both keep their entries and
each sees the other's as ``previous``."""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from monitor.programme.entry import EditError, Entry
from monitor.programme.replay import EditState, replay
from monitor.programme.schema import GOAL_FIELDS, MEASURE_FIELDS
from monitor.programme.vocabulary import KINDS, MEASURE_STATUSES, ROLES

__all__ = ["clean_data", "make_entry", "stamp"]


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


def clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with plain JSON values; raises EditError before any lock is taken."""
    return {str(k): _json_safe(v, str(k)) for k, v in dict(data).items()}


def stamp(now: datetime | None = None) -> str:
    """The time of a write, ISO 8601 in UTC to the second."""
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


def _check_fields(kind: str, data: Mapping[str, Any]) -> None:
    allowed = MEASURE_FIELDS if kind == "measure" else GOAL_FIELDS
    unknown = set(data) - set(allowed)
    if unknown:
        raise EditError("unknown_field", field=", ".join(sorted(unknown)))


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
    elif kind in ("measure", "goal"):
        _check_fields(kind, data)
        status = data.get("status") if kind == "measure" else None
        if "status" in data and kind == "measure" and status not in MEASURE_STATUSES:
            raise EditError("unknown_status", status=status)
    elif kind == "role":
        if data.get("role") not in ROLES:
            raise EditError("unknown_role", role=data.get("role"))
    elif kind == "revert":
        original = state.entry(target)
        if original is None:
            raise EditError("revert_unknown", entry=target)
        if not state.effective.get(original.entry_id, True):
            raise EditError("already_reverted", seq=original.seq)


def _previous_report(
    state: EditState, target: str, published: Mapping[str, Any]
) -> dict[str, Any]:
    """The latest known report (published or logged) and the current status."""
    candidates = []
    if published.get("date"):
        candidates.append((str(published["date"]), published.get("value")))
    for e in state.reports:
        if e.target == target:
            candidates.append((str(e.data["date"]), e.data.get("value")))
    prev: dict[str, Any] = {}
    if candidates:
        day, value = max(candidates, key=lambda c: c[0])
        prev = {"date": day, "value": value}
    prev["status"] = state.status.get(target, published.get("status"))
    return prev


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
        return _previous_report(state, target, published)
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


def make_entry(
    entries: Sequence[Entry],
    kind: str,
    target: str,
    data: Mapping[str, Any],
    who: str,
    *,
    seq: int,
    at: str,
    published: Mapping[str, Any] | None = None,
    new_target: bool = False,
) -> Entry:
    """Entry number ``seq`` after ``entries`` (the log at this moment, in seq order).

    ``data`` must already be clean (:func:`clean_data`). ``new_target``: the entry
    creates ``target`` (a new measure or goal) and is refused when the log already
    has an entry of this kind for it.

    Raises
    ------
    EditError
        Unknown kind/status/role/field, a revert of an unknown or already reverted
        entry, an id that is taken, values that are not plain JSON.
    """
    state = replay(entries)
    _check_entry(state, kind, target, data, who)
    if new_target and any(
        e.kind == kind and e.target == str(target) for e in state.entries
    ):
        raise EditError("id_taken", target=str(target))
    previous = _previous(state, kind, str(target), data, published or {})
    return Entry(
        seq=seq,
        entry_id=uuid.uuid4().hex,
        at=at,
        who=str(who).strip(),
        kind=kind,
        target=str(target),
        data=dict(data),
        previous=clean_data(previous),
    )
