"""The Hotspots page's sentences (monitor.views.hotspot_text) carry the numbers the
analysis used, in German number format."""

from __future__ import annotations

from monitor.methods import hotspots as hs
from monitor.views import hotspot_text as text


class Rate:
    is_rate = True

    def text(self, field, lang):
        return {"denominator": "Kinder unter 15"}[field]


def test_floor_params_give_the_smallest_adjusted_p():
    params = {"permutations": 9999, "n_tests": 365}
    assert text.floor_params(params, "de") == {
        "perms": "9.999",
        "n": "365",
        "pmin": "0,0002",
        "q": "0,073",
    }


def test_refusal_names_the_coverage():
    cov = hs.coverage_of([3000.0, 500.0], 11_475.0)
    result = hs.HotspotResult(None, None, None, None, "low_coverage", {}, cov)
    sentence = text.refusal(result, Rate(), "de")
    assert "nur 30,5\u202f% der Bezugsgröße der Stadt" in sentence
    assert "(Kinder unter 15: 3.500 von 11.475)" in sentence
    assert "ab 80\u202f%" in sentence


def test_emerging_refusals_name_their_numbers():
    params = {"permutations": 9999, "n_tests": 386, "n_bins": 4632}
    large = hs.EmergingResult(None, None, None, None, [], "too_large", None, params)
    sentence = text.emerging_refusal(large, 12, Rate(), "de")
    assert sentence.startswith("4.632 Raum-Zeit-Zellen (386 Gebiete × 12 Jahre)")
    assert "9.999 Permutationen" in sentence
    few = hs.EmergingResult(None, None, None, None, [], "too_few_years", None, {})
    assert f"mindestens {hs.MIN_YEARS} Jahre" in text.emerging_refusal(
        few, 3, Rate(), "de"
    )
