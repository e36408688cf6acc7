"""The sentences of the Hotspots page: the analysis' numbers in the words of the
locale files (monitor/locales/*/hotspots.yaml), so that the page says exactly
what the code did (coverage, smoothing target, permutations, reachable levels)."""

from __future__ import annotations

from collections.abc import Sequence

from monitor.formatting import fmt_number, fmt_value
from monitor.i18n import t
from monitor.methods import hotspots as hs

__all__ = [
    "coverage_params",
    "emerging_refusal",
    "floor_params",
    "levels_text",
    "pct",
    "refusal",
    "smoothing_caption",
]


def pct(share: float, lang: str, decimals: int = 1) -> str:
    """A share (0.305) as a percentage ("30,5 %")."""
    return fmt_value(100 * share, "percent", lang, decimals=decimals)


def levels_text(levels: Sequence[float], lang: str) -> str:
    """Confidence levels as "90 %, 95 %"."""
    return ", ".join(pct(level, lang, 0) for level in levels)


def coverage_params(cov: hs.Coverage, ind, lang: str) -> dict:
    """Placeholders of the coverage sentences."""
    base = (
        ind.text("denominator", lang) if ind.is_rate else t("hotspots.base_count", lang)
    )
    return {
        "share": pct(cov.share, lang),
        "min": pct(hs.MIN_COVERAGE, lang, 0),
        "base": base,
        "covered": fmt_number(cov.covered, lang, 0),
        "total": fmt_number(cov.total, lang, 0),
        "n": fmt_number(cov.n_units, lang, 0),
    }


def floor_params(params: dict, lang: str) -> dict:
    """Permutations, tests and the smallest BH-adjusted p of one unit."""
    pmin = hs.min_p_value(params["permutations"])
    n = params["n_tests"]
    return {
        "perms": fmt_number(params["permutations"], lang, 0),
        "n": fmt_number(n, lang, 0),
        "pmin": fmt_number(pmin, lang, 4),
        "q": fmt_number(min(pmin * n, 1.0), lang, 3),
    }


def smoothing_caption(result: hs.HotspotResult, lang: str) -> str:
    """What was tested: the published values, or rates smoothed towards which rate."""
    params = result.params
    if not params["smoothed"]:
        return t("hotspots.smoothing_off", lang)
    rate = fmt_value(100 * params["prior_rate"], "percent", lang)
    return t(f"hotspots.smoothing_{params['prior_source']}", lang, rate=rate)


def refusal(result: hs.HotspotResult, ind, lang: str) -> str:
    """Why the single-year analysis was not computed."""
    if result.reason in ("low_coverage", "coverage_unknown"):
        known = result.coverage is not None and result.coverage.known
        params = coverage_params(result.coverage, ind, lang) if known else {}
        return t(f"hotspots.reason_{result.reason}", lang, **params)
    return t(
        f"hotspots.reason_{result.reason}",
        lang,
        n=len(result.units),
        min=hs.MIN_UNITS,
    )


def emerging_refusal(emerging: hs.EmergingResult, n_years: int, ind, lang: str) -> str:
    """Why the analysis over all years was not computed."""
    params = emerging.params
    values = {
        "min": hs.MIN_YEARS if emerging.reason == "too_few_years" else hs.MIN_UNITS,
        "years": n_years,
    }
    if emerging.reason in ("low_coverage", "coverage_unknown"):
        if emerging.coverage is not None and emerging.coverage.known:
            values |= coverage_params(emerging.coverage, ind, lang)
        values["min"] = pct(hs.MIN_COVERAGE, lang, 0)
    if "permutations" in params:
        values |= floor_params(params, lang)
        values["bins"] = fmt_number(params.get("n_bins", 0), lang, 0)
    return t(f"hotspots.emerging_reason_{emerging.reason}", lang, **values)
