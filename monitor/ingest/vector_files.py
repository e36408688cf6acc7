"""Boundary files of any common format as one GeoDataFrame in EPSG:4326.

GeoJSON goes through :mod:`monitor.ingest.geojson` (its quirky layouts and CRS
rules); GeoPackage and Shapefile (also zipped, the usual download) through pyogrio
(GDAL). Whatever CRS the file is in (EPSG:25832, 3035, 31466 …) is transformed to
EPSG:4326 after the coordinates were checked against it. The index of the result is
the feature number (1-based), the row the user sees in a GIS.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

from monitor.ingest import geojson
from monitor.ingest.crs import check_coordinates, to_crs
from monitor.ingest.problems import INFO, IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, extract_zip, read_source

__all__ = ["VECTOR_SUFFIXES", "read_vector"]

VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")
_SHAPE_SIDECARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def read_vector(
    source,
    crs=None,
    name: str | None = None,
    layer: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Read a GeoJSON, GeoPackage, Shapefile or ZIP (with one of those) file.

    ``crs`` overrides the file's CRS (for files without one, or with a wrong one).
    A Shapefile given as a path is read with its sidecar files next to it.
    """
    if isinstance(source, str | Path) and str(source).lower().endswith(".shp"):
        return _read_shapefile_path(Path(source), crs, limits)
    raw, name = read_source(source, name, limits)
    suffix = PurePosixPath(name.lower()).suffix
    if suffix == ".zip" or raw.startswith(b"PK\x03\x04"):
        return _read_zip(raw, name, crs, layer, limits)
    if raw.startswith(b"SQLite format 3\x00") or suffix == ".gpkg":
        return _read_ogr(raw, name, crs, layer, ".gpkg")
    if suffix in {".shp", ".dbf", ".shx"}:
        raise IngestError(
            Problem(
                "Ein Shapefile besteht aus mehreren Dateien (.shp, .shx, .dbf, .prj); "
                "bitte alle zusammen als ZIP-Archiv hochladen.",
                name,
                code="shapefile_parts",
            )
        )
    return geojson.read_geojson(raw, crs, name, limits)


def _read_shapefile_path(path: Path, crs, limits: Limits):
    name = path.name
    read_source(path, name, limits)  # size limit of the .shp before GDAL opens it
    missing = [s for s in (".shx", ".dbf") if not path.with_suffix(s).exists()]
    if missing:
        raise IngestError(
            Problem(
                f"Zum Shapefile fehlen die Dateien {', '.join(missing)}.",
                name,
                code="shapefile_parts",
            )
        )
    return _read_ogr(path, name, crs, None, ".shp")


def _read_zip(raw: bytes, name: str, crs, layer, limits: Limits):
    members = extract_zip(raw, name, limits)
    usable = {
        m: data
        for m, data in members.items()
        if not PurePosixPath(m).name.startswith(("._", "."))
        and "__MACOSX" not in PurePosixPath(m).parts
    }
    by_suffix: dict[str, list[str]] = {}
    for member in usable:
        by_suffix.setdefault(PurePosixPath(member).suffix.lower(), []).append(member)
    for suffix in (".shp", ".gpkg", ".geojson", ".json"):
        found = by_suffix.get(suffix, [])
        if len(found) > 1:
            raise IngestError(
                Problem(
                    f"Das ZIP-Archiv enthält mehrere {suffix}-Dateien "
                    f"({', '.join(sorted(found))}); bitte nur eine hochladen.",
                    name,
                    code="zip_many",
                )
            )
        if found:
            return _read_member(usable, found[0], name, crs, layer, limits)
    raise IngestError(
        Problem(
            "Das ZIP-Archiv enthält keine Geodatei (.shp, .gpkg, .geojson).",
            name,
            code="zip_empty",
        )
    )


def _read_member(members, member, name, crs, layer, limits):
    suffix = PurePosixPath(member).suffix.lower()
    label = f"{name}/{member}"
    if suffix in {".geojson", ".json"}:
        return geojson.read_geojson(members[member], crs, label, limits)
    if suffix == ".gpkg":
        return _read_ogr(members[member], label, crs, layer, ".gpkg")
    stem = str(PurePosixPath(member).with_suffix(""))
    with tempfile.TemporaryDirectory() as tmp:
        for side in _SHAPE_SIDECARS:
            for candidate in (stem + side, stem + side.upper()):
                if candidate in members:
                    (Path(tmp) / f"layer{side}").write_bytes(members[candidate])
        return _read_shapefile_path(Path(tmp) / "layer.shp", crs, limits)


def _read_ogr(source, name: str, crs, layer, kind: str):
    if isinstance(source, bytes):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"upload{kind}"
            path.write_bytes(source)
            return _read_ogr(path, name, crs, layer, kind)
    try:
        frame = pyogrio.read_dataframe(source, layer=layer)
    except (DataSourceError, DataLayerError, OSError, ValueError) as exc:
        what = "GeoPackage" if kind == ".gpkg" else "Shapefile"
        raise IngestError(
            Problem(
                f"Die Datei ist als {what} nicht lesbar: {exc}", name, code="ogr_read"
            )
        ) from exc
    if not len(frame):
        raise IngestError(
            Problem("Die Datei enthält keine Geoobjekte.", name, code="none")
        )
    frame.index = range(1, len(frame) + 1)
    problems: list[Problem] = []
    chosen = to_crs(crs, name) if crs is not None else frame.crs
    if crs is not None and frame.crs is not None and frame.crs != chosen:
        problems.append(
            Problem(
                f"Die Datei nennt {frame.crs.to_string()}, verwendet wird wie "
                f"angegeben {chosen.to_string()}.",
                name,
                severity=INFO,
                code="crs_override",
            )
        )
    present = frame.geometry[frame.geometry.notna() & ~frame.geometry.is_empty]
    bounds = gpd.GeoSeries(present).total_bounds if len(present) else (0, 0, 0, 0)
    check_coordinates(bounds, chosen, name)
    frame = frame.set_crs(chosen, allow_override=True)
    if chosen.to_epsg() != 4326:
        problems.append(
            Problem(
                f"Koordinaten von {chosen.to_string()} nach EPSG:4326 umgerechnet.",
                name,
                severity=INFO,
                code="crs_transformed",
            )
        )
        frame = frame.to_crs("EPSG:4326")
    return frame, problems
