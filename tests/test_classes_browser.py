"""Browser test: the Karte legend of a natural-breaks link counts the areas as
mapclassify classes them (Debian's Chromium through Playwright).

A shared link with ``klassen=natural_breaks`` is opened as an official would open
it; the legend rows the browser shows (colour, bounds, number of areas) must be
mapclassify.FisherJenks's counts for the same values, the bounds its breaks in
German format, the colours the palette of the classes. Two maps: Kinderarmut
2025 on Quartiere (where the area holding a class maximum had fallen into the
next class) and Einwohner 2024 on the raster cells (627 values: the breaks were
taken from a sample of 300).

One server and one browser for the module. Run alone with
``pytest tests/test_classes_browser.py -m browser``.
"""

from __future__ import annotations

import re
import warnings

import mapclassify
import numpy as np
import pytest
from playwright.sync_api import BrowserContext, Page

from monitor.formatting import fmt_number
from monitor.methods.classification import class_labels, classify
from monitor.store import Store
from monitor.views.palettes import class_colors
from tests.browser import expect_no_exception, open_page

VIEWPORT = {"width": 1400, "height": 1000}
pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_context_args(viewport=VIEWPORT, locale="de-DE"),
]
K = 5
MAPS = [("kinderarmut", 2025, "quartier"), ("einwohner", 2024, "raster")]


def _legend_rows(page: Page) -> list[tuple[tuple[int, ...], str, int]]:
    """(rgb, label, number of areas) of the legend rows with a colour swatch."""
    page.locator(".qm-legend-row").first.wait_for(state="visible")
    rows = page.locator(".qm-legend-row").evaluate_all(
        """rows => rows
          .filter(r => !r.querySelector('.qm-outline'))
          .map(r => [
            getComputedStyle(r.querySelector('.qm-swatch')).backgroundColor,
            r.querySelector('.qm-label').textContent,
            (r.querySelector('.qm-count') || {}).textContent || ''])"""
    )
    out = []
    for css, label, count in rows:
        rgb = tuple(int(v) for v in re.findall(r"\d+", css)[:3])
        out.append((rgb, label, int(re.sub(r"\D", "", count) or 0)))
    return out


@pytest.mark.parametrize(("indicator", "year", "level"), MAPS, ids=lambda v: str(v))
def test_natural_breaks_legend_shows_mapclassify_counts(
    context: BrowserContext,
    app_server: str,
    demo_store: Store,
    indicator: str,
    year: int,
    level: str,
):
    link = {
        "indikator": indicator,
        "jahr": str(year),
        "ebene": level,
        "klassen": "natural_breaks",
        "k": str(K),
    }
    page, console = open_page(context, app_server, "karte", link)
    expect_no_exception(page)
    shown = _legend_rows(page)

    ind = demo_store.catalog[indicator]
    values = demo_store.level_values(indicator, year, level).value.to_numpy(float)
    y = values[np.isfinite(values)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Numba not installed"
        ref = mapclassify.FisherJenks(y, k=K)
    ours = classify(values, "natural_breaks", K)
    decimals = 0 if ind.unit == "count" else 1  # as the map page formats
    labels = class_labels(ours, lambda v: fmt_number(v, "de", decimals))
    colours = [tuple(c) for c in class_colors(K, ind.direction)]

    assert [n for _, _, n in shown[:K]] == ref.counts.tolist()
    assert [label for _, label, _ in shown[:K]] == labels
    assert [rgb for rgb, _, _ in shown[:K]] == colours
    # the bounds shown are mapclassify's breaks, rounded for display only
    assert [label.split(" – ")[-1] for label in labels] == [
        fmt_number(b, "de", decimals) for b in ref.bins
    ]
    if level == "quartier":
        assert ref.counts.tolist() == [3, 12, 8, 8, 4]
    console.assert_clean()
