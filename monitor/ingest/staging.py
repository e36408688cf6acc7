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
2. :func:`stage_boundaries`, :func:`stage_table` – read, match, validate, run the
   disclosure step (monitor.ingest.publish) and compare with the served version;
   the staging folder is written only when no error was found, so a failed step
   leaves it (and the served version) as it was;
3. :func:`publish_staged` – the Store opens the staged folder and verifies its
   disclosure report, then monitor.versions switches the pointer atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from monitor import versions
from monitor.catalog import CatalogError, load_catalog
from monitor.ingest.assemble import (
    IndicatorSpec,
    area_lookup,
    areas_of,
    assemble_indicator_values,
)
from monitor.ingest.boundaries import (
    AREA_COLUMNS,
    AREA_LEVELS,
    BoundaryMapping,
    import_boundaries,
)
from monitor.ingest.changes import Changes, compare_folders
from monitor.ingest.matching import MatchReport, match_areas
from monitor.ingest.problems import ERROR, INFO, IngestError, Problem
from monitor.ingest.publish import publish_counts, write_publication
from monitor.ingest.safe_files import read_source
from monitor.ingest.tables import TableRead, guess_specs, read_table, variables
from monitor.ingest.validation import validate_areas, validate_values
from monitor.ingest.zensus_grid import assign_cells
from monitor.methods.disclosure import Publication
from monitor.schema import BENCHMARK_COLUMNS
from monitor.statuses import FLAG_COLUMN, keep_source_statuses
from monitor.store import DataError, Store

__all__ = [
    "COUNTS",
    "IMPORT_LOG",
    "Progress",
    "StageResult",
    "Staging",
    "discard",
    "init_root",
    "open_staging",
    "publish_staged",
    "stage_boundaries",
    "stage_table",
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


def _silent(*_args) -> None:
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


def _existing(root: Path, staging_id: str) -> Staging:
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
        staging = _existing(root, staging_id)
    elif versions.is_versioned(root):
        staging = _copy_of_current(root)
    else:
        staging = _fresh(root, catalog)
        catalog = None  # already in place
    if catalog is not None:
        _put_catalog(staging, catalog)
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


# -- the steps -------------------------------------------------------------------------


def _areas(staging: Staging) -> gpd.GeoDataFrame:
    path = staging.path / "areas.parquet"
    if not path.is_file():
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in AREA_COLUMNS if c != "geometry"},
            geometry=gpd.GeoSeries([], crs="EPSG:4326"),
            crs="EPSG:4326",
        )
    return gpd.read_parquet(path)


def _counts(staging: Staging) -> pd.DataFrame:
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
        return _empty_counts()
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
    return _count_frame(values)


def _empty_counts() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})
    for column in ("numerator", "denominator"):
        frame[column] = frame[column].astype(float)
    frame["year"] = frame["year"].astype("int64")
    return frame


def _count_frame(values: pd.DataFrame) -> pd.DataFrame:
    out = values.reindex(columns=list(COUNT_COLUMNS)).copy()
    out["year"] = out["year"].astype("int64")
    for column in ("numerator", "denominator"):
        out[column] = out[column].astype(float)
    out[FLAG_COLUMN] = out[FLAG_COLUMN].where(out[FLAG_COLUMN].notna(), None)
    return out.reset_index(drop=True)


def _source_entry(source, name: str, kind: str, who: str) -> tuple[dict, str]:
    raw, name = read_source(source, name)
    entry = {
        "kind": kind,
        "file": name,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "bytes": len(raw),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": who,
    }
    return entry, name


