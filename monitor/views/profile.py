"""The profile of one area (page "Profil" and the Steckbrief PDF).

:func:`build_profile` turns plain inputs (frames from the store, geometries, the
catalogue) into a :class:`Profile`; the page shows it with :func:`domain_tables`,
:func:`city_index_figure` and :func:`locator_figure`, the PDF
(:mod:`monitor.views.steckbrief_pdf`) prints the same profile, and the downloads
use :func:`profile_export` and :func:`series_export`. Suppressed values arrive as
NaN with ``status == "suppressed"`` and leave as "·".
"""

from __future__ import annotations

import copy
import math
import re
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from shapely.geometry.base import BaseGeometry

from monitor.catalog import Catalog
from monitor.formatting import (
    MISSING,
    SUPPRESSED,
    fmt_change,
    fmt_number,
    fmt_value,
    unit_suffix,
)
from monitor.i18n import t
from monitor.views.charts import base_layout
from monitor.views.exports import masked
from monitor.views.minicharts import (
    CITY_INDEX_MAX,
    bar_color,
    city_bar_geometry,
    city_bar_svg,
    judgement,
    sparkline_geometry,
    sparkline_svg,
    svg_data_url,
)
from monitor.views.palettes import HIGHLIGHT

__all__ = [
    "PROFILE_LEVELS",
    "COMPARE_LEVELS",
    "RANK_LEVELS",
    "BENCHMARKS",
    "Profile",
    "Locator",
    "area_options",
    "area_label",
    "area_labels",
    "figure",
    "locator_marker",
    "city_id",
    "focus_id",
    "resolve_area",
    "parse_ids",
    "ids_param",
    "build_profile",
    "assemble_profile",
    "locator_shapes",
    "profile_export",
    "series_export",
    "domain_tables",
    "city_index_figure",
    "locator_figure",
    "plain",
    "social_lines",
    "social_frame",
    "sparkline_values",
    "table_column_config",
    "DomainTable",
    "headline_cards",
    "summary_counts",
    "summary_text",
    "HEADLINE",
]

PROFILE_LEVELS = ("fokusgebiet", "stadtteil", "quartier")
COMPARE_LEVELS = PROFILE_LEVELS
RANK_LEVELS = ("stadtteil", "quartier")
BENCHMARKS = ("landkreis", "saarland", "deutschland")
HEADLINE = ("kinderarmut", "sgb2_quote", "arbeitslosenanteil")
_LEVEL_ORDER = {"stadt": 0, "fokusgebiet": 1, "stadtteil": 2, "quartier": 3}


# -- areas and link values -----------------------------------------------------------
def city_id(areas: pd.DataFrame) -> str | None:
    """The area of level ``stadt`` (the reference of every profile)."""
    hit = areas.loc[areas.level == "stadt", "area_id"]
    return str(hit.iloc[0]) if len(hit) else None


def focus_id(areas: pd.DataFrame) -> str | None:
    hit = areas.loc[areas.level == "fokusgebiet", "area_id"]
    return str(hit.iloc[0]) if len(hit) else None


def area_options(
    areas: pd.DataFrame, levels: Sequence[str] = PROFILE_LEVELS
) -> list[str]:
    """Area ids for a picker: the Perspektivquartier first, then every Stadtteil
    followed by its Quartiere (alphabetical)."""
    wanted = set(levels)
    rows = [
        (str(a), str(n), str(lv), p)
        for a, n, lv, p in zip(
            areas.area_id, areas.name, areas.level, areas.parent_id, strict=True
        )
        if lv in wanted
    ]
    by_name = sorted(rows, key=lambda r: r[1])
    out = [r[0] for r in by_name if r[2] == "fokusgebiet"]
    districts = [r[0] for r in by_name if r[2] == "stadtteil"]
    quarters = [r for r in by_name if r[2] == "quartier"]
    for district in districts:
        out.append(district)
        out += [r[0] for r in quarters if r[3] == district]
    placed = set(out)
    out += [r[0] for r in quarters if r[0] not in placed]
    return out


def area_labels(
    areas: pd.DataFrame, lang: str, levels: Sequence[str] = PROFILE_LEVELS
) -> dict[str, str]:
    """Area id -> "Innenstadt-Nord (Quartier)": plain text for widgets and tables
    (one dict per run; a picker formats every option)."""
    table = areas[areas.level.isin(levels)]
    return {
        a: f"{n} ({t(f'levels.{lv}', lang)})"
        for a, n, lv in zip(table.area_id, table.name, table.level, strict=True)
    }


def area_label(areas: pd.DataFrame, area_id: str, lang: str) -> str:
    """ "Innenstadt-Nord (Quartier)" for one area (its id when unknown)."""
    return area_labels(areas, lang, tuple(areas.level.unique())).get(area_id, area_id)


def resolve_area(
    area_id: str, areas: pd.DataFrame, default: str | None
) -> tuple[str, str | None]:
    """An area that has a profile: itself, the Quartier of a raster cell, or the
    default. Returns (area_id, reason) with reason None, "raster" or "level"."""
    row = areas.loc[areas.area_id == area_id]
    if not row.empty and row.iloc[0].level in PROFILE_LEVELS:
        return area_id, None
    if not row.empty and row.iloc[0].level == "raster":
        parent = row.iloc[0].parent_id
        if parent in set(areas.area_id):
            return str(parent), "raster"
    options = area_options(areas)
    fallback = default if default in options else (options[0] if options else area_id)
    return fallback, "level"


