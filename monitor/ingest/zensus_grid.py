"""Zensus 2022 grid tables (100 m, 1 km, 10 km) → raster cells and observations.

The Zensus 2022 publishes its grid results as CSV with ``;`` and a decimal comma::

    GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner
    CRS3035RES100mN2689100E4337000;4337050;2689150;17
    CRS3035RES100mN2689100E4337100;4337150;2689150;–

The cell id follows the INSPIRE grid convention (Regulation (EU) 1089/2010, annex II
§2.2.1): ``CRS3035`` (ETRS89-LAEA), ``RES100m`` (cell size), ``N``/``E`` the
northing and easting of the cell's lower-left corner in metres; ``x_mp``/``y_mp``
are the cell centre. ``–`` (en dash) marks a cell kept secret, the column
``werterlaeuternde_Zeichen`` may say ``KLAMMERN`` (limited reliability, flag ``()``).
Cells become square polygons in EPSG:3035, transformed to EPSG:4326, and are assigned
to the area that holds their centre (a point-in-polygon join).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from monitor.ingest.geometry import EQUAL_AREA_CRS
from monitor.ingest.observations import observations_frame
from monitor.ingest.problems import INFO, IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, read_text
from monitor.ingest.symbols import parse_cell, parse_flag

__all__ = [
    "ZENSUS_YEAR",
    "ZensusGrid",
    "assign_cells",
    "parse_cell_ids",
    "read_zensus_grid",
]

ZENSUS_YEAR = 2022
"""Reference date of the Zensus 2022: 15 May 2022."""
_ID = r"^CRS3035RES(?P<res>\d+)(?P<unit>k?m)N(?P<n>\d+)E(?P<e>\d+)$"
_FLAG_COLUMN = "werterlaeuternde_Zeichen"


@dataclass(frozen=True)
class ZensusGrid:
    """Raster cells (contract columns, EPSG:4326) and their observations."""

    cells: gpd.GeoDataFrame
    observations: pd.DataFrame
    resolution_m: int
    problems: tuple[Problem, ...]


def parse_cell_ids(ids: pd.Series, file: str = "", first_line: int = 2) -> pd.DataFrame:
    """Resolution (m), easting and northing (lower-left, EPSG:3035) of INSPIRE ids.

    Raises IngestError naming every id that does not follow the convention.
    """
    parts = ids.astype(str).str.strip().str.extract(_ID)
    bad = parts["res"].isna()
    if bad.any():
        lines = (np.flatnonzero(bad.to_numpy()) + first_line)[:20]
        raise IngestError(
            [
                Problem(
                    f"„{ids.iloc[line - first_line]}“ ist keine INSPIRE-"
                    "Gitterzellen-ID (erwartet z. B. CRS3035RES100mN2689100E4337000).",
                    file,
                    int(line),
                    ids.name,
                    code="grid_id",
                )
                for line in lines
            ]
        )
    factor = np.where(parts["unit"] == "km", 1000, 1)
    return pd.DataFrame(
        {
            "res": parts["res"].astype("int64") * factor,
            "e": parts["e"].astype("int64"),
            "n": parts["n"].astype("int64"),
        },
        index=ids.index,
    )


def _id_column(frame: pd.DataFrame, file: str) -> str:
    found = [c for c in frame.columns if c.upper().startswith("GITTER_ID")]
    if not found:
        raise IngestError(
            Problem(
                "Die Spalte GITTER_ID_100m (oder _1km, _10km) fehlt; das ist keine "
                "Zensus-Gittertabelle. Gefunden: "
                + ", ".join(map(str, frame.columns[:8])),
                file,
                1,
                code="missing_columns",
            )
        )
    return found[0]


def _read_table(source, name, limits) -> tuple[pd.DataFrame, str, list[Problem]]:
    text = read_text(source, name, limits)
    first = text.text.lstrip("\ufeff").split("\n", 1)[0]
    if ";" not in first:
        raise IngestError(
            Problem(
                "Die Kopfzeile enthält kein Semikolon; Zensus-Gittertabellen trennen "
                f"Spalten mit „;“ (gefunden: „{first[:80]}“).",
                text.name,
                1,
                code="separator",
            )
        )
    try:
        frame = pd.read_csv(
            io.StringIO(text.text), sep=";", dtype=str, keep_default_na=False
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise IngestError(
            Problem(f"Die CSV-Struktur ist fehlerhaft: {exc}", text.name, code="csv")
        ) from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise IngestError(
            Problem("Die Tabelle enthält nur die Kopfzeile.", text.name, code="no_rows")
        )
    return frame, text.name, list(text.problems)


def read_zensus_grid(
    source,
    name: str | None = None,
    year: int = ZENSUS_YEAR,
    limits: Limits = DEFAULT_LIMITS,
) -> ZensusGrid:
    """Read a Zensus 2022 grid CSV: cells as polygons, values as observations."""
    frame, file, problems = _read_table(source, name, limits)
    id_column = _id_column(frame, file)
    grid = parse_cell_ids(frame[id_column], file)
    resolutions = grid["res"].unique()
    if len(resolutions) != 1:
        raise IngestError(
            Problem(
                "Die Tabelle mischt Zellgrößen: "
                + ", ".join(f"{r} m" for r in sorted(resolutions)),
                file,
                column=id_column,
                code="grid_mixed",
            )
        )
    res = int(resolutions[0])
    _check_centres(frame, grid, res, file)
    observations = _grid_observations(frame, id_column, year, file)
    e, n = grid["e"].to_numpy(), grid["n"].to_numpy()
    boxes = shapely.box(e, n, e + res, n + res)
    cells = gpd.GeoDataFrame(
        {
            "area_id": frame[id_column].str.strip().to_numpy(),
            "name": frame[id_column].str.strip().to_numpy(),
            "level": "raster",
            "parent_id": None,
            "in_focus": False,
            "area_km2": res * res / 1e6,
        },
        geometry=boxes,
        crs=EQUAL_AREA_CRS,
        index=frame.index + 2,
    ).to_crs("EPSG:4326")
    return ZensusGrid(cells, observations, res, tuple(problems))


def _check_centres(frame, grid, res, file) -> None:
    xs = [c for c in frame.columns if c.lower().startswith("x_mp")]
    ys = [c for c in frame.columns if c.lower().startswith("y_mp")]
    if not xs or not ys:
        return
    x = pd.to_numeric(frame[xs[0]], errors="coerce")
    y = pd.to_numeric(frame[ys[0]], errors="coerce")
    off = (x != grid["e"] + res / 2) | (y != grid["n"] + res / 2)
    if off.any():
        line = int(np.flatnonzero(off.to_numpy())[0]) + 2
        raise IngestError(
            Problem(
                f"Mittelpunkt ({xs[0]}, {ys[0]}) passt nicht zur Gitter-ID; "
                f"{int(off.sum())} Zeile(n) betroffen.",
                file,
                line,
                xs[0],
                code="grid_centre",
            )
        )


def _grid_observations(frame, id_column, year, file) -> pd.DataFrame:
    skip = {id_column, _FLAG_COLUMN}
    values = [
        c
        for c in frame.columns
        if c not in skip
        and not c.lower().startswith(("x_mp", "y_mp"))
        and not c.endswith(_FLAG_COLUMN)
    ]
    if not values:
        raise IngestError(
            Problem("Die Tabelle hat keine Wertespalte.", file, 1, code="no_values")
        )
    flags = frame[_FLAG_COLUMN] if _FLAG_COLUMN in frame.columns else None
    rows, errors = [], []
    for column in values:
        for index, raw in frame[column].items():
            cell = parse_cell(raw, "zensus")
            if cell.error:
                errors.append(
                    Problem(
                        cell.error, file, int(index) + 2, column, code="not_a_number"
                    )
                )
            flag = cell.flag or (parse_flag(flags[index]) if flags is not None else "")
            rows.append(
                {
                    "source_row": int(index) + 2,
                    "area_key": frame.at[index, id_column].strip(),
                    "area_name": "",
                    "variable": column,
                    "year": year,
                    "value": cell.value,
                    "status": cell.status,
                    "flag": flag,
                }
            )
    if errors:
        raise IngestError(errors[:200])
    return observations_frame(rows, file)


def assign_cells(
    grid: ZensusGrid, areas: gpd.GeoDataFrame, file: str = ""
) -> tuple[ZensusGrid, list[Problem]]:
    """Keep the cells whose centre lies in one of ``areas`` and make that area
    their parent (``parent_id``); cells outside every area are dropped, and the
    count is reported."""
    centres = grid.cells.geometry.to_crs(EQUAL_AREA_CRS).centroid
    targets = areas[["area_id", areas.geometry.name]].to_crs(EQUAL_AREA_CRS)
    hits = gpd.sjoin(
        gpd.GeoDataFrame(geometry=centres),
        targets.rename(columns={"area_id": "_parent"}),
        predicate="within",
        how="left",
    )
    hits = hits[~hits.index.duplicated(keep="first")]
    inside = hits["_parent"].notna()
    cells = grid.cells.loc[inside[inside].index].copy()
    cells["parent_id"] = hits.loc[cells.index, "_parent"].to_numpy()
    kept = set(cells["area_id"])
    observations = grid.observations[grid.observations["area_key"].isin(kept)]
    problems = [
        Problem(
            f"{len(cells)} von {len(grid.cells)} Gitterzellen liegen mit ihrem "
            f"Mittelpunkt in den Gebieten; {int((~inside).sum())} außerhalb wurden "
            "nicht übernommen.",
            file,
            severity=INFO,
            code="cells_assigned",
        )
    ]
    result = ZensusGrid(
        cells, observations.reset_index(drop=True), grid.resolution_m, grid.problems
    )
    return result, problems
