"""Importing infrastructure points (Kitas, schools, counselling …) into the
``points.parquet`` contract (:mod:`monitor.points`).

Two kinds of files, as offices have them:

- **CSV** with one row per facility and coordinates either as ``lon``/``lat``
  (WGS84 degrees; also ``laenge``/``breite``) or as ``x``/``y`` (also
  ``rechtswert``/``hochwert``) in a CRS the caller names (``crs="EPSG:25832"``).
  German decimals (``7,1834``) and thousands dots (``364.123,5``) are read per
  column; the separator is sniffed.
- **Vector files** with point geometries (GeoJSON, GeoPackage, zipped Shapefile),
  through :func:`monitor.ingest.vector_files.read_vector` and its CRS rules.

Columns (German or English names): ``kategorie``/``category`` (an id of
:data:`monitor.points.CATEGORIES` or a usual German name such as
"Kindertagesstätte", "Grundschule", "Arztpraxis"), ``name``, optional
``adresse``/``address``, ``eroeffnungsjahr``/``opening_year``, ``quelle``/
``source`` and ``id``/``point_id`` (made from category and coordinates when
absent). Every finding is a German :class:`~monitor.ingest.problems.Problem`;
nothing is returned while an error is among them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import pyproj
import shapely

from monitor.ingest.cell_text import clean_text, text_warnings
from monitor.ingest.crs import check_coordinates, guess_crs, to_crs
from monitor.ingest.numbers import parse_number
from monitor.ingest.problems import ERROR, INFO, WARNING, IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, read_source
from monitor.ingest.template import read_csv_table
from monitor.ingest.vector_files import VECTOR_SUFFIXES, read_vector
from monitor.points import CATEGORIES, COLUMNS

__all__ = ["CATEGORY_ALIASES", "read_points"]

FIRST_OPENING_YEAR = 1800

_COLUMN_ALIASES = {
    "point_id": ("point_id", "id", "kennung", "nr", "nummer"),
    "category": ("category", "kategorie", "art", "typ"),
    "name": ("name", "bezeichnung", "einrichtung"),
    "address": ("address", "adresse", "anschrift"),
    "lon": ("lon", "lng", "long", "longitude", "laenge", "geo_laenge"),
    "lat": ("lat", "latitude", "breite", "geo_breite"),
    "x": ("x", "rechtswert", "easting", "ostwert"),
    "y": ("y", "hochwert", "northing", "nordwert"),
    "opening_year": ("opening_year", "eroeffnungsjahr", "eroeffnung", "jahr"),
    "source": ("source", "quelle"),
}

CATEGORY_ALIASES = {
    "kita": (
        "kita",
        "kitas",
        "kindertagesstaette",
        "kindertageseinrichtung",
        "kindergarten",
        "krippe",
        "day_care",
    ),
    "schule": (
        "schule",
        "schulen",
        "grundschule",
        "gemeinschaftsschule",
        "gymnasium",
        "foerderschule",
        "berufsschule",
        "school",
    ),
    "beratung": (
        "beratung",
        "beratungsstelle",
        "schuldnerberatung",
        "erziehungsberatung",
        "sozialberatung",
        "migrationsberatung",
        "counselling",
    ),
    "jugend_familie": (
        "jugend_familie",
        "jugendzentrum",
        "familienzentrum",
        "jugend_und_familienzentrum",
        "jugendtreff",
        "youth_and_family_centre",
    ),
    "arzt": (
        "arzt",
        "aerztin",
        "arztpraxis",
        "hausarzt",
        "kinderarzt",
        "kinderaerztin",
        "doctor",
    ),
}
"""Names offices use for each category (compared after :func:`_key`)."""

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _key(text: str) -> str:
    """Lower case, umlauts spelled out, runs of other characters as ``_``."""
    plain = clean_text(text).lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


_CATEGORY_OF = {_key(a): c for c, names in CATEGORY_ALIASES.items() for a in names}
_COLUMN_OF = {_key(a): c for c, names in _COLUMN_ALIASES.items() for a in names}


def _columns(header: list[str], file: str, coordinates: bool = True) -> dict[str, int]:
    """Column index per contract field; ``coordinates=False`` for vector files,
    whose coordinates are the geometry."""
    found: dict[str, int] = {}
    for j, label in enumerate(header):
        column = _COLUMN_OF.get(_key(label))
        if column and column not in found:
            found[column] = j
    missing = [c for c in ("category", "name") if c not in found]
    has_lonlat = {"lon", "lat"} <= found.keys()
    has_xy = {"x", "y"} <= found.keys()
    if coordinates and not (has_lonlat or has_xy):
        missing.append("lon/lat oder x/y")
    if missing:
        names = {"category": "kategorie", "name": "name"}
        raise IngestError(
            Problem(
                "Es fehlen die Spalten "
                + ", ".join(names.get(m, m) for m in missing)
                + f" (gefunden: {', '.join(h for h in header if h) or 'keine'}). "
                "Koordinaten stehen in lon/lat (Länge/Breite in Grad) oder in x/y "
                "(Meter, mit Angabe des Koordinatensystems).",
                file,
                1,
                code="missing_columns",
            )
        )
    if has_lonlat and has_xy:
        for column in ("x", "y"):
            found.pop(column)
    return found


# -- coordinates ------------------------------------------------------------------


def _decimal_of(cells: list[str]) -> str:
    """ "," when a cell has a comma or several dots (German thousands), else ".":
    a coordinate such as 49.345 must not be read as 49,345 thousand."""
    if any("," in c or c.count(".") > 1 for c in cells):
        return ","
    return "."


def _parse_coordinates(
    rows: list[tuple[int, list]], columns: dict[str, int], header: list, file: str
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    names = ("lon", "lat") if "lon" in columns else ("x", "y")
    out, errors = [], []
    for column in names:
        label = header[columns[column]]
        cells = [_cell(row, columns, column) for _, row in rows]
        decimal = _decimal_of(cells)
        values = np.full(len(cells), np.nan)
        for i, ((line, _), text) in enumerate(zip(rows, cells, strict=True)):
            number = parse_number(text, decimal) if text else None
            if number is None:
                what = (
                    "Die Zelle ist leer." if not text else f"„{text}“ ist keine Zahl."
                )
                errors.append(Problem(what, file, line, label, code="coordinate"))
            else:
                values[i] = number
        out.append(values)
    return out[0], out[1], errors


def _to_lonlat(x: np.ndarray, y: np.ndarray, crs, file: str, problems: list):
    """Check the coordinates against the CRS and transform them to EPSG:4326."""
    ok = np.isfinite(x) & np.isfinite(y)
    if not ok.any():
        return x, y
    bounds = (x[ok].min(), y[ok].min(), x[ok].max(), y[ok].max())
    check_coordinates(bounds, crs, file)
    if crs.to_epsg() == 4326:
        return x, y
    transformer = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
    lon, lat = transformer.transform(x, y)
    problems.append(
        Problem(
            f"Koordinaten von {crs.to_string()} nach EPSG:4326 umgerechnet.",
            file,
            severity=INFO,
            code="crs_transformed",
        )
    )
    return np.asarray(lon), np.asarray(lat)


def _crs_missing(x: np.ndarray, y: np.ndarray, file: str) -> IngestError:
    ok = np.isfinite(x) & np.isfinite(y)
    guess = (
        guess_crs((x[ok].min(), y[ok].min(), x[ok].max(), y[ok].max()))
        if ok.any()
        else None
    )
    hint = f" Die Werte passen zu {guess}." if guess else ""
    return IngestError(
        Problem(
            "Die Spalten x/y sind Meterkoordinaten; bitte beim Import das "
            f"Koordinatensystem angeben (z. B. EPSG:25832).{hint}",
            file,
            code="crs_missing",
        )
    )


def _cell(row: list, columns: dict[str, int], column: str) -> str:
    j = columns.get(column)
    value = row[j] if j is not None and j < len(row) else ""
    return clean_text(value)


# -- reading the two kinds of files ----------------------------------------------


def _records_from_csv(
    raw: bytes, file: str, crs, problems: list, errors: list
) -> pd.DataFrame:
    header, body, decoder_problems = read_csv_table(raw, file)
    problems.extend(decoder_problems)
    columns = _columns(header, file)
    if not body:
        raise IngestError(
            Problem("Die Datei enthält nur die Kopfzeile, keine Daten.", file)
        )
    x, y, coordinate_errors = _parse_coordinates(body, columns, header, file)
    errors.extend(coordinate_errors)
    if "lon" in columns:
        chosen = to_crs(crs if crs is not None else "EPSG:4326", file)
    elif crs is None:
        raise _crs_missing(x, y, file)
    else:
        chosen = to_crs(crs, file)
    lon, lat = _to_lonlat(x, y, chosen, file, problems)
    fields = ("point_id", "category", "name", "address", "opening_year", "source")
    frame = pd.DataFrame(
        {c: [_cell(r, columns, c) for _, r in body] for c in fields},
        index=[line for line, _ in body],
    ).assign(lon=lon, lat=lat)
    frame.attrs["labels"] = {c: header[j] for c, j in columns.items()}
    return frame


def _point_coordinates(frame, file: str) -> tuple[np.ndarray, np.ndarray]:
    errors, lon, lat = [], [], []
    for number, geom in frame.geometry.items():
        if geom is not None and geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        if geom is None or geom.is_empty or geom.geom_type != "Point":
            kind = "keine Geometrie" if geom is None else f"ein {geom.geom_type}"
            errors.append(
                Problem(
                    f"Das Objekt hat {kind}; erwartet wird ein Punkt.",
                    file,
                    int(number),
                    "geometry",
                    code="not_a_point",
                )
            )
            lon.append(np.nan)
            lat.append(np.nan)
        else:
            lon.append(geom.x)
            lat.append(geom.y)
    if errors:
        raise IngestError(errors)
    return np.asarray(lon), np.asarray(lat)


def _records_from_vector(source, file: str, crs, problems: list) -> pd.DataFrame:
    frame, vector_problems = read_vector(source, crs, file)
    problems.extend(vector_problems)
    labels = [str(c) for c in frame.columns if c != "geometry"]
    columns = _columns(labels, file, coordinates=False)
    lon, lat = _point_coordinates(frame, file)
    fields = ("point_id", "category", "name", "address", "opening_year", "source")
    data = {}
    for column in fields:
        j = columns.get(column)
        values = frame[labels[j]] if j is not None else pd.Series("", index=frame.index)
        data[column] = [_text(v) for v in values]
    out = pd.DataFrame(data, index=frame.index).assign(lon=lon, lat=lat)
    out.attrs["labels"] = {c: labels[j] for c, j in columns.items()}
    return out


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


# -- validation -------------------------------------------------------------------


def _category(text: str, line: int, file: str, label: str, errors: list) -> str:
    if not text:
        errors.append(Problem("Die Zelle ist leer.", file, line, label))
        return ""
    category = _CATEGORY_OF.get(_key(text))
    if category is None:
        errors.append(
            Problem(
                f"„{text}“ ist keine bekannte Kategorie; erlaubt sind "
                + ", ".join(CATEGORIES)
                + " (oder übliche Namen wie Kindertagesstätte, Grundschule, "
                "Beratungsstelle, Familienzentrum, Arztpraxis).",
                file,
                line,
                label,
                code="category",
            )
        )
        return ""
    return category


def _opening_year(
    text: str, line: int, file: str, label: str, errors: list
) -> int | None:
    text = text.removesuffix(".0")
    if not text:
        return None
    last = dt.date.today().year + 1
    if not (text.isdigit() and FIRST_OPENING_YEAR <= int(text) <= last):
        errors.append(
            Problem(
                f"„{text}“ ist kein Eröffnungsjahr (vierstellig, "
                f"{FIRST_OPENING_YEAR} bis {last}).",
                file,
                line,
                label,
                code="year",
            )
        )
        return None
    return int(text)


def _generated_id(category: str, name: str, lon: float, lat: float, used: set) -> str:
    """``<category>-<8 hex digits>`` from category, name and place: stable when
    the file is re-sorted; a repeated point gets ``-2``, ``-3`` …"""
    key = f"{category}|{name}|{lon:.6f}|{lat:.6f}"
    base = f"{category}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"
    point_id, n = base, 1
    while point_id in used:
        n += 1
        point_id = f"{base}-{n}"
    used.add(point_id)
    return point_id


def _validate(
    records: pd.DataFrame,
    file: str,
    default_source: str,
    problems: list,
    errors: list,
) -> pd.DataFrame:
    labels = records.attrs.get("labels", {})
    used = set(records["point_id"]) - {""}
    rows = []
    for line, rec in records.iterrows():
        category = _category(
            rec["category"], line, file, labels.get("category", "kategorie"), errors
        )
        if not rec["name"]:
            errors.append(
                Problem("Die Zelle ist leer.", file, line, labels.get("name", "name"))
            )
        for text in (rec["name"], rec["address"]):
            for warning in text_warnings(text):
                problems.append(Problem(warning, file, line, severity=WARNING))
        rows.append(
            {
                "point_id": rec["point_id"]
                or _generated_id(category, rec["name"], rec["lon"], rec["lat"], used),
                "category": category,
                "name": rec["name"],
                "address": rec["address"],
                "lon": round(float(rec["lon"]), 7),
                "lat": round(float(rec["lat"]), 7),
                "opening_year": _opening_year(
                    rec["opening_year"],
                    line,
                    file,
                    labels.get("opening_year", "eroeffnungsjahr"),
                    errors,
                ),
                "source": rec["source"] or default_source,
                "line": line,
            }
        )
    frame = pd.DataFrame(rows)
    errors.extend(_duplicate_ids(frame, file, labels.get("point_id", "id")))
    if errors:
        raise IngestError(sorted(errors, key=_position) + problems)
    problems.extend(_same_place(frame, file))
    return frame


def _position(problem: Problem) -> tuple[int, str]:
    return (problem.row or 0, problem.column or "")


def _duplicate_ids(frame: pd.DataFrame, file: str, label: str) -> list[Problem]:
    out = []
    for point_id, group in frame.groupby("point_id", sort=True):
        if len(group) > 1:
            lines = ", ".join(str(v) for v in group["line"])
            out.append(
                Problem(
                    f"Die Kennung „{point_id}“ kommt mehrfach vor (Zeilen {lines}).",
                    file,
                    int(group["line"].iloc[1]),
                    label,
                    code="duplicate_id",
                )
            )
    return out


def _same_place(frame: pd.DataFrame, file: str) -> list[Problem]:
    keys = ["category", "name", "lon", "lat"]
    repeated = frame[frame.duplicated(keys, keep="first")]
    return [
        Problem(
            f"„{row.name}“ steht mit gleicher Kategorie und Lage schon weiter oben; "
            "doppelt eingetragen?",
            file,
            int(row.line),
            severity=WARNING,
            code="duplicate_point",
        )
        for row in repeated.itertuples()
    ]


def _outside(frame: pd.DataFrame, outline, file: str) -> list[Problem]:
    inside = shapely.contains_xy(outline, frame["lon"], frame["lat"])
    return [
        Problem(
            f"„{row.name}“ liegt außerhalb der Stadtgrenze.",
            file,
            int(row.line),
            severity=WARNING,
            code="outside",
        )
        for row in frame[~inside].itertuples()
    ]


def read_points(
    source,
    name: str | None = None,
    *,
    crs=None,
    default_source: str | None = None,
    outline=None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read a CSV or vector file of facilities into the points contract.

    Parameters
    ----------
    source : path, bytes or upload
    name : str, optional
        File name shown in messages (and used to tell CSV from GeoJSON).
    crs : optional
        CRS of ``x``/``y`` columns (required for them, e.g. ``"EPSG:25832"``) or
        an override for a vector file's CRS.
    default_source : str, optional
        ``source`` for rows without one (default: the file name).
    outline : shapely geometry, optional
        City outline in EPSG:4326; points outside it are warned about.

    Returns
    -------
    (pandas.DataFrame, list of Problem)
        The contract columns of :data:`monitor.points.COLUMNS`, in file order;
        warnings and notes.

    Raises
    ------
    IngestError
        With every error found (German messages with line and column).
    """
    raw, file = read_source(source, name, limits)
    problems: list[Problem] = []
    errors: list[Problem] = []
    suffix = PurePosixPath(file.lower()).suffix
    if suffix in (".xlsx", ".xls", ".ods"):
        raise IngestError(
            Problem(
                "Tabellen bitte als CSV speichern (in Excel: Datei > Speichern unter "
                "> CSV UTF-8); Punkte werden aus CSV oder GeoJSON gelesen.",
                file,
                code="spreadsheet",
            )
        )
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    vector = raw.startswith((b"PK\x03\x04", b"SQLite format 3\x00"))
    if suffix in VECTOR_SUFFIXES or head in (b"{", b"[") or vector:
        records = _records_from_vector(raw, file, crs, problems)
    else:
        records = _records_from_csv(raw, file, crs, problems, errors)
    frame = _validate(records, file, default_source or file, problems, errors)
    if outline is not None:
        problems.extend(_outside(frame, outline, file))
    problems.append(
        Problem(
            f"{len(frame)} Einrichtungen gelesen.", file, severity=INFO, code="read"
        )
    )
    if any(p.severity == ERROR for p in problems):
        raise IngestError(problems)
    out = frame[list(COLUMNS)].reset_index(drop=True)
    out["opening_year"] = out["opening_year"].astype("Int32")
    return out, problems