def parse_ids(
    raw: str, valid: Iterable[str], max_n: int = 4
) -> tuple[list[str], list[str]]:
    """``"a,b,x"`` -> (known ids in order without repeats, unknown ones)."""
    valid = set(valid)
    wanted = [p.strip() for p in str(raw or "").split(",") if p.strip()]
    good = list(dict.fromkeys(p for p in wanted if p in valid))
    bad = [p for p in wanted if p not in valid]
    if len(good) > max_n:
        bad.append(f"+{len(good) - max_n}")
        good = good[:max_n]
    return good, bad


def ids_param(ids: Sequence[str], default: Sequence[str]) -> str | None:
    """The link value for a list (None when it is the default: short links)."""
    return None if list(ids) == list(default) else ",".join(ids)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def plain(text: str) -> str:
    """A name from the data, safe inside Markdown (no formatting, no HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


# -- the profile ---------------------------------------------------------------------
@dataclass(frozen=True)
class Locator:
    """Outlines in local km coordinates (x east, y north) for the locator map."""

    context: list[list[tuple[float, float]]]  # rings of the areas of the level
    area: list[list[tuple[float, float]]]
    focus: list[list[tuple[float, float]]]
    city: list[list[tuple[float, float]]]
    bounds: tuple[float, float, float, float]


@dataclass(frozen=True)
class Profile:
    area_id: str
    name: str
    level: str
    parent_name: str
    area_ha: float
    population: float
    population_year: int | None
    year: int
    lang: str
    rows: pd.DataFrame  # one row per indicator, see build_profile
    series: pd.DataFrame  # indicator_id, year, value, status, city
    years: tuple[int, ...]
    locator: Locator | None
    social: pd.DataFrame | None = None  # name, status_class, dynamics_class, reason
    social_span: tuple[int, int] | None = None
    is_demo: bool = False
    data_date: str = ""
    sources: tuple[str, ...] = ()
    notes: tuple[tuple[int, str, str], ...] = ()  # year, indicators, text
    bench: pd.DataFrame | None = None  # benchmark_id, indicator_id, year, value
    attribution: str = ""
    measures: pd.DataFrame | None = field(default=None)  # see area_measures

    @property
    def level_label(self) -> str:
        return t(f"levels.{self.level}", self.lang)


def _rings(geom: BaseGeometry | None) -> Iterable:
    if geom is None or geom.is_empty:
        return []
    parts = getattr(geom, "geoms", [geom])
    return [p for p in parts if p.geom_type == "Polygon"]


def locator_shapes(
    context: Sequence[BaseGeometry],
    area: BaseGeometry | None,
    focus: BaseGeometry | None,
    city: BaseGeometry | None,
    tolerance_km: float = 0.02,
) -> Locator:
    """Outlines projected to local kilometres (equirectangular around the city's
    centre; exact enough for a locator) and lightly simplified."""
    everything = [g for g in [*context, area, focus, city] if g is not None]
    union_bounds = shapely.total_bounds(everything)
    lon0 = (union_bounds[0] + union_bounds[2]) / 2
    lat0 = (union_bounds[1] + union_bounds[3]) / 2
    kx = 111.32 * math.cos(math.radians(lat0))
    ky = 110.57

    def project(geom):
        out = []
        for poly in _rings(geom):
            proj = shapely.transform(
                poly,
                lambda c: np.column_stack(
                    ((c[:, 0] - lon0) * kx, (c[:, 1] - lat0) * ky)
                ),
            ).simplify(tolerance_km, preserve_topology=True)
            for p in _rings(proj):
                out.append([(round(x, 3), round(y, 3)) for x, y in p.exterior.coords])
        return out

    ctx_rings = [r for g in context for r in project(g)]
    city_rings = project(city)
    all_pts = [pt for ring in ctx_rings + city_rings for pt in ring] or [(0, 0)]
    xs, ys = [p[0] for p in all_pts], [p[1] for p in all_pts]
    return Locator(
        context=ctx_rings,
        area=project(area),
        focus=project(focus),
        city=city_rings,
        bounds=(min(xs), min(ys), max(xs), max(ys)),
    )


def _num(value) -> float:
    """A number from the store as float; NULL/NA (suppressed, missing) as NaN."""
    return np.nan if pd.isna(value) else float(value)


def _data_year(years: Sequence[int], year: int) -> int | None:
    """The year shown for an indicator: ``year`` or the latest one before it (an
    indicator collected every few years), else the first one after it."""
    if not years:
        return None
    before = [y for y in years if y <= year]
    return before[-1] if before else min(years)


def build_profile(
    *,
    area_id: str,
    areas: pd.DataFrame,
    catalog: Catalog,
    year: int,
    values: pd.DataFrame,
    bench: pd.DataFrame,
    panel: pd.DataFrame | None,
    lang: str,
    locator: Locator | None = None,
    social: pd.DataFrame | None = None,
    social_span: tuple[int, int] | None = None,
    is_demo: bool = False,
    data_date: str = "",
    attribution: str = "",
) -> Profile:
    """Assemble the profile of ``area_id`` for ``year``.

    ``values``: the store's ``area_values`` for the area and the city; ``bench``:
    ``benchmark_values`` for the catalogue; ``panel``: ``level_panel`` of the
    area's level for ranks (None: no ranks, e.g. the Perspektivquartier, the only
    area of its level).
    """
    info = areas.loc[areas.area_id == area_id].iloc[0]
    names = areas.set_index("area_id").name.astype(str)
    city = city_id(areas)
    own = values[values.area_id == area_id].sort_values(["indicator_id", "year"])
    town = values[values.area_id == city]
    # dictionaries once, lookups per indicator (a few thousand rows at most)
    own_years: dict[str, list[int]] = {}
    for ind_id, yr in zip(own.indicator_id, own.year, strict=True):
        own_years.setdefault(ind_id, []).append(int(yr))
    own_rec = {(r.indicator_id, int(r.year)): r for r in own.itertuples(index=False)}
    town_rec = {
        (r.indicator_id, int(r.year)): (r.value, str(r.status))
        for r in town.itertuples(index=False)
    }
    bench_rec = {
        (r.benchmark_id, r.indicator_id, int(r.year)): float(r.value)
        for r in bench.itertuples(index=False)
    }
    rank_rec: dict[tuple[str, int], tuple[int, int]] = {}
    if panel is not None and len(panel):
        groups = panel.groupby(["indicator_id", "year"], sort=False).value
        ranks = groups.rank(ascending=False, method="min")
        counts = groups.transform("count")
        mask = (panel.area_id == area_id).to_numpy() & ranks.notna().to_numpy()
        for ind_id, yr, rk, n in zip(
            panel.indicator_id[mask],
            panel.year[mask],
            ranks[mask],
            counts[mask],
            strict=True,
        ):
            rank_rec[(ind_id, int(yr))] = (int(rk), int(n))
    rows, note_map = [], {}
    all_years: set[int] = set()
    for domain, indicators in catalog.by_domain():
        for ind in indicators:
            years = own_years.get(ind.id, [])
            all_years.update(years)
            data_year = _data_year(years, year)
            row = {
                "domain_id": domain.id,
                "domain": domain.name(lang),
                "indicator_id": ind.id,
                "indicator": ind.text("name", lang),
                "unit": ind.unit,
                "direction": ind.direction,
                "data_year": data_year,
                "value": np.nan,
                "numerator": np.nan,
                "denominator": np.nan,
                "status": "missing",
                "rank": pd.NA,
                "n_ranked": pd.NA,
                "city": np.nan,
                "city_status": "missing",
                "city_index": np.nan,
                "note": "",
            }
            for bench_id in BENCHMARKS:
                row[bench_id] = bench_rec.get((bench_id, ind.id, data_year), np.nan)
            hit = own_rec.get((ind.id, data_year))
            if hit is not None:
                row.update(
                    value=_num(hit.value),
                    numerator=_num(hit.numerator),
                    denominator=_num(hit.denominator),
                    status=str(hit.status),
                )
            town_hit = town_rec.get((ind.id, data_year))
            if town_hit is not None:
                row.update(city=_num(town_hit[0]), city_status=town_hit[1])
            if row["status"] != "suppressed" and (ind.id, data_year) in rank_rec:
                row["rank"], row["n_ranked"] = rank_rec[(ind.id, data_year)]
            published = row["status"] in ("ok", "estimated")
            if (
                published
                and ind.unit != "count"
                and row["city_status"] == "ok"
                and row["city"] == row["city"]
                and row["city"] > 0
            ):
                row["city_index"] = 100.0 * row["value"] / row["city"]
            notes = []
            if row["status"] == "suppressed":
                notes.append(t("status.suppressed", lang))
            elif row["status"] == "missing":
                notes.append(t("status.missing", lang))
            elif row["status"] == "estimated":
                notes.append(t("profil.estimated", lang))
            if data_year is not None and data_year != year:
                notes.append(t("profil.other_year", lang, year=data_year))
            row["note"] = "; ".join(notes)
            rows.append(row)
            for note in ind.notes:
                text = note.get("en" if lang == "en" else "de", "")
                if text and int(note.get("year", 0)) in years:
                    key = (int(note["year"]), text)
                    note_map.setdefault(key, []).append(ind.text("name", lang))
    table = pd.DataFrame(rows)
    # the years of the sparklines, with the city alongside
    series = own[["indicator_id", "year", "value", "status"]].reset_index(drop=True)
    series["value"] = [_num(v) for v in series.value]
    series["city"] = [
        _num(town_rec.get((i, int(y)), (np.nan, ""))[0])
        for i, y in zip(series.indicator_id, series.year, strict=True)
    ]
    pop_rows = own[(own.indicator_id == "einwohner") & (own.status == "ok")]
    pop_rows = (
        pop_rows[pop_rows.year <= year] if (pop_rows.year <= year).any() else pop_rows
    )
    population = float(pop_rows.value.iloc[-1]) if len(pop_rows) else float("nan")
    population_year = int(pop_rows.year.iloc[-1]) if len(pop_rows) else None
    notes = tuple(
        (y, ", ".join(inds), text) for (y, text), inds in sorted(note_map.items())
    )
    sources = tuple(
        dict.fromkeys(catalog[i].text("source", lang) for i in table.indicator_id)
    )
    parent = info.parent_id
    return Profile(
        area_id=area_id,
        name=str(info["name"]),
        level=str(info.level),
        parent_name=str(names.get(parent, "")) if isinstance(parent, str) else "",
        area_ha=float(info.area_km2) * 100
        if info.area_km2 == info.area_km2
        else float("nan"),
        population=population,
        population_year=population_year,
        year=int(year),
        lang=lang,
        rows=table,
        series=series,
        years=tuple(sorted(all_years)),
        locator=locator,
        social=social,
        social_span=social_span,
        is_demo=is_demo,
        data_date=data_date,
        sources=sources,
        notes=notes,
        bench=bench[["benchmark_id", "indicator_id", "year", "value"]].reset_index(
            drop=True
        ),
        attribution=attribution,
    )


def _social_for(areas, area_id, level, year, index_years, sozialindex):
    """Sozialindex classes for a profile: the area's own class (Stadtteil,
    Quartier) or those of the Quartiere of the Perspektivquartier."""
    years = tuple(index_years)
    if not years or sozialindex is None:
        return None, None
    year = year if year in years else years[-1]
    earlier = [y for y in years if y <= year - 2]
    year_from = earlier[-1] if earlier else years[0]
    if year_from >= year:
        return None, None
    if level == "fokusgebiet":
        index_level = "quartier"
        members = areas[(areas.level == "quartier") & areas.in_focus.astype(bool)]
        ids = list(members.sort_values("name").area_id)
    else:
        index_level, ids = level, [area_id]
    try:
        result = sozialindex(index_level, year, year_from)
    except (ValueError, KeyError):
        return None, None
    names = areas.set_index("area_id").name
    return social_frame(result, ids, names), (year_from, year)


MEASURE_COLUMNS = ("measure_id", "title", "lead", "status", "start", "end", "where")


def area_measures(
    measures: pd.DataFrame,
    areas: pd.DataFrame,
    area_id: str,
    outline: BaseGeometry | None = None,
) -> pd.DataFrame:
    """The programme's measures located in an area, with how they relate to it.

    ``where`` is ``area`` for a measure assigned to the area or to an area inside
    it (by the parent chain) or whose point (lon/lat) lies in ``outline``, and
    ``focus`` for a measure of the Perspektivquartier as a whole when the area is a
    part of it (``in_focus``). City-wide measures (no area, no point) are not
    listed: they concern every area alike.
    """
    empty = pd.DataFrame(columns=list(MEASURE_COLUMNS))
    if measures is None or measures.empty or area_id not in set(areas.area_id):
        return empty
    parents = dict(zip(areas.area_id, areas.parent_id, strict=True))

    def inside(candidate) -> bool:
        seen = set()
        while isinstance(candidate, str) and candidate not in seen:
            if candidate == area_id:
                return True
            seen.add(candidate)
            candidate = parents.get(candidate)
        return False

    info = areas.set_index("area_id").loc[area_id]
    focus_ids = set(areas.area_id[areas.level == "fokusgebiet"])

    def sited_here(lon, lat) -> bool:
        return (
            outline is not None
            and pd.notna(lon)
            and pd.notna(lat)
            and outline.covers(shapely.Point(float(lon), float(lat)))
        )

    where = []
    for m in measures.itertuples(index=False):
        if inside(m.area_id) or sited_here(m.lon, m.lat):
            where.append("area")
        elif bool(info.in_focus) and m.area_id in focus_ids:
            where.append("focus")
        else:
            where.append("")
    out = measures.assign(where=where)
    out = out[out["where"] != ""]
    return out[list(MEASURE_COLUMNS)].sort_values("measure_id").reset_index(drop=True)


def measures_display(measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The profile's measures as a table for the page and the Steckbrief."""
    from monitor.formatting import fmt_month

    def period(start, end) -> str:
        parts = [fmt_month(d, lang) if pd.notna(d) else "…" for d in (start, end)]
        return "–".join(parts)

    return pd.DataFrame(
        {
            t("profil.col_measure_id", lang): measures.measure_id.astype(str),
            t("profil.col_measure", lang): measures.title.astype(str),
            t("profil.col_lead", lang): measures.lead.fillna("").astype(str),
            t("profil.col_status", lang): [
                t(f"progress.status.{s}", lang) for s in measures.status
            ],
            t("profil.col_period", lang): [
                period(a, b) for a, b in zip(measures.start, measures.end, strict=True)
            ],
            t("profil.col_where", lang): [
                t(f"profil.where_{w}", lang) for w in measures["where"]
            ],
        }
    )


