"""Tables behind the map (page "Karte"): one row per area, as drawn, tooltipped,
listed and exported.

:func:`state_table` (one year, with rank and difference to the city) and
:func:`change_table` (between two years) hold every area of a level as a frame;
:class:`ArrayTable` gives the same rows for a level read as arrays, only for the
rows asked for. Ranks: 1 = highest value; suppressed and missing areas get none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from monitor.formatting import (
    MISSING,
    fmt_change,
    fmt_number,
    fmt_value,
    status_sign,
    with_flag,
)
from monitor.i18n import t
from monitor.views import exports, static_map, uncertainty

if TYPE_CHECKING:
    from monitor.store import LevelArrays

__all__ = [
    "state_table",
    "change_table",
    "ArrayTable",
    "tooltips",
    "export_frame",
    "display_table",
    "ranked_rows",
    "map_frame",
    "map_png",
    "export_csv",
]


def _rank(values: pd.Series) -> pd.Series:
    """Rank 1 = highest value; suppressed/missing areas get no rank."""
    return values.rank(ascending=False, method="min").astype("Int64")


def state_table(level_values: pd.DataFrame, city_value: float) -> pd.DataFrame:
    """Values of one year with rank and difference to the city."""
    table = level_values.copy()
    table["rank"] = _rank(table["value"])
    table["diff_city"] = table["value"] - city_value
    table["n_ranked"] = int(table["value"].notna().sum())
    return table


def change_table(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Change between two years; suppressed in either year means no change shown."""
    prev = before.set_index("area_id")
    table = now.copy()
    table["value_before"] = table.area_id.map(prev["value"])
    table["status_before"] = table.area_id.map(prev["status"]).fillna("missing")
    table["change"] = table["value"] - table["value_before"]
    both_ok = (table.status == "ok") & (table.status_before == "ok")
    table.loc[~both_ok, "change"] = np.nan
    either_suppressed = (table.status == "suppressed") | (
        table.status_before == "suppressed"
    )
    table["change_status"] = np.where(
        either_suppressed, "suppressed", np.where(both_ok, "ok", "missing")
    )
    table["rank"] = _rank(table["change"])
    table["n_ranked"] = int(table["change"].notna().sum())
    return table


def _shown(now: LevelArrays, before: LevelArrays | None):
    """Values and status codes the map shows: the state, or the change where both
    years are ``ok`` (suppressed in either year stays suppressed)."""
    if before is None:
        return now.value, now.status
    ok = (now.status == 0) & (before.status == 0)
    change = np.where(ok, now.value - before.value, np.nan)
    suppressed = (now.status == 1) | (before.status == 1)
    status = np.where(suppressed, 1, np.where(ok, 0, 2)).astype(np.uint8)
    return change, status


