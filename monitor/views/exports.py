"""Downloads: CSV, XLSX and PNG of exactly what a page shows.

Rules every export follows:

- Suppressed cells hold the official sign "." (never a number), missing ones stay
  empty; numbers are rounded as shown on the page.
- Text from data (area names from imported files) never becomes a formula: CSV
  cells that start like a formula get an apostrophe (OWASP "CSV injection"), XLSX
  cells are written as text with Excel's quote prefix.
- Provenance travels with the data: a "Datenstand" column ("Demodaten · 31.12.2025"
  while the demo data is shown) and the source; XLSX adds a sheet of indicator
  definitions and one of notes.
- The data version travels too (:func:`data_version_text`, the same line as the
  pages' footer): a comment line above the CSV header (:func:`with_version_line`,
  added to every CSV download by monitor/ui/downloads.py), the XLSX notes and
  document properties, the PDF footer and the GeoJSON/GeoPackage metadata.
"""

from __future__ import annotations

import atexit
import datetime as dt
import io
import math
import re
import threading
import unicodedata
import warnings
from collections.abc import Mapping, Sequence

import pandas as pd

from monitor.catalog import Catalog
from monitor.formatting import MISSING, SUPPRESSED, fmt_date
from monitor.i18n import t

__all__ = [
    "SUPPRESSED",
    "defuse",
    "csv_bytes",
    "xlsx_bytes",
    "workbook",
    "definitions_frame",
    "provenance_text",
    "notes_rows",
    "file_stem",
    "figure_png",
    "with_provenance",
    "strip_provenance",
    "masked",
    "MISSING",
    "data_version_text",
    "with_version_line",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """A text cell that a spreadsheet would read as a formula gets a leading
    apostrophe; everything else is returned unchanged."""
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value


def _is_text_column(series: pd.Series) -> bool:
    return series.dtype == object or str(series.dtype).startswith("str")


def _csv_number(value, lang: str):
    """Floats inside text columns (a column that also holds ".") with the
    language's decimal sign; pandas converts only float columns itself."""
    if isinstance(value, float) and not math.isnan(value):
        text = repr(round(value, 10)).removesuffix(".0")
        return text.replace(".", ",") if lang == "de" else text
    return value


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """CSV the way each language's Excel opens it: ``;`` and decimal comma in
    German, UTF-8 with BOM. Text cells that start a formula are prefixed with an
    apostrophe (OWASP CSV injection)."""
    safe = frame.copy()
    for column in safe.columns:
        if _is_text_column(safe[column]):
            safe[column] = safe[column].map(
                lambda v: _csv_number(v, lang) if isinstance(v, float) else defuse(v)
            )
    # column names come from the data too (indicator names)
    safe.columns = [defuse(str(c)) for c in safe.columns]
    buffer = io.StringIO()
    if lang == "de":
        safe.to_csv(buffer, sep=";", decimal=",", index=False)
    else:
        safe.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8-sig")


def data_version_text(
    version_id: str, published_at: str, data_date: str, lang: str
) -> str:
    """One short line: "Datenversion 20260110T…-3fa2c1 vom 10.01.2026 ·
    Datenstand 31.12.2025" (the parts that are known)."""
    parts = []
    if version_id:
        published = _date_part(published_at, lang)
        parts.append(
            t("export.version_published", lang, version=version_id, date=published)
            if published
            else t("export.version", lang, version=version_id)
        )
    if data_date:
        parts.append(t("app.data_date", lang, date=fmt_date(data_date, lang)))
    return " · ".join(parts)


def _date_part(timestamp: str, lang: str) -> str:
    try:
        return fmt_date(dt.date.fromisoformat(str(timestamp)[:10]), lang)
    except ValueError:
        return ""


def with_version_line(csv: bytes, line: str) -> bytes:
    """A CSV with ``# <line>`` above its header (kept as UTF-8 with BOM): the
    version a download came from, as GENESIS tables carry their title above the
    header. ``pandas.read_csv(..., comment="#")`` skips it."""
    if not line:
        return csv
    text = csv.decode("utf-8-sig")
    comment = "# " + " ".join(line.split())
    return (comment + "\n" + text).encode("utf-8-sig")


def provenance_text(is_demo: bool, data_date: str, lang: str) -> str:
    """The data status: "Demodaten · Stand 31.12.2025" (date only for real data)."""
    parts = []
    if is_demo:
        parts.append(t("common.demodaten", lang))
    if data_date:
        parts.append(t("export.data_date", lang, date=fmt_date(data_date, lang)))
    return " · ".join(parts)


def definitions_frame(
    catalog: Catalog, indicator_ids: Sequence[str], lang: str
) -> pd.DataFrame:
    """The "Indikatorenblatt": definition, counts, source, direction, rule."""
    rows = []
    for ind_id in indicator_ids:
        ind = catalog[ind_id]
        rule = (
            t("export.rule_count", lang, n=ind.min_numerator - 1)
            if ind.unit == "count"
            else t(
                "export.rule",
                lang,
                n=ind.min_numerator - 1,
                d=ind.min_denominator,
            )
        )
        rows.append(
            {
                t("export.col_indicator", lang): ind.text("name", lang),
                t("export.col_id", lang): ind.id,
                t("export.col_domain", lang): catalog.domain(ind.domain).name(lang),
                t("export.col_unit", lang): t(f"units.{ind.unit}", lang),
                t("export.col_numerator", lang): ind.text("numerator", lang),
                t("export.col_denominator", lang): ind.text("denominator", lang),
                t("export.col_source", lang): ind.text("source", lang),
                t("export.col_direction", lang): t(f"direction.{ind.direction}", lang),
                t("export.col_suppression", lang): rule,
                t("export.col_explanation", lang): ind.text("explanation", lang),
            }
        )
    return pd.DataFrame(rows)


def notes_rows(
    *,
    title: str,
    is_demo: bool,
    data_date: str,
    sources: Sequence[str],
    lang: str,
    link: str = "",
    extra: Sequence[tuple[str, str]] = (),
) -> list[tuple[str, str]]:
    """Label/value lines of the notes sheet (title, data status, source, signs)."""
    rows = [(t("export.note_title", lang), title)]
    if is_demo:
        rows.append((t("common.demodaten", lang), t("export.demo_text", lang)))
    if data_date:
        rows.append((t("export.note_date", lang), fmt_date(data_date, lang)))
    rows.append((t("export.note_source", lang), "; ".join(dict.fromkeys(sources))))
    rows.append(
        (t("export.note_created", lang), fmt_date(dt.date.today().isoformat(), lang))
    )
    rows.append((SUPPRESSED, t("status.suppressed", lang)))
    rows.append((t("export.note_empty", lang), t("status.missing", lang)))
    rows.extend(extra)
    if link:
        rows.append((t("export.note_link", lang), link))
    return rows


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, used: set[str]) -> str:
    title = _SHEET_BAD.sub(" ", name).strip()[:31] or "Daten"
    base, n = title, 2
    while title in used:
        title = f"{base[:28]}_{n}"
        n += 1
    used.add(title)
    return title