def assemble_profile(
    *,
    area_id: str,
    year: int,
    lang: str,
    catalog: Catalog,
    meta,
    areas: pd.DataFrame,
    area_values: Callable[[Sequence[str]], pd.DataFrame],
    benchmark_values: Callable[[Sequence[str]], pd.DataFrame],
    level_panel: Callable[[str], pd.DataFrame],
    geometries: Callable[[str], pd.DataFrame],
    index_years: Sequence[int] = (),
    sozialindex: Callable | None = None,
    measures: pd.DataFrame | None = None,
) -> Profile:
    """Load what a profile needs through the given functions and build it.

    The page passes its cached loaders, the batch (tools/steckbriefe.py) the
    store's methods, so both produce the same profile. ``sozialindex(level, year,
    year_from)`` returns a SozialindexResult (ValueError: no class shown).
    """
    info = areas.set_index("area_id").loc[area_id]
    level = str(info.level)
    city = city_id(areas)
    values = area_values([a for a in (area_id, city) if a])
    bench = benchmark_values(list(catalog.ids))
    panel = level_panel(level) if level in RANK_LEVELS else None
    context_level = "quartier" if level == "fokusgebiet" else level
    geo = geometries(context_level)
    own_geo = geo if level == context_level else geometries(level)
    focus = geometries("fokusgebiet").geometry
    town = geometries("stadt").geometry
    locator = locator_shapes(
        list(geo.geometry),
        own_geo.set_index("area_id").geometry.get(area_id),
        focus.iloc[0] if len(focus) else None,
        town.iloc[0] if len(town) else None,
    )
    social, span = _social_for(
        areas, area_id, level, int(year), index_years, sozialindex
    )
    profile = build_profile(
        area_id=area_id,
        areas=areas,
        catalog=catalog,
        year=int(year),
        values=values,
        bench=bench,
        panel=panel,
        lang=lang,
        locator=locator,
        social=social,
        social_span=span,
        is_demo=meta.is_demo,
        data_date=meta.data_date,
        attribution=meta.attribution,
    )
    if measures is None:
        return profile
    outline = own_geo.set_index("area_id").geometry.get(area_id)
    return replace(profile, measures=area_measures(measures, areas, area_id, outline))


