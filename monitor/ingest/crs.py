"""Which coordinate reference system a boundary file is in, and whether that fits.

German portals publish boundaries in ETRS89 / UTM 32N (EPSG:25832; 25833 in the east),
ETRS89-LAEA (EPSG:3035, the Zensus grid), the old Gauß-Krüger zones (EPSG:31466–31469)
and WGS84 lon/lat (EPSG:4326). A file's declared CRS is often wrong or missing (GeoJSON
by RFC 7946 is always lon/lat, yet many exports hold UTM metres), so the coordinates
are checked against the CRS before anything is transformed, and a misfit is reported
with the CRS the coordinates look like (pyproj's area of use is the reference).
"""

from __future__ import annotations

import pyproj

from monitor.ingest.problems import IngestError, Problem

__all__ = ["check_coordinates", "crs_from_geojson_member", "guess_crs", "to_crs"]

# Extents (x_min, y_min, x_max, y_max) of Germany in the common CRS, with margin.
_GERMANY = {
    "EPSG:4326": (5.0, 47.0, 16.0, 55.5),
    "EPSG:25832": (250_000, 5_200_000, 950_000, 6_120_000),
    "EPSG:25833": (-250_000, 5_200_000, 550_000, 6_120_000),
    "EPSG:3035": (4_000_000, 2_650_000, 4_700_000, 3_600_000),
    "EPSG:31466": (2_300_000, 5_200_000, 2_700_000, 6_120_000),
    "EPSG:31467": (3_250_000, 5_200_000, 3_950_000, 6_120_000),
    "EPSG:31468": (4_250_000, 5_200_000, 4_750_000, 6_120_000),
    "EPSG:31469": (5_250_000, 5_200_000, 5_750_000, 6_120_000),
}
_NAMES = {
    "EPSG:4326": "WGS84 Länge/Breite",
    "EPSG:25832": "ETRS89 / UTM Zone 32N",
    "EPSG:25833": "ETRS89 / UTM Zone 33N",
    "EPSG:3035": "ETRS89-LAEA Europa",
    "EPSG:31466": "Gauß-Krüger Zone 2",
    "EPSG:31467": "Gauß-Krüger Zone 3",
    "EPSG:31468": "Gauß-Krüger Zone 4",
    "EPSG:31469": "Gauß-Krüger Zone 5",
}


def to_crs(value, file: str = "") -> pyproj.CRS:
    """A pyproj CRS from ``"EPSG:25832"``, ``25832``, a URN or WKT; German error."""
    try:
        return pyproj.CRS.from_user_input(value)
    except pyproj.exceptions.CRSError as exc:
        raise IngestError(
            Problem(f"Das Koordinatensystem „{value}“ ist unbekannt.", file, code="crs")
        ) from exc


def crs_from_geojson_member(data, file: str = "") -> pyproj.CRS | None:
    """The CRS named in a GeoJSON ``crs`` member (GeoJSON 2008), if any.

    ``{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}}``;
    the OGC CRS84 URN is lon/lat (EPSG:4326).
    """
    if not isinstance(data, dict) or not isinstance(data.get("crs"), dict):
        return None
    props = data["crs"].get("properties") or {}
    name = props.get("name") or props.get("code")
    if not name:
        return None
    if "CRS84" in str(name).upper():
        return pyproj.CRS.from_epsg(4326)
    return to_crs(name, file)


def guess_crs(bounds) -> str | None:
    """The common German CRS whose extent of Germany holds ``bounds``, if one does."""
    x0, y0, x1, y1 = bounds
    for code, (ex0, ey0, ex1, ey1) in _GERMANY.items():
        if ex0 <= x0 and x1 <= ex1 and ey0 <= y0 and y1 <= ey1:
            return code
    return None


def _label(code: str) -> str:
    return f"{code} ({_NAMES[code]})" if code in _NAMES else code


def check_coordinates(bounds, crs: pyproj.CRS | None, file: str = "") -> None:
    """Refuse coordinates that cannot be in ``crs`` (or no CRS at all), naming the
    CRS they look like: degrees read as metres or metres read as degrees would put
    every area in the wrong place without any error."""
    guess = guess_crs(bounds)
    x0, y0, x1, y1 = bounds
    hint = (
        f" Die Koordinaten passen zu {_label(guess)}; bitte dieses "
        "Koordinatensystem beim Import angeben."
        if guess
        else ""
    )
    if crs is None:
        raise IngestError(
            Problem(
                "Die Datei nennt kein Koordinatensystem (z. B. fehlt die .prj-Datei "
                f"eines Shapefiles).{hint}",
                file,
                code="crs_missing",
            )
        )
    if crs.is_geographic:
        if x0 >= 47 and x1 <= 56 and y0 >= 5 and y1 <= 16:
            raise IngestError(
                Problem(
                    "Länge und Breite sind vertauscht (x ≈ Breite, y ≈ Länge).",
                    file,
                    code="crs_axis",
                )
            )
        if not (x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90):
            raise IngestError(
                Problem(
                    f"Die Koordinaten (x {x0:,.0f} … {x1:,.0f}, y {y0:,.0f} … "
                    f"{y1:,.0f}) sind keine Längen- und Breitengrade, obwohl die "
                    f"Datei {crs.to_string()} angibt.{hint}".replace(",", "."),
                    file,
                    code="crs_mismatch",
                )
            )
    elif x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90:
        raise IngestError(
            Problem(
                f"Die Datei gibt {crs.to_string()} (Meter) an, die Koordinaten sind "
                "aber Längen- und Breitengrade; bitte EPSG:4326 angeben.",
                file,
                code="crs_mismatch",
            )
        )
