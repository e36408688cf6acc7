"""Every path that writes re-checks the role at the moment of writing.

Each form is opened by someone who may use it, filled, and then submitted after the
session's identity changed to someone who may not (not logged in, a viewer, and an
editor for the admin forms): the callback runs with the new identity, nothing is
written (the edit folder is byte for byte the same) and a German message says why.
The same form then writes for its rightful user, so the test drives a real write
path. Forms that are hidden from a role are also called directly
(:func:`monitor.ui.auth.append`, ``save_sequence``, ``delete_sequence``) with that
role. A source scan keeps the list of write paths complete.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitor.sequences import Sequence, Step, save_sequence
from tests.apptest import open_page, shared_components
from tests.conftest import ROOT
from tests.security.common import (
    ADMIN,
    ANONYMOUS,
    EDITOR,
    SECRETS,
    VIEWER,
    log_of,
    snapshot,
    texts,
    user,
)

DENIED = "Keine Berechtigung"
NOTHING = "Es wurde nichts gespeichert."
NEEDS_EDITOR = "Dafür ist die Rolle „Bearbeitung“ nötig, Ihre Rolle ist „Lesen“"
NEEDS_ADMIN_VIEWER = (
    "Dafür ist die Rolle „Administration“ nötig, Ihre Rolle ist „Lesen“"
)
NEEDS_ADMIN = "Dafür ist die Rolle „Administration“ nötig, Ihre Rolle ist „Bearbeitung“"
NOT_LOGGED_IN = "Sie sind nicht angemeldet"


# --------------------------------------------------------------- seeds and fills


def seed_progress(edits: Path) -> None:
    log_of(edits).append(
        "progress", "M001", {"date": "2025-06-01", "value": 650.0}, EDITOR
    )


def seed_measure(edits: Path) -> None:
    log_of(edits).append("measure", "M001", {"lead": "Frau Beispiel"}, ADMIN)


def seed_goal(edits: Path) -> None:
    log_of(edits).append(
        "goal", "Z07", {"target_value": 25.5}, ADMIN, published={"target_value": 28.3}
    )


def seed_sequence(edits: Path) -> None:
    step = Step("karte", {"indikator": "kinderarmut"}, "Kinderarmut", "", "", "")
    save_sequence(
        Sequence("werkstatt", "Werkstatt", "", (step,), "edit"), edits / "ablaeufe"
    )


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def form(submit: str, *fields: tuple[str, str, str]) -> Callable[[AppTest], object]:
    """A form filler: ``fields`` are (widget kind, key, value); returns the button
    labelled ``submit``."""

    def fill(at):
        for kind, key, value in fields:
            widget = getattr(at, kind)(key=key)
            if kind == "selectbox":
                widget.set_value(value)
            else:
                widget.input(value)
        return button(at, submit)

    return fill


def choose_revert(key: str):
    """The revert control of ``key`` (its choice: the latest entry)."""

    def fill(at):
        return at.button(key=f"{key}_revert")

    return fill


fill_progress = form(
    "Meldung speichern",
    ("text_input", "qm_pf_value", "700"),
    ("text_area", "qm_pf_comment", "Neue Gruppe"),
)
fill_status = form(
    "Status speichern",
    ("selectbox", "qm_sf_status", "delayed"),
    ("text_area", "qm_sf_comment", "Fachkräfte fehlen"),
)
fill_measure = form("Maßnahme speichern", ("text_input", "qm_mf_lead", "Herr Beispiel"))
fill_new_measure = form(
    "Maßnahme anlegen", ("text_input", "qm_nf_title", "Quartiersfonds")
)
fill_role = form(
    "Rolle speichern",
    ("text_input", "qm_rf_email", "neu@example.org"),
    ("selectbox", "qm_rf_role", "admin"),
)
fill_goal = form("Ziel speichern", ("text_input", "qm_gf_target", "20"))
fill_new_goal = form(
    "Ziel anlegen",
    ("text_input", "qm_ng_title", "Kinderarmut in der Oberstadt senken"),
    ("selectbox", "qm_ng_indicator", "kinderarmut"),
    ("selectbox", "qm_ng_area", "innenstadt-oberstadt"),
    ("text_input", "qm_ng_base_year", "2023"),
    ("text_input", "qm_ng_target", "55"),
    ("text_input", "qm_ng_target_year", "2034"),
)


def fill_sequence(at):
    if at.selectbox(key="w_ablauf_wahl").value != "__neu__":
        at.selectbox(key="w_ablauf_wahl").set_value("__neu__").run()
    if not at.session_state["_qm_draft___neu__"]["steps"]:
        at.text_input(key="w_ablauf_titel___neu__").input("Werkstatt Kinderarmut")
        button(at, "Ansicht hinzufügen").click().run()
    return at.button(key="ablauf_save")


def fill_delete(at):
    at.selectbox(key="w_ablauf_wahl").set_value("werkstatt")
    at.run()
    return at.button(key="ablauf_delete")


@dataclass(frozen=True)
class WritePath:
    """One form that writes: where it is, who may use it, how to fill it, and the
    function that writes (``module:function``, kept complete by the source scan)."""

    name: str
    writer: str
    page: str
    params: dict
    rightful: str
    intruders: tuple[tuple[dict, str], ...]
    fill: Callable[[AppTest], object]
    seed: Callable[[Path], None] | None = None
    extra: dict = field(default_factory=dict)


RECORD_INTRUDERS = ((ANONYMOUS, NOT_LOGGED_IN), (user(VIEWER), NEEDS_EDITOR))
MANAGE_INTRUDERS = (
    (ANONYMOUS, NOT_LOGGED_IN),
    (user(VIEWER), NEEDS_ADMIN_VIEWER),
    (user(EDITOR), NEEDS_ADMIN),
)
MEASURE = {"massnahme": "M001", "suche": "Kita-Pl"}

WRITE_PATHS = (
    WritePath(
        "progress report",
        "monitor/ui/programme_forms.py:_save_progress",
        "massnahmen", MEASURE, EDITOR, RECORD_INTRUDERS, fill_progress,
    ),
    WritePath(
        "status change",
        "monitor/ui/programme_forms.py:_save_status",
        "massnahmen", MEASURE, EDITOR, RECORD_INTRUDERS, fill_status,
    ),
    WritePath(
        "revert of a report",
        "monitor/ui/programme_forms.py:_revert",
        "massnahmen", MEASURE, EDITOR, RECORD_INTRUDERS, choose_revert("measure"),
        seed_progress,
    ),
    WritePath(
        "measure edit",
        "monitor/ui/measure_admin.py:_save_measure",
        "massnahmen", MEASURE, ADMIN, MANAGE_INTRUDERS, fill_measure,
    ),
    WritePath(
        "measure create",
        "monitor/ui/measure_admin.py:_new_measure",
        "massnahmen", MEASURE, ADMIN, MANAGE_INTRUDERS, fill_new_measure,
    ),
    WritePath(
        "revert of a measure edit",
        "monitor/ui/programme_forms.py:_revert",
        "massnahmen", MEASURE, ADMIN, MANAGE_INTRUDERS,
        choose_revert("measure_admin"), seed_measure,
    ),
    WritePath(
        "role change",
        "monitor/ui/role_admin.py:_save_role",
        "massnahmen", MEASURE, ADMIN, MANAGE_INTRUDERS, fill_role,
    ),
    WritePath(
        "goal edit",
        "monitor/ui/goal_admin.py:_save_goal",
        "ziele", {"ziel": "Z07"}, ADMIN, MANAGE_INTRUDERS, fill_goal,
    ),
    WritePath(
        "goal create",
        "monitor/ui/goal_admin.py:_new_goal",
        "ziele", {"ziel": "Z07"}, ADMIN, MANAGE_INTRUDERS, fill_new_goal,
    ),
    WritePath(
        "revert of a goal edit",
        "monitor/ui/programme_forms.py:_revert",
        "ziele", {"ziel": "Z07"}, ADMIN, MANAGE_INTRUDERS, choose_revert("goal"),
        seed_goal,
    ),
    WritePath(
        "sequence save",
        "monitor/ui/sequence_admin.py:save",
        "ablauf", {}, EDITOR, RECORD_INTRUDERS, fill_sequence,
    ),
    WritePath(
        "sequence delete",
        "monitor/ui/sequence_admin.py:delete",
        "ablauf", {}, EDITOR, RECORD_INTRUDERS, fill_delete, seed_sequence,
    ),
)  # fmt: skip


@pytest.mark.parametrize("path", WRITE_PATHS, ids=[p.name for p in WRITE_PATHS])
def test_a_form_submitted_by_someone_without_the_role_writes_nothing(
    path: WritePath, environment
):
    if path.seed:
        path.seed(environment)
    before = snapshot(environment)
    rightful = user(path.rightful)
    at = open_page(path.page, path.params, user=rightful, secrets=SECRETS)
    for n, (intruder, reason) in enumerate(path.intruders):
        if n:
            at.user = rightful
            at.run()
        submit = path.fill(at)
        at.user = intruder  # logged out, or the role withdrawn, since the form drew
        submit.click().run()
        assert not at.exception, at.exception
        errors = texts(at, "error")
        assert DENIED in errors and reason in errors and NOTHING in errors, errors
        assert not at.success
        assert snapshot(environment) == before, f"{path.name}: written by {intruder}"
    # the rightful user's submit of the same form writes: the path is real
    at.user = rightful
    at.run()
    path.fill(at).click().run()
    assert not at.exception, at.exception
    assert snapshot(environment) != before, f"{path.name} wrote nothing for its user"
    assert DENIED not in texts(at, "error")


# -------------------------------------------- the doors, called with each identity


def _door(kind, action, target, values, sequence_call):
    """An app page that calls a write door directly and shows what happened."""
    import streamlit as st

    from monitor.sequences import Sequence, Step
    from monitor.ui import auth, data

    store = data.get_store()
    try:
        if sequence_call == "save":
            seq = Sequence("tuer", "Tür", "", (Step("karte"),), "edit")
            done = auth.save_sequence(store, seq).name
        elif sequence_call == "delete":
            done = auth.delete_sequence(store, target).name
        else:
            state = auth.edit_log(store).state()
            if kind == "revert":  # the target is the n-th entry of the log
                target = state.entries[int(target)].entry_id
            done = auth.append(store, action, kind, target, values).seq
    except auth.PermissionDeniedError as exc:
        st.error(str(exc))
    except Exception as exc:  # noqa: BLE001 - the test reads the class name
        st.warning(f"{type(exc).__name__}: {exc}")
    else:
        st.success(f"written {done}")


def call_door(who, secrets, kind="", action="", target="", values=None, seq=""):
    at = shared_components(
        AppTest.from_function(
            _door, args=(kind, action, target, values or {}, seq), default_timeout=60
        )
    )
    if secrets is not None:
        at.secrets = secrets
    if who is not None:
        at.user = who
    at.run()
    assert not at.exception, at.exception
    return at


def seed_for_reverts(edits: Path) -> None:
    """Entries 0-5: a report (editor), a measure, a goal and a role change (admin),
    a second measure change and the admin's revert of it."""
    log = log_of(edits)
    seed_progress(edits)
    seed_measure(edits)
    seed_goal(edits)
    log.append("role", "neu@example.org", {"role": "editor"}, ADMIN)
    log.append("measure", "M001", {"title": "Zwischenstand"}, ADMIN)
    log.append("revert", log.entries()[4].entry_id, {"comment": ""}, ADMIN)


