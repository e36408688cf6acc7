"""Class breaks for choropleth maps.

One function, :func:`classify`, turns a vector of indicator values into map
classes with one of the schemes registered in :data:`SCHEMES`; it dispatches to
the scheme's classifier as mapclassify's ``classify`` does
(``_classify_API.py``: ``_classifiers[scheme](y, k)``). The scheme ids are
stable: they appear in links (query key ``klassen``) and must not change.

=================  ===================================  ======================
id                 method                               classes equal
=================  ===================================  ======================
``quantile``       equal counts per class               ``mapclassify.Quantiles``
``natural_breaks`` Fisher-Jenks optimal breaks          ``mapclassify.FisherJenks``
``equal_interval`` equal class widths, min to max       ``mapclassify.EqualInterval``
``std_mean``       classes of standard deviations       ``mapclassify.StdMean``
                   around the mean (Berlin MSS maps)    without its empty classes
``fixed``          user-given upper bounds              ``mapclassify.UserDefined``
``diverging``      equal widths symmetric around 0      own (:func:`diverging_breaks`)
                   for change maps
=================  ===================================  ======================

The breaks of the first three are computed here with mapclassify's own
arithmetic, vectorised with numpy (mapclassify's pure-Python Fisher-Jenks needs
2 s for 631 raster cells, its Quantiles sorts once per class): the tests compare
the class of every area of every demo map with mapclassify's ``yb``.

Values that are not finite (NaN for suppressed or missing values, also
infinities) are left out of the classification and get the class index ``-1``.

Notes
-----
Every class is the half-open interval ``(lower, upper]``; the first class is
closed at its lower end. ``bins`` are the upper bounds (the last one is the
maximum of the data, as in mapclassify), ``lower`` the lower bounds with
``lower[0]`` the minimum of the data. Breaks are used as computed: a natural
break is a data value (the largest of its class) and a quantile of tied values
is that value, so rounding a break, even in the 13th digit, can move an area
into the next class. Only the legend labels are rounded (:func:`class_labels`).

References
----------
.. [1] Rey, S. J., Arribas-Bel, D., Wolf, L. J. (2023). *Geographic Data
   Science with Python*, ch. 5 "Choropleth Mapping". CRC Press.
.. [2] mapclassify: https://pysal.org/mapclassify/ (pysal/mapclassify,
   ``classifiers.py``: ``quantile``, ``_fisher_jenks_means``,
   ``EqualInterval._set_bins``, ``bin1d``; ``_classify_API.py``).
.. [3] Fisher, W. D. (1958). On grouping for maximum homogeneity. *Journal of
   the American Statistical Association* 53(284), 789-798.
.. [4] Jenks, G. F. (1977). *Optimal data classification for choropleth maps*.
   Occasional paper 2, Department of Geography, University of Kansas.
.. [5] Slocum, T. A. et al. (2009). *Thematic Cartography and
   Geovisualization*, 3rd ed., ch. 5 (mean-standard deviation classification).
.. [6] Senatsverwaltung für Stadtentwicklung Berlin, Monitoring Soziale
   Stadtentwicklung: index indicator maps "mit Gruppenbildung nach
   Standardabweichung vom Mittelwert" and "mit äquidistanter Gruppenbildung"
   (daten.berlin.de, tag monitoring-soziale-stadtentwicklung).
.. [7] Brewer, C. A., Harrower, M. ColorBrewer 2.0 (at most 9 classes for
   sequential and diverging schemes), https://colorbrewer2.org
.. [8] scipy.stats.scoreatpercentile (interpolation ``"fraction"``), which
   mapclassify's quantiles call.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "DEFAULT_K",
    "DEFAULT_SCHEME",
    "FISHER_JENKS_MAX_N",
    "FISHER_JENKS_SAMPLE_N",
    "K_MAX",
    "K_MIN",
    "MAP_SCHEMES",
    "SCHEMES",
    "BreaksError",
    "Classification",
    "ClassificationNote",
    "Scheme",
    "class_labels",
    "classify",
    "diverging_breaks",
    "equal_interval_bins",
    "fisher_jenks_bins",
    "parse_breaks",
    "quantile_bins",
    "std_mean_multiples",
]

K_MIN = 2
"""Smallest number of classes a data-driven scheme accepts."""

K_MAX = 9
"""Largest number of classes (ColorBrewer palettes end at 9)."""

DEFAULT_K = 5
DEFAULT_SCHEME = "quantile"

FISHER_JENKS_MAX_N = 5_000
"""Up to this many finite values natural breaks are exact.

