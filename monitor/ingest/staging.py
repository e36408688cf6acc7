"""An import as a staging version: the served version copied, the imported files
added, validated, protected and compared; nothing is served before ``publish``.

A data root (monitor/versions.py: ``CURRENT``, ``versions/``, ``staging/``,
``history.jsonl``) holds two more things for imports::

    <root>/counts/<id>.parquet        the true counts behind version <id>
    <root>/versions/<id>/import.json  the files the version was built from

The counts are what the disclosure step needs to run again over *all* cells when
the next import adds a year, an indicator or new boundaries (secondary suppression
works over the whole structure, docs/DISCLOSURE.md). They never sit in a version
folder, which is all the app opens; the file is readable by its owner only. A
version that was published without counts (``init`` from an already published
folder) can be served but not extended while it has suppressed cells: their counts
are gone, so the suppression cannot be recomputed around them.

The steps, the same for the CLI (``python -m monitor.ingest``) and the admin page:

1. :func:`open_staging` – a staging folder: a copy of the served version, or an
   empty data folder with a catalogue for a new root;
2. ``stage_boundaries``, ``stage_table`` (monitor/ingest/steps.py) – read,
   match, validate; then :func:`finish` runs the disclosure step
   (monitor.ingest.publish), writes and compares with the served version; the
   staging folder is written only when no error was found, so a failed step
   leaves it (and the served version) as it was;
3. :func:`publish_staged` – the Store opens the staged folder and verifies its
   disclosure report, then monitor.versions switches the pointer atomically.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from monitor import versions
from monitor.catalog import CatalogError, load_catalog
from monitor.ingest.boundaries import AREA_COLUMNS, AREA_LEVELS
from monitor.ingest.changes import Changes, compare_folders
from monitor.ingest.matching import MatchReport
from monitor.ingest.problems import ERROR, IngestError, Problem
from monitor.ingest.publish import publish_counts, write_publication
from monitor.methods.disclosure import Publication
from monitor.schema import BENCHMARK_COLUMNS
from monitor.statuses import FLAG_COLUMN, keep_source_statuses
from monitor.store import DataError, Store

__all__ = [
    "COUNTS",
    "IMPORT_LOG",
    "LEVEL_RANK",
    "Progress",
    "StageResult",
    "Staging",
    "count_frame",
    "discard",
    "empty_counts",
    "existing_staging",
    "finish",
    "init_root",
    "open_staging",
    "publish_staged",
    "silent",
    "staged_areas",
    "staged_counts",
    "stagings",
]

COUNTS = "counts"
IMPORT_LOG = "import.json"
LOG_FORMAT = "qm-import-1"
COUNT_COLUMNS = (
    "area_id",
    "indicator_id",
    "year",
    "numerator",
    "denominator",
    "status",
    FLAG_COLUMN,
)
LEVEL_RANK = {level: rank for rank, level in enumerate(AREA_LEVELS)}

Progress = Callable[[int, int, str], None]
"""``progress(step, steps, label)``: step ``step`` (1-based) of ``steps`` starts."""


def silent(*_args) -> None:
    """No progress shown."""


@dataclass(frozen=True)
class Staging:
    """A staging folder of a data root."""

    root: Path
    path: Path

    @property
    def id(self) -> str:
        return self.path.name

    @property
    def counts_path(self) -> Path:
        return self.root / COUNTS / f"{self.id}.parquet"

    def log(self) -> dict:
        """``import.json`` (empty before the first successful step)."""
        try:
            raw = json.loads((self.path / IMPORT_LOG).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return raw if isinstance(raw, dict) else {}


@dataclass(frozen=True)
class StageResult:
    """What one step found; ``changes`` and ``report`` only when it was written."""

    staging: Staging
    problems: tuple[Problem, ...]
    changes: Changes | None = None
    report: dict | None = None
    match: MatchReport | None = None
    rows: int = 0
    bad_input: bool = False  # the file could not be read, or the call is incomplete

    @property
    def ok(self) -> bool:
        return self.changes is not None and not self.errors

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


# -- opening, listing, discarding ------------------------------------------------------


def stagings(root: Path) -> list[Staging]:
    """The root's staging folders, newest first."""
    folder = Path(root) / versions.STAGING
    if not folder.is_dir():
        return []
    return [
        Staging(Path(root), path)
        for path in sorted(folder.iterdir(), reverse=True)
        if path.is_dir() and versions.is_version_id(path.name)
    ]


