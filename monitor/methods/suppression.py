"""Statistical confidentiality for small counts (statistische Geheimhaltung).

Primary suppression follows the official convention that counts of 1 and 2 are
replaced by a dot, and that rates on tiny denominators are not published (DOMAIN.md
§5.4; Statistisches Landesamt Sachsen, "Statistische Geheimhaltung"). Secondary
suppression closes the differencing gap: where a published total is the sum of
parts and exactly one part is suppressed, the smallest other part is suppressed too,
repeated until every total has none or at least two suppressed parts (the classic
heuristic of cell suppression, cf. Hundepool et al., *Statistical Disclosure
Control*, Wiley 2012, ch. 4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["primary_suppression", "secondary_suppression", "compute_values"]


def primary_suppression(
    numerator: pd.Series | np.ndarray,
    denominator: pd.Series | np.ndarray,
    min_numerator: int,
    min_denominator: int,
) -> np.ndarray:
    """True where a count is 1..min_numerator-1 or the denominator is too small.

    A numerator of exactly 0 is publishable ("–" in official tables). A missing
    denominator (count indicators) never triggers suppression by itself.
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    small_num = (num > 0) & (num < min_numerator)
    small_den = ~np.isnan(den) & (den < min_denominator)
    return small_num | small_den


def secondary_suppression(
    frame: pd.DataFrame, membership: pd.DataFrame, max_rounds: int = 50
) -> pd.Series:
    """Extend ``frame["suppressed"]`` so no cell can be recovered by subtraction.

    Parameters
    ----------
    frame
        Columns ``indicator_id, year, area_id, numerator, suppressed``.
    membership
        Additive constraints: columns ``group_id, total_id, part_id`` meaning
        total = sum of the parts of the group (e.g. a Stadtteil and its Quartiere,
        or the Perspektivquartier and its three Quartiere).

    Returns
    -------
    pandas.Series of bool aligned with ``frame``.
    """
    key = ["indicator_id", "year"]
    status = frame[[*key, "area_id", "numerator", "suppressed"]].copy()
    status["suppressed"] = status["suppressed"].astype(bool)
    status["_row"] = np.arange(len(status))
    for _ in range(max_rounds):
        parts = membership.merge(
            status.rename(columns={"area_id": "part_id"}), on="part_id"
        )
        totals = status.rename(
            columns={"area_id": "total_id", "suppressed": "total_suppressed"}
        )[[*key, "total_id", "total_suppressed"]]
        parts = parts.merge(totals, on=[*key, "total_id"], how="left")
        parts["total_suppressed"] = parts["total_suppressed"].fillna(True).astype(bool)
        grp = parts.groupby([*key, "group_id"])
        n_supp = grp["suppressed"].transform("sum")
        n_parts = grp["suppressed"].transform("size")
        exposed = (n_supp == 1) & (n_parts > 1) & ~parts["total_suppressed"]
        candidates = parts[exposed & ~parts["suppressed"]]
        if candidates.empty:
            break
        # the smallest published part of each exposed group (ties by area id)
        pick = candidates.sort_values([*key, "group_id", "numerator", "part_id"])
        pick = pick.drop_duplicates([*key, "group_id"])
        status.loc[status["_row"].isin(pick["_row"]), "suppressed"] = True
    return pd.Series(status["suppressed"].to_numpy(), index=frame.index)


def compute_values(
    numerator: pd.Series, denominator: pd.Series, factor: pd.Series | float
) -> pd.Series:
    """Rates from counts (``factor`` 100 for percent, 1000 for per mille, 1 for counts).

    Count indicators have no denominator; their value is the numerator itself.
    """
    num = numerator.astype(float)
    den = denominator.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(den > 0, factor * num / den, np.nan)
    return pd.Series(np.where(den.isna(), num, rate), index=numerator.index)
