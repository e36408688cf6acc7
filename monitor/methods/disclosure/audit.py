"""The attacker's view: how far every hidden count can be narrowed, by linear programs.

An attacker who knows every published count, the area tree, which indicators share a
count and how counts add up (``structure.CountSystem``), and that counts are >= 0,
can bound a hidden count ``x_i`` by solving ``min x_i`` and ``max x_i`` over
``{x >= 0 : A x (= / <=) 0, published counts fixed}``: the audit of a suppression
pattern in τ-ARGUS (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
§4.3; de Wolf, "HiTaS: a heuristic approach to cell suppression in hierarchical
tables", *Inference Control in Statistical Databases*, LNCS 2316, 2002). Bounds are
rounded inwards to integers, as an attacker may do with counts.

How it stays fast (measured in docs/DISCLOSURE.md): the hidden counts fall apart into
connected components (counts linked by no constraint cannot inform each other); each
component is one HiGHS model (highspy, primal simplex warm-started from the previous
basis when only the objective changes). Every LP solution is a point the attacker
cannot exclude, so it widens the *certified* range of every target in the component
at once; LPs over a randomly weighted sum of the unresolved targets (fixed seed)
certify many of them together, and only the rest get their own ``max``/``min``. A
certified range is contained in the attacker's range, so "certified at least
``required`` wide" is a proof; a target that is not certified after its own ``max``
and ``min`` fails, with its exact range.
All variables are capped far above any count (``cap``), which keeps every LP bounded
and can only shrink ranges (the audit errs on the safe side).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from monitor.methods.disclosure.structure import CountSystem

__all__ = ["RangeResult", "attacker_ranges", "components_of"]

_TOL = 1e-6
_BATCH_ROUNDS = 10


@dataclass
class RangeResult:
    """Certified attacker bounds per target, aligned with the targets passed in.

    The attacker's true range contains ``[lower, upper]``; for a target that failed
    (``failed``) it is exactly that range. ``limits`` maps each failed target's
    position to the published variables whose values bound it (the constraints
    with a nonzero dual in its ``max``/``min`` LP): the candidates for a
    complementary suppression. ``n_lps`` counts the LPs solved in this call,
    ``n_lps_pattern`` those behind the certified bounds (with the ``prior``'s),
    ``n_components`` the components solved in this call.
    """

    lower: np.ndarray
    upper: np.ndarray
    failed: np.ndarray
    limits: dict[int, np.ndarray] = field(default_factory=dict)
    n_lps: int = 0
    n_lps_pattern: int = 0
    n_components: int = 0

    @property
    def width(self) -> np.ndarray:
        return self.upper - self.lower


def components_of(free_matrix: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Component label of every row and column of ``free_matrix`` (hidden
    variables linked by a shared constraint belong together)."""
    n_rows, _ = free_matrix.shape
    pattern = sparse.csr_matrix(
        (np.ones(free_matrix.nnz, np.int8), free_matrix.indices, free_matrix.indptr),
        shape=free_matrix.shape,
    )
    graph = sparse.bmat([[None, pattern], [pattern.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    return labels[:n_rows], labels[n_rows:]


class _ComponentLP:
    """One HiGHS model over a component's hidden variables; only the objective
    changes between solves, so each solve starts from the last basis."""

    def __init__(self, sub_matrix: sparse.csc_matrix, lower, upper, cap: float):
        n_rows, n_cols = sub_matrix.shape
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_cols, n_rows
        lp.col_cost_ = np.zeros(n_cols)
        lp.col_lower_ = np.zeros(n_cols)
        lp.col_upper_ = np.full(n_cols, cap)
        lp.row_lower_, lp.row_upper_ = lower, upper
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kColwise
        matrix.start_, matrix.index_ = sub_matrix.indptr, sub_matrix.indices
        matrix.value_ = sub_matrix.data
        lp.a_matrix_ = matrix
        self.n_cols = n_cols
        self.highs = highspy.Highs()
        for option, value in (
            ("output_flag", False),
            ("presolve", "off"),
            ("simplex_strategy", 4),  # primal: the last basis stays feasible
            ("random_seed", 0),
        ):
            self.highs.setOptionValue(option, value)
        self.highs.passModel(lp)
        self._all = np.arange(n_cols, dtype=np.int32)

    def optimise(self, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Primal solution and row duals of ``min cost @ x``."""
        self.highs.changeColsCost(self.n_cols, self._all, cost)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"Das Geheimhaltungsaudit konnte ein LP nicht lösen ({status})."
            )
        solution = self.highs.getSolution()
        return np.asarray(solution.col_value), np.asarray(solution.row_dual)


@dataclass
class _Targets:
    """Certified bounds of the targets of one component, widened by every point."""

    cols: np.ndarray  # component-local column of each target
    required: np.ndarray
    lo: np.ndarray
    hi: np.ndarray

    def see(self, point: np.ndarray) -> None:
        values = point[self.cols]
        self.lo = np.minimum(self.lo, values)
        self.hi = np.maximum(self.hi, values)

    def open(self) -> np.ndarray:
        width = np.floor(self.hi + _TOL) - np.ceil(self.lo - _TOL)
        return width < self.required


def _solve_component(
    comp: _ComponentLP, targets: _Targets
) -> tuple[dict[int, tuple], int]:
    """Certify the targets of one component; returns failing targets with duals."""
    n_lps = 0
    rng = np.random.default_rng(0)
    for _ in range(_BATCH_ROUNDS):
        unresolved = np.flatnonzero(targets.open())
        if not len(unresolved):
            return {}, n_lps
        for sense in (-1.0, 1.0):
            cost = np.zeros(comp.n_cols)
            weights = sense * (0.5 + rng.random(len(unresolved)))
            np.add.at(cost, targets.cols[unresolved], weights)
            point, _ = comp.optimise(cost)
            n_lps += 1
            targets.see(point)
        if len(unresolved) - int(targets.open().sum()) < max(1, len(unresolved) // 10):
            break
    failures = {}
    for k in np.flatnonzero(targets.open()):
        duals = []
        for sense in (-1.0, 1.0):
            cost = np.zeros(comp.n_cols)
            cost[targets.cols[k]] = sense
            point, dual = comp.optimise(cost)
            n_lps += 1
            targets.see(point)
            duals.append(dual)
            if not targets.open()[k]:
                break
        else:
            failures[int(k)] = tuple(duals)
    return failures, n_lps


def attacker_ranges(
    system: CountSystem,
    published: np.ndarray,
    targets: np.ndarray,
    required: np.ndarray,
    prior: RangeResult | None = None,
) -> RangeResult:
    """Certified bounds an attacker can put on each target variable.

    Parameters
    ----------
    system
        The year's ``CountSystem``.
    published
        Bool per variable: its value is shown by at least one published cell.
    targets
        Distinct variable indices to bound (the sensitive counts).
    required
        Width each target's range must reach (the protection rule); a target is
        solved only until its range is certified this wide.
    prior
        Bounds certified for the same targets under a pattern that published a
        superset of what ``published`` shows. Hiding more only enlarges the
        attacker's feasible set, so those points stay feasible and their bounds
        stay certified: only targets not yet wide enough are solved again (the
        secondary suppression re-audits after each round this way).
    """
    targets = np.asarray(targets, dtype=int)
    required = np.asarray(required, dtype=float)
    x = system.x
    hidden = ~np.asarray(published, dtype=bool)
    if prior is None:
        lower, upper = x[targets].astype(float), x[targets].astype(float)
    else:
        lower, upper = prior.lower.copy(), prior.upper.copy()
    result = RangeResult(lower, upper, np.zeros(len(targets), dtype=bool))
    if prior is not None:
        result.n_lps_pattern = prior.n_lps_pattern
    open_ = (upper - lower) < required
    hidden_index = np.flatnonzero(hidden)
    column_of = np.full(len(x), -1)
    column_of[hidden_index] = np.arange(len(hidden_index))
    matrix = system.A.tocsc()
    b = -(matrix[:, ~hidden] @ x[~hidden])
    free_matrix = sparse.csr_matrix(matrix[:, hidden])
    fixed_matrix = sparse.csr_matrix(matrix[:, ~hidden])
    fixed_index = np.flatnonzero(~hidden)
    row_label, col_label = components_of(free_matrix)
    used = np.diff(free_matrix.indptr) > 0
    cap = 10.0 * max(float(x.max(initial=0.0)), 1e5)
    in_rows = np.diff(free_matrix.tocsc().indptr) > 0
    by_component: dict[int, list[int]] = {}
    for k in np.flatnonzero(open_):
        col = column_of[targets[k]]
        if col < 0:
            result.failed[k] = True  # published: known exactly
            result.limits[k] = np.array([targets[k]])
        elif not in_rows[col]:
            result.lower[k], result.upper[k] = 0.0, math.inf  # in no constraint
        else:
            by_component.setdefault(int(col_label[col]), []).append(int(k))
    if by_component:
        rows_of = _group(row_label[used], np.flatnonzero(used))
        cols_of = _group(col_label, np.arange(len(hidden_index)))
    for label, ks in by_component.items():
        ks = np.asarray(ks)
        found = _audit_component(
            free_matrix, b, system.equality, rows_of[label], cols_of[label], cap,
            column_of[targets[ks]], required[ks], lower[ks], upper[ks],
            fixed_matrix, fixed_index,
        )  # fmt: skip
        result.lower[ks], result.upper[ks] = found["lo"], found["hi"]
        result.n_lps += found["n_lps"]
        result.n_components += 1
        for j, limit in found["limits"].items():
            result.failed[ks[j]] = True
            result.limits[int(ks[j])] = limit
    result.n_lps_pattern += result.n_lps
    return result


def _group(labels: np.ndarray, members: np.ndarray) -> dict[int, np.ndarray]:
    order = np.argsort(labels, kind="stable")
    labels, members = labels[order], members[order]
    cuts = np.flatnonzero(np.diff(labels)) + 1
    return {
        int(chunk_labels[0]): chunk
        for chunk_labels, chunk in zip(
            np.split(labels, cuts), np.split(members, cuts), strict=True
        )
        if len(chunk)
    }


def _audit_component(
    free_matrix, b, equality, rows, cols, cap, target_cols, required, lo, hi,
    fixed_matrix, fixed_index,
) -> dict:  # fmt: skip
    local = np.full(free_matrix.shape[1], -1)
    local[cols] = np.arange(len(cols))
    sub = free_matrix[rows][:, cols].tocsc()
    eq = equality[rows]
    target_local = local[target_cols]
    comp = _ComponentLP(sub, np.where(eq, b[rows], -highspy.kHighsInf), b[rows], cap)
    targets = _Targets(
        cols=target_local,
        required=required,
        lo=np.asarray(lo, float),
        hi=np.asarray(hi, float),
    )
    failures, n_lps = _solve_component(comp, targets)
    limits = {}
    for k, duals in failures.items():
        binding = {
            int(rows[r]) for d in duals for r in np.flatnonzero(np.abs(d) > _TOL)
        }
        limits[k] = (
            fixed_index[np.unique(fixed_matrix[sorted(binding)].indices)]
            if binding
            else np.array([], dtype=int)
        )
    return {
        "lo": np.ceil(targets.lo - _TOL),
        "hi": np.floor(targets.hi + _TOL),
        "limits": limits,
        "n_lps": n_lps,
    }