REPORT = {"date": "2025-06-01", "value": 700.0, "status": "in_progress"}
EDITS = [
    ("progress", "record", "M001", REPORT),
    ("status", "record", "M001", {"status": "delayed", "comment": "x"}),
    ("measure", "manage", "M001", {"title": "Anders"}),
    ("goal", "manage", "Z07", {"target_value": 20.0}),
    ("role", "manage", "neu@example.org", {"role": "admin"}),
    ("revert", "record", "0", {"comment": ""}),
]
NOBODY = [
    ("readonly", None, {}, "Installation ist schreibgeschützt"),
    ("anonymous", ANONYMOUS, SECRETS, NOT_LOGGED_IN),
    ("viewer", user(VIEWER), SECRETS, "Ihre Rolle ist „Lesen“"),
    ("unverified admin", user(ADMIN, verified=False), SECRETS, "nicht als bestätigt"),
    ("admin without claim", user(ADMIN, verified=None), SECRETS, "nicht als bestätigt"),
    ("no e-mail, sub", {"is_logged_in": True, "sub": ADMIN}, SECRETS, "keine E-Mail"),
]


@pytest.mark.parametrize("kind,action,target,values", EDITS, ids=[e[0] for e in EDITS])
@pytest.mark.parametrize(
    "who,secrets,reason", [n[1:] for n in NOBODY], ids=[n[0] for n in NOBODY]
)
def test_append_refuses_every_kind_for_everyone_below_editor(
    kind, action, target, values, who, secrets, reason, environment
):
    seed_for_reverts(environment)
    before = snapshot(environment)
    at = call_door(who, secrets, kind, action, target, values)
    assert DENIED in texts(at, "error") and reason in texts(at, "error")
    assert snapshot(environment) == before


