"""The Sozialindex for the pages: its inputs from the store, the weights in the
link, the map, the legend and the tables (MSS-style composite index,
:mod:`monitor.methods.social_index`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from monitor.catalog import Catalog
from monitor.formatting import fmt_number, fmt_value
from monitor.i18n import t
from monitor.methods.social_index import (
    DYNAMICS_CLASSES,
    STATUS_CLASSES,
    SocialIndexResult,
    compute_social_index,
)
from monitor.views import static_map
from monitor.views.choropleth import FILL_ALPHA
from monitor.views.deck import polygon_records
from monitor.views.palettes import (
    MISSING_RGB,
    SOCIAL_DYNAMICS_RGB,
    SOCIAL_STATUS_RGB,
)

__all__ = [
    "IndexSpec",
    "index_spec",
    "index_years",
    "export_frame",
    "map_frame",
    "png_classes",
    "parse_weights",
    "weights_param",
    "index_inputs",
    "inputs_for",
    "compute",
    "map_records",
    "legend_entries",
    "ranked_table",
    "matrix_table",
    "excluded_table",
    "changes_table",
    "map_png",
]

# the two maps: URL value -> (class column, colours, text key prefix)
_LAYERS = {
    "status": ("status_class", SOCIAL_STATUS_RGB, "status"),
    "dynamik": ("dynamics_class", SOCIAL_DYNAMICS_RGB, "dynamics"),
}

MAX_WEIGHT = 5.0


@dataclass(frozen=True)
class IndexSpec:
    """What the index is made of, from the catalogue: the rate indicators with
    ``in_index``, their ``index_weight`` (the default weights; equal when the
    catalogue gives none), their direction, and the population indicator of the
    data folder's place (areas below 300 inhabitants are left out)."""

    indicators: tuple[str, ...]
    weights: Mapping[str, float]
    higher_is_worse: Mapping[str, bool]
    population: str


def index_spec(catalog: Catalog, population: str) -> IndexSpec:
    chosen = [i for i in catalog.indicators if i.in_index and i.is_rate]
    weights = {i.id: max(float(i.index_weight), 0.0) for i in chosen}
    if sum(weights.values()) <= 0:
        weights = dict.fromkeys(weights, 1.0)
    return IndexSpec(
        indicators=tuple(weights),
        weights=weights,
        higher_is_worse={i.id: i.direction != "higher_is_better" for i in chosen},
        population=population,
    )


def index_years(
    spec: IndexSpec, years_by_indicator: Mapping[str, Sequence[int]]
) -> tuple[int, ...]:
    """The years in which every index indicator has data."""
    if not spec.indicators:
        return ()
    common = set.intersection(
        *(set(years_by_indicator.get(i, ())) for i in spec.indicators)
    )
    return tuple(sorted(int(y) for y in common))


