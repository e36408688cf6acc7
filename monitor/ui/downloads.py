"""The download buttons of the pages: one row of files, each built on click.

``on_click="ignore"``: a click downloads without rerunning the page, and the
file (CSV, XLSX, PNG via kaleido, PDF) is built only then, from a callable.
Every CSV gets the data version as a comment line above its header
(:func:`monitor.views.exports.with_version_line`): the one place all CSV
downloads pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from monitor.i18n import t
from monitor.store import Store
from monitor.ui import data
from monitor.ui.errors import guarded_bytes
from monitor.ui.presentation import share_link
from monitor.ui.state import lang, tr, view_now
from monitor.views import exports, geo_exports
from monitor.views.exports import data_version_text, with_version_line

__all__ = [
    "Download",
    "Table",
    "download_row",
    "table_files",
    "map_export",
    "map_files",
    "map_footer",
]

# file ending -> (MIME type, icon, help text key or "")
_KINDS = {
    "csv": ("text/csv", ":material/download:", ""),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ":material/table_view:",
        "export.xlsx_help",
    ),
    "png": ("image/png", ":material/image:", ""),
    "pdf": ("application/pdf", ":material/picture_as_pdf:", ""),
    "geojson": ("application/geo+json", ":material/public:", "geo_export.help"),
    "gpkg": ("application/geopackage+sqlite3", ":material/layers:", "geo_export.help"),
}


@dataclass(frozen=True)
class Download:
    """One file: button label, the function that builds its bytes, the file name
    (its ending picks MIME type and icon) and the widget key."""

    label: str
    make: Callable[[], bytes]
    file_name: str
    key: str
    icon: str | None = None  # default: by the file ending
    type: str = "secondary"  # "primary" for the main file, "tertiary" for many


@dataclass(frozen=True)
class Table:
    """One table of a page's downloads: a sheet of the workbook and, with a
    ``file_name``, a CSV of its own (``label``, default "CSV"; ``key``, default
    ``<key>_csv``). With ``source`` the table gets the Datenstand and Quelle
    columns (:func:`monitor.views.exports.with_provenance`)."""

    sheet: str
    frame: pd.DataFrame
    file_name: str = ""
    label: str = ""
    key: str = ""
    source: str | None = None


def table_files(
    store: Store,
    key: str,
    stem: str,
    tables: Sequence[Table | None],
    *,
    title: str,
    indicator_ids: Sequence[str] = (),
    sources: Sequence[str] = (),
    page_lang: str | None = None,
) -> list[Download]:
    """The CSV files of ``tables`` (None: left out) and one workbook of them all,
    with the definitions of ``indicator_ids``, the sources, the data version and
    the link of this view."""
    page_lang = page_lang or lang()
    meta, catalog = store.meta, store.catalog
    shown = [table for table in tables if table is not None]
    frames = [_with_source(table, meta, page_lang) for table in shown]
    link = share_link(view_now())

    def xlsx() -> bytes:
        return exports.workbook(
            [(table.sheet, frame) for table, frame in zip(shown, frames, strict=True)],
            catalog=catalog,
            indicator_ids=[i for i in dict.fromkeys(indicator_ids) if i in catalog],
            meta=meta,
            title=title,
            sources=list(dict.fromkeys(sources)),
            lang=page_lang,
            link=link,
        )

    csvs = [
        Download(
            table.label or tr("export.csv"),
            partial(exports.csv_bytes, frame, page_lang),
            table.file_name,
            table.key or f"{key}_csv",
        )
        for table, frame in zip(shown, frames, strict=True)
        if table.file_name
    ]
    return [*csvs, Download(tr("export.xlsx"), xlsx, f"{stem}.xlsx", f"{key}_xlsx")]


def _with_source(table: Table, meta, page_lang: str) -> pd.DataFrame:
    if table.source is None:
        return table.frame
    return exports.with_provenance(
        table.frame,
        is_demo=meta.is_demo,
        data_date=meta.data_date,
        source=table.source,
        lang=page_lang,
    )


def map_footer(store: Store, source: str, page_lang: str) -> str:
    """The footer of a static map: source and Datenstand (or Demodaten)."""
    meta = store.meta
    provenance = exports.provenance_text(meta.is_demo, meta.data_date, page_lang)
    return t("static_map.footer", page_lang, source=source, provenance=provenance)


def download_row(files: Sequence[Download | None], columns: int = 4) -> None:
    """The files as buttons in ``columns`` columns, left to right (more files
    wrap into the same columns; None leaves its column empty)."""
    slots = st.columns(columns)
    for i, file in enumerate(files):
        if file is None:
            continue
        ending = file.file_name.rsplit(".", 1)[-1]
        mime, icon, help_key = _KINDS[ending]
        make = _stamped(file.make) if ending == "csv" else file.make
        with slots[i % columns]:
            st.download_button(
                file.label,
                guarded_bytes(make, file.file_name),
                help=tr(help_key) if help_key else None,
                file_name=file.file_name,
                mime=mime,
                icon=file.icon or icon,
                on_click="ignore",
                key=file.key,
                type=file.type,
            )


def _stamped(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """``make`` with the served data version above the CSV header."""
    meta = data.get_store().meta
    line = data_version_text(meta.version_id, meta.published_at, meta.data_date, lang())
    return lambda: with_version_line(make(), line)


def map_export(
    store: Store,
    *,
    title: str,
    indicator_id: str,
    unit: str,
    year: int,
    level: str,
    source: str,
    lang: str,
) -> geo_exports.MapExport:
    """What a map file says about itself, with the data folder's version, date
    and Demodaten flag."""
    meta = store.meta
    return geo_exports.MapExport(
        title=title,
        indicator_id=indicator_id,
        unit=unit,
        year=int(year),
        level=level,
        data_version=meta.version_id or meta.data_version,
        published_at=meta.published_at,
        data_date=meta.data_date,
        is_demo=meta.is_demo,
        source=source,
        lang=lang,
    )


def map_files(
    stem: str,
    key: str,
    areas: Callable,
    meta: geo_exports.MapExport,
    png: Callable[[], bytes] | None = None,
    decimals: int | None = None,
) -> list[Download | None]:
    """GeoJSON, GeoPackage and (optionally) a static PNG of a map; ``areas()``
    builds the GeoDataFrame (area_id, name, level, status, values) on click."""
    return [
        Download(
            tr("geo_export.geojson"),
            lambda: geo_exports.geojson_bytes(areas(), meta, decimals),
            f"{stem}.geojson",
            f"{key}_geojson",
        ),
        Download(
            tr("geo_export.gpkg"),
            lambda: geo_exports.geopackage_bytes(areas(), meta, decimals),
            f"{stem}.gpkg",
            f"{key}_gpkg",
        ),
        Download(
            tr("static_map.png"),
            png,
            f"{stem}_karte.png",
            f"{key}_png",
            icon=":material/map:",
        )  # fmt: skip
        if png is not None
        else None,
    ]
