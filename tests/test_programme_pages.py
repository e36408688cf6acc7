"""Ziele and Maßnahmen through AppTest: numbers from the methods, filters, the
progress form with its validation messages, roles, and the audit trail."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from monitor.methods.progress.dns_weather import weather_symbol
from monitor.methods.progress.open_sdg import assess_progress
from monitor.programme.jsonl import JsonLinesLog
from monitor.programme.postgres import PostgresLog
from monitor.views.goals import verdicts_disagree
from tests.apptest import open_page
from tests.conftest import DEMO_DIR

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret-of-32-characters",
    "client_id": "quartiersmonitor",
    "client_secret": "test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = {"editors": ["editor@example.org"], "admins": ["admin@example.org"]}


def logged_in(email: str) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True, "name": email}


def html(at: AppTest) -> str:
    return "".join(h.proto.body for h in at.get("html"))


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(str(e.value) for e in getattr(at, kind))


def chart(at: AppTest, key: str) -> dict:
    """The plotly spec of the chart with ``key`` (element ids end with the key)."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(key):
            return json.loads(element.proto.spec)
    raise AssertionError(
        f"no chart {key}: {[e.proto.id for e in at.get('plotly_chart')]}"
    )


def log_of(edit_dir) -> JsonLinesLog:
    return JsonLinesLog(edit_dir / "programm" / "demo")


# ------------------------------------------------------------------------- Ziele


def test_ziele_board_shows_the_open_sdg_verdict_of_every_goal(demo_store):
    at = open_page("ziele")
    board = html(at)
    goals = demo_store.goals()
    assert board.count("<tr>") == len(goals) + 1  # header + one row per goal
    assert "Demodaten" in texts(at, "info")
    values = demo_store.area_values(sorted(set(goals.area_id)))
    z01 = goals.set_index("goal_id").loc["Z01"]
    series = values[
        (values.area_id == z01.area_id) & (values.indicator_id == z01.indicator_id)
    ].dropna(subset=["value"])
    expected = assess_progress(
        series.year,
        series.value,
        higher_is_better=False,
        target_value=z01.target_value,
        target_year=int(z01.target_year),
        base_year=int(z01.baseline_year),
    )
    label = {"on_track": "Auf Kurs", "deterioration": "Verschlechterung"}
    metrics = {m.label: m.value for m in at.metric}
    row = board[board.index("(Z01)") - 400 : board.index("(Z01)")]
    assert label.get(expected.category, "") in row
    assert sum(int(metrics[k]) for k in list(metrics)[:6]) == len(goals)
    # the selected goal (Z01 by default) is charted with baseline, target and path
    spec = chart(at, "goal_chart_Z01")
    names = [trace.get("name") for trace in spec["data"]]
    assert {"Ausgangswert", "Zielwert", "Pfad zum Ziel (konstante Soll-Rate)"} <= set(
        names
    )
    path = next(t for t in spec["data"] if t.get("name", "").startswith("Pfad"))
    assert path["y"][0] == pytest.approx(expected.base_value)
    assert path["y"][-1] == pytest.approx(z01.target_value, rel=1e-6)
    captions = texts(at, "caption")
    assert "Methode: Open SDG / Statistics Canada mit Zielwert" in captions
    assert "nicht, dass eine Maßnahme" in captions  # outputs kept apart


def test_ziele_filters_from_the_link_and_a_direction_only_goal():
    at = open_page("ziele", {"ag": "arbeit", "ziel": "Z11"})
    board = html(at)
    assert "(Z07)" in board and "(Z01)" not in board
    assert "kein Zielwert – soll sinken" in board
    assert "Methode: Open SDG / Statistics Canada ohne Zielwert" in texts(at, "caption")
    assert at.query_params["ag"] in ("arbeit", ["arbeit"])
    assert not at.warning


def test_ziele_unknown_link_values_give_a_note():
    at = open_page("ziele", {"ag": "<b>x</b>", "raum": "mars"})
    warning = texts(at, "warning")
    assert "„ag“" in warning and "„raum“" in warning and "<b>" not in warning
    assert html(at).count("<tr>") == 26  # defaults: all goals


