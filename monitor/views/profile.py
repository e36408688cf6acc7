"""The profile of one area (page "Profil" and the Steckbrief PDF): the model.

:func:`assemble_profile` loads what a profile needs through given functions (the
page's cached loaders or the store's methods) and :func:`build_profile` turns the
frames into a :class:`Profile`: one row per indicator of the catalogue with the
area's value, the city's, the benchmarks, the rank and the "Stadt = 100" index,
(every benchmark of the data folder's place, :mod:`monitor.place`, in its order),
plus the years behind the sparklines, the locator outlines, the Sozialindex class
and the measures located in the area. The page shows it through
:mod:`monitor.views.profile_tables` and :mod:`monitor.views.profile_figures`, the
PDF (:mod:`monitor.views.steckbrief_pdf`) prints the same profile. Suppressed
values arrive as NaN with ``status == "suppressed"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from monitor.areas import RANK_LEVELS
from monitor.catalog import Catalog, Domain, Indicator
from monitor.i18n import t
from monitor.place import Benchmark, Place
from monitor.views.legend import status_tip
from monitor.viewstate import data_year

__all__ = [
    "Profile",
    "bench_column",
    "Locator",
    "build_profile",
    "assemble_profile",
    "locator_shapes",
    "area_measures",
    "social_frame",
]

MEASURE_COLUMNS = ("measure_id", "title", "lead", "status", "start", "end", "where")


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
    data_version: str = ""  # the served version's id (PDF footer)
    sources: tuple[str, ...] = ()
    notes: tuple[tuple[int, str, str], ...] = ()  # year, indicators, text
    bench: pd.DataFrame | None = None  # benchmark_id, indicator_id, year, value
    attribution: str = ""
    measures: pd.DataFrame | None = field(default=None)  # see area_measures
    benchmarks: tuple[Benchmark, ...] = ()  # the columns ``bench:<id>`` of rows
    city_name: str = ""
    headline: tuple[str, ...] = ()  # indicator ids of the cards
    title: str = ""  # of the data folder (meta.json), for footers and sources

    @property
    def level_label(self) -> str:
        return t(f"levels.{self.level}", self.lang)

    @property
    def region(self) -> Benchmark | None:
        return next((b for b in self.benchmarks if b.role == "region"), None)


def bench_column(benchmark_id: str) -> str:
    """The column of ``Profile.rows`` with a benchmark's value."""
    return f"bench:{benchmark_id}"


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


@dataclass(frozen=True)
class _Lookups:
    """The inputs of a profile as dictionaries by (indicator, year): built once,
    read per indicator (a few thousand rows at most)."""

    own_years: dict[str, list[int]]  # indicator -> the area's years, ascending
    own: dict[tuple[str, int], tuple]  # the area's rows (value, counts, status)
    town: dict[tuple[str, int], tuple[float, str]]  # the city's value, status
    bench: dict[tuple[str, str, int], float]  # (benchmark, indicator, year)
    ranks: dict[tuple[str, int], tuple[int, int]]  # (rank, areas ranked)


def _ranks(panel: pd.DataFrame | None, area_id: str) -> dict:
    """Rank of the area among its level (1 = highest value) per indicator-year."""
    if panel is None or not len(panel):
        return {}
    groups = panel.groupby(["indicator_id", "year"], sort=False).value
    ranks = groups.rank(ascending=False, method="min")
    counts = groups.transform("count")
    mask = (panel.area_id == area_id).to_numpy() & ranks.notna().to_numpy()
    return {
        (ind_id, int(yr)): (int(rk), int(n))
        for ind_id, yr, rk, n in zip(
            panel.indicator_id[mask],
            panel.year[mask],
            ranks[mask],
            counts[mask],
            strict=True,
        )
    }


def _lookups(
    own: pd.DataFrame,
    town: pd.DataFrame,
    bench: pd.DataFrame,
    panel: pd.DataFrame | None,
    area_id: str,
) -> _Lookups:
    own_years: dict[str, list[int]] = {}
    for ind_id, yr in zip(own.indicator_id, own.year, strict=True):
        own_years.setdefault(ind_id, []).append(int(yr))
    return _Lookups(
        own_years=own_years,
        own={(r.indicator_id, int(r.year)): r for r in own.itertuples(index=False)},
        town={
            (r.indicator_id, int(r.year)): (r.value, str(r.status))
            for r in town.itertuples(index=False)
        },
        bench={
            (r.benchmark_id, r.indicator_id, int(r.year)): float(r.value)
            for r in bench.itertuples(index=False)
        },
        ranks=_ranks(panel, area_id),
    )


def _city_index(row: dict, unit: str) -> float:
    """Area = 100 × area / city for a published rate against a published city
    value above 0 (counts have no index)."""
    if (
        row["status"] in ("ok", "estimated")
        and unit != "count"
        and row["city_status"] == "ok"
        and row["city"] == row["city"]
        and row["city"] > 0
    ):
        return 100.0 * row["value"] / row["city"]
    return np.nan


