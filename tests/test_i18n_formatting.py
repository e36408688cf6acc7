"""Translations are complete and numbers and dates follow the language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.formatting import fmt_change, fmt_date, fmt_number, fmt_value
from monitor.i18n import load_texts, t

ROOT = Path(__file__).resolve().parent.parent


def test_german_and_english_have_the_same_keys():
    de, en = set(load_texts("de")), set(load_texts("en"))
    assert de - en == set(), "missing in en.yaml"
    assert en - de == set(), "missing in de.yaml"


def test_no_key_is_defined_twice_across_locale_files():
    import yaml

    from monitor.i18n import _flatten, locale_files

    for lang in ("de", "en"):
        seen: dict[str, str] = {}
        for path in locale_files(lang):
            if not path.is_file():
                continue
            for key in _flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {}):
                assert key not in seen, f"{key} in {path.name} and {seen[key]}"
                seen[key] = path.name


def test_placeholders_match_between_languages():
    de, en = load_texts("de"), load_texts("en")
    for key in de:
        assert set(re.findall(r"{(\w+)}", de[key])) == set(
            re.findall(r"{(\w+)}", en[key])
        ), key


def _literal_keys() -> set[str]:
    keys = set()
    for path in [
        ROOT / "app.py",
        *ROOT.glob("pages/*.py"),
        *ROOT.glob("monitor/**/*.py"),
    ]:
        text = path.read_text(encoding="utf-8")
        keys |= set(
            re.findall(r"""\b(?:tr|t)\(\s*["']([a-z_]+\.[a-z_.0-9]+)["']""", text)
        )
    return keys


def test_every_key_used_in_code_has_a_translation():
    known = set(load_texts("de"))
    missing = sorted(k for k in _literal_keys() if k not in known)
    assert missing == []


def test_unknown_key_falls_back_to_the_key_not_an_exception():
    assert t("does.not.exist", "en") == "does.not.exist"
    text = t("uebersicht.intro", "xx", name="A", ha=1, pop=2, year=3, share=4)
    assert "umfasst" in text  # an unknown language falls back to German


@pytest.mark.parametrize(
    "value,lang,decimals,expected",
    [
        (1234.5, "de", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (46882, "de", 0, "46.882"),
        (0.04, "de", 1, "0,0"),
        (float("nan"), "de", 1, "."),
    ],
)
def test_numbers(value, lang, decimals, expected):
    assert fmt_number(value, lang, decimals) == expected


def test_values_with_units_and_suppression():
    assert fmt_value(37.123, "percent", "de") == "37,1\u202f%"
    assert fmt_value(37.123, "percent", "en") == "37.1%"
    assert fmt_value(41.0, "per_mille", "de") == "41,0\u202f‰"
    assert fmt_value(46882, "count", "de") == "46.882"
    assert fmt_value(12.0, "percent", "de", status="suppressed") == "."
    assert fmt_value(None, "percent", "de") == "."


@pytest.mark.parametrize(
    "status,sign",
    [
        ("suppressed", "."),
        ("missing", "."),
        ("pending", "..."),
        ("not_meaningful", "x"),
        ("uncertain", "/"),
    ],
)
def test_each_status_has_its_official_sign_never_a_dash(status, sign):
    """Destatis "Zeichenerklärung": "." unknown or secret, "..." comes later, "x"
    not meaningful, "/" too uncertain; "–" would mean exactly zero."""
    assert fmt_value(5.0, "percent", "de", status=status) == sign
    assert "–" not in fmt_value(float("nan"), "count", "de", status=status)


def test_a_true_zero_is_a_number_and_flags_are_marked():
    assert fmt_value(0.0, "count", "de") == "0"
    assert fmt_value(12.34, "percent", "de", flag="p") == "12,3\u202f%\u202fp"
    assert fmt_value(12.34, "percent", "de", flag="p,r") == "12,3\u202f%\u202fp r"
    assert fmt_value(7, "count", "de", flag="()") == "(7)"
    assert fmt_value(7, "count", "de", flag="zz") == "7"  # unknown flags are not shown


def test_changes_and_dates():
    assert fmt_change(2.04, "percent", "de") == "+2,0 Pp."
    assert fmt_change(-1.5, "percent", "en") == "−1.5 pp"
    assert fmt_change(-63, "count", "de", minus="-") == "-63"
    assert fmt_date("2025-12-31", "de") == "31.12.2025"
    assert fmt_date("2025-12-31", "en") == "31 Dec 2025"


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2])
@pytest.mark.parametrize(
    "value", [0, 0.06, -0.04, 1, 999.96, 1234.5, -1234.56, 46882, 1e7 + 0.25, -3.0]
)
def test_fast_number_format_equals_babel(value, decimals, lang):
    from monitor.formatting import fmt_number_babel

    fast = fmt_number(value, lang, decimals)
    ref = fmt_number_babel(value, lang, decimals)
    if ref.startswith("-") and set(ref[1:]) <= set("0.,"):
        ref = ref[1:]  # babel writes "-0,0"; we write "0,0"
    assert fast == ref
