"""Every note id a progress result can carry is explained in NOTES."""

from __future__ import annotations

from monitor.methods.progress.dns_weather import weather_symbol
from monitor.methods.progress.notes import NOTES
from monitor.methods.progress.open_sdg import CATEGORIES, assess_progress


def test_all_categories_and_notes_are_documented():
    assert set(CATEGORIES) >= {
        "target_achieved",
        "on_track",
        "acceleration_needed",
        "limited_progress",
        "deterioration",
        "not_assessable",
    }
    results = [
        assess_progress([2020, 2021], [0, 2], higher_is_better=True),
        assess_progress([2020, 2021], [-1, -2], higher_is_better=True, limit=-5),
        assess_progress(
            [2020, 2021],
            [9, 8],
            higher_is_better=False,
            target_value=0,
            target_year=2030,
        ),
        assess_progress([2016, 2018], [1, 2], higher_is_better=True, base_year=2017),
        weather_symbol([2015, 2017, 2018, 2019], [1, 2, 3, 4], higher_is_better=True),
        weather_symbol(
            range(2015, 2021),
            [1, 2, 3, 4, 5, 6],
            higher_is_better=True,
            target_value=3,
            target_year=2019,
        ),
    ]
    for r in results:
        assert set(r.notes) <= set(NOTES), r.notes