# -- tables --------------------------------------------------------------------------
def _decimals(unit: str) -> int:
    return 0 if unit == "count" else 1


def _round(value, decimals: int):
    return np.nan if pd.isna(value) else round(float(value), decimals)


def _cols(lang: str) -> dict[str, str]:
    keys = (
        "area",
        "level",
        "domain",
        "indicator",
        "indicator_id",
        "unit",
        "year",
        "value",
        "numerator",
        "denominator",
        "rank",
        "n_ranked",
        "city",
        "city_index",
        "landkreis",
        "saarland",
        "deutschland",
        "note",
        "trend",
        "bar",
        "counts",
    )
    return {k: t(f"profil.col_{k}", lang) for k in keys}


def profile_export(profile: Profile) -> pd.DataFrame:
    """The key figures exactly as the page shows them (numbers rounded as shown,
    suppressed cells "·"); one row per indicator."""
    lang, rows = profile.lang, profile.rows
    c = _cols(lang)
    dec = [_decimals(u) for u in rows.unit]
    frame = pd.DataFrame(
        {
            c["area"]: profile.name,
            c["level"]: profile.level_label,
            c["domain"]: rows.domain,
            c["indicator"]: rows.indicator,
            c["indicator_id"]: rows.indicator_id,
            c["unit"]: [t(f"units.{u}", lang) for u in rows.unit],
            c["year"]: rows.data_year.astype("Int64"),
            c["value"]: [_round(v, d) for v, d in zip(rows.value, dec, strict=True)],
            c["numerator"]: [_round(v, 0) for v in rows.numerator],
            c["denominator"]: [
                _round(v, 0) if u != "count" else np.nan
                for v, u in zip(rows.denominator, rows.unit, strict=True)
            ],
            c["rank"]: rows["rank"].astype("Int64"),
            c["n_ranked"]: rows["n_ranked"].astype("Int64"),
            c["city"]: [_round(v, d) for v, d in zip(rows.city, dec, strict=True)],
            c["city_index"]: [_round(v, 0) for v in rows.city_index],
            c["landkreis"]: [
                _round(v, d) for v, d in zip(rows.landkreis, dec, strict=True)
            ],
            c["saarland"]: [
                _round(v, d) for v, d in zip(rows.saarland, dec, strict=True)
            ],
            c["deutschland"]: [
                _round(v, d) for v, d in zip(rows.deutschland, dec, strict=True)
            ],
            c["note"]: rows.note,
        }
    )
    supp = (rows.status == "suppressed").to_numpy()
    city_supp = (rows.city_status == "suppressed").to_numpy()
    return masked(
        frame,
        {
            c["value"]: supp,
            c["numerator"]: supp,
            c["denominator"]: supp & (rows.unit != "count").to_numpy(),
            c["city_index"]: supp | city_supp,
            c["city"]: city_supp,
        },
    )


