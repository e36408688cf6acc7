"""Daten & Methodik: the indicator catalogue, the data holdings and the rules."""

import pandas as pd
import streamlit as st

from monitor.formatting import fmt_date, fmt_number, fmt_value, plain
from monitor.methods import hotspots as hs
from monitor.methods import intervals
from monitor.ui import layout
from monitor.ui.state import lang, tr
from monitor.views.disclosure import disclosure_paragraphs
from monitor.views.inventory import levels_phrase

store, ctx, _view = layout.start_page("methodik.title")
catalog = store.catalog
st.markdown(tr("methodik.intro"))

st.subheader(tr("methodik.catalog_title"))
for domain, indicators in catalog.by_domain():
    with st.expander(
        f"{plain(domain.name(lang()))} ({len(indicators)})", expanded=True
    ):
        for ind in indicators:
            rule = (
                tr(
                    "methodik.suppression_rule",
                    n=ind.min_numerator - 1,
                    d=ind.min_denominator,
                )
                if ind.is_rate
                else tr("methodik.suppression_rule_count", n=ind.min_numerator - 1)
            )
            years = ctx.indicator_years.get(ind.id, ())
            st.markdown(
                f"**{plain(ind.text('name', lang()))}** · `{ind.id}`  \n"
                f"{plain(ind.text('explanation', lang()))}  \n"
                f"{tr('common.numerator')}: {plain(ind.text('numerator', lang()))}  \n"
                f"{tr('common.denominator')}: "
                f"{plain(ind.text('denominator', lang()))}  \n"
                f"{tr('common.source')}: {plain(ind.text('source', lang()))}  \n"
                f"{tr('methodik.col_direction')}: {tr('direction.' + ind.direction)}"
                f" · {tr('methodik.col_suppression')}: {rule}"
                f" · {tr('methodik.col_levels')}: "
                + ", ".join(tr(f"levels.{lv}") for lv in ind.levels)
                + (
                    f" · {tr('methodik.col_years')}: {years[0]}–{years[-1]}"
                    if len(years) > 1
                    else (f" · {tr('common.year')}: {years[0]}" if years else "")
                )
            )

st.subheader(tr("methodik.data_title"))
layout.file_problems(store, store.problems)  # every broken optional file
meta = store.meta
st.markdown(
    tr("app.data_date", date=fmt_date(meta.data_date, lang()))
    + " · "
    + tr("app.data_version", version=meta.data_version)
)
inventory = store.inventory()
table = pd.DataFrame(
    {
        tr("methodik.col_level"): [tr(f"levels.{lv}") for lv in inventory.level],
        tr("methodik.col_areas"): [fmt_number(n, lang(), 0) for n in inventory.n_areas],
        tr("methodik.col_values"): [
            fmt_number(n, lang(), 0) for n in inventory.n_values
        ],
        tr("methodik.col_years"): [
            f"{a}–{b}"
            for a, b in zip(inventory.first_year, inventory.last_year, strict=True)
        ],
        tr("methodik.col_suppressed"): [
            fmt_number(100 * s, lang(), 1) + " %" for s in inventory.suppressed_share
        ],
    }
)
st.dataframe(table, hide_index=True)
st.caption(tr("methodik.inventory_caption"))

st.subheader(tr("methodik.methods_title"))
st.markdown(tr("methodik.rates"))
for paragraph in disclosure_paragraphs(
    store.disclosure.report, store.disclosure.origin, lang()
):
    st.markdown(paragraph)
st.markdown(tr("methodik.levels_text", levels=levels_phrase(inventory, lang())))
benchmarks = store.place.benchmarks
st.markdown(
    tr(
        "methodik.benchmarks",
        names=", ".join(plain(b.name(lang())) for b in benchmarks),
    )
    if benchmarks
    else tr("methodik.no_benchmarks")
)

# -- hotspots: the rules as the code keeps them (monitor.methods.hotspots) ------
st.subheader(tr("hotspots.methodik_title"))
hotspot_rules = {
    "cells": hs.GRID_BAND_CELLS,
    "coverage": fmt_value(100 * hs.MIN_COVERAGE, "percent", lang(), decimals=0),
    "units": hs.MIN_UNITS,
    "neighbours": fmt_number(hs.MIN_MEAN_NEIGHBOURS, lang(), 0),
    "steps": " / ".join(fmt_number(r, lang(), 0) for r in hs.PERMUTATION_STEPS),
    "years": hs.MIN_YEARS,
    "confidence": fmt_value(100 * (1 - hs.EHSA_ALPHA), "percent", lang(), decimals=0),
    "draws": fmt_number(hs.MAX_CUBE_DRAWS, lang(), 0),
}
for key in ("weights", "smoothing", "coverage", "classes", "emerging"):
    st.markdown(tr(f"hotspots.methodik_{key}", **hotspot_rules))

# -- uncertainty of small-area rates (monitor.methods.intervals) ----------------
st.subheader(tr("uncertainty.methodik_title"))
for key in ("intervals", "test", "note"):
    st.markdown(
        tr(
            f"uncertainty.methodik_{key}",
            small=intervals.SMALL_COUNT,
            expected=intervals.MIN_EXPECTED,
        )
    )

st.subheader(tr("methodik.attribution_title"))
if meta.is_demo:
    note = meta.note_en if lang() == "en" else meta.note_de
    st.markdown(tr("methodik.demo_text", note=plain(note)))
st.markdown(f"- {plain(meta.attribution)}")

st.subheader(tr("progress.methodik_title"))
for key in ("opensdg", "weather", "path", "separation", "log"):
    st.markdown(tr(f"progress.methodik_{key}"))