def _verdicts(demo_store, goal_id: str):
    """Both verdicts of a goal straight from the methods (not through the page)."""
    goals = demo_store.goals().set_index("goal_id")
    goal = goals.loc[goal_id]
    values = demo_store.area_values([goal.area_id])
    series = values[
        (values.area_id == goal.area_id) & (values.indicator_id == goal.indicator_id)
    ].dropna(subset=["value"])
    better = goal.direction == "higher_is_better"
    target = {"target_value": goal.target_value, "target_year": int(goal.target_year)}
    cagr = assess_progress(
        series.year,
        series.value,
        higher_is_better=better,
        base_year=int(goal.baseline_year),
        **target,
    )
    weather = weather_symbol(
        series.year, series.value, higher_is_better=better, **target
    )
    return cagr, weather


def test_ziele_explains_when_the_two_verdicts_disagree(demo_store):
    """Z01 of the demo is "on track" by Open SDG (2023 -> 2025) under a thunderstorm
    (DNS, last six points): the page names both windows and explains the gap."""
    cagr, weather = _verdicts(demo_store, "Z01")
    assert (cagr.category, weather.symbol) == ("on_track", "thunderstorm")
    at = open_page("ziele", {"ziel": "Z01"})
    markdown = texts(at, "markdown")
    assert (
        f"das Ausgangsjahr {cagr.base_year} mit dem letzten Wert {cagr.latest_year}"
        in markdown
    )
    first, last = weather.window_start_year, weather.latest_year
    assert f"letzten {weather.points_used} Werte, {first}–{last}" in markdown
    info = texts(at, "info")
    assert "Warum die beiden Urteile hier auseinandergehen" in info
    assert f"vergleicht nur {cagr.base_year} mit {cagr.latest_year}" in info
    assert f"von {first} bis {last}" in info and "vor das Ausgangsjahr" in info
    assert "„Auf Kurs“" in info and "„Gewitter“" in info
    # the board names the two windows next to each verdict and flags the row
    board = html(at)
    row = board[board.index("(Z01)") - 600 : board.index("(Z02)")]
    assert f"{cagr.base_year} → {cagr.latest_year}" in row
    assert f"{first}–{last}" in row and "weicht ab" in row
    # the chart shades the weather window
    spec = chart(at, "goal_chart_Z01")
    assert any(
        s.get("type") == "rect" and s["x0"] < first < s["x1"]
        for s in spec["layout"].get("shapes", [])
    )


def test_ziele_without_disagreement_names_the_windows_but_needs_no_explanation(
    demo_store,
):
    cagr, weather = _verdicts(demo_store, "Z09")
    assert not verdicts_disagree(cagr.category, weather.symbol)
    at = open_page("ziele", {"ziel": "Z09"})
    assert "Vergleicht zwei Werte" in texts(at, "markdown")
    assert "Warum die beiden Urteile" not in texts(at, "info")


@pytest.mark.parametrize(
    "category,symbol,differ",
    [
        ("on_track", "thunderstorm", True),
        ("deterioration", "sun", True),
        ("on_track", "cloud", True),
        ("on_track", "sun_cloud", False),
        ("limited_progress", "cloud", False),
        ("deterioration", "thunderstorm", False),
        ("not_assessable", "sun", False),
        ("on_track", "not_assessable", False),
    ],
)
def test_verdicts_disagree_when_two_steps_apart(category, symbol, differ):
    assert verdicts_disagree(category, symbol) is differ


# -------------------------------------------------------------------- Maßnahmen


