"""Checks before publishing: the contract's types and ranges, and the rules between
rows, levels and geometries. Every finding is a German :class:`Problem` with file,
row and column, for the admin page's table.

Column types, value ranges, allowed values and uniqueness are pandera schemas
(``AREAS_SCHEMA``, ``VALUES_SCHEMA``; pandera's lazy validation collects every
failure, https://pandera.readthedocs.io). Rules that need the catalogue or other rows
are functions here: unknown indicators, rates above 100 %, numerator above
denominator, missing parents, parents on the wrong level, children outside their
parent (share of area outside > ``tolerance``, measured in EPSG:3035) and counts that
do not add up from children to parent.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from monitor.ingest.boundaries import AREA_LEVELS
from monitor.ingest.geometry import EQUAL_AREA_CRS, outside_share
from monitor.ingest.problems import ERROR, WARNING, Problem
from monitor.ingest.symbols import OK, STATUSES

__all__ = [
    "AREAS_SCHEMA",
    "VALUES_SCHEMA",
    "validate_areas",
    "validate_values",
]

FIRST_YEAR = 1950
LEVEL_RANK = {level: rank for rank, level in enumerate(AREA_LEVELS)}


def _last_year() -> int:
    return dt.date.today().year + 1


AREAS_SCHEMA = pa.DataFrameSchema(
    {
        "area_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "level": pa.Column(str, pa.Check.isin(AREA_LEVELS)),
        "parent_id": pa.Column(str, nullable=True),
        "in_focus": pa.Column(bool),
        "area_km2": pa.Column(float, pa.Check.gt(0)),
    },
    strict=False,
    coerce=False,
)

VALUES_SCHEMA = pa.DataFrameSchema(
    {
        "area_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "indicator_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year": pa.Column(
            int, pa.Check.in_range(FIRST_YEAR, _last_year()), coerce=True
        ),
        "numerator": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        "denominator": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        "status": pa.Column(str, pa.Check.isin(STATUSES)),
    },
    unique=["area_id", "indicator_id", "year"],
    strict=False,
)

_CHECK_TEXT = {
    "str_length": "ist leer",
    "isin": "ist kein erlaubter Wert",
    "in_range": "liegt außerhalb des erlaubten Bereichs",
    "greater_than": "muss größer als 0 sein",
    "greater_than_or_equal_to": "darf nicht negativ sein",
    "not_nullable": "fehlt",
    "field_uniqueness": "kommt mehrfach vor",
    "multiple_fields_uniqueness": "Gebiet, Indikator und Jahr kommen mehrfach vor",
    "column_in_dataframe": "Spalte fehlt",
    "dtype": "hat den falschen Datentyp",
}
_COLUMN_DE = {
    "area_id": "Gebiets-ID",
    "name": "Name",
    "level": "Ebene",
    "parent_id": "übergeordnetes Gebiet",
    "in_focus": "Perspektivquartier",
    "area_km2": "Fläche (km²)",
    "indicator_id": "Indikator",
    "year": "Jahr",
    "numerator": "Zähler",
    "denominator": "Nenner",
    "value": "Wert",
    "status": "Status",
}


def _schema_problems(schema, frame, file, rows) -> list[Problem]:
    """pandera's failure cases as problems; ``rows`` maps the frame's index to the
    row number the user knows (source line or feature number)."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    problems, seen = [], set()
    for case in cases.itertuples():
        check = str(case.check).split("(")[0]
        what = _CHECK_TEXT.get(check, str(case.check))
        column = case.column if isinstance(case.column, str) else None
        row = rows.get(case.index) if pd.notna(case.index) else None
        if (row, column, check) in seen or (
            check == "multiple_fields_uniqueness" and column != "area_id"
        ):
            continue
        seen.add((row, column, check))
        label = _COLUMN_DE.get(column, column) if column else ""
        value = (
            "" if check == "multiple_fields_uniqueness" else f" („{case.failure_case}“)"
        )
        text = f"{label}{value}: {what}." if label else f"{what}."
        problems.append(Problem(text, file, row, column, ERROR, f"schema_{check}"))
    return problems


def _row_numbers(frame: pd.DataFrame) -> dict:
    if "source_row" in frame.columns:
        return dict(zip(frame.index, frame["source_row"], strict=True))
    return {i: (int(i) if isinstance(i, int) else None) for i in frame.index}


