"""An admin imports in Chromium and another, already open session sees it.

Admin (QM_DEMO_EDIT=1, the local demo admin) on /import uploads the Gemeinden
boundaries and a GENESIS table, reads the reports, publishes; a second browser
session that was open on /karte before shows the new value after its next
interaction, with no server restart; the admin rolls back and that session is
back on the first version. The data root is a temporary versioned root built by
the importer from fixtures (tests/import_root.py), never the repo's data/demo.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from monitor import versions
from tests.browser import expect_no_exception, open_page, wait_idle
from tests.import_root import (
    EPPELBORN,
    GEMEINDEN,
    INDICATOR,
    build_root,
    changed_genesis,
)
from tools.serve import served_app

pytestmark = pytest.mark.browser(timeout_ms=90_000)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("import_browser")
    root = folder / "root"
    build_root(root)
    env = {
        "QM_DATA_DIR": str(root),
        "QM_DEMO_EDIT": "1",
        "QM_EDIT_DIR": str(folder / "edits"),
    }
    with served_app(env) as url:
        yield url, root, changed_genesis(folder)


def step_year(page: Page, key: str) -> None:
    """Move the year slider one year (``ArrowRight``/``ArrowLeft``): an
    interaction that reruns the page."""
    page.get_by_role("slider").first.focus()
    page.keyboard.press(key)
    wait_idle(page)


def shown_value(page: Page):
    return expect(page.get_by_test_id("stMetricValue").first)


def upload(page: Page, path) -> None:
    page.locator("input[type='file']").set_input_files(str(path))
    wait_idle(page)


def run_step(page: Page) -> None:
    page.get_by_role("button", name="Prüfen und zur neuen Version hinzufügen").click()
    wait_idle(page)
    expect(
        page.get_by_text("Geprüft – in die Staging-Version übernommen")
    ).to_be_visible()


def test_admin_publishes_and_an_open_session_follows_then_rolls_back(app, browser):
    url, root, genesis = app
    first = versions.current(root).id
    viewer = browser.new_context(viewport={"width": 1400, "height": 1000})
    query = {"indikator": INDICATOR, "jahr": "2022", "ebene": "stadt"}
    map_page, map_console = open_page(
        viewer, url, "karte", {**query, "gebiet": EPPELBORN}
    )
    shown_value(map_page).to_contain_text("1.250")
    expect(map_page.get_by_text(f"Datenversion {first}")).to_be_visible()

    admin = browser.new_context(viewport={"width": 1400, "height": 1200})
    page, console = open_page(admin, url, "import")
    expect(page.get_by_text("Veröffentlichte Versionen")).to_be_visible()
    upload(page, GEMEINDEN)
    expect(page.get_by_text("52 Gebiete in der Datei.")).to_be_visible()
    run_step(page)
    page.get_by_text("GENESIS / Regionaldatenbank, Tabelle als CSV").click()
    wait_idle(page)
    upload(page, genesis)
    expect(
        page.get_by_text("5 zugeordnet, 0 mehrdeutig, 0 ohne Gebiet")
    ).to_be_visible()
    run_step(page)
    expect(page.get_by_text("Prüfbericht")).to_be_visible()
    expect(page.get_by_text("Vorschau der Karte")).to_be_visible()
    assert versions.current(root).id == first  # nothing served before publish
    page.get_by_role("button", name="Veröffentlichen").click()
    wait_idle(page)
    expect(page.get_by_text("wird jetzt ausgeliefert")).to_be_visible()
    second = versions.current(root).id
    assert second != first
    expect_no_exception(page)

    step_year(map_page, "ArrowRight")  # 2023: the open session's next interaction
    shown_value(map_page).to_contain_text("1.234")
    expect(map_page.get_by_text(f"Datenversion {second}")).to_be_visible()

    page.get_by_role("button", name=f"Zurück zu Version {first}").click()
    wait_idle(page)
    expect(
        page.get_by_text(f"Version {first} wird wieder ausgeliefert.")
    ).to_be_visible()
    assert versions.current(root).id == first
    step_year(map_page, "ArrowLeft")  # 2022
    step_year(map_page, "ArrowRight")  # 2023
    shown_value(map_page).to_contain_text("1.198")
    expect(map_page.get_by_text(f"Datenversion {first}")).to_be_visible()
    expect_no_exception(map_page)
    console.assert_clean()
    map_console.assert_clean()