The dynamic programme is quadratic in n: 0.05 s for the 631 demo raster cells,
about 1 s for 5,000 values on the development machine; a million raster cells
would take hours, so above this the breaks come from a sample (note
``sampled``, shown in the legend).
"""

FISHER_JENKS_SAMPLE_N = 2_000
"""Evenly spaced order statistics (minimum and maximum included) natural breaks
are computed on above :data:`FISHER_JENKS_MAX_N` values (about 0.3 s)."""


@dataclass(frozen=True)
class ClassificationNote:
    """Something the caller should tell the user about a classification.

    Attributes
    ----------
    code : str
        Stable code for translation: ``"no_values"``, ``"all_equal"``,
        ``"k_reduced"``, ``"max_added"`` or ``"sampled"``.
    message : str
        English sentence.
    params : Mapping
        Numbers behind the message (e.g. ``k_requested``, ``k``, ``max``).
    """

    code: str
    message: str
    params: Mapping[str, Any] = field(default_factory=dict)


class BreaksError(ValueError):
    """Invalid user breaks; ``code`` and ``params`` allow a translated message.

    Codes: ``"empty"``, ``"invalid_number"``, ``"not_finite"``,
    ``"not_increasing"``, ``"too_many"``, ``"missing"``.
    """

    def __init__(self, message: str, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True, eq=False)
class Classification:
    """Result of :func:`classify`.

    Attributes
    ----------
    scheme : str
        Scheme id (key of :data:`SCHEMES`).
    k : int
        Actual number of classes (may be below ``k_requested``, see notes;
        0 when there is no finite value).
    bins : numpy.ndarray
        Upper bounds of the classes, increasing, shape ``(k,)``.
    lower : numpy.ndarray
        Lower bounds of the classes, shape ``(k,)``; ``lower[0]`` is the
        minimum of the data (``fixed``: the smaller of minimum and first break;
        ``diverging``: ``-bins[-1]``), ``lower[i] = bins[i - 1]`` otherwise.
    yb : numpy.ndarray
        Class index per input value (0-based), ``-1`` for values that are not
        finite.
    counts : numpy.ndarray
        Number of values per class, shape ``(k,)``.
    k_requested : int or None
        The ``k`` asked for (``None`` for ``fixed``).
    notes : tuple of ClassificationNote
        What changed against the request (k reduced, maximum added, ...).
    params : Mapping
        Scheme parameters worth showing: ``std_mean`` gives ``mean``, ``sd``,
        ``ddof`` and ``multiples``; ``diverging`` gives ``width``.

    All arrays are read-only.
    """

    scheme: str
    k: int
    bins: np.ndarray
    lower: np.ndarray
    yb: np.ndarray
    counts: np.ndarray
    k_requested: int | None = None
    notes: tuple[ClassificationNote, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_missing(self) -> int:
        """Number of values left out (not finite, class ``-1``)."""
        return int(np.count_nonzero(self.yb < 0))

    def note_codes(self) -> tuple[str, ...]:
        """Codes of :attr:`notes`, for quick checks."""
        return tuple(n.code for n in self.notes)


@dataclass(frozen=True)
class _Options:
    """What a classifier may need beyond the values and ``k``."""

    breaks: Any = None
    ddof: int = 0


@dataclass(frozen=True)
class _Breaks:
    """A classifier's answer: upper bounds, the first lower bound, notes,
    parameters worth showing, and why there may be fewer than ``k`` classes
    (``None``: a one-class answer that says so in its own note)."""

    bins: np.ndarray
    lower0: float
    notes: tuple[ClassificationNote, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)
    why_fewer: str | None = "coinciding breaks"


Classifier = Callable[[np.ndarray, "int | None", _Options], _Breaks]


@dataclass(frozen=True)
class Scheme:
    """Entry of the scheme registry.

    Attributes
    ----------
    id : str
        Stable id used in links (``klassen=<id>``).
    name_de, name_en : str
        Display names.
    mapclassify_class : str or None
        The mapclassify classifier whose classes this scheme equals (tested on
        every demo map), ``None`` when there is none.
    uses_k : bool
        Whether the number of classes ``k`` is taken from the caller.
    for_change : bool
        Scheme of change maps (not offered for a state map or in links).
    classifier : callable
        ``classifier(y, k, options)``: breaks for the finite values ``y``.
    """

    id: str
    name_de: str
    name_en: str
    mapclassify_class: str | None
    uses_k: bool
    for_change: bool
    classifier: Classifier = field(repr=False, compare=False)


# --------------------------------------------------------------------------
# helpers


def _check_k(k: Any) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise ValueError(f"k must be an integer between {K_MIN} and {K_MAX}, got {k!r}")
    k = int(k)
    if not K_MIN <= k <= K_MAX:
        raise ValueError(f"k must be between {K_MIN} and {K_MAX}, got {k}")
    return k


def _check_breaks(breaks: Any) -> np.ndarray:
    """Validate user breaks: non-empty, finite, strictly increasing, <= K_MAX."""
    if breaks is None:
        raise BreaksError("scheme 'fixed' needs breaks (upper bounds)", "missing")
    try:
        arr = np.asarray(breaks, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise BreaksError(
            f"breaks must be numbers, got {breaks!r}", "invalid_number"
        ) from exc
    if arr.size == 0:
        raise BreaksError("no breaks given", "empty")
    if not np.all(np.isfinite(arr)):
        raise BreaksError("breaks must be finite numbers", "not_finite")
    if arr.size > K_MAX:
        raise BreaksError(
            f"at most {K_MAX} breaks are allowed, got {arr.size}",
            "too_many",
            n=int(arr.size),
            k_max=K_MAX,
        )
    steps = np.diff(arr)
    if np.any(steps <= 0):
        i = int(np.argmax(steps <= 0))
        a, b = float(arr[i]), float(arr[i + 1])
        what = "duplicate" if a == b else "not increasing"
        raise BreaksError(
            f"breaks must be strictly increasing: {a:g} is followed by {b:g} ({what})",
            "not_increasing",
            position=i + 1,
            value=a,
            next_value=b,
        )
    return arr


def _n_distinct_capped(y: np.ndarray, cap: int) -> int:
    """Distinct values, exact below ``cap``; a large input usually shows ``cap``
    distinct values among its first few thousand, which spares sorting it."""
    if np.unique(y[:4096]).size >= cap:
        return cap
    return int(np.unique(y).size)


def _readonly(a: np.ndarray, dtype: Any) -> np.ndarray:
    out = np.array(a, dtype=dtype)
    out.flags.writeable = False
    return out


def _finish(
    scheme: str,
    x: np.ndarray,
    finite: np.ndarray,
    result: _Breaks,
    k_requested: int | None,
) -> Classification:
    """Assign classes by upper bounds: class i holds (bins[i-1], bins[i]], as
    mapclassify's ``bin1d``."""
    bins = np.asarray(result.bins, dtype=float)
    # classes of the finite values only (half the work of searching all of a
    # million values), counted before they are scattered back
    classes = np.searchsorted(bins, x[finite], side="left")
    counts = np.bincount(classes, minlength=bins.size)
    yb = np.full(x.shape, -1, dtype=int)
    yb[finite] = classes
    lower = np.concatenate([[result.lower0], bins[:-1]]) if bins.size else bins
    notes = list(result.notes)
    if k_requested is not None and result.why_fewer and bins.size < k_requested:
        notes.append(_k_reduced(k_requested, int(bins.size), result.why_fewer))
    yb.flags.writeable = False
    counts.flags.writeable = False
    return Classification(
        scheme=scheme,
        k=int(bins.size),
        bins=_readonly(bins, float),
        lower=_readonly(lower, float),
        yb=yb,
        counts=counts,
        k_requested=k_requested,
        notes=tuple(notes),
        params=MappingProxyType(dict(result.params)),
    )