def stage_boundaries(
    staging: Staging,
    source,
    name: str | None = None,
    *,
    mapping: BoundaryMapping | None = None,
    crs=None,
    who: str = "",
    progress: Progress = _silent,
) -> StageResult:
    """Import a boundary file: its areas replace the staged areas of their levels
    (values of areas that no longer exist are dropped and counted)."""
    steps = 5
    progress(1, steps, "Datei lesen")
    try:
        entry, name = _source_entry(source, name, "boundaries", who)
        parents = _parents_for(_areas(staging), mapping)
        imported = import_boundaries(
            source, mapping, parents=parents, crs=crs, name=name
        )
        counts = _counts(staging)
    except IngestError as exc:
        return StageResult(staging, tuple(exc.problems), bad_input=True)
    new = imported.areas
    old = _areas(staging)
    kept = old[~old["level"].isin(set(new["level"]))]
    progress(2, steps, "Prüfen")
    problems = list(imported.problems) + _area_problems(kept, new, name)
    areas = _combine_areas(kept, new)
    dropped = ~counts["area_id"].isin(set(areas["area_id"]))
    if dropped.any():
        problems.append(
            Problem(
                f"{int(dropped.sum())} Werte von Gebieten, die es nicht mehr gibt, "
                "entfallen.",
                name,
                severity=INFO,
                code="values_dropped",
            )
        )
    entry["rows"] = len(new)
    return _finish(
        staging, areas, counts[~dropped], problems, entry, progress, 2, steps
    )


def _area_problems(kept, new, file: str) -> list[Problem]:
    """The new areas checked together with the kept ones (parents, levels,
    geometry; rows are the file's feature numbers), and kept areas whose parent
    the new file no longer has."""
    both = pd.concat(
        [
            kept[list(AREA_COLUMNS)].assign(source_row=None),
            new[list(AREA_COLUMNS)].assign(source_row=list(new.index)),
        ],
        ignore_index=True,
    )
    both = gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")
    problems = [p for p in validate_areas(both, file) if p.row is not None]
    known = set(both["area_id"])
    orphans = kept[kept["parent_id"].notna() & ~kept["parent_id"].isin(known)]
    for row in orphans.itertuples():
        problems.append(
            Problem(
                f"„{row.name}“ ({row.area_id}) liegt unter „{row.parent_id}“, das "
                "es nach dem Import nicht mehr gibt.",
                file,
                column="parent_id",
                code="unknown_parent",
            )
        )
    return problems


def _parents_for(areas: gpd.GeoDataFrame, mapping: BoundaryMapping | None):
    """The areas of the nearest level above ``mapping.level`` (for parents by
    overlap), or None."""
    if mapping is None or mapping.level is None or mapping.parent or areas.empty:
        return None
    rank = LEVEL_RANK[mapping.level]
    above = [lvl for lvl in AREA_LEVELS[:rank] if lvl != "fokusgebiet"]
    for level in reversed(above):
        found = areas[areas["level"] == level]
        if len(found):
            return found[["area_id", "geometry"]]
    return None


def _combine_areas(kept: gpd.GeoDataFrame, new: pd.DataFrame) -> gpd.GeoDataFrame:
    columns = list(AREA_COLUMNS)
    parts = [p[columns] for p in (kept, new) if len(p)]
    if not parts:
        return gpd.GeoDataFrame(new[columns], geometry="geometry", crs="EPSG:4326")
    areas = pd.concat(parts, ignore_index=True)
    areas["rank"] = areas["level"].map(LEVEL_RANK)
    areas = areas.sort_values(["rank", "area_id"]).drop(columns="rank")
    return gpd.GeoDataFrame(
        areas.reset_index(drop=True), geometry="geometry", crs="EPSG:4326"
    )


