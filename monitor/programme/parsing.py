"""Form input of the programme pages: numbers typed the German way, reported values
with a unit, and the rules of a progress report and a status change.

The checks return :class:`InputProblem` objects with stable codes; the UI turns
them into German (or English) messages naming the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from monitor.programme.vocabulary import MEASURE_STATUSES

__all__ = [
    "MAX_TEXT",
    "InputProblem",
    "parse_number",
    "parse_value",
    "validate_report",
    "validate_status_change",
]

#: Longest comment or reason accepted (characters).
MAX_TEXT = 1000


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
