"""Downloads of Profil, Vergleich and Entwicklung: CSV/XLSX round trips, suppression,
hostile names as plain text, the Steckbrief PDF (text, pages, not blank), PNG."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from monitor.formatting import SUPPRESSED, fmt_number, fmt_value
from monitor.views import comparison, exports, profile_figures, profile_tables, trends
from monitor.views.steckbrief_pdf import steckbrief_pdf
from tools.steckbriefe import profile_from_store

AREA = "innenstadt-oberstadt"


@pytest.fixture(scope="module")
def demo_profile(demo_store):
    return profile_from_store(demo_store, AREA, 2025, "de")


@pytest.fixture(scope="module")
def tiny_profiles(tiny_store):
    return {a: profile_from_store(tiny_store, a, 2021, "de") for a in ("q1", "q2")}


def read_csv_back(data: bytes, lang: str) -> pd.DataFrame:
    text = data.decode("utf-8-sig")
    if lang == "de":
        return pd.read_csv(io.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def normalise(frame: pd.DataFrame) -> list[list[str]]:
    """Cells as comparable strings: numbers as floats rounded, "." and text kept."""
    out = []
    for row in frame.itertuples(index=False):
        cells = []
        for v in row:
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                cells.append("")
            elif isinstance(v, int | float | np.integer | np.floating):
                cells.append(f"{float(v):.4f}")
            else:
                text = str(v)
                try:
                    cells.append(f"{float(text.replace(',', '.')):.4f}")
                except ValueError:
                    cells.append(
                        text[1:] if text[:2] in ("'=", "'+", "'-", "'@") else text
                    )
        out.append(cells)
    return out


# -- profile table --------------------------------------------------------------------
def test_profile_export_matches_the_store(demo_store, demo_profile):
    export = profile_tables.profile_export(demo_profile)
    row = export[export["Indikator-ID"] == "kinderarmut"].iloc[0]
    values = demo_store.area_values([AREA, "neunkirchen"])
    hit = values[(values.indicator_id == "kinderarmut") & (values.year == 2025)]
    own = hit[hit.area_id == AREA].iloc[0]
    city = hit[hit.area_id == "neunkirchen"].iloc[0]
    assert row["Wert"] == round(own.value, 1)
    assert row["Zähler"] == own.numerator and row["Nenner"] == own.denominator
    assert row["Stadt"] == round(city.value, 1)
    assert row["Stadt = 100"] == round(100 * own.value / city.value)
    level = demo_store.level_values("kinderarmut", 2025, "quartier")
    expected_rank = int(
        level.value.rank(ascending=False, method="min")[level.area_id == AREA].iloc[0]
    )
    assert row["Rang"] == expected_rank
    assert row["Gebiete mit Rang"] == level.value.notna().sum()


def test_page_tables_show_exactly_the_export(demo_profile):
    export = profile_tables.profile_export(demo_profile)
    tables = profile_tables.domain_tables(demo_profile, export)
    shown = pd.concat([t.frame for t in tables], ignore_index=True)
    assert len(shown) == len(export)
    for (_, exp), (_, disp) in zip(export.iterrows(), shown.iterrows(), strict=True):
        unit = demo_profile.rows.set_index("indicator_id").unit[exp["Indikator-ID"]]
        value = exp["Wert"]
        if isinstance(value, str):
            expected = value
        elif unit == "per_100":  # the unit moves into the row label
            expected = fmt_number(value, "de", 1)
            assert disp["Indikator"].endswith("(je 100 EW)")
        else:
            expected = fmt_value(value, unit, "de")
        assert disp["Wert"] == expected
        assert disp["Indikator"].startswith(exp["Indikator"])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_csv_round_trip_equals_the_shown_table(demo_store, lang):
    profile = profile_from_store(demo_store, AREA, 2025, lang)
    export = profile_tables.profile_export(profile)
    back = read_csv_back(exports.csv_bytes(export, lang), lang)
    assert list(back.columns) == list(export.columns)
    assert normalise(back) == normalise(export)


def test_xlsx_round_trip_equals_the_shown_table_and_has_definitions(
    demo_store, demo_profile
):
    export = profile_tables.profile_export(demo_profile)
    data = exports.xlsx_bytes(
        [
            ("Profil", export),
            ("Zeitreihen", profile_tables.series_export(demo_profile)),
        ],
        definitions=exports.definitions_frame(
            demo_store.catalog, demo_store.catalog.ids, "de"
        ),
        notes=exports.notes_rows(
            title="Steckbrief",
            is_demo=True,
            data_date="2025-12-31",
            sources=demo_profile.sources,
            lang="de",
        ),
        lang="de",
    )
    book = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(book) == ["Profil", "Zeitreihen", "Definitionen", "Hinweise"]
    assert normalise(book["Profil"]) == normalise(export)
    defs = book["Definitionen"]
    assert set(defs["Link-ID"]) == set(demo_store.catalog.ids)
    assert {"Zähler", "Nenner", "Quelle"} <= set(defs.columns)
    notes = pd.read_excel(io.BytesIO(data), sheet_name="Hinweise", header=None)
    flat = " ".join(str(v) for v in notes.to_numpy().ravel())
    assert "Demodaten" in flat and "31.12.2025" in flat


def test_comparison_and_trend_exports_round_trip(demo_store):
    areas = demo_store.areas()
    chosen = ["perspektivquartier", "innenstadt", "wellesweiler"]
    comp = comparison.build_comparison(
        area_ids=chosen,
        areas=areas,
        catalog=demo_store.catalog,
        indicator_ids=["kinderarmut", "leerstandsquote", "einwohner"],
        year=2024,
        values=demo_store.area_values([*chosen, "neunkirchen"]),
        bench=demo_store.benchmark_values(
            ["kinderarmut", "leerstandsquote", "einwohner"]
        ),
        place=demo_store.place,
        lang="de",
    )
    back = read_csv_back(exports.csv_bytes(comp.frame, "de"), "de")
    assert normalise(back) == normalise(comp.frame)
    # the city and every benchmark, named as in the data, in the data's order
    assert list(comp.frame.iloc[-4:, 0]) == [
        "Stadt Neunkirchen",
        "Landkreis Neunkirchen",
        "Saarland",
        "Deutschland",
    ]
    assert any("2022" in h for h in comp.headers.values())  # leerstandsquote: 2022 only
    values = demo_store.area_values(["wellesweiler", "neunkirchen"])
    series = trends.trend_series(
        values=values,
        bench=demo_store.benchmark_values(["sgb2_quote"]),
        indicator_id="sgb2_quote",
        area_ids=["wellesweiler"],
        names=areas.set_index("area_id").name,
        city="neunkirchen",
        lang="de",
        benchmarks=demo_store.place.benchmarks,
    )
    out = trends.series_export(series, demo_store.catalog["sgb2_quote"], "de")
    xlsx = exports.xlsx_bytes(
        [("Zeitreihen", out)], definitions=None, notes=[], lang="de"
    )
    assert normalise(pd.read_excel(io.BytesIO(xlsx))) == normalise(out)


# -- suppression and hostile names (tiny data set) ---------------------------------
def test_suppressed_cells_stay_suppressed_everywhere(tiny_store, tiny_profiles):
    profile = tiny_profiles["q2"]  # <b>x</b>: kinderarmut 2021 suppressed (2 / 50)
    export = profile_tables.profile_export(profile)
    row = export[export["Indikator-ID"] == "kinderarmut"].iloc[0]
    assert row["Wert"] == SUPPRESSED
    assert row["Zähler"] == SUPPRESSED and row["Nenner"] == SUPPRESSED
    assert row["Stadt = 100"] == SUPPRESSED
    csv = exports.csv_bytes(export, "de").decode("utf-8-sig")
    assert "4,0" not in csv and ";2;" not in csv and ";50;" not in csv
    xlsx = exports.xlsx_bytes(
        [("Profil", export)], definitions=None, notes=[], lang="de"
    )
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["Profil"]
    header = [c.value for c in ws[1]]
    cells = {h: c.value for h, c in zip(header, ws[2], strict=True)}
    assert cells["Wert"] == SUPPRESSED and cells["Zähler"] == SUPPRESSED
    series = profile_tables.series_export(profile)
    hit = series[(series["Jahr"] == 2021) & (series["Indikator-ID"] == "kinderarmut")]
    assert list(hit["Wert"]) == [SUPPRESSED]
    pdf_text = _pdf_text(steckbrief_pdf(profile, tiny_store.catalog))
    assert "4,0 %" not in pdf_text
    assert SUPPRESSED in pdf_text


@pytest.mark.parametrize("area", ["q1", "q2"])
def test_hostile_names_come_out_as_plain_text(tiny_store, tiny_profiles, area):
    profile = tiny_profiles[area]
    name = {"q1": "=1+1", "q2": "<b>x</b>"}[area]
    export = profile_tables.profile_export(profile)
    assert export["Gebiet"].iloc[0] == name
    # CSV: a leading "=" is defused with an apostrophe, the rest stays text
    csv = exports.csv_bytes(export, "de").decode("utf-8-sig")
    first_cell = csv.splitlines()[1].split(";")[0]
    assert first_cell == ("'=1+1" if area == "q1" else "<b>x</b>")
    # XLSX: written as a string cell, never a formula
    xlsx = exports.xlsx_bytes(
        [("Profil", export)], definitions=None, notes=[], lang="de"
    )
    cell = openpyxl.load_workbook(io.BytesIO(xlsx))["Profil"]["A2"]
    assert cell.value == name and cell.data_type == "s"
    sheet_xml = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    assert pd.read_excel(io.BytesIO(xlsx)).iloc[0, 0] == name
    # PDF: the name as printed text, not as markup
    text = _pdf_text(steckbrief_pdf(profile, tiny_store.catalog))
    assert name in text
    # file names: ASCII only
    assert re.fullmatch(
        r"[a-z0-9_-]+", exports.file_stem("profil", name, 2021, is_demo=True)
    )


def test_formula_like_text_is_defused_for_every_formula_start():
    frame = pd.DataFrame({"a": ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "ok"]})
    back = read_csv_back(exports.csv_bytes(frame, "de"), "de")
    assert list(back["a"]) == ['\'=HYPERLINK("x")', "'+1", "'-1", "'@SUM(A1)", "ok"]
    xlsx = exports.xlsx_bytes([("t", frame)], definitions=None, notes=[], lang="de")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))["t"]
    assert [c.value for c in ws["A"]][1:] == list(frame.a)
    assert all(c.data_type == "s" for c in ws["A"])


# -- the Steckbrief PDF -------------------------------------------------------------
def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_steckbrief_pdf_opens_with_name_figure_pages_and_demodaten(
    demo_store, demo_profile
):
    pdf = steckbrief_pdf(demo_profile, demo_store.catalog)
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4
        text = page.extract_text()
        assert "Demodaten" in text or "DEMODATEN" in text
        assert re.search(r"Seite \d von \d", text)
    text = _pdf_text(pdf)
    assert "Innenstadt-Oberstadt" in text
    row = demo_profile.rows.set_index("indicator_id").loc["kinderarmut"]
    known = fmt_value(row.value, "percent", "de")  # e.g. "59,2 %" with a thin space
    assert known.replace("\u202f", "") in text.replace("\u202f", "").replace(" ", "")
    assert "Stand 31.12.2025" in text
    assert "Quellen:" in text


def test_steckbrief_pdf_in_english(demo_store):
    profile = profile_from_store(demo_store, "wellesweiler", 2025, "en")
    text = _pdf_text(steckbrief_pdf(profile, demo_store.catalog))
    assert "Wellesweiler" in text and "Page 1 of" in text


def test_rendered_pdf_page_is_not_blank(demo_store, demo_profile, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm missing: run `make poppler` (apt-get poppler-utils)")
    path = tmp_path / "steckbrief.pdf"
    path.write_bytes(steckbrief_pdf(demo_profile, demo_store.catalog))
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "40",
            "-f",
            "1",
            "-l",
            "1",
            str(path),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    dark = sum(count for count, level in image.getcolors(256 * 256) if level < 200)
    assert dark / (image.width * image.height) > 0.03


def test_png_of_a_chart_is_an_image_with_content(demo_profile):
    import kaleido  # noqa: F401 - a requirement; a missing one fails here

    fig = profile_figures.city_index_figure(
        demo_profile, footer="Demodaten · Stand 31.12.2025"
    )
    png = exports.figure_png(fig, width=800, scale=1)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.width == 800
    dark = sum(count for count, level in image.getcolors(256 * 256) if level < 200)
    assert dark / (image.width * image.height) > 0.01
