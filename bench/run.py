"""Run the benchmarks and write the Markdown report.

``python -m bench.run [--only NAME ...] [--quick]`` prints the report and writes it to
bench/out/report.md (raw numbers to bench/out/results.json; each section also to
bench/out/<name>.md so a partial run keeps the others). Run by hand (``make bench``);
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shlex
import sys
import time

from bench.report import OUT_DIR, Section, machine, table

__all__ = ["BENCHMARKS", "main"]

# name -> module under bench/ with run(quick) -> Section
BENCHMARKS = {
    "startup": "bench.startup",
    "shown": "bench.shown",
    "scripts": "bench.scripts",
    "data_size": "bench.data_size",
    "scale": "bench.scale",
    "cache_sizes": "bench.cache_sizes",
    "load": "bench.load.suite",
}


def _header(argv: list[str], quick: bool, elapsed: float) -> str:
    info = machine()
    command = ".venv/bin/python -m bench.run" + (" " + shlex.join(argv) if argv else "")
    rows = [[k, v] for k, v in info.items()]
    return "\n\n".join(
        [
            "# Quartiersmonitor benchmarks",
            f"Command: `{command}`"
            + (" (quick variant)" if quick else "")
            + f" — {elapsed:.0f} s in total.",
            table(["machine", ""], rows),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(BENCHMARKS),
        help="run only this benchmark (repeatable)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions, 100k-cell scale"
    )
    args = parser.parse_args(argv)
    names = args.only or list(BENCHMARKS)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    sections: list[Section] = []
    failed = []
    for name in names:
        print(f"[bench] {name} …", file=sys.stderr, flush=True)
        t = time.perf_counter()
        load_before = os.getloadavg()[0]
        try:
            section = importlib.import_module(BENCHMARKS[name]).run(quick=args.quick)
        except Exception as exc:  # noqa: BLE001 - one failed benchmark, not all
            failed.append(name)
            section = Section(name, name, f"**Failed:** `{exc!r}`"[:3000])
        section.data["seconds"] = time.perf_counter() - t
        load_after = os.getloadavg()[0]
        section.markdown += (
            f"\n\n_{section.data['seconds']:.0f} s; load average (1 min) "
            f"{load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} "
            "CPUs (the machine is shared: a load above the CPU count inflates "
            "every time above)._"
        )
        print(
            f"[bench] {name} done in {section.data['seconds']:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        sections.append(section)
        (OUT_DIR / f"{name}.md").write_text(
            f"## {section.title}\n\n{section.markdown}\n", encoding="utf-8"
        )
    report = _header(argv, args.quick, time.perf_counter() - start)
    for section in sections:
        report += f"\n\n## {section.title}\n\n{section.markdown}"
    report += "\n"
    (OUT_DIR / "report.md").write_text(report, encoding="utf-8")
    (OUT_DIR / "results.json").write_text(
        json.dumps(
            {"machine": machine(), "quick": args.quick}
            | {s.name: s.data for s in sections},
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )
    print(report)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
