"""Boundary files → rows of ``areas.parquet`` (the data contract).

The user says which property is the key, the name, the level and the parent (a
:class:`BoundaryMapping`; :func:`guess_mapping` offers one). Keys stay text, so
leading zeros of AGS (8 digits) and ARS (12 digits) survive. Geometries are repaired
(:func:`monitor.ingest.geometry.repair`) and reported, empty ones refused; without a
parent column the parent is the area of the level above that overlaps most, and the
share is reported. ``area_km2`` is measured in EPSG:3035.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from monitor.ingest.cell_text import clean_text, text_warnings
from monitor.ingest.geometry import area_km2, assign_parents, polygonal_part, repair
from monitor.ingest.problems import INFO, WARNING, Problem, raise_errors
from monitor.ingest.vector_files import read_vector

__all__ = [
    "AREA_COLUMNS",
    "AREA_LEVELS",
    "BoundaryImport",
    "BoundaryMapping",
    "guess_mapping",
    "import_boundaries",
    "map_boundaries",
]

AREA_LEVELS = ("stadt", "fokusgebiet", "stadtteil", "quartier", "raster")
AREA_COLUMNS = (
    "area_id",
    "name",
    "level",
    "parent_id",
    "in_focus",
    "area_km2",
    "geometry",
)
_LEVEL_WORDS = {
    "stadt": "stadt",
    "gemeinde": "stadt",
    "kommune": "stadt",
    "fokusgebiet": "fokusgebiet",
    "perspektivquartier": "fokusgebiet",
    "stadtteil": "stadtteil",
    "stadtbezirk": "stadtteil",
    "ortsteil": "stadtteil",
    "quartier": "quartier",
    "viertel": "quartier",
    "raster": "raster",
    "gitter": "raster",
}
_TRUE = {"1", "true", "wahr", "ja", "j", "x", "yes", "y"}


@dataclass(frozen=True)
class BoundaryMapping:
    """Which properties of the file become which columns of ``areas.parquet``.

    ``level`` is one level for the whole file, or ``level_column`` a property whose
    values name the level (``Stadtteil``, ``Quartier`` … are understood). ``parent``
    is the property holding the parent's key; without it parents are found by
    overlap when parent areas are given.
    """

    key: str
    name: str
    level: str | None = None
    level_column: str | None = None
    parent: str | None = None
    in_focus: str | None = None

    def __post_init__(self):
        if (self.level is None) == (self.level_column is None):
            raise ValueError("give exactly one of level and level_column")
        if self.level is not None and self.level not in AREA_LEVELS:
            raise ValueError(f"unknown level {self.level!r}")

    def columns(self) -> dict[str, str]:
        used = {
            "Schlüssel": self.key,
            "Name": self.name,
            "Ebene": self.level_column,
            "Übergeordnetes Gebiet": self.parent,
            "Perspektivquartier": self.in_focus,
        }
        return {role: col for role, col in used.items() if col}


@dataclass(frozen=True)
class BoundaryImport:
    """Areas in the contract's columns (index = feature number) and the findings."""

    areas: gpd.GeoDataFrame
    problems: tuple[Problem, ...]


_KEY_HINTS = ("ags", "ars", "rs", "schluessel", "schlüssel", "key", "nummer", "nr")
_NAME_HINTS = ("gen", "name", "bezeichnung", "bez_name", "stadtteil", "quartier")


def _column_score(column: str, hints) -> int:
    low = column.lower()
    for rank, hint in enumerate(hints):
        if low == hint:
            return 100 - rank
        if re.search(rf"(^|_){re.escape(hint)}($|_|\d)", low):
            return 50 - rank
    return 0