def _row_note(status: str, shown_year: int | None, year: int, lang: str) -> str:
    """Why a value is missing or other than asked for ("; "-joined)."""
    notes = []
    if status == "suppressed":
        notes.append(t("status.suppressed", lang))
    elif status == "missing":
        notes.append(t("status.missing", lang))
    elif status in ("pending", "not_meaningful", "uncertain"):
        notes.append(status_tip(status, lang))
    elif status == "estimated":
        notes.append(t("profil.estimated", lang))
    if shown_year is not None and shown_year != year:
        notes.append(t("profil.other_year", lang, year=shown_year))
    return "; ".join(notes)


def _indicator_row(
    domain: Domain,
    ind: Indicator,
    year: int,
    look: _Lookups,
    lang: str,
    benchmarks: Sequence[Benchmark],
) -> dict:
    """One row of ``Profile.rows``: the indicator in its data year (``year`` or
    the latest before it) for the area, the city and the benchmarks."""
    shown = data_year(look.own_years.get(ind.id, []), year)
    row = {
        "domain_id": domain.id,
        "domain": domain.name(lang),
        "indicator_id": ind.id,
        "indicator": ind.text("name", lang),
        "unit": ind.unit,
        "direction": ind.direction,
        "data_year": shown,
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
    for benchmark in benchmarks:
        row[bench_column(benchmark.id)] = look.bench.get(
            (benchmark.id, ind.id, shown), np.nan
        )
    hit = look.own.get((ind.id, shown))
    if hit is not None:
        row.update(
            value=_num(hit.value),
            numerator=_num(hit.numerator),
            denominator=_num(hit.denominator),
            status=str(hit.status),
        )
    town_hit = look.town.get((ind.id, shown))
    if town_hit is not None:
        row.update(city=_num(town_hit[0]), city_status=town_hit[1])
    if row["status"] != "suppressed" and (ind.id, shown) in look.ranks:
        row["rank"], row["n_ranked"] = look.ranks[(ind.id, shown)]
    row["city_index"] = _city_index(row, ind.unit)
    row["note"] = _row_note(row["status"], shown, year, lang)
    return row


def _catalog_notes(
    catalog: Catalog, own_years: dict[str, list[int]], lang: str
) -> tuple[tuple[int, str, str], ...]:
    """The catalogue's notes (data breaks) in the area's years: (year, indicator
    names, text), one entry per year and text."""
    by_text: dict[tuple[int, str], list[str]] = {}
    for _, indicators in catalog.by_domain():
        for ind in indicators:
            years = own_years.get(ind.id, [])
            for note in ind.notes:
                text = note.get("en" if lang == "en" else "de", "")
                if text and int(note.get("year", 0)) in years:
                    key = (int(note["year"]), text)
                    by_text.setdefault(key, []).append(ind.text("name", lang))
    return tuple(
        (y, ", ".join(inds), text) for (y, text), inds in sorted(by_text.items())
    )


def _series(own: pd.DataFrame, town: dict) -> pd.DataFrame:
    """The years of the sparklines: the area's values with the city alongside."""
    series = own[["indicator_id", "year", "value", "status"]].reset_index(drop=True)
    series["value"] = [_num(v) for v in series.value]
    series["city"] = [
        _num(town.get((i, int(y)), (np.nan, ""))[0])
        for i, y in zip(series.indicator_id, series.year, strict=True)
    ]
    return series


def _population(
    own: pd.DataFrame, indicator_id: str, year: int
) -> tuple[float, int | None]:
    """Inhabitants in ``year`` or the latest year before it (else the first)."""
    rows = own[(own.indicator_id == indicator_id) & (own.status == "ok")]
    rows = rows[rows.year <= year] if (rows.year <= year).any() else rows
    if not len(rows):
        return float("nan"), None
    return float(rows.value.iloc[-1]), int(rows.year.iloc[-1])


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
    place: Place,
    locator: Locator | None = None,
    social: pd.DataFrame | None = None,
    social_span: tuple[int, int] | None = None,
    is_demo: bool = False,
    data_date: str = "",
    attribution: str = "",
    data_version: str = "",
) -> Profile:
    """Assemble the profile of ``area_id`` for ``year``.

    ``values``: the store's ``area_values`` for the area and the city; ``bench``:
    ``benchmark_values`` for the catalogue; ``panel``: ``level_panel`` of the
    area's level for ranks (None: no ranks, e.g. a Perspektivquartier, not ranked
    against other kinds of areas); ``place``: the city, benchmarks, population
    and headline indicators of the data folder.
    """
    info = areas.loc[areas.area_id == area_id].iloc[0]
    names = areas.set_index("area_id").name.astype(str)
    own = values[values.area_id == area_id].sort_values(["indicator_id", "year"])
    town = values[values.area_id == place.city_id]
    look = _lookups(own, town, bench, panel, area_id)
    table = pd.DataFrame(
        [
            _indicator_row(domain, ind, year, look, lang, place.benchmarks)
            for domain, indicators in catalog.by_domain()
            for ind in indicators
        ]
    )
    all_years = {y for i in catalog.ids for y in look.own_years.get(i, [])}
    population, population_year = _population(own, place.population, year)
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
        series=_series(own, look.town),
        years=tuple(sorted(all_years)),
        locator=locator,
        social=social,
        social_span=social_span,
        is_demo=is_demo,
        data_date=data_date,
        data_version=data_version,
        sources=sources,
        notes=_catalog_notes(catalog, look.own_years, lang),
        bench=bench[["benchmark_id", "indicator_id", "year", "value"]].reset_index(
            drop=True
        ),
        attribution=attribution,
        benchmarks=tuple(place.benchmarks),
        city_name=place.city_name,
        headline=tuple(place.headline),
        title=place.title(lang),
    )


