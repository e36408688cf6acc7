"""Matching table rows to areas by key and by name, on real files
(tests/fixtures/realdata: GADM Kreise with names only, VG250 Gemeinden with AGS)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from monitor.ingest.matching import (
    match_areas,
    normalise_key,
    normalise_name,
    read_mapping_table,
    source_rows,
    write_mapping_table,
)
from monitor.ingest.vector_files import read_vector

HERE = Path(__file__).parent
KREISE = HERE / "fixtures/realdata/deutschland-kreise/kreise_niedrig.geo.json"
OFFICIAL = HERE / "fixtures/ingest/kreise_amtlich.csv"


@pytest.fixture(scope="module")
def kreise():
    return read_vector(KREISE)[0]


@pytest.fixture(scope="module")
def official() -> pd.DataFrame:
    return pd.read_csv(OFFICIAL, sep=";", dtype=str)


@pytest.fixture(scope="module")
def report(kreise, official):
    source = source_rows(
        kreise, "NAME_3", alt_names=("VARNAME_3",), type_column="TYPE_3"
    )
    return match_areas(
        source,
        official,
        key_column="kreis_schluessel",
        name_column="name",
        file="kreise_niedrig.geo.json",
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Regionalverband Saarbrücken", "Saarbrücken Städte"),
        ("St. Wendel, Landkreis", "Sankt Wendel"),
        ("Saarpfalz-Kreis", "Saarpfalz"),
        ("Flensburg, krsfr. Stadt", "Flensburg Städte"),
        ("Kiel, Landeshauptstadt, Kreisfreie Stadt", "Kiel"),
        ("Frankenthal (Pfalz), Kreisfreie Stadt", "Frankenthal"),
        ("Rhein-Hunsrück-Kreis", "Rhein Hunsrück"),
        ("GROSSENHAIN", "Großenhain"),
    ],
)
def test_names_that_mean_the_same_area_normalise_alike(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_base_letters_are_a_second_chance():
    assert normalise_name("Koln") != normalise_name("Köln")
    assert normalise_name("Koln", True) == normalise_name("Köln", True)


def test_keys_are_text_and_lost_zeros_come_back():
    assert normalise_key("01001000") == ("01001000", False)
    assert normalise_key(1001000, width=8) == ("01001000", True)
    assert normalise_key(10043114.0) == ("10043114", False)


def test_the_saarland_kreise_match_by_name(report, kreise):
    saar = kreise.index[kreise["NAME_1"] == "Saarland"]
    rows = report.rows.set_index("source_row").loc[saar]
    assert (rows["status"] == "matched").all()
    assert set(rows["area_id"]) == {
        "10041",
        "10042",
        "10043",
        "10044",
        "10045",
        "10046",
    }
    by_name = dict(zip(rows["source_name"], rows["area_name"], strict=True))
    assert by_name["Saarbrücken Städte"] == "Regionalverband Saarbrücken"
    assert by_name["Sankt Wendel"] == "St. Wendel, Landkreis"
    assert by_name["Saarpfalz"] == "Saarpfalz-Kreis"


def test_same_name_different_kind_is_decided_by_the_type(report):
    rows = report.rows.set_index("source_name")
    assert rows.loc["Kaiserslautern Städte", "area_id"] == "07312"
    assert rows.loc["Kaiserslautern", "area_id"] == "07335"
    assert rows.loc["Munich Städte", "area_id"] == "09162"  # VARNAME_3 "München"
    assert rows.loc["München", "area_id"] == "09184"


def test_two_features_for_one_official_area_are_ambiguous(report):
    rows = report.rows.set_index("source_name")
    # GADM has the old Kreis Aachen and the city; both became Städteregion Aachen
    assert rows.loc["Aachen", "status"] == "ambiguous"
    assert rows.loc["Aachen Städte", "status"] == "ambiguous"
    assert "Aachen Städte" in rows.loc["Aachen", "candidates"]


def test_every_unmatched_row_is_named(report, kreise):
    unmatched = report.rows[report.rows["status"] == "unmatched"]
    problems = {p.row: p for p in report.problems() if p.code == "unmatched"}
    assert set(problems) == set(unmatched["source_row"])
    for row in unmatched.itertuples():
        assert kreise.loc[row.source_row, "NAME_3"] in problems[row.source_row].message
        assert problems[row.source_row].file == "kreise_niedrig.geo.json"
    rlp_saar = kreise.index[kreise["NAME_1"].isin(["Saarland", "Rheinland-Pfalz"])]
    left = unmatched[unmatched["source_row"].isin(rlp_saar)]["source_name"]
    assert list(left) == ["Bitburg-Prüm"]  # officially "Eifelkreis Bitburg-Prüm"
    assert report.counts == {"matched": 47, "ambiguous": 2, "unmatched": 385}
    assert set(report.unmatched_areas["name"]) == {
        "Eifelkreis Bitburg-Prüm",
        "Pirmasens, Kreisfreie Stadt",  # missing in the GADM file
        "Städteregion Aachen",
        "Mecklenburgische Seenplatte, Landkreis",  # created 2011, after GADM
    }


def test_the_mapping_table_resolves_the_rest(kreise, official, tmp_path, report):
    table = write_mapping_table(report).decode("utf-8-sig")
    assert table.splitlines()[0] == "quelle_name;area_id;status;kandidaten"
    path = tmp_path / "zuordnung.csv"
    path.write_text(
        "quelle_name;area_id\nBitburg-Prüm;07232\nAachen;05334\n", encoding="utf-8"
    )
    manual = read_mapping_table(path)
    source = source_rows(
        kreise, "NAME_3", alt_names=("VARNAME_3",), type_column="TYPE_3"
    )
    again = match_areas(
        source,
        official,
        key_column="kreis_schluessel",
        name_column="name",
        manual=manual,
    )
    rows = again.rows.set_index("source_name")
    assert rows.loc["Bitburg-Prüm", "area_id"] == "07232"
    assert rows.loc["Bitburg-Prüm", "method"] == "Zuordnungstabelle"
    assert rows.loc["Aachen", "status"] == "matched"
    assert rows.loc["Aachen Städte", "status"] == "matched"  # no longer doubled


def test_keys_win_over_names_and_keep_leading_zeros():
    targets = pd.DataFrame(
        {"area_id": ["01001000", "10043114"], "name": ["Flensburg", "Neunkirchen"]}
    )
    source = pd.DataFrame(
        {
            "source_row": [2, 3, 4],
            "key": [1001000, "10043114", "99999999"],
            "name": ["Flensburg", "ganz anders", "Neunkirchen"],
        }
    )
    report = match_areas(source, targets)
    rows = report.rows.set_index("source_row")
    assert rows.loc[2, "area_id"] == "01001000"
    assert "führende Null" in rows.loc[2, "method"]
    assert rows.loc[3, "area_id"] == "10043114"
    assert rows.loc[4, "status"] == "unmatched" and "99999999" in rows.loc[4, "note"]