def test_massnahmen_catalogue_counts_timeline_path_and_map(demo_store):
    at = open_page("massnahmen")
    measures = demo_store.measures()
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Maßnahmen"]) == len(measures) == 86
    for status, label in (("planned", "geplant"), ("delayed", "verzögert")):
        assert int(metrics[label]) == int((measures.status == status).sum())
    catalogue = at.dataframe[0].value
    assert len(catalogue) == 86
    assert "390 zusätzliche Kita-Plätze" in set(catalogue["Maßnahme"])
    timeline = chart(at, "measures_timeline")
    assert sum(len(t["y"]) for t in timeline["data"] if t["type"] == "bar") == 86
    path = chart(at, "measures_path")
    assert any(t.get("name") == "Soll-Pfad zum Meldedatum" for t in path["data"])
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    located = measures.lon.notna().sum()
    assert len(layers["measures-points"]["data"]) == located
    assert "focus-outline" in layers
    # Kita detail: Soll-Pfad from 600 to 990, published reports, read-only notice
    detail = chart(at, "measure_chart_M001")
    soll = detail["data"][0]
    assert soll["y"] == [600.0, 990.0]
    assert "schreibgeschützt" in texts(at, "info")
    assert not any(f.label == "Meldung speichern" for f in at.button)


def test_massnahmen_search_and_status_filter():
    at = open_page("massnahmen", {"suche": "kita", "status": "in_progress"})
    catalogue = at.dataframe[0].value
    assert len(catalogue) >= 1
    assert all("kita" in t.lower() for t in catalogue["Maßnahme"])
    assert set(catalogue["Status"]) == {"in Umsetzung"}


# ------------------------------------------------------ demo editing: form + log


def fill_report(at: AppTest, value: str, comment: str = "", day: date | None = None):
    at.text_input(key="qm_pf_value").input(value)
    at.text_area(key="qm_pf_comment").input(comment)
    if day is not None:
        at.date_input(key="qm_pf_date").set_value(day)
    next(b for b in at.button if b.label == "Meldung speichern").click().run()
    assert not at.exception, at.exception
    return at


VALIDATION_CASES = [
    ("12,3,4", None, "„12,3,4“ ist keine Zahl"),
    ("700 Kinder", None, "Die Einheit „Kinder“ passt nicht"),
    ("-3", None, "darf nicht negativ"),
    ("", None, "einen Wert oder einen Kommentar"),
    ("700", date.today() + timedelta(days=3), "liegt in der Zukunft"),
    ("700", date(2024, 12, 1), "vor dem Beginn der Maßnahme am 01.01.2025"),
]


def test_form_validation_messages(monkeypatch, environment):
    monkeypatch.setenv("QM_DEMO_EDIT", "1")
    at = open_page("massnahmen", {"massnahme": "M001"})
    for value, day, message in VALIDATION_CASES:
        fill_report(at, value, "", day or date.today())
        assert message in texts(at, "error"), (value, day)
        assert not at.success
    assert log_of(environment).entries() == ()


def test_demo_mode_records_progress_into_history_chart_and_log(
    monkeypatch, environment
):
    monkeypatch.setenv("QM_DEMO_EDIT", "1")
    before = {p.name: p.stat().st_mtime_ns for p in DEMO_DIR.iterdir()}
    at = open_page("massnahmen", {"massnahme": "M001"})
    assert "Lokaler Demo-Bearbeitungsmodus" in texts(at, "warning")
    fill_report(at, "700,5 Plätze", "Neue Gruppe eröffnet")
    assert "Gespeichert als Eintrag Nr. 1" in texts(at, "success")
    history = at.dataframe[1].value
    assert history.iloc[0]["Wert"] == "700,5 Plätze"
    assert history.iloc[0]["Quelle"] == "in der App erfasst (Nr. 1)"
    spec = chart(at, "measure_chart_M001")
    app_reports = next(
        t for t in spec["data"] if t.get("name") == "Meldungen (in der App erfasst)"
    )
    assert app_reports["y"] == [700.5]
    protocol = at.dataframe[2].value
    assert protocol.iloc[0]["Person"] == "demo@lokal"
    assert protocol.iloc[0]["Vorher"].startswith("30.09.2026 · 662 Plätze")
    entries = log_of(environment).entries()
    assert [(e.kind, e.target, e.data["value"]) for e in entries] == [
        ("progress", "M001", 700.5)
    ]
    assert {p.name: p.stat().st_mtime_ns for p in DEMO_DIR.iterdir()} == before
    # the status form: a reason is required for "verzögert"; the change is logged
    at.selectbox(key="qm_sf_status").set_value("delayed")
    next(b for b in at.button if b.label == "Status speichern").click().run()
    assert "Bitte begründen Sie" in texts(at, "error")
    at.text_area(key="qm_sf_comment").input("Fachkräfte fehlen")
    next(b for b in at.button if b.label == "Status speichern").click().run()
    assert "Gespeichert als Eintrag Nr. 2" in texts(at, "success")
    assert "**Status:** verzögert" in texts(at, "markdown")
    # undo the status change by a new entry: the published status is back
    status_entry = log_of(environment).entries()[1]
    at.selectbox(key="measure_revert_choice").set_value(status_entry.entry_id)
    next(b for b in at.button if b.label == "Rückgängig machen").click().run()
    assert "Gespeichert als Eintrag Nr. 3" in texts(at, "success")
    assert "**Status:** in Umsetzung" in texts(at, "markdown")
    state = log_of(environment).state()
    assert len(state.entries) == 3 and state.status == {"M001": "in_progress"}