def series_export(profile: Profile) -> pd.DataFrame:
    """The years behind the sparklines: area and city per indicator and year."""
    lang = profile.lang
    c = _cols(lang)
    ser = profile.series.merge(
        profile.rows[["indicator_id", "indicator", "unit"]], on="indicator_id"
    )
    dec = [_decimals(u) for u in ser.unit]
    frame = pd.DataFrame(
        {
            c["area"]: profile.name,
            c["indicator"]: ser.indicator,
            c["indicator_id"]: ser.indicator_id,
            c["year"]: ser.year.astype("Int64"),
            c["value"]: [_round(v, d) for v, d in zip(ser.value, dec, strict=True)],
            c["city"]: [_round(v, d) for v, d in zip(ser.city, dec, strict=True)],
        }
    )
    return masked(frame, {c["value"]: (ser.status == "suppressed").to_numpy()})


def _fmt_cell(value, unit: str, lang: str, decimals: int | None = None) -> str:
    if isinstance(value, str):
        return value  # "·"
    if value is None or value is pd.NA or value != value:
        return MISSING
    if unit == "per_100":  # the unit stands in the row label
        return fmt_number(value, lang, 1 if decimals is None else decimals)
    return fmt_value(value, unit, lang, decimals=decimals)


def _fmt_count(value, lang: str) -> str:
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value != value:
        return MISSING
    return fmt_number(value, lang, 0)


@dataclass(frozen=True)
class DomainTable:
    """One domain's part of the page table: formatted strings (``frame``) and the
    notes of its rows (shown under the table, "Indikator: Hinweis")."""

    name: str
    domain_id: str
    frame: pd.DataFrame
    notes: tuple[str, ...]


# px of the cell images: the table scales an image to the row height, so they
# have the cells' aspect ratio (column width - padding, row height - padding)
ROW_HEIGHT = 34
BAR_W, BAR_H = 116, 26
SPARK_W, SPARK_H = 108, 26


def _counts(numerator, denominator, lang: str) -> str:
    if isinstance(numerator, str):
        return numerator  # "·"
    num = _fmt_count(numerator, lang)
    if isinstance(denominator, str) or denominator != denominator:
        return num
    return f"{num} / {_fmt_count(denominator, lang)}"


