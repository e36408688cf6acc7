"""Secondary suppression: complementary cells until the attacker's LP audit passes.

The approach of τ-ARGUS for linked hierarchical tables, done over the whole
structure at once instead of table by table: start from the primary pattern, lock
what is identical (a parent with a single child is published or suppressed together
with it; a count that a sensitive cell hides is hidden in every cell that shows it),
then audit by linear programming (``audit.attacker_ranges``) and, for every sensitive
cell whose interval is too narrow, suppress one more cell among those whose
published counts bound it (nonzero LP sensitivity), until the audit passes
(Hundepool et al., *Statistical Disclosure Control*, Wiley 2012, §4.2–4.3; de Wolf
2002 on HiTaS; Fischetti & Salazar-González, *Management Science* 45, 1999, on
choosing complements from the attacker's LPs).

Cost of a complement (the smallest wins): every cell it takes off the map, weighted
by level (a raster cell 1, a Quartier 4, a Stadtteil or Perspektivquartier 16, the
city 64: lower levels carry less information each); among equal costs a count of
at least the needed width before a smaller one (hiding a 0 beside a 1 leaves an
interval of 0–1), then the smaller count.

It ends, with a passing audit: each round hides at least one more published count,
and with nothing published every sensitive count can be scaled up together with
the counts that contain it (all constraints are homogeneous), so its interval is
at least ``cap``/largest count (>= 10) wide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from monitor.methods.disclosure.audit import RangeResult, attacker_ranges
from monitor.methods.disclosure.protection import required_width
from monitor.methods.disclosure.structure import CountSystem

__all__ = ["LEVEL_COST", "SecondaryResult", "lock_single_children", "protect_year"]

LEVEL_COST: Mapping[str, float] = {
    "raster": 1.0,
    "quartier": 4.0,
    "stadtteil": 16.0,
    "fokusgebiet": 16.0,
    "stadt": 64.0,
}
_OTHER_LEVEL_COST = 16.0


@dataclass(frozen=True)
class SecondaryResult:
    """The final pattern of one year and the audit that accepted it."""

    suppressed: np.ndarray
    audit: RangeResult
    targets: np.ndarray
    required: np.ndarray
    rounds: int


def lock_single_children(
    cells: pd.DataFrame, groups: pd.DataFrame, suppressed: np.ndarray
) -> np.ndarray:
    """Suppress a parent and its only child together (they show the same counts).

    ``cells`` has ``area_id, indicator_id``; ``groups`` is ``area_groups``.
    """
    sizes = groups.groupby("group_id")["part_id"].transform("size")
    pairs = groups.loc[sizes == 1, ["total_id", "part_id"]]
    if pairs.empty:
        return suppressed
    key = pd.MultiIndex.from_frame(cells[["area_id", "indicator_id"]].astype(str))
    position = pd.Series(np.arange(len(cells)), index=key)
    links = []
    for indicator_id in cells["indicator_id"].unique():
        a = position.reindex(
            pd.MultiIndex.from_arrays([pairs["total_id"], [indicator_id] * len(pairs)])
        ).to_numpy()
        b = position.reindex(
            pd.MultiIndex.from_arrays([pairs["part_id"], [indicator_id] * len(pairs)])
        ).to_numpy()
        both = ~np.isnan(a) & ~np.isnan(b)
        links.append(np.column_stack([a[both], b[both]]).astype(int))
    links = np.concatenate(links) if links else np.empty((0, 2), int)
    out = suppressed.copy()
    while True:
        joint = out[links[:, 0]] | out[links[:, 1]]
        if (out[links[:, 0]] == joint).all() and (out[links[:, 1]] == joint).all():
            return out
        out[links[joint, 0]] = True
        out[links[joint, 1]] = True


def _incidence(system: CountSystem, n_cells: int) -> sparse.csr_matrix:
    """Cells x variables: which counts a cell shows (numerator and denominator)."""
    rows, cols = [], []
    for side in (system.cell_numerator, system.cell_denominator):
        has = side >= 0
        rows.append(np.flatnonzero(has))
        cols.append(side[has])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    return sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(n_cells, system.n_vars)
    )


def _published(incidence: sparse.csr_matrix, suppressed: np.ndarray) -> np.ndarray:
    return (incidence.T @ (~suppressed).astype(float)) > 0


def _targets(
    system: CountSystem, sensitive: np.ndarray, min_numerator: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct sensitive numerator variables and the width each needs."""
    frame = pd.DataFrame(
        {
            "var": system.cell_numerator[sensitive],
            "width": required_width(min_numerator)[sensitive],
        }
    )
    frame = frame[frame["var"] >= 0].groupby("var")["width"].max()
    return frame.index.to_numpy(dtype=int), frame.to_numpy(dtype=float)


