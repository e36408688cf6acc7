"""Hot and cold spots: spatial weights, rate smoothing, Getis-Ord Gi*, local and
global Moran's I, false-discovery-rate control, classes, trend tests and
emerging-hotspot categories.

Pure functions on numpy/pandas/geopandas (no Streamlit, no I/O). The spatial
statistics are computed by PySAL ``esda``; this package chooses the weights,
prepares the values, handles islands, missing and suppressed units, applies the
Benjamini-Hochberg correction and turns results into labels that the UI
translates. One statistic family per module, as pysal/esda does:

===================  =======================================================
module               contents
===================  =======================================================
:mod:`.weights`      weight-scheme registry :data:`WEIGHTS`, :func:`weights_for`
:mod:`.smoothing`    empirical-Bayes rates
:mod:`.getisord`     local Gi* of a map and of a space-time cube
:mod:`.moran`        local and global Moran's I
:mod:`.fdr`          Benjamini-Hochberg adjustment, reachable levels
:mod:`.testability`  enough units, neighbours and coverage of the city
:mod:`.classes`      hot/cold and LISA classes
:mod:`.trend`        Mann-Kendall test
:mod:`.spacetime`    space-time weights over the (area, year) cube
:mod:`.emerging`     emerging-hotspot categories
:mod:`.analysis`     the Hotspots page's analysis of one indicator-year-level
:mod:`.panel`        the Hotspots page's analysis over all years
===================  =======================================================

References
----------
.. [1] Rey, S. J. & Anselin, L. (2007). PySAL: A Python library of spatial
   analytical methods. The Review of Regional Studies 37(1), 5-27.
"""

import importlib

# name -> submodule; the public names of the package are those of its submodules
# (their __all__, checked by a test). A name loads its submodule on first use,
# so `import monitor.methods.hotspots` is cheap and the registry ids, rules and
# constants load without esda, libpysal or scipy.
_SUBMODULES = {
    "EXCLUSION_REASONS": "analysis",
    "REASONS": "analysis",
    "HotspotResult": "analysis",
    "hotspot_analysis": "analysis",
    "CONFIDENCE_LEVELS": "classes",
    "GSTAR_CLASSES": "classes",
    "LISA_CLASSES": "classes",
    "gstar_class_ids": "classes",
    "gstar_classes": "classes",
    "lisa_classes": "classes",
    "reachable_levels": "classes",
    "EHSA_ALPHA": "emerging",
    "EMERGING_CATEGORIES": "emerging",
    "INSUFFICIENT_DATA": "emerging",
    "emerging_hotspot_category": "emerging",
    "emerging_hotspots": "emerging",
    "bin_classes": "emerging",
    "PERMUTATION_STEPS": "fdr",
    "benjamini_hochberg": "fdr",
    "bh_adjust": "fdr",
    "min_p_value": "fdr",
    "permutations_for": "fdr",
    "reachable": "fdr",
    "significant": "fdr",
    "PERMUTATIONS": "_checks",
    "SEED": "_checks",
    "gstar_panel": "getisord",
    "local_gstar": "getisord",
    "QUADRANTS": "moran",
    "GlobalMoranResult": "moran",
    "global_moran": "moran",
    "local_moran": "moran",
    "EmergingResult": "panel",
    "emerging_analysis": "panel",
    "panel_coverage": "panel",
    "year_panel": "panel",
    "empirical_bayes_rates": "smoothing",
    "TIME_LAG": "spacetime",
    "check_time_lag": "spacetime",
    "spacetime_weights": "spacetime",
    "MAX_CUBE_DRAWS": "testability",
    "MIN_COVERAGE": "testability",
    "MIN_MEAN_NEIGHBOURS": "testability",
    "MIN_UNITS": "testability",
    "MIN_YEARS": "testability",
    "CityTotals": "testability",
    "Coverage": "testability",
    "check_testable": "testability",
    "city_totals": "testability",
    "coverage_of": "testability",
    "MannKendallResult": "trend",
    "mann_kendall": "trend",
    "BAND_TOLERANCE": "weights",
    "DEFAULT_K": "weights",
    "GRID_BAND_CELLS": "weights",
    "PROJECTED_CRS": "weights",
    "WEIGHTS": "weights",
    "WeightScheme": "weights",
    "WeightsInfo": "weights",
    "area_ids": "weights",
    "grid_cell_size": "weights",
    "subset": "weights",
    "weight_options": "weights",
    "weights_for": "weights",
}

__all__ = sorted(_SUBMODULES)


def __getattr__(name: str):
    module = _SUBMODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