ADMIN_ONLY = [
    ("measure edit", "measure", "manage", "M001", {"title": "Anders"}),
    ("goal edit", "goal", "manage", "Z07", {"target_value": 20.0}),
    ("role change", "role", "manage", "neu@example.org", {"role": "admin"}),
    # a forged caller naming the weaker action: the kind decides
    ("role change as record", "role", "record", "neu@example.org", {"role": "admin"}),
    ("goal edit as record", "goal", "record", "Z07", {"target_value": 1.0}),
    ("revert of a measure edit", "revert", "record", "1", {"comment": ""}),
    ("revert of a goal edit", "revert", "record", "2", {"comment": ""}),
    ("revert of a role change", "revert", "record", "3", {"comment": ""}),
    ("revert of an admin's revert", "revert", "record", "5", {"comment": ""}),
]


@pytest.mark.parametrize(
    "kind,action,target,values",
    [a[1:] for a in ADMIN_ONLY],
    ids=[a[0] for a in ADMIN_ONLY],
)
def test_an_editor_cannot_do_what_only_admins_may(
    kind, action, target, values, environment
):
    seed_for_reverts(environment)
    before = snapshot(environment)
    at = call_door(user(EDITOR), SECRETS, kind, action, target, values)
    assert NEEDS_ADMIN in texts(at, "error"), texts(at, "error") + texts(at, "warning")
    assert snapshot(environment) == before
    # the same call by an admin is written
    at = call_door(user(ADMIN), SECRETS, kind, action, target, values)
    assert "written 7" in texts(at, "success"), texts(at, "warning")


