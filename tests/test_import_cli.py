"""``python -m monitor.ingest`` end to end on real-layout fixtures: boundaries and
a GENESIS table staged, published, opened by the Store, changed, rolled back;
German help and messages, exit codes, and kill -9 during publish."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from monitor import versions
from monitor.ingest import staging, steps
from monitor.ingest.cli import main
from monitor.store import Store
from tests.import_root import (
    CATALOG,
    EPPELBORN,
    GEMEINDEN,
    GENESIS,
    INDICATOR,
    ROOT,
    build_root,
    changed_genesis,
)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def staged_id(out: str) -> str:
    match = re.search(r"Staging-Version (\S+) bereit", out)
    assert match, out
    return match.group(1)


def value(store: Store, area: str, year: int):
    frame = store.level_values(INDICATOR, year, "stadt").set_index("area_id")
    return frame.loc[area]


def test_help_and_wrong_calls_are_german(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Aufruf: python -m monitor.ingest")
    assert "Befehle:" in out and "Rückgabewerte" in out
    with pytest.raises(SystemExit) as done:
        main(["table", "/tmp/x"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "Fehler: Es fehlt: DATEI, --art" in err and "usage" not in err
    with pytest.raises(SystemExit) as done:
        main(["table", "/tmp/x", "f.csv", "--art", "excel"])
    assert done.value.code == 2
    assert "„excel“ ist nicht möglich" in capsys.readouterr().err


def test_boundaries_and_a_genesis_table_staged_published_and_rolled_back(
    capsys, tmp_path
):
    root = tmp_path / "root"
    code, out, _ = run(capsys, "boundaries", root, GEMEINDEN, "--katalog", CATALOG)
    assert code == 0, out
    assert "Gebiete: 52" in out and "Neue Gebiete (52)" in out
    first = staged_id(out)
    assert not versions.is_versioned(root)  # nothing served before publish
    code, out, _ = run(
        capsys,
        *("table", root, GENESIS, "--art", "genesis"),
        *("--indikator", INDICATOR, "--staging", first),
    )
    assert code == 0, out
    assert "Zuordnung: 5 zugeordnet, 0 mehrdeutig, 0 ohne Gebiet" in out
    assert "Werte: 15" in out and "neue: 15" in out and "Neue Jahre (3)" in out
    code, out, _ = run(capsys, "validate", root, "--staging", first)
    assert code == 0, out
    code, out, _ = run(capsys, "publish", root, first, "--notiz", "erste")
    assert code == 0, out

    store = Store(root)
    assert store.version.id == first and store.disclosure.origin == "verified"
    assert value(store, EPPELBORN, 2023)["value"] == 1198
    assert value(store, EPPELBORN, 2023)["flag"] == "p"
    assert value(store, "10043112", 2021)["value"] == 0  # "-": a true zero
    assert value(store, "10043112", 2023)["status"] == "pending"  # "..."
    assert value(store, "10043113", 2022)["status"] == "suppressed"  # "."
    assert value(store, "10043114", 2023)["status"] == "not_meaningful"  # "x"
    assert value(store, "10043115", 2022)["status"] == "uncertain"  # "/"
    first_digest = versions.folder_digest(store.data_dir)
    counts = root / staging.COUNTS / f"{first}.parquet"
    assert counts.is_file() and counts.stat().st_mode & 0o077 == 0
    assert not list(store.data_dir.rglob("counts*"))  # never in a served folder

    code, out, _ = run(
        capsys,
        *("table", root, changed_genesis(tmp_path), "--art", "genesis"),
        *("--indikator", INDICATOR),
    )
    assert code == 0, out
    assert "Geänderte Werte: 1, neue: 0, entfallene: 0" in out
    second = staged_id(out)
    assert Store(root).version.id == first  # still the old one
    assert run(capsys, "publish", root, second)[0] == 0
    store = Store(root)
    assert store.version.id == second
    assert value(store, EPPELBORN, 2023)["value"] == 1234
    assert pd.isna(value(store, EPPELBORN, 2023)["flag"])

    code, out, _ = run(capsys, "versions", root)
    assert code == 0 and f"* {second}" in out and first in out
    code, out, _ = run(capsys, "rollback", root, first)
    assert code == 0, out
    store = Store(root)
    assert store.version.id == first
    assert versions.folder_digest(store.data_dir) == first_digest
    assert value(store, EPPELBORN, 2023)["value"] == 1198


def test_problems_exit_1_and_leave_the_served_version_byte_identical(capsys, tmp_path):
    root = tmp_path / "root"
    build_root(root)
    served = versions.current(root)
    before = versions.folder_digest(root)
    template = tmp_path / "vorlage.csv"
    template.write_text(
        "gebiet_schluessel;gebiet_name;indikator;jahr;zaehler;nenner\n"
        "10043111;Eppelborn;gibtesnicht;2023;12;\n"
        "10043111;Eppelborn;mindestsicherung;2023;-5;\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "table", root, template, "--art", "template")
    assert code == 1, out
    assert "Fehler: vorlage.csv, Zeile 2" in out and "gibtesnicht" in out
    assert "Zeile 3" in out and "Nichts übernommen" in out
    assert versions.folder_digest(root) == before  # also no staging left behind
    assert versions.current(root).id == served.id


@pytest.mark.parametrize(
    "argv,expected",
    [
        (("table", "{root}", "{garbage}", "--art", "genesis"), "kaputt.csv"),
        (("table", "{root}", "{missing}", "--art", "ba"), "nicht gefunden"),
        (("boundaries", "{root}", "{genesis}"), "genesis_22811"),
        (("publish", "{root}", "../../etc"), "gibt es"),
        (("rollback", "{root}", "20990101T000000Z-abcdef"), "gibt es"),
        (("table", "{root}", "{genesis}", "--art", "genesis"), "welcher Indikator"),
    ],
)
def test_bad_input_exits_2_with_a_german_message_not_a_traceback(
    capsys, tmp_path, argv, expected
):
    root = tmp_path / "root"
    build_root(root, with_values=False)
    before = versions.folder_digest(root)
    garbage = tmp_path / "kaputt.csv"
    garbage.write_bytes(bytes(range(256)) * 4)
    fill = {
        "root": root,
        "missing": tmp_path / "nichts.xlsx",
        "genesis": GENESIS,
        "garbage": garbage,
    }
    code, out, err = run(capsys, *(a.format(**fill) for a in argv))
    assert code == 2, (out, err)
    assert expected in out + err
    assert "Traceback" not in out + err
    assert versions.folder_digest(root) == before


def test_a_plain_folder_is_not_imported_into(capsys):
    code, _, err = run(
        capsys, "table", ROOT / "data" / "demo", GENESIS, "--art", "genesis"
    )
    assert code == 2 and "ohne Versionen" in err and "init" in err


def test_progress_is_plain_lines_when_not_a_terminal(tmp_path):
    root = tmp_path / "root"
    done = subprocess.run(
        [sys.executable, "-m", "monitor.ingest", "boundaries", str(root)]
        + [str(GEMEINDEN), "--katalog", str(CATALOG)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "[1/5] Datei lesen …" and "\r" not in done.stderr
    assert "\033" not in done.stderr


def _publish_command(root: Path, stage_id: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "monitor.ingest", "publish", str(root), stage_id],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def _wait_for_publishing(child: subprocess.Popen) -> None:
    line = child.stderr.readline()  # the imports are done: publishing starts
    if not line.startswith("[1/2]"):
        child.wait(timeout=60)
        pytest.fail(f"the CLI did not start publishing: {line}{child.stderr.read()}")


def _publish_seconds(root: Path, tmp_path: Path) -> float:
    """How long the CLI takes from "publishing starts" to its exit, unkilled."""
    stage = staging.open_staging(root)
    changed = changed_genesis(tmp_path, "1.299")
    assert steps.stage_table(stage, changed, kind="genesis", indicator=INDICATOR).ok
    child = _publish_command(root, stage.id)
    _wait_for_publishing(child)
    start = time.perf_counter()
    assert child.wait(timeout=120) == 0, child.stderr.read()
    assert versions.current(root).id == stage.id
    return time.perf_counter() - start


def test_kill_minus_nine_of_the_cli_publish_leaves_a_complete_version(tmp_path):
    """``python -m monitor.ingest publish`` killed at random moments: the served
    version is always complete, the old one or the new one. The moments are
    drawn from how long an unkilled publish takes on this machine (a fixed
    window was all after the switch once the machine got faster); the first kill
    comes right as publishing starts."""
    root = tmp_path / "root"
    old = build_root(root)
    old_digest = versions.folder_digest(versions.current(root).path)
    rng = random.Random(11)
    window = _publish_seconds(root, tmp_path)
    versions.rollback(root, old, who="test")
    delays = [0.0] + [rng.uniform(0, 1.2 * window) for _ in range(3)]
    outcomes = set()
    for round_, delay in enumerate(delays):
        stage = staging.open_staging(root)
        result = steps.stage_table(
            stage,
            changed_genesis(tmp_path, f"1.{300 + round_}"),
            kind="genesis",
            indicator=INDICATOR,
        )
        assert result.ok
        new_digest = versions.folder_digest(stage.path)
        child = _publish_command(root, stage.id)
        _wait_for_publishing(child)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        served = versions.current(root)
        digest = versions.folder_digest(served.path)
        if served.id == stage.id:  # published before the kill: complete
            assert digest == new_digest
            assert Store(root).disclosure.origin == "verified"
            outcomes.add("new")
            versions.rollback(root, old, who="test")
        else:
            assert served.id == old and digest == old_digest
            outcomes.add("old")
    assert "old" in outcomes
    assert versions.history(root)
    assert np.isfinite(value(Store(root), EPPELBORN, 2023)["value"])


def test_init_keeps_the_counts_of_a_raw_folder_and_refuses_imports_without(
    capsys, tmp_path, tiny_dir
):
    raw_root, published_root = tmp_path / "raw", tmp_path / "published"
    code, out, _ = run(capsys, "init", raw_root, "--aus", tiny_dir)
    assert code == 0 and "angelegt" in out and "Hinweis" not in out
    store = Store(raw_root)
    assert store.disclosure.origin == "verified"
    assert (raw_root / staging.COUNTS / f"{store.version.id}.parquet").is_file()

    code, out, _ = run(capsys, "init", published_root, "--aus", ROOT / "data" / "demo")
    assert code == 0 and "ohne Zählungen" in out
    before = versions.folder_digest(published_root)
    code, out, err = run(
        capsys,
        *("table", published_root, GENESIS, "--art", "genesis"),
        *("--indikator", "einwohner"),
    )
    assert code == 2 and "Zählungen nicht gespeichert" in out
    assert versions.folder_digest(published_root) == before


def test_progress_draws_a_bar_on_a_terminal():
    import io

    from monitor.ingest.progress import TextProgress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = TextProgress(stream)
    progress(1, 4, "Datei lesen")
    progress(3, 4, "Geheimhaltung prüfen")
    progress.done()
    text = stream.getvalue()
    assert "\r\033[K[" + "-" * 24 + "] 1/4 Datei lesen …" in text
    assert "[" + "#" * 12 + "-" * 12 + "] 3/4" in text
    assert text.endswith("] fertig\n")
