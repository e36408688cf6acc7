"""Data access: one DuckDB connection over the Parquet files of the data folder.

Every question the UI asks is a file in queries/ with DuckDB named parameters; this
module only loads those files and binds parameters, it never formats SQL from input.
A DuckDB connection is not safe to share between threads (DuckDB documentation,
Python guide "Multiple Python Threads": each thread uses its own ``.cursor()``), so
the shared connection hands each thread, i.e. each Streamlit session's script thread,
its own cursor.

Every question reads indicator values through one view, ``published_values``
(queries/published_values.sql), which applies the catalogue's primary rule and
masks suppressed cells. A folder is shown only when it is protected: either its
``disclosure.json`` (written by ``monitor.ingest.publish``) matches its values, or
the Store runs the publish step (primary and secondary suppression with the LP
audit, ``monitor.methods.disclosure``) on the folder's counts in memory at start.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml

from monitor import versions
from monitor.catalog import Catalog, CatalogError, load_catalog
from monitor.ingest.partition import (
    MANIFEST,
    MANIFEST_FORMAT,
    area_ids_fingerprint,
    partition_path,
)
from monitor.methods.disclosure import publish
from monitor.methods.disclosure.publish import REPORT_FORMAT
from monitor.methods.disclosure.structure import CountModel, CountModelError
from monitor.methods.focus_membership import FocusMembershipError, focus_members
from monitor.place import Place, PlaceError, build_place
from monitor.points import COLUMNS as POINT_COLUMNS
from monitor.programme import schema
from monitor.schema import BENCHMARK_COLUMNS, CORE_COLUMNS
from monitor.statuses import (
    FLAG_COLUMN,
    STATUS_CODES,
    keep_source_statuses,
    status_codes,
)

__all__ = [
    "DISCLOSURE_FILE",
    "ON_LOAD_LIMIT",
    "DataError",
    "Disclosure",
    "LevelArrays",
    "Store",
    "STATUS_CODES",
    "DEFAULT_DATA_DIR",
    "QUERY_DIR",
    "disclosure_fingerprint",
    "read_count_model",
]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data" / "demo"
QUERY_DIR = ROOT / "queries"

REQUIRED_COLUMNS = {name: set(columns) for name, columns in CORE_COLUMNS.items()}
DISCLOSURE_FILE = "disclosure.json"
# A folder without a matching disclosure report is protected in memory at start up
# to this many value rows (the demo: 126,000 rows, about a minute); a larger or
# partitioned one must be published first (python -m monitor.ingest.publish).
ON_LOAD_LIMIT = 300_000


# Optional files: comparison values (Landkreis, Saarland), programme data (goals,
# measures, progress reports; contract monitor/programme/schema.py) and points. A
# folder without them (an older city folder) still opens, and so does one where one
# of them is broken: their questions then return empty frames with these columns,
# and ``Store.problems`` names the broken file for the pages that need it.
OPTIONAL_COLUMNS = {
    "benchmarks.parquet": BENCHMARK_COLUMNS,
    **{file_name: schema.names(cols) for file_name, cols in schema.FILES.items()},
    # infrastructure points on the map (contract: monitor/points.py)
    "points.parquet": POINT_COLUMNS,
}


class DataError(RuntimeError):
    """The data folder cannot be used; the message is German and names the problem."""


def _not_regular(name: str) -> DataError:
    """The error for a path that exists but is no regular file (a folder, a pipe, a
    device): never opened, as reading a pipe would block the server."""
    return DataError(
        f"Die Datei {name} ist nicht lesbar: an ihrer Stelle liegt keine normale "
        "Datei (z. B. ein Ordner)."
    )


def _exists(path: Path) -> bool:
    """Whether anything (also a broken link or a pipe) is at ``path``."""
    return path.exists() or path.is_symlink()


@dataclass(frozen=True)
class LevelArrays:
    """One indicator-year on one level as read-only arrays, aligned by position with
    ``Store.level_areas(level)``; suppressed and missing cells hold NaN.

    What a map of a million raster cells needs: no strings, no per-row objects
    (docs/PERFORMANCE.md, scale scenario). Numerators and denominators are read on
    first use: the map itself needs only values and status.
    """

    value: np.ndarray
    status: np.ndarray  # uint8 codes into STATUS_CODES
    load_counts: Callable[[], tuple[np.ndarray, np.ndarray]] = field(
        repr=False, compare=False
    )
    _counts: list = field(default_factory=list, repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.value)

    def _loaded(self) -> tuple[np.ndarray, np.ndarray]:
        if not self._counts:
            numerator, denominator = self.load_counts()
            for array in (numerator, denominator):
                array.flags.writeable = False
            self._counts.append((numerator, denominator))
        return self._counts[0]

    @property
    def numerator(self) -> np.ndarray:
        return self._loaded()[0]

    @property
    def denominator(self) -> np.ndarray:
        return self._loaded()[1]

    def status_labels(self) -> np.ndarray:
        return np.asarray(STATUS_CODES, dtype=object)[self.status]


# Optional columns of areas.parquet: the Store adds them as NULL when a folder lacks
# them, so that every question can name them (docs/DATA.md).
OPTIONAL_AREA_COLUMNS = {"focus_id": "VARCHAR", "area_km2": "DOUBLE"}


@dataclass(frozen=True)
class DataMeta:
    title: str
    title_en: str
    is_demo: bool
    data_version: str
    data_date: str
    attribution: str
    note_de: str
    note_en: str
    # the served version (monitor/versions.py), for the footer and the exports
    version_id: str = ""
    published_at: str = ""


@dataclass(frozen=True)
class Disclosure:
    """How the shown values are protected: ``verified`` (the folder's report
    matches its values) or ``on_load`` (the Store suppressed them at start), with
    the report of the audit."""

    origin: str
    report: dict


def read_count_model(catalog_path: Path) -> CountModel:
    """The ``counts`` section of the catalogue (which indicators share a count)."""
    try:
        raw = yaml.safe_load(Path(catalog_path).read_text(encoding="utf-8")) or {}
        return CountModel.from_mapping(raw.get("counts"))
    except (OSError, yaml.YAMLError, AttributeError, CountModelError) as exc:
        raise DataError(
            f"Der Abschnitt „counts“ des Indikatorenkatalogs ist ungültig: {exc}"
        ) from exc


def _catalogue_digest(catalog: Catalog, model: CountModel) -> str:
    """What of the catalogue the audit depends on: thresholds, units, levels, counts."""
    payload = {
        "indicators": [
            [i.id, i.unit, i.min_numerator, i.min_denominator, list(i.levels)]
            for i in sorted(catalog.indicators, key=lambda i: i.id)
        ],
        "numerator": dict(sorted(model.numerator.items())),
        "denominator": dict(sorted(model.denominator.items())),
        "sums": [list(map(str, r)) for r in model.sums],
        "contains": [list(map(str, r)) for r in model.contains],
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def disclosure_fingerprint(
    con: duckdb.DuckDBPyConnection, catalog: Catalog, model: CountModel
) -> str:
    """SHA-256 over the area tree, the catalogue's rules and, per indicator and
    year, rows, suppressed rows, counts left in suppressed rows and the sums of the
    published counts; ``con`` has the views ``areas`` and ``indicator_values``.
    Independent of the file layout (one file or partitions)."""
    digest = hashlib.sha256(_catalogue_digest(catalog, model).encode("utf-8"))
    areas = con.execute(_sql("disclosure_areas")).fetchall()[0][0]
    digest.update(f"\nareas {areas}\n".encode())
    for row in con.execute(_sql("disclosure_values")).fetchall():
        indicator_id, year, n_rows, n_supp, n_leak, num, den = row
        digest.update(
            f"{indicator_id}|{year}|{n_rows}|{n_supp}|{n_leak}|"
            f"{float(num):.3f}|{float(den):.3f}\n".encode()
        )
    return digest.hexdigest()


def _with_flag(relation: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """Values without a ``flag`` column (folders before flags existed) get an
    empty one, so every question can select it."""
    if FLAG_COLUMN in relation.columns:
        return relation
    return relation.project(f"*, CAST(NULL AS VARCHAR) AS {FLAG_COLUMN}")


@cache
def _sql(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"unknown query {name!r}")
    return path.read_text(encoding="utf-8")


class Store:
    """The data folder behind one DuckDB connection (create once per process).

    ``data_dir`` is a data folder or a versioned data root (monitor/versions.py),
    of which the served version is opened; ``version`` names the version to open
    (the UI resolves the pointer itself on every script run). ``root`` is the data
    root the folder belongs to (the folder itself when it is not versioned).
    """

    def __init__(self, data_dir: str | Path, version: versions.Version | None = None):
        path = Path(data_dir)
        if version is None:
            if not path.is_dir():
                raise DataError(
                    f"Der Datenordner „{path}“ existiert nicht. Bitte die "
                    "Einstellung QM_DATA_DIR prüfen oder `make demo-data` ausführen."
                )
            try:
                version = versions.current(path)
            except versions.VersionError as exc:
                raise DataError(str(exc)) from exc
        self.version = version
        self.root = version.root
        self.data_dir = version.path
        if not self.data_dir.is_dir():
            raise DataError(f"Der Datenordner „{self.data_dir}“ existiert nicht.")
        try:
            self.catalog: Catalog = load_catalog(
                self.data_dir / "catalog" / "indicators.yaml"
            )
        except CatalogError as exc:
            raise DataError(str(exc)) from exc
        self.meta = self._read_meta()
        self._con = duckdb.connect()
        self._local = threading.local()
        self._lock = threading.Lock()
        self._level_areas: dict[str, pd.DataFrame] = {}
        self._fingerprints: dict[str, str] = {}
        self.values_dir = self.data_dir / "indicator_values"
        self.partitioned = (
            not (self.data_dir / "indicator_values.parquet").is_file()
            and self.values_dir.is_dir()
        )
        self._manifest = self._read_manifest() if self.partitioned else None
        for file_name, columns in REQUIRED_COLUMNS.items():
            path = self.data_dir / file_name
            if file_name == "indicator_values.parquet" and self.partitioned:
                relation = self._partitioned_values()
            elif not _exists(path):
                raise DataError(f"Im Datenordner fehlt die Datei {file_name}.")
            else:
                relation = self._read_parquet(path, file_name, columns)
            if file_name == "areas.parquet":
                relation = self._with_optional_columns(relation)
            if file_name == "indicator_values.parquet":
                relation = _with_flag(relation)
            relation.create_view(file_name.removesuffix(".parquet"))
        self.count_model = read_count_model(
            self.data_dir / "catalog" / "indicators.yaml"
        )
        self.problems: dict[str, str] = {}
        """Optional tables whose file is broken -> German message (a page that
        needs one shows it; the rest of the app works)."""
        self.optional_tables = self._register_optional()
        self.focus_members, self.place = self._read_place()
        self.disclosure = self._protect()
        self._register_published_values()

    @staticmethod
    def _with_optional_columns(relation: duckdb.DuckDBPyRelation):
        """areas with every optional column (NULL where the file has none), and
        with a geometry column even when the file is plain Parquet with WKB."""
        added = [
            f"CAST(NULL AS {kind}) AS {name}"
            for name, kind in OPTIONAL_AREA_COLUMNS.items()
            if name not in relation.columns
        ]
        types = dict(zip(relation.columns, map(str, relation.types), strict=True))
        star = (
            "* REPLACE (ST_GeomFromWKB(geometry) AS geometry)"
            if types.get("geometry") == "BLOB"
            else "*"
        )
        if not added and star == "*":
            return relation
        return relation.project(", ".join([star, *added]))

    def _benchmark_names(self) -> pd.DataFrame:
        """Every benchmark once with its names (none without benchmarks.parquet)."""
        if "benchmarks" not in self.optional_tables:
            return pd.DataFrame(columns=["benchmark_id", "name_de", "name_en"])
        return self.query("benchmark_names")

    # -- the place: city, Perspektivquartiere, benchmarks (monitor/place.py) -----------
    def _read_place(self) -> tuple[pd.Series, Place]:
        """Which Perspektivquartier each area lies in, and the place of the folder
        (built once per Store; a bad ``place`` block is a DataError)."""
        frame = self.query("place_areas")
        geoms = shapely.from_wkb(
            [None if b is None else bytes(b) for b in frame.pop("wkb")]
        )
        areas = gpd.GeoDataFrame(frame, geometry=geoms, crs="EPSG:4326")
        if len(areas) and areas.geometry.notna().all():
            areas = areas.to_crs(areas.estimate_utm_crs())
        indicators = self.catalog.indicators
        try:
            members = focus_members(areas)
            place = build_place(
                areas,
                self._benchmark_names(),
                self._meta_json,
                [i.id for i in indicators],
                [i.id for i in indicators if i.in_index],
                count_ids=[i.id for i in indicators if i.unit == "count"],
                members=members.to_dict(),
                levels=list(self.query("area_levels").level.astype(str)),
            )
        except (PlaceError, FocusMembershipError) as exc:
            raise DataError(str(exc)) from exc
        return members, place

    def _read_parquet(
        self, path: Path, file_name: str, columns
    ) -> duckdb.DuckDBPyRelation:
        """A Parquet file as a relation with at least ``columns``; DataError names
        what is wrong (no regular file, no readable Parquet, columns missing)."""
        if not path.is_file():
            raise _not_regular(file_name)
        try:
            relation = self._con.read_parquet(str(path))
        except duckdb.Error as exc:
            raise DataError(
                f"Die Datei {file_name} ist keine lesbare Parquet-Datei."
            ) from exc
        missing = set(columns) - set(relation.columns)
        if missing:
            raise DataError(
                f"In {file_name} fehlen die Spalten: {', '.join(sorted(missing))}."
            )
        return relation

    # -- confidentiality -------------------------------------------------------------
    def _read_report(self) -> dict | None:
        path = self.data_dir / DISCLOSURE_FILE
        if not path.is_file():
            return None
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError, UnicodeDecodeError):
            return None
        return report if isinstance(report, dict) else None

    def _protect(self) -> Disclosure:
        """Trust the folder's report if it matches the values, else suppress now."""
        report = self._read_report()
        try:
            if (
                report is not None
                and report.get("format") == REPORT_FORMAT
                and report.get("passed") is True
                and report.get("fingerprint")
                == disclosure_fingerprint(self._con, self.catalog, self.count_model)
            ):
                return Disclosure("verified", report)
            return self._protect_on_load()
        except duckdb.Error as exc:
            # a file whose footer reads but whose pages are damaged fails here,
            # on the first full scan of the values
            raise DataError(
                "Die Indikatorwerte sind nicht vollständig lesbar (beschädigte "
                f"Parquet-Datei?): {str(exc).splitlines()[0]}"
            ) from exc

    def _protect_on_load(self) -> Disclosure:
        """Primary and secondary suppression of the folder's counts, in memory."""
        command = "python -m monitor.ingest.publish QUELLORDNER ZIELORDNER"
        if self.partitioned:
            raise DataError(
                "Der Datenordner hat keinen passenden Geheimhaltungsbericht "
                f"({DISCLOSURE_FILE}); ein partitionierter Ordner wird nicht beim "
                f"Start geprüft. Bitte die Daten mit `{command}` veröffentlichen."
            )
        n_rows = self._con.execute("SELECT count(*) FROM indicator_values").fetchall()[
            0
        ]
        if n_rows[0] > ON_LOAD_LIMIT:
            size = f"{n_rows[0]:,}".replace(",", ".")
            raise DataError(
                f"Der Datenordner hat keinen passenden Geheimhaltungsbericht "
                f"({DISCLOSURE_FILE}) und ist mit {size} Werten zu groß, um beim "
                f"Start geprüft zu werden. Bitte mit `{command}` veröffentlichen."
            )
        counts = self._con.sql(
            "SELECT area_id, indicator_id, year, numerator, denominator, status, "
            "flag FROM indicator_values"
        ).df()
        withheld = (counts["status"] == "suppressed").to_numpy()
        if counts.loc[withheld, "numerator"].isna().any():
            raise DataError(
                "Die Werte des Datenordners passen nicht zu seinem "
                f"Geheimhaltungsbericht ({DISCLOSURE_FILE}), und gesperrte Werte "
                "haben keine Zähler mehr, aus denen die Geheimhaltung neu berechnet "
                f"werden könnte. Bitte die Rohdaten mit `{command}` veröffentlichen."
            )
        areas = self._con.sql(
            "SELECT area_id, level, parent_id, in_focus FROM areas"
        ).df()
        areas["focus_id"] = areas["area_id"].map(self.focus_members)
        try:
            publication = publish(
                counts, areas, self.catalog, self.count_model, withheld=withheld
            )
        except (ValueError, RuntimeError) as exc:
            raise DataError(
                f"Die Geheimhaltung der Werte ließ sich nicht berechnen: {exc}"
            ) from exc
        self._con.execute("DROP VIEW IF EXISTS indicator_values")
        values = keep_source_statuses(publication.values, counts)
        self._con.from_df(values).create("indicator_values")
        return Disclosure("on_load", publication.report)

    def _register_published_values(self) -> None:
        """The catalogue's thresholds as a table and the masking view over them."""
        thresholds = pd.DataFrame(
            {
                "indicator_id": [i.id for i in self.catalog.indicators],
                "min_numerator": [i.min_numerator for i in self.catalog.indicators],
                "min_denominator": [i.min_denominator for i in self.catalog.indicators],
            }
        )
        self._con.from_df(thresholds).create("suppression_thresholds")
        self._con.execute(_sql("published_values"))

    def _partitioned_values(self) -> duckdb.DuckDBPyRelation:
        """The hive folder indicator_id=/year=/level= as one relation (see
        monitor/ingest/partition.py); partition keys typed as in the single file."""
        glob = str(self.values_dir / "*" / "*" / "*" / "*.parquet")
        try:
            relation = self._con.read_parquet(glob, hive_partitioning=True)
            flag = (
                FLAG_COLUMN
                if FLAG_COLUMN in relation.columns
                else f"CAST(NULL AS VARCHAR) AS {FLAG_COLUMN}"
            )
            return relation.project(
                "area_id, CAST(indicator_id AS VARCHAR) AS indicator_id, "
                "CAST(year AS BIGINT) AS year, numerator, denominator, value, "
                f"status, {flag}, CAST(level AS VARCHAR) AS level"
            )
        except duckdb.Error as exc:
            raise DataError(
                "Der Ordner indicator_values enthält keine lesbaren Parquet-Dateien "
                "im Aufbau indicator_id=…/year=…/level=…/*.parquet."
            ) from exc

    def _read_manifest(self) -> dict | None:
        """The partition manifest, or None (then every question goes through SQL)."""
        path = self.values_dir / MANIFEST
        if not path.is_file():
            return None
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
            raise DataError(
                f"Die Datei indicator_values/{MANIFEST} ist kein gültiges JSON."
            ) from exc
        if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
            raise DataError(
                f"Die Datei indicator_values/{MANIFEST} hat ein unbekanntes Format "
                f"(erwartet: {MANIFEST_FORMAT})."
            )
        manifest["aligned"] = frozenset(manifest.get("aligned") or ())
        return manifest

    def _read_meta(self) -> DataMeta:
        path = self.data_dir / "meta.json"
        if not _exists(path):
            raise DataError("Im Datenordner fehlt die Datei meta.json.")
        if not path.is_file():
            raise _not_regular("meta.json")
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
            raise DataError("Die Datei meta.json ist kein gültiges JSON.") from exc
        if not isinstance(raw, dict):
            raise DataError("Die Datei meta.json muss ein JSON-Objekt sein.")
        self._meta_json = raw
        return DataMeta(
            title=str(raw.get("title", "")),
            title_en=str(raw.get("title_en", "")),
            is_demo=bool(raw.get("is_demo", False)),
            data_version=str(raw.get("data_version", "")),
            data_date=str(raw.get("data_date", "")),
            attribution=str(raw.get("attribution", "")),
            note_de=str(raw.get("note_de", "")),
            note_en=str(raw.get("note_en", "")),
            version_id=self.version.id,
            published_at=self.version.published_at,
        )

    @property
    def cache_key(self) -> str:
        """What the UI's caches key a Store by: the data folder, the version id
        and the data version of its meta.json (a new version or a republished
        folder gets new cache entries)."""
        return f"{self.data_dir}@{self.version.id}@{self.meta.data_version}"

    # -- plumbing -----------------------------------------------------------------
    @property
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the shared connection."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
        return cur

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with named parameters and return a DataFrame."""
        try:
            return self.cursor.execute(_sql(name), params).df()
        except duckdb.Error as exc:
            raise DataError(
                f"Die Abfrage „{name}“ ist an den Daten gescheitert (Einzelheiten im "
                "Server-Protokoll)."
            ) from exc

    def query_strings(self, name: str, **params) -> pd.DataFrame:
        """As ``query``, through Arrow: for string-heavy answers with a million rows
        (1 M areas: peak RSS 440 instead of 730 MiB; same frame, tested)."""
        try:
            return (
                self.cursor.sql(_sql(name), params=params).to_arrow_table().to_pandas()
            )
        except duckdb.Error as exc:
            raise DataError(
                f"Die Abfrage „{name}“ ist an den Daten gescheitert (Einzelheiten im "
                "Server-Protokoll)."
            ) from exc

    # -- questions ------------------------------------------------------------------
    def areas(self) -> pd.DataFrame:
        return self.query_strings("areas")

    def geometries(self, level: str) -> gpd.GeoDataFrame:
        df = self.query("area_geometries", level=level)
        geoms = shapely.from_wkb([bytes(b) for b in df.pop("wkb")])
        return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")

    def geometry_chunks(self, level: str, rows: int = 100_000):
        """The geometries of ``level`` (EPSG:4326, in id order) as arrays of at most
        ``rows`` shapely geometries: a million cells at once would hold ~500 MiB."""
        try:
            reader = self.cursor.sql(
                _sql("area_geometries"), params={"level": level}
            ).to_arrow_reader(rows)
            for batch in reader:
                wkb = batch.column("wkb").to_numpy(zero_copy_only=False)
                yield shapely.from_wkb(wkb)
        except duckdb.Error as exc:
            raise DataError(
                f"Die Geometrien der Ebene „{level}“ sind nicht lesbar: {exc}"
            ) from exc

    def level_areas(self, level: str) -> pd.DataFrame:
        """Ids, names, parents and focus flag of one level, sorted by id: the row
        order of ``level_values`` and ``level_arrays`` (kept per Store)."""
        with self._lock:
            frame = self._level_areas.get(level)
            if frame is None:
                frame = self.query_strings("level_areas", level=level)
                self._level_areas[level] = frame
            return frame

    def _aligned_partition(self, indicator_id: str, year: int, level: str):
        """Path of the partition file when it holds one row per area of ``level``
        in id order and the level's areas still match the manifest; else None."""
        manifest = self._manifest
        if manifest is None or indicator_id not in self.catalog.ids:
            return None
        if f"{indicator_id}/{int(year)}/{level}" not in manifest["aligned"]:
            return None
        expected = (manifest.get("levels") or {}).get(level) or {}
        fingerprint = self._fingerprints.get(level)
        if fingerprint is None:
            fingerprint = area_ids_fingerprint(self.level_areas(level).area_id)
            self._fingerprints[level] = fingerprint
        if fingerprint != expected.get("area_ids_sha1"):
            return None
        path = partition_path(self.values_dir, indicator_id, year, level)
        return path if path.is_file() else None

    def level_arrays(self, indicator_id: str, year: int, level: str) -> LevelArrays:
        """One indicator-year of one level as arrays aligned with ``level_areas``.

        An aligned partition is read by position (no join, no strings: p95 55 ms at
        1 M cells); anything else goes through ``level_values``."""
        path = self._aligned_partition(indicator_id, year, level)
        if path is None:
            frame = self.query(
                "level_values", indicator=indicator_id, year=int(year), level=level
            )
            codes = status_codes(frame["status"])
            value, numerator, denominator = (
                frame[col].to_numpy(dtype=float, na_value=np.nan)
                for col in ("value", "numerator", "denominator")
            )

            def counts():
                return numerator, denominator

            value.flags.writeable = False
            codes.flags.writeable = False
            return LevelArrays(value=value, status=codes, load_counts=counts)
        return self._partition_arrays(path)

    def _partition_arrays(self, path: Path) -> LevelArrays:
        """An aligned partition as arrays; counts read on first use."""
        raw = self._partition("partition_values", path)
        value = np.ma.filled(raw["value"], np.nan).astype(float, copy=False)
        codes = np.ma.filled(raw["status_code"], 2).astype(np.uint8, copy=False)

        def counts():
            raw = self._partition("partition_counts", path)
            return tuple(
                np.ma.filled(raw[col], np.nan).astype(float, copy=False)
                for col in ("numerator", "denominator")
            )

        value.flags.writeable = False
        codes.flags.writeable = False
        return LevelArrays(value=value, status=codes, load_counts=counts)

    def _partition(self, name: str, path: Path) -> dict[str, np.ndarray]:
        try:
            return self.cursor.execute(_sql(name), {"path": str(path)}).fetchnumpy()
        except duckdb.Error as exc:
            raise DataError(
                f"Die Datei {path.relative_to(self.data_dir)} ist nicht lesbar: {exc}"
            ) from exc

    def level_values(self, indicator_id: str, year: int, level: str) -> pd.DataFrame:
        path = self._aligned_partition(indicator_id, year, level)
        if path is None:
            return self.query(
                "level_values", indicator=indicator_id, year=int(year), level=level
            )
        arrays = self._partition_arrays(path)
        frame = self.level_areas(level).copy()
        frame["numerator"] = arrays.numerator
        frame["denominator"] = arrays.denominator
        frame["value"] = arrays.value
        frame["status"] = pd.Series(
            arrays.status_labels(), index=frame.index, dtype=frame["area_id"].dtype
        )
        frame[FLAG_COLUMN] = pd.Series([None] * len(frame), index=frame.index)
        # as DuckDB's .df() answers: a text column without any value is object
        empty = [c for c in ("parent_id", "name") if frame[c].isna().all()]
        for column in empty:
            frame[column] = pd.Series(
                [None] * len(frame), index=frame.index, dtype=object
            )
        return frame

    def area_values(self, area_ids: list[str]) -> pd.DataFrame:
        return self.query("area_values", area_ids=list(area_ids))

    def benchmark_values(self, indicator_ids: list[str]) -> pd.DataFrame:
        """Comparison values (Landkreis, Saarland …) of these indicators (empty
        when the data folder has no readable benchmarks.parquet)."""
        if "benchmarks" not in self.optional_tables:
            return pd.DataFrame(columns=list(BENCHMARK_COLUMNS))
        return self.query("benchmark_values", indicator_ids=list(indicator_ids))

    def indicator_years(self) -> pd.DataFrame:
        return self.query("indicator_years")

    def inventory(self) -> pd.DataFrame:
        return self.query("data_inventory")

    def level_panel(self, level: str) -> pd.DataFrame:
        """Every indicator and year of every area of ``level`` (masked)."""
        return self.query("level_panel", level=level)

    # -- programme data (optional files) ---------------------------------------------
    def _register_optional(self) -> frozenset[str]:
        """Tables of the optional files that exist, validated like the required
        ones and read whole at start (small files; a damaged page fails here, not
        in a page later). A broken one is left out and named in ``problems``."""
        present = set()
        for file_name, columns in OPTIONAL_COLUMNS.items():
            path = self.data_dir / file_name
            if not _exists(path):
                continue
            name = file_name.removesuffix(".parquet")
            try:
                relation = self._read_parquet(path, file_name, columns)
                relation.create(name)
            except DataError as exc:
                self.problems[name] = str(exc)
                continue
            except duckdb.Error:
                self._con.execute(f'DROP TABLE IF EXISTS "{name}"')
                self.problems[name] = (
                    f"Die Datei {file_name} ist beschädigt und wird nicht verwendet."
                )
                continue
            present.add(name)
        return frozenset(present)

    def _optional_query(self, table: str, name: str) -> pd.DataFrame:
        if table not in self.optional_tables:
            return pd.DataFrame(columns=list(OPTIONAL_COLUMNS[f"{table}.parquet"]))
        return self.query(name)

    def goals(self) -> pd.DataFrame:
        """Goals of the programme (empty when the data folder has none)."""
        return self._optional_query("goals", "programme_goals")

    def measures(self) -> pd.DataFrame:
        """Measures of the programme (empty when the data folder has none)."""
        return self._optional_query("measures", "programme_measures")

    def progress_reports(self) -> pd.DataFrame:
        """Published progress reports of the measures (empty when none)."""
        return self._optional_query("progress_reports", "programme_reports")

    def points(self) -> pd.DataFrame:
        """Infrastructure points (Kitas, schools …; empty when the data folder
        has no points.parquet)."""
        return self._optional_query("points", "points")
