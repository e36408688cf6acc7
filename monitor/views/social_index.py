"""Inputs and tables of the Sozialindex page (MSS-style composite index)."""

from __future__ import annotations

import re

import pandas as pd

from monitor.formatting import fmt_number, fmt_value
from monitor.i18n import t
from monitor.methods.social_index import (
    CORE_INDICATORS,
    DYNAMICS_CLASSES,
    STATUS_CLASSES,
    SocialIndexResult,
)

__all__ = [
    "parse_weights",
    "weights_param",
    "index_inputs",
    "ranked_table",
    "matrix_table",
    "excluded_table",
    "changes_table",
    "STATUS_RGB",
    "DYNAMICS_RGB",
]

# hoch (best) light -> sehr niedrig dark (ColorBrewer YlOrRd, colour-blind safe)
STATUS_RGB = {
    "hoch": [255, 237, 160],
    "mittel": [254, 178, 76],
    "niedrig": [240, 59, 32],
    "sehr_niedrig": [165, 0, 38],
}
# positiv purple, stabil grey, negativ orange (ColorBrewer PuOr)
DYNAMICS_RGB = {
    "positiv": [128, 115, 172],
    "stabil": [220, 220, 220],
    "negativ": [224, 130, 20],
}
MAX_WEIGHT = 5.0


def parse_weights(text: str, indicators=CORE_INDICATORS) -> dict[str, float] | None:
    """``"sgb2_quote:1,kinderarmut:2,arbeitslosenanteil:0"`` -> weights, or None.

    Unknown ids, non-numbers, negatives, values above 5 or all zeros are rejected
    (the page then keeps equal weights and says so).
    """
    if not text:
        return None
    weights = dict.fromkeys(indicators, 0.0)
    for part in text.split(","):
        match = re.fullmatch(r"\s*([a-z0-9_]+)\s*:\s*(\d+(?:\.\d+)?)\s*", part)
        if not match or match.group(1) not in weights:
            return None
        value = float(match.group(2))
        if value > MAX_WEIGHT:
            return None
        weights[match.group(1)] = value
    if sum(weights.values()) <= 0:
        return None
    return weights


def weights_param(weights: dict[str, float]) -> str | None:
    if len(set(weights.values())) == 1:
        return None  # equal weights are the default; keep links short
    return ",".join(f"{k}:{v:g}" for k, v in weights.items())


def index_inputs(
    values_now: dict[str, pd.DataFrame],
    values_before: dict[str, pd.DataFrame],
    population: pd.DataFrame,
):
    """Wide frames (area x indicator) from the store's per-indicator level values."""
    status = pd.DataFrame(
        {k: v.set_index("area_id").value for k, v in values_now.items()}
    )
    earlier = pd.DataFrame(
        {k: v.set_index("area_id").value for k, v in values_before.items()}
    )
    pop = population.set_index("area_id").value
    return status, earlier.reindex(status.index), pop.reindex(status.index)


def ranked_table(
    result: SocialIndexResult, names: pd.Series, catalog, lang: str
) -> pd.DataFrame:
    areas = result.areas.sort_values("status_index", ascending=False)
    out = pd.DataFrame({t("common.area", lang): names.reindex(areas.index).astype(str)})
    out[t("sozialindex.col_rank", lang)] = areas["rank"].astype(int)
    for ind_id in result.indicators:
        ind = catalog[ind_id]
        out[ind.text("name", lang)] = [
            fmt_value(v, ind.unit, lang) for v in areas[ind_id]
        ]
        out[f"z {ind.text('name', lang)}"] = [
            fmt_number(v, lang, 2) for v in areas[f"{ind_id}_z"]
        ]
    out[t("sozialindex.col_status_index", lang)] = [
        fmt_number(v, lang, 2) for v in areas.status_index
    ]
    out[t("sozialindex.col_status", lang)] = [
        t(f"sozialindex.status_{c}", lang) for c in areas.status_class
    ]
    out[t("sozialindex.col_dynamics_index", lang)] = [
        fmt_number(v, lang, 2) for v in areas.dynamics_index
    ]
    out[t("sozialindex.col_dynamics", lang)] = [
        t(f"sozialindex.dynamics_{c}", lang) for c in areas.dynamics_class
    ]
    out[t("sozialindex.col_population", lang)] = [
        fmt_number(v, lang, 0) for v in areas.population
    ]
    return out.reset_index(drop=True)


def matrix_table(result: SocialIndexResult, lang: str) -> pd.DataFrame:
    matrix = (
        result.class_matrix()
        .reindex(index=list(STATUS_CLASSES), columns=list(DYNAMICS_CLASSES))
        .fillna(0)
    )
    matrix.index = [t(f"sozialindex.status_{c}", lang) for c in matrix.index]
    matrix.columns = [t(f"sozialindex.dynamics_{c}", lang) for c in matrix.columns]
    return matrix.astype(int)


def excluded_table(
    result: SocialIndexResult, names: pd.Series, lang: str
) -> pd.DataFrame:
    ex = result.excluded
    return pd.DataFrame(
        {
            t("common.area", lang): names.reindex(ex.index).astype(str).to_numpy(),
            t("sozialindex.col_population", lang): [
                fmt_number(v, lang, 0) for v in ex.population
            ],
            t("sozialindex.col_reason", lang): [
                t(f"sozialindex.reason_{r}", lang) for r in ex.reason
            ],
        }
    )


def changes_table(changes: pd.DataFrame, names: pd.Series, lang: str) -> pd.DataFrame:
    def label(kind, value):
        if value == "excluded":
            return t("sozialindex.excluded", lang)
        return t(f"sozialindex.{kind}_{value}", lang)

    return pd.DataFrame(
        {
            t("common.area", lang): names.reindex(changes.index).astype(str).to_numpy(),
            t("sozialindex.col_status_default", lang): [
                label("status", v) for v in changes.status_class_old
            ],
            t("sozialindex.col_status_custom", lang): [
                label("status", v) for v in changes.status_class_new
            ],
            t("sozialindex.col_dynamics_default", lang): [
                label("dynamics", v) for v in changes.dynamics_class_old
            ],
            t("sozialindex.col_dynamics_custom", lang): [
                label("dynamics", v) for v in changes.dynamics_class_new
            ],
        }
    )