def test_an_editor_may_revert_a_report_and_record(environment):
    seed_for_reverts(environment)
    at = call_door(user(EDITOR), SECRETS, "revert", "record", "0", {"comment": ""})
    assert "written 7" in texts(at, "success")
    at = call_door(user(EDITOR), SECRETS, "progress", "record", "M001", REPORT)
    assert "written 8" in texts(at, "success")
    assert [e.who for e in log_of(environment).entries()[6:]] == [EDITOR, EDITOR]


def test_a_fixed_role_cannot_be_changed_in_the_app(environment):
    at = call_door(user(ADMIN), SECRETS, "role", "manage", EDITOR, {"role": "viewer"})
    assert "EditError" in texts(at, "warning")
    assert snapshot(environment) == {}


@pytest.mark.parametrize("call", ["save", "delete"])
@pytest.mark.parametrize(
    "who,secrets,reason", [n[1:] for n in NOBODY], ids=[n[0] for n in NOBODY]
)
def test_sequence_doors_refuse_everyone_below_editor(
    call, who, secrets, reason, environment
):
    seed_sequence(environment)
    before = snapshot(environment)
    at = call_door(who, secrets, target="werkstatt", seq=call)
    assert DENIED in texts(at, "error") and reason in texts(at, "error")
    assert snapshot(environment) == before


def test_sequence_doors_open_for_an_editor(environment):
    seed_sequence(environment)
    at = call_door(user(EDITOR), SECRETS, seq="save")
    assert "written tuer.yaml" in texts(at, "success")
    at = call_door(user(EDITOR), SECRETS, target="werkstatt", seq="delete")
    assert "written werkstatt.yaml" in texts(at, "success")
    assert sorted(snapshot(environment)) == ["ablaeufe/tuer.yaml"]


def test_the_role_is_checked_inside_the_writer_lock(environment):
    """A role withdrawn between the page's check and the write is seen: the check
    runs again with the log as it is inside the lock."""
    from monitor.programme.jsonl import JsonLinesLog

    log = log_of(environment)
    log.append("role", "neu@example.org", {"role": "editor"}, ADMIN)
    calls = []
    original = JsonLinesLog._locked

    def withdraw_then_lock(self):
        if not calls:  # another admin withdraws the role just before the lock
            calls.append(1)
            JsonLinesLog._locked = original
            log.append("role", "neu@example.org", {"role": "viewer"}, ADMIN)
        return original(self)

    JsonLinesLog._locked = withdraw_then_lock
    try:
        at = call_door(
            user("neu@example.org"), SECRETS, "progress", "record", "M001", REPORT
        )
    finally:
        JsonLinesLog._locked = original
    assert calls and NEEDS_EDITOR in texts(at, "error")
    assert [e.kind for e in log.entries()] == ["role", "role"]


