"""Data access: one DuckDB connection over the Parquet files of the data folder.

Every question the UI asks is a file in queries/ with DuckDB named parameters; this
module only loads those files and binds parameters, it never formats SQL from input.
DuckDB connections are not safe to share between threads (DESIGN.md §8: "connection
is busy"), so the shared connection hands each thread, i.e. each Streamlit session's
script thread, its own cursor.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import shapely

from monitor.catalog import Catalog, CatalogError, load_catalog

__all__ = ["DataError", "Store", "DEFAULT_DATA_DIR", "QUERY_DIR"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data" / "demo"
QUERY_DIR = ROOT / "queries"

REQUIRED_COLUMNS = {
    "areas.parquet": {"area_id", "name", "level", "parent_id", "in_focus", "geometry"},
    "indicator_values.parquet": {
        "area_id",
        "indicator_id",
        "year",
        "numerator",
        "denominator",
        "value",
        "status",
    },
    "benchmarks.parquet": {
        "benchmark_id",
        "name_de",
        "name_en",
        "indicator_id",
        "year",
        "value",
    },
}


# Programme data (goals, measures, progress reports): optional, so that a data folder
# without them (an older city folder) still opens; their questions then return empty
# frames with these columns.
OPTIONAL_COLUMNS = {
    "goals.parquet": (
        "goal_id",
        "title",
        "working_group",
        "working_group_name",
        "handlungsfeld",
        "indicator_id",
        "area_id",
        "direction",
        "baseline_year",
        "baseline_value",
        "target_year",
        "target_value",
        "source",
    ),
    "measures.parquet": (
        "measure_id",
        "title",
        "handlungsfeld",
        "working_group",
        "responsible",
        "lead",
        "start",
        "end",
        "status",
        "budget_eur",
        "output_indicator",
        "output_unit",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "goal_ids",
        "outcome_indicator_ids",
        "area_id",
        "lon",
        "lat",
        "source",
        "comment",
    ),
    "progress_reports.parquet": (
        "report_id",
        "measure_id",
        "report_date",
        "value",
        "status",
        "comment",
        "reported_by",
    ),
}


class DataError(RuntimeError):
    """The data folder cannot be used; the message is German and names the problem."""


@dataclass(frozen=True)
class DataMeta:
    title: str
    is_demo: bool
    data_version: str
    data_date: str
    attribution: str
    note_de: str
    note_en: str


@cache
def _sql(name: str) -> str:
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise KeyError(f"unknown query {name!r}")
    return path.read_text(encoding="utf-8")


class Store:
    """The data folder behind one DuckDB connection (create once per process)."""

    def __init__(self, data_dir: str | Path):
        self.data_dir = Path(data_dir)
        if not self.data_dir.is_dir():
            raise DataError(
                f"Der Datenordner „{self.data_dir}“ existiert nicht. Bitte die "
                "Einstellung QM_DATA_DIR prüfen oder `make demo-data` ausführen."
            )
        try:
            self.catalog: Catalog = load_catalog(
                self.data_dir / "catalog" / "indicators.yaml"
            )
        except CatalogError as exc:
            raise DataError(str(exc)) from exc
        self.meta = self._read_meta()
        self._con = duckdb.connect()
        self._local = threading.local()
        for file_name, columns in REQUIRED_COLUMNS.items():
            path = self.data_dir / file_name
            if not path.is_file():
                raise DataError(f"Im Datenordner fehlt die Datei {file_name}.")
            try:
                relation = self._con.read_parquet(str(path))
            except duckdb.Error as exc:
                raise DataError(
                    f"Die Datei {file_name} ist keine lesbare Parquet-Datei."
                ) from exc
            missing = columns - set(relation.columns)
            if missing:
                raise DataError(
                    f"In {file_name} fehlen die Spalten: {', '.join(sorted(missing))}."
                )
            relation.create_view(file_name.removesuffix(".parquet"))
        self.optional_tables = self._register_optional()

    def _read_meta(self) -> DataMeta:
        path = self.data_dir / "meta.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise DataError("Im Datenordner fehlt die Datei meta.json.") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DataError("Die Datei meta.json ist kein gültiges JSON.") from exc
        return DataMeta(
            title=str(raw.get("title", "")),
            is_demo=bool(raw.get("is_demo", False)),
            data_version=str(raw.get("data_version", "")),
            data_date=str(raw.get("data_date", "")),
            attribution=str(raw.get("attribution", "")),
            note_de=str(raw.get("note_de", "")),
            note_en=str(raw.get("note_en", "")),
        )

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
                f"Die Abfrage „{name}“ ist an den Daten gescheitert: {exc}"
            ) from exc

    # -- questions ------------------------------------------------------------------
    def areas(self) -> pd.DataFrame:
        return self.query("areas")

    def geometries(self, level: str) -> gpd.GeoDataFrame:
        df = self.query("area_geometries", level=level)
        geoms = shapely.from_wkb([bytes(b) for b in df.pop("wkb")])
        return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")

    def level_values(self, indicator_id: str, year: int, level: str) -> pd.DataFrame:
        return self.query(
            "level_values", indicator=indicator_id, year=int(year), level=level
        )

    def area_values(self, area_ids: list[str]) -> pd.DataFrame:
        return self.query("area_values", area_ids=list(area_ids))

    def benchmark_values(self, indicator_ids: list[str]) -> pd.DataFrame:
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
        """Views over the optional programme files that exist; validated like the
        required ones."""
        present = set()
        for file_name, columns in OPTIONAL_COLUMNS.items():
            path = self.data_dir / file_name
            if not path.is_file():
                continue
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
            name = file_name.removesuffix(".parquet")
            relation.create_view(name)
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
