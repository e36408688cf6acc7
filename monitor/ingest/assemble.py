"""Observations + matched areas + catalogue → rows of ``indicator_values.parquet``.

An indicator is built from counts: which variable of the table is its numerator and
which its denominator is an :class:`IndicatorSpec` (the user confirms it; the
template names them itself, :func:`template_specs`). The value follows the catalogue
(``unit``: percent = 100·n/d, per_mille = 1000·n/d, count = n). A cell without a
number keeps its status (:mod:`monitor.ingest.symbols`); the numerator's status wins
over the denominator's. :func:`contract_values` gives the columns of
``indicator_values.parquet`` (statuses as they are, flags beside the numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.ingest.matching import MATCHED, MatchReport
from monitor.ingest.problems import WARNING, Problem
from monitor.ingest.symbols import NOT_MEANINGFUL, OK, STORE_STATUS
from monitor.ingest.template import DENOMINATOR, NUMERATOR

__all__ = [
    "VALUE_COLUMNS",
    "IndicatorSpec",
    "area_lookup",
    "areas_of",
    "assemble_indicator_values",
    "contract_values",
    "template_specs",
]

VALUE_COLUMNS = (
    "area_id",
    "indicator_id",
    "year",
    "numerator",
    "denominator",
    "value",
    "status",
    "flag",
    "source_row",
)


@dataclass(frozen=True)
class IndicatorSpec:
    """Which variables of a table give an indicator's numerator and denominator."""

    indicator_id: str
    numerator: str
    denominator: str | None = None


def template_specs(observations: pd.DataFrame) -> list[IndicatorSpec]:
    """The specs the template implies: ``"<id> | Zähler"`` over ``"<id> | Nenner"``."""
    variables = set(observations["variable"])
    specs = []
    for variable in sorted(variables):
        indicator, _, part = variable.rpartition(" | ")
        if part == NUMERATOR:
            denominator = f"{indicator} | {DENOMINATOR}"
            specs.append(
                IndicatorSpec(
                    indicator,
                    variable,
                    denominator if denominator in variables else None,
                )
            )
    return specs


def areas_of(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct area of a table (the ``source`` of ``match_areas``)."""
    first = observations.drop_duplicates(["area_key", "area_name"])
    return pd.DataFrame(
        {
            "source_row": first["source_row"].to_numpy(),
            "key": first["area_key"].to_numpy(),
            "name": first["area_name"].to_numpy(),
        }
    )


def area_lookup(observations: pd.DataFrame, report: MatchReport) -> dict:
    """``{(area_key, area_name): area_id}`` for the matched areas of a table."""
    source = areas_of(observations)
    hit = report.rows.set_index("source_row")
    lookup = {}
    for row in source.itertuples():
        if row.source_row in hit.index and hit.at[row.source_row, "status"] == MATCHED:
            lookup[(row.key, row.name)] = hit.at[row.source_row, "area_id"]
    return lookup


def _pick(observations, variable, lookup) -> pd.DataFrame:
    part = observations[observations["variable"] == variable].copy()
    keys = list(zip(part["area_key"], part["area_name"], strict=True))
    part["area_id"] = [lookup.get(k) for k in keys]
    return part[part["area_id"].notna()].set_index(["area_id", "year"])


def assemble_indicator_values(
    observations: pd.DataFrame,
    specs: list[IndicatorSpec],
    catalog,
    lookup: dict,
    file: str = "",
) -> tuple[pd.DataFrame, list[Problem]]:
    """Indicator rows (``VALUE_COLUMNS``) for every spec and matched area.

    Rows of unmatched areas are left out (the match report lists them). A rate with
    denominator 0 gets status ``not_meaningful`` and a warning.
    """
    frames, problems = [], []
    for spec in specs:
        num = _pick(observations, spec.numerator, lookup)
        if spec.denominator:
            den = _pick(observations, spec.denominator, lookup)
            both = num.merge(
                den,
                left_index=True,
                right_index=True,
                how="left",
                suffixes=("", "_den"),
            )
        else:
            both = num.assign(value_den=np.nan, status_den=OK, flag_den="")
        frames.append(_indicator_rows(spec, both, catalog, file, problems))
    if not frames:
        return pd.DataFrame(columns=list(VALUE_COLUMNS)), problems
    return pd.concat(frames, ignore_index=True), problems


def _indicator_rows(spec, both, catalog, file, problems) -> pd.DataFrame:
    known = spec.indicator_id in catalog
    indicator = catalog[spec.indicator_id] if known else None
    factor = indicator.factor if indicator is not None else 1.0
    is_rate = indicator.is_rate if indicator is not None else bool(spec.denominator)
    n, d = both["value"], both["value_den"]
    status = both["status"].where(both["status"] != OK, both["status_den"].fillna(OK))
    if is_rate:
        zero = (d == 0) & (status == OK)
        for (area, year), row in both[zero].iterrows():
            problems.append(
                Problem(
                    f"Nenner 0 für {spec.indicator_id} {year} ({area}); der Wert ist "
                    "nicht sinnvoll und wird als „x“ geführt.",
                    file,
                    int(row["source_row"]),
                    spec.denominator,
                    WARNING,
                    "zero_denominator",
                )
            )
        status = status.where(~zero, NOT_MEANINGFUL)
        value = (factor * n / d.replace(0, np.nan)).where(status == OK)
    else:
        value = n.where(status == OK)
    flags = [
        ",".join(sorted({f for f in (a, b) if isinstance(f, str) and f}))
        for a, b in zip(both["flag"], both["flag_den"], strict=True)
    ]
    out = both.reset_index()
    return pd.DataFrame(
        {
            "area_id": out["area_id"],
            "indicator_id": spec.indicator_id,
            "year": out["year"].astype("int64"),
            "numerator": n.to_numpy(),
            "denominator": d.to_numpy(),
            "value": value.to_numpy(),
            "status": status.to_numpy(),
            "flag": flags,
            "source_row": out["source_row"].astype("int64"),
        }
    )


def contract_values(values: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``indicator_values.parquet`` plus ``flag``; rows without a
    number keep their status (monitor/statuses.py) and no value."""
    out = values[
        [
            "area_id",
            "indicator_id",
            "year",
            "numerator",
            "denominator",
            "value",
            "status",
            "flag",
        ]
    ].copy()
    out["status"] = out["status"].map(STORE_STATUS)
    hidden = out["status"] != "ok"
    out.loc[hidden, ["value"]] = np.nan
    return out
