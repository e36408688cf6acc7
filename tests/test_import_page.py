"""The page "Daten importieren" through AppTest, and the app serving versions: a
viewer is refused; an admin uploads, reads the reports, publishes and rolls back;
a failed step leaves the served version byte-identical; a new version is served
without a restart; a broken pointer or version gives a German message."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from monitor import versions
from monitor.ingest import staging, steps
from monitor.store import Store
from tests.apptest import open_page
from tests.import_root import (
    EPPELBORN,
    GEMEINDEN,
    GENESIS,
    INDICATOR,
    build_root,
    changed_genesis,
)


@pytest.fixture
def root(tmp_path, monkeypatch):
    folder = tmp_path / "root"
    build_root(folder, with_values=False)
    monkeypatch.setenv("QM_DATA_DIR", str(folder))
    monkeypatch.setenv("QM_EDIT_DIR", str(tmp_path / "edits"))
    monkeypatch.setenv("QM_BASEMAP", "blank")
    monkeypatch.delenv("QM_DEMO_EDIT", raising=False)
    return folder


def import_page(admin: bool, monkeypatch) -> AppTest:
    if admin:
        monkeypatch.setenv("QM_DEMO_EDIT", "1")
    return open_page("import")


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [s.value for s in at.success] + [c.value for c in at.caption]
    parts += [h.value for h in at.subheader]
    return "\n".join(str(p) for p in parts)


def click(at: AppTest, label: str) -> AppTest:
    buttons = [b for b in at.button if b.label == label]
    assert buttons, [b.label for b in at.button]
    buttons[0].click().run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, kind: str, path, mime: str) -> AppTest:
    at.radio(key="w_import_kind").set_value(kind).run()
    at.file_uploader(key=f"w_import_{kind}").set_value(
        (path.name, path.read_bytes(), mime)
    ).run()
    assert not at.exception, at.exception
    return at


def test_a_viewer_is_refused(root, monkeypatch):
    at = import_page(admin=False, monkeypatch=monkeypatch)
    assert "nur Administratorinnen und Administratoren" in texts(at)
    assert not at.file_uploader and not at.radio


def test_admin_uploads_checks_publishes_and_rolls_back(root, monkeypatch, tmp_path):
    first = versions.current(root)
    first_digest = versions.folder_digest(first.path)
    at = import_page(admin=True, monkeypatch=monkeypatch)
    assert "Veröffentlichte Versionen" in texts(at)

    upload(at, "boundaries", GEMEINDEN, "application/geo+json")
    assert "52 Gebiete in der Datei." in texts(at)
    assert at.selectbox(key="w_imp_key").value == "AGS"
    click(at, "Prüfen und zur neuen Version hinzufügen")
    staged = staging.stagings(root)
    assert len(staged) == 1 and "Staging-Version" in texts(at)

    upload(at, "genesis", GENESIS, "text/csv")
    assert "5 zugeordnet, 0 mehrdeutig, 0 ohne Gebiet" in texts(at)
    at.selectbox(key="w_imp_indicator").set_value(INDICATOR).run()
    click(at, "Prüfen und zur neuen Version hinzufügen")
    assert len(staging.stagings(root)) == 1  # the same staging version
    assert "Prüfbericht" in texts(at)
    summary = next(d.value for d in at.dataframe if "Änderung" in d.value.columns)
    rows = dict(zip(summary["Änderung"], summary["Wert"], strict=True))
    assert rows["Neue Werte"] == "15" and rows["Neue Indikatoren"] == INDICATOR
    assert versions.current(root).id == first.id  # nothing served before publish
    assert versions.folder_digest(first.path) == first_digest

    click(at, "Veröffentlichen")
    served = versions.current(root)
    assert served.id == staged[0].id
    assert "wird jetzt ausgeliefert" in texts(at)
    values = Store(root).level_values(INDICATOR, 2023, "stadt").set_index("area_id")
    assert values.loc[EPPELBORN, "value"] == 1198

    click(at, f"Zurück zu Version {first.id}")
    assert versions.current(root).id == first.id
    assert versions.folder_digest(versions.current(root).path) == first_digest
    assert f"Version {first.id} wird wieder ausgeliefert." in texts(at)


def test_a_failed_step_leaves_the_served_version_byte_identical(
    root, monkeypatch, tmp_path
):
    before = versions.folder_digest(root)
    at = import_page(admin=True, monkeypatch=monkeypatch)
    bad = tmp_path / "vorlage.csv"
    bad.write_text(
        "gebiet_schluessel;gebiet_name;indikator;jahr;zaehler;nenner\n"
        "10043111;Eppelborn;gibtesnicht;2023;12;\n",
        encoding="utf-8",
    )
    upload(at, "template", bad, "text/csv")
    click(at, "Prüfen und zur neuen Version hinzufügen")
    report = next(d.value for d in at.dataframe if "Meldung" in d.value.columns)
    assert "gibtesnicht" in " ".join(report["Meldung"])
    assert report["Zeile"].tolist() == [2] and report["Art"].tolist() == ["Fehler"]
    assert not [b for b in at.button if b.label == "Veröffentlichen"]
    assert versions.folder_digest(root) == before  # no staging folder either


def eppelborn(at: AppTest) -> float:
    table = next(d.value for d in at.dataframe if "Gebiet" in d.value.columns)
    return float(table.set_index("Gebiet").loc["Eppelborn", "Wert"])


def test_a_new_version_is_served_to_an_open_session_without_restart(
    root, monkeypatch, tmp_path
):
    build_at = staging.open_staging(root)
    assert steps.stage_table(build_at, GENESIS, kind="genesis", indicator=INDICATOR).ok
    staging.publish_staged(root, build_at.id, who="t")
    at = open_page("karte", {"indikator": INDICATOR, "jahr": "2023", "ebene": "stadt"})
    at.session_state["karte_tabelle_offen_stadt"] = True  # the table under the map
    at.run()
    assert eppelborn(at) == 1198
    new = staging.open_staging(root)
    assert steps.stage_table(
        new, changed_genesis(tmp_path), kind="genesis", indicator=INDICATOR
    ).ok
    staging.publish_staged(root, new.id, who="t")
    at.run()  # the next interaction of the same session
    assert not at.exception, at.exception
    assert eppelborn(at) == 1234


def test_a_broken_pointer_is_a_german_message_page(root):
    (root / versions.CURRENT).write_text("kaputt\n")
    at = open_page()
    assert any("keine gültige Version" in e.value for e in at.error)


def test_a_version_that_does_not_open_leaves_the_last_good_one_served(root, tmp_path):
    good = versions.current(root)
    at = open_page()
    broken = versions.create_staging(root, base=good.path)
    (broken / "areas.parquet").chmod(0o644)
    (broken / "areas.parquet").write_bytes(b"not parquet")
    versions.publish(root, broken, who="t")  # bypasses the import's checks
    at.run()
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.warning)
    assert broken.name in warning and good.id in warning
    assert "keine lesbare Parquet-Datei" in warning
    shutil.rmtree(tmp_path / "edits", ignore_errors=True)
