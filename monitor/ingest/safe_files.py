"""Limits before anything is parsed: file size, ZIP archives, text encoding.

An upload is untrusted. Its size is checked before it is read (``os.stat`` for a
path), a ZIP archive is refused when a member would leave the extraction folder
(path traversal, "zip slip"), when the declared or actual uncompressed size exceeds a
total limit or a member's compression ratio is implausible (zip bomb; the limits
follow OWASP's file-upload cheat sheet), and text is decoded as UTF-8 (with or without
BOM) or else Windows-1252, the two encodings German offices' exports come in. Binary
files and HTML pages saved under a ``.csv`` name are refused with a message saying so.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from monitor.ingest.problems import INFO, WARNING, IngestError, Problem

__all__ = [
    "MAX_FILE_BYTES",
    "Limits",
    "TextFile",
    "decode_text",
    "extract_zip",
    "read_source",
    "read_text",
    "sniff_separator",
]

MAX_FILE_BYTES = 100 * 1024 * 1024
"""Largest upload read at all (100 MB); a 100 m grid of a city is a few MB. Equal
to ``server.maxUploadSize`` in .streamlit/config.toml (tests/security)."""


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one upload; the defaults fit every official file we know."""

    max_bytes: int = MAX_FILE_BYTES
    max_unzipped_bytes: int = 500 * 1024 * 1024
    max_ratio: float = 100.0
    max_members: int = 1000


DEFAULT_LIMITS = Limits()


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB".replace(",", ".")


