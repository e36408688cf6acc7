"""Published data versions: immutable version folders behind one atomic pointer.

A city's data root holds every version it ever published, so a bad import is undone
in one step and every server process serves the same version::

    <root>/CURRENT              id of the served version (one line of text)
    <root>/versions/<id>/       a complete data folder, never changed once published
    <root>/staging/<id>/        an import in progress, never served
    <root>/history.jsonl        append-only log of publish and rollback events

Publishing renames the staging folder into ``versions/`` and then switches the
pointer by writing ``CURRENT`` to a temporary file, ``fsync`` and ``os.replace``;
both renames are atomic on POSIX file systems, so a process killed at any moment
leaves ``CURRENT`` naming a complete version (the old one until the replace, the new
one after it). Readers resolve the pointer on every script run (one small file
read), so all sessions and processes switch without a restart.

A plain data folder without ``CURRENT`` (the shipped demo) is served as it is, as a
single version named by its ``meta.json``.

Files of a new version that equal the previous version's are hard links to them
(versions are immutable, so sharing is safe): a city-wide 100 m grid is not copied
on every publish.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "CURRENT",
    "HISTORY",
    "STAGING",
    "VERSIONS",
    "Version",
    "VersionError",
    "create_staging",
    "current",
    "discard_staging",
    "folder_digest",
    "history",
    "init_versioned",
    "is_version_id",
    "is_versioned",
    "list_versions",
    "new_version_id",
    "publish",
    "rollback",
]

CURRENT = "CURRENT"
VERSIONS = "versions"
STAGING = "staging"
HISTORY = "history.jsonl"
LOCK = ".lock"

_ID = re.compile(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$")


class VersionError(RuntimeError):
    """The data root cannot be used or changed; the message is German."""


@dataclass(frozen=True)
class Version:
    """One servable data folder.

    ``id`` is the version id (for a plain folder: its meta.json ``data_version`` or
    the folder name); ``path`` the folder the Store opens; ``root`` the data root
    the version belongs to (the plain folder itself when unversioned).
    """

    id: str
    path: Path
    root: Path
    versioned: bool
    published_at: str = ""
    published_by: str = ""
    note: str = ""


def is_versioned(root: Path) -> bool:
    return (Path(root) / CURRENT).is_file()


def is_version_id(text: object) -> bool:
    """Whether ``text`` has the form of a version id (never a path)."""
    return isinstance(text, str) and bool(_ID.match(text))


def _valid_id(version_id: str) -> str:
    if not isinstance(version_id, str) or not _ID.fullmatch(version_id):
        raise VersionError(f"„{version_id}“ ist keine gültige Versionskennung.")
    return version_id


def new_version_id(now: datetime | None = None) -> str:
    """Sortable and unique: UTC time plus six random hex digits."""
    now = now or datetime.now(UTC)
    return f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


def _meta_version(folder: Path) -> str:
    """The folder's data_version (its name when meta.json is unusable; a pipe or
    folder in its place is never opened, as reading a pipe would block)."""
    path = folder / "meta.json"
    if not path.is_file():
        return folder.name
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        return str(meta.get("data_version") or folder.name)
    except (OSError, ValueError, AttributeError):
        return folder.name


def current(root: Path) -> Version:
    """The version the app serves now (raises VersionError when the pointer is bad)."""
    root = Path(root)
    pointer = root / CURRENT
    if pointer.exists() and not pointer.is_file():
        raise VersionError(f"Der Versionszeiger {pointer} ist keine normale Datei.")
    try:
        version_id = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return Version(_meta_version(root), root, root, versioned=False)
    except (OSError, UnicodeDecodeError) as exc:
        raise VersionError(
            f"Der Versionszeiger {pointer} ist nicht lesbar ({exc.__class__.__name__})."
        ) from exc
    if not _ID.fullmatch(version_id):
        raise VersionError(
            f"Der Versionszeiger {pointer} nennt keine gültige Version „{version_id}“."
        )
    path = root / VERSIONS / version_id
    if not path.is_dir():
        raise VersionError(
            f"Der Versionszeiger nennt die Version {version_id}, die im Ordner "
            f"{root / VERSIONS} fehlt."
        )
    event = _last_event_for(root, version_id)
    return Version(
        version_id,
        path,
        root,
        versioned=True,
        published_at=event.get("at", ""),
        published_by=event.get("who", ""),
        note=event.get("note", ""),
    )


def list_versions(root: Path) -> list[Version]:
    """Every published version, newest first (empty for a plain folder)."""
    root = Path(root)
    folder = root / VERSIONS
    if not folder.is_dir():
        return []
    published = [e for e in history(root) if e.get("action") == "publish"]
    events = {e.get("to"): e for e in published}
    order = {e.get("to"): i for i, e in enumerate(published)}
    paths = [p for p in folder.iterdir() if p.is_dir() and _ID.fullmatch(p.name)]
    # newest first: by publishing order (two imports in one second), then by id
    paths.sort(key=lambda p: (order.get(p.name, -1), p.name), reverse=True)
    out = []
    for path in paths:
        event = events.get(path.name, {})
        out.append(
            Version(
                path.name,
                path,
                root,
                versioned=True,
                published_at=event.get("at", ""),
                published_by=event.get("who", ""),
                note=event.get("note", ""),
            )
        )
    return out


def history(root: Path) -> list[dict]:
    """Publish and rollback events, oldest first; unreadable lines are skipped."""
    path = Path(root) / HISTORY
    try:
        lines = path.read_bytes().splitlines()
    except FileNotFoundError:
        return []
    events = []
    for line in lines:
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut by a kill during the append
        if isinstance(event, dict):
            events.append(event)
    return events


def _last_event_for(root: Path, version_id: str) -> dict:
    for event in reversed(history(root)):
        if event.get("action") == "publish" and event.get("to") == version_id:
            return event
    return {}


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _append_history(root: Path, event: dict) -> None:
    line = json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n"
    fd = os.open(root / HISTORY, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _switch_pointer(root: Path, version_id: str) -> None:
    tmp = root / f".{CURRENT}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, f"{version_id}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One publisher or rollback at a time per data root (flock excludes threads
    and processes alike)."""
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _same_file(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return _file_digest(a) == _file_digest(b)


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> Iterable[Path]:
    return (p for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink())


def folder_digest(folder: Path) -> str:
    """SHA-256 over every file's relative path and bytes (byte-identity checks)."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for path in _files(folder):
        digest.update(str(path.relative_to(folder)).encode("utf-8") + b"\0")
        digest.update(_file_digest(path).encode("ascii"))
    return digest.hexdigest()


def create_staging(root: Path, base: Path | None = None) -> Path:
    """A new staging folder, optionally a copy of ``base`` (usually the served
    version) to which an import then writes the files it replaces."""
    root = Path(root)
    staging = root / STAGING / new_version_id()
    staging.parent.mkdir(parents=True, exist_ok=True)
    if base is not None:
        shutil.copytree(base, staging, symlinks=False)
    else:
        staging.mkdir()
    return staging


def discard_staging(root: Path, staging: Path) -> None:
    staging = Path(staging)
    if staging.parent != Path(root) / STAGING:
        raise VersionError(f"{staging} ist kein Staging-Ordner von {root}.")
    shutil.rmtree(staging, ignore_errors=True)


def _link_unchanged(new: Path, previous: Path | None) -> int:
    """Replace files equal to the previous version's by hard links; count them."""
    if previous is None:
        return 0
    linked = 0
    for path in _files(new):
        old = previous / path.relative_to(new)
        if old.is_file() and not old.is_symlink() and _same_file(path, old):
            tmp = path.with_name(f".{path.name}.link")
            try:
                os.link(old, tmp)
            except OSError:
                continue  # another file system or no hard links: keep the copy
            os.replace(tmp, path)
            linked += 1
    return linked


def _make_read_only(folder: Path) -> None:
    for path in _files(folder):
        path.chmod(path.stat().st_mode & ~0o222)


def publish(root: Path, staging: Path, *, who: str, note: str = "") -> Version:
    """Make a staging folder the served version (atomic; see the module notes)."""
    root = Path(root)
    staging = Path(staging)
    if staging.parent != root / STAGING or not staging.is_dir():
        raise VersionError(f"{staging} ist kein Staging-Ordner von {root}.")
    version_id = _valid_id(staging.name)
    with _locked(root):
        return _publish_locked(root, staging, version_id, who, note)


def _publish_locked(
    root: Path, staging: Path, version_id: str, who: str, note: str
) -> Version:
    previous = current(root) if is_versioned(root) else None
    _link_unchanged(staging, previous.path if previous else None)
    _make_read_only(staging)
    target = root / VERSIONS / version_id
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(staging, target)
    _fsync_dir(target.parent)
    event = {
        "action": "publish",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": who,
        "from": previous.id if previous else None,
        "to": version_id,
        "note": note,
    }
    _append_history(root, event)
    _switch_pointer(root, version_id)
    return current(root)


def rollback(root: Path, version_id: str, *, who: str, note: str = "") -> Version:
    """Serve an earlier version again (the pointer switch only; nothing is copied)."""
    root = Path(root)
    _valid_id(version_id)
    if not (root / VERSIONS / version_id).is_dir():
        raise VersionError(f"Die Version {version_id} gibt es in {root} nicht.")
    with _locked(root):
        previous = current(root)
        _append_history(
            root,
            {
                "action": "rollback",
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "who": who,
                "from": previous.id,
                "to": version_id,
                "note": note,
            },
        )
        _switch_pointer(root, version_id)
        return current(root)


def init_versioned(root: Path, source: Path, *, who: str, note: str = "") -> Version:
    """Start a versioned data root from a plain data folder (its first version)."""
    root = Path(root)
    if is_versioned(root):
        raise VersionError(f"{root} ist bereits ein versionierter Datenordner.")
    root.mkdir(parents=True, exist_ok=True)
    staging = create_staging(root, base=Path(source))
    return publish(root, staging, who=who, note=note or "erste Version")