def domain_tables(
    profile: Profile, export: pd.DataFrame | None = None
) -> list[DomainTable]:
    """The page's tables, one per domain, built from :func:`profile_export` so
    the page shows exactly what the downloads contain. The "Stadt = 100" bar (with
    its number) and the sparkline are SVG images drawn like in the PDF."""
    lang = profile.lang
    c = _cols(lang)
    export = profile_export(profile) if export is None else export
    lines = sparkline_values(profile)
    records = export.to_dict("records")
    meta = profile.rows[["domain_id", "domain", "unit", "direction", "indicator_id"]]
    has_rank = bool(profile.rows["rank"].notna().any())
    grouped: dict[str, list[dict]] = {}
    notes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for rec, m in zip(records, meta.itertuples(index=False), strict=True):
        unit = m.unit
        year = rec[c["year"]]
        index = rec[c["city_index"]]
        bar = (
            None
            if isinstance(index, str) or index != index
            else city_bar_geometry(
                index, m.direction, width=BAR_W - 34, height=BAR_H * 0.7
            )
        )
        label = (
            index
            if isinstance(index, str)
            else (MISSING if index != index else fmt_number(index, lang, 0))
        )
        rank = rec[c["rank"]]
        name = rec[c["indicator"]]
        if not pd.isna(year) and year != profile.year:
            name = f"{name} ({year})"
        if unit == "per_100":  # "je 100 EW" moves into the label: narrow column
            name = f"{name} ({unit_suffix(unit, lang).strip()})"
        row = {
            c["indicator"]: name,
            c["value"]: _fmt_cell(rec[c["value"]], unit, lang),
            c["counts"]: _counts(rec[c["numerator"]], rec[c["denominator"]], lang),
        }
        if has_rank:
            row[c["rank"]] = (
                MISSING if pd.isna(rank) else f"{rank} / {rec[c['n_ranked']]}"
            )
        row.update(
            {
                c["city"]: _fmt_cell(rec[c["city"]], unit, lang),
                c["bar"]: svg_data_url(city_bar_svg(bar, BAR_W, BAR_H, label)),
                c["trend"]: svg_data_url(
                    sparkline_svg(_sparkline(lines, m.indicator_id, SPARK_W, SPARK_H))
                ),
                c["landkreis"]: _fmt_cell(rec[c["landkreis"]], unit, lang),
                c["saarland"]: _fmt_cell(rec[c["saarland"]], unit, lang),
                c["deutschland"]: _fmt_cell(rec[c["deutschland"]], unit, lang),
            }
        )
        grouped.setdefault(m.domain_id, []).append(row)
        if rec[c["note"]]:
            notes.setdefault(m.domain_id, []).append(
                f"{rec[c['indicator']]}: {rec[c['note']]}"
            )
        names[m.domain_id] = m.domain
    return [
        DomainTable(names[d], d, pd.DataFrame(rows), tuple(notes.get(d, ())))
        for d, rows in grouped.items()
    ]


def table_column_config(profile: Profile) -> dict[str, tuple[str, str, int, str]]:
    """Column kinds of the page's tables: header -> (kind, label, width px, help);
    kind is ``image`` (SVG bar/sparkline), ``number`` (right-aligned) or ``text``.
    The widths fit the content column of a 1600 px wide window."""
    lang = profile.lang
    c = _cols(lang)
    years = f"{profile.years[0]}–{profile.years[-1]}" if profile.years else ""
    config = {
        c["indicator"]: ("text", c["indicator"], 262, ""),
        c["value"]: ("number", c["value"], 78, ""),
        c["counts"]: ("number", c["counts"], 110, t("profil.help_counts", lang)),
        c["rank"]: ("number", c["rank"], 66, t("profil.rank_note", lang)),
        c["city"]: ("number", c["city"], 76, ""),
        c["bar"]: ("image", c["city_index"], BAR_W + 8, t("profil.help_bar", lang)),
        c["trend"]: (
            "image",
            f"{c['trend']} {years}",
            SPARK_W + 8,
            t("profil.help_trend", lang),
        ),
        c["landkreis"]: ("number", c["landkreis"], 76, ""),
        c["saarland"]: ("number", c["saarland"], 76, ""),
        c["deutschland"]: ("number", c["deutschland"], 86, ""),
    }
    if not profile.rows["rank"].notna().any():
        config.pop(c["rank"])
    return config


def headline_cards(
    profile: Profile, indicator_ids: Sequence[str] = HEADLINE
) -> list[dict]:
    """Metric cards of the core indicators: value and distance to the city."""
    lang = profile.lang
    rows = profile.rows.set_index("indicator_id")
    cards = []
    for ind_id in [i for i in indicator_ids if i in rows.index]:
        r = rows.loc[ind_id]
        diff = (
            r.value - r.city
            if r.status in ("ok", "estimated") and r.city_status == "ok"
            else float("nan")
        )
        cards.append(
            {
                "label": r.indicator,
                "value": fmt_value(r.value, r.unit, lang, r.status),
                "delta": None
                if diff != diff
                else t(
                    "profil.vs_city",
                    lang,
                    diff=fmt_change(diff, r.unit, lang, minus="-"),
                ),
                "delta_color": {
                    "higher_is_worse": "inverse",
                    "higher_is_better": "normal",
                }.get(r.direction, "off"),
                "help": t(
                    "profil.card_help",
                    lang,
                    city=fmt_value(r.city, r.unit, lang, r.city_status),
                    year=int(r.data_year) if r.data_year == r.data_year else "",
                ),
            }
        )
    return cards


