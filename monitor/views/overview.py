"""Data shaping for the start page: key figures, comparison rows, trend series."""

from __future__ import annotations

import pandas as pd

from monitor.catalog import Catalog
from monitor.formatting import fmt_change, fmt_number, fmt_value
from monitor.i18n import t

__all__ = [
    "CORE_INDICATORS",
    "intro_figures",
    "key_figures",
    "comparison_rows",
    "trend_series",
    "FOCUS",
    "CITY",
    "INNENSTADT",
]

CORE_INDICATORS = ("kinderarmut", "sgb2_quote", "arbeitslosenanteil")
FOCUS, INNENSTADT, CITY = "perspektivquartier", "innenstadt", "neunkirchen"


def _value(values: pd.DataFrame, area_id: str, indicator_id: str, year: int):
    hit = values[
        (values.area_id == area_id)
        & (values.indicator_id == indicator_id)
        & (values.year == year)
    ]
    if hit.empty:
        return float("nan"), "missing"
    return float(hit.value.iloc[0]), str(hit.status.iloc[0])


def _bench(bench: pd.DataFrame, bench_id: str, indicator_id: str, year: int):
    hit = bench[
        (bench.benchmark_id == bench_id)
        & (bench.indicator_id == indicator_id)
        & (bench.year == year)
    ]
    return float(hit.value.iloc[0]) if not hit.empty else float("nan")


def intro_figures(values, areas, year: int, lang: str) -> dict[str, str]:
    """Size, population and population share of the focus area, formatted."""
    pop, _ = _value(values, FOCUS, "einwohner", year)
    city_pop, _ = _value(values, CITY, "einwohner", year)
    return {
        "ha": fmt_number(areas.loc[FOCUS, "area_km2"] * 100, lang, 0),
        "pop": fmt_number(pop, lang, 0),
        "share": fmt_value(100 * pop / city_pop, "percent", lang),
    }


def key_figures(
    values,
    bench,
    catalog: Catalog,
    year: int,
    lang: str,
    indicator_ids=("einwohner", *CORE_INDICATORS),
) -> list[dict]:
    """One card per indicator: focus value, change to the year before, references."""
    cards = []
    for ind_id in indicator_ids:
        ind = catalog[ind_id]
        value, status = _value(values, FOCUS, ind_id, year)
        before, before_status = _value(values, FOCUS, ind_id, year - 1)
        change = value - before if "ok" == status == before_status else float("nan")
        city, city_status = _value(values, CITY, ind_id, year)
        kreis = _bench(bench, "landkreis", ind_id, year)
        ref_key = (
            "uebersicht.city_ref" if kreis == kreis else "uebersicht.city_ref_no_kreis"
        )
        cards.append(
            {
                "indicator_id": ind_id,
                "label": ind.text("name", lang),
                "value": fmt_value(value, ind.unit, lang, status),
                "delta": None
                if change != change
                else fmt_change(change, ind.unit, lang, minus="-"),
                "delta_color": {
                    "higher_is_worse": "inverse",
                    "higher_is_better": "normal",
                }.get(ind.direction, "off"),
                "help": ind.text("explanation", lang),
                "caption": t(
                    ref_key,
                    lang,
                    city=fmt_value(city, ind.unit, lang, city_status),
                    kreis=fmt_value(kreis, ind.unit, lang),
                ),
            }
        )
    return cards


def comparison_rows(values, bench, indicator_id: str, year: int, lang: str):
    rows = []
    for area_id, key, kind in (
        (FOCUS, "common.focus", "focus"),
        (INNENSTADT, "common.innenstadt", "area"),
        (CITY, "common.city", "area"),
    ):
        value, status = _value(values, area_id, indicator_id, year)
        rows.append(
            {"label": t(key, lang), "value": value, "status": status, "kind": kind}
        )
    for bench_id in ("landkreis", "saarland", "deutschland"):
        value = _bench(bench, bench_id, indicator_id, year)
        if value == value:
            rows.append(
                {
                    "label": t(f"common.{bench_id}", lang),
                    "value": value,
                    "status": "ok",
                    "kind": "reference",
                }
            )
    return pd.DataFrame(rows)


def trend_series(values, bench, indicator_id: str, lang: str) -> pd.DataFrame:
    parts = []
    for area_id, key, kind in (
        (FOCUS, "common.focus", "focus"),
        (CITY, "common.city", "area"),
    ):
        sub = values[
            (values.area_id == area_id) & (values.indicator_id == indicator_id)
        ]
        parts.append(sub[["year", "value"]].assign(label=t(key, lang), kind=kind))
    sub = bench[
        (bench.benchmark_id == "landkreis") & (bench.indicator_id == indicator_id)
    ]
    if not sub.empty:
        parts.append(
            sub[["year", "value"]].assign(
                label=t("common.landkreis", lang), kind="reference"
            )
        )
    return pd.concat(parts, ignore_index=True)
