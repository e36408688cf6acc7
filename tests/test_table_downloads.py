"""Every page's table downloads pass one helper (monitor.ui.downloads.table_files):
each CSV starts with the data version line and carries Datenstand and Quelle; the
workbook holds the same table, the notes and the link of the view on screen."""

from __future__ import annotations

import pytest

from tests.apptest import open_page
from tests.page_downloads import (
    assert_no_formulas,
    downloads,
    read_csv,
    recording_media,  # noqa: F401 - fixture
    sheet_frame,
)

# page -> (link, widget key prefix of its table files, number of CSV files)
PAGES = {
    "hotspots": ({"indikator": "kinderarmut", "ebene": "quartier"}, "dl_hs", 1),
    "sozialindex": ({"ebene": "quartier"}, "dl_si", 1),
    "zusammenhang": ({"ebene": "quartier"}, "dl_zh", 1),
    "vergleich": ({"ebene": "quartier"}, "dl_vergleich", 1),
    "entwicklung": ({"ebene": "quartier"}, "dl_entw", 2),
    "profil": ({"ebene": "quartier"}, "dl_profil", 1),
    "ziele": ({}, "dl_ziele", 1),
    "massnahmen": ({}, "dl_mn", 1),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_csv_and_workbook_of_every_page(page, recording_media):  # noqa: F811
    link, prefix, n_csv = PAGES[page]
    at = open_page(page, {"jahr": "2025", **link})
    files = {k: f for k, f in downloads(at, recording_media).items()
             if k.startswith(prefix)}  # fmt: skip
    csvs = {k: f for k, f in files.items() if f.name.endswith(".csv")}
    assert len(csvs) == n_csv, sorted(files)
    first = None
    for file in csvs.values():
        assert file.data.decode("utf-8-sig").startswith("# Datenversion")
        table = read_csv(file.data)
        assert {"Datenstand", "Quelle"} <= set(table.columns), table.columns
        assert table["Datenstand"].str.contains("Demodaten").all()
        first = table if first is None else first
    book = assert_no_formulas(files[f"{prefix}_xlsx"].data)
    assert book.sheetnames[-1] == "Hinweise"
    # the first CSV is the first sheet of the workbook, row by row
    sheet = sheet_frame(book, book.sheetnames[0])
    assert list(sheet.columns) == list(first.columns)
    assert len(sheet) == len(first)
    notes = " ".join(str(c) for row in book["Hinweise"].values for c in row if c)
    assert "Demodaten" in notes
    assert "sprache=de" in notes, notes  # the link of this view