def summary_counts(profile: Profile) -> dict[str, int]:
    """How many rate indicators are worse / better / about equal to the city."""
    counts = {"worse": 0, "better": 0, "same": 0, "context": 0}
    for unit, index, direction in zip(
        profile.rows.unit, profile.rows.city_index, profile.rows.direction, strict=True
    ):
        if unit == "count" or index != index:
            continue
        counts[judgement(index, direction)] += 1
    return counts


def summary_text(profile: Profile) -> str:
    counts = summary_counts(profile)
    return t(
        "export.pdf_summary",
        profile.lang,
        worse=counts["worse"],
        better=counts["better"],
        same=counts["same"],
        n=counts["worse"] + counts["better"] + counts["same"],
    )


def sparkline_values(profile: Profile) -> dict[str, tuple[list, list]]:
    """Per indicator: (area values, city values) over ``profile.years``; None for
    a year without a published value (a gap in the line)."""
    index = {y: i for i, y in enumerate(profile.years)}
    out: dict[str, tuple[list, list]] = {}
    ser = profile.series
    for ind_id, yr, value, city in zip(
        ser.indicator_id, ser.year, ser.value, ser.city, strict=True
    ):
        area_vals, city_vals = out.setdefault(
            ind_id, ([None] * len(index), [None] * len(index))
        )
        i = index[int(yr)]
        area_vals[i] = float(value) if value == value else None
        city_vals[i] = float(city) if city == city else None
    return out


def _sparkline(lines: dict, indicator_id: str, width=120, height=30):
    area_vals, city_vals = lines.get(indicator_id, ([], []))
    return sparkline_geometry(area_vals, city_vals, width=width, height=height)


# -- figures -------------------------------------------------------------------------
# Figures are built as plain dicts and wrapped without plotly's per-property
# validation (tests validate them): building through update_* calls cost about
# 60-150 ms per figure here, a dict about 1 ms. The look comes from
# monitor.views.charts.base_layout, so every page's charts share one style.


@lru_cache(maxsize=32)
def _base_layout(lang: str, height: int, scale: float) -> dict:
    return base_layout(go.Figure(), lang, height, scale).layout.to_plotly_json()


def figure(
    data: list[dict],
    layout: dict,
    *,
    lang: str,
    height: int,
    scale: float = 1.0,
    footer: str = "",
    footer_size: int = 12,
    footer_gap: int = 0,
    footer_chars: int = 140,
) -> go.Figure:
    """A go.Figure from dicts on top of the shared base layout (no validation),
    with the source and data status as a footer (on screen and in every PNG);
    ``footer_gap``: pixels taken by the x axis under the plot (ticks, title)."""
    merged = copy.deepcopy(_base_layout(lang, height, scale))
    for key, value in layout.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    if footer:
        # below the plot area, clear of the x axis' tick labels and title; long
        # texts wrap (plotly does not wrap annotations by itself)
        lines = textwrap.wrap(footer, footer_chars) or [footer]
        block = round(footer_size * 1.35 * len(lines)) + 8
        margin = merged.setdefault("margin", {})
        margin["b"] = (margin.get("b") or 10) + footer_gap + block
        merged["annotations"] = [
            *merged.get("annotations", []),
            {
                "text": "<br>".join(escape(line, quote=False) for line in lines),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "yshift": -(footer_gap + 4),
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "align": "left",
                "font": {"size": footer_size, "color": "#5f6b7a"},
            },
        ]
        merged["height"] = merged.get("height", height) + footer_gap + block
    return go.Figure({"data": data, "layout": merged}, _validate=False)


def city_index_figure(
    profile: Profile, *, footer: str = "", scale: float = 1.0
) -> go.Figure:
    """ "Stadt = 100": every rate indicator of the area against the city, bars from
    the 100 line, grouped by domain; orange = less favourable, purple = more."""
    rows = profile.rows[profile.rows.unit != "count"].reset_index(drop=True)
    lang = profile.lang
    index = rows.city_index.to_numpy(dtype=float)
    shown = np.clip(index, 0, CITY_INDEX_MAX)
    labels = [escape(n, quote=False) for n in rows.indicator]
    domains = [escape(d, quote=False) for d in rows.domain]
    texts = []
    for ix, status in zip(index, rows.status, strict=True):
        if status == "suppressed":
            texts.append(SUPPRESSED)
        elif ix != ix:
            texts.append(MISSING)
        else:
            capped = "\u00a0▸" if ix > CITY_INDEX_MAX else ""
            texts.append(fmt_number(ix, lang, 0) + capped)
    hover = [
        t(
            "profil.hover_index",
            lang,
            indicator=label,
            value=fmt_value(v, u, lang, s),
            city=fmt_value(cv, u, lang, cs),
            index=text,
        )
        for label, v, u, s, cv, cs, text in zip(
            labels,
            rows.value,
            rows.unit,
            rows.status,
            rows.city,
            rows.city_status,
            texts,
            strict=True,
        )
    ]
    height = 90 + 26 * len(rows)
    title = t("profil.city_index_title", lang, name=profile.name, year=profile.year)
    return figure(
        [
            {
                "type": "bar",
                "x": [0.0 if v != v else float(v - 100) for v in shown],
                "base": 100,
                "y": [domains, labels],
                "orientation": "h",
                "marker": {
                    "color": [
                        bar_color(ix, d)
                        for ix, d in zip(index, rows.direction, strict=True)
                    ]
                },
                "text": texts,
                "textposition": "outside",
                "cliponaxis": False,
                "hovertext": hover,
                "hoverinfo": "text",
                "width": 0.7,
            }
        ],
        {
            "showlegend": False,
            "margin": {"l": 10, "r": 40, "t": 70, "b": 10},
            "title": {
                "text": escape(title, quote=False),
                "font": {"size": round(18 * scale)},
            },
            "shapes": [
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": 100,
                    "x1": 100,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#1b1b1b", "width": 2},
                }
            ],
            "xaxis": {
                "range": [0, CITY_INDEX_MAX + 25],
                "tickvals": [0, 50, 100, 150, 200, 250],
                "gridcolor": "#e5e8ec",
                "title": {"text": t("profil.city_index_axis", lang)},
                "side": "top",
            },
            "yaxis": {
                "autorange": "reversed",
                "automargin": True,
                "dividercolor": "#c9d1db",
            },
        },
        lang=lang,
        height=height,
        scale=scale,
        footer=footer,
    )