def test_with_edit_db_set_the_app_writes_to_postgresql(
    monkeypatch, postgres, environment
):
    """QM_EDIT_DB switches the log to the PostgreSQL table (one log per data folder
    name); no file is written."""
    monkeypatch.setenv("QM_DEMO_EDIT", "1")
    monkeypatch.setenv("QM_EDIT_DB", postgres.app_url)
    at = open_page("massnahmen", {"massnahme": "M001"})
    assert "PostgreSQL-Datenbank (Protokoll „demo“)" in texts(at, "warning")
    assert postgres.passwords["qm_app"] not in texts(at, "warning")
    log = PostgresLog(postgres.app_url, name="demo")
    before = len(log.entries())
    fill_report(at, "701", "aus der Datenbank")
    assert f"Gespeichert als Eintrag Nr. {before + 1}" in texts(at, "success")
    entry = log.entries()[-1]
    assert (entry.who, entry.target, entry.data["value"]) == ("demo@lokal", "M001", 701)
    assert not environment.exists()  # nothing went to the edit folder
    log.close()


def test_an_unreachable_edit_db_shows_the_published_data_and_a_message(monkeypatch):
    monkeypatch.setenv("QM_DEMO_EDIT", "1")
    monkeypatch.setenv("QM_EDIT_DB", "postgresql://qm_app:geheim@127.0.0.1:9/nowhere")
    at = open_page("massnahmen", {"massnahme": "M001"})
    error = texts(at, "error")
    assert "Änderungsprotokoll ist nicht erreichbar" in error and "geheim" not in error
    assert int({m.label: m.value for m in at.metric}["Maßnahmen"]) == 86
    fill_report(at, "700", "x")
    assert "nicht erreichbar" in texts(at, "error")


def test_edit_folder_inside_the_published_data_is_refused(monkeypatch):
    monkeypatch.setenv("QM_DEMO_EDIT", "1")
    inside = DEMO_DIR / "x"  # the log would go to data/demo/x/programm/demo
    monkeypatch.setenv("QM_EDIT_DIR", str(inside))
    at = open_page("massnahmen", {"massnahme": "M001"})
    assert "liegt in den veröffentlichten Daten" in texts(at, "warning")
    fill_report(at, "700", "x")
    assert "liegt in den veröffentlichten Daten" in texts(at, "error")
    assert not inside.exists()


# --------------------------------------------------------------- login and roles


def test_viewer_sees_no_form_and_anonymous_gets_a_login_button():
    secrets = {"auth": AUTH, "roles": ROLES}
    anonymous = open_page("massnahmen", user={"is_logged_in": False}, secrets=secrets)
    assert any(b.label == "Anmelden" for b in anonymous.button)
    assert "bitte oben anmelden" in texts(anonymous, "info")
    viewer = open_page(
        "massnahmen", user=logged_in("viewer@example.org"), secrets=secrets
    )
    assert "Angemeldet als viewer@example.org · Rolle: Lesen" in texts(
        viewer, "caption"
    )
    assert any(b.label == "Abmelden" for b in viewer.button)
    assert not any(b.label == "Meldung speichern" for b in viewer.button)
    assert "Ihre Rolle „Lesen“ erlaubt kein Erfassen" in texts(viewer, "info")


