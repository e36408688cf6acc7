"""Hot and cold spots: spatial weights, rate smoothing, Getis-Ord Gi*, local and
global Moran's I, false-discovery-rate control, classes, trend tests and
emerging-hotspot categories.

Pure functions on numpy/pandas/geopandas (no Streamlit, no I/O). The spatial
statistics are computed by PySAL ``esda``; this package chooses the weights,
prepares the values, handles islands, missing and suppressed units, applies the
Benjamini-Hochberg correction and turns results into labels that the UI
translates. One statistic family per module, as pysal/esda does:

=================  ========================================================
module             contents
=================  ========================================================
:mod:`.weights`    weight-scheme registry :data:`WEIGHTS`, :func:`weights_for`
:mod:`.smoothing`  empirical-Bayes rates
:mod:`.getisord`   local Gi*
:mod:`.moran`      local and global Moran's I
:mod:`.fdr`        Benjamini-Hochberg adjustment
:mod:`.classes`    hot/cold and LISA classes
:mod:`.trend`      Mann-Kendall test
:mod:`.emerging`   Gi* panel and emerging-hotspot categories
:mod:`.analysis`   the Hotspots page's analysis of one indicator-year-level
=================  ========================================================

References
----------
.. [1] Rey, S. J. & Anselin, L. (2007). PySAL: A Python library of spatial
   analytical methods. The Review of Regional Studies 37(1), 5-27.
"""

from monitor.methods.hotspots._esda import PERMUTATIONS, SEED
from monitor.methods.hotspots.analysis import (
    EXCLUSION_REASONS,
    MIN_MEAN_NEIGHBOURS,
    MIN_UNITS,
    MIN_YEARS,
    REASONS,
    EmergingResult,
    HotspotResult,
    check_testable,
    emerging_analysis,
    hotspot_analysis,
    year_panel,
)
from monitor.methods.hotspots.classes import (
    CONFIDENCE_LEVELS,
    GSTAR_CLASSES,
    LISA_CLASSES,
    gstar_classes,
    lisa_classes,
)
from monitor.methods.hotspots.emerging import (
    EHSA_ALPHA,
    EMERGING_CATEGORIES,
    INSUFFICIENT_DATA,
    emerging_hotspot_category,
    emerging_hotspots,
    gstar_panel,
)
from monitor.methods.hotspots.fdr import benjamini_hochberg, bh_adjust
from monitor.methods.hotspots.getisord import local_gstar
from monitor.methods.hotspots.moran import (
    GlobalMoranResult,
    global_moran,
    local_moran,
)
from monitor.methods.hotspots.smoothing import empirical_bayes_rates
from monitor.methods.hotspots.trend import MannKendallResult, mann_kendall
from monitor.methods.hotspots.weights import (
    PROJECTED_CRS,
    WEIGHTS,
    WeightScheme,
    WeightsInfo,
    weights_for,
)

__all__ = [
    "CONFIDENCE_LEVELS",
    "EHSA_ALPHA",
    "EMERGING_CATEGORIES",
    "EXCLUSION_REASONS",
    "GSTAR_CLASSES",
    "INSUFFICIENT_DATA",
    "LISA_CLASSES",
    "MIN_MEAN_NEIGHBOURS",
    "MIN_UNITS",
    "MIN_YEARS",
    "PERMUTATIONS",
    "PROJECTED_CRS",
    "REASONS",
    "SEED",
    "WEIGHTS",
    "EmergingResult",
    "GlobalMoranResult",
    "HotspotResult",
    "MannKendallResult",
    "WeightScheme",
    "WeightsInfo",
    "benjamini_hochberg",
    "bh_adjust",
    "check_testable",
    "emerging_analysis",
    "emerging_hotspot_category",
    "emerging_hotspots",
    "empirical_bayes_rates",
    "global_moran",
    "gstar_classes",
    "gstar_panel",
    "hotspot_analysis",
    "lisa_classes",
    "local_gstar",
    "local_moran",
    "mann_kendall",
    "weights_for",
    "year_panel",
]
