"""Progress against targets: four established ways to turn a time series into a
verdict, one module per method family.

- :mod:`~monitor.methods.progress.open_sdg`: Open SDG / Statistics Canada
  progress measure (observed against required compound annual growth rate;
  categories, scores and their aggregation).
- :mod:`~monitor.methods.progress.dns_weather`: weather symbols of the German
  Sustainability Strategy (mean change of the last five periods extrapolated to
  the target year).
- :mod:`~monitor.methods.progress.escap`: UN ESCAP Current Status and
  Anticipated Progress indices.
- :mod:`~monitor.methods.progress.target_path`: linear target path (Soll-Pfad)
  for the output targets of measures.

Shared: :mod:`~monitor.methods.progress.series` reads a series (years as numbers
or strings such as ``"2015-16"``, missing values dropped),
:mod:`~monitor.methods.progress.notes` explains every note id.

All functions are pure. Results are frozen dataclasses that carry the numbers
behind the verdict, so that a page can show *why* a series is "on track".
Category, symbol and status values are stable English ids; the UI translates
them.
"""