class ArrayTable:
    """The rows of :func:`state_table` / :func:`change_table` for a level read as
    arrays (``Store.level_arrays``), built only when asked for: a level drawn as
    one image may have a million cells, of which the page shows 100.

    ``areas`` is ``Store.level_areas(level)`` (the arrays' row order) and
    ``position`` finds an area's row; ``before`` is None for a state map;
    ``status_names`` names the status codes (``Store.STATUS_CODES``).
    """

    def __init__(
        self,
        areas: pd.DataFrame,
        position: Callable[[str | None], int | None],
        now: LevelArrays,
        before: LevelArrays | None,
        city: float,
        change: bool,
        status_names: Sequence[str],
    ):
        self.areas, self.position = areas, position
        self.names = np.asarray(status_names, dtype=object)
        self.now, self.before, self.city, self.change = now, before, city, change
        self.values, self.status = _shown(now, before)
        self.n_ranked = int(np.isfinite(self.values).sum())

    def frame(
        self,
        positions: np.ndarray | None = None,
        *,
        is_top: bool = False,
        counts: bool = True,
    ) -> pd.DataFrame:
        """Rows in the columns of state_table/change_table; ``rank`` among
        the whole level. ``counts=False`` leaves out numerators and denominators
        (read on first use: a third of a million-cell switch)."""
        areas = self.areas
        idx = np.arange(len(areas)) if positions is None else np.asarray(positions)
        frame = areas.iloc[idx].reset_index(drop=True)
        labels = self.names
        if counts:
            frame["numerator"] = self.now.numerator[idx]
            frame["denominator"] = self.now.denominator[idx]
        frame["value"] = self.now.value[idx]
        frame["status"] = labels[self.now.status[idx]]
        shown = self.values[idx]
        if positions is None:
            rank = pd.Series(shown).rank(ascending=False, method="min")
        else:
            # 1 + number of higher values; for the top rows every higher value is
            # among themselves, for a single row one pass over the level
            pool = shown if is_top else self.values
            rank = pd.Series(
                [1.0 + np.count_nonzero(pool > v) for v in shown], dtype=float
            ).where(np.isfinite(shown))
        if self.change:
            frame["value_before"] = self.before.value[idx]
            frame["status_before"] = labels[self.before.status[idx]]
            frame["change"] = shown
            frame["change_status"] = labels[self.status[idx]]
        else:
            frame["diff_city"] = frame["value"] - self.city
        frame["rank"] = rank.astype("Int64")
        frame["n_ranked"] = self.n_ranked
        return frame

    def top(self, n: int) -> pd.DataFrame:
        """The ``n`` highest shown values (then suppressed and missing ones);
        a partial sort, as only ``n`` of a million rows are shown."""
        key = -self.values
        key[np.isnan(key)] = np.inf
        n = min(n, key.size)
        head = np.argpartition(key, n - 1)[:n] if n < key.size else np.arange(n)
        return self.frame(
            head[np.lexsort((head, key[head]))], is_top=True, counts=False
        )

    def row(self, area_id: str | None) -> pd.Series | None:
        """One area's row (same fields as ``frame``), built without a frame: it
        runs on every rerun while an area is selected."""
        pos = self.position(area_id)
        if pos is None:
            return None
        area = self.areas.iloc[pos]
        shown = float(self.values[pos])
        rec = {
            **area.to_dict(),
            "numerator": float(self.now.numerator[pos]),
            "denominator": float(self.now.denominator[pos]),
            "value": float(self.now.value[pos]),
            "status": self.names[self.now.status[pos]],
        }
        if self.change:
            rec["value_before"] = float(self.before.value[pos])
            rec["status_before"] = self.names[self.before.status[pos]]
            rec["change"] = shown
            rec["change_status"] = self.names[self.status[pos]]
        else:
            rec["diff_city"] = rec["value"] - self.city
        rec["rank"] = (
            1 + int(np.count_nonzero(self.values > shown)) if shown == shown else pd.NA
        )
        rec["n_ranked"] = self.n_ranked
        return pd.Series(rec)

    def table(self) -> pd.DataFrame:
        return self.frame()


def tooltips(
    table: pd.DataFrame,
    unit: str,
    lang: str,
    *,
    change: bool,
    year_from: int | None = None,
) -> dict[str, str]:
    """Extra tooltip lines per area: rank, and difference to the city or change."""
    tips = {}
    for row in table.itertuples(index=False):
        if row.rank is pd.NA or row.rank != row.rank:
            continue
        lines = [t("karte.tip_rank", lang, rank=int(row.rank), n=row.n_ranked)]
        if change:
            lines.insert(
                0,
                t(
                    "karte.tip_change",
                    lang,
                    year=year_from,
                    change=fmt_change(row.change, unit, lang),
                ),
            )
        elif row.diff_city == row.diff_city:
            lines.append(
                t(
                    "karte.tip_diff_city",
                    lang,
                    diff=fmt_change(row.diff_city, unit, lang),
                )
            )
        if not change and "ci_lower" in table.columns:
            lines.extend(_uncertainty_lines(row, unit, lang))
        tips[row.area_id] = "\n".join(lines)
    return tips