def _choose(
    failed: list[int],
    audit: RangeResult,
    targets: np.ndarray,
    required: np.ndarray,
    published: np.ndarray,
    cost: np.ndarray,
    system: CountSystem,
) -> set[int]:
    """One complement per failed target; a target whose candidates overlap an
    earlier choice of this round waits for the next audit."""
    chosen: set[int] = set()
    neighbours = system.A.T.tocsr()
    for k in failed:
        var = int(targets[k])
        if published[var]:
            candidates = np.array([var])
        else:
            candidates = audit.limits.get(k, np.array([], dtype=int))
            candidates = candidates[published[candidates]]
        if not len(candidates):
            rows = neighbours[var].indices
            candidates = np.unique(system.A[rows].indices)
            candidates = candidates[published[candidates]]
        if not len(candidates):
            candidates = np.flatnonzero(published)
        if chosen.intersection(candidates.tolist()):
            continue
        value = system.x[candidates]
        short = (value < required[k]).astype(int)
        order = np.lexsort((candidates, value, short, cost[candidates]))
        chosen.add(int(candidates[order[0]]))
    return chosen


def protect_year(
    system: CountSystem,
    levels: np.ndarray,
    suppressed: np.ndarray,
    sensitive: np.ndarray,
    min_numerator: np.ndarray,
    max_rounds: int = 10_000,
) -> SecondaryResult:
    """Extend one year's primary pattern until every sensitive cell is protected.

    Parameters
    ----------
    system
        ``build_system`` of the year's cells.
    levels
        Level of each cell's area (for the cost).
    suppressed
        Bool per cell: the primary pattern (single children already locked).
    sensitive
        Bool per cell: ``primary.sensitive_cells``.
    min_numerator
        Per cell, the catalogue's ``min_numerator``: the width its interval needs.
    """
    suppressed = np.asarray(suppressed, dtype=bool).copy()
    incidence = _incidence(system, len(suppressed))
    weight = np.array([LEVEL_COST.get(lv, _OTHER_LEVEL_COST) for lv in levels])
    targets, required = _targets(system, np.asarray(sensitive, bool), min_numerator)
    # a count a sensitive cell hides is hidden wherever it is shown
    shows_target = np.asarray(incidence[:, targets].sum(axis=1)).ravel() > 0
    suppressed |= shows_target
    audit = None
    rounds = 0
    while True:
        rounds += 1
        if rounds > max_rounds:
            raise RuntimeError("Die sekundäre Geheimhaltung hat kein Ende gefunden.")
        published = _published(incidence, suppressed)
        audit = attacker_ranges(system, published, targets, required, audit)
        failed = np.flatnonzero(audit.failed).tolist()
        if not failed:
            break
        cost = incidence.T @ (weight * ~suppressed)
        chosen = _choose(failed, audit, targets, required, published, cost, system)
        hide = np.asarray(incidence[:, sorted(chosen)].sum(axis=1)).ravel() > 0
        suppressed |= hide
    return SecondaryResult(suppressed, audit, targets, required, rounds)
