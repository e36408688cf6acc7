"""Composite deprivation index (Sozialindex) in the style of Berlin's MSS.

The index follows the Monitoring Soziale Stadtentwicklung (MSS) of Berlin and
the Sozialmonitoring of Hamburg (RISE): core indicator shares are
z-standardised over the areas of the city, combined into a **status index**
(level in the status year) and a **dynamics index** (change in percentage
points over the span, e.g. two years), each classified by standard
deviations; the overlay of 4 status and 3 dynamics classes gives 12 groups.

Class and group ids are stable (they appear in links, tables and downloads):

- status: ``hoch`` (best social status, least deprivation), ``mittel``,
  ``niedrig``, ``sehr_niedrig``;
- dynamics: ``positiv`` (deprivation falling relative to the city),
  ``stabil``, ``negativ``;
- groups: ``<status>_<dynamics>``, numbered 1..12 status-major:
  ``hoch_positiv`` = 1, ``hoch_stabil`` = 2, ``hoch_negativ`` = 3,
  ``mittel_positiv`` = 4, ..., ``sehr_niedrig_negativ`` = 12
  (``group_no = 3 * status_position + dynamics_position + 1``).

The classes describe where a closer look is needed ("Aufmerksamkeit"), not a
verdict: whether an area needs action cannot be judged from the index alone.

References
----------
.. [1] Senatsverwaltung für Stadtentwicklung und Wohnen Berlin, Monitoring
   Soziale Stadtentwicklung (reports 2013-2023), berlin.de/sen/sbw/stadtdaten/
   stadtwissen/monitoring-soziale-stadtentwicklung/; "Gesamtindex Soziale
   Ungleichheit": overlay of the status index (4 classes) with the dynamics
   index (3 classes) into 12 groups (daten.berlin.de).
.. [2] Pohlan, J., Selk, A., Pohl, T. (2010). Pilotbericht "Sozialmonitoring
   im Rahmenprogramm Integrierte Stadtteilentwicklung (RISE)", Hamburg
   (chapters "Standardabweichung", "z-Transformation").
.. [3] Freie und Hansestadt Hamburg, Sozialmonitoring Integrierte
   Stadtteilentwicklung, annual reports (areas with >= 300 inhabitants).
.. [4] Speringer & Böing (2021), Raumforschung und Raumordnung 79(6), 574-589,
   doi:10.14512/rur.87: a comparison of 25 German-speaking city monitors
   (indicators, spatial levels, methods).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DYNAMICS_CLASSES",
    "DYNAMICS_CUTOFFS",
    "EXCLUSION_REASONS",
    "EXCLUDED",
    "GROUPS",
    "MIN_POPULATION",
    "STATUS_CLASSES",
    "STATUS_CUTOFFS",
    "SocialIndexResult",
    "classify_dynamics",
    "classify_status",
    "compare_classes",
    "compute_social_index",
    "group_id",
    "group_number",
]

MIN_POPULATION = 300
"""Areas with fewer inhabitants are left out (Berlin MSS, Hamburg)."""

STATUS_CLASSES: tuple[str, ...] = ("hoch", "mittel", "niedrig", "sehr_niedrig")
DYNAMICS_CLASSES: tuple[str, ...] = ("positiv", "stabil", "negativ")
GROUPS: tuple[str, ...] = tuple(
    f"{s}_{d}" for s in STATUS_CLASSES for d in DYNAMICS_CLASSES
)
"""The 12 group ids in group-number order (index 0 is group 1)."""

STATUS_CUTOFFS: tuple[float, float, float] = (-1.0, 1.0, 1.5)
"""Status index cut-offs in standard deviations: hoch < -1 <= mittel <= +1 <
niedrig <= +1.5 < sehr_niedrig."""

DYNAMICS_CUTOFFS: tuple[float, float] = (-1.0, 1.0)
"""Dynamics index cut-offs: positiv < -1 <= stabil <= +1 < negativ."""

EXCLUSION_REASONS: tuple[str, ...] = (
    "population_missing",
    "population_below_min",
    "value_missing",
)
"""Reason codes of excluded areas, in the order they are checked."""

EXCLUDED = "excluded"
"""Class label used by :func:`compare_classes` for an area left out."""

_ROUND = 9  # decimals: index values are rounded before comparing to cut-offs


# --------------------------------------------------------------------------
# ids


def group_id(status_class: str, dynamics_class: str) -> str:
    """Group id ``"<status>_<dynamics>"``; ValueError for unknown classes."""
    if status_class not in STATUS_CLASSES:
        raise ValueError(f"unknown status class {status_class!r}")
    if dynamics_class not in DYNAMICS_CLASSES:
        raise ValueError(f"unknown dynamics class {dynamics_class!r}")
    return f"{status_class}_{dynamics_class}"


def group_number(group: str) -> int:
    """Number 1..12 of a group id (``hoch_positiv`` = 1 ... ``sehr_niedrig_negativ``
    = 12, status-major)."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; known: " + ", ".join(GROUPS))
    return GROUPS.index(group) + 1