def _k_reduced(k_requested: int, k: int, why: str) -> ClassificationNote:
    return ClassificationNote(
        "k_reduced",
        f"{k} classes instead of {k_requested}: {why}",
        {"k_requested": k_requested, "k": k},
    )


_NO_VALUES = _Breaks(
    np.empty(0),
    np.nan,
    (ClassificationNote("no_values", "no finite value to classify"),),
    why_fewer=None,
)


def _one_class(y: np.ndarray) -> _Breaks | None:
    """No finite value (``k = 0``) or all values equal (one class ``[v, v]``):
    the answer of every data-driven scheme; ``None`` otherwise."""
    if y.size == 0:
        return _NO_VALUES
    ymin, ymax = float(y.min()), float(y.max())
    if ymin < ymax:
        return None
    note = ClassificationNote(
        "all_equal", f"all values are equal ({ymin:g})", {"value": ymin}
    )
    return _Breaks(np.array([ymin]), ymin, (note,), why_fewer=None)


def _data_driven(fn: Classifier) -> Classifier:
    """Wrap a classifier of at least two distinct values with :func:`_one_class`."""

    @functools.wraps(fn)
    def classifier(y: np.ndarray, k: int | None, options: _Options) -> _Breaks:
        return _one_class(y) or fn(y, k, options)

    return classifier


