"""The columns of the core files of a data folder, in the order they are written.

One definition for the Store's validation, the demo generator and the publish step
(``monitor.ingest.publish``). Only areas and indicator values are required
(``CORE_COLUMNS``); the comparison values (benchmarks) and the programme files
(goals, measures, progress reports) are optional, with their schema in
``monitor.store.OPTIONAL_COLUMNS``.
"""

from __future__ import annotations

__all__ = ["AREA_COLUMNS", "BENCHMARK_COLUMNS", "CORE_COLUMNS", "VALUE_COLUMNS"]

AREA_COLUMNS = ("area_id", "name", "level", "parent_id", "in_focus", "geometry")
VALUE_COLUMNS = (
    "area_id",
    "indicator_id",
    "year",
    "numerator",
    "denominator",
    "value",
    "status",
)
BENCHMARK_COLUMNS = (
    "benchmark_id",
    "name_de",
    "name_en",
    "indicator_id",
    "year",
    "value",
)
CORE_COLUMNS = {
    "areas.parquet": AREA_COLUMNS,
    "indicator_values.parquet": VALUE_COLUMNS,
}