def _uncertainty_lines(row, unit: str, lang: str) -> list[str]:
    """The 95 % interval and, where the test says so, the marker against the
    rest of the city (tooltips)."""
    lines = []
    text = uncertainty.interval_text(row.ci_lower, row.ci_upper, unit, lang)
    if text:
        lines.append(text)
    if row.sig_direction:
        lines.append(uncertainty.significance_text(row.sig_direction, row.sig_p, lang))
    return lines


def export_frame(
    table: pd.DataFrame,
    *,
    indicator_id: str,
    year: int,
    level: str,
    classes: np.ndarray,
    class_labels: list[str],
    is_demo: bool,
    change: bool = False,
    year_from: int | None = None,
) -> pd.DataFrame:
    """Exactly what the map shows, with suppressed cells left empty."""
    labels = [class_labels[c] if c >= 0 else "" for c in classes]
    out = pd.DataFrame(
        {
            "gebiet_id": table.area_id,
            "gebiet": table.name.astype(str),
            "ebene": level,
            "indikator": indicator_id,
            "jahr": year,
            "zaehler": table.numerator,
            "nenner": table.denominator,
            "wert": table.value,
            "status": table.status,
            "kennzeichen": _flags(table),
            "rang": table["rank"],
            "klasse": labels,
        }
    )
    if "ci_lower" in table.columns:
        out["ki95_unten"] = table.ci_lower.round(2).to_numpy()
        out["ki95_oben"] = table.ci_upper.round(2).to_numpy()
        out["ki_methode"] = table.ci_method.to_numpy()
        out["abweichung_rest_stadt"] = [
            {1: "hoeher", -1: "niedriger"}.get(int(d), "") for d in table.sig_direction
        ]
    if change:
        out.insert(4, "jahr_von", year_from)
        out["wert_vorher"] = table.value_before
        out["veraenderung"] = table.change
        out["status"] = table.change_status
    out["datenstand"] = "Demodaten" if is_demo else ""
    return out


def ranked_rows(table: pd.DataFrame, unit: str, lang: str, *, change: bool):
    """The top rows of a large level as text (German numbers), already in rank
    order: a plain frame, so Streamlit need not style cell by cell on every rerun
    (the pandas Styler costs ~0.3 ms per row and run)."""
    value_col = "change" if change else "value"
    status_col = "change_status" if change else "status"
    status = table[status_col].to_numpy()
    flags = [None] * len(table) if change else _flags(table)

    def text(values, fmt, marked=False):
        return [
            status_sign(s)
            or (MISSING if v != v else (with_flag(fmt(v), f) if marked else fmt(v)))
            for v, s, f in zip(values, status, flags, strict=True)
        ]

    columns = {
        t("karte.col_rank", lang): table["rank"].astype("Int64").to_numpy(),
        t("common.area", lang): table.name.astype(str).to_numpy(),
        t("common.value", lang): text(
            table[value_col],
            (lambda v: fmt_change(v, unit, lang))
            if change
            else (lambda v: fmt_value(v, unit, lang)),
            marked=True,
        ),
    }
    if "numerator" in table:  # image levels leave counts to the selected area
        columns[t("common.numerator", lang)] = text(
            table.numerator, lambda v: fmt_number(v, lang, 0)
        )
        columns[t("common.denominator", lang)] = text(
            table.denominator, lambda v: fmt_number(v, lang, 0)
        )
    return pd.DataFrame(columns)


