"""Daten & Methodik: the indicator catalogue, the data holdings and the rules."""

import pandas as pd
import streamlit as st

from monitor.formatting import fmt_date, fmt_number
from monitor.ui import data, layout
from monitor.ui.bootstrap import ensure_app
from monitor.ui.state import current_view, lang, tr
from monitor.views.disclosure import disclosure_paragraphs

ensure_app()
store = data.get_store()
ctx = data.context(store)
current_view(ctx)
catalog = store.catalog
layout.page_header(store, "methodik.title")
st.markdown(tr("methodik.intro"))

st.subheader(tr("methodik.catalog_title"))
for domain, indicators in catalog.by_domain():
    with st.expander(f"{domain.name(lang())} ({len(indicators)})", expanded=True):
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
                f"**{ind.text('name', lang())}** · `{ind.id}`  \n"
                f"{ind.text('explanation', lang())}  \n"
                f"{tr('common.numerator')}: {ind.text('numerator', lang())}  \n"
                f"{tr('common.denominator')}: {ind.text('denominator', lang())}  \n"
                f"{tr('common.source')}: {ind.text('source', lang())}  \n"
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
for key in ("levels_text", "benchmarks"):
    st.markdown(tr(f"methodik.{key}"))

st.subheader(tr("methodik.attribution_title"))
if meta.is_demo:
    st.markdown(tr("methodik.demo_text"))
st.markdown(f"- {meta.attribution}")

st.subheader(tr("progress.methodik_title"))
for key in ("opensdg", "weather", "path", "separation", "log"):
    st.markdown(tr(f"progress.methodik_{key}"))
