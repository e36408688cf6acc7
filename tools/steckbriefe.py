"""Steckbriefe of every area as PDF files, in one batch (``make steckbriefe``).

Writes one A4 Steckbrief per Stadtteil and Quartier (and the Perspektivquartier)
of the data folder into ``--out`` and reports the time per file and in total.
The profiles are assembled exactly as on the page "Profil"
(:func:`monitor.views.profile.assemble_profile`), with the store's methods in place
of the page's cached loaders.

    python tools/steckbriefe.py --out build/steckbriefe [--lang de] [--year 2025]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from monitor.settings import load_settings  # noqa: E402
from monitor.store import Store  # noqa: E402
from monitor.views import exports, social_index  # noqa: E402
from monitor.views.profile import Profile, assemble_profile  # noqa: E402
from monitor.views.steckbrief_pdf import steckbrief_pdf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LEVELS = ("fokusgebiet", "stadtteil", "quartier")


def store_loaders(store: Store) -> dict[str, Callable]:
    """The store's questions in the shape assemble_profile expects, memoised for
    a batch (every profile of a level shares the panel, geometries and index)."""
    memo: dict[tuple, object] = {}

    def once(key, make):
        if key not in memo:
            memo[key] = make()
        return memo[key]

    spec = social_index.index_spec(store.catalog, store.place.population)

    def index_result(level: str, year: int, year_from: int):
        def make():
            status, earlier, pop = social_index.inputs_for(
                lambda indicator_id, y: store.level_values(indicator_id, y, level),
                year,
                year_from,
                spec,
            )
            try:
                return social_index.compute(spec, status, earlier, pop)
            except ValueError as exc:
                return exc

        result = once(("si", level, year, year_from), make)
        if isinstance(result, Exception):
            raise ValueError(str(result))
        return result

    years = store.indicator_years()
    index_years = social_index.index_years(
        spec,
        {i: tuple(g.year) for i, g in years.groupby("indicator_id")},
    )
    areas = store.areas()
    bench = once(("bench",), lambda: store.benchmark_values(store.catalog.ids))
    return {
        "areas": areas,
        "area_values": lambda ids: store.area_values(list(ids)),
        "benchmark_values": lambda _ids: bench,
        "level_panel": lambda level: once(
            ("panel", level), lambda: store.level_panel(level)
        ),
        "geometries": lambda level: once(
            ("geo", level), lambda: store.geometries(level)
        ),
        "index_years": index_years,
        "social_index": index_result,
        "measures": store.measures(),
    }


def profile_from_store(
    store: Store, area_id: str, year: int, lang: str = "de", loaders: dict | None = None
) -> Profile:
    """The profile of one area, as the page builds it, straight from the store."""
    loaders = loaders or store_loaders(store)
    return assemble_profile(
        area_id=area_id,
        year=int(year),
        lang=lang,
        catalog=store.catalog,
        meta=store.meta,
        place=store.place,
        **loaders,
    )


def latest_year(store: Store, indicator_id: str | None = None) -> int:
    """The latest year of ``indicator_id`` (default: the place's default
    indicator), else of any indicator."""
    indicator_id = indicator_id or store.place.default_indicator
    years = store.indicator_years()
    sub = years[years.indicator_id == indicator_id]
    return int((sub if len(sub) else years).year.max())


def write_all(
    store: Store, out: Path, *, lang: str = "de", year: int | None = None
) -> list[tuple[Path, float]]:
    """Write every Steckbrief; return (path, seconds) per file."""
    out.mkdir(parents=True, exist_ok=True)
    year = year or latest_year(store)
    loaders = store_loaders(store)
    areas = loaders["areas"]
    chosen = areas[areas.level.isin(LEVELS)].sort_values(["level", "area_id"])
    written = []
    for area_id in chosen.area_id:
        start = time.perf_counter()
        profile = profile_from_store(store, area_id, year, lang, loaders)
        pdf = steckbrief_pdf(profile, store.catalog)
        path = out / (
            exports.file_stem("steckbrief", area_id, year, is_demo=store.meta.is_demo)
            + ".pdf"
        )
        path.write_bytes(pdf)
        written.append((path, time.perf_counter() - start))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "steckbriefe"))
    parser.add_argument("--lang", default="de", choices=["de", "en"])
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--data", default=None, help="data folder (default: setting)")
    args = parser.parse_args()
    store = Store(args.data or load_settings().data_dir)
    start = time.perf_counter()
    written = write_all(store, Path(args.out), lang=args.lang, year=args.year)
    total = time.perf_counter() - start
    times = sorted(seconds for _, seconds in written)
    print(
        f"{len(written)} Steckbriefe in {total:.1f} s -> {args.out}\n"
        f"per file: median {times[len(times) // 2]:.2f} s, "
        f"max {times[-1]:.2f} s (first file includes font loading)"
    )


if __name__ == "__main__":
    main()