def _check_cutoffs(cutoffs: Sequence[float], n: int, name: str) -> tuple[float, ...]:
    try:
        c = tuple(float(v) for v in cutoffs)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be {n} numbers, got {cutoffs!r}") from exc
    if len(c) != n or not all(math.isfinite(v) for v in c):
        raise ValueError(f"{name} must be {n} finite numbers, got {cutoffs!r}")
    if any(b <= a for a, b in zip(c, c[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing, got {cutoffs!r}")
    return c


def classify_status(
    index: Any, cutoffs: Sequence[float] = STATUS_CUTOFFS
) -> np.ndarray:
    """Status classes of standardised index values.

    Parameters
    ----------
    index : array_like
        Status index values (higher = more deprivation).
    cutoffs : (c1, c2, c3), default (-1, 1, 1.5)
        ``hoch`` if z < c1, ``mittel`` if c1 <= z <= c2, ``niedrig`` if
        c2 < z <= c3, ``sehr_niedrig`` if z > c3.

    Returns
    -------
    numpy.ndarray of str (object); ``None`` where the index is NaN.

    Notes
    -----
    Values are rounded to 9 decimals first, so floating-point noise does not
    move a value that lies on a cut-off.
    """
    c1, c2, c3 = _check_cutoffs(cutoffs, 3, "status_cutoffs")
    z = np.round(np.asarray(index, dtype=float), _ROUND)
    return np.select(
        [np.isnan(z), z < c1, z <= c2, z <= c3],
        [None, *STATUS_CLASSES[:3]],
        default=STATUS_CLASSES[3],
    ).astype(object)


def classify_dynamics(
    index: Any, cutoffs: Sequence[float] = DYNAMICS_CUTOFFS
) -> np.ndarray:
    """Dynamics classes: ``positiv`` if z < c1, ``stabil`` if c1 <= z <= c2,
    ``negativ`` if z > c2 (default c = (-1, 1)); ``None`` for NaN.

    See :func:`classify_status` for the rounding rule.
    """
    c1, c2 = _check_cutoffs(cutoffs, 2, "dynamics_cutoffs")
    z = np.round(np.asarray(index, dtype=float), _ROUND)
    return np.select(
        [np.isnan(z), z < c1, z <= c2],
        [None, *DYNAMICS_CLASSES[:2]],
        default=DYNAMICS_CLASSES[2],
    ).astype(object)


# --------------------------------------------------------------------------
# result


@dataclass(frozen=True, eq=False)
class SocialIndexResult:
    """Result of :func:`compute_social_index`.

    Attributes
    ----------
    areas : pandas.DataFrame
        One row per included area (index ``area_id``, input order). Columns:
        ``population``; per indicator ``<id>`` (share in the status year, %),
        ``<id>_z`` (its z-value, direction applied: higher = worse),
        ``<id>_earlier`` (share at the start of the span), ``<id>_change``
        (percentage points), ``<id>_change_z``; then ``status_score`` (weighted
        mean of the status z-values), ``status_index``, ``status_class``,
        ``dynamics_score``, ``dynamics_index``, ``dynamics_class``, ``group``
        (id), ``group_no`` (1..12), ``rank`` (1 = highest status index, i.e.
        most deprivation; ties share the smallest rank).
    excluded : pandas.DataFrame
        Areas left out (index ``area_id``): ``population``, ``reason`` (first
        applicable code of :data:`EXCLUSION_REASONS`) and ``detail`` (all
        reasons, English).
    weights : dict
        Weights used, normalised to sum 1 (indicator -> weight).
    higher_is_worse : dict
        Direction per indicator.
    standardisation : pandas.DataFrame
        Means and standard deviations used (index: indicator ids and
        ``"score"`` for the composite before re-standardisation; columns
        ``direction`` (+1/-1), ``weight``, ``status_mean``, ``status_sd``,
        ``dynamics_mean``, ``dynamics_sd``). Means/SDs are of the raw shares
        and changes (before the direction is applied).
    indicators : tuple of str
    min_population : float
    ddof : int
    status_cutoffs, dynamics_cutoffs : tuple of float
    restandardise : bool
    notes : tuple of str
        Warnings (e.g. an indicator without variance).
    """

    areas: pd.DataFrame
    excluded: pd.DataFrame
    weights: dict[str, float]
    higher_is_worse: dict[str, bool]
    standardisation: pd.DataFrame
    indicators: tuple[str, ...]
    min_population: float = MIN_POPULATION
    ddof: int = 0
    status_cutoffs: tuple[float, ...] = STATUS_CUTOFFS
    dynamics_cutoffs: tuple[float, ...] = DYNAMICS_CUTOFFS
    restandardise: bool = True
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def n_included(self) -> int:
        """Number of areas in the index."""
        return len(self.areas)

    def class_matrix(self) -> pd.DataFrame:
        """Counts of areas per status class (rows) x dynamics class (columns).

        Returns
        -------
        pandas.DataFrame
            4 x 3 integers, index ``STATUS_CLASSES`` (name ``status_class``),
            columns ``DYNAMICS_CLASSES`` (name ``dynamics_class``); the total is
            :attr:`n_included`.
        """
        counts = (
            self.areas.groupby(["status_class", "dynamics_class"]).size()
            if len(self.areas)
            else pd.Series(dtype=int)
        )
        m = pd.DataFrame(0, index=list(STATUS_CLASSES), columns=list(DYNAMICS_CLASSES))
        for (s, d), n in counts.items():
            m.loc[s, d] = int(n)
        m.index.name = "status_class"
        m.columns.name = "dynamics_class"
        return m

    def components(self) -> pd.DataFrame:
        """Long table of what each indicator contributes per area.

        Returns
        -------
        pandas.DataFrame
            Columns ``area_id``, ``indicator``, ``weight``, ``value``,
            ``earlier``, ``change``, ``z``, ``change_z``, ``status_contribution``
            (= weight * z) and ``dynamics_contribution`` (= weight * change_z).
            Per area the contributions add up to ``status_score`` and
            ``dynamics_score``.
        """
        rows = []
        for ind in self.indicators:
            w = self.weights[ind]
            part = pd.DataFrame(
                {
                    "area_id": self.areas.index,
                    "indicator": ind,
                    "weight": w,
                    "value": self.areas[ind].to_numpy(),
                    "earlier": self.areas[f"{ind}_earlier"].to_numpy(),
                    "change": self.areas[f"{ind}_change"].to_numpy(),
                    "z": self.areas[f"{ind}_z"].to_numpy(),
                    "change_z": self.areas[f"{ind}_change_z"].to_numpy(),
                }
            )
            part["status_contribution"] = w * part["z"]
            part["dynamics_contribution"] = w * part["change_z"]
            rows.append(part)
        return pd.concat(rows, ignore_index=True)


# --------------------------------------------------------------------------
# computation


def _standardise(
    x: np.ndarray, ddof: int, what: str, notes: list[str]
) -> tuple[np.ndarray, float, float]:
    """z = (x - mean) / sd over the finite entries; sd 0 -> z = 0 (noted)."""
    ok = np.isfinite(x)
    mean = float(np.mean(x[ok]))
    sd = float(np.std(x[ok], ddof=ddof)) if ok.sum() > ddof else float("nan")
    if not (math.isfinite(sd) and sd > 0):
        notes.append(f"{what}: no variation across the included areas; z set to 0")
        z = np.where(ok, 0.0, np.nan)
    else:
        z = (x - mean) / sd
    return z, mean, sd


def _numeric(values: Any) -> np.ndarray:
    return pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )


def _check_weights(
    weights: Mapping[str, float] | None, indicators: tuple[str, ...]
) -> dict[str, float]:
    if weights is None:
        return {ind: 1.0 / len(indicators) for ind in indicators}
    unknown = [k for k in weights if k not in indicators]
    if unknown:
        raise ValueError(
            "unknown indicator(s) in weights: "
            + ", ".join(map(repr, unknown))
            + "; index indicators: "
            + ", ".join(indicators)
        )
    missing = [ind for ind in indicators if ind not in weights]
    if missing:
        raise ValueError(
            "weights missing for: " + ", ".join(missing) + " (give 0 to leave out)"
        )
    w: dict[str, float] = {}
    for ind in indicators:
        try:
            v = float(weights[ind])
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"weight of {ind!r} is not a number: {weights[ind]!r}"
            ) from exc
        if not math.isfinite(v):
            raise ValueError(f"weight of {ind!r} must be finite, got {v}")
        if v < 0:
            raise ValueError(f"weight of {ind!r} must not be negative, got {v:g}")
        w[ind] = v
    total = sum(w.values())
    if total == 0:
        raise ValueError("all weights are zero; at least one must be positive")
    return {ind: v / total for ind, v in w.items()}


def _check_indicators(
    indicators: Sequence[str] | None, status: pd.DataFrame, earlier: pd.DataFrame
) -> tuple[str, ...]:
    """The index indicators; ValueError unless both frames hold each of them for
    distinct area ids."""
    if indicators is None:  # every column of the status frame
        indicators = tuple(status.columns) if isinstance(status, pd.DataFrame) else ()
    indicators = tuple(indicators)
    if not indicators:
        raise ValueError("at least one indicator is needed")
    if len(set(indicators)) != len(indicators):
        raise ValueError(f"indicators contain duplicates: {indicators}")
    for name, frame in (("status", status), ("earlier", earlier)):
        if not isinstance(frame, pd.DataFrame):
            raise ValueError(f"{name} must be a pandas DataFrame")
        lacking = [ind for ind in indicators if ind not in frame.columns]
        if lacking:
            raise ValueError(f"{name} frame lacks indicator column(s): {lacking}")
        if frame.index.has_duplicates:
            dup = frame.index[frame.index.duplicated()].unique().tolist()
            raise ValueError(f"{name} frame has duplicate area ids: {dup}")
    return indicators


def _check_directions(
    higher_is_worse: Mapping[str, bool] | None, indicators: tuple[str, ...]
) -> dict[str, bool]:
    hiw = dict.fromkeys(indicators, True)
    if higher_is_worse is not None:
        unknown = [k for k in higher_is_worse if k not in indicators]
        if unknown:
            raise ValueError(f"unknown indicator(s) in higher_is_worse: {unknown}")
        hiw.update({k: bool(v) for k, v in higher_is_worse.items()})
    return hiw


def _exclusions(
    ids: pd.Index,
    pop: np.ndarray,
    now: Mapping[str, np.ndarray],
    before: Mapping[str, np.ndarray],
    active: Sequence[str],
    min_pop: float,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Step 1: which areas take part (mask) and the others with their reasons
    (unknown or small population, a missing share of a weighted indicator)."""
    reasons: list[list[tuple[str, str]]] = [[] for _ in range(len(ids))]
    for j in range(len(ids)):
        if not math.isfinite(pop[j]):
            reasons[j].append(("population_missing", "population unknown"))
        elif pop[j] < min_pop:
            reasons[j].append(
                (
                    "population_below_min",
                    f"population {pop[j]:g} below minimum {min_pop:g}",
                )
            )
        gaps = [
            f"{ind} (status year)" for ind in active if not np.isfinite(now[ind][j])
        ]
        gaps += [
            f"{ind} (earlier year)" for ind in active if not np.isfinite(before[ind][j])
        ]
        if gaps:
            reasons[j].append(("value_missing", "missing value: " + ", ".join(gaps)))
    keep = np.array([not r for r in reasons], dtype=bool)
    excluded = pd.DataFrame(
        {
            "population": pop[~keep],
            "reason": np.array([r[0][0] for r in reasons if r], dtype=object),
            "detail": np.array(
                ["; ".join(d for _, d in r) for r in reasons if r], dtype=object
            ),
        },
        index=pd.Index(ids[~keep], name="area_id"),
    )
    return keep, excluded


def _z_values(
    now: Mapping[str, np.ndarray],
    before: Mapping[str, np.ndarray],
    w: Mapping[str, float],
    hiw: Mapping[str, bool],
    ddof: int,
    notes: list[str],
):
    """Steps 2 and 3 over the included areas: per indicator the share, its
    change and both z-values (direction applied); the weighted scores.

    Returns (columns, standardisation rows, status score, dynamics score).
    """
    cols: dict[str, np.ndarray] = {}
    stats_rows: dict[str, dict[str, float]] = {}
    n = len(next(iter(now.values())))
    status_score = np.zeros(n)
    dynamics_score = np.zeros(n)
    for ind, x in now.items():
        sign = 1.0 if hiw[ind] else -1.0
        xe = before[ind]
        d = x - xe
        z, m_s, sd_s = _standardise(x, ddof, f"{ind} (status)", notes)
        zd, m_d, sd_d = _standardise(d, ddof, f"{ind} (change)", notes)
        z, zd = sign * z, sign * zd
        cols[ind] = x
        cols[f"{ind}_z"] = z
        cols[f"{ind}_earlier"] = xe
        cols[f"{ind}_change"] = d
        cols[f"{ind}_change_z"] = zd
        stats_rows[ind] = {
            "direction": sign,
            "weight": w[ind],
            "status_mean": m_s,
            "status_sd": sd_s,
            "dynamics_mean": m_d,
            "dynamics_sd": sd_d,
        }
        if w[ind] > 0:
            status_score += w[ind] * z
            dynamics_score += w[ind] * zd
    return cols, stats_rows, status_score, dynamics_score


def _indices(
    status_score: np.ndarray,
    dynamics_score: np.ndarray,
    ddof: int,
    restandardise: bool,
    notes: list[str],
) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    """Step 4: the scores standardised again (or as they are), and the means and
    SDs of the scores (the "score" row of the standardisation)."""
    s_idx, m_s, sd_s = _standardise(status_score, ddof, "status score", notes)
    d_idx, m_d, sd_d = _standardise(dynamics_score, ddof, "dynamics score", notes)
    row = {
        "direction": np.nan,
        "weight": np.nan,
        "status_mean": m_s,
        "status_sd": sd_s,
        "dynamics_mean": m_d,
        "dynamics_sd": sd_d,
    }
    if not restandardise:
        s_idx, d_idx = status_score, dynamics_score
    return s_idx, d_idx, row


def _add_classes(
    areas: pd.DataFrame,
    status_score: np.ndarray,
    s_idx: np.ndarray,
    dynamics_score: np.ndarray,
    d_idx: np.ndarray,
    s_cut: tuple[float, ...],
    d_cut: tuple[float, ...],
) -> None:
    """Step 5: indices, classes, groups and ranks as columns of ``areas``."""
    s_cls = classify_status(s_idx, s_cut)
    d_cls = classify_dynamics(d_idx, d_cut)
    groups = [f"{a}_{b}" for a, b in zip(s_cls, d_cls, strict=True)]
    areas["status_score"] = status_score
    areas["status_index"] = s_idx
    areas["status_class"] = pd.Series(s_cls, index=areas.index, dtype=object)
    areas["dynamics_score"] = dynamics_score
    areas["dynamics_index"] = d_idx
    areas["dynamics_class"] = pd.Series(d_cls, index=areas.index, dtype=object)
    areas["group"] = pd.Series(groups, index=areas.index, dtype=object)
    areas["group_no"] = [GROUPS.index(g) + 1 for g in groups]
    areas["rank"] = (
        pd.Series(np.round(s_idx, _ROUND), index=areas.index)
        .rank(ascending=False, method="min")
        .astype(int)
    )


def compute_social_index(
    status: pd.DataFrame,
    earlier: pd.DataFrame,
    population: pd.Series | Mapping[Any, float],
    *,
    indicators: Sequence[str] | None = None,
    weights: Mapping[str, float] | None = None,
    higher_is_worse: Mapping[str, bool] | None = None,
    min_population: float = MIN_POPULATION,
    ddof: int = 0,
    status_cutoffs: Sequence[float] = STATUS_CUTOFFS,
    dynamics_cutoffs: Sequence[float] = DYNAMICS_CUTOFFS,
    restandardise: bool = True,
) -> SocialIndexResult:
    """Status and dynamics index with classes and the 12 groups.

    Parameters
    ----------
    status : pandas.DataFrame
        Indexed by ``area_id``; one column per indicator with its share (%) in
        the status year. NaN marks a suppressed or missing value. The areas
        and their order are taken from this frame.
    earlier : pandas.DataFrame
        The same columns for the first year of the dynamics span (e.g. two
        years earlier). Areas missing here count as missing values.
    population : pandas.Series or mapping
        Inhabitants per ``area_id`` (status year).
    indicators : sequence of str, optional
        Index indicators (catalogue ids; the app takes those with ``in_index``);
        default every column of ``status``.
    weights : mapping, optional
        Indicator -> non-negative weight for both indices; default equal.
        Must name every indicator; the weights are normalised to sum 1. A
        weight of 0 keeps the indicator in the tables but out of the index
        (and a missing value of it does not exclude an area).
    higher_is_worse : mapping, optional
        Indicator -> bool; default True for every indicator. For ``False``
        ("higher is better", e.g. an employment rate) the z-values of the
        share and of its change are multiplied by -1.
    min_population : float, default 300
        Areas with fewer inhabitants are excluded before standardising.
    ddof : int, default 0
        Delta degrees of freedom of every standard deviation: 0 = population
        SD (the areas are the whole city, not a sample), 1 = sample SD (as
        SPSS/Excel ``STABW.S``), which makes all |z| smaller by the factor
        ``sqrt((n - 1) / n)``.
    status_cutoffs, dynamics_cutoffs : sequence of float
        See :func:`classify_status` and :func:`classify_dynamics`.
    restandardise : bool, default True
        Standardise the composite score again before classifying (MSS). If
        False, the weighted mean of the z-values is classified directly.

    Returns
    -------
    SocialIndexResult

    Raises
    ------
    ValueError
        Missing indicator columns, duplicate area ids, an unknown indicator in
        ``weights`` or ``higher_is_worse``, missing/negative/non-finite
        weights, all weights zero, invalid cut-offs or ``ddof``, or fewer
        than 3 areas left after the exclusions.

    Notes
    -----
    Steps (n = included areas, w normalised weights, s = +1 for "higher is
    worse", -1 otherwise):

    1. Exclude areas with unknown population, population < ``min_population``,
       or a missing share (status or earlier year) of an indicator with
       positive weight; they are listed with the reason.
    2. Per indicator ``i``: ``z_i = s_i (x_i - mean(x_i)) / sd(x_i)`` over the
       n included areas; the change ``d_i = x_i - x_i,earlier`` (percentage
       points) is standardised the same way to ``zd_i``.
    3. ``status_score = sum_i w_i z_i`` and ``dynamics_score =
       sum_i w_i zd_i``. With equal weights the score is the mean of the
       z-values, i.e. the MSS sum of z-values divided by their number.
    4. ``status_index = (status_score - mean) / sd`` over the n areas (same
       ``ddof``), likewise the dynamics index; a constant factor such as the
       division by the number of indicators therefore does not matter, and
       the cut-offs are in standard deviations of the index itself.
    5. Classes by :data:`STATUS_CUTOFFS` and :data:`DYNAMICS_CUTOFFS`; group
       ``<status>_<dynamics>`` with number ``3 * status_position +
       dynamics_position + 1``.

    An indicator without variation among the included areas gets z = 0
    (noted). The cut-offs (-1, +1, +1.5 SD for status, +-1 SD for dynamics)
    are those commonly reported for the MSS [1], not verified against its
    "Indikatorenblätter"; they are parameters.

    Examples
    --------
    >>> import pandas as pd
    >>> ids = list("ABCDEF")
    >>> now = pd.DataFrame({"q": [1.0, 2, 3, 4, 5, 6]}, index=ids)
    >>> before = now - 1
    >>> r = compute_social_index(now, before, pd.Series(1000, index=ids),
    ...                         indicators=["q"])
    >>> r.areas["status_class"].tolist()
    ['hoch', 'mittel', 'mittel', 'mittel', 'mittel', 'niedrig']
    >>> r.areas["dynamics_class"].unique().tolist()  # every change is +1
    ['stabil']
    """
    indicators = _check_indicators(indicators, status, earlier)
    w = _check_weights(weights, indicators)
    hiw = _check_directions(higher_is_worse, indicators)
    if isinstance(ddof, bool) or not isinstance(ddof, int | np.integer) or ddof < 0:
        raise ValueError(f"ddof must be a non-negative integer, got {ddof!r}")
    try:
        min_pop = float(min_population)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"min_population must be a number: {min_population!r}"
        ) from exc
    s_cut = _check_cutoffs(status_cutoffs, 3, "status_cutoffs")
    d_cut = _check_cutoffs(dynamics_cutoffs, 2, "dynamics_cutoffs")

    ids = status.index
    pop = _numeric(pd.Series(population).reindex(ids))
    now = {ind: _numeric(status[ind]) for ind in indicators}
    before = {ind: _numeric(earlier[ind].reindex(ids)) for ind in indicators}
    active = [ind for ind in indicators if w[ind] > 0]
    keep, excluded = _exclusions(ids, pop, now, before, active, min_pop)
    n = int(keep.sum())
    if n < 3:
        raise ValueError(
            f"only {n} area(s) left after exclusions (population < {min_pop:g} or "
            f"missing values, {len(excluded)} excluded); at least 3 are needed"
        )
    if n <= ddof:
        raise ValueError(f"ddof={ddof} needs more than {ddof} included areas")

    notes: list[str] = []
    cols, stats_rows, status_score, dynamics_score = _z_values(
        {ind: now[ind][keep] for ind in indicators},
        {ind: before[ind][keep] for ind in indicators},
        w,
        hiw,
        ddof,
        notes,
    )
    cols = {"population": pop[keep], **cols}
    s_idx, d_idx, stats_rows["score"] = _indices(
        status_score, dynamics_score, ddof, restandardise, notes
    )
    areas = pd.DataFrame(cols, index=pd.Index(ids[keep], name="area_id"))
    _add_classes(areas, status_score, s_idx, dynamics_score, d_idx, s_cut, d_cut)

    standardisation = pd.DataFrame.from_dict(stats_rows, orient="index")
    standardisation.index.name = "indicator"
    return SocialIndexResult(
        areas=areas,
        excluded=excluded,
        weights=w,
        higher_is_worse=hiw,
        standardisation=standardisation,
        indicators=indicators,
        min_population=min_pop,
        ddof=int(ddof),
        status_cutoffs=s_cut,
        dynamics_cutoffs=d_cut,
        restandardise=bool(restandardise),
        notes=tuple(notes),
    )


def compare_classes(
    default_result: SocialIndexResult, custom_result: SocialIndexResult
) -> pd.DataFrame:
    """Areas whose status class, dynamics class or group differs.

    Parameters
    ----------
    default_result, custom_result : SocialIndexResult
        E.g. equal weights and the user's weights.

    Returns
    -------
    pandas.DataFrame
        Index ``area_id`` (order: areas of ``default_result``, then areas only
        in ``custom_result``); columns ``status_class_old``,
        ``status_class_new``, ``dynamics_class_old``, ``dynamics_class_new``,
        ``group_old``, ``group_new``, ``status_index_old``,
        ``status_index_new``, ``dynamics_index_old``, ``dynamics_index_new``,
        ``rank_old``, ``rank_new`` and ``changed`` (comma-separated subset of
        ``status``, ``dynamics``, ``inclusion``). An area left out of one
        result has the class :data:`EXCLUDED` (``"excluded"``) and NaN index
        values there. Empty (same columns) if nothing changed.
    """
    old, new = default_result.areas, custom_result.areas
    order = list(old.index) + [a for a in new.index if a not in old.index]
    cols = ["status_class", "dynamics_class", "group"]
    nums = ["status_index", "dynamics_index", "rank"]
    o = old.reindex(order)
    nw = new.reindex(order)
    out = pd.DataFrame(index=pd.Index(order, name="area_id"))
    for c in cols:
        out[f"{c}_old"] = o[c].astype(object).where(o[c].notna(), EXCLUDED)
        out[f"{c}_new"] = nw[c].astype(object).where(nw[c].notna(), EXCLUDED)
    for c in nums:
        out[f"{c}_old"] = o[c].astype(float)
        out[f"{c}_new"] = nw[c].astype(float)
    in_old = pd.Series(out.index.isin(old.index), index=out.index)
    in_new = pd.Series(out.index.isin(new.index), index=out.index)
    flags = pd.DataFrame(
        {
            "status": out["status_class_old"] != out["status_class_new"],
            "dynamics": out["dynamics_class_old"] != out["dynamics_class_new"],
            "inclusion": in_old != in_new,
        }
    )
    flags.loc[flags["inclusion"], ["status", "dynamics"]] = False
    out["changed"] = [
        ",".join(k for k in flags.columns if row[k]) for _, row in flags.iterrows()
    ]
    return out[out["changed"] != ""].copy()