def existing_staging(root: Path, staging_id: str) -> Staging:
    """A staging folder that exists (reading only; VersionError otherwise)."""
    path = root / versions.STAGING / str(staging_id)
    if not versions.is_version_id(staging_id) or not path.is_dir():
        raise versions.VersionError(
            f"Eine Staging-Version „{staging_id}“ gibt es in {root} nicht."
        )
    return Staging(root, path)


def open_staging(
    root: Path,
    staging_id: str | None = None,
    *,
    catalog: Path | None = None,
    title: str | None = None,
    data_date: str | None = None,
) -> Staging:
    """An existing staging folder, or a new one: a copy of the served version (and
    its counts), or for a root without versions an empty data folder with the
    catalogue ``catalog``. ``catalog``, ``title`` and ``data_date`` (Datenstand,
    ``YYYY-MM-DD``) replace those of the staging folder when given."""
    root = Path(root)
    if catalog is not None:
        try:
            load_catalog(catalog)
        except CatalogError as exc:
            raise versions.VersionError(str(exc)) from exc
    if staging_id:
        staging = existing_staging(root, staging_id)
    elif versions.is_versioned(root):
        staging = _copy_of_current(root)
    else:
        staging = _fresh(root, catalog)
        catalog = None  # already in place
    if catalog is not None:
        _put_catalog(staging, catalog)
    if not staging_id or title is not None or data_date is not None:
        _update_meta(staging, title=title, data_date=data_date)
    return staging


def _copy_of_current(root: Path) -> Staging:
    current = versions.current(root)
    path = versions.create_staging(root, base=current.path)
    for item in path.rglob("*"):  # published files are read-only
        if item.is_file():
            item.chmod(item.stat().st_mode | 0o200)
    staging = Staging(root, path)
    base = root / COUNTS / f"{current.id}.parquet"
    if base.is_file():
        _private_copy(base, staging.counts_path)
    (path / IMPORT_LOG).unlink(missing_ok=True)
    return staging


def _fresh(root: Path, catalog: Path | None) -> Staging:
    if (root / "meta.json").is_file():
        raise versions.VersionError(
            f"„{root}“ ist ein Datenordner ohne Versionen. Bitte daraus zuerst einen "
            "versionierten Datenordner anlegen: python -m monitor.ingest init "
            f"ZIEL --aus {root}"
        )
    if root.is_dir() and any(
        p.name not in (versions.STAGING, COUNTS, versions.LOCK) for p in root.iterdir()
    ):
        raise versions.VersionError(
            f"Der Ordner „{root}“ ist weder leer noch ein versionierter Datenordner."
        )
    if catalog is None:
        raise versions.VersionError(
            "Für einen neuen Datenordner bitte den Indikatorenkatalog angeben "
            "(--katalog catalog/indicators.yaml)."
        )
    staging = Staging(root, versions.create_staging(root))
    _put_catalog(staging, catalog)
    meta = {"title": "", "is_demo": False, "data_version": staging.id}
    (staging.path / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in BENCHMARK_COLUMNS})
    empty["year"] = empty["year"].astype("int64")
    empty["value"] = empty["value"].astype(float)
    empty.to_parquet(staging.path / "benchmarks.parquet", index=False)
    return staging


def _put_catalog(staging: Staging, catalog: Path) -> None:
    target = staging.path / "catalog" / "indicators.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(catalog, target)


def _update_meta(staging: Staging, **changes) -> None:
    path = staging.path / "meta.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    meta["data_version"] = staging.id
    meta["is_demo"] = bool(meta.get("is_demo", False))
    for key, value in changes.items():
        if value is not None:
            meta[key] = value
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")


def discard(staging: Staging) -> None:
    """Remove a staging folder and its counts (nothing served is touched)."""
    versions.discard_staging(staging.root, staging.path)
    staging.counts_path.unlink(missing_ok=True)


