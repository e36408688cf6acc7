"""The admin page's staged and published versions: the report of the last step,
the summary of changes, a preview map, publish, and rollback to any earlier
version. The role is checked when the page is drawn and again at the moment of
publishing, rolling back or discarding (the doors in monitor/ui/auth.py);
monitor/ui/import_admin.py runs
the import steps that fill the staging version.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from monitor import versions
from monitor.i18n import t
from monitor.ingest import staging as stage
from monitor.ingest.changes import compare_folders
from monitor.store import DataError, Store
from monitor.ui import auth, data
from monitor.ui.state import lang, tr
from monitor.views import choropleth, deck
from monitor.views.import_report import (
    changes_frame,
    problems_frame,
    versions_frame,
)
from monitor.views.legend import legend_html, status_entries
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB

__all__ = [
    "RESULT",
    "STAGING",
    "flash",
    "indicator_labels",
    "option_labels",
    "ready",
    "require_admin",
    "session_staging",
    "show_problems",
    "staged_panel",
    "staged_store",
    "versioned_root_or_stop",
    "versions_panel",
]

STAGING = "_qm_import_staging"
RESULT = "_qm_import_result"
_FLASH = "_qm_import_flash"
_STORE = "_qm_import_store"
_CHANGES = "_qm_import_changes"
VERSIONS_SHOWN = 20


# -- who, where ------------------------------------------------------------------------


def require_admin(store: Store) -> auth.Identity:
    """The account bar; stops the page for anyone who may not manage data."""
    person = auth.identity(auth.edit_state(store))
    auth.account_bar(store, person, key="import_auth")
    if not auth.can(person, "manage"):
        st.info(tr("import.admins_only"), icon=":material/lock:")
        st.stop()
    return person


def versioned_root_or_stop(store: Store) -> Path:
    """The data root, when it keeps versions; else say how to make one."""
    if not store.version.versioned:
        st.info(
            tr("import.not_versioned", folder=str(store.root)), icon=":material/info:"
        )
        st.stop()
    return store.root


def flash() -> None:
    """The message of the last publish or rollback (shown once)."""
    message = st.session_state.pop(_FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


# -- versions --------------------------------------------------------------------------


def versions_panel(store: Store, root: Path) -> None:
    """The published versions, with a rollback button for each one not served."""
    st.subheader(tr("import.versions"))
    served = store.version.id
    items = versions.list_versions(root)[:VERSIONS_SHOWN]
    st.dataframe(versions_frame(items, served, lang()), hide_index=True)
    for version in items:
        if version.id == served:
            continue
        label = tr("import.rollback", version=version.id)
        if st.button(
            label, key=f"import_rollback_{version.id}", icon=":material/undo:"
        ):
            try:
                auth.rollback_version(
                    store, root, version.id, tr("import.rollback_note")
                )
            except (auth.PermissionDeniedError, versions.VersionError) as exc:
                st.error(str(exc))
                return
            st.session_state[_FLASH] = tr("import.rolled_back", version=version.id)
            st.rerun()


def session_staging(root: Path) -> stage.Staging | None:
    """The staging folder this session works on (None when gone or never made)."""
    staging_id = st.session_state.get(STAGING)
    if not staging_id:
        return None
    try:
        return stage.existing_staging(Path(root), staging_id)
    except versions.VersionError:
        st.session_state.pop(STAGING, None)
        return None


def show_problems(problems) -> None:
    if problems:
        st.dataframe(problems_frame(list(problems), lang()), hide_index=True)


def option_labels(prefix: str):
    """``format_func`` of a select box: the text of ``prefix + option`` (the
    language read now, not when a test thread formats the options)."""
    language = lang()
    return lambda v: t(f"{prefix}{v}", language)


def indicator_labels(catalog, with_id: bool = False):
    """``format_func`` for indicator ids: their names (and ids)."""
    language = lang()
    return lambda i: catalog[i].text("name", language) + (f" ({i})" if with_id else "")


# -- the staged version ----------------------------------------------------------------


def ready(staging: stage.Staging) -> bool:
    return bool(staging.log().get("ready"))


def staged_store(staging: stage.Staging) -> Store:
    """A Store on the staging folder (verifies its disclosure report), one per
    session and state of the folder."""
    report = staging.path / "disclosure.json"
    key = (staging.id, report.stat().st_mtime_ns if report.is_file() else 0)
    cached = st.session_state.get(_STORE)
    if cached and cached[0] == key:
        return cached[1]
    version = versions.Version(staging.id, staging.path, staging.root, versioned=True)
    store = Store(staging.path, version=version)
    st.session_state[_STORE] = (key, store)
    return store


def _changes(store: Store, staging: stage.Staging):
    """The summary against the served version, computed once per state of the
    staging folder and served version (not on every rerun)."""
    report = staging.path / "disclosure.json"
    key = (staging.id, report.stat().st_mtime_ns, store.version.id)
    cached = st.session_state.get(_CHANGES)
    if not cached or cached[0] != key:
        cached = (key, compare_folders(store.data_dir, staging.path))
        st.session_state[_CHANGES] = cached
    return cached[1]


def staged_panel(store: Store, root: Path) -> None:
    """The last step's report, then the staged version: changes, map, publish."""
    result = st.session_state.get(RESULT)
    if result is not None:
        st.markdown(f"**{tr('import.report')}**")
        if result.problems:
            show_problems(result.problems)
        else:
            st.caption(tr("import.no_problems"))
    staging = session_staging(root)
    if staging is None or not ready(staging):
        return
    st.subheader(tr("import.staged", id=staging.id))
    steps = staging.log().get("steps", [])
    st.caption(tr("import.files", files=", ".join(s.get("file", "") for s in steps)))
    changes = _changes(store, staging)
    st.dataframe(changes_frame(changes, lang()), hide_index=True)
    try:
        staged = staged_store(staging)
    except DataError as exc:
        st.error(str(exc))
        return
    _preview_map(staged)
    _publish_controls(store, root, staging)


