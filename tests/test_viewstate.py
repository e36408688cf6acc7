"""The link contract: validation of every URL key against hostile input."""

from __future__ import annotations

import itertools

import pytest

from monitor.viewstate import (
    KEYS,
    Context,
    data_year,
    ids_param,
    parse_ids,
    parse_params,
    to_params,
)

CTX = Context(
    indicator_ids=("kinderarmut", "sgb2_quote", "sprachfoerderbedarf", "leerstand"),
    indicator_levels={
        "kinderarmut": ("stadt", "stadtteil", "quartier", "raster"),
        "sgb2_quote": ("stadt", "stadtteil", "quartier", "raster"),
        "sprachfoerderbedarf": ("stadt", "stadtteil", "quartier"),
        "leerstand": ("stadt", "stadtteil", "quartier", "raster"),
    },
    indicator_years={
        "kinderarmut": tuple(range(2014, 2026)),
        "sgb2_quote": tuple(range(2014, 2026)),
        "sprachfoerderbedarf": tuple(range(2014, 2026)),
        "leerstand": (2022,),
    },
    area_ids=frozenset({"perspektivquartier", "innenstadt", "furpach", "neunkirchen"}),
    # in the app these come from the data folder's place (monitor/place.py)
    default_indicator="kinderarmut",
    default_level="quartier",
    default_area="perspektivquartier",
    default_areas=("perspektivquartier", "innenstadt"),
)


def test_defaults_without_parameters():
    state, notes = parse_params({}, CTX)
    assert notes == []
    assert (state.indicator, state.year, state.year_from) == ("kinderarmut", 2025, 2023)
    assert (state.level, state.area, state.lang) == (
        "quartier",
        "perspektivquartier",
        "de",
    )
    assert state.areas == ("perspektivquartier", "innenstadt")


def test_valid_link_round_trips():
    params = {
        "indikator": ["sgb2_quote"],
        "jahr": ["2020"],
        "jahr_von": ["2016"],
        "ebene": ["stadtteil"],
        "gebiet": ["furpach"],
        "gebiete": ["furpach,innenstadt"],
        "klassen": ["natural_breaks"],
        "k": ["4"],
        "sprache": ["en"],
        "praesentation": ["1"],
    }
    state, notes = parse_params(params, CTX)
    assert notes == []
    assert to_params(state) == {k: v[0] for k, v in params.items()}
    again, _ = parse_params({k: [v] for k, v in to_params(state).items()}, CTX)
    assert again == state


def test_year_falls_back_to_the_nearest_available_year():
    state, notes = parse_params({"indikator": ["leerstand"], "jahr": ["2019"]}, CTX)
    assert state.year == 2022
    assert [n.reason for n in notes] == ["not_available"]


def test_level_not_available_for_indicator_falls_back():
    state, notes = parse_params(
        {"indikator": ["sprachfoerderbedarf"], "ebene": ["raster"]}, CTX
    )
    assert state.level == "quartier"
    assert notes[0].key == "ebene" and notes[0].reason == "not_available"


def test_years_in_wrong_order_are_swapped():
    state, _ = parse_params({"jahr": ["2016"], "jahr_von": ["2020"]}, CTX)
    assert (state.year_from, state.year) == (2016, 2020)


def test_repeated_key_uses_the_last_value_and_says_so():
    state, notes = parse_params({"jahr": ["2019", "2020"]}, CTX)
    assert state.year == 2020
    assert notes[0].reason == "repeated"


def test_area_list_keeps_valid_ids_in_order_and_limits_length():
    state, notes = parse_params(
        {"gebiete": ["furpach,xx,innenstadt,furpach,neunkirchen,perspektivquartier"]},
        CTX,
    )
    assert state.areas == ("furpach", "innenstadt", "neunkirchen", "perspektivquartier")
    assert notes[0].key == "gebiete"


def test_page_specific_keys_are_kept_for_the_page():
    state, notes = parse_params({"gewichte": ["1,1,0"], "Bad-Key!": ["x"]}, CTX)
    assert state.extra == {"gewichte": "1,1,0"}
    assert notes == []


HOSTILE_VALUES = [
    "",
    " ",
    "unbekannt",
    "' OR 1=1 --",
    "1; DROP TABLE areas",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "%00",
    "\x00",
    "-1",
    "99999999999",
    "2020.5",
    "1e3",
    "NaN",
    "None",
    "[]",
    "{}",
    "ä" * 50,
    "x" * 10_000,
    "../../etc/passwd",
    "${jndi:ldap://x}",
]


@pytest.mark.parametrize(
    "key,value",
    list(itertools.product(KEYS, HOSTILE_VALUES)),
    ids=lambda v: repr(v)[:20],
)
def test_hostile_values_fall_back_to_a_valid_view(key, value):
    state, notes = parse_params({key: [value]}, CTX)
    # the state is always valid
    assert state.indicator in CTX.indicator_ids
    assert state.year in CTX.indicator_years[state.indicator]
    assert state.year_from in CTX.indicator_years[state.indicator]
    assert state.level in CTX.indicator_levels[state.indicator]
    assert state.area in CTX.area_ids
    assert set(state.areas) <= CTX.area_ids
    assert state.lang in ("de", "en")
    assert 3 <= state.k <= 7
    # notes carry only a harmless excerpt
    for note in notes:
        assert "<" not in note.value and ">" not in note.value
        assert len(note.value) <= 41
    if key in ("ablauf", "schritt"):
        return
    if value.strip() and key not in ("praesentation",):
        assert notes, "an invalid value must produce a visible note"


def test_id_lists_in_links_keep_known_ids_in_order_and_name_the_rest():
    good, bad = parse_ids(" b, a,b,x,,c ", ["a", "b", "c"], max_n=2)
    assert good == ["b", "a"]
    assert bad == ["x", "+1"]  # unknown ids, then how many were cut off
    assert parse_ids("", ["a"]) == ([], [])
    assert ids_param(["a", "b"], ["a", "b"]) is None  # the default: short links
    assert ids_param(["b", "a"], ["a", "b"]) == "b,a"


@pytest.mark.parametrize(
    ("years", "year", "shown"),
    [
        ((2019, 2021, 2023), 2023, 2023),
        ((2019, 2021, 2023), 2022, 2021),  # collected every other year
        ((2019, 2021, 2023), 2018, 2019),  # before the first: the first
        ((), 2023, None),
    ],
)
def test_an_indicator_shows_its_latest_year_up_to_the_chosen_one(years, year, shown):
    assert data_year(years, year) == shown