def display_table(table: pd.DataFrame, unit: str, lang: str, *, change: bool):
    """Columns for st.dataframe: numbers stay numbers (sortable), shown formatted."""
    value_col = "change" if change else "value"
    status_col = "change_status" if change else "status"
    shown = pd.DataFrame(
        {
            t("common.area", lang): table.name.astype(str),
            t("common.value", lang): table[value_col],
            t("karte.col_rank", lang): table["rank"],
            t("common.numerator", lang): table.numerator,
            t("common.denominator", lang): table.denominator,
        }
    ).reset_index(drop=True)
    status = table[status_col].to_numpy()
    formatters = {
        t("common.value", lang): lambda v: (
            fmt_change(v, unit, lang) if change else fmt_value(v, unit, lang)
        ),
        t("common.numerator", lang): lambda v: fmt_number(v, lang, 0),
        t("common.denominator", lang): lambda v: fmt_number(v, lang, 0),
        t("karte.col_rank", lang): lambda v: "" if v is pd.NA else str(v),
    }
    styler = shown.style.format(formatters, na_rep=MISSING)
    value = t("common.value", lang)
    if not change:
        flags = pd.Series(_flags(table))
        for flag in flags.dropna().unique():
            rows = np.where((flags == flag).to_numpy() & (status == "ok"))[0]
            if len(rows):
                styler = styler.format(
                    lambda v, f=flag: with_flag(fmt_value(v, unit, lang), f),
                    subset=pd.IndexSlice[rows, [value]],
                )
    for name in pd.unique(status):
        sign = status_sign(name)
        rows = np.where(status == name)[0]
        if sign and len(rows):
            styler = styler.format(
                lambda _v, s=sign: s,
                subset=pd.IndexSlice[rows, shown.columns[1:]],
            )
    return styler


def _flags(table: pd.DataFrame) -> list:
    """The ``flag`` column (p, r, s, "()") or None per row when there is none."""
    if "flag" not in table:
        return [None] * len(table)
    return [f if isinstance(f, str) and f else None for f in table["flag"]]


def map_frame(
    geo,
    table: pd.DataFrame,
    *,
    level: str,
    classes: np.ndarray,
    class_labels: list[str],
    change: bool = False,
):
    """The map as GIS rows (GeoJSON, GeoPackage): geometry, status, counts,
    value (or change), rank, class number (0 = lowest) and label; geo_exports
    empties every value of a suppressed area."""
    shapes = geo.set_index("area_id").geometry.reindex(table.area_id)
    out = gpd.GeoDataFrame(
        {
            "area_id": table.area_id.to_numpy(),
            "name": table.name.astype(str).to_numpy(),
            "level": level,
            "status": (table.change_status if change else table.status).to_numpy(),
            "numerator": table.numerator.to_numpy(dtype=float),
            "denominator": table.denominator.to_numpy(dtype=float),
            "value": table.value.to_numpy(dtype=float),
        },
        geometry=shapes.to_numpy(),
        crs=geo.crs,
    )
    if change:
        out["value_before"] = table.value_before.to_numpy(dtype=float)
        out["change"] = table.change.to_numpy(dtype=float)
    out["rank"] = table["rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    out["class_no"] = np.where(np.asarray(classes) >= 0, classes, np.nan)
    out["class"] = [class_labels[c] if c >= 0 else None for c in classes]
    return out[~out.geometry.isna()]


def map_png(
    areas: Callable[[], gpd.GeoDataFrame],
    colors: Sequence[Sequence[int]],
    labels: Sequence[str],
    **picture,
) -> bytes:
    """The map of ``areas()`` (:func:`map_frame`, built on click) as a static PNG
    coloured by its class numbers; ``picture``: title, footer, legend title,
    outline and language of :func:`monitor.views.static_map.choropleth_png`."""
    frame = areas()
    classes = frame.class_no.fillna(-1).astype(int).to_numpy()
    return static_map.choropleth_png(
        frame, classes, colors, labels, status=frame.status.to_numpy(), **picture
    )


def export_csv(table: Callable[[], pd.DataFrame], lang: str, **columns) -> bytes:
    """The CSV of :func:`export_frame` (``columns``: its keywords) of the table
    that ``table()`` builds on click (a million rows take seconds)."""
    return exports.csv_bytes(export_frame(table(), **columns), lang)