def guess_mapping(frame: pd.DataFrame) -> BoundaryMapping:
    """A first mapping for the user to confirm: the best-named unique column as key,
    the best-named text column as name, a parent column if one is named so."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    unique = [c for c in columns if frame[c].notna().all() and frame[c].is_unique]
    keys = sorted(unique, key=lambda c: -_column_score(c, _KEY_HINTS))
    texts = [
        c for c in columns if frame[c].dtype == object or str(frame[c].dtype) == "str"
    ]

    def name_score(column) -> float:
        distinct = frame[column].nunique() / max(len(frame), 1)
        return _column_score(column, _NAME_HINTS) + 30 * distinct

    names = sorted(texts or columns, key=lambda c: -name_score(c))
    key = keys[0] if keys else columns[0]
    name = next((c for c in names if c != key), key)
    parent = next(
        (c for c in columns if re.search(r"parent|eltern|ober", c.lower())), None
    )
    sample = frame[key].astype(str).str.strip()
    level = "stadt" if sample.str.fullmatch(r"\d{8}|\d{12}").all() else "stadtteil"
    return BoundaryMapping(key=key, name=name, level=level, parent=parent)


def _key_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


def _level_of(value, file: str, row: int, column: str, problems: list) -> str | None:
    word = clean_text(value).lower()
    level = word if word in AREA_LEVELS else _LEVEL_WORDS.get(word)
    if level is None:
        problems.append(
            Problem(
                f"Unbekannte Ebene „{clean_text(value)}“; erlaubt sind "
                + ", ".join(AREA_LEVELS)
                + ".",
                file,
                row,
                column,
                code="level",
            )
        )
    return level


def map_boundaries(
    frame: gpd.GeoDataFrame, mapping: BoundaryMapping, file: str
) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Apply ``mapping`` to a read file: keys, names, levels, geometries checked."""
    problems: list[Problem] = []
    missing = [c for c in mapping.columns().values() if c not in frame.columns]
    if missing:
        available = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name)
        problems.append(
            Problem(
                f"Die Spalte(n) {', '.join(missing)} fehlen. Vorhanden: {available}.",
                file,
                code="missing_columns",
            )
        )
        raise_errors(problems)
    if pd.api.types.is_numeric_dtype(frame[mapping.key]):
        problems.append(
            Problem(
                "Die Schlüssel sind als Zahlen gespeichert; führende Nullen (AGS "
                "01001000) können verloren sein. Bitte die Schlüsselspalte als Text "
                "exportieren.",
                file,
                column=mapping.key,
                severity=WARNING,
                code="numeric_key",
            )
        )
    rows = []
    for row, item in frame.iterrows():
        rows.append(_map_row(item, row, mapping, frame.geometry.name, file, problems))
    areas = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs)
    areas.index = frame.index
    _duplicate_keys(areas, mapping.key, file, problems)
    return areas, problems


def _map_row(item, row, mapping, geometry_column, file, problems) -> dict:
    key = _key_text(item[mapping.key])
    if not key:
        problems.append(
            Problem("Der Schlüssel ist leer.", file, row, mapping.key, code="empty_key")
        )
    name = clean_text(item[mapping.name])
    if not name:
        problems.append(
            Problem("Der Name ist leer.", file, row, mapping.name, code="empty_name")
        )
    for text in text_warnings(name):
        problems.append(
            Problem(text, file, row, mapping.name, severity=WARNING, code="text")
        )
    if mapping.level_column:
        level = _level_of(
            item[mapping.level_column], file, row, mapping.level_column, problems
        )
    else:
        level = mapping.level
    parent = _key_text(item[mapping.parent]) if mapping.parent else ""
    focus = mapping.in_focus and clean_text(item[mapping.in_focus]).lower() in _TRUE
    return {
        "area_id": key,
        "name": name,
        "level": level,
        "parent_id": parent or None,
        "in_focus": bool(focus),
        "geometry": _checked_geometry(item[geometry_column], row, file, problems),
    }


