"""Benchmarks of the Quartiersmonitor (``make bench`` = ``python -m bench.run``).

Every benchmark is a function ``run(quick) -> Section`` in its own module; run.py
collects the sections into a Markdown report (stdout and bench/out/report.md).
Nothing here is imported by the app or the tests, and nothing asserts a time.
"""
