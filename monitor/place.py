"""Which city this data folder is about: the places every page is built around.

Nothing in the code names a city, a Landkreis or an area id. The data folder says
which area is the city, which are the Perspektivquartiere (one or several), which
Stadtteil surrounds each of them, which reference regions (benchmarks) exist and in
which order and role, the title and the indicators of the start page. Every entry is
optional in ``meta.json`` (key ``place``); the defaults come from the data itself:

===================  ========================================  =====================
key                  meaning                                   default
===================  ========================================  =====================
``city``             area_id of the whole city                 the area of level
                                                               ``stadt``
``focus``            area_ids of the Perspektivquartiere       every area of level
                                                               ``fokusgebiet``
``context``          focus id -> the Stadtteil around it       its ``parent_id`` if
                                                               that is a Stadtteil,
                                                               else the Stadtteil
                                                               holding most of it
``benchmarks``       list of ``{id, role, short_de,            benchmarks.parquet in
                     short_en}``; role ``region`` (the parent  file order, the first
                     region, e.g. the Landkreis), ``state``,   one as ``region``;
                     ``country`` or ``other``; ``short_*`` a   short = full name
                     short name for narrow table columns
``headline``         indicator ids of the start page's cards   the catalogue's index
                                                               indicators
``population``       indicator id of the inhabitants (sizes,   the catalogue's first
                     the Sozialindex's minimum population)     ``count`` indicator
``default_indicator``  indicator a link without one shows      first headline one
``default_level``    level a link without one shows            ``quartier`` if
                                                               present, else the
                                                               finest polygon level
===================  ========================================  =====================

Which Perspektivquartier a Quartier belongs to is
:func:`monitor.methods.focus_membership.focus_members` (passed in as ``members``).

Benchmark names come from benchmarks.parquet (``name_de``, ``name_en``); the title
from meta.json (``title``, ``title_en``). A key that names an id the data does not
have is a :class:`PlaceError` with a German message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

__all__ = ["Benchmark", "Place", "PlaceError", "BENCHMARK_ROLES", "build_place"]

BENCHMARK_ROLES = ("region", "state", "country", "other")
_LEVEL_PREFERENCE = ("quartier", "stadtteil", "raster", "fokusgebiet", "stadt")


class PlaceError(ValueError):
    """meta.json names places the data does not have; the message is German."""


@dataclass(frozen=True)
class Benchmark:
    id: str
    name_de: str
    name_en: str
    role: str = "other"
    short_de: str = ""
    short_en: str = ""

    def name(self, lang: str) -> str:
        return (self.name_en or self.name_de) if lang == "en" else self.name_de

    def short(self, lang: str) -> str:
        """The name for a narrow table column (the full name unless meta.json
        gives ``short_de``/``short_en``; English falls back to the English name)."""
        if lang == "en":
            return self.short_en or self.name_en or self.short_de or self.name_de
        return self.short_de or self.name_de


@dataclass(frozen=True)
class Place:
    """The city-specific frame of the app, read from the data folder."""

    title_de: str
    title_en: str
    city_id: str | None
    focus_ids: tuple[str, ...]
    context_ids: Mapping[str, str] = field(default_factory=dict)
    benchmarks: tuple[Benchmark, ...] = ()
    headline: tuple[str, ...] = ()
    default_indicator: str = ""
    default_level: str = ""
    population: str = ""
    names: Mapping[str, str] = field(default_factory=dict, repr=False)
    members: Mapping[str, str] = field(default_factory=dict, repr=False)

    def title(self, lang: str) -> str:
        return (self.title_en or self.title_de) if lang == "en" else self.title_de

    @property
    def focus_id(self) -> str | None:
        """The first Perspektivquartier (the default area of links)."""
        return self.focus_ids[0] if self.focus_ids else None

    @property
    def region(self) -> Benchmark | None:
        """The parent region (e.g. the Landkreis), or None."""
        return next((b for b in self.benchmarks if b.role == "region"), None)

    def benchmark(self, benchmark_id: str) -> Benchmark | None:
        return next((b for b in self.benchmarks if b.id == benchmark_id), None)

    def area_name(self, area_id: str | None) -> str:
        return self.names.get(area_id or "", area_id or "")

    @property
    def city_name(self) -> str:
        """The city's name from areas.parquet ("" without a city)."""
        return self.area_name(self.city_id) if self.city_id else ""

    def focus_of(self, area_id: str) -> str | None:
        """The Perspektivquartier ``area_id`` lies in (itself for a fokusgebiet)."""
        if area_id in self.focus_ids:
            return area_id
        return self.members.get(area_id)

    def members_of(self, focus_id: str) -> tuple[str, ...]:
        """The areas (Quartiere, raster cells) inside one Perspektivquartier."""
        return tuple(a for a, f in self.members.items() if f == focus_id)

    @property
    def default_area(self) -> str:
        """The area a link without ``gebiet`` shows: the first Perspektivquartier,
        else the city ("" when the data has neither)."""
        return self.focus_id or self.city_id or ""

    def default_areas(self) -> tuple[str, ...]:
        """Areas a comparison link without ``gebiete`` shows: the first focus area
        and the Stadtteil around it (or the second focus area)."""
        first = self.focus_id
        if first is None:
            return ()
        second = self.context_ids.get(first) or next(iter(self.focus_ids[1:]), None)
        return tuple(a for a in (first, second) if a)


