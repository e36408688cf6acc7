"""Everything a view is made of, and the link contract that carries it.

Links are a public interface (people paste them into minutes and e-mails): page
paths and query keys are stable and documented in docs/ARCHITECTURE.md ("Link
contract"). Values arriving in a link are untrusted input: each is validated
against the catalogue and the data; an invalid one falls back to the default and
produces a :class:`Note` the UI shows, never an exception. This module is pure (no
Streamlit), so every rule is tested directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from monitor.methods.classification import MAP_SCHEMES

__all__ = [
    "KEYS",
    "PAGE_KEYS",
    "LEVELS",
    "PAGES",
    "SCHEMES",
    "MAX_VALUE_LENGTH",
    "MAX_SELECTED",
    "Context",
    "Note",
    "PageSpec",
    "ViewState",
    "parse_params",
    "normalize",
    "to_params",
    "safe_excerpt",
    "parse_ids",
    "ids_param",
    "data_year",
]

LEVELS = ("stadt", "stadtteil", "quartier", "raster")
SCHEMES = MAP_SCHEMES  # the ids of the classification registry (state maps)
K_RANGE = (3, 7)
MAX_VALUE_LENGTH = 200
LONG_VALUES = {"auswahl": 4000}
"""Keys whose value may be longer: a selection of areas in the Zusammenhang page
is a list of up to ``MAX_SELECTED`` area ids."""
MAX_SELECTED = 150
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
# Page-specific keys (docs/ARCHITECTURE.md, "Link contract"), validated by their
# page. Any other key is ignored and not written back: a link with junk keys must
# not carry them on through every page.
PAGE_KEYS = (
    "modus",
    "grenzen",
    "index",
    "gewichte",
    "gewichtung",
    "glaettung",
    "fdr",
    "statistik",
    "indikatoren",
    "skala",
    "ag",
    "feld",
    "raum",
    "ziel",
    "status",
    "zustaendig",
    "suche",
    "massnahme",
    "indikator2",
    "auswahl",
    "einrichtungen",
    "luftlinie",
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
    PageSpec("zusammenhang", "zusammenhang", "lage", ":material/scatter_plot:"),
    PageSpec("profil", "profil", "gebiete", ":material/badge:"),
    PageSpec("vergleich", "vergleich", "gebiete", ":material/compare_arrows:"),
    PageSpec("entwicklung", "entwicklung", "gebiete", ":material/trending_up:"),
    PageSpec("ziele", "ziele", "programm", ":material/flag:"),
    PageSpec("massnahmen", "massnahmen", "programm", ":material/checklist:"),
    PageSpec("methodik", "methodik", "info", ":material/menu_book:"),
    PageSpec("ablauf", "ablauf", "info", ":material/slideshow:"),
    PageSpec("import", "import", "info", ":material/upload_file:"),
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
    # the defaults come from the data folder's place (monitor/place.py)
    default_indicator: str = ""
    default_level: str = "quartier"
    default_area: str = ""
    default_areas: tuple[str, ...] = ()
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
    if len(value) > LONG_VALUES.get(key, MAX_VALUE_LENGTH):
        notes.append(Note(key, safe_excerpt(value), "too_long"))
        return None
    return value.strip()


def _int(value: str | None) -> int | None:
    """An integer written with ASCII digits (``\\d`` and ``int`` also take
    Arabic-Indic or full-width digits, which a link never needs)."""
    if value is None or not re.fullmatch(r"-?[0-9]{1,6}", value):
        return None
    return int(value)


class _Link:
    """The raw values of one link, read key by key, and the notes about what was
    not used."""

    def __init__(self, params: Mapping[str, Sequence[str] | str]):
        self.params = params
        self.notes: list[Note] = []

    def note(self, key: str, value: str, reason: str) -> None:
        self.notes.append(Note(key, safe_excerpt(value), reason))

    def value(self, key: str) -> str | None:
        return _single(self.params, key, self.notes)

    def known(self, key: str, allowed, reason: str = "unknown") -> str | None:
        """The value if it is one of ``allowed``; else None and a note."""
        value = self.value(key)
        if value is not None and value not in allowed:
            self.note(key, value, reason)
            return None
        return value

    def year(self, key: str, default: int, years: Sequence[int]) -> int:
        """A year of ``years``; an unavailable one moves to the nearest."""
        raw = self.value(key)
        if raw is None:
            return default
        year = _int(raw)
        if year is None:
            self.note(key, raw, "invalid")
            return default
        if year not in years:
            self.note(key, raw, "not_available")
            return min(years, key=lambda y: abs(y - year)) if years else default
        return year


def _link_years(link: _Link, ctx: Context, indicator: str) -> tuple[int, int]:
    """(jahr, jahr_von): default the latest year and two years before; swapped
    when the comparison year is the later one."""
    years = ctx.indicator_years.get(indicator, ())
    latest, _ = _default_years(ctx, indicator)
    year = link.year("jahr", latest, years)
    before = [y for y in years if y <= year - 2]
    year_from = link.year("jahr_von", before[-1] if before else year, years)
    return (year_from, year) if year_from > year else (year, year_from)


def _link_level(link: _Link, ctx: Context, indicator: str, default: str) -> str:
    level = link.known("ebene", LEVELS) or default
    available = ctx.indicator_levels.get(indicator, LEVELS)
    if level not in available:
        link.notes.append(Note("ebene", level, "not_available"))
        level = default if default in available else available[-1]
    return level


def _link_areas(link: _Link, ctx: Context, default: tuple[str, ...]) -> tuple[str, ...]:
    raw = link.value("gebiete")
    if raw is None:
        return default
    wanted = [a.strip() for a in raw.split(",") if a.strip()]
    valid = list(dict.fromkeys(a for a in wanted if a in ctx.area_ids))
    if len(valid) != len(wanted):
        bad = [a for a in wanted if a not in ctx.area_ids]
        link.note("gebiete", ",".join(bad), "unknown")
    if len(valid) > MAX_AREAS:
        link.notes.append(Note("gebiete", str(len(valid)), "invalid"))
        valid = valid[:MAX_AREAS]
    return tuple(valid) or default


def _link_k(link: _Link, default: int) -> int:
    raw = link.value("k")
    k = _int(raw)
    if raw is not None and (k is None or not K_RANGE[0] <= k <= K_RANGE[1]):
        link.note("k", raw, "invalid")
        k = None
    return k or default


def _link_sequence(link: _Link, ctx: Context) -> tuple[str, int]:
    """(ablauf, schritt): a known sequence and a step in 1..n (else 1); without
    a sequence no step."""
    sequence = link.value("ablauf") or ""
    if sequence and sequence not in ctx.sequences:
        link.note("ablauf", sequence, "unknown")
        sequence = ""
    raw_step = link.value("schritt")
    step = _int(raw_step) or 0
    if sequence:
        if raw_step is not None and not 1 <= step <= ctx.sequences[sequence]:
            link.note("schritt", raw_step, "invalid")
            step = 1
        return sequence, step or 1
    if raw_step is not None:
        link.note("schritt", raw_step, "invalid")
    return sequence, 0


def _link_extra(link: _Link) -> dict[str, str]:
    """Page-specific keys (:data:`PAGE_KEYS`), for the page to validate."""
    extra = {}
    for key in PAGE_KEYS:
        value = link.value(key)
        if value is not None:
            extra[key] = value
    return extra


def parse_params(
    params: Mapping[str, Sequence[str] | str], ctx: Context
) -> tuple[ViewState, list[Note]]:
    """Validate link parameters; return the view and notes for what was dropped.

    ``params`` maps a key to its values (all of them, as a browser may repeat a
    key). Unknown keys are ignored; page-specific keys (:data:`PAGE_KEYS`) are kept
    in ``extra`` for the page to validate.
    """
    link = _Link(params)
    base = defaults(ctx)
    indicator = link.known("indikator", ctx.indicator_ids) or base.indicator
    year, year_from = _link_years(link, ctx, indicator)
    level = _link_level(link, ctx, indicator, base.level)
    area = link.known("gebiet", ctx.area_ids) or base.area
    areas = _link_areas(link, ctx, base.areas)
    scheme = link.known("klassen", SCHEMES) or base.scheme
    k = _link_k(link, base.k)
    lang = link.known("sprache", ("de", "en")) or base.lang
    presentation = link.known("praesentation", ("0", "1"), "invalid") == "1"
    sequence, step = _link_sequence(link, ctx)
    extra = _link_extra(link)
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
    return state, link.notes


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


# -- values pages derive from the view -----------------------------------------------
def parse_ids(
    raw: str, valid: Sequence[str], max_n: int = 4
) -> tuple[list[str], list[str]]:
    """A page's id list from the link, ``"a,b,x"`` -> (known ids in order without
    repeats, at most ``max_n``; unknown ones and "+n" for those cut off)."""
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


def data_year(years: Sequence[int], year: int) -> int | None:
    """The year shown for an indicator in the view's year: ``year`` or the latest
    one before it (an indicator collected every few years), else its first."""
    if not years:
        return None
    before = [y for y in years if y <= year]
    return before[-1] if before else min(years)