def _distinct_k(y: np.ndarray, k: int) -> tuple[int, str]:
    """``k`` reduced to the number of distinct values, and the reason."""
    n_unique = _n_distinct_capped(y, k)
    if n_unique < k:
        return n_unique, f"only {n_unique} distinct values"
    return k, "coinciding breaks"


# --------------------------------------------------------------------------
# breaks as mapclassify computes them


def quantile_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` quantile classes, as ``mapclassify.Quantiles``.

    Parameters
    ----------
    y : numpy.ndarray
        Finite values.
    k : int
        Number of classes.

    Returns
    -------
    numpy.ndarray
        The distinct values among the percentiles ``100 i / k``
        (``i = 1 .. k``); fewer than ``k`` when ties make quantiles coincide.

    Notes
    -----
    mapclassify's ``quantile`` calls ``scipy.stats.scoreatpercentile`` once
    per class, which sorts all values each time and interpolates as
    ``(a (j - h) + b (h - i)) / ((j - h) + (h - i))`` at ``h = p (n - 1) /
    100``. The same expression is evaluated here on the two order statistics
    each percentile needs, found with one ``np.partition`` (15 ms instead of
    0.56 s for a million values), so the breaks are equal to the last bit and
    areas with a value on a break fall in the same class.
    """
    y = np.asarray(y, dtype=float).ravel()
    w = 100.0 / k
    p = np.arange(w, 100 + w, w)
    if p[-1] > 100.0:
        p[-1] = 100.0
    h = p / 100.0 * (y.size - 1)
    i = h.astype(int)
    j = np.minimum(i + 1, y.size - 1)
    part = np.partition(y, np.unique(np.concatenate([i, j])))
    exact = i == h
    w_lo = (i + 1) - h
    w_hi = h - i
    mixed = (part[i] * w_lo + part[j] * w_hi) / (w_lo + w_hi)
    return np.unique(np.where(exact, part[i], mixed))


def equal_interval_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of ``k`` classes of equal width from min to max.

    The arithmetic of ``mapclassify.EqualInterval._set_bins`` (``np.arange``
    of the width, last bound the maximum). Its constructor also iterates the
    values in Python for fit statistics (1.1 s for a million values), which a
    map does not need.
    """
    ymin, ymax = float(np.min(y)), float(np.max(y))
    width = (ymax - ymin) * 1.0 / k
    cuts = np.arange(ymin + width, ymax + width, width)
    if len(cuts) > k:  # arange can overshoot by one
        cuts = cuts[:k]
    cuts[-1] = ymax
    return cuts


def fisher_jenks_bins(y: np.ndarray, k: int) -> np.ndarray:
    """Exact Fisher-Jenks natural breaks, as ``mapclassify.FisherJenks``.

    Parameters
    ----------
    y : numpy.ndarray
        Finite values, at least ``k`` distinct ones.
    k : int
        Number of classes.

    Returns
    -------
    numpy.ndarray
        ``k`` upper bounds; each is the largest value of its class.

    Notes
    -----
    Fisher's dynamic programme [3]_: the least sum of squared deviations of
    the first ``l`` sorted values in ``j`` classes is the minimum over the
    start ``i`` of the last class of the cost of ``j - 1`` classes for the
    values before ``i`` plus the squared deviations of values ``i .. l``.
    This is mapclassify's ``_fisher_jenks_means`` with its inner loop over
    ``i`` and ``j`` done by numpy: the same float32 sums (accumulated from
    ``l`` down to ``i``), the same comparison (a tie goes to the smallest
    ``i``) and the same backtracking, so the breaks are equal to mapclassify's
    to the last bit (tested), in O(n^2 k) array operations instead of Python
    steps.
    """
    x = np.sort(np.asarray(y, dtype=float).ravel())
    n = x.size
    x32 = x.astype(np.float32)
    squares = x32 * x32
    counts = np.arange(1, n + 1, dtype=np.float32)
    # cost[j, l]: least squared deviations of the first l values in j + 1
    # classes; start[j, l]: 1-based position where its last class starts
    cost = np.full((k, n + 1), np.inf, dtype=np.float32)
    cost[:, :2] = 0.0
    start = np.ones((k, n + 1), dtype=np.int64)
    rows = np.arange(k - 1)
    for end in range(2, n + 1):
        s1 = np.cumsum(x32[end - 1 :: -1])
        s2 = np.cumsum(squares[end - 1 :: -1])
        ssd = (s2 - (s1 * s1) / counts[:end])[::-1]  # ssd[i - 1]: values i..end
        if k > 1:
            candidates = ssd[1:] + cost[: k - 1, 1:end]
            best = np.argmin(candidates, axis=1)
            cost[1:, end] = candidates[rows, best]
            start[1:, end] = best + 2
        cost[0, end] = ssd[0]
    bins = np.empty(k)
    bins[-1] = x[-1]
    end = n
    for j in range(k - 1, 0, -1):
        first = int(start[j, end])
        bins[j - 1] = x[first - 2]
        end = first - 1
    return bins


def _evenly_ranked(y: np.ndarray, n: int) -> np.ndarray:
    """``n`` order statistics evenly spaced by rank, minimum and maximum
    included."""
    ys = np.sort(y)
    return ys[np.round(np.linspace(0, ys.size - 1, n)).astype(int)]


def std_mean_multiples(k: int) -> tuple[float, ...]:
    """Multiples of the standard deviation used as breaks by ``std_mean``.

    Parameters
    ----------
    k : int
        Requested number of classes, ``K_MIN <= k <= K_MAX``.

    Returns
    -------
    tuple of float
        ``k - 1`` multiples ``m``; the breaks are ``mean + m * sd``.

    Notes
    -----
    Odd ``k``: ``±1, ±2, ...`` – the middle class is "within one standard
    deviation of the mean" (two SD wide), the others one SD wide; ``k = 5``
    gives ``(-2, -1, 1, 2)``, the default of ``mapclassify.StdMean``.
    Even ``k``: ``0, ±1, ±2, ...`` – the mean itself is a break and every
    inner class is one SD wide; ``k = 4`` gives ``(-1, 0, 1)``.

    Examples
    --------
    >>> std_mean_multiples(3)
    (-1.0, 1.0)
    >>> std_mean_multiples(6)
    (-2.0, -1.0, 0.0, 1.0, 2.0)
    """
    k = _check_k(k)
    if k % 2:
        half = [float(i) for i in range(1, (k - 1) // 2 + 1)]
        return tuple([-m for m in reversed(half)] + half)
    h = k // 2 - 1
    return tuple(float(i) for i in range(-h, h + 1))


def _nice_ceil(w: float) -> float:
    """Smallest of 1, 2, 2.5, 5 (times a power of ten) that is >= w."""
    e = math.floor(math.log10(w))
    base = 10.0**e
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        cand = round(step * base, 12)
        if cand >= w * (1 - 1e-12):
            return cand
    return round(10.0 * base, 12)  # pragma: no cover - loop always returns


def diverging_breaks(values: Any, k: int = DEFAULT_K, nice: bool = True) -> np.ndarray:
    """Upper bounds of ``k`` equal-width classes symmetric around 0.

    For change maps (percentage points): the colour ramp diverges at 0, so the
    classes must be symmetric whatever the data's skew.

    Parameters
    ----------
    values : array_like
        Values; non-finite ones are ignored.
    k : int
        Number of classes, ``K_MIN <= k <= K_MAX``.
    nice : bool, default True
        Round the class width up to 1, 2, 2.5 or 5 times a power of ten, which
        gives readable legends (the outer classes then reach beyond the data).

    Returns
    -------
    numpy.ndarray
        ``k`` upper bounds ``(i + 1 - k/2) * w`` for ``i = 0 .. k-1``; the lower
        bound of the first class is ``-bins[-1]``. With even ``k`` 0 is a
        break; with odd ``k`` the middle class ``(-w/2, w/2]`` holds "no
        change". If every value is 0 the result is ``[0.0]`` (one class).

    Raises
    ------
    ValueError
        If ``k`` is out of range or there is no finite value.

    Notes
    -----
    ``M = max |x|``; the width is ``w = 2 M / k`` (``nice``: rounded up), so
    the outermost bounds ``±k w / 2`` cover ``[-M, M]``.

    Examples
    --------
    >>> diverging_breaks([-1.0, 3.7], k=4).tolist()   # w = 1.85 -> 2
    [-2.0, 0.0, 2.0, 4.0]
    >>> diverging_breaks([-1.0, 3.7], k=5).tolist()   # w = 1.48 -> 2
    [-3.0, -1.0, 1.0, 3.0, 5.0]
    """
    k = _check_k(k)
    x = np.asarray(values, dtype=float).ravel()
    x = x[np.isfinite(x)]
    if x.size == 0:
        raise ValueError("diverging_breaks needs at least one finite value")
    m = float(np.max(np.abs(x)))
    if m == 0.0:
        return np.array([0.0])
    w = 2.0 * m / k
    if nice:
        w = _nice_ceil(w)
    bins = np.round((np.arange(k) + 1 - k / 2) * w, 12)
    if not nice:
        bins[-1] = m  # exact cover despite rounding
    return bins


# --------------------------------------------------------------------------
# the classifiers of the registry


@_data_driven
def _quantile(y: np.ndarray, k: int | None, _options: _Options) -> _Breaks:
    """Equal counts per class."""
    k_eff, why = _distinct_k(y, int(k))
    bins = quantile_bins(y, k_eff)
    if bins.size < k_eff:
        why = "tied values make quantiles coincide"
    return _Breaks(bins, float(y.min()), why_fewer=why)


@_data_driven
def _natural_breaks(y: np.ndarray, k: int | None, _options: _Options) -> _Breaks:
    """Fisher-Jenks, exact up to FISHER_JENKS_MAX_N values, else on a sample."""
    k_eff, why = _distinct_k(y, int(k))
    sample, notes = y, ()
    if y.size > FISHER_JENKS_MAX_N:
        sample = _evenly_ranked(y, FISHER_JENKS_SAMPLE_N)
        notes = (
            ClassificationNote(
                "sampled",
                f"natural breaks computed on {FISHER_JENKS_SAMPLE_N} of "
                f"{y.size} values (evenly spaced by rank)",
                {"n_sample": FISHER_JENKS_SAMPLE_N, "n": int(y.size)},
            ),
        )
        n_sample_unique = int(np.unique(sample).size)
        if n_sample_unique < k_eff:
            k_eff = n_sample_unique
            why = f"only {n_sample_unique} distinct values in the sample"
    bins = np.unique(fisher_jenks_bins(sample, k_eff))
    return _Breaks(bins, float(y.min()), notes, why_fewer=why)


@_data_driven
def _equal_interval(y: np.ndarray, k: int | None, _options: _Options) -> _Breaks:
    """Equal class widths from minimum to maximum."""
    k_eff, why = _distinct_k(y, int(k))
    bins = np.unique(equal_interval_bins(y, k_eff))
    return _Breaks(bins, float(y.min()), why_fewer=why)


@_data_driven
def _std_mean(y: np.ndarray, k: int | None, options: _Options) -> _Breaks:
    """Breaks ``mean + m * sd`` inside the data range, then the maximum."""
    ddof = options.ddof
    if isinstance(ddof, bool) or not isinstance(ddof, int | np.integer) or ddof < 0:
        raise ValueError(f"ddof must be a non-negative integer, got {ddof!r}")
    if y.size - ddof <= 0:
        raise ValueError(f"std_mean needs more than {ddof} values for ddof={ddof}")
    mean = float(np.mean(y))
    sd = float(np.std(y, ddof=ddof))
    ymin, ymax = float(y.min()), float(y.max())
    multiples = std_mean_multiples(int(k))
    cuts = [mean + m * sd for m in multiples]
    inside = [(m, c) for m, c in zip(multiples, cuts, strict=True) if ymin <= c < ymax]
    params = {
        "mean": mean,
        "sd": sd,
        "ddof": int(ddof),
        "multiples": tuple(m for m, _ in inside),
    }
    return _Breaks(
        np.array([c for _, c in inside] + [ymax]),
        ymin,
        params=params,
        why_fewer="standard-deviation classes beyond the data range are left out",
    )


def _diverging(y: np.ndarray, k: int | None, _options: _Options) -> _Breaks:
    """Equal widths symmetric around 0 (change maps)."""
    if y.size == 0:
        return _NO_VALUES
    bins = diverging_breaks(y, int(k))
    if bins.size == 1:
        note = ClassificationNote("all_equal", "all values are 0", {"value": 0.0})
        return _Breaks(bins, 0.0, (note,), why_fewer=None)
    width = float(bins[1] - bins[0])
    return _Breaks(bins, -float(bins[-1]), params={"width": width})


def _fixed(y: np.ndarray, _k: int | None, options: _Options) -> _Breaks:
    """The user's upper bounds; the maximum is added when they end below it."""
    bins = _check_breaks(options.breaks)
    if y.size == 0:
        return _Breaks(bins, float(bins[0]), _NO_VALUES.notes)
    ymin, ymax = float(y.min()), float(y.max())
    if ymax <= bins[-1]:
        return _Breaks(bins, min(ymin, float(bins[0])))
    if bins.size + 1 > K_MAX:
        raise BreaksError(
            f"the breaks end at {bins[-1]:g} below the maximum {ymax:g}; "
            f"adding the maximum would give {bins.size + 1} classes, at most "
            f"{K_MAX} are allowed: give a last break >= {ymax:g} or fewer "
            "breaks",
            "too_many",
            n=int(bins.size) + 1,
            k_max=K_MAX,
            max=ymax,
        )
    note = ClassificationNote(
        "max_added",
        f"the breaks end below the maximum; {ymax:g} was added as the last upper bound",
        {"max": ymax, "last_break": float(bins[-1])},
    )
    return _Breaks(np.append(bins, ymax), min(ymin, float(bins[0])), (note,))


SCHEMES: Mapping[str, Scheme] = MappingProxyType(
    {
        s.id: s
        for s in (
            Scheme(
                "quantile", "Quantile", "Quantiles", "Quantiles", True, False, _quantile
            ),
            Scheme(
                "natural_breaks",
                "Natürliche Brüche (Jenks)",
                "Natural breaks (Jenks)",
                "FisherJenks",
                True,
                False,
                _natural_breaks,
            ),
            Scheme(
                "equal_interval",
                "Gleiche Intervalle",
                "Equal intervals",
                "EqualInterval",
                True,
                False,
                _equal_interval,
            ),
            Scheme(
                "std_mean",
                "Standardabweichung vom Mittelwert",
                "Standard deviations from the mean",
                None,
                True,
                False,
                _std_mean,
            ),
            Scheme(
                "fixed",
                "Feste Grenzen",
                "Fixed breaks",
                "UserDefined",
                False,
                False,
                _fixed,
            ),
            Scheme(
                "diverging",
                "Symmetrisch um 0 (Veränderung)",
                "Symmetric around 0 (change)",
                None,
                True,
                True,
                _diverging,
            ),
        )
    }
)
"""Registry of classification schemes, keyed by their stable id."""

MAP_SCHEMES: tuple[str, ...] = tuple(s.id for s in SCHEMES.values() if not s.for_change)
"""Schemes of a state map, in registry order (the link values of ``klassen``)."""


# --------------------------------------------------------------------------
# the registry function


def classify(
    values: Any,
    scheme: str = DEFAULT_SCHEME,
    k: int = DEFAULT_K,
    breaks: Sequence[float] | None = None,
    *,
    ddof: int = 0,
) -> Classification:
    """Classify values for a choropleth map.

    Parameters
    ----------
    values : array_like
        One value per area; NaN (suppressed or missing) and infinities are
        allowed and get class ``-1``.
    scheme : str
        Id from :data:`SCHEMES`.
    k : int, default 5
        Number of classes, ``K_MIN <= k <= K_MAX``; ignored (and not checked)
        for ``fixed``.
    breaks : sequence of float, optional
        Upper bounds for ``fixed`` (strictly increasing, at most ``K_MAX``);
        ignored by the other schemes. :func:`parse_breaks` reads typed text.
    ddof : int, default 0
        Delta degrees of freedom of the standard deviation for ``std_mean``
        (0: population SD, as the deprivation index uses; 1: sample SD, as
        ``mapclassify.StdMean``).

    Returns
    -------
    Classification

    Raises
    ------
    ValueError
        Unknown scheme, ``k`` out of range, or invalid ``breaks``
        (:class:`BreaksError`, also when the breaks do not cover the maximum
        and adding it would exceed ``K_MAX`` classes).

    Notes
    -----
    Edge cases, each reported in ``notes``:

    - no finite value: ``k = 0`` and empty bins (``fixed``: the user classes
      with zero counts) – code ``no_values``;
    - all finite values equal (not ``fixed``/``diverging``): one class
      ``[v, v]`` – code ``all_equal``;
    - fewer distinct values than ``k`` (``quantile``, ``natural_breaks``,
      ``equal_interval``): ``k`` is reduced to the number of distinct values;
      ``quantile`` also reduces ``k`` when ties make quantiles coincide – code
      ``k_reduced``;
    - ``std_mean``: breaks ``mean + m * sd`` with the multiples ``m`` of
      :func:`std_mean_multiples`; breaks outside ``[min, max)`` are dropped
      (a class beyond the data would be empty and its legend entry would
      invert), then ``max`` closes the last class – code ``k_reduced`` when
      breaks were dropped. With ``ddof = 1`` the classes are those of
      ``mapclassify.StdMean`` with the same multiples, without its empty ones;
    - ``fixed`` breaks below the maximum: the maximum is added as the last
      upper bound – code ``max_added``;
    - ``natural_breaks`` with more than :data:`FISHER_JENKS_MAX_N` values: the
      breaks are computed on :data:`FISHER_JENKS_SAMPLE_N` evenly spaced order
      statistics – code ``sampled``.

    Breaks are not rounded (see the module notes); the last one is the
    maximum.

    Examples
    --------
    >>> c = classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "quantile", 5)
    >>> class_labels(c)  # bins as computed (2.8000000000000003 ...), labels rounded
    ['1 – 2.8', '2.8 – 4.6', '4.6 – 6.4', '6.4 – 8.2', '8.2 – 10']
    >>> c.counts.tolist()
    [2, 2, 2, 2, 2]
    """
    spec = SCHEMES.get(scheme) if isinstance(scheme, str) else None
    if spec is None:
        raise ValueError(
            f"unknown classification scheme {scheme!r}; known: " + ", ".join(SCHEMES)
        )
    k_checked = _check_k(k) if spec.uses_k else None
    x = np.asarray(values, dtype=float).ravel()
    finite = np.isfinite(x)
    result = spec.classifier(x[finite], k_checked, _Options(breaks, ddof))
    return _finish(spec.id, x, finite, result, k_checked)


# --------------------------------------------------------------------------
# labels and parsing


def _default_fmt(v: float) -> str:
    return f"{v:g}"


def class_labels(
    classification: Classification,
    fmt: Callable[[float], str] | None = None,
    sep: str = " – ",
) -> list[str]:
    """Legend labels ``"<lower> – <upper>"``, one per class.

    Parameters
    ----------
    classification : Classification
    fmt : callable, optional
        Formats one number (the UI passes its German formatter, e.g.
        ``12.3 -> "12,3"``); default ``format(v, "g")``.
    sep : str, default ``" – "`` (en dash with spaces)

    Returns
    -------
    list of str
        ``fmt(lower[i]) + sep + fmt(bins[i])``; a class whose two formatted
        bounds are equal is labelled with the single value.

    Examples
    --------
    >>> c = classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "equal_interval", 3)
    >>> class_labels(c, lambda v: f"{v:.1f}".replace(".", ","))
    ['1,0 – 4,0', '4,0 – 7,0', '7,0 – 10,0']
    """
    fmt = fmt or _default_fmt
    labels = []
    for lo, hi in zip(classification.lower, classification.bins, strict=True):
        a, b = fmt(float(lo)), fmt(float(hi))
        labels.append(b if a == b else f"{a}{sep}{b}")
    return labels


_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")


def parse_breaks(text: str) -> list[float]:
    """Parse typed class breaks such as ``"5; 10,5; 20"`` or ``"5, 10.5, 20"``.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of float
        The breaks in the order typed; they must be strictly increasing.

    Raises
    ------
    BreaksError
        (a ``ValueError``) with ``code`` ``"empty"``, ``"invalid_number"``,
        ``"not_increasing"`` or ``"too_many"`` and a message naming the
        offending part.

    Notes
    -----
    The rule (unambiguous, German decimal comma allowed):

    1. A comma **between two digits** is a decimal comma (``10,5`` = 10.5).
    2. Every other comma, every semicolon and any whitespace **separates**
       values (``5, 10.5, 20`` and ``5; 10,5; 20`` and ``5 10,5 20`` all give
       ``[5, 10.5, 20]``).
    3. A point is always a decimal point. A value has at most one decimal
       mark, so thousands separators are rejected (``1.234,5`` is an error;
       type ``1234,5``); ``5,10,20`` is rejected as ambiguous (write
       ``5; 10; 20`` or ``5, 10, 20``).
    4. A leading ``-``, ``+`` or the typographic minus ``−`` is a sign; ``%``
       signs are ignored.

    Consequence of rule 1: ``5,10`` is the single value 5.1 (German reading).

    Examples
    --------
    >>> parse_breaks("5; 10,5; 20")
    [5.0, 10.5, 20.0]
    >>> parse_breaks("5, 10.5, 20")
    [5.0, 10.5, 20.0]
    >>> parse_breaks("−2; 0; 2 %")
    [-2.0, 0.0, 2.0]
    """
    if not isinstance(text, str):
        raise BreaksError(
            f"breaks must be text, got {type(text).__name__}", "invalid_number"
        )
    cleaned = text.replace("\u2212", "-").replace("%", " ")
    cleaned = _DECIMAL_COMMA.sub("\x00", cleaned)  # protect decimal commas
    tokens = [t for t in re.split(r"[;,\s]+", cleaned) if t]
    if not tokens:
        raise BreaksError("no breaks given", "empty")
    out: list[float] = []
    for raw in tokens:
        shown = raw.replace("\x00", ",")
        if raw.count("\x00") + raw.count(".") > 1:
            hint = (
                "thousands separators are not allowed"
                if "." in raw and "\x00" in raw
                else "separate values with ';' or ', '"
            )
            raise BreaksError(
                f"{shown!r} is not a number ({hint})",
                "invalid_number",
                token=shown,
            )
        token = raw.replace("\x00", ".")
        if not _NUMBER.fullmatch(token):
            raise BreaksError(
                f"{shown!r} is not a number", "invalid_number", token=shown
            )
        out.append(float(token.replace(",", ".")))
    _check_breaks(out)
    return out
