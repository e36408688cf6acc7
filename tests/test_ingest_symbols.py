"""The status vocabulary and German numbers (monitor/ingest/symbols.py, numbers.py)."""

from __future__ import annotations

import pytest

from monitor.ingest.numbers import detect_decimal, parse_number
from monitor.ingest.symbols import DISPLAY, STORE_STATUS, parse_cell, parse_flag


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.234,5", ",", 1234.5),
        ("1234,5", ",", 1234.5),
        ("1.234.567", ",", 1234567.0),
        ("1 234,5", ",", 1234.5),
        ("1\u202f234", ",", 1234.0),
        ("−3,5", ",", -3.5),
        ("1.5", ",", None),  # not a thousands group: never fifteen
        ("1,234.5", ".", 1234.5),
        ("12.5", ".", 12.5),
        ("abc", ",", None),
        ("", ",", None),
    ],
)
def test_german_and_english_numbers(text, decimal, expected):
    assert parse_number(text, decimal) == expected


def test_decimal_detection_prefers_german_on_a_tie():
    assert detect_decimal(["1.234", "17"]) == ","
    assert detect_decimal(["12.5", "3.75", "1"]) == "."
    assert detect_decimal(["12,5", "3,75"]) == ","


def test_a_true_zero_is_a_number_not_missing():
    cell = parse_cell("-")
    assert (cell.value, cell.status) == (0.0, "ok")


@pytest.mark.parametrize(
    ("symbol", "status"),
    [
        (".", "suppressed"),
        ("...", "pending"),
        ("x", "not_meaningful"),
        ("/", "uncertain"),
        ("", "missing"),
    ],
)
def test_official_symbols_have_distinct_statuses(symbol, status):
    cell = parse_cell(symbol)
    assert cell.value is None
    assert cell.status == status


def test_secret_is_shown_as_dot_never_as_dash():
    assert DISPLAY["suppressed"] == "."
    assert DISPLAY["missing"] == "."
    assert "–" not in DISPLAY.values() and "-" not in DISPLAY.values()


def test_dialects_differ_where_the_sources_differ():
    assert parse_cell("–", "destatis").value == 0.0
    assert parse_cell("–", "zensus").status == "suppressed"
    assert parse_cell("*", "ba").status == "suppressed"
    assert parse_cell("*", "destatis").error


@pytest.mark.parametrize(
    ("text", "value", "flag"),
    [
        ("1.234p", 1234.0, "p"),
        ("1.234 r", 1234.0, "r"),
        ("p 17", 17.0, "p"),
        ("5,5s", 5.5, "s"),
        ("(12)", 12.0, "()"),
    ],
)
def test_value_flags_are_kept_beside_the_number(text, value, flag):
    cell = parse_cell(text)
    assert (cell.value, cell.status, cell.flag) == (value, "ok", flag)


def test_quality_columns_become_flags():
    assert parse_flag("e") == ""
    assert parse_flag("p") == "p"
    assert parse_flag("KLAMMERN") == "()"


def test_text_in_a_number_cell_is_an_error_not_zero():
    cell = parse_cell("k.A.")
    assert cell.value is None and cell.status == "missing"
    assert "keine Zahl" in cell.error


def test_the_store_keeps_every_status():
    from monitor.statuses import STATUS_CODES

    assert set(STORE_STATUS.values()) == set(STATUS_CODES)
    assert STORE_STATUS["pending"] == "pending"