def _social_for(areas, area_id, level, year, index_years, social_index, place):
    """Sozialindex classes for a profile: the area's own class (Stadtteil,
    Quartier) or those of the Quartiere of the Perspektivquartier."""
    years = tuple(index_years)
    if not years or social_index is None:
        return None, None
    year = year if year in years else years[-1]
    earlier = [y for y in years if y <= year - 2]
    year_from = earlier[-1] if earlier else years[0]
    if year_from >= year:
        return None, None
    if level == "fokusgebiet":
        index_level = "quartier"
        inside = set(place.members_of(area_id))
        members = areas[(areas.level == "quartier") & areas.area_id.isin(inside)]
        ids = list(members.sort_values("name").area_id)
    else:
        index_level, ids = level, [area_id]
    try:
        result = social_index(index_level, year, year_from)
    except (ValueError, KeyError):
        return None, None
    names = areas.set_index("area_id").name
    return social_frame(result, ids, names), (year_from, year)


def social_frame(result, area_ids: Sequence[str], names: pd.Series) -> pd.DataFrame:
    """Sozialindex classes of ``area_ids`` (from a SocialIndexResult): name,
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


def area_measures(
    measures: pd.DataFrame,
    areas: pd.DataFrame,
    area_id: str,
    outline: BaseGeometry | None = None,
    focus_id: str | None = None,
) -> pd.DataFrame:
    """The programme's measures located in an area, with how they relate to it.

    ``where`` is ``area`` for a measure assigned to the area or to an area inside
    it (by the parent chain) or whose point (lon/lat) lies in ``outline``, and
    ``focus`` for a measure of the Perspektivquartier as a whole that the area is a
    part of (``focus_id``: :meth:`monitor.place.Place.focus_of`). City-wide
    measures (no area, no point) are not listed: they concern every area alike.
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
        elif focus_id is not None and focus_id != area_id and m.area_id == focus_id:
            where.append("focus")
        else:
            where.append("")
    out = measures.assign(where=where)
    out = out[out["where"] != ""]
    return out[list(MEASURE_COLUMNS)].sort_values("measure_id").reset_index(drop=True)


def assemble_profile(
    *,
    area_id: str,
    year: int,
    lang: str,
    catalog: Catalog,
    meta,
    place: Place,
    areas: pd.DataFrame,
    area_values: Callable[[Sequence[str]], pd.DataFrame],
    benchmark_values: Callable[[Sequence[str]], pd.DataFrame],
    level_panel: Callable[[str], pd.DataFrame],
    geometries: Callable[[str], pd.DataFrame],
    index_years: Sequence[int] = (),
    social_index: Callable | None = None,
    measures: pd.DataFrame | None = None,
) -> Profile:
    """Load what a profile needs through the given functions and build it.

    The page passes its cached loaders, the batch (tools/steckbriefe.py) the
    store's methods, so both produce the same profile. ``social_index(level, year,
    year_from)`` returns a SocialIndexResult (ValueError: no class shown).
    """
    info = areas.set_index("area_id").loc[area_id]
    level = str(info.level)
    values = area_values([a for a in (area_id, place.city_id) if a])
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
        focus.union_all() if len(focus) else None,
        town.iloc[0] if len(town) else None,
    )
    social, span = _social_for(
        areas, area_id, level, int(year), index_years, social_index, place
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
        place=place,
        locator=locator,
        social=social,
        social_span=span,
        is_demo=meta.is_demo,
        data_date=meta.data_date,
        attribution=meta.attribution,
        data_version=getattr(meta, "version_id", ""),
    )
    if measures is None:
        return profile
    outline = own_geo.set_index("area_id").geometry.get(area_id)
    located = area_measures(measures, areas, area_id, outline, place.focus_of(area_id))
    return replace(profile, measures=located)
