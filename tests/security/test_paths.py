"""Names the app turns into paths stay in their folders.

Workshop sequence ids (from a title, a link, a file in a data folder) become
``<folder>/<id>.yaml``; the edit folder comes from QM_EDIT_DIR and the data folder's
name. Hostile names: ``../``, absolute paths, NUL, Unicode dots and full-width
letters, Windows separators and drive letters, trailing newlines, very long
names; hostile folders: symbolic links to files outside, oversized files, YAML
alias bombs, a file whose id differs from its name.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from monitor.sequences import (
    MAX_FILE_BYTES,
    Sequence,
    SequenceError,
    Step,
    delete_sequence,
    free_id,
    load_sequences,
    save_sequence,
    sequence_path,
    slugify,
    valid_id,
)
from monitor.store import Store
from monitor.ui import auth
from tests.apptest import open_page
from tests.conftest import DEMO_DIR
from tests.security.common import EDITOR, SECRETS, texts, user

PAGES = {"karte", "uebersicht"}
HOSTILE_IDS = [
    "../evil",
    "..",
    ".",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "..\\..\\evil",
    "C:\\evil",
    "c:evil",
    "a\x00b",
    "evil\x00.yaml",
    "abc\n",
    "abc\r\n",
    "\u2024\u2024/evil",  # ONE DOT LEADER
    "a\uff0eb",  # FULLWIDTH FULL STOP
    "\uff41\uff42\uff43",  # full-width "abc"
    "abc\u200b",  # zero-width space
    "x" * 61,
    "x" * 5000,
    "",
    "-abc",
    "ABC",
    " abc",
    "%2e%2e%2fevil",
    "~root",
    "evil.yaml",
    None,
    5,
    ["abc"],
]


def step(page: str = "karte") -> Step:
    return Step(page, {"indikator": "kinderarmut"}, "Titel", "", "Notiz", "")


def sequence(seq_id: str) -> Sequence:
    return Sequence(seq_id, "Titel", "", (step(),), "edit")


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# ------------------------------------------------------------------- ids


@pytest.mark.parametrize("seq_id", HOSTILE_IDS, ids=repr)
def test_a_hostile_id_is_refused_by_save_delete_and_path(seq_id, tmp_path):
    folder = tmp_path / "root" / "ablaeufe"
    folder.mkdir(parents=True)
    (tmp_path / "root" / "evil.yaml").write_text("bleibt", encoding="utf-8")
    before = files(tmp_path)
    with pytest.raises(SequenceError, match="Ungültige Ablauf-ID"):
        valid_id(seq_id)
    with pytest.raises(SequenceError):
        sequence_path(folder, seq_id)
    with pytest.raises(SequenceError):
        save_sequence(sequence(seq_id), folder)
    with pytest.raises(SequenceError):
        delete_sequence(seq_id, folder)
    assert files(tmp_path) == before


@pytest.mark.parametrize("seq_id", HOSTILE_IDS[:-3], ids=repr)
def test_a_hostile_id_inside_a_file_is_reported_not_loaded(seq_id, tmp_path):
    (tmp_path / "x.yaml").write_text(
        yaml.safe_dump({"id": seq_id, "steps": [{"page": "karte"}]}), encoding="utf-8"
    )
    found, errors = load_sequences([(tmp_path, "data")], PAGES)
    assert found == {} and len(errors) == 1 and errors[0].startswith("x.yaml: ")


def test_the_refusal_names_the_id_printably():
    with pytest.raises(SequenceError) as caught:
        valid_id("a\x00b\n")
    assert "\x00" not in str(caught.value) and "a\\x00b\\n" in str(caught.value)


@pytest.mark.parametrize(
    "title",
    ["../../etc/passwd", "C:\\Windows\\system32", "\x00", "․․/․․/", "ａｂｃ",
     "Ünïcödé Straße", "x" * 5000, "a" * 59 + "-" + "b" * 10, "   ", "///"],
)  # fmt: skip
def test_slugify_makes_a_valid_id_of_any_title(title):
    assert valid_id(slugify(title)) == slugify(title)


def test_free_id_never_overwrites_and_stays_valid():
    assert free_id("werkstatt", {"ag-arbeit"}) == "werkstatt"
    assert free_id("werkstatt", {"werkstatt"}) == "werkstatt-2"
    assert free_id("werkstatt", {"werkstatt", "werkstatt-2"}) == "werkstatt-3"
    long = "x" * 60
    taken = {long} | {f"{'x' * 58}-{n}" for n in range(2, 10)}
    assert valid_id(free_id(long, taken)) not in taken


# ----------------------------------------------------- symbolic links, sizes


def test_save_replaces_a_link_in_the_folder_never_its_target(tmp_path):
    folder, outside = tmp_path / "ablaeufe", tmp_path / "outside.txt"
    folder.mkdir()
    outside.write_text("fremd", encoding="utf-8")
    (folder / "werkstatt.yaml").symlink_to(outside)
    path = save_sequence(sequence("werkstatt"), folder)
    assert outside.read_text(encoding="utf-8") == "fremd"
    assert not path.is_symlink() and "werkstatt" in path.read_text(encoding="utf-8")


def test_delete_removes_a_link_never_its_target(tmp_path):
    folder, outside = tmp_path / "ablaeufe", tmp_path / "outside.yaml"
    folder.mkdir()
    outside.write_text("fremd", encoding="utf-8")
    (folder / "werkstatt.yaml").symlink_to(outside)
    delete_sequence("werkstatt", folder)
    assert not (folder / "werkstatt.yaml").is_symlink()
    assert outside.read_text(encoding="utf-8") == "fremd"


def test_delete_of_a_missing_sequence_or_a_folder_is_refused(tmp_path):
    (tmp_path / "ordner.yaml").mkdir()
    for seq_id in ("fehlt", "ordner"):
        with pytest.raises(SequenceError, match="gibt es"):
            delete_sequence(seq_id, tmp_path)
    assert (tmp_path / "ordner.yaml").is_dir()


def test_load_never_follows_a_link_and_bounds_sizes(tmp_path):
    folder = tmp_path / "ablaeufe"
    folder.mkdir()
    secret = tmp_path / "geheim.yaml"
    save_sequence(sequence("geheim"), tmp_path)
    (folder / "geheim.yaml").symlink_to(secret)
    (folder / "gross.yaml").write_text(
        "id: gross\n# " + "x" * MAX_FILE_BYTES, encoding="utf-8"
    )
    (folder / "ordner.yaml").mkdir()
    save_sequence(sequence("gut"), folder)
    found, errors = load_sequences([(folder, "edit")], PAGES)
    assert set(found) == {"gut"}
    assert any(e.startswith("geheim.yaml: symbolischer Verweis") for e in errors)
    assert any(e.startswith("gross.yaml: größer als") for e in errors)
    assert any(e.startswith("ordner.yaml: ") for e in errors)


BOMB = """\
id: bombe
a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
steps:
  - page: karte
    title_de: *g
    params: {indikator: *g}