def _preview_map(staged: Store) -> None:
    years = staged.indicator_years()
    if years.empty:
        st.caption(tr("import.no_values"))
        return
    st.markdown(f"**{tr('import.preview')}**")
    catalog = staged.catalog
    ids = [i for i in catalog.ids if i in set(years.indicator_id)]
    cols = st.columns(3)
    ind = catalog[
        cols[0].selectbox(
            tr("import.map_indicator"),
            ids,
            format_func=indicator_labels(catalog),
            key="w_imp_prev_ind",
        )
    ]
    own_years = sorted(int(y) for y in years[years.indicator_id == ind.id].year)
    year = cols[1].selectbox(
        tr("common.year"), own_years[::-1], key=f"w_imp_prev_year_{ind.id}"
    )
    present = set(staged.areas().level)
    levels = [lvl for lvl in ind.levels if lvl in present] or list(ind.levels)
    level = cols[2].selectbox(
        tr("common.level"),
        levels[::-1],
        format_func=option_labels("levels."),
        key=f"w_imp_prev_level_{ind.id}",
    )
    values = staged.level_values(ind.id, int(year), level)
    geo = staged.geometries(level).set_index("area_id").loc[values.area_id]
    shown = values["value"].to_numpy(dtype=float)
    k = max(2, min(5, int(pd.Series(shown).nunique())))
    try:
        classes = choropleth.map_classes(
            ind,
            shown,
            scheme="quantile",
            k=k,
            breaks_text="",
            change=False,
            lang=lang(),
        )
    except ValueError as exc:
        st.caption(str(exc))
        return
    records = choropleth.indicator_records(
        geo.reset_index(),
        values,
        yb=classes.classes.yb,
        colors=classes.colors,
        unit=ind.unit,
        lang=lang(),
        suppressed_rgb=SUPPRESSED_RGB,
        missing_rgb=MISSING_RGB,
    )
    map_col, legend_col = st.columns([2.3, 1])
    with map_col:
        chart = deck.choropleth_deck(
            deck.records_json(records),
            view=deck.fit_view(geo.total_bounds, 720, 480),
            basemap=data.settings().basemap,
            height=480,
        )
        st.pydeck_chart(
            chart,
            height=480,
            key="import_preview",
            alt=tr("import.preview_alt", indicator=ind.text("name", lang()), year=year),
        )
    with legend_col:
        entries = [
            (c, lab, tr("karte.n_areas", n=int(n)))
            for c, lab, n in zip(
                classes.colors, classes.labels, classes.classes.counts, strict=True
            )
        ]
        counts = values["status"].value_counts().to_dict()
        entries += status_entries(counts, lang(), lambda n: tr("karte.n_areas", n=n))
        st.html(legend_html(ind.text("name", lang()), entries))


def _publish_controls(store: Store, root: Path, staging: stage.Staging) -> None:
    note = st.text_input(tr("import.note"), key="w_import_note")
    left, right = st.columns(2)
    if left.button(tr("import.publish"), type="primary", icon=":material/publish:"):
        try:
            version = auth.publish_staged(store, root, staging.id, note)
        except (auth.PermissionDeniedError, versions.VersionError) as exc:
            st.error(str(exc))
            return
        for key in (STAGING, RESULT, _STORE):
            st.session_state.pop(key, None)
        st.session_state[_FLASH] = tr("import.published", version=version.id)
        st.rerun()
    if right.button(tr("import.discard"), icon=":material/delete:"):
        try:
            auth.discard_staging(store, staging)
        except auth.PermissionDeniedError as exc:
            st.error(str(exc))
            return
        for key in (STAGING, RESULT, _STORE):
            st.session_state.pop(key, None)
        st.rerun()