def parse_weights(text: str, indicators: Sequence[str]) -> dict[str, float] | None:
    """``"sgb2_quote:1,kinderarmut:2"`` -> weights of ``indicators``, or None.

    Unknown ids, non-numbers, negatives, values above 5 or all zeros are rejected
    (the page then keeps the default weights and says so); an indicator not named
    gets weight 0.
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


def weights_param(
    weights: Mapping[str, float], default: Mapping[str, float]
) -> str | None:
    """The link value of the weights (None for the default: short links)."""
    if dict(weights) == dict(default):
        return None
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


def inputs_for(
    level_values: Callable[[str, int], pd.DataFrame],
    year: int,
    year_from: int,
    spec: IndexSpec,
):
    """The index's inputs on one level: (shares in ``year``, shares in
    ``year_from``, inhabitants), read with ``level_values(indicator_id, year)``
    (the store's ``level_values`` of the level; suppressed values are NaN)."""
    now = {i: level_values(i, year) for i in spec.indicators}
    before = {i: level_values(i, year_from) for i in spec.indicators}
    return index_inputs(now, before, level_values(spec.population, year))


def compute(
    spec: IndexSpec,
    status: pd.DataFrame,
    earlier: pd.DataFrame,
    population: pd.Series,
    weights: Mapping[str, float] | None = None,
) -> SocialIndexResult:
    """The index of ``spec`` (weights: the catalogue's unless given); ValueError
    from the method when it cannot be computed."""
    return compute_social_index(
        status,
        earlier,
        population,
        indicators=spec.indicators,
        weights=dict(weights or spec.weights),
        higher_is_worse=dict(spec.higher_is_worse),
    )


def map_records(
    geo: gpd.GeoDataFrame,
    result: SocialIndexResult,
    layer: str,
    names: pd.Series,
    lang: str,
) -> list[dict]:
    """Records of the index map (``layer`` "status" or "dynamik"): every area in
    the colour of its class; excluded areas grey, the reason in the tooltip."""
    column, palette, prefix = _LAYERS[layer]
    classes = result.areas[column]
    fills, props = [], []
    for area_id in geo.area_id:
        cls = classes.get(area_id)
        if cls is None:
            fills.append([*MISSING_RGB, FILL_ALPHA])
            reason = result.excluded.reason.get(area_id, "value_missing")
            tip = t(f"sozialindex.reason_{reason}", lang)
        else:
            fills.append([*palette[cls], FILL_ALPHA])
            tip = t(f"sozialindex.{prefix}_{cls}", lang)
        name = str(names.get(area_id, area_id))
        props.append({"area_id": area_id, "name": name, "tip": tip})
    return polygon_records(geo, fills, props)


def legend_entries(result: SocialIndexResult, layer: str, lang: str) -> list[tuple]:
    """(colour, class, number of areas) per class of the map, then the excluded."""
    column, palette, prefix = _LAYERS[layer]
    classes = result.areas[column]
    entries = [
        (rgb, t(f"sozialindex.{prefix}_{cls}", lang), str(int((classes == cls).sum())))
        for cls, rgb in palette.items()
    ]
    if len(result.excluded):
        entries.append(
            (MISSING_RGB, t("sozialindex.excluded", lang), str(len(result.excluded)))
        )
    return entries


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


# -- downloads -----------------------------------------------------------------------
def export_frame(
    result: SocialIndexResult, names: pd.Series, catalog, lang: str
) -> pd.DataFrame:
    """The ranked table with numbers (values, z-values, indices, classes) and
    the excluded areas with their reason, for CSV and XLSX. The index is made
    from published shares only, so no value here is secret."""
    areas = result.areas.sort_values("status_index", ascending=False)
    out = pd.DataFrame(
        {
            t("sozialindex.col_area_id", lang): areas.index.astype(str),
            t("common.area", lang): names.reindex(areas.index).astype(str).to_numpy(),
            t("sozialindex.col_rank", lang): areas["rank"].astype(int).to_numpy(),
        }
    )
    for ind_id in result.indicators:
        name = catalog[ind_id].text("name", lang)
        out[name] = areas[ind_id].round(1).to_numpy()
        out[f"z {name}"] = areas[f"{ind_id}_z"].round(3).to_numpy()
    out[t("sozialindex.col_status_index", lang)] = areas.status_index.round(3).values
    out[t("sozialindex.col_status", lang)] = [
        t(f"sozialindex.status_{c}", lang) for c in areas.status_class
    ]
    out[t("sozialindex.col_dynamics_index", lang)] = areas.dynamics_index.round(
        3
    ).to_numpy()
    out[t("sozialindex.col_dynamics", lang)] = [
        t(f"sozialindex.dynamics_{c}", lang) for c in areas.dynamics_class
    ]
    out[t("sozialindex.col_population", lang)] = areas.population.to_numpy()
    ex = result.excluded
    left_out = pd.DataFrame(
        {
            t("sozialindex.col_area_id", lang): ex.index.astype(str),
            t("common.area", lang): names.reindex(ex.index).astype(str).to_numpy(),
            t("sozialindex.col_population", lang): ex.population.to_numpy(),
            t("sozialindex.col_excluded", lang): [
                t(f"sozialindex.reason_{r}", lang) for r in ex.reason
            ],
        }
    )
    return pd.concat([out, left_out], ignore_index=True) if len(ex) else out


def map_frame(
    geo: gpd.GeoDataFrame, result: SocialIndexResult, level: str, names: pd.Series
):
    """The index map as GIS rows: indices and classes per area; excluded areas
    have status ``missing`` and no numbers."""
    areas = result.areas.reindex(geo.area_id)
    out = geo[["area_id", "geometry"]].copy()
    out.insert(1, "name", [str(names.get(a, a)) for a in geo.area_id])
    out["level"] = level
    out["status"] = [
        "ok" if a in result.areas.index else "missing" for a in geo.area_id
    ]
    for column in ("status_index", "status_class", "dynamics_index", "dynamics_class"):
        out[column] = areas[column].to_numpy()
    return out


def png_classes(result: SocialIndexResult, area_ids, layer: str, lang: str):
    """(class index per area, colours, labels) of the shown layer, for the
    static map."""
    column, palette, prefix = _LAYERS[layer]
    order = list(palette)
    classes = result.areas[column]
    index = [order.index(classes[a]) if a in classes.index else -1 for a in area_ids]
    labels = [t(f"sozialindex.{prefix}_{c}", lang) for c in order]
    return index, list(palette.values()), labels


def map_png(
    areas: Callable[[], gpd.GeoDataFrame],
    result: SocialIndexResult,
    layer: str,
    lang: str,
    **picture,
) -> bytes:
    """The map of ``areas()`` (:func:`map_frame`, built on click) as a static PNG
    of ``layer`` (status or dynamics); ``picture`` as
    :func:`monitor.views.static_map.choropleth_png` takes it."""
    frame = areas()
    classes, colors, labels = png_classes(result, frame.area_id, layer, lang)
    return static_map.choropleth_png(
        frame,
        classes,
        colors,
        labels,
        status=frame.status.to_numpy(),
        lang=lang,
        **picture,
    )
