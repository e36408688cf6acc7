"""Data shaping for the start page: key figures, comparison rows, trend series.

The page is about one *subject*: a Perspektivquartier of the data folder's place
(:mod:`monitor.place`), or the city when the folder has none. Its rows are the
subject, the Stadtteil around it, the city and every benchmark of the data in the
data's order; every label is a name from the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from monitor.catalog import Catalog
from monitor.formatting import fmt_change, fmt_number, fmt_value
from monitor.i18n import t
from monitor.place import Place

__all__ = [
    "Subject",
    "subject_of",
    "intro_figures",
    "key_figures",
    "comparison_rows",
    "trend_series",
]


@dataclass(frozen=True)
class Subject:
    """What the start page shows: the area (a Perspektivquartier, or the city),
    the Stadtteil around it and the city ("" where there is none)."""

    area_id: str
    name: str
    context_id: str
    city_id: str
    is_focus: bool


def subject_of(place: Place, area_id: str | None = None) -> Subject | None:
    """The start page's subject: ``area_id`` if it is a Perspektivquartier, else the
    first one, else the city; None when the data has neither."""
    focus = area_id if area_id in place.focus_ids else place.focus_id
    city = place.city_id or ""
    if focus:
        context = place.context_ids.get(focus, "")
        return Subject(focus, place.area_name(focus), context, city, True)
    if city:
        return Subject(city, place.city_name, "", city, False)
    return None


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


def intro_figures(
    values, areas, place: Place, subject: Subject, year: int, lang: str
) -> dict[str, str]:
    """Name, size, population and population share of the subject, formatted."""
    pop, _ = _value(values, subject.area_id, place.population, year)
    city_pop, _ = _value(values, subject.city_id, place.population, year)
    km2 = areas.area_km2.get(subject.area_id, float("nan"))
    return {
        "name": subject.name,
        "city": place.city_name,
        "ha": fmt_number(km2 * 100, lang, 0),
        "pop": fmt_number(pop, lang, 0),
        "share": fmt_value(100 * pop / city_pop, "percent", lang),
    }


def _card_caption(city: str, region_name: str | None, region: str, lang: str) -> str:
    if region_name is None:
        return t("uebersicht.city_ref_no_kreis", lang, city=city)
    return t(
        "uebersicht.city_ref", lang, city=city, region_name=region_name, region=region
    )


def key_figures(
    values,
    bench,
    catalog: Catalog,
    place: Place,
    subject: Subject,
    year: int,
    lang: str,
    indicator_ids=(),
) -> list[dict]:
    """One card per indicator: the subject's value, change to the year before, the
    city and the region (the benchmark of role ``region``) below."""
    cards = []
    region = place.region
    for ind_id in indicator_ids:
        ind = catalog[ind_id]
        value, status = _value(values, subject.area_id, ind_id, year)
        before, before_status = _value(values, subject.area_id, ind_id, year - 1)
        change = value - before if "ok" == status == before_status else float("nan")
        city, city_status = _value(values, subject.city_id, ind_id, year)
        kreis = _bench(bench, region.id, ind_id, year) if region else float("nan")
        card = {
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
        }
        has_region = region is not None and kreis == kreis
        region_name = region.short(lang) if has_region else None
        if subject.is_focus:
            card["caption"] = _card_caption(
                fmt_value(city, ind.unit, lang, city_status),
                region_name,
                fmt_value(kreis, ind.unit, lang),
                lang,
            )
        elif has_region:
            card["caption"] = f"{region_name}: {fmt_value(kreis, ind.unit, lang)}"
        cards.append(card)
    return cards


def _area_rows(place: Place, subject: Subject) -> list[tuple[str, str, str]]:
    """(area_id, label, kind) of the subject, its Stadtteil and the city."""
    rows = [(subject.area_id, subject.name, "focus")]
    if subject.context_id:
        rows.append((subject.context_id, place.area_name(subject.context_id), "area"))
    if subject.city_id and subject.city_id != subject.area_id:
        rows.append((subject.city_id, place.city_name, "area"))
    return rows


def comparison_rows(
    values, bench, place: Place, subject: Subject, indicator_id: str, year: int, lang
):
    """Bars of one indicator: subject, Stadtteil, city, then every benchmark."""
    rows = []
    for area_id, label, kind in _area_rows(place, subject):
        value, status = _value(values, area_id, indicator_id, year)
        rows.append({"label": label, "value": value, "status": status, "kind": kind})
    for benchmark in place.benchmarks:
        value = _bench(bench, benchmark.id, indicator_id, year)
        if value == value:
            rows.append(
                {
                    "label": benchmark.name(lang),
                    "value": value,
                    "status": "ok",
                    "kind": "reference",
                }
            )
    return pd.DataFrame(rows, columns=["label", "value", "status", "kind"])


def trend_series(
    values, bench, place: Place, subject: Subject, indicator_id: str, lang: str
) -> pd.DataFrame:
    """Lines of one indicator: the subject, the city and the region."""
    parts = []
    lines = [(subject.area_id, subject.name, "focus")]
    if subject.city_id and subject.city_id != subject.area_id:
        lines.append((subject.city_id, place.city_name, "area"))
    for area_id, label, kind in lines:
        sub = values[
            (values.area_id == area_id) & (values.indicator_id == indicator_id)
        ]
        parts.append(sub[["year", "value"]].assign(label=label, kind=kind))
    region = place.region
    if region is not None:
        sub = bench[
            (bench.benchmark_id == region.id) & (bench.indicator_id == indicator_id)
        ]
        if not sub.empty:
            parts.append(
                sub[["year", "value"]].assign(label=region.name(lang), kind="reference")
            )
    return pd.concat(parts, ignore_index=True)
