"""Bivariate map classes: 3 x 3 classes from the terciles of two indicators.

A bivariate choropleth shows where two indicators are both high (or one high and
one low) in one map, with a 3 x 3 colour legend [1]. Each indicator is cut into
terciles by the project's ``quantile`` scheme (:func:`monitor.methods.classification.
classify`, i.e. ``mapclassify.Quantiles``: upper bounds inclusive, ties in the same
class as mapclassify puts them), computed over the areas where both indicators
have a value, so that the legend's rows and columns describe the areas on the map.

Class index ``3 * y_class + x_class`` (0 = low/low, 2 = x high/y low, 6 = x
low/y high, 8 = high/high); ``-1`` where either value is suppressed or missing.

References
----------
.. [1] Stevens, J. (2015). Bivariate Choropleth Maps: A How-to Guide.
   https://www.joshuastevens.net/cartography/make-a-bivariate-choropleth-map/
.. [2] Rey, S. J., Arribas-Bel, D., Wolf, L. J. (2023). *Geographic Data Science
   with Python*, ch. 5 (quantile classification). CRC Press.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from monitor.methods.classification import Classification, classify

__all__ = ["N_CLASSES", "BivariateClasses", "bivariate_classes"]

N_CLASSES = 3
"""Classes per indicator (terciles); the map has N_CLASSES ** 2 classes."""

# When ties leave fewer than three distinct terciles the remaining classes keep
# their meaning: two classes are "low" and "high", one class is "middle".
_SPREAD = {1: (1,), 2: (0, 2), 3: (0, 1, 2)}


@dataclass(frozen=True, eq=False)
class BivariateClasses:
    """Result of :func:`bivariate_classes`.

    Attributes
    ----------
    index : numpy.ndarray
        Class 0..8 per area (``3 * y_class + x_class``), -1 for missing.
    x_class, y_class : numpy.ndarray
        Tercile 0 (low), 1, 2 (high) per indicator, -1 for missing.
    x, y : Classification
        The tercile classifications (breaks for the legend axes; ``k`` below 3
        with the note ``k_reduced`` when ties make terciles coincide).
    counts : numpy.ndarray
        Areas per class, shape (3, 3), rows ``y_class``, columns ``x_class``.
    """

    index: np.ndarray
    x_class: np.ndarray
    y_class: np.ndarray
    x: Classification
    y: Classification
    counts: np.ndarray

    @property
    def n_missing(self) -> int:
        return int(np.count_nonzero(self.index < 0))


def _terciles(values: np.ndarray, complete: np.ndarray) -> tuple[Classification, ...]:
    """Tercile classification of the complete pairs, scattered back (-1 elsewhere),
    with reduced classes spread to keep "low" and "high"."""
    c = classify(values[complete], "quantile", N_CLASSES)
    out = np.full(values.shape, -1, dtype=int)
    if c.k:
        out[complete] = np.asarray(_SPREAD[c.k])[c.yb]
    return out, c


def bivariate_classes(x, y) -> BivariateClasses:
    """3 x 3 classes from the terciles of ``x`` (columns) and ``y`` (rows).

    Parameters
    ----------
    x, y : array_like
        One value per area, same order; NaN for suppressed or missing.

    Returns
    -------
    BivariateClasses

    Raises
    ------
    ValueError
        If ``x`` and ``y`` differ in length.

    Examples
    --------
    >>> b = bivariate_classes([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, float("nan")])
    >>> b.index.tolist()
    [6, 6, 4, 2, 2, -1]
    """
    a = np.asarray(x, dtype=float).ravel()
    b = np.asarray(y, dtype=float).ravel()
    if a.shape != b.shape:
        raise ValueError(f"x and y differ in length: {a.size} and {b.size}")
    complete = np.isfinite(a) & np.isfinite(b)
    x_class, cx = _terciles(a, complete)
    y_class, cy = _terciles(b, complete)
    index = np.where(complete, N_CLASSES * y_class + x_class, -1)
    counts = np.zeros((N_CLASSES, N_CLASSES), dtype=int)
    np.add.at(counts, (y_class[complete], x_class[complete]), 1)
    for arr in (index, x_class, y_class, counts):
        arr.flags.writeable = False
    return BivariateClasses(index, x_class, y_class, cx, cy, counts)
