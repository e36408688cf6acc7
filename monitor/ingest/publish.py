"""Publish a data folder: suppress, audit, write values and the disclosure report.

``python -m monitor.ingest.publish SOURCE TARGET`` reads a folder whose
``indicator_values.parquet`` holds the true counts (numerator and denominator of
every cell, on every level), runs ``monitor.methods.disclosure.publish`` and writes
``TARGET`` with the published values (suppressed cells without numerator,
denominator and value) and ``disclosure.json``: what the audit checked and found,
and the fingerprint by which the Store recognises values it may show as they are.
Everything else of the folder is copied unchanged; ``TARGET`` must not exist
(published data is never overwritten). The demo generator and the coming import
call ``publish_counts`` + ``write_publication``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from monitor.catalog import CatalogError, load_catalog
from monitor.methods.disclosure import Publication, publish
from monitor.methods.focus_membership import FOCUS_LEVEL, focus_members
from monitor.schema import VALUE_COLUMNS
from monitor.statuses import FLAG_COLUMN
from monitor.store import (
    DISCLOSURE_FILE,
    DataError,
    disclosure_fingerprint,
    read_count_model,
)

__all__ = [
    "publish_counts",
    "publish_folder",
    "read_area_tree",
    "write_publication",
    "main",
]

VALUES_FILE = "indicator_values.parquet"


def publish_counts(
    counts: pd.DataFrame,
    areas: pd.DataFrame,
    catalog_path: Path,
    withheld: np.ndarray | None = None,
) -> Publication:
    """The publish step on counts and areas with the catalogue at ``catalog_path``.

    ``areas`` has ``area_id, level, parent_id, in_focus`` and, for the rule which
    Perspektivquartier an area lies in (monitor.methods.focus_membership), the
    optional ``focus_id`` and ``geometry``."""
    catalog = load_catalog(catalog_path)
    model = read_count_model(catalog_path)
    tree = pd.DataFrame(areas[["area_id", "level", "parent_id", "in_focus"]])
    tree["focus_id"] = tree["area_id"].astype(str).map(focus_members(areas))
    return publish(counts, tree, catalog, model, withheld=withheld)


def read_area_tree(path: Path) -> pd.DataFrame:
    """The area tree of areas.parquet, with geometry only where it is needed: for
    the areas in and of the Perspektivquartiere when there are several of them and
    no ``focus_id`` column says which is which."""
    names = set(pq.read_schema(path).names)
    columns = ["area_id", "level", "parent_id", "in_focus"]
    columns += ["focus_id"] if "focus_id" in names else []
    tree = pd.read_parquet(path, columns=columns)
    several = (tree["level"] == FOCUS_LEVEL).sum() > 1
    if "focus_id" in names or not several or "geometry" not in names:
        return tree
    focus = gpd.read_parquet(
        path,
        columns=["area_id", "geometry"],
        filters=[[("in_focus", "==", True)], [("level", "==", FOCUS_LEVEL)]],
    )
    return tree.merge(focus, on="area_id", how="left")


def write_publication(folder: Path, publication: Publication) -> dict:
    """Write the values and ``disclosure.json`` (with its fingerprint) into
    ``folder``, which already holds ``areas.parquet`` and the catalogue."""
    folder = Path(folder)
    if not publication.report.get("passed"):
        raise DataError(
            "Der Geheimhaltungsprüflauf ist nicht bestanden; es wird nichts "
            "veröffentlicht."
        )
    columns = list(VALUE_COLUMNS)
    if FLAG_COLUMN in publication.values:  # flags (p, r, s, "()") beside a number
        columns.append(FLAG_COLUMN)
    table = pa.Table.from_pandas(publication.values[columns], preserve_index=False)
    if FLAG_COLUMN in columns:  # text even when no value has a flag
        index = table.schema.get_field_index(FLAG_COLUMN)
        table = table.set_column(
            index, FLAG_COLUMN, table.column(FLAG_COLUMN).cast(pa.string())
        )
    pq.write_table(
        table, folder / VALUES_FILE, compression="zstd", write_statistics=True
    )
    catalog_path = folder / "catalog" / "indicators.yaml"
    con = duckdb.connect()
    try:
        con.read_parquet(str(folder / "areas.parquet")).create_view("areas")
        con.read_parquet(str(folder / VALUES_FILE)).create_view("indicator_values")
        fingerprint = disclosure_fingerprint(
            con, load_catalog(catalog_path), read_count_model(catalog_path)
        )
    finally:
        con.close()
    report = {**publication.report, "fingerprint": fingerprint}
    (folder / DISCLOSURE_FILE).write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return report


def publish_folder(source: Path, target: Path) -> dict:
    """Copy ``source`` to ``target`` with its values published; returns the report."""
    source, target = Path(source), Path(target)
    if target.exists():
        raise DataError(
            f"Der Zielordner „{target}“ existiert schon; er wird nicht überschrieben."
        )
    values_path = source / VALUES_FILE
    if not values_path.is_file():
        raise DataError(f"Im Ordner „{source}“ fehlt die Datei {VALUES_FILE}.")
    counts = pd.read_parquet(values_path)
    if "status" in counts:
        withheld = (counts["status"] == "suppressed").to_numpy()
    else:
        withheld = np.zeros(len(counts), dtype=bool)
    if counts.loc[withheld, "numerator"].isna().any():
        raise DataError(
            "Gesperrte Werte ohne Zähler: der Ordner ist schon veröffentlicht; "
            "bitte die Rohdaten mit allen Zählern verwenden."
        )
    areas = read_area_tree(source / "areas.parquet")
    try:
        publication = publish_counts(
            counts, areas, source / "catalog" / "indicators.yaml", withheld
        )
    except (CatalogError, ValueError) as exc:
        raise DataError(f"Die Daten lassen sich nicht veröffentlichen: {exc}") from exc
    staging = target.with_name(target.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(
        source,
        staging,
        ignore=shutil.ignore_patterns(VALUES_FILE, DISCLOSURE_FILE, "indicator_values"),
    )
    report = write_publication(staging, publication)
    staging.rename(target)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    try:
        report = publish_folder(args.source, args.target)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(
        f"{report['cells']} Werte, {report['suppressed_primary']} primär und "
        f"{report['suppressed_secondary']} sekundär gesperrt; Audit: "
        f"{report['lps']} LPs, kleinstes Intervall {report['min_width']:g}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
