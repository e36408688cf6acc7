"""Problems found while importing a file: one object per finding, German text.

Every importer reports what it found as a list of :class:`Problem` objects (file,
row, column, message) so that an admin page can show them as one table and nothing is
published while an ``error`` is among them. A file that cannot be read at all raises
:class:`IngestError`, which carries the same objects; no importer returns partial
output together with an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass

__all__ = ["ERROR", "INFO", "WARNING", "IngestError", "Problem", "raise_errors"]

ERROR = "error"
"""Blocks publishing: the row or file is wrong."""
WARNING = "warning"
"""Published, but the user should look (a repaired geometry, a padded key)."""
INFO = "info"
"""What the importer did (encoding detected, CRS transformed)."""

SEVERITIES = (ERROR, WARNING, INFO)


@dataclass(frozen=True)
class Problem:
    """One finding. ``row`` is the line or feature number as the user sees it in
    the file (1-based, the header counts as line 1 in CSV files), ``None`` for the
    whole file; ``column`` is the column or property name, ``None`` for the row."""

    message: str
    file: str = ""
    row: int | None = None
    column: str | None = None
    severity: str = ERROR
    code: str = ""

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"Zeile {self.row}")
        if self.column:
            where.append(f"Spalte „{self.column}“")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def as_dict(self) -> dict:
        return asdict(self)


class IngestError(ValueError):
    """The file cannot be imported; ``problems`` says why (German messages)."""

    def __init__(self, problems: str | Problem | Iterable[Problem]):
        if isinstance(problems, str):
            problems = Problem(problems)
        items = [problems] if isinstance(problems, Problem) else list(problems)
        if not items:
            raise ValueError("IngestError needs at least one problem")
        self.problems: list[Problem] = items
        errors = [p for p in items if p.severity == ERROR] or items
        text = "\n".join(str(p) for p in errors[:20])
        if len(errors) > 20:
            text += f"\n… und {len(errors) - 20} weitere Probleme."
        super().__init__(text)


def raise_errors(problems: Iterable[Problem]) -> None:
    """Raise :class:`IngestError` with all problems when any of them is an error."""
    items = list(problems)
    if any(p.severity == ERROR for p in items):
        raise IngestError(items)