def stage_table(
    staging: Staging,
    source,
    name: str | None = None,
    *,
    kind: str,
    specs: Sequence[IndicatorSpec] | None = None,
    indicator: str | None = None,
    manual: dict | None = None,
    who: str = "",
    progress: Progress = _silent,
) -> StageResult:
    """Import an indicator table of ``kind`` (monitor/ingest/tables.py): its rows
    are matched to the staged areas (``manual``: the mapping table) and replace
    the staged values of the same area, indicator and year."""
    steps = 6
    progress(1, steps, "Datei lesen")
    try:
        entry, name = _source_entry(source, name, kind, who)
        read = read_table(kind, source, name)
        counts = _counts(staging)
    except IngestError as exc:
        return StageResult(staging, tuple(exc.problems), bad_input=True)
    areas = _areas(staging)
    problems = list(read.problems)
    if areas.empty:
        problems.append(
            Problem(
                "Der Datenordner hat noch keine Gebiete; bitte zuerst die "
                "Gebietsgrenzen importieren.",
                name,
                code="no_areas",
            )
        )
        return StageResult(staging, tuple(problems))
    progress(2, steps, "Gebiete zuordnen")
    read, areas, found = _with_grid_cells(read, areas, name)
    problems += found
    specs = list(specs or guess_specs(read.observations, indicator))
    spec_problems = _spec_problems(specs, read, name)
    if spec_problems:
        return StageResult(staging, tuple(problems + spec_problems), bad_input=True)
    report = match_areas(
        areas_of(read.observations),
        pd.DataFrame(areas[["area_id", "name"]]),
        manual=manual,
        file=name,
    )
    problems += report.problems()
    if not report.counts.get("matched"):
        problems.append(
            Problem(
                "Keine Zeile der Tabelle passt zu einem Gebiet; bitte die Zuordnung "
                "prüfen.",
                name,
                code="nothing_matched",
            )
        )
        return StageResult(staging, tuple(problems), match=report)
    catalog = load_catalog(staging.path / "catalog" / "indicators.yaml")
    values, found = assemble_indicator_values(
        read.observations, specs, catalog, area_lookup(read.observations, report), name
    )
    problems += found
    progress(3, steps, "Prüfen")
    problems += validate_values(values, catalog, pd.DataFrame(areas), name)
    entry["rows"] = len(values)
    merged = _upsert(counts, _count_frame(values))
    result = _finish(staging, areas, merged, problems, entry, progress, 3, steps)
    return replace(result, match=report, rows=len(values))


def _with_grid_cells(read: TableRead, areas, name: str):
    """A Zensus grid brings its cells: they become the raster level, each under
    the area of the lowest other level that holds its centre."""
    if read.grid is None:
        return read, areas, []
    above = areas[areas["level"] != "raster"]
    if above.empty:
        return read, areas, [Problem("Keine Gebiete für die Gitterzellen.", name)]
    lowest = above["level"].map(LEVEL_RANK).max()
    grid, problems = assign_cells(
        read.grid, above[above["level"].map(LEVEL_RANK) == lowest], name
    )
    cells = pd.DataFrame(grid.cells).reset_index(drop=True)
    areas = _combine_areas(areas[areas["level"] != "raster"], cells)
    read = TableRead(grid.observations, read.problems, read.file, grid)
    return read, areas, problems


def _spec_problems(specs, read: TableRead, name: str) -> list[Problem]:
    names = variables(read.observations)
    if not specs:
        return [
            Problem(
                "Bitte angeben, welche Spalte welcher Indikator ist (Indikator und "
                "Zähler, bei Quoten auch Nenner). Die Tabelle enthält: "
                + "; ".join(f"„{v}“" for v in names),
                name,
                code="no_spec",
            )
        ]
    problems = []
    for spec in specs:
        for variable in (spec.numerator, spec.denominator):
            if variable and variable not in names:
                problems.append(
                    Problem(
                        f"Die Spalte „{variable}“ gibt es in der Tabelle nicht. "
                        "Vorhanden: " + "; ".join(f"„{v}“" for v in names),
                        name,
                        code="no_variable",
                    )
                )
    return problems


def _upsert(counts: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    key = ["area_id", "indicator_id", "year"]
    replaced = pd.MultiIndex.from_frame(counts[key]).isin(
        pd.MultiIndex.from_frame(new[key])
    )
    parts = [p for p in (counts[~replaced], new) if len(p)]
    if not parts:
        return _empty_counts()
    return pd.concat(parts, ignore_index=True)


# -- protecting, writing, comparing ----------------------------------------------------


def _finish(
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
    frame = _count_frame(counts)
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
    staging = _existing(root, staging_id)
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
    counts = _count_frame(values.assign(flag=values.get(FLAG_COLUMN)))
    entry = {
        "kind": "init",
        "file": str(source.name),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": who,
        "rows": len(counts),
    }
    result = _finish(staging, _areas(staging), counts, [], entry, _silent, 0, 3)
    if not result.ok:
        discard(staging)
        raise IngestError(list(result.problems))
    return publish_staged(root, staging.id, who=who, note=note or "erste Version"), True