def read_source(
    source, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> tuple[bytes, str]:
    """Bytes and display name of a path, ``bytes`` or an uploaded file object.

    The size is checked before reading (for a path via ``os.stat``; for an upload
    object via its ``size`` attribute when it has one).
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
        except FileNotFoundError as exc:
            raise IngestError(Problem("Die Datei wurde nicht gefunden.", name)) from exc
        _check_size(size, name, limits)
        return path.read_bytes(), name
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
    else:
        size = getattr(source, "size", None)
        if size is not None:
            _check_size(int(size), name or getattr(source, "name", ""), limits)
        raw = source.getvalue() if hasattr(source, "getvalue") else source.read()
        name = name or getattr(source, "name", "")
    name = name or "Upload"
    _check_size(len(raw), name, limits)
    return raw, name


def _check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise IngestError(
            Problem(
                f"Die Datei ist {_mb(size)} groß; erlaubt sind höchstens "
                f"{_mb(limits.max_bytes)}. Bitte teilen Sie sie auf oder wählen Sie "
                "im Portal nur die benötigten Gebiete und Jahre.",
                name,
                code="too_large",
            )
        )
    if size == 0:
        raise IngestError(Problem("Die Datei ist leer (0 Byte).", name, code="empty"))


@dataclass(frozen=True)
class TextFile:
    """A decoded text file and what the decoder noticed."""

    name: str
    text: str
    encoding: str
    problems: tuple[Problem, ...] = ()


_BINARY_SIGNATURES = {
    b"PK\x03\x04": "ein ZIP-Archiv oder eine Excel-Datei (.xlsx)",
    b"\xd0\xcf\x11\xe0": "eine alte Excel- oder Word-Datei (.xls/.doc)",
    b"%PDF": "ein PDF-Dokument",
    b"\x89PNG": "ein Bild (PNG)",
    b"\xff\xd8\xff": "ein Bild (JPEG)",
}


def decode_text(raw: bytes, name: str) -> TextFile:
    """Decode UTF-8 (BOM optional) or Windows-1252; refuse binary files and HTML."""
    for signature, what in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise IngestError(
                Problem(f"Die Datei ist {what}, keine Textdatei.", name, code="binary")
            )
    if b"\x00" in raw[:4096]:
        raise IngestError(
            Problem(
                "Die Datei enthält Binärdaten (Null-Bytes) und ist keine Textdatei; "
                "UTF-16-Exporte bitte als UTF-8 speichern.",
                name,
                code="binary",
            )
        )
    problems = []
    try:
        text, encoding = raw.decode("utf-8-sig"), "UTF-8"
        if raw.startswith(b"\xef\xbb\xbf"):
            encoding = "UTF-8 mit BOM"
    except UnicodeDecodeError:
        try:
            text, encoding = raw.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError as exc:
            raise IngestError(
                Problem(
                    "Die Zeichenkodierung ist weder UTF-8 noch Windows-1252 "
                    f"(unlesbares Byte an Stelle {exc.start}). Bitte als UTF-8 "
                    "speichern.",
                    name,
                    code="encoding",
                )
            ) from exc
        problems.append(
            Problem(
                "Die Datei ist nicht UTF-8, sondern Windows-1252 (Latin-1) kodiert; "
                "sie wurde so gelesen. Bitte prüfen Sie Umlaute in der Vorschau.",
                name,
                severity=INFO,
                code="encoding_cp1252",
            )
        )
    if "Ã¤" in text or "Ã¶" in text or "Ã¼" in text or "ÃŸ" in text:
        problems.append(
            Problem(
                "Die Umlaute sehen doppelt kodiert aus („Ã¤“ statt „ä“); die Datei "
                "wurde vermutlich zweimal umgewandelt.",
                name,
                severity=WARNING,
                code="mojibake",
            )
        )
    _refuse_html(text, name)
    return TextFile(name, text, encoding, tuple(problems))


def _refuse_html(text: str, name: str) -> None:
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<head")) or (
        "<html" in head and "<body" in text[:4096].lower()
    ):
        raise IngestError(
            Problem(
                "Die Datei ist eine gespeicherte Webseite (HTML), keine Tabelle. "
                "Bitte im Portal den Export als CSV herunterladen, nicht die Seite "
                "speichern.",
                name,
                code="html",
            )
        )


def read_text(
    source, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> TextFile:
    """Read and decode a text file (path, bytes or upload) within the limits."""
    raw, name = read_source(source, name, limits)
    text = decode_text(raw, name)
    if not text.text.strip():
        raise IngestError(
            Problem(
                "Die Datei enthält keinen Text (nur Leerzeichen).", name, code="empty"
            )
        )
    return text


def sniff_separator(line: str, candidates: str = ";,\t") -> str | None:
    """The candidate separator that occurs most often in ``line`` (outside quotes)."""
    counts = dict.fromkeys(candidates, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=counts.get)
    return best if counts[best] else None


def _unsafe_member(member: str) -> bool:
    if "\\" in member or PureWindowsPath(member).drive:
        return True
    path = PurePosixPath(member)
    return path.is_absolute() or ".." in path.parts


def extract_zip(
    raw: bytes, name: str, limits: Limits = DEFAULT_LIMITS
) -> dict[str, bytes]:
    """The regular files of a ZIP archive as ``{member name: bytes}``, checked.

    Refused as a whole (no member is returned) for a file that is no ZIP, a member
    path that leaves the archive (``../``, absolute, drive letters), symbolic links,
    more than ``max_members`` entries, a total uncompressed size above
    ``max_unzipped_bytes`` or a member compressed more than ``max_ratio`` : 1. Sizes
    are checked from the directory first and again while reading, since a crafted
    archive can declare wrong sizes.
    """
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise IngestError(
            Problem(
                "Die Datei heißt .zip, ist aber kein ZIP-Archiv.", name, code="not_zip"
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(
            Problem(f"Das ZIP-Archiv ist beschädigt ({exc}).", name, code="bad_zip")
        ) from exc
    _check_zip_directory(infos, name, limits)
    members, total = {}, 0
    for info in infos:
        if info.is_dir():
            continue
        data = _read_member(archive, info, name, limits, total)
        total += len(data)
        members[info.filename] = data
    return members


def _check_zip_directory(infos, name: str, limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise IngestError(
            Problem(
                f"Das ZIP-Archiv hat {len(infos)} Einträge; erlaubt sind "
                f"{limits.max_members}.",
                name,
                code="zip_members",
            )
        )
    for info in infos:
        if _unsafe_member(info.filename):
            raise IngestError(
                Problem(
                    f"Das ZIP-Archiv enthält den Pfad „{info.filename}“, der aus dem "
                    "Zielordner hinausführt; das Archiv wird nicht entpackt.",
                    name,
                    code="zip_traversal",
                )
            )
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise IngestError(
                Problem(
                    f"Das ZIP-Archiv enthält einen symbolischen Link "
                    f"({info.filename}); das Archiv wird nicht entpackt.",
                    name,
                    code="zip_symlink",
                )
            )
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unzipped_bytes:
        raise _zip_bomb(name, declared, limits)
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise IngestError(
                Problem(
                    f"„{info.filename}“ ist {ratio:,.0f}-fach komprimiert; so stark "
                    "komprimieren sich echte Daten nicht (ZIP-Bombe?). Das Archiv "
                    "wird nicht entpackt.".replace(",", "."),
                    name,
                    code="zip_bomb",
                )
            )


def _zip_bomb(name: str, size: int, limits: Limits) -> IngestError:
    return IngestError(
        Problem(
            f"Das ZIP-Archiv würde entpackt mindestens {_mb(size)} belegen; erlaubt "
            f"sind {_mb(limits.max_unzipped_bytes)}. Das Archiv wird nicht entpackt.",
            name,
            code="zip_bomb",
        )
    )


def _read_member(archive, info, name: str, limits: Limits, total: int) -> bytes:
    budget = min(info.file_size, limits.max_unzipped_bytes - total)
    try:
        with archive.open(info) as handle:
            data = handle.read(budget + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as exc:
        raise IngestError(
            Problem(
                f"„{info.filename}“ im ZIP-Archiv ist nicht lesbar ({exc}).",
                name,
                code="bad_zip",
            )
        ) from exc
    if len(data) > budget:
        raise _zip_bomb(name, total + len(data), limits)
    return data