def test_role_is_checked_again_when_saving(environment):
    secrets = {"auth": AUTH, "roles": ROLES}
    at = open_page(
        "massnahmen",
        {"massnahme": "M001"},
        user=logged_in("editor@example.org"),
        secrets=secrets,
    )
    assert "Rolle: Bearbeitung" in texts(at, "caption")
    at.user = logged_in("viewer@example.org")  # e.g. the role was withdrawn
    fill_report(at, "700", "")
    assert "Keine Berechtigung" in texts(at, "error")
    assert log_of(environment).entries() == ()


def test_admin_changes_a_goal_target_and_gives_a_role(environment):
    secrets = {"auth": AUTH, "roles": ROLES}
    admin = logged_in("admin@example.org")
    at = open_page("ziele", {"ziel": "Z07"}, user=admin, secrets=secrets)
    at.text_input(key="qm_gf_target").input("25,5")
    next(b for b in at.button if b.label == "Ziel speichern").click().run()
    assert "Gespeichert als Eintrag Nr. 1" in texts(at, "success")
    assert "25,5\u202f%" in html(at)
    entry = log_of(environment).entries()[0]
    assert (entry.kind, entry.target, entry.data) == (
        "goal",
        "Z07",
        {"target_value": 25.5},
    )
    assert entry.previous == {"target_value": 28.3}
    # a new goal takes its baseline from the published data
    at.text_input(key="qm_ng_title").input("Kinderarmut in der Oberstadt senken")
    at.selectbox(key="qm_ng_indicator").set_value("kinderarmut")
    at.selectbox(key="qm_ng_area").set_value("innenstadt-oberstadt")
    at.text_input(key="qm_ng_base_year").input("2023")
    at.text_input(key="qm_ng_target").input("55")
    at.text_input(key="qm_ng_target_year").input("2034")
    next(b for b in at.button if b.label == "Ziel anlegen").click().run()
    assert "Gespeichert als Eintrag Nr. 2" in texts(at, "success")
    assert "(Z26)" in html(at)
    created = log_of(environment).entries()[1]
    assert created.data["baseline_value"] == 63.1  # kinderarmut, Oberstadt, 2023
    page = open_page("massnahmen", user=admin, secrets=secrets)
    page.text_input(key="qm_nf_title").input("Quartiersfonds für Nachbarschaftsideen")
    next(b for b in page.button if b.label == "Maßnahme anlegen").click().run()
    assert "Gespeichert als Eintrag Nr. 3" in texts(page, "success")
    catalogue = page.dataframe[0].value
    assert len(catalogue) == 87 and catalogue.iloc[-1]["Nr."] == "M087"
    page.text_input(key="qm_rf_email").input("Neu@Example.org")
    page.selectbox(key="qm_rf_role").set_value("editor")
    next(b for b in page.button if b.label == "Rolle speichern").click().run()
    assert "Gespeichert als Eintrag Nr. 4" in texts(page, "success")
    newcomer = open_page(
        "massnahmen", user=logged_in("neu@example.org"), secrets=secrets
    )
    assert "Rolle: Bearbeitung" in texts(newcomer, "caption")
    assert any(b.label == "Meldung speichern" for b in newcomer.button)


# ------------------------------------------------- data folders without programme


def test_a_data_folder_without_programme_files_opens(monkeypatch, tiny_dir, tiny_store):
    assert tiny_store.goals().empty and "goal_id" in tiny_store.goals().columns
    assert tiny_store.measures().empty and tiny_store.progress_reports().empty
    monkeypatch.setenv("QM_DATA_DIR", str(tiny_dir))
    assert "keine Ziele hinterlegt" in texts(open_page("ziele"), "info")
    assert "keine Maßnahmen hinterlegt" in texts(open_page("massnahmen"), "info")
