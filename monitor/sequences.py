"""Workshop sequences ("Workshop-Abläufe"): prepared views a presenter steps through.

A sequence is a YAML file ``<id>.yaml`` in ``ablaeufe/`` of the data folder (shipped,
read-only) or of the edit folder (made in the app, which wins on equal ids). Each
step names a page, the link parameters of the view, a title and a speaker note.
Files are validated on load; a broken file is reported, not fatal.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "Step",
    "Sequence",
    "SequenceError",
    "load_sequences",
    "save_sequence",
    "parse_sequence",
    "sequence_to_yaml",
    "slugify",
]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
MAX_STEPS = 50


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
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(table)).strip("-")
    return slug[:60] or "ablauf"


def parse_sequence(raw: object, pages: set[str], source: str = "data") -> Sequence:
    """Validate a loaded YAML document; raise SequenceError naming the problem."""
    if not isinstance(raw, dict):
        raise SequenceError("Der Ablauf ist kein YAML-Objekt.")
    seq_id = str(raw.get("id", ""))
    if not ID_PATTERN.match(seq_id):
        raise SequenceError(f"Ungültige Ablauf-ID „{seq_id[:40]}“.")
    steps_raw = raw.get("steps") or []
    if not isinstance(steps_raw, list) or not steps_raw:
        raise SequenceError(f"Der Ablauf „{seq_id}“ hat keine Schritte.")
    if len(steps_raw) > MAX_STEPS:
        raise SequenceError(f"Der Ablauf „{seq_id}“ hat mehr als {MAX_STEPS} Schritte.")
    steps = []
    for n, item in enumerate(steps_raw, start=1):
        if not isinstance(item, dict) or item.get("page") not in pages:
            raise SequenceError(
                f"Schritt {n} im Ablauf „{seq_id}“ nennt keine bekannte Seite."
            )
        params = item.get("params") or {}
        if not isinstance(params, dict):
            raise SequenceError(f"Schritt {n}: Parameter müssen ein Objekt sein.")
        steps.append(
            Step(
                page=str(item["page"]),
                params={str(k): str(v) for k, v in params.items()},
                title_de=str(item.get("title_de", "")),
                title_en=str(item.get("title_en", "")),
                note_de=str(item.get("note_de", "")),
                note_en=str(item.get("note_en", "")),
            )
        )
    return Sequence(
        id=seq_id,
        title_de=str(raw.get("title_de", seq_id)),
        title_en=str(raw.get("title_en", "")),
        steps=tuple(steps),
        source=source,
    )


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
                raw = yaml.safe_load(path.read_text(encoding="utf-8"))
                seq = parse_sequence(raw, pages, source)
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
    """Write atomically (temporary file, fsync, rename): never a half-written file."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{seq.id}.yaml"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(sequence_to_yaml(seq))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target
