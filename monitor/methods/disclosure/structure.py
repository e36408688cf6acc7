"""The additive structure an attacker knows: counts, how they add up, who shares them.

Every published cell (area, indicator, year) shows two counts, its numerator and its
denominator. Cells share counts (the Einwohner are the numerator of *einwohner* and
the denominator of *auslaenderanteil*), counts add up over the area tree (a Quartier
is the sum of its raster cells, a Stadtteil of its Quartiere, each Perspektivquartier
of its Quartiere, a parent with one child equals that child) and counts are related
by definition (Einwohner = unter 65 + ab 65; Kinder im SGB II are part of the
Personen im SGB II). This module turns the area tree and the catalogue's count model
into one sparse linear system per year, ``A x (= or <=) 0`` with ``x >= 0``, over
one variable per (area, count): the linked tables of Hundepool et al., *Statistical
Disclosure Control*, Wiley 2012, §4.2 and §4.5 (hierarchical and linked tables).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from monitor.methods.focus_membership import FOCUS_LEVEL, focus_members

__all__ = [
    "CountModel",
    "CountModelError",
    "CountSystem",
    "area_groups",
    "build_system",
]


class CountModelError(ValueError):
    """The count model or the counts contradict each other; the message is German."""


@dataclass(frozen=True)
class CountModel:
    """Which count each indicator's numerator and denominator is, and how counts
    relate.

    ``numerator``/``denominator`` map an indicator id to a count id (an indicator
    not named gets counts of its own, ``<id>:n`` and ``<id>:d``); ``sums`` are
    identities ``total = sum(parts)``; ``contains`` are ``sum(parts) <= whole``
    (disjoint sub-counts). Every rate indicator adds ``numerator <= denominator``.
    """

    numerator: Mapping[str, str]
    denominator: Mapping[str, str]
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    contains: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_mapping(cls, raw: Mapping | None) -> CountModel:
        """From the ``counts`` section of the catalogue (see docs/DISCLOSURE.md)."""
        raw = raw or {}
        if not isinstance(raw, Mapping):
            raise CountModelError("Der Abschnitt „counts“ muss eine Zuordnung sein.")
        numerator, denominator = {}, {}
        for indicator_id, pair in (raw.get("indicators") or {}).items():
            if not isinstance(pair, Mapping):
                raise CountModelError(
                    f"counts.indicators.{indicator_id}: erwartet "
                    "{numerator: …, denominator: …}."
                )
            if pair.get("numerator"):
                numerator[str(indicator_id)] = str(pair["numerator"])
            if pair.get("denominator"):
                denominator[str(indicator_id)] = str(pair["denominator"])

        def relations(key: str, head: str) -> tuple:
            out = []
            for item in raw.get(key) or ():
                if not isinstance(item, Mapping) or head not in item:
                    raise CountModelError(
                        f"counts.{key}: jeder Eintrag braucht „{head}“ und „parts“."
                    )
                parts = tuple(str(p) for p in item.get("parts") or ())
                if not parts:
                    raise CountModelError(f"counts.{key}: „parts“ fehlt oder ist leer.")
                out.append((str(item[head]), parts))
            return tuple(out)

        return cls(
            numerator,
            denominator,
            relations("sums", "total"),
            relations("contains", "whole"),
        )

    def numerator_of(self, indicator_id: str) -> str:
        return self.numerator.get(indicator_id, f"{indicator_id}:n")

    def denominator_of(self, indicator_id: str) -> str:
        return self.denominator.get(indicator_id, f"{indicator_id}:d")


def area_groups(areas: pd.DataFrame) -> pd.DataFrame:
    """Additive groups ``total = sum(parts)`` of the area tree.

    Every parent with all its children (also a parent with a single child, which
    therefore equals it), and every ``fokusgebiet`` with its parts: the areas that
    lie in it (:func:`monitor.methods.focus_membership.focus_members`: column
    ``focus_id``, the only fokusgebiet, or the geometry) and whose parent does not
    (its Quartiere, not also their raster cells). An overlapping group: the
    Perspektivquartier is part of a Stadtteil beside that Stadtteil's own
    Quartiere, or spans Quartiere of several Stadtteile.

    Returns columns ``group_id, total_id, part_id``.
    """
    tree = areas[areas["parent_id"].notna() & (areas["level"] != FOCUS_LEVEL)]
    groups = pd.DataFrame(
        {
            "group_id": tree["parent_id"].astype(str).to_numpy(),
            "total_id": tree["parent_id"].astype(str).to_numpy(),
            "part_id": tree["area_id"].astype(str).to_numpy(),
        }
    )
    members = focus_members(areas)
    area_ids = tree["area_id"].astype(str)
    focus_frames = []
    for focus_id in sorted(set(members)):
        inside = set(members.index[members == focus_id])
        rows = tree[area_ids.isin(inside)]
        parts = rows[~rows["parent_id"].astype(str).isin(inside)]
        if parts.empty:
            continue
        focus_frames.append(
            pd.DataFrame(
                {
                    "group_id": f"{focus_id}#focus",
                    "total_id": focus_id,
                    "part_id": parts["area_id"].astype(str).to_numpy(),
                }
            )
        )
    return pd.concat([groups, *focus_frames], ignore_index=True)


@dataclass(frozen=True)
class CountSystem:
    """One year's counts as variables and the constraints between them.

    ``A @ x`` is ``== 0`` on rows where ``equality`` and ``<= 0`` elsewhere; all
    variables are ``>= 0``. ``cell_numerator``/``cell_denominator`` give each cell's
    variables (-1: none), aligned with the ``cells`` the system was built from.
    """

    var_area: np.ndarray
    var_count: np.ndarray
    x: np.ndarray
    A: sparse.csr_matrix
    equality: np.ndarray
    cell_numerator: np.ndarray
    cell_denominator: np.ndarray
    dropped: Mapping[str, int]

    @property
    def n_vars(self) -> int:
        return len(self.x)


def _cell_vars(cells: pd.DataFrame, model: CountModel) -> pd.DataFrame:
    """One row per (cell, side) with the count id and its value."""
    ids = cells["indicator_id"].astype(str)
    num = pd.DataFrame(
        {
            "cell": np.arange(len(cells)),
            "side": "n",
            "area_id": cells["area_id"].astype(str).to_numpy(),
            "count_id": ids.map(model.numerator_of).to_numpy(),
            "value": cells["numerator"].to_numpy(dtype=float),
        }
    )
    has_den = cells["denominator"].notna().to_numpy()
    den = pd.DataFrame(
        {
            "cell": np.arange(len(cells))[has_den],
            "side": "d",
            "area_id": cells["area_id"].astype(str).to_numpy()[has_den],
            "count_id": ids.map(model.denominator_of).to_numpy()[has_den],
            "value": cells["denominator"].to_numpy(dtype=float)[has_den],
        }
    )
    sides = pd.concat([num, den], ignore_index=True)
    return sides[sides["value"].notna()]


def _variables(sides: pd.DataFrame) -> pd.DataFrame:
    """Distinct (area, count) with their value; a shared count must agree."""
    spread = sides.groupby(["area_id", "count_id"], sort=True)["value"].agg(
        ["min", "max"]
    )
    bad = spread[spread["max"] - spread["min"] > 1e-9]
    if not bad.empty:
        (area_id, count_id), row = next(iter(bad.iterrows()))
        raise CountModelError(
            f"Die Zählgröße „{count_id}“ hat im Gebiet „{area_id}“ verschiedene "
            f"Werte ({row['min']:g} und {row['max']:g}) in Indikatoren, die sie "
            "laut Katalog teilen."
        )
    variables = spread.reset_index()[["area_id", "count_id", "min"]]
    variables = variables.rename(columns={"min": "value"})
    variables["var"] = np.arange(len(variables))
    return variables


def _rows_from_groups(
    variables: pd.DataFrame, groups: pd.DataFrame, kind: str, total: str
) -> pd.DataFrame:
    """Entries (row key, var, coef) of ``total - sum(parts)`` for complete groups."""
    by_total = groups.merge(
        variables.rename(columns={"area_id": total, "var": "total_var"})[
            [total, "count_id", "total_var"]
        ],
        on=total,
    )
    by_part = by_total.merge(
        variables.rename(columns={"area_id": "part_id", "var": "part_var"})[
            ["part_id", "count_id", "part_var"]
        ],
        on=["part_id", "count_id"],
        how="left",
    )
    key = ["group_id", "count_id"]
    by_part["found"] = by_part["part_var"].notna()
    by_part = by_part[by_part.groupby(key)["found"].transform("all").astype(bool)]
    row = kind + ":" + by_part["group_id"] + ":" + by_part["count_id"]
    totals = pd.DataFrame(
        {"row": row, "var": by_part["total_var"], "coef": 1.0}
    ).drop_duplicates()
    parts = pd.DataFrame(
        {"row": row, "var": by_part["part_var"].astype(int), "coef": -1.0}
    )
    return pd.concat([totals, parts], ignore_index=True)


def _relation_rows(
    variables: pd.DataFrame,
    relations: Iterable[tuple[str, tuple[str, ...]]],
    kind: str,
    sign: float,
) -> pd.DataFrame:
    """``sign * (head - sum(parts))`` per area where every count of it exists."""
    frames = []
    lookup = variables.set_index(["area_id", "count_id"])["var"]
    areas = variables["area_id"].unique()
    for n, (head, parts) in enumerate(relations):
        members = (head, *parts)
        index = pd.MultiIndex.from_product([areas, members])
        found = lookup.reindex(index).to_numpy().reshape(len(areas), len(members))
        complete = ~np.isnan(found).any(axis=1)
        found = found[complete].astype(int)
        row_ids = np.array([f"{kind}{n}:{a}" for a in areas[complete]], dtype=object)
        coefs = np.array([sign] + [-sign] * len(parts))
        frames.append(
            pd.DataFrame(
                {
                    "row": np.repeat(row_ids, len(members)),
                    "var": found.ravel(),
                    "coef": np.tile(coefs, len(row_ids)),
                }
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else _EMPTY.copy()


_EMPTY = pd.DataFrame(
    {"row": pd.Series(dtype=object), "var": pd.Series(dtype=int), "coef": 0.0}
)


def _rate_rows(
    sides: pd.DataFrame, variables: pd.DataFrame, rates: set[str], cells: pd.DataFrame
) -> pd.DataFrame:
    """``numerator - denominator <= 0`` for every cell of a rate indicator."""
    lookup = variables.set_index(["area_id", "count_id"])["var"]
    sides = sides.assign(
        var=lookup.reindex(pd.MultiIndex.from_frame(sides[["area_id", "count_id"]]))
        .to_numpy()
        .astype(int)
    )
    pairs = sides.pivot_table(index="cell", columns="side", values="var", aggfunc="min")
    if "d" not in pairs:
        return _EMPTY.copy()
    pairs = pairs.dropna()
    ind = cells["indicator_id"].to_numpy()[pairs.index.to_numpy()]
    pairs = pairs[np.isin(ind, list(rates))]
    pairs = pairs[pairs["n"] != pairs["d"]].astype(int).drop_duplicates()
    row_ids = np.array(
        [f"rate:{a}:{b}" for a, b in zip(pairs.n, pairs.d, strict=True)], object
    )
    return pd.DataFrame(
        {
            "row": np.concatenate([row_ids, row_ids]),
            "var": np.concatenate([pairs["n"].to_numpy(), pairs["d"].to_numpy()]),
            "coef": np.concatenate([np.ones(len(pairs)), -np.ones(len(pairs))]),
        }
    )


def build_system(
    cells: pd.DataFrame,
    groups: pd.DataFrame,
    model: CountModel,
    rate_indicators: Iterable[str],
) -> CountSystem:
    """The linear system of one year.

    Parameters
    ----------
    cells
        Columns ``area_id, indicator_id, numerator, denominator`` (true counts) of
        one year; ``denominator`` NaN for count indicators.
    groups
        ``area_groups(areas)``.
    model
        The count model of the catalogue.
    rate_indicators
        Ids whose numerator is part of their denominator (``numerator <= denominator``).

    Constraints that the true counts violate (a parent that is not the exact sum of
    its children, say) are left out and counted in ``dropped``: an attacker cannot
    use an identity that does not hold.
    """
    cells = cells.reset_index(drop=True)
    sides = _cell_vars(cells, model)
    variables = _variables(sides)
    entries = pd.concat(
        [
            _rows_from_groups(variables, groups, "tree", "total_id"),
            _relation_rows(variables, model.sums, "sum", 1.0),
            _relation_rows(variables, model.contains, "contains", -1.0),
            _rate_rows(sides, variables, set(rate_indicators), cells),
        ],
        ignore_index=True,
    )
    row_codes, row_names = pd.factorize(entries["row"], sort=False)
    x = variables["value"].to_numpy(dtype=float)
    matrix = sparse.csr_matrix(
        (entries["coef"].to_numpy(float), (row_codes, entries["var"].to_numpy(int))),
        shape=(len(row_names), len(x)),
    )
    kinds = np.array([str(r).split(":", 1)[0] for r in row_names], dtype=object)
    equality = np.isin(kinds, ["tree"]) | np.char.startswith(kinds.astype(str), "sum")
    residual = matrix @ x
    holds = np.where(equality, np.abs(residual) < 0.5, residual < 0.5)
    dropped = pd.Series(kinds[~holds]).str.rstrip("0123456789").value_counts().to_dict()
    matrix, equality = matrix[holds], equality[holds]
    lookup = variables.set_index(["area_id", "count_id"])["var"]
    cell_vars = sides.assign(
        var=lookup.reindex(pd.MultiIndex.from_frame(sides[["area_id", "count_id"]]))
        .to_numpy()
        .astype(int)
    )
    numerator = np.full(len(cells), -1)
    denominator = np.full(len(cells), -1)
    num = cell_vars[cell_vars["side"] == "n"]
    den = cell_vars[cell_vars["side"] == "d"]
    numerator[num["cell"].to_numpy()] = num["var"].to_numpy()
    denominator[den["cell"].to_numpy()] = den["var"].to_numpy()
    return CountSystem(
        var_area=variables["area_id"].to_numpy(),
        var_count=variables["count_id"].to_numpy(),
        x=x,
        A=sparse.csr_matrix(matrix),
        equality=equality,
        cell_numerator=numerator,
        cell_denominator=denominator,
        dropped={str(k): int(v) for k, v in dropped.items()},
    )