def _checked_geometry(geom, row, file, problems):
    if not hasattr(geom, "is_empty") or geom.is_empty:
        problems.append(
            Problem(
                "Das Gebiet hat keine oder eine leere Geometrie.",
                file,
                row,
                "geometry",
                code="empty_geometry",
            )
        )
        return None
    fixed, reason = repair(geom)
    fixed = polygonal_part(fixed)
    if fixed is None:
        what = "nach der Reparatur keine Fläche mehr" if reason else "keine Fläche"
        problems.append(
            Problem(
                f"Die Geometrie ({geom.geom_type}) ist {what}; Gebiete müssen Flächen "
                "(Polygon, MultiPolygon) sein.",
                file,
                row,
                "geometry",
                code="not_polygonal",
            )
        )
        return None
    if reason:
        problems.append(
            Problem(
                f"Ungültige Geometrie repariert ({reason}); nur die Flächenanteile "
                "wurden übernommen.",
                file,
                row,
                "geometry",
                severity=WARNING,
                code="geometry_repaired",
            )
        )
    return fixed


def _duplicate_keys(areas, column, file, problems) -> None:
    keys = areas["area_id"]
    duplicated = keys[keys.duplicated(keep=False) & (keys != "")]
    for key, rows in duplicated.groupby(duplicated).groups.items():
        numbers = ", ".join(str(r) for r in rows)
        problems.append(
            Problem(
                f"Der Schlüssel „{key}“ kommt mehrfach vor (Zeilen {numbers}).",
                file,
                int(rows[0]),
                column,
                code="duplicate_key",
            )
        )


def _parents_by_overlap(areas, parents, file, problems) -> None:
    todo = areas[areas["parent_id"].isna() & (areas["level"] != "stadt")]
    if not len(todo):
        return
    found = assign_parents(todo, parents)
    for row, hit in found.iterrows():
        if hit["parent_id"] is None:
            problems.append(
                Problem(
                    "Kein übergeordnetes Gebiet überlappt dieses Gebiet.",
                    file,
                    row,
                    "parent_id",
                    code="no_parent",
                )
            )
            continue
        areas.loc[row, "parent_id"] = hit["parent_id"]
        severity = INFO if hit["share"] >= 0.9 else WARNING
        problems.append(
            Problem(
                f"Übergeordnetes Gebiet „{hit['parent_id']}“ nach größter Überlappung "
                f"zugeordnet ({hit['share'] * 100:.0f} % der Fläche).",
                file,
                row,
                "parent_id",
                severity=severity,
                code="parent_by_overlap",
            )
        )


def import_boundaries(
    source,
    mapping: BoundaryMapping | None = None,
    parents: gpd.GeoDataFrame | None = None,
    crs=None,
    name: str | None = None,
) -> BoundaryImport:
    """Read a boundary file and turn it into contract rows, or raise IngestError.

    Parameters
    ----------
    source : path, bytes or upload
        GeoJSON, GeoPackage, Shapefile or a ZIP holding one of them.
    mapping : BoundaryMapping, optional
        Which properties are key, name, level, parent; default :func:`guess_mapping`.
    parents : GeoDataFrame, optional
        Areas (``area_id``, geometry) of the level above, for parents by overlap
        when the mapping has no parent column.
    crs : optional
        The file's CRS when it has none or a wrong one (``"EPSG:25832"``).
    """
    frame, problems = read_vector(source, crs=crs, name=name)
    file = _display_name(source, name)
    mapping = mapping or guess_mapping(frame)
    areas, found = map_boundaries(frame, mapping, file)
    problems.extend(found)
    raise_errors(problems)
    if mapping.parent is None and parents is not None:
        _parents_by_overlap(areas, parents, file, problems)
        raise_errors(problems)
    areas["area_km2"] = area_km2(areas.geometry).round(4)
    return BoundaryImport(areas[list(AREA_COLUMNS)], tuple(problems))


def _display_name(source, name) -> str:
    if name:
        return name
    if isinstance(source, str) or hasattr(source, "__fspath__"):
        return str(source).replace("\\", "/").rsplit("/", 1)[-1]
    return getattr(source, "name", "Upload")
