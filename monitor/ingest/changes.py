"""What a staged version changes against the served one, before anyone publishes.

Compared are the published files (what the app would show): areas by id, and the
values by area, indicator and year (a value counts as changed when its number or
its status differs). DuckDB reads both folders, so a large folder is compared
without loading it into memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from monitor.formatting import fmt_number

__all__ = ["Changes", "compare_folders", "summary_lines"]

_LIST_MAX = 8


@dataclass(frozen=True)
class Changes:
    """Figures of the staged folder and its differences to the served one."""

    rows: int
    areas: int
    years: tuple[int, ...]
    indicators: tuple[str, ...]
    new_areas: tuple[str, ...]
    removed_areas: tuple[str, ...]
    new_indicators: tuple[str, ...]
    removed_indicators: tuple[str, ...]
    new_years: tuple[int, ...]
    removed_years: tuple[int, ...]
    changed_values: int
    new_values: int
    removed_values: int

    @property
    def any(self) -> bool:
        return bool(
            self.new_areas
            or self.removed_areas
            or self.changed_values
            or self.new_values
            or self.removed_values
        )


_EMPTY_AREAS = "SELECT ''::VARCHAR AS area_id WHERE false"
_EMPTY_VALUES = (
    "SELECT ''::VARCHAR AS area_id, ''::VARCHAR AS indicator_id, 0::BIGINT AS year, "
    "0::DOUBLE AS value, ''::VARCHAR AS status WHERE false"
)


def _values(con, folder: Path):
    single = folder / "indicator_values.parquet"
    if single.is_file():
        return con.read_parquet(str(single))
    glob = folder / "indicator_values" / "*" / "*" / "*" / "*.parquet"
    return con.read_parquet(str(glob), hive_partitioning=True)


def _register(con, folder: Path | None, name: str) -> None:
    """Views ``<name>_areas`` and ``<name>_values`` over a folder (no SQL is
    formatted from a path: DuckDB's relation API reads the files)."""
    if folder is None:
        con.sql(_EMPTY_AREAS).create_view(f"{name}_areas")
        con.sql(_EMPTY_VALUES).create_view(f"{name}_values")
        return
    con.read_parquet(str(folder / "areas.parquet")).project("area_id").create_view(
        f"{name}_areas"
    )
    _values(con, folder).project(
        "area_id, CAST(indicator_id AS VARCHAR) AS indicator_id, "
        "CAST(year AS BIGINT) AS year, "
        "CASE WHEN isnan(value) THEN NULL ELSE value END AS value, status"
    ).create_view(f"{name}_values")


def _column(con, sql: str) -> tuple:
    return tuple(row[0] for row in con.execute(sql).fetchall())


def compare_folders(before: Path | None, after: Path) -> Changes:
    """The changes from ``before`` (None: nothing served yet) to ``after``."""
    con = duckdb.connect()
    try:
        _register(con, before, "old")
        _register(con, Path(after), "new")
        return _changes(con)
    finally:
        con.close()


def _changes(con) -> Changes:
    diff = con.execute(
        "SELECT "
        "count(*) FILTER (WHERE o.area_id IS NOT NULL AND n.area_id IS NOT NULL AND "
        "(o.status IS DISTINCT FROM n.status OR "
        "(o.value IS NULL) <> (n.value IS NULL) OR "
        "abs(o.value - n.value) > 1e-9)), "
        "count(*) FILTER (WHERE o.area_id IS NULL), "
        "count(*) FILTER (WHERE n.area_id IS NULL) "
        "FROM old_values AS o FULL OUTER JOIN new_values AS n "
        "USING (area_id, indicator_id, year)"
    ).fetchone()
    return Changes(
        rows=con.execute("SELECT count(*) FROM new_values").fetchone()[0],
        areas=con.execute("SELECT count(*) FROM new_areas").fetchone()[0],
        years=_column(con, "SELECT DISTINCT year FROM new_values ORDER BY 1"),
        indicators=_column(
            con, "SELECT DISTINCT indicator_id FROM new_values ORDER BY 1"
        ),
        new_areas=_column(
            con,
            "SELECT area_id FROM new_areas EXCEPT SELECT area_id FROM old_areas "
            "ORDER BY 1",
        ),
        removed_areas=_column(
            con,
            "SELECT area_id FROM old_areas EXCEPT SELECT area_id FROM new_areas "
            "ORDER BY 1",
        ),
        new_indicators=_column(
            con,
            "SELECT DISTINCT indicator_id FROM new_values EXCEPT "
            "SELECT DISTINCT indicator_id FROM old_values ORDER BY 1",
        ),
        removed_indicators=_column(
            con,
            "SELECT DISTINCT indicator_id FROM old_values EXCEPT "
            "SELECT DISTINCT indicator_id FROM new_values ORDER BY 1",
        ),
        new_years=_column(
            con,
            "SELECT DISTINCT year FROM new_values EXCEPT "
            "SELECT DISTINCT year FROM old_values ORDER BY 1",
        ),
        removed_years=_column(
            con,
            "SELECT DISTINCT year FROM old_values EXCEPT "
            "SELECT DISTINCT year FROM new_values ORDER BY 1",
        ),
        changed_values=int(diff[0]),
        new_values=int(diff[1]),
        removed_values=int(diff[2]),
    )


def _listed(items) -> str:
    shown = ", ".join(str(i) for i in items[:_LIST_MAX])
    more = len(items) - _LIST_MAX
    return shown + (f" … und {more} weitere" if more > 0 else "")


def _n(value: int) -> str:
    return fmt_number(value, "de", 0)


def summary_lines(changes: Changes) -> list[str]:
    """The summary in German, one line per fact (the CLI prints them; the page
    shows the same figures as a table)."""
    c = changes
    years = f"{c.years[0]}–{c.years[-1]}" if c.years else "keine"
    lines = [
        f"Werte: {_n(c.rows)}, Gebiete: {_n(c.areas)}, Jahre: {years}, "
        f"Indikatoren: {len(c.indicators)}",
        f"Geänderte Werte: {_n(c.changed_values)}, neue: {_n(c.new_values)}, "
        f"entfallene: {_n(c.removed_values)}",
    ]
    for label, items in (
        ("Neue Gebiete", c.new_areas),
        ("Entfallene Gebiete", c.removed_areas),
        ("Neue Indikatoren", c.new_indicators),
        ("Entfallene Indikatoren", c.removed_indicators),
        ("Neue Jahre", c.new_years),
        ("Entfallene Jahre", c.removed_years),
    ):
        if items:
            lines.append(f"{label} ({_n(len(items))}): {_listed(items)}")
    if not c.any:
        lines.append("Keine Änderung gegenüber der veröffentlichten Version.")
    return lines