def validate_values(
    values: pd.DataFrame, catalog, areas: pd.DataFrame | None = None, file: str = ""
) -> list[Problem]:
    """Problems of indicator rows: schema, catalogue, ranges, unknown areas,
    counts across levels (when ``areas`` with ``parent_id`` and ``level`` are given)."""
    rows = _row_numbers(values)
    problems = _schema_problems(VALUES_SCHEMA, values, file, rows)
    if any(p.code == "schema_column_in_dataframe" for p in problems):
        return problems
    known = set(catalog.ids)
    for index, item in values.iterrows():
        problems.extend(_row_rules(item, rows.get(index), catalog, known, file))
    if areas is not None:
        problems.extend(_unknown_areas(values, areas, rows, file))
        problems.extend(_levels_of_indicators(values, areas, catalog, rows, file))
        problems.extend(_sums_across_levels(values, areas, file))
    return problems


def _row_rules(item, row, catalog, known, file) -> list[Problem]:
    ind = item["indicator_id"]
    if ind not in known:
        return [
            Problem(
                f"Indikator „{ind}“ steht nicht im Katalog (catalog/indicators.yaml).",
                file,
                row,
                "indicator_id",
                code="unknown_indicator",
            )
        ]
    indicator = catalog[ind]
    found = []
    n, d, v = item["numerator"], item["denominator"], item["value"]
    if indicator.unit in {"percent", "per_mille"}:
        if pd.notna(n) and pd.notna(d) and n > d:
            found.append(
                Problem(
                    f"Zähler ({n:g}) ist größer als Nenner ({d:g}); für einen Anteil "
                    "unmöglich.",
                    file,
                    row,
                    "numerator",
                    code="numerator_gt_denominator",
                )
            )
        elif pd.notna(v) and v > indicator.factor:
            found.append(
                Problem(
                    f"Wert {v:g} liegt über {indicator.factor:g} ({indicator.unit}).",
                    file,
                    row,
                    "value",
                    code="rate_range",
                )
            )
    if indicator.is_rate and item["status"] == OK and pd.isna(d):
        found.append(
            Problem(
                f"„{ind}“ ist ein Anteil und braucht einen Nenner.",
                file,
                row,
                "denominator",
                code="missing_denominator",
            )
        )
    return found


def _unknown_areas(values, areas, rows, file) -> list[Problem]:
    ids = set(areas["area_id"])
    missing = values[~values["area_id"].isin(ids)]
    return [
        Problem(
            f"Gebiet „{item.area_id}“ gibt es in areas.parquet nicht.",
            file,
            rows.get(index),
            "area_id",
            code="unknown_area",
        )
        for index, item in missing.drop_duplicates("area_id").iterrows()
    ]


def _levels_of_indicators(values, areas, catalog, rows, file) -> list[Problem]:
    """An indicator on a level the catalogue does not list for it (the pages would
    not offer it there): one warning per indicator and level."""
    level = values["area_id"].map(areas.set_index("area_id")["level"])
    problems = []
    pairs = pd.DataFrame({"ind": values["indicator_id"], "level": level}).dropna()
    for (ind, lvl), group in pairs.groupby(["ind", "level"]):
        if ind in catalog and lvl != "fokusgebiet" and lvl not in catalog[ind].levels:
            problems.append(
                Problem(
                    f"„{ind}“ ist im Katalog nicht für die Ebene „{lvl}“ vorgesehen "
                    f"({len(group)} Zeilen); bitte den Katalog ergänzen.",
                    file,
                    rows.get(group.index[0]),
                    "indicator_id",
                    WARNING,
                    "indicator_level",
                )
            )
    return problems


