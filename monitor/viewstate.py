"""Everything a view is made of, and the link contract that carries it.

Links are a public interface (DESIGN.md §5): page paths and query keys are stable and
documented in docs/ARCHITECTURE.md. Values arriving in a link are untrusted input:
each is validated against the catalogue and the data; an invalid one falls back to the
default and produces a :class:`Note` the UI shows, never an exception. This module is
pure (no Streamlit), so every rule is tested directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from monitor.methods.classification import MAP_SCHEMES

__all__ = [
    "KEYS",
    "LEVELS",
    "PAGES",
    "SCHEMES",
    "MAX_VALUE_LENGTH",
    "Context",
    "Note",
    "PageSpec",
    "ViewState",
    "parse_params",
    "normalize",
    "to_params",
    "safe_excerpt",
]

LEVELS = ("stadt", "stadtteil", "quartier", "raster")
SCHEMES = MAP_SCHEMES  # the ids of the classification registry (state maps)
K_RANGE = (3, 7)
MAX_VALUE_LENGTH = 200
MAX_AREAS = 4
KEYS = (
    "indikator",
    "jahr",
    "jahr_von",
    "ebene",
    "gebiet",
    "gebiete",
    "klassen",
    "k",
    "sprache",
    "praesentation",
    "ablauf",
    "schritt",
)


@dataclass(frozen=True)
class PageSpec:
    id: str
    url_path: str  # "" for the start page, served at "/"
    section: str
    icon: str


# The page paths of the link contract; later pages are added here when they exist.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("uebersicht", "", "lage", ":material/home:"),
    PageSpec("karte", "karte", "lage", ":material/map:"),
    PageSpec("sozialindex", "sozialindex", "lage", ":material/stacked_bar_chart:"),
    PageSpec("hotspots", "hotspots", "lage", ":material/local_fire_department:"),
    PageSpec("profil", "profil", "gebiete", ":material/badge:"),
    PageSpec("vergleich", "vergleich", "gebiete", ":material/compare_arrows:"),
    PageSpec("entwicklung", "entwicklung", "gebiete", ":material/trending_up:"),
    PageSpec("ziele", "ziele", "programm", ":material/flag:"),
    PageSpec("massnahmen", "massnahmen", "programm", ":material/checklist:"),
    PageSpec("methodik", "methodik", "info", ":material/menu_book:"),
    PageSpec("ablauf", "ablauf", "info", ":material/slideshow:"),
)


@dataclass(frozen=True)
class Note:
    """A link value that was not used: which key, what came, and why."""

    key: str
    value: str
    reason: str  # unknown | invalid | repeated | too_long | not_available


@dataclass(frozen=True)
class Context:
    """What is valid: built from the catalogue and the data by the UI layer."""

    indicator_ids: tuple[str, ...]
    indicator_levels: Mapping[str, tuple[str, ...]]
    indicator_years: Mapping[str, tuple[int, ...]]
    area_ids: frozenset[str]
    default_indicator: str = "kinderarmut"
    default_level: str = "quartier"
    default_area: str = "perspektivquartier"
    default_areas: tuple[str, ...] = ("perspektivquartier", "innenstadt")
    sequences: Mapping[str, int] = field(default_factory=dict)  # id -> steps


@dataclass(frozen=True)
class ViewState:
    indicator: str
    year: int
    year_from: int
    level: str
    area: str
    areas: tuple[str, ...]
    scheme: str = "quantile"
    k: int = 5
    lang: str = "de"
    presentation: bool = False
    extra: Mapping[str, str] = field(default_factory=dict)
    sequence: str = ""
    step: int = 0

    def with_(self, **changes) -> ViewState:
        return replace(self, **changes)


_SAFE = re.compile(r"[^0-9A-Za-zÄÖÜäöüß_.,;:+\- ]")


def safe_excerpt(value: str, limit: int = 40) -> str:
    """A harmless excerpt of an untrusted value for display in a note."""
    cleaned = _SAFE.sub("", value)[:limit]
    return cleaned + ("…" if len(value) > limit else "")


def _default_years(ctx: Context, indicator: str) -> tuple[int, int]:
    years = ctx.indicator_years.get(indicator) or (0,)
    latest = years[-1]
    earlier = [y for y in years if y <= latest - 2]
    return latest, (earlier[-1] if earlier else years[0])


def defaults(ctx: Context) -> ViewState:
    year, year_from = _default_years(ctx, ctx.default_indicator)
    return ViewState(
        indicator=ctx.default_indicator,
        year=year,
        year_from=year_from,
        level=ctx.default_level,
        area=ctx.default_area,
        areas=ctx.default_areas,
    )


def _single(params: Mapping[str, Sequence[str] | str], key: str, notes: list[Note]):
    """The value of ``key`` (last one wins when repeated), or None."""
    raw = params.get(key)
    if raw is None:
        return None
    values = [raw] if isinstance(raw, str) else list(raw)
    if not values:
        return None
    if len(set(values)) > 1:
        notes.append(Note(key, safe_excerpt(" / ".join(values)), "repeated"))
    value = values[-1]
    if len(value) > MAX_VALUE_LENGTH:
        notes.append(Note(key, safe_excerpt(value), "too_long"))
        return None
    return value.strip()


def _int(value: str | None) -> int | None:
    if value is None or not re.fullmatch(r"-?\d{1,6}", value):
        return None
    return int(value)


def parse_params(
    params: Mapping[str, Sequence[str] | str], ctx: Context
) -> tuple[ViewState, list[Note]]:
    """Validate link parameters; return the view and notes for what was dropped.

    ``params`` maps a key to its values (all of them, as a browser may repeat a
    key). Unknown keys are ignored; page-specific keys are kept in ``extra`` for the
    page to validate.
    """
    notes: list[Note] = []
    base = defaults(ctx)

    def get(key):
        return _single(params, key, notes)

    indicator = get("indikator")
    if indicator is not None and indicator not in ctx.indicator_ids:
        notes.append(Note("indikator", safe_excerpt(indicator), "unknown"))
        indicator = None
    indicator = indicator or base.indicator
    years = ctx.indicator_years.get(indicator, ())
    latest, _ = _default_years(ctx, indicator)

    def year_param(key, default):
        raw = get(key)
        if raw is None:
            return default
        year = _int(raw)
        if year is None:
            notes.append(Note(key, safe_excerpt(raw), "invalid"))
            return default
        if year not in years:
            notes.append(Note(key, safe_excerpt(raw), "not_available"))
            return min(years, key=lambda y: abs(y - year)) if years else default
        return year

    year = year_param("jahr", latest)
    before = [y for y in years if y <= year - 2]
    year_from = year_param("jahr_von", before[-1] if before else year)
    if year_from > year:
        year_from, year = year, year_from

    level = get("ebene")
    if level is not None and level not in LEVELS:
        notes.append(Note("ebene", safe_excerpt(level), "unknown"))
        level = None
    level = level or base.level
    available = ctx.indicator_levels.get(indicator, LEVELS)
    if level not in available:
        notes.append(Note("ebene", level, "not_available"))
        level = base.level if base.level in available else available[-1]

    area = get("gebiet")
    if area is not None and area not in ctx.area_ids:
        notes.append(Note("gebiet", safe_excerpt(area), "unknown"))
        area = None
    area = area or base.area

    raw_areas = get("gebiete")
    areas = base.areas
    if raw_areas is not None:
        wanted = [a.strip() for a in raw_areas.split(",") if a.strip()]
        valid = list(dict.fromkeys(a for a in wanted if a in ctx.area_ids))
        if len(valid) != len(wanted):
            bad = [a for a in wanted if a not in ctx.area_ids]
            notes.append(Note("gebiete", safe_excerpt(",".join(bad)), "unknown"))
        if len(valid) > MAX_AREAS:
            notes.append(Note("gebiete", str(len(valid)), "invalid"))
            valid = valid[:MAX_AREAS]
        areas = tuple(valid) or base.areas

    scheme = get("klassen")
    if scheme is not None and scheme not in SCHEMES:
        notes.append(Note("klassen", safe_excerpt(scheme), "unknown"))
        scheme = None
    scheme = scheme or base.scheme

    raw_k = get("k")
    k = _int(raw_k)
    if raw_k is not None and (k is None or not K_RANGE[0] <= k <= K_RANGE[1]):
        notes.append(Note("k", safe_excerpt(raw_k), "invalid"))
        k = None
    k = k or base.k

    lang = get("sprache")
    if lang is not None and lang not in ("de", "en"):
        notes.append(Note("sprache", safe_excerpt(lang), "unknown"))
        lang = None
    lang = lang or base.lang

    raw_pres = get("praesentation")
    if raw_pres is not None and raw_pres not in ("0", "1"):
        notes.append(Note("praesentation", safe_excerpt(raw_pres), "invalid"))
        raw_pres = None
    presentation = raw_pres == "1"

    sequence = get("ablauf") or ""
    if sequence and sequence not in ctx.sequences:
        notes.append(Note("ablauf", safe_excerpt(sequence), "unknown"))
        sequence = ""
    raw_step = get("schritt")
    step = _int(raw_step) or 0
    if sequence:
        n_steps = ctx.sequences[sequence]
        if raw_step is not None and not 1 <= step <= n_steps:
            notes.append(Note("schritt", safe_excerpt(raw_step), "invalid"))
            step = 1
        step = step or 1
    elif raw_step is not None:
        notes.append(Note("schritt", safe_excerpt(raw_step), "invalid"))
        step = 0

    extra = {}
    for key in params:
        if key in KEYS:
            continue
        if re.fullmatch(r"[a-z_]{1,30}", key):
            value = _single(params, key, notes)
            if value is not None:
                extra[key] = value
    state = ViewState(
        indicator,
        year,
        year_from,
        level,
        area,
        areas,
        scheme,
        k,
        lang,
        presentation,
        extra,
        sequence,
        step,
    )
    return state, notes


def normalize(state: ViewState, ctx: Context) -> tuple[ViewState, list[Note]]:
    """Make a view consistent after a change (e.g. a new indicator has other years).

    Returns the adjusted state and notes for what had to change.
    """
    notes: list[Note] = []
    years = ctx.indicator_years.get(state.indicator) or (state.year,)
    year, year_from = state.year, state.year_from
    if year not in years:
        notes.append(Note("jahr", str(year), "not_available"))
        year = min(years, key=lambda y: abs(y - state.year))
    if year_from not in years or year_from > year:
        before = [y for y in years if y < year]
        year_from = before[-1] if before else year
    level = state.level
    available = ctx.indicator_levels.get(state.indicator, LEVELS)
    if level not in available:
        notes.append(Note("ebene", level, "not_available"))
        level = ctx.default_level if ctx.default_level in available else available[-1]
    changed = (year, year_from, level) != (state.year, state.year_from, state.level)
    if changed:
        state = state.with_(year=year, year_from=year_from, level=level)
    return state, notes


def to_params(state: ViewState, page_keys: Sequence[str] = KEYS) -> dict[str, str]:
    """The query string for ``state``.

    Every page writes all keys by default, so a link copied on any page carries the
    whole view and survives switching to another page after opening it.
    """
    full = {
        "indikator": state.indicator,
        "jahr": str(state.year),
        "jahr_von": str(state.year_from),
        "ebene": state.level,
        "gebiet": state.area,
        "gebiete": ",".join(state.areas),
        "klassen": state.scheme,
        "k": str(state.k),
        "sprache": state.lang,
    }
    if state.presentation:
        full["praesentation"] = "1"
    if state.sequence:
        full["ablauf"] = state.sequence
        full["schritt"] = str(state.step)
    params = {k: v for k, v in full.items() if k in page_keys}
    params.update(state.extra)
    return params
