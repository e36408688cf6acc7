"""One import step: a boundary file or an indicator table into a staging version.

Each step reads the file (monitor/ingest/boundaries.py, tables.py), matches its
rows to the staged areas (matching.py), validates (validation.py) and then hands
areas and counts to :func:`monitor.ingest.staging.finish`, which runs the
disclosure step and writes the staging folder only when no error was found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from monitor.catalog import load_catalog
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
from monitor.ingest.matching import match_areas
from monitor.ingest.problems import INFO, IngestError, Problem
from monitor.ingest.safe_files import read_source
from monitor.ingest.staging import (
    LEVEL_RANK,
    Progress,
    StageResult,
    Staging,
    count_frame,
    empty_counts,
    finish,
    silent,
    staged_areas,
    staged_counts,
)
from monitor.ingest.tables import TableRead, guess_specs, read_table, variables
from monitor.ingest.validation import validate_areas, validate_values
from monitor.ingest.zensus_grid import assign_cells

__all__ = ["stage_boundaries", "stage_table"]


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
    progress: Progress = silent,
) -> StageResult:
    """Import a boundary file: its areas replace the staged areas of their levels
    (values of areas that no longer exist are dropped and counted)."""
    steps = 5
    progress(1, steps, "Datei lesen")
    try:
        entry, name = _source_entry(source, name, "boundaries", who)
        parents = _parents_for(staged_areas(staging), mapping)
        imported = import_boundaries(
            source, mapping, parents=parents, crs=crs, name=name
        )
        counts = staged_counts(staging)
    except IngestError as exc:
        return StageResult(staging, tuple(exc.problems), bad_input=True)
    new = imported.areas
    old = staged_areas(staging)
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
    return finish(staging, areas, counts[~dropped], problems, entry, progress, 2, steps)


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
    progress: Progress = silent,
) -> StageResult:
    """Import an indicator table of ``kind`` (monitor/ingest/tables.py): its rows
    are matched to the staged areas (``manual``: the mapping table) and replace
    the staged values of the same area, indicator and year."""
    steps = 6
    progress(1, steps, "Datei lesen")
    try:
        entry, name = _source_entry(source, name, kind, who)
        read = read_table(kind, source, name)
        counts = staged_counts(staging)
    except IngestError as exc:
        return StageResult(staging, tuple(exc.problems), bad_input=True)
    areas = staged_areas(staging)
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
    merged = _upsert(counts, count_frame(values))
    result = finish(staging, areas, merged, problems, entry, progress, 3, steps)
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
        return empty_counts()
    return pd.concat(parts, ignore_index=True)
