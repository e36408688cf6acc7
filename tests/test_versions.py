"""Versioned publishing: immutable versions, one atomic pointer, rollback."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from monitor import versions
from monitor.versions import VersionError

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"


def _folder(path: Path, marker: str, n_files: int = 3) -> Path:
    path.mkdir(parents=True)
    (path / "meta.json").write_text(f'{{"data_version": "{marker}"}}\n')
    for i in range(n_files):
        (path / f"part{i}.bin").write_bytes(f"{marker}-{i}".encode() * 1000)
    (path / "same.bin").write_bytes(b"unchanged" * 1000)
    return path


def test_a_plain_folder_is_served_as_one_version():
    version = versions.current(DEMO)
    assert not version.versioned
    assert version.path == DEMO
    assert version.id == "demo-1"


def test_publish_switches_the_pointer_and_keeps_the_old_version(tmp_path):
    root = tmp_path / "root"
    first = versions.init_versioned(root, _folder(tmp_path / "a", "A"), who="t")
    staging = versions.create_staging(root)
    shutil.copytree(_folder(tmp_path / "b", "B"), staging, dirs_exist_ok=True)
    second = versions.publish(root, staging, who="t", note="neu")
    assert versions.current(root).id == second.id != first.id
    assert [v.id for v in versions.list_versions(root)] == [second.id, first.id]
    assert (first.path / "meta.json").read_text() == '{"data_version": "A"}\n'
    assert versions.current(root).note == "neu"
    assert not (root / versions.STAGING / staging.name).exists()


def test_unchanged_files_are_shared_not_copied(tmp_path):
    root = tmp_path / "root"
    first = versions.init_versioned(root, _folder(tmp_path / "a", "A"), who="t")
    staging = versions.create_staging(root, base=first.path)
    (staging / "part0.bin").unlink()
    (staging / "part0.bin").write_bytes(b"changed")
    second = versions.publish(root, staging, who="t")
    same_old, same_new = first.path / "same.bin", second.path / "same.bin"
    assert same_old.stat().st_ino == same_new.stat().st_ino
    assert (first.path / "part0.bin").stat().st_ino != (
        second.path / "part0.bin"
    ).stat().st_ino
    assert (first.path / "part0.bin").read_bytes() == b"A-0" * 1000


def test_rollback_restores_byte_identical_files(tmp_path):
    root = tmp_path / "root"
    first = versions.init_versioned(root, _folder(tmp_path / "a", "A"), who="t")
    digest = versions.folder_digest(first.path)
    staging = versions.create_staging(root, base=first.path)
    (staging / "part1.bin").unlink()
    (staging / "part1.bin").write_bytes(b"other")
    versions.publish(root, staging, who="t")
    assert versions.folder_digest(versions.current(root).path) != digest
    back = versions.rollback(root, first.id, who="t")
    assert back.id == first.id
    assert versions.folder_digest(back.path) == digest
    actions = [e["action"] for e in versions.history(root)]
    assert actions == ["publish", "publish", "rollback"]


@pytest.mark.parametrize(
    "bad", ["", "../etc", "20260101T000000Z-abcdeg", "x" * 200, "20260101T000000Z"]
)
def test_hostile_version_ids_are_refused(tmp_path, bad):
    root = tmp_path / "root"
    versions.init_versioned(root, _folder(tmp_path / "a", "A"), who="t")
    with pytest.raises(VersionError, match="Version"):
        versions.rollback(root, bad, who="t")


def test_a_pointer_to_a_missing_version_is_a_german_error(tmp_path):
    root = tmp_path / "root"
    versions.init_versioned(root, _folder(tmp_path / "a", "A"), who="t")
    (root / versions.CURRENT).write_text("20990101T000000Z-abcdef\n")
    with pytest.raises(VersionError, match="fehlt"):
        versions.current(root)
    (root / versions.CURRENT).write_text("kaputt\n")
    with pytest.raises(VersionError, match="keine gültige Version"):
        versions.current(root)


def test_only_staging_folders_of_the_root_can_be_published(tmp_path):
    root = tmp_path / "root"
    versions.init_versioned(root, _folder(tmp_path / "a", "A"), who="t")
    with pytest.raises(VersionError, match="Staging"):
        versions.publish(root, tmp_path / "a", who="t")


_CHILD = """
import shutil, sys
from pathlib import Path
from monitor import versions
root, source = Path(sys.argv[1]), Path(sys.argv[2])
staging = versions.create_staging(root)
shutil.copytree(source, staging, dirs_exist_ok=True)
print("staged", flush=True)
versions.publish(root, staging, who="kill-test")
print("published", flush=True)
"""


def test_kill_minus_nine_at_any_point_leaves_a_complete_version(tmp_path):
    """A publisher killed with SIGKILL at random moments: the served version is
    always complete and byte-identical to the old or the new one."""
    root = tmp_path / "root"
    old = versions.init_versioned(root, _folder(tmp_path / "a", "A", 40), who="t")
    new_source = _folder(tmp_path / "b", "B", 40)
    known = {versions.folder_digest(old.path), versions.folder_digest(new_source)}
    rng = random.Random(7)
    outcomes = set()
    for _ in range(25):
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(root), str(new_source)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout.readline().strip() == "staged"
        time.sleep(rng.uniform(0, 0.02))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        served = versions.current(root)
        assert versions.folder_digest(served.path) in known
        outcomes.add(served.id == old.id)
        if served.id != old.id:  # it got through: go back for the next round
            versions.rollback(root, old.id, who="t")
    assert versions.history(root)  # readable after all the kills
    assert True in outcomes  # at least one kill hit before the switch