def _ids_of(areas: pd.DataFrame, level: str) -> list[str]:
    return areas.loc[areas.level == level, "area_id"].astype(str).tolist()


def _check_ids(ids: Sequence[str], known: set[str], key: str) -> tuple[str, ...]:
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise PlaceError(
            f"meta.json nennt unter place.{key} Gebiete, die es in areas.parquet "
            f"nicht gibt: {', '.join(map(str, unknown))}."
        )
    return tuple(ids)


def _city(areas: pd.DataFrame, spec: Mapping[str, Any], known: set[str]) -> str | None:
    if spec.get("city"):
        return _check_ids([str(spec["city"])], known, "city")[0]
    cities = _ids_of(areas, "stadt")
    return cities[0] if cities else None


def _focus(areas: pd.DataFrame, spec: Mapping[str, Any], known: set[str]):
    raw = spec.get("focus")
    if raw is None:
        return tuple(_ids_of(areas, "fokusgebiet"))
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        raise PlaceError("place.focus in meta.json muss eine Liste von area_ids sein.")
    return _check_ids([str(i) for i in raw], known, "focus")


def _largest_overlap(focus_geom, districts) -> str | None:
    if focus_geom is None or focus_geom.is_empty or districts.empty:
        return None
    share = districts.geometry.intersection(focus_geom).area / max(
        focus_geom.area, 1e-12
    )
    if share.max() < 0.5:
        return None
    return str(districts.area_id.iloc[int(share.to_numpy().argmax())])


def _context(areas, spec, known, focus_ids) -> dict[str, str]:
    raw = spec.get("context")
    if raw is not None:
        if not isinstance(raw, Mapping):
            raise PlaceError(
                "place.context in meta.json muss Paare Fokusgebiet → Stadtteil nennen."
            )
        _check_ids([str(k) for k in raw], known, "context")
        _check_ids([str(v) for v in raw.values()], known, "context")
        return {str(k): str(v) for k, v in raw.items()}
    districts = areas[areas.level == "stadtteil"]
    district_ids = set(districts.area_id.astype(str))
    parents = (
        dict(zip(areas.area_id.astype(str), areas.parent_id, strict=True))
        if "parent_id" in areas
        else {}
    )
    out = {}
    for focus_id in focus_ids:
        if str(parents.get(focus_id)) in district_ids:
            out[focus_id] = str(parents[focus_id])
            continue
        if "geometry" not in areas:
            continue
        geom = areas.loc[areas.area_id == focus_id, "geometry"]
        found = _largest_overlap(geom.iloc[0] if len(geom) else None, districts)
        if found:
            out[focus_id] = found
    return out