def _xy(rings) -> tuple[list, list]:
    xs, ys = [], []
    for ring in rings:
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def locator_figure(
    profile: Profile,
    *,
    height: int = 320,
    footer: str = "",
    focus_label: str = "",
) -> go.Figure:
    """Where the area lies: the areas of its level in grey, the area highlighted,
    the Perspektivquartier outlined in black (as on every map)."""
    loc = profile.locator
    data: list[dict] = []
    if loc is not None:
        line = {"type": "scatter", "mode": "lines", "showlegend": False}
        xs, ys = _xy(loc.context)
        data.append(
            {
                **line,
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": "#e3e7ec",
                "line": {"color": "white", "width": 1},
                "hoverinfo": "skip",
            }
        )
        xs, ys = _xy(loc.city)
        data.append(
            {
                **line,
                "x": xs,
                "y": ys,
                "line": {"color": "#5f6b7a", "width": 1.5},
                "hoverinfo": "skip",
            }
        )
        xs, ys = _xy(loc.area)
        data.append(
            {
                **line,
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": HIGHLIGHT,
                "line": {"color": HIGHLIGHT, "width": 2},
                "name": escape(profile.name, quote=False),
                "hoverinfo": "name",
            }
        )
        if loc.focus and profile.level != "fokusgebiet":
            xs, ys = _xy(loc.focus)
            data.append(
                {
                    **line,
                    "x": xs,
                    "y": ys,
                    "line": {"color": "black", "width": 2},
                    "name": escape(focus_label, quote=False),
                    "hoverinfo": "name",
                }
            )
        marker = locator_marker(loc)
        if marker is not None:
            cx, cy, r = marker
            data.append(
                {
                    **line,
                    "x": [cx + r * math.cos(a / 24 * math.tau) for a in range(25)],
                    "y": [cy + r * math.sin(a / 24 * math.tau) for a in range(25)],
                    "line": {"color": HIGHLIGHT, "width": 2.5},
                    "hoverinfo": "skip",
                }
            )
    return figure(
        data,
        {
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "dragmode": False,
            "xaxis": {"visible": False, "fixedrange": True},
            "yaxis": {
                "visible": False,
                "scaleanchor": "x",
                "scaleratio": 1,
                "fixedrange": True,
            },
        },
        lang=profile.lang,
        height=height,
        footer=footer,
        footer_size=11,
    )


def locator_marker(loc: Locator) -> tuple[float, float, float] | None:
    """A ring around an area too small to see on the locator (centre x, y, radius
    in km), or None."""
    if not loc.area:
        return None
    xs = [p[0] for ring in loc.area for p in ring]
    ys = [p[1] for ring in loc.area for p in ring]
    size = max(max(xs) - min(xs), max(ys) - min(ys))
    span = max(loc.bounds[2] - loc.bounds[0], loc.bounds[3] - loc.bounds[1])
    if size > span * 0.12:
        return None
    return (
        (max(xs) + min(xs)) / 2,
        (max(ys) + min(ys)) / 2,
        max(size * 0.9, span * 0.05),
    )


def social_lines(profile: Profile) -> list[str]:
    """One plain-text line per area with a Sozialindex class (group and classes)."""
    if profile.social is None or profile.social.empty:
        return []
    lang = profile.lang
    lines = []
    for row in profile.social.itertuples(index=False):
        if isinstance(row.status_class, str) and row.status_class:
            text = t(
                "profil.social_line",
                lang,
                status=t(f"sozialindex.status_{row.status_class}", lang),
                dynamics=t(f"sozialindex.dynamics_{row.dynamics_class}", lang),
            )
        else:
            text = t(f"sozialindex.reason_{row.reason or 'value_missing'}", lang)
        lines.append(f"{row.name}: {text}" if len(profile.social) > 1 else text)
    return lines


def social_frame(result, area_ids: Sequence[str], names: pd.Series) -> pd.DataFrame:
    """Sozialindex classes of ``area_ids`` (from a SozialindexResult): name,
    status_class, dynamics_class, group_no, reason (for excluded areas)."""
    rows = []
    for area_id in area_ids:
        name = str(names.get(area_id, area_id))
        if area_id in result.areas.index:
            r = result.areas.loc[area_id]
            rows.append(
                {
                    "area_id": area_id,
                    "name": name,
                    "status_class": str(r.status_class),
                    "dynamics_class": str(r.dynamics_class),
                    "group_no": int(r.group_no),
                    "reason": "",
                }
            )
        else:
            reason = (
                str(result.excluded.reason.get(area_id, "value_missing"))
                if len(result.excluded)
                else "value_missing"
            )
            rows.append(
                {
                    "area_id": area_id,
                    "name": name,
                    "status_class": "",
                    "dynamics_class": "",
                    "group_no": 0,
                    "reason": reason,
                }
            )
    return pd.DataFrame(rows)