"""


@pytest.mark.parametrize("where", ["title_de", "params"])
def test_a_yaml_alias_bomb_is_refused_without_expanding_it(where, tmp_path):
    text = BOMB if where == "title_de" else BOMB.replace("    title_de: *g\n", "")
    (tmp_path / "bombe.yaml").write_text(text, encoding="utf-8")
    found, errors = load_sequences([(tmp_path, "data")], PAGES)
    assert found == {} and "bombe.yaml: Schritt 1" in errors[0]


def test_an_id_that_differs_from_its_file_name_is_reported(tmp_path):
    save_sequence(sequence("echt"), tmp_path)
    os.rename(tmp_path / "echt.yaml", tmp_path / "anders.yaml")
    found, errors = load_sequences([(tmp_path, "data")], PAGES)
    assert found == {} and "passt nicht zum Dateinamen" in errors[0]


def test_a_saved_sequence_loads_again_and_texts_are_bounded(tmp_path):
    save_sequence(sequence("werkstatt"), tmp_path)
    found, _ = load_sequences([(tmp_path, "edit")], PAGES)
    assert found["werkstatt"].steps == (step(),)
    long = Sequence("lang", "x" * 5000, "", (step(),), "edit")
    with pytest.raises(SequenceError, match="länger als"):
        save_sequence(long, tmp_path)
    assert not (tmp_path / "lang.yaml").exists()


def test_the_shipped_sequences_still_load():
    found, errors = load_sequences(
        [(DEMO_DIR / "ablaeufe", "data")], {"karte", "hotspots", "uebersicht",
                                             "profil", "entwicklung", "vergleich",
                                             "sozialindex", "ziele", "massnahmen"}
    )  # fmt: skip
    assert errors == [] and {"ag-arbeit", "denkwerkstatt-kinderarmut"} <= set(found)


# ------------------------------------------------------------- edit folders


def inside_data(tmp_path: Path) -> dict[str, Path]:
    """QM_EDIT_DIR values that all lie in the published data folder."""
    link = tmp_path / "link-to-data"
    link.symlink_to(DEMO_DIR, target_is_directory=True)
    return {
        "the data folder": DEMO_DIR,
        "a subfolder": DEMO_DIR / "x",
        "with ..": DEMO_DIR / "catalog" / ".." / "x",
        "a link to it": link,
    }


@pytest.mark.parametrize(
    "case", ["the data folder", "a subfolder", "with ..", "a link to it"]
)
@pytest.mark.parametrize("folder", [auth.edit_folder, auth.sequence_folder])
def test_an_edit_folder_inside_the_published_data_is_refused(
    case, folder, tmp_path, monkeypatch
):
    monkeypatch.setenv("QM_EDIT_DIR", str(inside_data(tmp_path)[case]))
    before = files(DEMO_DIR)
    with pytest.raises(auth.PermissionDeniedError, match="veröffentlichten Daten"):
        folder(Store(DEMO_DIR))
    assert files(DEMO_DIR) == before


def test_edit_folders_outside_the_data(environment):
    store = Store(DEMO_DIR)
    assert auth.edit_folder(store) == environment / "programm" / "demo"
    assert auth.sequence_folder(store) == environment / "ablaeufe"


def test_a_data_folder_named_dot_dot_does_not_climb_out_of_programm(environment):
    store = Store(DEMO_DIR / "catalog" / "..")
    assert store.data_dir.name == ".."
    assert auth.edit_folder(store) == environment / "programm" / "demo"


def test_saving_a_sequence_with_the_edit_folder_in_the_data_is_refused(monkeypatch):
    """In the page: saving a sequence with QM_EDIT_DIR inside the data folder is
    refused with the German reason, and nothing appears in the data folder."""
    monkeypatch.setenv("QM_EDIT_DIR", str(DEMO_DIR / "x"))
    before = files(DEMO_DIR)
    at = open_page("ablauf", user=user(EDITOR), secrets=SECRETS)
    at.selectbox(key="w_ablauf_wahl").set_value("__neu__").run()
    at.text_input(key="w_ablauf_titel___neu__").input("Werkstatt")
    next(b for b in at.button if b.label == "Ansicht hinzufügen").click().run()
    at.button(key="ablauf_save").click().run()
    assert "liegt in den veröffentlichten Daten" in texts(at, "error")
    assert files(DEMO_DIR) == before


def test_a_sequence_link_with_a_hostile_id_opens_nothing():
    at = open_page(params={"ablauf": "../../etc/passwd", "schritt": "1"})
    assert "„ablauf“" in texts(at, "warning")