def _write_cell(ws, row: int, col: int, value, number_format: str | None = None):
    cell = ws.cell(row=row, column=col)
    if (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    ):
        return cell
    if isinstance(value, bool):
        cell.value = str(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        cell.value = value
        if number_format:
            cell.number_format = number_format
    elif hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return _write_cell(ws, row, col, value.item(), number_format)
    else:
        # always text: a name such as "=HYPERLINK(...)" must not become a formula
        cell.value = str(value)
        cell.data_type = "s"
        if cell.value[:1] in _FORMULA_START:
            cell.quotePrefix = True
    return cell


def _number_format(series: pd.Series) -> str:
    numbers = [
        v for v in series if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    numbers = [float(v) for v in numbers if not math.isnan(float(v))]
    if numbers and all(v.is_integer() for v in numbers):
        return "#,##0"
    if numbers and all(round(v, 1) == v for v in numbers):
        return "#,##0.0"
    return "#,##0.0##"


def _write_table(ws, frame: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    header_font = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8ECF1")
    for col, name in enumerate(frame.columns, start=1):
        cell = _write_cell(ws, 1, col, str(name))
        cell.font = header_font
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = {c: _number_format(frame[c]) for c in frame.columns}
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        for col, (name, value) in enumerate(zip(frame.columns, row, strict=True), 1):
            cell = _write_cell(ws, r, col, value, formats[name])
            if cell.value == SUPPRESSED:
                cell.alignment = Alignment(horizontal="right")
    for col, name in enumerate(frame.columns, start=1):
        texts = [str(name)] + [str(v) for v in frame[name].head(200)]
        width = min(max(len(x) for x in texts) + 2, 60)
        ws.column_dimensions[get_column_letter(col)].width = max(width, 8)
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = ws.dimensions


def xlsx_bytes(
    sheets: Sequence[tuple[str, pd.DataFrame]],
    *,
    definitions: pd.DataFrame | None,
    notes: Sequence[tuple[str, str]],
    lang: str,
    title: str = "",
    creator: str = "",
    version: str = "",
) -> bytes:
    """A workbook: the data sheets (as shown), the indicator definitions and notes;
    ``creator`` (the data folder's title) is the author in its properties.

    Every text cell is written as text (never a formula); suppressed cells hold
    "."; numbers are numbers with a number format.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for name, frame in sheets:
        _write_table(wb.create_sheet(_sheet_title(name, used)), frame)
    if definitions is not None:
        ws = wb.create_sheet(_sheet_title(t("export.sheet_definitions", lang), used))
        _write_table(ws, definitions)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws = wb.create_sheet(_sheet_title(t("export.sheet_notes", lang), used))
    for r, (label, value) in enumerate(notes, start=1):
        _write_cell(ws, r, 1, label).font = Font(bold=True)
        _write_cell(ws, r, 2, value).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    wb.properties.title = title[:200]
    wb.properties.creator = (creator or t("app.title", lang))[:200]
    if version:
        wb.properties.version = version[:200]
        wb.properties.description = version[:500]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook(
    sheets: Sequence[tuple[str, pd.DataFrame]],
    *,
    catalog: Catalog,
    indicator_ids: Sequence[str],
    meta,
    title: str,
    sources: Sequence[str],
    lang: str,
    link: str = "",
) -> bytes:
    """The XLSX download of a page: its sheets, the definitions of its
    indicators and the notes (title, data status of ``meta``, sources, link);
    the data version of ``meta`` goes into the notes and the document
    properties."""
    version = data_version_text(
        getattr(meta, "version_id", ""), getattr(meta, "published_at", ""), "", lang
    )
    return xlsx_bytes(
        sheets,
        definitions=definitions_frame(catalog, indicator_ids, lang),
        notes=notes_rows(
            title=title,
            is_demo=meta.is_demo,
            data_date=meta.data_date,
            sources=sources,
            lang=lang,
            link=link,
            extra=[(t("export.note_version", lang), version)] if version else (),
        ),
        lang=lang,
        title=title,
        creator=(meta.title_en or meta.title) if lang == "en" else meta.title,
        version=version,
    )


_TRANSLIT = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
}


def file_stem(*parts: object, is_demo: bool) -> str:
    """``quartiersmonitor_profil_nordstadt-2_2025_demodaten``: ASCII only, so
    a name from the data cannot carry a path or a script into a file name."""
    out = ["quartiersmonitor"]
    for part in parts:
        text = "".join(_TRANSLIT.get(ch, ch) for ch in str(part))
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50]
        if slug:
            out.append(slug)
    if is_demo:
        out.append("demodaten")
    return "_".join(out)


# -- PNG of a plotly figure (kaleido) -------------------------------------------------
_KALEIDO_LOCK = threading.Lock()
_KALEIDO: dict[str, bool] = {"started": False}


def figure_png(
    fig, *, width: int = 1200, height: int | None = None, scale: float = 2
) -> bytes:
    """The figure as PNG, rendered offline by kaleido (Debian's Chromium).

    Without a running sync server every image starts its own browser (kaleido's
    ``calc_fig_sync`` runs a one-shot ``Kaleido``); so the server is started once
    per process (``kaleido.start_sync_server``) and stopped at exit, and a lock
    keeps concurrent downloads from sharing the browser tab.
    """
    import kaleido

    with _KALEIDO_LOCK:
        if not _KALEIDO["started"]:
            kaleido.start_sync_server(silence_warnings=True)
            atexit.register(kaleido.stop_sync_server, silence_warnings=True)
            _KALEIDO["started"] = True
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fig.to_image(
                format="png",
                width=width,
                height=height or fig.layout.height or 500,
                scale=scale,
            )


def with_provenance(
    frame: pd.DataFrame, *, is_demo: bool, data_date: str, source: str, lang: str
) -> pd.DataFrame:
    """The frame with a "Datenstand" and a "Quelle" column appended."""
    out = frame.copy()
    out[t("export.col_data_status", lang)] = provenance_text(is_demo, data_date, lang)
    out[t("export.col_source", lang)] = source
    return out


def strip_provenance(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The inverse of :func:`with_provenance` (tests, round trips)."""
    drop = [t("export.col_data_status", lang), t("export.col_source", lang)]
    return frame.drop(columns=[c for c in drop if c in frame.columns])


def masked(
    frame: pd.DataFrame, suppressed: pd.DataFrame | Mapping[str, Sequence[bool]]
) -> pd.DataFrame:
    """Put "." into the cells marked True in ``suppressed`` (same shape/columns)."""
    out = frame.copy()
    for column, mask in dict(suppressed).items():
        mask = pd.Series(list(mask), index=out.index, dtype=bool)
        if mask.any():
            out[column] = out[column].astype(object).where(~mask, SUPPRESSED)
    return out
