"""A tiny data set built in code for store and UI tests.

City ``c`` with Stadtteile ``s1`` (Quartiere ``q1``, ``q2``) and ``s2`` (``q3``); the
Perspektivquartier ``fq`` is ``q1``. Two indicators (a rate and the population) in
2020 and 2021; ``q2``'s rate in 2021 is suppressed.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

CATALOG = """
version: 1
domains:
  - {id: einkommen_arbeit, name_de: Einkommen & Arbeit, name_en: Income & work}
  - {id: demografie, name_de: Demografie, name_en: Demography}
indicators:
  - id: kinderarmut
    name_de: Kinderarmut
    name_en: Child poverty
    domain: einkommen_arbeit
    unit: percent
    numerator_de: Kinder in SGB II
    numerator_en: Children in SGB II
    denominator_de: Kinder
    denominator_en: Children
    source_de: Test
    source_en: Test
    direction: higher_is_worse
    in_index: true
    index_weight: 1
    suppression: {min_numerator: 3, min_denominator: 30}
    levels: [stadt, stadtteil, quartier]
    explanation_de: Test
    explanation_en: Test
  - id: einwohner
    name_de: Einwohner
    name_en: Residents
    domain: demografie
    unit: count
    numerator_de: Einwohner
    numerator_en: Residents
    denominator_de: "-"
    denominator_en: "-"
    source_de: Test
    source_en: Test
    direction: context
    in_index: false
    index_weight: 0
    suppression: {min_numerator: 3, min_denominator: 0}
    levels: [stadt, stadtteil, quartier]
    explanation_de: Test
    explanation_en: Test
"""

AREAS = [
    # area_id, name, level, parent_id, in_focus, box
    ("c", "Stadt", "stadt", None, False, (7.0, 49.0, 7.2, 49.1)),
    ("fq", "Fokus", "fokusgebiet", "s1", True, (7.0, 49.0, 7.05, 49.1)),
    ("s1", "Nord", "stadtteil", "c", False, (7.0, 49.0, 7.1, 49.1)),
    ("s2", "Süd", "stadtteil", "c", False, (7.1, 49.0, 7.2, 49.1)),
    ("q1", "=1+1", "quartier", "s1", True, (7.0, 49.0, 7.05, 49.1)),
    ("q2", "<b>x</b>", "quartier", "s1", False, (7.05, 49.0, 7.1, 49.1)),
    ("q3", "Süd-Ost", "quartier", "s2", False, (7.1, 49.0, 7.2, 49.1)),
]

VALUES = [
    # area, indicator, year, numerator, denominator, value, status
    ("c", "kinderarmut", 2020, 60, 300, 20.0, "ok"),
    ("c", "kinderarmut", 2021, 66, 300, 22.0, "ok"),
    ("s1", "kinderarmut", 2020, 40, 200, 20.0, "ok"),
    ("s1", "kinderarmut", 2021, 46, 200, 23.0, "ok"),
    ("s2", "kinderarmut", 2020, 20, 100, 20.0, "ok"),
    ("s2", "kinderarmut", 2021, 20, 100, 20.0, "ok"),
    ("q1", "kinderarmut", 2020, 30, 150, 20.0, "ok"),
    ("q1", "kinderarmut", 2021, 44, 150, 29.3333, "suppressed"),
    ("q2", "kinderarmut", 2020, 10, 50, 20.0, "ok"),
    ("q2", "kinderarmut", 2021, 2, 50, 4.0, "suppressed"),
    ("q3", "kinderarmut", 2020, 20, 100, 20.0, "ok"),
    ("q3", "kinderarmut", 2021, 20, 100, 20.0, "ok"),
    ("fq", "kinderarmut", 2020, 30, 150, 20.0, "ok"),
    ("fq", "kinderarmut", 2021, 44, 150, 29.3333, "suppressed"),
]
for area, pop in (
    ("c", 1500),
    ("s1", 1000),
    ("s2", 500),
    ("q1", 700),
    ("q2", 300),
    ("q3", 500),
    ("fq", 700),
):
    for year in (2020, 2021):
        VALUES.append((area, "einwohner", year, pop, None, float(pop), "ok"))


def build_tiny_dataset(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalog").mkdir(exist_ok=True)
    (folder / "catalog" / "indicators.yaml").write_text(CATALOG, encoding="utf-8")
    (folder / "meta.json").write_text(
        json.dumps(
            {
                "title": "Test",
                "is_demo": True,
                "data_version": "test-1",
                "data_date": "2021-12-31",
                "attribution": "Test",
                "note_de": "",
                "note_en": "",
            }
        ),
        encoding="utf-8",
    )
    gdf = gpd.GeoDataFrame(
        [
            {
                "area_id": a,
                "name": n,
                "level": lv,
                "parent_id": p,
                "in_focus": f,
                "area_km2": 1.0,
                "geometry": box(*b),
            }
            for a, n, lv, p, f, b in AREAS
        ],
        crs="EPSG:4326",
    )
    gdf.to_parquet(folder / "areas.parquet", index=False)
    pd.DataFrame(
        VALUES,
        columns=[
            "area_id",
            "indicator_id",
            "year",
            "numerator",
            "denominator",
            "value",
            "status",
        ],
    ).to_parquet(folder / "indicator_values.parquet", index=False)
    pd.DataFrame(
        [
            ("landkreis", "Landkreis", "District", "kinderarmut", 2020, 18.0),
            ("landkreis", "Landkreis", "District", "kinderarmut", 2021, 19.0),
        ],
        columns=["benchmark_id", "name_de", "name_en", "indicator_id", "year", "value"],
    ).to_parquet(folder / "benchmarks.parquet", index=False)
    return folder
