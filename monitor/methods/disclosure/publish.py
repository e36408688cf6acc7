"""From counts to publishable values: primary and secondary suppression, audited.

``publish`` is the one step every data set goes through before the app shows it
(the demo generator, ``python -m monitor.ingest.publish`` for a city's own folder,
the coming import): it keeps the cells that exist on their level, applies the
catalogue's thresholds, protects every sensitive cell by secondary suppression over
the whole structure (``secondary.protect_year``), computes the rates and returns the
values – suppressed cells without numerator, denominator and value – with a report
of what the audit checked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.methods.aggregation import compute_values
from monitor.methods.disclosure.primary import primary_suppression, sensitive_cells
from monitor.methods.disclosure.protection import RULE
from monitor.methods.disclosure.secondary import lock_single_children, protect_year
from monitor.methods.disclosure.structure import (
    FOCUS_LEVEL,
    CountModel,
    area_groups,
    build_system,
)
from monitor.schema import VALUE_COLUMNS

__all__ = ["METHOD", "REPORT_FORMAT", "Publication", "publish"]

REPORT_FORMAT = "qm-disclosure-1"
METHOD = (
    "Zellsperrung (cell suppression) wie in τ-ARGUS: primäre Sperrung nach den "
    "Schwellen des Katalogs, sekundäre Sperrung über die ganze Struktur zugleich "
    "(alle Ebenen mit Raster, Eltern mit einem Kind, Perspektivquartier, Indikatoren "
    "mit gemeinsamen Zählgrößen), gesteuert durch ein LP-Audit (HiGHS) des "
    "Angreiferwissens, bis es besteht; Hundepool et al., Statistical Disclosure "
    "Control, Wiley 2012, Kap. 4; de Wolf 2002 (HiTaS)."
)

# row order of the published file: from the city down to the raster
_LEVEL_RANK = {"stadt": 0, FOCUS_LEVEL: 1, "stadtteil": 2, "quartier": 3, "raster": 4}


@dataclass(frozen=True)
class Publication:
    """Values ready to write (``VALUE_COLUMNS``) and the report of their audit."""

    values: pd.DataFrame
    report: dict


def _existing_cells(counts: pd.DataFrame, areas: pd.DataFrame, catalog) -> pd.DataFrame:
    """Cells of catalogue indicators on levels where the indicator exists."""
    unknown = sorted(set(counts["indicator_id"]) - set(catalog.ids))
    if unknown:
        raise ValueError(f"indicators not in the catalogue: {', '.join(unknown)}")
    level = areas.set_index("area_id")["level"]
    df = counts.copy()
    df["level"] = df["area_id"].map(level)
    if df["level"].isna().any():
        missing = sorted(df.loc[df["level"].isna(), "area_id"].astype(str).unique())
        raise ValueError(f"areas not in the area table: {', '.join(missing[:5])}")
    allowed = {
        (i.id, lvl) for i in catalog.indicators for lvl in (*i.levels, FOCUS_LEVEL)
    }
    keep = [
        (ind, lvl) in allowed
        for ind, lvl in zip(df["indicator_id"], df["level"], strict=True)
    ]
    return df[np.asarray(keep, dtype=bool)].reset_index(drop=True)  # also when empty


def publish(
    counts: pd.DataFrame,
    areas: pd.DataFrame,
    catalog,
    model: CountModel,
    withheld: np.ndarray | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Publication:
    """Suppress, audit and compute the values of ``counts``.

    Parameters
    ----------
    counts
        True counts on every level: ``area_id, indicator_id, year, numerator,
        denominator`` (denominator NaN for count indicators).
    areas
        ``area_id, level, parent_id, in_focus``.
    catalog
        ``monitor.catalog.Catalog`` (thresholds, units, levels).
    model
        The catalogue's count model (``CountModel.from_mapping``).
    withheld
        Optional bool per row of ``counts``: cells the source already withholds
        (a ``suppressed`` status in a city's own folder); they stay suppressed
        and are protected like primarily suppressed cells.
    """
    start = clock()
    counts = counts.assign(
        _withheld=False if withheld is None else np.asarray(withheld, dtype=bool)
    )
    df = _existing_cells(counts, areas, catalog)
    by_id = {i.id: i for i in catalog.indicators}
    min_num = df["indicator_id"].map({k: i.min_numerator for k, i in by_id.items()})
    min_den = df["indicator_id"].map({k: i.min_denominator for k, i in by_id.items()})
    min_num, min_den = min_num.to_numpy(float), min_den.to_numpy(float)
    primary = primary_suppression(df["numerator"], df["denominator"], min_num, min_den)
    sensitive = sensitive_cells(df["numerator"], df["denominator"], min_num, min_den)
    own = df["_withheld"].to_numpy(dtype=bool)
    primary, sensitive = primary | own, sensitive | own
    groups = area_groups(areas)
    rates = [i.id for i in catalog.indicators if i.is_rate]
    suppressed = np.zeros(len(df), dtype=bool)
    years = []
    for year, index in df.groupby("year", sort=True).indices.items():
        cells = df.iloc[index].reset_index(drop=True)
        locked = lock_single_children(cells, groups, primary[index])
        system = build_system(cells, groups, model, rates)
        result = protect_year(
            system,
            cells["level"].to_numpy(),
            locked,
            sensitive[index],
            min_num[index],
        )
        suppressed[index] = result.suppressed
        years.append(_year_report(int(year), system, result))
    values = _values(df, suppressed, catalog)
    report = _report(
        df, primary, sensitive, suppressed, min_num, years, clock() - start
    )
    return Publication(values, report)


def _values(df: pd.DataFrame, suppressed: np.ndarray, catalog) -> pd.DataFrame:
    factor = df["indicator_id"].map({i.id: i.factor for i in catalog.indicators})
    out = df.copy()
    out["value"] = compute_values(out["numerator"], out["denominator"], factor)
    missing = out["value"].isna() & ~suppressed
    out["status"] = np.where(
        suppressed, "suppressed", np.where(missing, "missing", "ok")
    )
    for column in ("numerator", "denominator", "value"):
        out[column] = out[column].astype(float).mask(suppressed)
    out["_rank"] = out["level"].map(_LEVEL_RANK).fillna(len(_LEVEL_RANK))
    out = out.sort_values(["_rank", "area_id", "indicator_id", "year"])
    return out[list(VALUE_COLUMNS)].reset_index(drop=True)


def _year_report(year: int, system, result) -> dict:
    width = result.audit.width
    return {
        "year": year,
        "counts": int(system.n_vars),
        "constraints": int(system.A.shape[0]),
        "constraints_not_holding": dict(system.dropped),
        "sensitive_counts": int(len(result.targets)),
        "components": int(result.audit.n_components),
        "lps": int(result.audit.n_lps_pattern),
        "rounds": int(result.rounds),
        "min_width": float(width.min()) if len(width) else None,
        "failed": int(result.audit.failed.sum()),
    }


def _report(df, primary, sensitive, suppressed, required, years, seconds) -> dict:
    per_level = {}
    for level, index in df.groupby("level", sort=False).indices.items():
        per_level[str(level)] = {
            "cells": int(len(index)),
            "primary": int(primary[index].sum()),
            "suppressed": int(suppressed[index].sum()),
        }
    widths = [y["min_width"] for y in years if y["min_width"] is not None]
    return {
        "format": REPORT_FORMAT,
        "method": METHOD,
        "rule": RULE,
        "cells": int(len(df)),
        "suppressed_primary": int(primary.sum()),
        "suppressed_secondary": int((suppressed & ~primary).sum()),
        "sensitive_cells": int(sensitive.sum()),
        "sensitive_counts": int(sum(y["sensitive_counts"] for y in years)),
        "lps": int(sum(y["lps"] for y in years)),
        "min_width": min(widths) if widths else None,
        "min_required": int(required[sensitive].min()) if sensitive.any() else None,
        "passed": all(y["failed"] == 0 for y in years),
        "levels": per_level,
        "years": years,
        "seconds": round(seconds, 1),
    }