def _benchmarks(bench: pd.DataFrame, spec: Mapping[str, Any]) -> tuple[Benchmark, ...]:
    """The benchmarks in the order of ``place.benchmarks``; none without any values
    (benchmarks.parquet is optional: missing or broken, the pages go without)."""
    if bench.empty:
        return ()
    names: dict[str, tuple[str, str]] = {}
    for row in bench.drop_duplicates("benchmark_id").itertuples():
        name_de = "" if pd.isna(row.name_de) else str(row.name_de)
        name_en = "" if pd.isna(row.name_en) else str(row.name_en)
        names[str(row.benchmark_id)] = (name_de or str(row.benchmark_id), name_en)
    raw = spec.get("benchmarks")
    if raw is None:
        order = list(names)
        roles = {bid: ("region" if i == 0 else "other") for i, bid in enumerate(order)}
        shorts = {}
    else:
        if not isinstance(raw, list) or not all(
            isinstance(r, Mapping) and "id" in r for r in raw
        ):
            raise PlaceError(
                "place.benchmarks in meta.json muss eine Liste von {id, role} sein."
            )
        order = [str(r["id"]) for r in raw]
        roles = {str(r["id"]): str(r.get("role", "other")) for r in raw}
        shorts = {
            str(r["id"]): (str(r.get("short_de") or ""), str(r.get("short_en") or ""))
            for r in raw
        }
        unknown = [b for b in order if b not in names]
        if unknown:
            raise PlaceError(
                "meta.json nennt unter place.benchmarks Vergleichsräume ohne Werte in "
                f"benchmarks.parquet: {', '.join(unknown)}."
            )
        bad = sorted({r for r in roles.values() if r not in BENCHMARK_ROLES})
        if bad:
            raise PlaceError(
                f"Unbekannte Rolle in place.benchmarks: {', '.join(bad)} (erlaubt: "
                f"{', '.join(BENCHMARK_ROLES)})."
            )
    return tuple(
        Benchmark(b, *names[b], roles[b], *shorts.get(b, ("", ""))) for b in order
    )


def _headline(spec, indicator_ids: Sequence[str], index_ids: Sequence[str]):
    raw = spec.get("headline")
    if raw is None:
        return tuple(index_ids) or tuple(indicator_ids[:3])
    unknown = [str(i) for i in raw if str(i) not in indicator_ids]
    if unknown:
        raise PlaceError(
            "meta.json nennt unter place.headline Indikatoren, die der Katalog nicht "
            f"hat: {', '.join(unknown)}."
        )
    return tuple(str(i) for i in raw)


def _population(spec, indicator_ids: Sequence[str], count_ids: Sequence[str]) -> str:
    wanted = spec.get("population")
    if wanted is None:
        return next(iter(count_ids), "")
    if str(wanted) not in indicator_ids:
        raise PlaceError(f"place.population „{wanted}“ fehlt im Katalog.")
    return str(wanted)


def _default_level(levels: set[str], spec: Mapping[str, Any]) -> str:
    wanted = spec.get("default_level")
    if wanted:
        if wanted not in levels:
            raise PlaceError(f"place.default_level „{wanted}“ gibt es nicht.")
        return str(wanted)
    return next((lvl for lvl in _LEVEL_PREFERENCE if lvl in levels), "")


def build_place(
    areas: pd.DataFrame,
    benchmarks: pd.DataFrame,
    meta: Mapping[str, Any],
    indicator_ids: Sequence[str],
    index_ids: Sequence[str] = (),
    *,
    count_ids: Sequence[str] = (),
    members: Mapping[str, str] | None = None,
    levels: Sequence[str] | None = None,
) -> Place:
    """The place of a data folder from its areas, benchmarks and meta.json.

    ``areas`` needs ``area_id, name, level, parent_id`` (and ``geometry`` in a
    projected CRS for the default context areas; the raster may be left out);
    ``indicator_ids`` are the catalogue's ids, ``index_ids`` the ones that enter the
    index (the default headline), ``count_ids`` its ``count`` indicators (the
    default population); ``members`` maps an area to the Perspektivquartier it lies
    in; ``levels`` are all levels of the data (default: those of ``areas``).
    """
    spec = meta.get("place") or {}
    if not isinstance(spec, Mapping):
        raise PlaceError("place in meta.json muss ein Objekt sein.")
    known = set(areas.area_id.astype(str))
    focus_ids = _focus(areas, spec, known)
    headline = _headline(spec, indicator_ids, index_ids)
    default_indicator = str(spec.get("default_indicator") or next(iter(headline), ""))
    if default_indicator and default_indicator not in indicator_ids:
        raise PlaceError(
            f"place.default_indicator „{default_indicator}“ fehlt im Katalog."
        )
    title = str(meta.get("title") or "")
    return Place(
        title_de=title,
        title_en=str(meta.get("title_en") or title),
        city_id=_city(areas, spec, known),
        focus_ids=focus_ids,
        context_ids=MappingProxyType(_context(areas, spec, known, focus_ids)),
        benchmarks=_benchmarks(benchmarks, spec),
        headline=headline,
        default_indicator=default_indicator,
        default_level=_default_level(
            set(levels if levels is not None else areas.level.astype(str)), spec
        ),
        population=_population(spec, indicator_ids, count_ids),
        names=MappingProxyType(
            dict(zip(areas.area_id.astype(str), areas.name.astype(str), strict=True))
        ),
        members=MappingProxyType(dict(members or {})),
    )
