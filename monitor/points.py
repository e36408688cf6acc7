"""Data contract of ``points.parquet``: infrastructure on the map (optional file).

One row per facility::

    point_id  category  name  address  lon  lat  opening_year  source

``category`` is one of :data:`CATEGORIES` (names in the locale files under
``points.category.<id>``), ``lon``/``lat`` are WGS84 degrees (EPSG:4326),
``opening_year`` may be empty, ``source`` says where the row comes from (the
demo data says "Demodaten"). The importer (monitor.ingest.points) and the demo
generator (monitor.demo.points) both write through :func:`write_points`, so a file
is byte-identical whenever its rows are.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["CATEGORIES", "COLUMNS", "FILE_NAME", "SCHEMA", "write_points"]

FILE_NAME = "points.parquet"
CATEGORIES = ("kita", "schule", "beratung", "jugend_familie", "arzt")
"""Kindertagesstätten, schools, counselling services, youth and family centres,
doctors' practices (GPs and paediatricians)."""

SCHEMA = pa.schema(
    [
        ("point_id", pa.string()),
        ("category", pa.string()),
        ("name", pa.string()),
        ("address", pa.string()),
        ("lon", pa.float64()),
        ("lat", pa.float64()),
        ("opening_year", pa.int32()),
        ("source", pa.string()),
    ]
)
COLUMNS = tuple(SCHEMA.names)


def write_points(points: pd.DataFrame, path: str | Path) -> None:
    """Write points in contract order (category order, then ``point_id``), with
    the contract's types and no pandas index, zstd-compressed."""
    missing = [c for c in COLUMNS if c not in points.columns]
    if missing:
        raise ValueError("points lack the columns " + ", ".join(missing))
    unknown = sorted(set(points["category"]) - set(CATEGORIES))
    if unknown:
        raise ValueError("unknown point categories: " + ", ".join(map(str, unknown)))
    rank = points["category"].map({c: i for i, c in enumerate(CATEGORIES)})
    ordered = points.assign(_rank=rank).sort_values(["_rank", "point_id"])
    frame = ordered[list(COLUMNS)].reset_index(drop=True)
    frame["opening_year"] = frame["opening_year"].astype("Int32")
    table = pa.Table.from_pandas(frame, schema=SCHEMA, preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd")
