"""Workshop sequences ("Workshop-Abläufe"): prepared views a presenter steps through.

A sequence is a YAML file ``<id>.yaml`` in ``ablaeufe/`` of the data folder (shipped,
read-only) or of the edit folder (made in the app, which wins on equal ids). Each
step names a page, the link parameters of the view, a title and a speaker note.
Files are validated on load; a broken file is reported, not fatal.

The id is the only part of a file name that comes from outside (a title slug, a
link, a file in a data folder): it must match :data:`ID_PATTERN` as a whole (ASCII
lower-case letters, digits and hyphens, at most 60), so no ``../``, separator, NUL,
Unicode dot or absolute path can reach :func:`sequence_path`, which also checks
that the resolved file stays in its folder. Symbolic links in a folder are never
read; sizes are bounded before parsing.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "MAX_FILE_BYTES",
    "Step",
    "Sequence",
    "SequenceError",
    "delete_sequence",
    "free_id",
    "load_sequences",
    "save_sequence",
    "sequence_path",
    "parse_sequence",
    "sequence_to_yaml",
    "slugify",
    "valid_id",
]

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
MAX_STEPS = 50
MAX_FILE_BYTES = 256 * 1024
"""Largest sequence file read (50 steps with long notes are about 40 KB)."""
MAX_TEXT = 4000
MAX_PARAMS = 40


class SequenceError(ValueError):
    """A sequence file or edit is invalid; the message is German."""


@dataclass(frozen=True)
class Step:
    page: str
    params: dict[str, str] = field(default_factory=dict)
    title_de: str = ""
    title_en: str = ""
    note_de: str = ""
    note_en: str = ""

    def title(self, lang: str) -> str:
        return (self.title_en if lang == "en" else self.title_de) or self.title_de

    def note(self, lang: str) -> str:
        return (self.note_en if lang == "en" else self.note_de) or self.note_de


@dataclass(frozen=True)
class Sequence:
    id: str
    title_de: str
    title_en: str
    steps: tuple[Step, ...]
    source: str = "data"  # data | edit

    def title(self, lang: str) -> str:
        return (self.title_en if lang == "en" else self.title_de) or self.title_de


def slugify(text: str) -> str:
    """An id from a title: umlauts spelt out, everything else but ASCII letters
    and digits becomes one hyphen (also dots, slashes, NUL), at most 60."""
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
    return slug[:60].strip("-") or "ablauf"


def valid_id(seq_id: object) -> str:
    """``seq_id`` when it is a whole match of :data:`ID_PATTERN`, else
    SequenceError (``re.fullmatch``: a trailing newline does not pass either)."""
    if not isinstance(seq_id, str) or not ID_PATTERN.fullmatch(seq_id):
        shown = repr(str(seq_id)[:40])[1:-1]  # NUL, newlines as escapes
        raise SequenceError(f"Ungültige Ablauf-ID „{shown}“.")
    return seq_id


def free_id(base: str, taken: set[str]) -> str:
    """``base`` or, when taken, ``base-2``, ``base-3`` …, still a valid id."""
    valid_id(base)
    if base not in taken:
        return base
    n = 2
    while True:
        candidate = f"{base[: 59 - len(str(n))].rstrip('-')}-{n}"
        if candidate not in taken:
            return candidate
        n += 1


def sequence_path(folder: Path, seq_id: str) -> Path:
    """``<folder>/<seq_id>.yaml`` in the resolved ``folder``; SequenceError for an
    invalid id. A valid id has no separator or dot, so the file's parent is the
    folder itself; a symbolic link of that name is replaced or removed as a link,
    never followed (``os.replace``, ``unlink``)."""
    valid_id(seq_id)
    base = Path(folder).resolve()
    path = base / f"{seq_id}.yaml"
    if path.parent != base:
        raise SequenceError(f"Der Ablauf „{seq_id}“ läge außerhalb von {base}.")
    return path


def _text(raw: dict, key: str, where: str, default: str = "") -> str:
    value = raw.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str | int | float):
        raise SequenceError(f"{where}: „{key}“ muss ein Text sein.")
    text = str(value)
    if len(text) > MAX_TEXT:
        raise SequenceError(f"{where}: „{key}“ ist länger als {MAX_TEXT} Zeichen.")
    return text


def _params(raw: object, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise SequenceError(f"{where}: Parameter müssen ein Objekt sein.")
    if len(raw) > MAX_PARAMS:
        raise SequenceError(f"{where}: mehr als {MAX_PARAMS} Parameter.")
    out = {}
    for key, value in raw.items():
        if not isinstance(value, str | int | float | bool):
            raise SequenceError(f"{where}: Parameter „{str(key)[:40]}“ ist kein Wert.")
        out[str(key)[:100]] = str(value)[:MAX_TEXT]
    return out


def _step(item: object, n: int, seq_id: str, pages: set[str]) -> Step:
    if not isinstance(item, dict) or item.get("page") not in pages:
        raise SequenceError(
            f"Schritt {n} im Ablauf „{seq_id}“ nennt keine bekannte Seite."
        )
    where = f"Schritt {n}"
    return Step(
        page=str(item["page"]),
        params=_params(item.get("params"), where),
        title_de=_text(item, "title_de", where),
        title_en=_text(item, "title_en", where),
        note_de=_text(item, "note_de", where),
        note_en=_text(item, "note_en", where),
    )


def parse_sequence(raw: object, pages: set[str], source: str = "data") -> Sequence:
    """Validate a loaded YAML document; raise SequenceError naming the problem.

    Texts must be scalars (a nested YAML alias structure is refused, not turned
    into a string of exponential size) and at most :data:`MAX_TEXT` long."""
    if not isinstance(raw, dict):
        raise SequenceError("Der Ablauf ist kein YAML-Objekt.")
    seq_id = valid_id(raw.get("id", ""))
    steps_raw = raw.get("steps") or []
    if not isinstance(steps_raw, list) or not steps_raw:
        raise SequenceError(f"Der Ablauf „{seq_id}“ hat keine Schritte.")
    if len(steps_raw) > MAX_STEPS:
        raise SequenceError(f"Der Ablauf „{seq_id}“ hat mehr als {MAX_STEPS} Schritte.")
    steps = [_step(item, n, seq_id, pages) for n, item in enumerate(steps_raw, 1)]
    return Sequence(
        id=seq_id,
        title_de=_text(raw, "title_de", seq_id, seq_id),
        title_en=_text(raw, "title_en", seq_id),
        steps=tuple(steps),
        source=source,
    )


def _read(path: Path, pages: set[str], source: str) -> Sequence:
    """One file: no symbolic link, bounded size, id equal to the file name."""
    if path.is_symlink():
        raise SequenceError("symbolischer Verweis, nicht gelesen")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SequenceError(f"größer als {MAX_FILE_BYTES // 1024} KB, nicht gelesen")
    seq = parse_sequence(
        yaml.safe_load(path.read_text(encoding="utf-8")), pages, source
    )
    if seq.id != path.stem:
        raise SequenceError(f"die ID „{seq.id}“ passt nicht zum Dateinamen")
    return seq


def load_sequences(
    folders: list[tuple[Path, str]], pages: set[str]
) -> tuple[dict[str, Sequence], list[str]]:
    """Sequences from ``(folder, source)`` pairs (later folders win) and errors."""
    sequences: dict[str, Sequence] = {}
    errors: list[str] = []
    for folder, source in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            if not path.is_file():  # a folder or a pipe (reading would block)
                errors.append(f"{path.name}: keine lesbare Datei")
                continue
            try:
                seq = _read(path, pages, source)
            except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
                kind = exc.__class__.__name__
                errors.append(f"{path.name}: kein lesbares YAML ({kind})")
                continue
            except SequenceError as exc:
                errors.append(f"{path.name}: {exc}")
                continue
            sequences[seq.id] = seq
    return sequences, errors


def sequence_to_yaml(seq: Sequence) -> str:
    doc = {
        "id": seq.id,
        "title_de": seq.title_de,
        "title_en": seq.title_en,
        "steps": [
            {
                "page": s.page,
                "params": dict(s.params),
                "title_de": s.title_de,
                "title_en": s.title_en,
                "note_de": s.note_de,
                "note_en": s.note_en,
            }
            for s in seq.steps
        ],
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def save_sequence(seq: Sequence, folder: Path) -> Path:
    """Write atomically (temporary file, fsync, rename): never a half-written file.

    The id and the texts are checked as on loading (SequenceError), so a saved
    file always loads again."""
    target = sequence_path(folder, seq.id)
    text = sequence_to_yaml(seq)
    parse_sequence(yaml.safe_load(text), {s.page for s in seq.steps}, seq.source)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise SequenceError(f"Der Ablauf ist größer als {MAX_FILE_BYTES // 1024} KB.")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def delete_sequence(seq_id: str, folder: Path) -> Path:
    """Remove ``<folder>/<seq_id>.yaml`` (a link of that name as a link, never
    its target); SequenceError for an invalid id or no such file."""
    path = sequence_path(folder, seq_id)
    if not path.is_symlink() and not path.is_file():
        raise SequenceError(f"Den Ablauf „{seq_id}“ gibt es in {path.parent} nicht.")
    path.unlink()
    return path
