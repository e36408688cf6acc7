"""Browser test: a profile opened from a link, its Steckbrief (PDF) and its table
(XLSX) downloaded through the real buttons (Playwright + Debian's Chromium)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import BrowserContext, expect
from pypdf import PdfReader

from tests.browser import (
    MAIN,
    expect_no_exception,
    open_page,
    query_of,
    wait_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.browser_context_args(
        viewport={"width": 1600, "height": 1000}, accept_downloads=True
    ),
]

LINK = {"gebiet": "innenstadt-oberstadt", "jahr": "2024"}


def _download(page, label: str):
    button = page.get_by_test_id("stDownloadButton").filter(has_text=label)
    expect(button).to_have_count(1)
    with page.expect_download(timeout=60_000) as info:
        button.get_by_role("button").click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_profile_link_downloads_pdf_and_xlsx(context: BrowserContext, app_server: str):
    page, console = open_page(context, app_server, "profil", LINK)
    expect_no_exception(page)
    main = page.locator(MAIN)
    expect(main).to_contain_text("Innenstadt-Oberstadt")
    expect(main).to_contain_text("Demodaten")
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    assert query_of(page.url)["gebiet"] == [LINK["gebiet"]]

    name, pdf = _download(page, "Steckbrief (PDF)")
    assert name.endswith(".pdf") and "innenstadt-oberstadt" in name
    assert "demodaten" in name
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Innenstadt-Oberstadt" in text and "DEMODATEN" in text
    assert "Kennzahlen 2024" in text
    wait_idle(page)

    name, xlsx = _download(page, "Excel-Tabelle (XLSX)")
    assert name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    assert book.sheetnames[:2] == ["Profil", "Zeitreihen"]
    assert "Definitionen" in book.sheetnames and "Hinweise" in book.sheetnames
    sheet = book["Profil"]
    assert sheet["A2"].value == "Innenstadt-Oberstadt"
    header = [c.value for c in sheet[1]]
    assert "Datenstand" in header
    status = sheet.cell(row=2, column=header.index("Datenstand") + 1).value
    assert status.startswith("Demodaten")
    expect_no_exception(page)
    console.assert_clean()
