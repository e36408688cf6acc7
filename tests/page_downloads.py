"""The files behind a page's download buttons, as AppTest rendered them.

Buttons whose ``data`` is a callable register it with the runtime's
MediaFileManager (built on click). AppTest replaces its mock runtime after each
run, so :func:`recording_media` keeps the managers it creates and
:func:`downloads` calls the callables of the rendered buttons, exactly as a click
would (outside the script run: a callable must not need the session).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test


@dataclass(frozen=True)
class File:
    label: str
    name: str
    data: bytes


@pytest.fixture
def recording_media(monkeypatch) -> list[MediaFileManager]:
    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    monkeypatch.setenv("QM_BASEMAP", "blank")
    return managers


def downloads(at: AppTest, managers: list[MediaFileManager]) -> dict[str, File]:
    """Every deferred download of the last run, by its widget key."""
    manager = managers[-1]
    files = {}
    for button in at.get("download_button"):
        proto = button.proto
        if not proto.HasField("deferred_file_id"):
            continue
        entry = manager._deferred_callables[proto.deferred_file_id]
        data = entry["callable"]()
        files[_key(proto.id)] = File(proto.label, entry.get("filename") or "", data)
    return files


def _key(element_id: str) -> str:
    """The user key inside Streamlit's element id (``$$ID-<hash>-<key>``)."""
    return element_id.split("-", 2)[-1] if element_id.startswith("$$ID") else element_id


def read_csv(data: bytes) -> pd.DataFrame:
    """A German CSV download as text cells, without its data version line
    (``# Datenversion …`` above the header, monitor.views.exports)."""
    text = data.decode("utf-8-sig")
    if text.startswith("# "):
        text = text.partition("\n")[2]
    return pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype=str,
                       keep_default_na=False)  # fmt: skip


def assert_no_formulas(data: bytes) -> openpyxl.Workbook:
    """The workbook opened; no cell of any sheet is a formula."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
    return book


def sheet_frame(book: openpyxl.Workbook, name: str) -> pd.DataFrame:
    rows = list(book[name].values)
    return pd.DataFrame(rows[1:], columns=rows[0])