def _sums_across_levels(values, areas, file, slack: float = 0.5) -> list:
    """A parent's numerator and denominator must equal the sum of its children's
    when every child has a number (rates from counts: every level is the sum of its
    parts). Rows with suppressed children are not checked."""
    parents = areas.set_index("area_id")["parent_id"].dropna()
    data = values[values["area_id"].isin(parents.index)].copy()
    if data.empty:
        return []
    data["parent_id"] = data["area_id"].map(parents)
    data["ok"] = data["status"] == OK
    grouped = data.groupby(["parent_id", "indicator_id", "year"])
    sums = grouped[["numerator", "denominator"]].sum(min_count=1)
    complete = grouped["ok"].all()
    children = areas.groupby("parent_id")["area_id"].count()
    counted = grouped["area_id"].nunique()
    sums = sums[complete & (counted == counted.index.get_level_values(0).map(children))]
    own = values.set_index(["area_id", "indicator_id", "year"])
    problems = []
    for (parent, ind, year), total in sums.iterrows():
        if (parent, ind, year) not in own.index:
            continue
        mine = own.loc[(parent, ind, year)]
        if isinstance(mine, pd.DataFrame):
            mine = mine.iloc[0]
        if mine["status"] != OK:
            continue
        for column in ("numerator", "denominator"):
            a, b = total[column], mine[column]
            if pd.notna(a) and pd.notna(b) and abs(a - b) > slack:
                problems.append(
                    Problem(
                        f"{ind} {year}: Summe der Teilgebiete von „{parent}“ ist "
                        f"{a:,.0f}, das Gebiet selbst hat {b:,.0f}.".replace(",", "."),
                        file,
                        int(mine["source_row"]) if "source_row" in mine else None,
                        column,
                        code="sum_mismatch",
                    )
                )
    return problems


def validate_areas(
    areas: gpd.GeoDataFrame, file: str = "", tolerance: float = 0.05
) -> list[Problem]:
    """Problems of an areas table: schema, parents (exist, one level up, exactly one
    ``stadt`` without parent), children outside their parent by more than
    ``tolerance`` of their area."""
    rows = _row_numbers(areas)
    frame = pd.DataFrame(areas.drop(columns=areas.geometry.name))
    problems = _schema_problems(AREAS_SCHEMA, frame, file, rows)
    for index in areas.index[areas.geometry.isna() | areas.geometry.is_empty]:
        problems.append(
            Problem(
                "Geometrie fehlt oder ist leer.",
                file,
                rows.get(index),
                "geometry",
                code="empty_geometry",
            )
        )
    problems.extend(_parent_rules(areas, rows, file))
    problems.extend(_outside_parent(areas, rows, file, tolerance))
    return problems


def _parent_rules(areas, rows, file) -> list[Problem]:
    by_id = areas.drop_duplicates("area_id").set_index("area_id")
    problems = []
    for index, item in areas.iterrows():
        parent = item["parent_id"]
        row = rows.get(index)
        if parent is None or (isinstance(parent, float) and parent != parent):
            if item["level"] != "stadt":
                problems.append(
                    Problem(
                        f"„{item['name']}“ ({item['level']}) hat kein übergeordnetes "
                        "Gebiet.",
                        file,
                        row,
                        "parent_id",
                        code="missing_parent",
                    )
                )
            continue
        if parent not in by_id.index:
            problems.append(
                Problem(
                    f"Das übergeordnete Gebiet „{parent}“ gibt es nicht.",
                    file,
                    row,
                    "parent_id",
                    code="unknown_parent",
                )
            )
            continue
        upper = by_id.at[parent, "level"]
        if LEVEL_RANK.get(upper, 99) >= LEVEL_RANK.get(item["level"], -1):
            problems.append(
                Problem(
                    f"„{item['name']}“ ({item['level']}) liegt unter „{parent}“ "
                    f"({upper}); das übergeordnete Gebiet muss eine höhere Ebene sein.",
                    file,
                    row,
                    "parent_id",
                    code="parent_level",
                )
            )
    return problems


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %".replace(".", ",")


def _outside_parent(areas, rows, file, tolerance) -> list[Problem]:
    present = areas[areas.geometry.notna() & ~areas.geometry.is_empty]
    if present.empty:
        return []
    metric = present.to_crs(EQUAL_AREA_CRS)
    shapes = dict(zip(metric["area_id"], metric.geometry, strict=False))
    problems = []
    for index, item in metric.iterrows():
        parent = item["parent_id"]
        if not isinstance(parent, str) or parent not in shapes:
            continue
        share = outside_share(item.geometry, shapes[parent])
        if share > tolerance:
            problems.append(
                Problem(
                    f"„{item['name']}“ liegt zu {share * 100:.0f} % außerhalb von "
                    f"„{parent}“ (erlaubt: {tolerance * 100:.0f} %).",
                    file,
                    rows.get(index),
                    "geometry",
                    ERROR,
                    "outside_parent",
                )
            )
        elif share > tolerance / 10:
            problems.append(
                Problem(
                    f"„{item['name']}“ ragt um {_percent(share)} über „{parent}“ "
                    "hinaus (Grenzen aus verschiedenen Quellen?).",
                    file,
                    rows.get(index),
                    "geometry",
                    WARNING,
                    "outside_parent",
                )
            )
    return problems
