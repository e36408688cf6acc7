"""Synthetic counts per 250 m raster cell and year (2014–2025).

A seeded model, not real data. It reproduces what officials know about Neunkirchen:
city totals near the published figures (see CITY_POPULATION), deprivation concentrated
around the inner city, a second pocket emerging in Wellesweiler and an older one
fading in Wiebelskirchen, the 2015/16 and 2022 refugee arrivals, the Covid dip of
2020/21 and binomial noise that makes small cells small. Rates for each cell are the
city rate of the year times a relative risk exp(beta * deprivation), normalised so the
population-weighted mean equals the city path; counts are binomial draws.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.demo.geography import STADTTEILE, Geography, _project_points

__all__ = ["YEARS", "CITY_POPULATION", "simulate_counts"]

YEARS = tuple(range(2014, 2026))
# Residents on 31.12. (register until 2021, Zensus-based from 2022): neunkirchen.de
# news (47,585 on 31.12.2019), Saarbrücker Zeitung (Einwohnerstatistik 2019/2020),
# de.wikipedia "Neunkirchen (Saar)" (46,882 on 31.12.2022, Zensus-based).
CITY_POPULATION = dict(
    zip(
        YEARS,
        (
            46930,
            47450,
            47720,
            47800,
            47873,
            47585,
            47310,
            47050,
            46882,
            47080,
            46990,
            46870,
        ),
        strict=True,
    )
)
FOCUS_POPULATION_2018 = 6130  # about 6,000 in 2022 after the Innenstadt drift
AGE_BANDS = ("0_3", "3_6", "6_15", "15_18", "18_21", "21_25", "25_65", "65p")
BASE_AGE_SHARES = np.array([0.026, 0.026, 0.080, 0.028, 0.030, 0.042, 0.530, 0.238])
ELECTION_YEARS = (2014, 2019, 2024)
CENSUS_YEARS = (2022,)


def _path(*values: float) -> np.ndarray:
    return np.array(values, dtype=float)


# City-wide rates per year (2014..2025) and how strongly each concentrates (beta).
CITY_PATHS: dict[str, tuple[np.ndarray, float]] = {
    "kid_sgb2": (
        _path(
            0.340,
            0.350,
            0.365,
            0.368,
            0.360,
            0.352,
            0.358,
            0.350,
            0.375,
            0.380,
            0.372,
            0.368,
        ),
        1.05,
    ),
    "youth_sgb2": (
        _path(
            0.190,
            0.200,
            0.215,
            0.212,
            0.205,
            0.198,
            0.205,
            0.200,
            0.218,
            0.222,
            0.216,
            0.212,
        ),
        1.0,
    ),
    "adult_sgb2": (
        _path(
            0.118,
            0.120,
            0.127,
            0.126,
            0.121,
            0.116,
            0.121,
            0.119,
            0.130,
            0.132,
            0.128,
            0.126,
        ),
        0.95,
    ),
    "unemployed": (
        _path(
            0.076,
            0.074,
            0.072,
            0.069,
            0.066,
            0.065,
            0.075,
            0.072,
            0.069,
            0.074,
            0.079,
            0.082,
        ),
        0.85,
    ),
    "ltu_share": (
        _path(
            0.380,
            0.385,
            0.380,
            0.375,
            0.370,
            0.360,
            0.400,
            0.450,
            0.420,
            0.400,
            0.395,
            0.400,
        ),
        0.2,
    ),
    "employed": (
        _path(
            0.515,
            0.522,
            0.530,
            0.541,
            0.552,
            0.565,
            0.558,
            0.561,
            0.566,
            0.570,
            0.571,
            0.572,
        ),
        -0.28,
    ),
    "old_age_poor": (
        _path(
            0.034,
            0.035,
            0.036,
            0.037,
            0.038,
            0.039,
            0.041,
            0.042,
            0.044,
            0.045,
            0.046,
            0.047,
        ),
        0.9,
    ),
    "kita_u3": (
        _path(
            0.220,
            0.235,
            0.250,
            0.265,
            0.280,
            0.300,
            0.285,
            0.295,
            0.300,
            0.305,
            0.308,
            0.310,
        ),
        -0.35,
    ),
    "language": (
        _path(
            0.220,
            0.235,
            0.255,
            0.265,
            0.270,
            0.275,
            0.285,
            0.290,
            0.300,
            0.305,
            0.308,
            0.310,
        ),
        1.1,
    ),
    "overweight": (
        _path(
            0.110,
            0.112,
            0.114,
            0.115,
            0.116,
            0.118,
            0.128,
            0.132,
            0.131,
            0.133,
            0.134,
            0.135,
        ),
        0.6,
    ),
    "motor": (
        _path(
            0.170,
            0.172,
            0.175,
            0.176,
            0.178,
            0.180,
            0.195,
            0.200,
            0.198,
            0.199,
            0.200,
            0.200,
        ),
        0.5,
    ),
    "gymnasium": (
        _path(
            0.400,
            0.398,
            0.395,
            0.393,
            0.390,
            0.388,
            0.385,
            0.380,
            0.378,
            0.375,
            0.372,
            0.370,
        ),
        -0.7,
    ),
    "vacancy": (_path(*[0.085] * 12), 0.6),
    "in_migration": (
        _path(
            0.062,
            0.095,
            0.080,
            0.068,
            0.066,
            0.064,
            0.055,
            0.058,
            0.088,
            0.070,
            0.065,
            0.062,
        ),
        0.8,
    ),
    "residence_5y": (
        _path(
            0.620,
            0.605,
            0.595,
            0.598,
            0.600,
            0.602,
            0.610,
            0.612,
            0.595,
            0.592,
            0.595,
            0.598,
        ),
        -0.4,
    ),
    "turnout": (
        _path(
            0.470, 0.47, 0.47, 0.47, 0.47, 0.550, 0.55, 0.55, 0.55, 0.55, 0.530, 0.53
        ),
        -0.55,
    ),
    "youth_welfare": (
        _path(
            0.035,
            0.036,
            0.037,
            0.038,
            0.038,
            0.039,
            0.040,
            0.041,
            0.041,
            0.042,
            0.042,
            0.042,
        ),
        0.9,
    ),
    "single_parent": (
        _path(
            0.230,
            0.232,
            0.235,
            0.236,
            0.238,
            0.240,
            0.242,
            0.244,
            0.246,
            0.248,
            0.249,
            0.250,
        ),
        0.5,
    ),
    "foreign": (
        _path(
            0.125,
            0.152,
            0.165,
            0.170,
            0.173,
            0.173,
            0.176,
            0.180,
            0.200,
            0.207,
            0.212,
            0.215,
        ),
        1.0,
    ),
}


BETA_SCALE = 0.75


def _gauss(cells: pd.DataFrame, lat: float, lon: float, sigma: float) -> np.ndarray:
    p = _project_points([(lat, lon)])[0]
    d2 = (cells.x.to_numpy() - p.x) ** 2 + (cells.y.to_numpy() - p.y) ** 2
    return np.exp(-d2 / (2 * sigma**2))


def deprivation_field(cells: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Latent deprivation per cell and year, shape (years, cells)."""
    core = 1.0 * _gauss(cells, 49.3478, 7.1795, 700)  # inner city (Perspektivquartier)
    station_north = 0.45 * _gauss(cells, 49.3560, 7.1760, 450)
    wellesweiler = _gauss(cells, 49.3440, 7.2150, 420)  # emerging pocket
    wiebelskirchen = _gauss(cells, 49.3690, 7.1870, 380)  # fading pocket
    affluent = -0.35 * (
        _gauss(cells, 49.3250, 7.2200, 900) + _gauss(cells, 49.3203, 7.2411, 700)
    )
    # smooth noise: random bumps of 400 m
    xs, ys = cells.x.to_numpy(), cells.y.to_numpy()
    noise = np.zeros(len(cells))
    for _ in range(60):
        cx = rng.uniform(xs.min(), xs.max())
        cy = rng.uniform(ys.min(), ys.max())
        noise += rng.normal(0, 0.12) * np.exp(
            -((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * 400**2)
        )
    t = (np.array(YEARS) - YEARS[0])[:, None] / (len(YEARS) - 1)
    late = np.clip((np.array(YEARS) - 2020) / 5, 0, 1)[:, None]
    return (
        core * (0.9 + 0.25 * t)
        + station_north
        + 0.75 * wellesweiler * late
        + 0.7 * wiebelskirchen * (1 - t) ** 1.5
        + affluent
        + noise
    )


def _base_population(geo: Geography) -> np.ndarray:
    """Residents per cell in 2018 matching the published Stadtteil sizes
    (geography.STADTTEILE)."""
    cells = geo.cells
    pop = np.zeros(len(cells))
    kernel = cells.kernel.to_numpy()
    focus = cells.in_focus.to_numpy()
    for s in STADTTEILE:
        m = (cells.stadtteil_id == s.area_id).to_numpy()
        if s.area_id == "innenstadt":
            fm = m & focus
            pop[fm] = FOCUS_POPULATION_2018 * kernel[fm] / kernel[fm].sum()
            m = m & ~focus
            total = s.population_2018 - FOCUS_POPULATION_2018
        else:
            total = s.population_2018
        pop[m] = total * kernel[m] / kernel[m].sum()
    return pop * CITY_POPULATION[2018] / pop.sum()


def _binom(rng, n, p):
    return rng.binomial(np.asarray(n, dtype=np.int64), np.clip(p, 0.0005, 0.95))


def _rates(key: str, year_idx: int, dep: np.ndarray, den: np.ndarray, eps: np.ndarray):
    path, beta = CITY_PATHS[key]
    rel = np.exp(BETA_SCALE * beta * dep + eps)
    weight = den.sum()
    norm = (den * rel).sum() / weight if weight > 0 else 1.0
    return path[year_idx] * rel / norm


def simulate_counts(geo: Geography, seed: int = 47873) -> pd.DataFrame:
    """Long frame: area_id (raster cell), indicator_id, year, numerator, denominator."""
    rng = np.random.default_rng(seed)
    cells = geo.cells
    n = len(cells)
    dep_all = deprivation_field(cells, rng)
    base = _base_population(geo)
    drift = 0.006 * dep_all[4] - 0.004  # inner city grows, outskirts shrink
    eps = {k: rng.normal(0, 0.12, n) for k in CITY_PATHS}
    frames = []
    for yi, year in enumerate(YEARS):
        dep = dep_all[yi]
        raw = base * (1 + drift * (year - 2018))
        expected = raw * CITY_POPULATION[year] / raw.sum()
        pop = rng.multinomial(CITY_POPULATION[year], expected / expected.sum())
        shares = BASE_AGE_SHARES[None, :].repeat(n, axis=0)
        kid_factor = 1 + 0.35 * np.clip(dep, -0.5, 1.6)
        shares[:, :6] *= kid_factor[:, None]
        shares[:, 7] *= (1 - 0.3 * np.clip(dep, -0.5, 1.6)) * (
            1 + 0.004 * (year - 2014)
        )
        shares /= shares.sum(axis=1, keepdims=True)
        bands = np.stack(
            [rng.multinomial(p, s) for p, s in zip(pop, shares, strict=True)]
        )
        b = dict(zip(AGE_BANDS, bands.T, strict=True))
        u3, u15 = b["0_3"], b["0_3"] + b["3_6"] + b["6_15"]
        u18 = u15 + b["15_18"]
        u21 = u18 + b["18_21"]
        a15_25 = b["15_18"] + b["18_21"] + b["21_25"]
        a15_65 = a15_25 + b["25_65"]
        a65p = b["65p"]
        u65 = pop - a65p
        pop6p = pop - b["0_3"] - b["3_6"]

        def draw(key, den, yi=yi, dep=dep):
            return _binom(rng, den, _rates(key, yi, dep, den, eps[key]))

        kids = draw("kid_sgb2", u15)
        youth = draw("youth_sgb2", a15_25)
        adults = draw("adult_sgb2", b["25_65"])
        unemployed = draw("unemployed", a15_65)
        ltu = _binom(
            rng, unemployed, _rates("ltu_share", yi, dep, unemployed, eps["ltu_share"])
        )
        examined = rng.binomial(b["3_6"], 1 / 3)
        leavers = rng.binomial(b["6_15"], 1 / 9)
        foreign = draw("foreign", pop)
        foreign_share = np.divide(foreign, pop, out=np.zeros(n), where=pop > 0)
        hh_children = np.round(u18 / 1.75).astype(np.int64)
        counts = {
            "einwohner": (pop, None),
            "sgb2_quote": (kids + youth + adults, u65),
            "kinderarmut": (kids, u15),
            "jugendarmut": (youth, a15_25),
            "arbeitslosenanteil": (unemployed, a15_65),
            "langzeitarbeitslose": (ltu, a15_65),
            "beschaeftigungsquote": (draw("employed", a15_65), a15_65),
            "altersarmut": (draw("old_age_poor", a65p), a65p),
            "kita_u3": (draw("kita_u3", u3), u3),
            "sprachfoerderbedarf": (draw("language", examined), examined),
            "uebergewicht_einschulung": (draw("overweight", examined), examined),
            "motorik_einschulung": (draw("motor", examined), examined),
            "gymnasium_uebergang": (draw("gymnasium", leavers), leavers),
            "zuzugsquote": (draw("in_migration", pop), pop),
            "wohndauer_5j": (draw("residence_5y", pop6p), pop6p),
            "hilfen_erziehung": (draw("youth_welfare", u21), u21),
            "alleinerziehende": (draw("single_parent", hh_children), hh_children),
            "auslaenderanteil": (foreign, pop),
            "anteil_unter18": (u18, pop),
            "anteil_65plus": (a65p, pop),
        }
        if year in CENSUS_YEARS:
            dwellings = np.round(pop / 1.95 * (1 + 0.1 * np.clip(dep, 0, 2)))
            dwellings = dwellings.astype(np.int64)
            counts["leerstandsquote"] = (draw("vacancy", dwellings), dwellings)
        if year in ELECTION_YEARS:
            eligible = np.round((pop - u18) * (1 - 0.55 * foreign_share))
            eligible = eligible.astype(np.int64)
            counts["wahlbeteiligung"] = (draw("turnout", eligible), eligible)
        for indicator_id, (num, den) in counts.items():
            frames.append(
                pd.DataFrame(
                    {
                        "area_id": cells.area_id.to_numpy(),
                        "indicator_id": indicator_id,
                        "year": year,
                        "numerator": np.asarray(num, dtype=float),
                        "denominator": (
                            np.full(n, np.nan)
                            if den is None
                            else np.asarray(den, dtype=float)
                        ),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
