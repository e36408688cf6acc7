"""Tables behind the map page: one row per area, as drawn, tooltipped and exported."""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.formatting import fmt_change, fmt_number, fmt_value
from monitor.i18n import t
from monitor.views.exports import csv_bytes  # shared by every page's downloads

__all__ = [
    "state_table",
    "change_table",
    "tooltips",
    "export_frame",
    "csv_bytes",
    "display_table",
    "ranked_rows",
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
        tips[row.area_id] = "\n".join(lines)
    return tips


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
            "rang": table["rank"],
            "klasse": labels,
        }
    )
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

    def text(values, fmt):
        return [
            "·" if s == "suppressed" else ("–" if v != v else fmt(v))
            for v, s in zip(values, status, strict=True)
        ]

    columns = {
        t("karte.col_rank", lang): table["rank"].astype("Int64").to_numpy(),
        t("common.area", lang): table.name.astype(str).to_numpy(),
        t("common.value", lang): text(
            table[value_col],
            (lambda v: fmt_change(v, unit, lang))
            if change
            else (lambda v: fmt_value(v, unit, lang)),
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
    styler = shown.style.format(formatters, na_rep="–")
    suppressed_rows = np.where(status == "suppressed")[0]
    if len(suppressed_rows):
        styler = styler.format(
            lambda _v: "·", subset=pd.IndexSlice[suppressed_rows, shown.columns[1:]]
        )
    return styler
