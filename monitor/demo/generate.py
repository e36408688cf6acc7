"""Write the demo data set (``python -m monitor.demo.generate --out data/demo``).

Deterministic: the same code writes byte-identical files, which a test checks against
the committed copy. The catalogue (catalog/indicators.yaml) is an input, written by
hand; this module writes areas.parquet, benchmarks.parquet and meta.json, the
publish step (``monitor.ingest.publish``: suppression and its audit) writes
indicator_values.parquet and disclosure.json, and monitor.demo.programme the goals,
measures and progress reports of the programme.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from monitor.catalog import load_catalog
from monitor.demo.geography import (
    CITY_ID,
    FOCUS_ID,
    METRIC_CRS,
    Geography,
    build_geography,
)
from monitor.demo.population import YEARS, simulate_counts
from monitor.demo.programme import write_programme
from monitor.ingest.publish import publish_counts, write_publication
from monitor.methods.aggregation import aggregate_counts
from monitor.schema import AREA_COLUMNS, BENCHMARK_COLUMNS

__all__ = ["generate", "demo_counts", "main", "write_table", "LEVEL_ORDER"]

DATA_DATE = "2025-12-31"
ATTRIBUTION = "Stadtgrenze: © GeoBasis-DE / BKG 2017 (VG250), Datenlizenz GeoNutzV"
LEVEL_ORDER = {"stadt": 0, "fokusgebiet": 1, "stadtteil": 2, "quartier": 3, "raster": 4}


def _areas(geo: Geography) -> gpd.GeoDataFrame:
    city = gpd.GeoDataFrame(
        {
            "area_id": [CITY_ID],
            "name": ["Stadt Neunkirchen"],
            "level": ["stadt"],
            "parent_id": [None],
            "in_focus": [False],
        },
        geometry=[geo.outline],
        crs=METRIC_CRS,
    )
    focus = gpd.GeoDataFrame(
        {
            "area_id": [FOCUS_ID],
            "name": ["Perspektivquartier Innenstadt"],
            "level": ["fokusgebiet"],
            "parent_id": ["innenstadt"],
            "in_focus": [True],
        },
        geometry=[geo.quartiere[geo.quartiere.in_focus].union_all()],
        crs=METRIC_CRS,
    )
    st = geo.stadtteile.assign(level="stadtteil", parent_id=CITY_ID, in_focus=False)
    st.loc[st.area_id == "innenstadt", "in_focus"] = False
    qu = geo.quartiere.assign(level="quartier")
    cells = geo.cells.copy()
    cells["level"] = "raster"
    cells["name"] = [
        f"Rasterzelle {a.split('-')[1]} {a.split('-')[2]}" for a in cells.area_id
    ]
    cols = list(AREA_COLUMNS)
    areas = pd.concat([city[cols], focus[cols], st[cols], qu[cols], cells[cols]])
    areas = gpd.GeoDataFrame(areas, geometry="geometry", crs=METRIC_CRS)
    areas["area_km2"] = (areas.geometry.area / 1e6).round(4)
    areas = areas.to_crs("EPSG:4326")
    areas["geometry"] = shapely.set_precision(areas.geometry.values, 1e-6)
    areas["_order"] = areas.level.map(LEVEL_ORDER)
    areas = areas.sort_values(["_order", "area_id"]).drop(columns="_order")
    return areas.reset_index(drop=True)


def _all_levels(counts: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    parent = areas.set_index("area_id").parent_id
    raster = areas[areas.level == "raster"].area_id
    quartier = aggregate_counts(counts, parent.loc[raster])
    stadtteile = areas[areas.level == "quartier"].area_id
    stadtteil = aggregate_counts(quartier, parent.loc[stadtteile])
    st_ids = areas[areas.level == "stadtteil"].area_id
    city = aggregate_counts(stadtteil, parent.loc[st_ids])
    focus_q = areas[(areas.level == "quartier") & areas.in_focus].area_id
    focus = aggregate_counts(quartier, pd.Series(FOCUS_ID, index=focus_q.to_numpy()))
    return pd.concat([counts, quartier, stadtteil, city, focus], ignore_index=True)


def demo_counts(areas: pd.DataFrame | None = None) -> pd.DataFrame:
    """The true counts of the demo on every level (what the publish step gets)."""
    geo = build_geography()
    areas = _areas(geo) if areas is None else areas
    return _all_levels(simulate_counts(geo), areas)


# Reference values for Landkreis, Saarland and Germany. Demo values shaped after the
# published orders of magnitude (Landkreis child poverty 18.1 % in 2014, 22.5 % in
# 2019; Landkreis population 132,283 in 2022, Zensus 2022); not official figures.
def _interp(points: dict[int, float]) -> list[float]:
    xs, ys = zip(*sorted(points.items()), strict=True)
    return list(np.round(np.interp(YEARS, xs, ys), 2))


BENCHMARK_POINTS = {
    "landkreis": {
        "kinderarmut": {2014: 18.1, 2019: 22.5, 2022: 24.0, 2025: 23.6},
        "sgb2_quote": {2014: 11.0, 2016: 11.8, 2019: 11.5, 2022: 12.6, 2025: 12.4},
        "jugendarmut": {2014: 12.0, 2016: 13.0, 2019: 12.6, 2022: 13.8, 2025: 13.5},
        "arbeitslosenanteil": {2014: 5.6, 2019: 4.8, 2020: 5.6, 2022: 5.0, 2025: 5.9},
        "langzeitarbeitslose": {2014: 2.2, 2019: 1.8, 2021: 2.4, 2025: 2.2},
        "beschaeftigungsquote": {2014: 55.0, 2019: 59.0, 2025: 60.5},
        "altersarmut": {2014: 2.8, 2019: 3.2, 2025: 3.9},
        "kita_u3": {2014: 24.0, 2019: 30.5, 2025: 32.0},
        "auslaenderanteil": {2014: 7.0, 2016: 9.0, 2019: 10.5, 2022: 12.5, 2025: 13.4},
        "anteil_unter18": {2014: 15.2, 2025: 15.6},
        "anteil_65plus": {2014: 24.0, 2025: 26.5},
        "einwohner": {2014: 134100, 2017: 133350, 2022: 132283, 2025: 131200},
    },
    "saarland": {
        "kinderarmut": {2014: 17.0, 2019: 19.0, 2022: 20.5, 2025: 20.2},
        "sgb2_quote": {2014: 10.0, 2016: 10.8, 2019: 10.3, 2022: 11.2, 2025: 11.0},
        "jugendarmut": {2014: 11.0, 2016: 12.2, 2019: 11.6, 2022: 12.5, 2025: 12.3},
        "arbeitslosenanteil": {2014: 5.1, 2019: 4.4, 2020: 5.1, 2022: 4.6, 2025: 5.3},
        "langzeitarbeitslose": {2014: 2.0, 2019: 1.6, 2021: 2.2, 2025: 2.0},
        "beschaeftigungsquote": {2014: 55.5, 2019: 59.5, 2025: 61.0},
        "altersarmut": {2014: 2.9, 2019: 3.3, 2025: 4.0},
        "kita_u3": {2014: 26.0, 2019: 31.0, 2025: 33.0},
        "auslaenderanteil": {2014: 9.0, 2016: 11.2, 2019: 12.3, 2022: 14.5, 2025: 15.4},
        "anteil_unter18": {2014: 15.0, 2025: 15.5},
        "anteil_65plus": {2014: 22.8, 2025: 25.6},
        "einwohner": {2014: 989000, 2019: 986900, 2022: 992700, 2025: 990500},
    },
    "deutschland": {
        "kinderarmut": {2014: 15.5, 2019: 13.8, 2022: 13.6, 2025: 13.9},
        "sgb2_quote": {2014: 9.5, 2016: 9.6, 2019: 8.1, 2022: 8.5, 2025: 8.4},
        "jugendarmut": {2014: 8.5, 2016: 9.2, 2019: 7.6, 2022: 8.2, 2025: 8.1},
        "arbeitslosenanteil": {2014: 5.4, 2019: 4.3, 2020: 5.1, 2022: 4.5, 2025: 5.2},
        "langzeitarbeitslose": {2014: 2.0, 2019: 1.3, 2021: 1.9, 2025: 1.7},
        "beschaeftigungsquote": {2014: 57.5, 2019: 62.5, 2025: 63.5},
        "altersarmut": {2014: 3.0, 2019: 3.2, 2025: 4.2},
        "kita_u3": {2014: 32.3, 2019: 34.3, 2025: 37.0},
        "auslaenderanteil": {2014: 9.3, 2016: 11.2, 2019: 12.5, 2022: 14.6, 2025: 15.2},
        "anteil_unter18": {2014: 16.2, 2025: 16.6},
        "anteil_65plus": {2014: 21.0, 2025: 22.9},
        "einwohner": {2014: 81197537, 2019: 83166711, 2022: 83237124, 2025: 83500000},
    },
}
BENCHMARK_NAMES = {
    "landkreis": ("Landkreis Neunkirchen", "Landkreis Neunkirchen"),
    "saarland": ("Saarland", "Saarland"),
    "deutschland": ("Deutschland", "Germany"),
}


# The place block of meta.json (monitor/place.py): what the app shows by default.
PLACE = {
    "city": CITY_ID,
    "focus": [FOCUS_ID],
    "context": {FOCUS_ID: "innenstadt"},
    "benchmarks": [
        {
            "id": "landkreis",
            "role": "region",
            "short_de": "Landkreis",
            "short_en": "District (Landkreis)",
        },
        {"id": "saarland", "role": "state"},
        {"id": "deutschland", "role": "country"},
    ],
    "headline": ["kinderarmut", "sgb2_quote", "arbeitslosenanteil"],
    "population": "einwohner",
    "default_indicator": "kinderarmut",
    "default_level": "quartier",
}


def _benchmarks() -> pd.DataFrame:
    rows = []
    for bench_id, indicators in BENCHMARK_POINTS.items():
        name_de, name_en = BENCHMARK_NAMES[bench_id]
        for indicator_id, points in indicators.items():
            for year, value in zip(YEARS, _interp(points), strict=True):
                rows.append(
                    {
                        "benchmark_id": bench_id,
                        "name_de": name_de,
                        "name_en": name_en,
                        "indicator_id": indicator_id,
                        "year": year,
                        "value": round(value) if indicator_id == "einwohner" else value,
                    }
                )
    return pd.DataFrame(rows, columns=list(BENCHMARK_COLUMNS))


def write_table(df: pd.DataFrame, path: Path) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def generate(out: Path) -> dict:
    """Write the whole demo data set into ``out`` and return summary figures."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    catalog = load_catalog(out / "catalog" / "indicators.yaml")
    geo = build_geography()
    areas = _areas(geo)
    counts = _all_levels(simulate_counts(geo), areas)
    areas.to_parquet(out / "areas.parquet", compression="zstd", index=False)
    publication = publish_counts(counts, areas, out / "catalog" / "indicators.yaml")
    write_publication(out, publication)
    values = publication.values
    write_table(_benchmarks(), out / "benchmarks.parquet")
    programme = write_programme(
        out, values, areas, {i.id: i.direction for i in catalog.indicators}
    )
    city = values[(values.area_id == CITY_ID)].set_index(["indicator_id", "year"])
    meta = {
        "title": "Quartiersmonitor Neunkirchen",
        "title_en": "Neighbourhood Monitor Neunkirchen",
        "is_demo": True,
        "data_version": "demo-1",
        "data_date": DATA_DATE,
        "years": [YEARS[0], YEARS[-1]],
        "generator": "monitor.demo.generate",
        "attribution": ATTRIBUTION,
        "note_de": (
            "Die Stadtgrenze ist real, Stadtteil- und Quartiersgrenzen sind erfunden."
        ),
        "note_en": "The city boundary is real; district and quarter borders are "
        "invented.",
        "place": PLACE,
    }
    (out / "meta.json").write_text(
        json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return {
        "areas": areas.level.value_counts().to_dict(),
        "rows": len(values),
        "population_2022": float(city.loc[("einwohner", 2022), "value"]),
        "kinderarmut_2022": float(city.loc[("kinderarmut", 2022), "value"]),
        "auslaenderanteil_2019": float(city.loc[("auslaenderanteil", 2019), "value"]),
        "suppressed_share": float((values.status == "suppressed").mean()),
        "disclosure_lps": publication.report["lps"],
        "disclosure_seconds": publication.report["seconds"],
        **programme,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="data/demo", type=Path)
    args = parser.parse_args(argv)
    summary = generate(args.out)
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
