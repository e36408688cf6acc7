"""Write indicator values as one Parquet file per indicator, year and level.

Why: a map switch needs one indicator in one year on one level. In one
``indicator_values.parquet`` DuckDB reads every row group whose min/max could match,
which at 1 M raster cells x 25 indicators x 12 years (300 M rows) costs about 2 s per
switch (docs/PERFORMANCE.md, scale scenario). Partitioned as
``indicator_values/indicator_id=<id>/year=<year>/level=<level>/data.parquet`` (hive
layout, readable by DuckDB, Arrow and Spark), a switch reads one small file.

Each file holds ``area_id, numerator, denominator, value, status`` sorted by
``area_id``. ``_manifest.json`` records, per level, how many areas it has and a
SHA-1 of their sorted ids, and lists the partitions that hold exactly one row per
area of their level ("aligned"). The Store reads an aligned partition as plain
arrays by position, without joining on ids; for any other partition, or when the
areas file no longer matches the fingerprint, it falls back to SQL over the folder.

Run: ``python -m monitor.ingest.partition SOURCE_DIR TARGET_DIR`` (copies everything
else of the folder unchanged).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path

import duckdb

__all__ = [
    "MANIFEST",
    "MANIFEST_FORMAT",
    "VALUE_COLUMNS",
    "PartitionError",
    "area_ids_fingerprint",
    "partition_path",
    "partition_values",
]

MANIFEST = "_manifest.json"
MANIFEST_FORMAT = "qm-partitions-1"
VALUE_COLUMNS = ("area_id", "numerator", "denominator", "value", "status")


class PartitionError(RuntimeError):
    """The source cannot be partitioned; the message is German."""


def area_ids_fingerprint(area_ids: Iterable[str]) -> str:
    """SHA-1 of the ids in the given order, one per line (order matters)."""
    digest = hashlib.sha1()
    for area_id in area_ids:
        digest.update(str(area_id).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def partition_path(values_dir: Path, indicator_id: str, year: int, level: str) -> Path:
    return (
        values_dir
        / f"indicator_id={indicator_id}"
        / f"year={int(year)}"
        / f"level={level}"
        / "data.parquet"
    )


def partition_values(source: Path, target: Path, *, log=None) -> dict:
    """Copy ``source`` to ``target`` with indicator values partitioned; returns the
    manifest. ``target`` must not exist (published data is never overwritten)."""
    source, target = Path(source), Path(target)
    values_file = source / "indicator_values.parquet"
    if not values_file.is_file():
        raise PartitionError(
            f"Im Ordner „{source}“ fehlt die Datei indicator_values.parquet."
        )
    if target.exists():
        raise PartitionError(
            f"Der Zielordner „{target}“ existiert schon; er wird nicht überschrieben."
        )
    con = duckdb.connect()
    try:
        con.read_parquet(str(source / "areas.parquet")).create_view("areas")
        con.read_parquet(str(values_file)).create_view("indicator_values")
    except duckdb.Error as exc:
        raise PartitionError(f"Die Quelldaten sind nicht lesbar: {exc}") from exc

    staging = target.with_name(target.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(
        source, staging, ignore=shutil.ignore_patterns("indicator_values.parquet")
    )
    values_dir = staging / "indicator_values"
    levels = {}
    for level, ids in con.execute(
        "SELECT level, list(area_id ORDER BY area_id) FROM areas GROUP BY level"
    ).fetchall():
        levels[level] = {
            "n_areas": len(ids),
            "area_ids_sha1": area_ids_fingerprint(ids),
        }
    indicators = [
        row[0]
        for row in con.execute(
            "SELECT DISTINCT indicator_id FROM indicator_values ORDER BY 1"
        ).fetchall()
    ]
    aligned, n_files, n_rows = [], 0, 0
    for indicator_id in indicators:
        # one indicator at a time: 12 M rows at 1 M cells, sorted once per partition
        con.execute(
            "CREATE OR REPLACE TEMP TABLE part AS "
            "SELECT v.area_id, a.level, v.year, v.numerator, v.denominator, "
            "v.value, v.status FROM indicator_values AS v "
            "JOIN areas AS a USING (area_id) "
            "WHERE v.indicator_id = CAST($indicator AS VARCHAR)",
            {"indicator": indicator_id},
        )
        combos = con.execute(
            "SELECT year, level, count(*), count(DISTINCT area_id) FROM part "
            "GROUP BY year, level ORDER BY year, level"
        ).fetchall()
        for year, level, n, n_distinct in combos:
            if n != n_distinct:
                raise PartitionError(
                    f"{indicator_id} {year} {level}: {n - n_distinct} Gebiete kommen "
                    "mehrfach vor; je Gebiet, Indikator und Jahr ist ein Wert erlaubt."
                )
            path = partition_path(values_dir, indicator_id, year, level)
            path.parent.mkdir(parents=True, exist_ok=True)
            con.sql(
                "SELECT area_id, numerator, denominator, value, status FROM part "
                "WHERE year = CAST($year AS BIGINT) "
                "AND level = CAST($level AS VARCHAR) "
                "ORDER BY area_id",
                params={"year": int(year), "level": level},
            ).to_parquet(str(path))
            if n == levels[level]["n_areas"]:
                aligned.append(f"{indicator_id}/{int(year)}/{level}")
            n_files += 1
            n_rows += n
        if log:
            log(f"{indicator_id}: {len(combos)} Dateien")
    manifest = {
        "format": MANIFEST_FORMAT,
        "levels": levels,
        "aligned": aligned,
        "n_files": n_files,
        "n_rows": n_rows,
    }
    (values_dir / MANIFEST).write_text(
        json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8"
    )
    staging.rename(target)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "source", type=Path, help="Datenordner mit indicator_values.parquet"
    )
    parser.add_argument(
        "target", type=Path, help="neuer Datenordner (darf nicht existieren)"
    )
    args = parser.parse_args(argv)
    try:
        manifest = partition_values(args.source, args.target, log=print)
    except PartitionError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    print(
        f"{manifest['n_files']} Dateien, {manifest['n_rows']} Werte, "
        f"{len(manifest['aligned'])} vollständig je Ebene → {args.target}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