# -- what a staging folder holds -------------------------------------------------------


def staged_areas(staging: Staging) -> gpd.GeoDataFrame:
    path = staging.path / "areas.parquet"
    if not path.is_file():
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in AREA_COLUMNS if c != "geometry"},
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
            crs="EPSG:4326",
        )
    return gpd.read_parquet(path)


def staged_counts(staging: Staging) -> pd.DataFrame:
    """The true counts of the staging folder (see the module notes)."""
    if staging.counts_path.is_file():
        return pd.read_parquet(staging.counts_path)
    values_path = staging.path / "indicator_values.parquet"
    if (staging.path / "indicator_values").is_dir():
        raise IngestError(
            Problem(
                "Die Werte der veröffentlichten Version sind partitioniert und ohne "
                "gespeicherte Zählungen; ein Import kann sie nicht fortschreiben.",
                "indicator_values",
                code="no_counts",
            )
        )
    if not values_path.is_file():
        return empty_counts()
    values = pd.read_parquet(values_path)
    hidden = (values["status"] == "suppressed") & values["numerator"].isna()
    if hidden.any():
        raise IngestError(
            Problem(
                f"Die veröffentlichte Version enthält {int(hidden.sum())} gesperrte "
                "Werte, deren Zählungen nicht gespeichert sind (sie wurde nicht über "
                "den Import veröffentlicht). Ohne sie lässt sich die Geheimhaltung "
                "nicht neu berechnen. Bitte den Datenordner einmal mit allen "
                "Zählungen anlegen: python -m monitor.ingest init ZIEL --aus "
                "ROHDATENORDNER",
                "indicator_values.parquet",
                code="no_counts",
            )
        )
    return count_frame(values)


def empty_counts() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})
    for column in ("numerator", "denominator"):
        frame[column] = frame[column].astype(float)
    frame["year"] = frame["year"].astype("int64")
    return frame


def count_frame(values: pd.DataFrame) -> pd.DataFrame:
    out = values.reindex(columns=list(COUNT_COLUMNS)).copy()
    out["year"] = out["year"].astype("int64")
    for column in ("numerator", "denominator"):
        out[column] = out[column].astype(float)
    out[FLAG_COLUMN] = out[FLAG_COLUMN].where(out[FLAG_COLUMN].notna(), None)
    return out.reset_index(drop=True)


# -- protecting, writing, comparing ----------------------------------------------------


def finish(
    staging: Staging,
    areas: gpd.GeoDataFrame,
    counts: pd.DataFrame,
    problems: list[Problem],
    entry: dict,
    progress: Progress,
    done: int,
    steps: int,
) -> StageResult:
    """Disclosure step, files, comparison – only when nothing is an error."""
    if any(p.severity == ERROR for p in problems):
        return StageResult(staging, tuple(problems))
    progress(done + 1, steps, "Geheimhaltung prüfen")
    catalog_path = staging.path / "catalog" / "indicators.yaml"
    withheld = (counts["status"] == "suppressed") & counts["numerator"].notna()
    try:
        publication = publish_counts(
            counts.drop(columns=[FLAG_COLUMN]),
            areas,
            catalog_path,
            withheld.to_numpy(),
        )
    except (ValueError, RuntimeError, CatalogError, DataError) as exc:
        problems.append(
            Problem(f"Die Geheimhaltung ließ sich nicht berechnen: {exc}", code="sdc")
        )
        return StageResult(staging, tuple(problems))
    if not publication.report.get("passed"):
        problems.append(
            Problem(
                "Der Geheimhaltungsprüflauf ist nicht bestanden; es wird nichts "
                "übernommen.",
                code="sdc_failed",
            )
        )
        return StageResult(staging, tuple(problems))
    values = keep_source_statuses(publication.values, counts)
    progress(done + 2, steps, "Dateien schreiben")
    areas.to_parquet(staging.path / "areas.parquet", compression="zstd", index=False)
    _write_counts(staging, counts)
    report = write_publication(staging.path, Publication(values, publication.report))
    _log_step(staging, entry)
    progress(done + 3, steps, "Mit der veröffentlichten Version vergleichen")
    changes = compare_folders(_served_path(staging.root), staging.path)
    return StageResult(staging, tuple(problems), changes, report, rows=len(counts))


