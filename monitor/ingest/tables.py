"""The kinds of indicator tables an import accepts, and how each is read.

One registry (:data:`TABLE_KINDS`) for the CLI (``--art``) and the admin page: each
kind names its reader, which returns *observations* (monitor/ingest/observations.py)
and, for the Zensus grid, the raster cells it brings along. Which variables of a
table form which indicator is an :class:`~monitor.ingest.assemble.IndicatorSpec`
the user confirms; :func:`guess_specs` offers the obvious ones (the template names
its own; a table with one variable and a chosen indicator needs nothing more).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from monitor.ingest.assemble import IndicatorSpec, template_specs
from monitor.ingest.ba_excel import guess_ba_mapping, read_ba_excel
from monitor.ingest.genesis import read_genesis_table
from monitor.ingest.genesis_flat import read_genesis_flat
from monitor.ingest.problems import IngestError, Problem
from monitor.ingest.template import read_template
from monitor.ingest.zensus_grid import ZensusGrid, read_zensus_grid

__all__ = [
    "TABLE_KINDS",
    "TableKind",
    "TableRead",
    "guess_specs",
    "read_table",
    "variables",
]


@dataclass(frozen=True)
class TableRead:
    """What a table brought: observations, findings, and raster cells (Zensus)."""

    observations: pd.DataFrame
    problems: tuple[Problem, ...]
    file: str
    grid: ZensusGrid | None = None

    @property
    def cells(self) -> gpd.GeoDataFrame | None:
        return None if self.grid is None else self.grid.cells


def _genesis(source, name) -> TableRead:
    observations, problems = read_genesis_table(source, name)
    return TableRead(observations, tuple(problems), name)


def _flat(source, name) -> TableRead:
    observations, problems = read_genesis_flat(source, name)
    return TableRead(observations, tuple(problems), name)


def _ba(source, name) -> TableRead:
    mapping = guess_ba_mapping(source, name=name)
    if mapping.year is None:
        raise IngestError(
            Problem(
                "Das Berichtsjahr steht nicht im Titel der Tabelle; bitte das Jahr "
                "angeben.",
                name,
                code="year",
            )
        )
    observations, problems = read_ba_excel(source, mapping, name)
    return TableRead(observations, tuple(problems), name)


def _zensus(source, name) -> TableRead:
    grid = read_zensus_grid(source, name)
    return TableRead(grid.observations, grid.problems, name, grid=grid)


def _template(source, name) -> TableRead:
    observations, problems = read_template(source, name)
    return TableRead(observations, tuple(problems), name)


@dataclass(frozen=True)
class TableKind:
    """``id`` as in ``--art``; ``label`` German for the page; ``suffixes`` the
    file endings the upload offers."""

    id: str
    label: str
    suffixes: tuple[str, ...]
    read: Callable[[object, str], TableRead]


TABLE_KINDS: dict[str, TableKind] = {
    kind.id: kind
    for kind in (
        TableKind(
            "genesis",
            "GENESIS / Regionaldatenbank, Tabelle als CSV",
            ("csv",),
            _genesis,
        ),
        TableKind("ffcsv", "GENESIS-Flatfile (ffcsv)", ("csv", "zip"), _flat),
        TableKind("ba", "Statistik der BA, Excel-Tabelle", ("xlsx",), _ba),
        TableKind("zensus", "Zensus 2022, Gitterzellen (CSV)", ("csv",), _zensus),
        TableKind("template", "Vorlage (CSV oder XLSX)", ("csv", "xlsx"), _template),
    )
}


def read_table(kind: str, source, name: str) -> TableRead:
    """Read ``source`` as a table of ``kind`` (raises IngestError, German)."""
    if kind not in TABLE_KINDS:
        raise IngestError(
            Problem(
                f"Unbekannte Tabellenart „{kind}“; möglich: "
                + ", ".join(TABLE_KINDS)
                + ".",
                name,
                code="kind",
            )
        )
    return TABLE_KINDS[kind].read(source, name)


def variables(observations: pd.DataFrame) -> list[str]:
    """The table's variables in the order they first occur."""
    return list(dict.fromkeys(observations["variable"]))


def guess_specs(
    observations: pd.DataFrame, indicator_id: str | None = None
) -> list[IndicatorSpec]:
    """Specs a table implies: the template's own; for another table with exactly
    one variable, that variable as the numerator of ``indicator_id``."""
    own = template_specs(observations)
    if own:
        return own
    names = variables(observations)
    if indicator_id and len(names) == 1:
        return [IndicatorSpec(indicator_id, names[0])]
    return []