# ---------------------------------------------------- the list of paths is complete

DOORS = {"append", "write", "save_sequence", "delete_sequence"}
DOOR_MODULES = {"auth", "programme_forms"}
SCANNED = [ROOT / "pages", ROOT / "monitor" / "ui", ROOT / "app.py"]
PATH_WRITES = {"write_text", "write_bytes", "unlink", "rmdir", "mkdir", "touch"}
OS_WRITES = {"replace", "rename", "remove", "makedirs", "rmtree", "copy", "move"}
# writers of published data (monitor/versions.py, monitor/ingest/partition.py): an
# admin page that publishes must do so through a door in auth.py that checks
# ``manage`` at that moment, like the edit log
DATA_WRITES = {"publish", "rollback", "create_staging", "discard_staging",
               "init_versioned", "partition_values", "publish_staged",
               "open_staging", "discard", "stage_boundaries", "stage_table",
               "rollback_version", "stage_step"}  # fmt: skip


def _python_files():
    for place in SCANNED:
        yield from [place] if place.is_file() else sorted(place.rglob("*.py"))


def _calls(tree: ast.AST):
    """(enclosing function, called name, owner name, call) for every call;
    ``owner`` is the name before the dot (``auth`` in ``auth.append``)."""
    stack: list[str] = []

    def visit(node):
        named = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        if named:
            stack.append(node.name)
        if isinstance(node, ast.Call):
            func, owner = node.func, ""
            if isinstance(func, ast.Attribute):
                name = func.attr
                owner = func.value.id if isinstance(func.value, ast.Name) else "."
            else:
                name = getattr(func, "id", "")
            yield (stack[-1] if stack else "<module>"), name, owner, node
        for child in ast.iter_child_nodes(node):
            yield from visit(child)
        if named:
            stack.pop()

    yield from visit(tree)


def _door_callers() -> set[str]:
    """``file:function`` of every call of a write door outside auth.py."""
    found = set()
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel == "monitor/ui/auth.py":
            continue
        for function, name, owner, _ in _calls(ast.parse(path.read_text("utf-8"))):
            if name in DOORS and (owner == "" or owner in DOOR_MODULES):
                found.add(f"{rel}:{function}")
    return found


def test_every_write_path_is_in_the_matrix():
    """A new form that writes must be added to WRITE_PATHS (and so be tested)."""
    callers = _door_callers() - {"monitor/ui/programme_forms.py:write"}
    assert callers == {p.writer for p in WRITE_PATHS}


def test_only_the_doors_write_files():
    """Below pages/ and in monitor/ui/ nothing but monitor/ui/auth.py touches the
    edit log, sequence files or published data versions, and no module writes
    files by itself."""
    for path in _python_files():
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text("utf-8")
        if rel == "monitor/ui/auth.py":
            continue
        for word in ("JsonLinesLog", "PostgresLog", "sequences.save_sequence"):
            assert word not in source, f"{rel} uses {word} past the doors"
        for _, name, owner, node in _calls(ast.parse(source)):
            where = f"{rel}:{node.lineno} calls {owner}.{name}"
            door = owner == "auth"  # the doors re-check the role themselves
            assert name not in PATH_WRITES, where
            assert door or name not in DATA_WRITES, where
            assert not (owner in ("os", "shutil") and name in OS_WRITES), where
            if name == "open" and len(node.args) > 1:
                mode = getattr(node.args[1], "value", "")
                assert not set(str(mode)) & set("wax+"), f"{rel}:{node.lineno}"


@pytest.mark.parametrize("page", ["massnahmen", "ziele", "ablauf"])
def test_a_hostile_link_opened_by_an_admin_writes_nothing(page, environment):
    """Links only set the view: values named like form fields or save buttons, in
    the address an admin is tricked into opening, never reach the edit folder."""
    params = {
        "massnahme": "M001",
        "ziel": "Z07",
        "qm_pf_value": "700",
        "qm_rf_email": "angreifer@example.org",
        "qm_rf_role": "admin",
        "qm_gf_target": "1",
        "ablauf_save": "true",
        "ablauf_delete": "true",
        "w_ablauf_wahl": "../../etc",
        "ablauf": "../evil",
    }
    at = open_page(page, params, user=user(ADMIN), secrets=SECRETS)
    at.run()
    assert not at.exception and not at.success
    assert snapshot(environment) == {}