def _served_path(root: Path) -> Path | None:
    return versions.current(root).path if versions.is_versioned(root) else None


def _private_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(source, tmp)
    tmp.chmod(0o600)
    os.replace(tmp, target)


def _write_counts(staging: Staging, counts: pd.DataFrame) -> None:
    target = staging.counts_path
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    frame = count_frame(counts)
    frame[FLAG_COLUMN] = frame[FLAG_COLUMN].astype(object)
    frame.to_parquet(tmp, index=False)
    tmp.chmod(0o600)
    os.replace(tmp, target)


def _log_step(staging: Staging, entry: dict) -> None:
    log = staging.log()
    served = _served_path(staging.root)
    log = {
        "format": LOG_FORMAT,
        "version": staging.id,
        "based_on": log.get("based_on", served.name if served else None),
        "ready": True,
        "steps": [*log.get("steps", []), entry],
    }
    path = staging.path / IMPORT_LOG
    path.write_text(json.dumps(log, ensure_ascii=False, indent=1) + "\n", "utf-8")


# -- publishing ------------------------------------------------------------------------


def publish_staged(
    root: Path, staging_id: str, *, who: str, note: str = ""
) -> versions.Version:
    """Serve a staging folder: it must come from a successful step, and the Store
    must open it with its disclosure report verified; then the atomic switch."""
    root = Path(root)
    staging = existing_staging(root, staging_id)
    log = staging.log()
    if log.get("version") != staging.id or not log.get("ready"):
        raise versions.VersionError(
            f"Die Staging-Version {staging.id} hat noch keinen erfolgreichen Import; "
            "es gibt nichts zu veröffentlichen."
        )
    version = versions.Version(staging.id, staging.path, root, versioned=True)
    try:
        store = Store(staging.path, version=version)
    except DataError as exc:
        raise versions.VersionError(
            f"Die Staging-Version {staging.id} lässt sich nicht öffnen: {exc}"
        ) from exc
    if store.disclosure.origin != "verified":
        raise versions.VersionError(
            f"Der Geheimhaltungsbericht der Staging-Version {staging.id} passt nicht "
            "zu ihren Werten; bitte den Import wiederholen."
        )
    del store
    return versions.publish(root, staging.path, who=who, note=note)


def init_root(
    root: Path, source: Path, *, who: str, note: str = ""
) -> tuple[versions.Version, bool]:
    """A versioned data root from a data folder: with its counts when the
    folder holds them for every cell (a raw folder, published here), else as it
    is (already published; then without counts). Returns the version and whether
    counts were kept."""
    root, source = Path(root), Path(source)
    if versions.is_versioned(root):
        raise versions.VersionError(
            f"{root} ist bereits ein versionierter Datenordner."
        )
    try:
        values = pd.read_parquet(source / "indicator_values.parquet")
    except (OSError, ValueError) as exc:
        raise versions.VersionError(
            f"Im Ordner „{source}“ fehlt eine lesbare indicator_values.parquet."
        ) from exc
    hidden = (values["status"] == "suppressed") & values["numerator"].isna()
    if hidden.any():
        version = versions.init_versioned(root, source, who=who, note=note)
        return version, False
    root.mkdir(parents=True, exist_ok=True)
    staging = Staging(root, versions.create_staging(root))
    shutil.copytree(
        source,
        staging.path,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns(
            "indicator_values.parquet", "disclosure.json", "indicator_values"
        ),
    )
    _update_meta(staging)
    counts = count_frame(values.assign(flag=values.get(FLAG_COLUMN)))
    entry = {
        "kind": "init",
        "file": str(source.name),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": who,
        "rows": len(counts),
    }
    result = finish(staging, staged_areas(staging), counts, [], entry, silent, 0, 3)
    if not result.ok:
        discard(staging)
        raise IngestError(list(result.problems))
    return publish_staged(root, staging.id, who=who, note=note or "erste Version"), True
