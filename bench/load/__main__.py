"""Command line of the load benchmark.

``python -m bench.load run workshop --participants 30 --replicas 2`` runs one
scenario on new processes and prints its tables (JSON to bench/out/);
``python -m bench.load suite`` runs the baseline of docs/PERFORMANCE.md ("Workshop
load"), also as ``make bench-load``.
"""

from __future__ import annotations

import argparse
import json
import sys

from bench.load.experiment import APPS, Setup, measure, render
from bench.load.scenarios import SCENARIOS, WORKSHOP_VIEWS, Options
from bench.report import OUT_DIR

__all__ = ["main"]


def _pair(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    pair = (float(low), float(high or low))
    if not 0 <= pair[0] <= pair[1]:
        raise argparse.ArgumentTypeError("think time: LOW,HIGH with 0 <= LOW <= HIGH")
    return pair


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("run", help="one scenario")
    one.add_argument("scenario", choices=sorted(SCENARIOS))
    one.add_argument("--app", choices=sorted(APPS), default="quartiersmonitor")
    one.add_argument("--replicas", type=int, default=1)
    one.add_argument("--nginx", action="store_true", help="nginx also for 1 process")
    one.add_argument("--url", help="a running server on this machine instead")
    one.add_argument("--participants", type=int, default=Options.participants)
    one.add_argument("--link", default=Options.link, help="the link all open")
    one.add_argument(
        "--views", default=",".join(WORKSHOP_VIEWS), help="comma-separated links"
    )
    one.add_argument("--think", type=_pair, default=Options.think, help="LOW,HIGH s")
    one.add_argument("--window", type=float, help="arrivals within this many s")
    one.add_argument("--duration", type=float, default=Options.duration)
    one.add_argument("--sessions", type=int, default=Options.sessions)
    one.add_argument("--concurrency", type=int, default=Options.concurrency)
    one.add_argument("--seed", type=int, default=Options.seed)
    one.add_argument("--no-assets", action="store_true", help="skip JS/CSS")
    one.add_argument("--timeout", type=float, default=Setup.timeout)
    one.add_argument("--max-seconds", type=float, default=Setup.max_seconds)
    one.add_argument("--settle", type=float, default=0.0)
    one.add_argument("--out", help="JSON file (default bench/out/load-<...>.json)")
    suite = sub.add_parser("suite", help="the baseline of docs/PERFORMANCE.md")
    suite.add_argument("--quick", action="store_true")
    suite.add_argument(
        "--quiet-cores",
        type=float,
        help="start a run when other processes use fewer cores than this; repeat "
        "a run during which they used more",
    )
    suite.add_argument("--max-wait", type=float, default=1800.0, help="s per run")
    suite.add_argument("--repeats", type=int, default=2, help="attempts per run")
    suite.add_argument(
        "--reuse",
        action="store_true",
        help="take stored attempts from bench/out/load-runs/ (resume a suite)",
    )
    return parser


def _run_one(args: argparse.Namespace) -> int:
    setup = Setup(
        app=args.app,
        replicas=args.replicas,
        nginx=True if args.nginx else None,
        assets=not args.no_assets,
        timeout=args.timeout,
        max_seconds=args.max_seconds,
        settle=args.settle,
    )
    options = Options(
        participants=args.participants,
        link=args.link,
        views=tuple(v for v in args.views.split(",") if v),
        think=args.think,
        window=args.window,
        duration=args.duration,
        sessions=args.sessions,
        concurrency=args.concurrency,
        seed=args.seed,
    )
    result = measure(setup, args.scenario, options, url=args.url)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = args.out or OUT_DIR / (
        f"load-{args.scenario}-{args.app}-{args.replicas}"
        f"{'n' if setup.behind_nginx else ''}.json"
    )
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1, default=str)
    print(render(result))
    print(f"\nJSON: {out}")
    return 1 if result["summary"]["errors_total"] else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "run":
        return _run_one(args)
    from bench.load.attempts import Policy
    from bench.load.suite import main as suite_main

    policy = Policy(args.quiet_cores, args.max_wait, args.repeats, args.reuse)
    return suite_main(args.quick, policy)


if __name__ == "__main__":
    sys.exit(main())
