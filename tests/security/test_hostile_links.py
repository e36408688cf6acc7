"""Hostile links, broadly: property-based tests of every URL key (hypothesis).

Most cases run against the pure link contract (monitor/viewstate.py: thousands of
links per run), a smaller number through AppTest on every page (each case one
fresh session: no exception, no error page, a German note where a value was
refused, the default view, a written-back link that is valid and reproduces
itself). Failing examples found so far are kept as ``@example`` cases.

The contract tests draw new links on every run. The AppTest page cases are drawn
the same way on every run (``derandomize``): a failure found there takes
minutes to shrink through fresh sessions and must not make CI fail at random;
``QM_EXPLORE=1`` draws new page cases (and more of them) for a search.

Counts per ``make test`` run: see ``N_*`` below (docs/PERFORMANCE.md lists them).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from monitor.viewstate import (
    KEYS,
    LEVELS,
    MAX_VALUE_LENGTH,
    PAGE_KEYS,
    PAGES,
    SCHEMES,
    ViewState,
    defaults,
    normalize,
    parse_ids,
    parse_params,
    safe_excerpt,
    to_params,
)
from tests.apptest import open_page
from tests.security.hostile_support import (
    as_query_string,
    demo_context,
    error_shown,
    hostile_text,
    link_note_shown,
    link_params,
    page_key_widgets,
    page_texts,
    written_params,
)

CTX = demo_context()
BASE = defaults(CTX)
N_CONTRACT = 1500  # arbitrary links against parse_params
N_ROUND_TRIP = 500  # links through a real query string and back
N_VALID = 300  # valid views: to_params -> parse_params is the identity
N_IDS = 300  # id lists of the pages (parse_ids)
N_EXCERPT = 300  # what a note shows of a value
EXPLORE = os.environ.get("QM_EXPLORE") == "1"
N_PAGE = 30 if EXPLORE else 6  # per page through AppTest (6: 66 sessions, ~1 min)

REASONS = {"unknown", "invalid", "repeated", "too_long", "not_available"}
SAFE_NOTE = re.compile(r"[0-9A-Za-zÄÖÜäöüß_.,;:+\- ]*…?")
FAST = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


def last(params, key):
    """The value of ``key`` that counts (the last one), stripped, or None."""
    raw = params.get(key)
    if not raw:
        return None
    value = raw[-1] if isinstance(raw, list) else raw
    return None if len(value) > MAX_VALUE_LENGTH else value.strip()


def assert_valid_view(state: ViewState) -> None:
    """Every field of ``state`` is a value the app can show."""
    assert state.indicator in CTX.indicator_ids
    years = CTX.indicator_years[state.indicator]
    assert state.year in years and state.year_from in years
    assert state.year_from <= state.year
    assert state.level in CTX.indicator_levels[state.indicator]
    assert state.area in CTX.area_ids
    assert 1 <= len(state.areas) <= 4 and set(state.areas) <= CTX.area_ids
    assert len(set(state.areas)) == len(state.areas)
    assert state.scheme in SCHEMES and 3 <= state.k <= 7
    assert state.lang in ("de", "en")
    assert set(state.extra) <= set(PAGE_KEYS)
    if state.sequence:
        assert 1 <= state.step <= CTX.sequences[state.sequence]
    else:
        assert state.step == 0


# the shared keys whose refused value must leave the default, and how a used value
# reads in the view
SIMPLE = {
    "indikator": ("indicator", str),
    "gebiet": ("area", str),
    "klassen": ("scheme", str),
    "sprache": ("lang", str),
}


# -- the pure contract ------------------------------------------------------------
@settings(max_examples=N_CONTRACT, **FAST)
@given(params=link_params(CTX, url=False))
@example(params={"jahr": ["٢٠٢٠"]})  # Arabic-Indic digits were read as 2020
@example(params={"k": ["５"]})  # full-width digit five was read as k=5
@example(params={"utm_source": ["x"], "a_b": ["<script>"]})  # junk kept in links
@example(params={"indikator": ["x" * 10_240]})
@example(params={"gebiete": [",,,"], "schritt": ["3"]})
def test_any_link_gives_a_valid_view_and_notes_for_what_was_refused(params):
    state, notes = parse_params(params, CTX)
    assert_valid_view(state)
    for note in notes:
        assert note.key in KEYS + PAGE_KEYS and note.reason in REASONS
        assert SAFE_NOTE.fullmatch(note.value), note
    noted = {n.key for n in notes}
    for key, (field, text) in SIMPLE.items():
        given_value = last(params, key)
        used = given_value is not None and text(getattr(state, field)) == given_value
        if given_value is not None and not used:
            assert key in noted, (key, given_value)
        if key in noted and not used:
            assert getattr(state, field) == getattr(BASE, field)
    k = last(params, "k")
    if k is not None and k != str(state.k):
        assert "k" in noted
    year = last(params, "jahr")
    if year is not None and not re.fullmatch(r"-?[0-9]{1,6}", year):
        assert "jahr" in noted
    if last(params, "praesentation") not in (None, "0", "1"):
        assert "praesentation" in noted and state.presentation is False
    sequence = last(params, "ablauf")
    if sequence and sequence not in CTX.sequences:
        assert "ablauf" in noted and state.sequence == ""
    areas = last(params, "gebiete")
    if areas is not None:
        wanted = {a.strip() for a in areas.split(",") if a.strip()}
        if wanted - set(state.areas):
            assert "gebiete" in noted


@settings(max_examples=N_ROUND_TRIP, **FAST)
@given(params=link_params(CTX, url=True))
def test_the_written_link_reads_back_as_the_same_view(params):
    """The link a page writes (to_params) goes through a real query string and
    gives the same view without any note."""
    state, _ = parse_params(as_query_string(params), CTX)
    written = to_params(state)
    assert set(written) <= set(KEYS + PAGE_KEYS)
    again, notes = parse_params(as_query_string(written), CTX)
    assert notes == []
    assert again == state


@st.composite
def valid_views(draw) -> ViewState:
    indicator = draw(st.sampled_from(CTX.indicator_ids))
    years = CTX.indicator_years[indicator]
    year = draw(st.sampled_from(years))
    year_from = draw(st.sampled_from([y for y in years if y <= year]))
    areas = sorted(CTX.area_ids)
    sequence = draw(st.sampled_from(("", *CTX.sequences)))
    step = draw(st.integers(1, CTX.sequences[sequence])) if sequence else 0
    extra = draw(
        st.dictionaries(
            st.sampled_from(PAGE_KEYS),
            st.text(st.characters(exclude_categories=("Cs",)), max_size=40).map(
                str.strip
            ),
            max_size=3,
        )
    )
    return ViewState(
        indicator=indicator,
        year=year,
        year_from=year_from,
        level=draw(st.sampled_from(CTX.indicator_levels[indicator])),
        area=draw(st.sampled_from(areas)),
        areas=tuple(
            draw(st.lists(st.sampled_from(areas), min_size=1, max_size=4, unique=True))
        ),
        scheme=draw(st.sampled_from(SCHEMES)),
        k=draw(st.integers(3, 7)),
        lang=draw(st.sampled_from(("de", "en"))),
        presentation=draw(st.booleans()),
        extra=extra,
        sequence=sequence,
        step=step,
    )


@settings(max_examples=N_VALID, **FAST)
@given(state=valid_views(), other=st.sampled_from(CTX.indicator_ids))
def test_valid_views_round_trip_and_stay_valid_after_a_change(state, other):
    again, notes = parse_params(as_query_string(to_params(state)), CTX)
    assert notes == [] and again == state
    changed, _ = normalize(state.with_(indicator=other), CTX)
    assert_valid_view(replace(changed, areas=state.areas))


@settings(max_examples=N_IDS, **FAST)
@given(
    raw=st.lists(
        st.one_of(st.sampled_from(CTX.indicator_ids), hostile_text()), max_size=12
    ).map(",".join),
    max_n=st.integers(1, 6),
)
def test_page_id_lists_keep_only_known_ids(raw, max_n):
    good, bad = parse_ids(raw, CTX.indicator_ids, max_n)
    assert len(good) <= max_n and len(set(good)) == len(good)
    assert set(good) <= set(CTX.indicator_ids)
    wanted = {p.strip() for p in raw.split(",") if p.strip()}
    assert wanted - set(CTX.indicator_ids) <= set(bad)


@settings(max_examples=N_EXCERPT, **FAST)
@given(value=hostile_text(url=False), limit=st.integers(1, 60))
def test_a_note_shows_only_harmless_characters(value, limit):
    excerpt = safe_excerpt(value, limit)
    assert SAFE_NOTE.fullmatch(excerpt)
    assert len(excerpt) <= limit + 1
    assert "<" not in excerpt and "\u202e" not in excerpt and "\x00" not in excerpt


def test_levels_and_pages_are_what_the_strategies_cover():
    """The strategies draw from the contract itself: a new key or page is covered
    without touching this file."""
    assert set(LEVELS) == {"stadt", "stadtteil", "quartier", "raster"}
    assert len(PAGES) == 13 and len(KEYS) == 12


# -- every page through AppTest -----------------------------------------------------
_PAGE_DEFAULTS: dict[str, dict[str, list[str]]] = {}


def page_default(page_id: str) -> dict[str, list[str]]:
    """The link a page writes when opened without parameters."""
    if page_id not in _PAGE_DEFAULTS:
        at = open_page(page_id, check=False)
        assert not at.exception
        _PAGE_DEFAULTS[page_id] = written_params(at)
    return _PAGE_DEFAULTS[page_id]


def shared(params: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: v for k, v in params.items() if k in KEYS}


def check_page(page_id: str, params: dict[str, list[str]]) -> None:
    at = open_page(page_id, params, check=False)
    assert not at.exception, at.exception
    assert error_shown(at) is None, [e.value for e in at.error]
    state, notes = parse_params(params, CTX)
    if notes:
        assert link_note_shown(at), (notes, [w.value for w in at.warning])
    text = page_texts(at)
    for value in (v for values in params.values() for v in values):
        if "<" in value and len(value) > 3:
            assert value not in text
    written = written_params(at)
    assert set(written) <= set(KEYS + PAGE_KEYS), written
    written_state, written_notes = parse_params(written, CTX)
    assert written_notes == [], written_notes
    for key, shown in page_key_widgets(at).items():
        # a page key in the written link is the value its widget shows (a value
        # the page refused is not carried on)
        if key in written:
            assert written[key] == [shown], (key, written[key], shown)
    if state.with_(extra={}) == BASE:
        # every shared value was refused: the page shows its default view
        assert shared(written) == shared(page_default(page_id))
    again = open_page(page_id, written, check=False)
    assert not again.exception
    assert not link_note_shown(again), [w.value for w in again.warning]
    assert written_params(again) == written, "the written link must reproduce itself"


@pytest.mark.parametrize("page_id", [p.id for p in PAGES])
@settings(max_examples=N_PAGE, derandomize=not EXPLORE, **FAST)
@given(params=link_params(CTX))
def test_hostile_links_on_every_page(page_id, params):
    check_page(page_id, params)


@pytest.mark.parametrize(
    "page_id,params",
    [
        # page-specific values that a page ignored were kept and written back
        ("karte", {"modus": ["<script>"]}),
        ("hotspots", {"gewichtung": ["' OR 1=1"], "fdr": ["2"], "statistik": ["x"]}),
        ("sozialindex", {"gewichte": ["sgb2_quote:99"], "index": ["dynamik\u202e"]}),
        ("ziele", {"ag": ["<img onerror=x>"], "ziel": ["Z99"]}),
        ("massnahmen", {"status": ["x" * 300], "suche": ["<script>"]}),
        # junk keys were carried on through every page
        ("vergleich", {"utm_source": ["mail"], "x_y": ["1"]}),
        # a link into a workshop step lost its notes when the step's view applied
        ("uebersicht", {"ablauf": ["ag-arbeit"], "grenzen": ["a", "b"]}),
        # a search without hits stopped the page before it wrote the link, so a
        # refused filter value stayed in it
        ("massnahmen", {"zustaendig": [""], "suche": ["\x98"]}),
        # an English link's notes are in English
        ("uebersicht", {"sprache": ["en"], "indikator": ["x"]}),
        # a valid link: a year without any published Quartier stopped Hotspots
        (
            "hotspots",
            {
                "indikator": ["motorik_einschulung"],
                "jahr": ["2021"],
                "ebene": ["quartier"],
            },
        ),
    ],
)
def test_regressions(page_id, params):
    check_page(page_id, params)
