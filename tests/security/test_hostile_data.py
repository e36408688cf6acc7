"""Hostile data: every text of the data folder is HTML, JavaScript, a formula, an
RTL override, zero-width characters or 5,000 characters long (tests/security/
hostile_data.py); it must stay inert in every output.

- every page (AppTest): no exception, no error page; Markdown shows the text
  escaped (monitor.formatting.plain), HTML blocks escape it, map tooltips are text
  templates (deck.gl ``text``, never ``html``);
- downloads, built exactly as the pages offer them: CSV and XLSX have no formula
  cell (openpyxl ``data_type != "f"``, formula starts quoted or prefixed), the
  Steckbrief PDF holds the literal strings (pypdf) and lays out a 5,000-character
  name;
- the browser: see test_hostile_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest
from pypdf import PdfReader

from monitor.viewstate import PAGES
from tests.apptest import open_page
from tests.security import hostile_data as hd
from tests.security.hostile_support import error_shown

# hostile markup as it must never reach Markdown unescaped
OWN_SCRIPT = re.compile(
    r"<style>div:has\(> \.st-key-qm_document_language\) \{ display: none; \}</style>"
    r'<script>document\.documentElement\.lang = "(de|en)";</script>'
)
RAW_MARKUP = re.compile(r"(?<!\\)<(script|img)|(?<!\\)\]\(javascript|(?<!\\)\[Klick")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    data_dir, edit_dir = hd.build_hostile_dir(tmp_path_factory.mktemp("hostile"))
    return data_dir, edit_dir


@pytest.fixture(scope="module")
def pages(hostile):
    """Every page opened once on the hostile folder, with the bytes of each
    download it offers (CSV, XLSX, PDF; PNGs need kaleido and are not text)."""
    data_dir, edit_dir = hostile
    mp = pytest.MonkeyPatch()
    mp.setenv("QM_DATA_DIR", str(data_dir))
    mp.setenv("QM_EDIT_DIR", str(edit_dir))
    files: dict[str, bytes] = {}
    import monitor.ui.downloads as downloads

    original = downloads.download_row

    def recording_row(items, columns=4):
        for item in items:
            if item is not None and not item.file_name.endswith(".png"):
                files[item.file_name] = item.make()
        original(items, columns)

    mp.setattr(downloads, "download_row", recording_row)
    try:
        opened = {p.id: open_page(p.id, check=False) for p in PAGES}
    finally:
        mp.undo()
    return opened, files


def test_the_hostile_copy_is_still_verified(hostile):
    from monitor.store import Store

    store = Store(hostile[0])
    assert store.disclosure.origin == "verified" and store.problems == {}
    assert hd.SCRIPT in set(store.areas().name)


@pytest.mark.parametrize("page_id", [p.id for p in PAGES])
def test_every_page_shows_hostile_texts_inert(pages, page_id):
    at = pages[0][page_id]
    assert not at.exception, at.exception
    assert error_shown(at) is None, [e.value for e in at.error]
    markdown = [
        *at.markdown,
        *at.caption,
        *at.subheader,
        *at.title,
        *at.info,
        *at.warning,
        *at.error,
        *at.success,
    ]
    for element in markdown:
        found = RAW_MARKUP.search(str(element.value))
        assert not found, (element.type, str(element.value)[:300])
    for element in [*at.metric, *at.expander]:
        label = str(getattr(element, "label", ""))
        assert not RAW_MARKUP.search(label), (element.type, label[:200])
    for html in at.get("html"):
        body = html.proto.body
        if OWN_SCRIPT.fullmatch(body):
            continue  # the app's own <html lang> line (monitor/ui/document_language)
        assert "<script" not in body and "<img src=x" not in body, body[:300]
        assert "onerror=" not in body.replace("onerror=&quot;", "")
    for chart in at.get("deck_gl_json_chart"):
        spec = json.loads(chart.proto.json)
        tooltip = spec.get("tooltip") or chart.proto.tooltip
        if tooltip:
            tip = json.loads(tooltip) if isinstance(tooltip, str) else tooltip
            assert "html" not in tip, "a tooltip as HTML would run the names"


def _csv_cells(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    dialect = ";" if text.splitlines()[0].count(";") else ","
    return [
        cell for row in csv.reader(io.StringIO(text), delimiter=dialect) for cell in row
    ]


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"-?[0-9.]*[0-9](,[0-9]+)?", cell))


def test_the_pages_offer_csv_xlsx_and_pdf(pages):
    kinds = {name.rsplit(".", 1)[1] for name in pages[1]}
    assert {"csv", "xlsx", "pdf"} <= kinds, sorted(pages[1])


def test_csv_downloads_have_no_formula_cells(pages):
    for name, data in pages[1].items():
        if not name.endswith(".csv"):
            continue
        cells = _csv_cells(data)
        for cell in cells:
            if cell[:1] in FORMULA_START:
                assert _is_number(cell), (name, cell[:80])
        assert any(c.startswith("'=HYPERLINK") for c in cells) or not any(
            hd.FORMULA in c for c in cells
        ), name


def test_xlsx_downloads_have_no_formula_cells(pages):
    for name, data in pages[1].items():
        if not name.endswith(".xlsx"):
            continue
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, sheet.title, cell.coordinate)
                    value = cell.value
                    if isinstance(value, str) and value[:1] in FORMULA_START:
                        assert cell.quotePrefix or value.startswith("'"), (
                            name,
                            sheet.title,
                            cell.coordinate,
                            value[:60],
                        )
        archive = zipfile.ZipFile(io.BytesIO(data))
        for member in archive.namelist():
            if member.startswith("xl/worksheets/"):
                xml = archive.read(member)
                assert b"<f>" not in xml and b"<f " not in xml, (name, member)


def test_the_steckbrief_pdf_prints_the_literal_names(pages):
    pdfs = [data for name, data in pages[1].items() if name.endswith(".pdf")]
    assert pdfs, "Profil offers the Steckbrief"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdfs[0])).pages)
    assert hd.SCRIPT in text  # the default area's name, as printed text
    assert "__pwned" in text


@pytest.mark.parametrize(
    "area_id", ["innenstadt", "neunkirchen", "innenstadt-oberstadt", "hangard"]
)
def test_steckbrief_of_hostile_names_lays_out(hostile, area_id):
    from monitor.store import Store
    from monitor.views.steckbrief_pdf import steckbrief_pdf
    from tools.steckbriefe import profile_from_store

    store = Store(hostile[0])
    name = hd.NAMED[area_id]
    pdf = steckbrief_pdf(profile_from_store(store, area_id, 2025, "de"), store.catalog)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    flat = re.sub(r"\s+", "", text)
    if area_id == "hangard":  # RTL override: the letters, in stored order
        assert "NAMRЕH".replace("Е", "E") in text or "NAMREH" in flat
    elif area_id == "innenstadt-oberstadt":  # 5,000 characters: wrapped, all there
        assert "x" * 200 in flat
    else:
        assert re.sub(r"\s+", "", name) in flat
