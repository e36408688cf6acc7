"""The admin page "Daten importieren": upload → mapping → match report →
validation report → staged preview → publish, and rollback to earlier versions.

Everything goes through monitor/ingest/staging.py (the same steps as the CLI):
a step writes only into a staging folder, and only when it found no error, so
the served version stays byte-identical until an admin publishes. The role is
checked when the page is drawn and again at the moment of publishing or rolling
back (:func:`_admin_now`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from monitor import versions
from monitor.i18n import t
from monitor.ingest import staging as stage
from monitor.ingest.assemble import IndicatorSpec, areas_of, template_specs
from monitor.ingest.boundaries import AREA_LEVELS, BoundaryMapping, guess_mapping
from monitor.ingest.changes import compare_folders
from monitor.ingest.matching import match_areas
from monitor.ingest.problems import IngestError
from monitor.ingest.tables import TABLE_KINDS, read_table, variables
from monitor.ingest.vector_files import VECTOR_SUFFIXES, read_vector
from monitor.store import DataError, Store
from monitor.ui import auth, data
from monitor.ui.state import lang, tr
from monitor.views import choropleth, deck
from monitor.views.import_report import (
    changes_frame,
    manual_mapping,
    match_frame,
    problems_frame,
    versions_frame,
)
from monitor.views.legend import legend_html, status_entries
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB

__all__ = ["import_panel", "require_admin", "staged_panel", "versions_panel"]

_STAGING = "_qm_import_staging"
_RESULT = "_qm_import_result"
_FLASH = "_qm_import_flash"
_READS = "_qm_import_reads"
BOUNDARIES = "boundaries"
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


def _admin_now(store: Store) -> auth.Identity | None:
    """The role again, at the moment of publishing or rolling back."""
    person = auth.identity(auth.edit_state(store))
    if not auth.can(person, "manage"):
        st.error(tr("auth.denied", role=tr(f"auth.role_{person.role}")))
        return None
    return person


def _who(person: auth.Identity) -> str:
    return person.email or person.name or "admin"


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
            person = _admin_now(store)
            if person is None:
                return
            try:
                versions.rollback(
                    root, version.id, who=_who(person), note=tr("import.rollback_note")
                )
            except versions.VersionError as exc:
                st.error(str(exc))
                return
            st.session_state[_FLASH] = tr("import.rolled_back", version=version.id)
            st.rerun()


# -- upload and options ----------------------------------------------------------------


def _staging(root: Path) -> stage.Staging | None:
    """The staging folder this session works on (None when gone or never made)."""
    staging_id = st.session_state.get(_STAGING)
    if not staging_id:
        return None
    try:
        return stage.open_staging(root, staging_id)
    except versions.VersionError:
        st.session_state.pop(_STAGING, None)
        return None


def _cached(key: tuple, read):
    """A file read once per session and upload (reruns reuse it)."""
    reads = st.session_state.setdefault(_READS, {})
    if key not in reads:
        reads.clear()  # one upload at a time
        try:
            reads[key] = ("ok", read())
        except IngestError as exc:
            reads[key] = ("error", exc.problems)
    return reads[key]


def _show_problems(problems) -> None:
    if problems:
        st.dataframe(problems_frame(list(problems), lang()), hide_index=True)


@dataclass(frozen=True)
class Upload:
    name: str
    raw: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def _labels(prefix: str):
    """``format_func`` of a select box: the text of ``prefix + option`` (the
    language read now, not when a test thread formats the options)."""
    language = lang()
    return lambda v: t(f"{prefix}{v}", language)


def _kind_label():
    return _labels("import.kind_")


def _or_none():
    none = tr("import.none")
    return lambda v: v or none


def _indicator_label(catalog, with_id: bool = False):
    language = lang()
    return lambda i: catalog[i].text("name", language) + (f" ({i})" if with_id else "")


def _boundary_options(upload: Upload) -> dict | None:
    crs = st.text_input(
        tr("import.crs"), key="w_import_crs", help=tr("import.crs_help")
    )
    status, found = _cached(
        ("vector", upload.digest, crs),
        lambda: read_vector(upload.raw, crs=crs or None, name=upload.name),
    )
    if status == "error":
        _show_problems(found)
        return None
    frame, problems = found
    _show_problems(problems)
    columns = [c for c in frame.columns if c != frame.geometry.name]
    guess = guess_mapping(frame)
    st.markdown(f"**{tr('import.mapping')}**")
    cols = st.columns(4)
    key = cols[0].selectbox(
        tr("import.map_key"), columns, index=columns.index(guess.key), key="w_imp_key"
    )
    name = cols[1].selectbox(
        tr("import.map_name"),
        columns,
        index=columns.index(guess.name),
        key="w_imp_name",
    )
    level = cols[2].selectbox(
        tr("import.map_level"),
        AREA_LEVELS,
        index=AREA_LEVELS.index(guess.level or "stadtteil"),
        format_func=_labels("levels."),
        key="w_imp_level",
    )
    parents = ["", *columns]
    parent = cols[3].selectbox(
        tr("import.map_parent"),
        parents,
        index=parents.index(guess.parent) if guess.parent in parents else 0,
        format_func=_or_none(),
        key="w_imp_parent",
    )
    st.caption(tr("import.features", n=len(frame)))
    mapping = BoundaryMapping(key=key, name=name, level=level, parent=parent or None)
    return {"mapping": mapping, "crs": crs or None}


def _spec_options(observations, catalog) -> list[IndicatorSpec]:
    own = template_specs(observations)
    if own:
        st.caption(
            tr("import.template_specs", ids=", ".join(s.indicator_id for s in own))
        )
        return own
    names = variables(observations)
    st.markdown(f"**{tr('import.mapping')}**")
    cols = st.columns(3)
    indicator = cols[0].selectbox(
        tr("import.map_indicator"),
        catalog.ids,
        format_func=_indicator_label(catalog, with_id=True),
        key="w_imp_indicator",
    )
    numerator = cols[1].selectbox(tr("import.map_numerator"), names, key="w_imp_num")
    denominator = cols[2].selectbox(
        tr("import.map_denominator"),
        ["", *names],
        format_func=_or_none(),
        key="w_imp_den",
    )
    return [IndicatorSpec(indicator, numerator, denominator or None)]


def _match_options(observations, areas: pd.DataFrame, file: str) -> dict:
    report = match_areas(areas_of(observations), areas, file=file)
    counts = report.counts
    st.markdown(
        f"**{tr('import.match')}** – "
        + tr(
            "import.match_counts",
            matched=counts.get("matched", 0),
            ambiguous=counts.get("ambiguous", 0),
            unmatched=counts.get("unmatched", 0),
        )
    )
    original = match_frame(report, lang())
    edited = st.data_editor(
        original,
        hide_index=True,
        disabled=["source_name", "source_key", "status", "note"],
        column_config={
            "source_name": tr("import.col_source_name"),
            "source_key": tr("import.col_source_key"),
            "status": tr("import.col_status"),
            "area_id": st.column_config.TextColumn(
                tr("import.col_area"), help=tr("import.col_area_help")
            ),
            "note": tr("import.col_note_match"),
        },
        key="w_imp_match",
    )
    return manual_mapping(edited, original)


def _table_options(kind: str, upload: Upload, store: Store, staging) -> dict | None:
    status, found = _cached(
        ("table", kind, upload.digest),
        lambda: read_table(kind, upload.raw, upload.name),
    )
    if status == "error":
        _show_problems(found)
        return None
    _show_problems(found.problems)
    catalog = _staged_store(staging).catalog if staging and _ready(staging) else None
    specs = _spec_options(found.observations, catalog or store.catalog)
    if found.grid is not None:
        st.caption(tr("import.grid_cells", n=len(found.grid.cells)))
        return {"specs": specs, "manual": None}
    areas = (
        _staged_store(staging).areas() if staging and _ready(staging) else store.areas()
    )
    manual = _match_options(found.observations, areas[["area_id", "name"]], upload.name)
    return {"specs": specs, "manual": manual or None}


def import_panel(store: Store, root: Path) -> None:
    """Choose the kind of file, upload it, confirm the mapping, run the step."""
    st.subheader(tr("import.new"))
    staging = _staging(root)
    if staging is not None:
        st.caption(tr("import.working_on", id=staging.id))
    kinds = [BOUNDARIES, *TABLE_KINDS]
    kind = st.radio(
        tr("import.kind"),
        kinds,
        format_func=_kind_label(),
        key="w_import_kind",
    )
    suffixes = (
        [s.lstrip(".") for s in VECTOR_SUFFIXES]
        if kind == BOUNDARIES
        else list(TABLE_KINDS[kind].suffixes)
    )
    file = st.file_uploader(tr("import.file"), type=suffixes, key=f"w_import_{kind}")
    if file is None:
        st.caption(tr("import.file_help"))
        return
    upload = Upload(file.name, file.getvalue())
    options = (
        _boundary_options(upload)
        if kind == BOUNDARIES
        else _table_options(kind, upload, store, staging)
    )
    if options is None:
        return
    if st.button(
        tr("import.run"), type="primary", icon=":material/playlist_add_check:"
    ):
        _run(root, kind, upload, options, staging)


def _run(root: Path, kind: str, upload: Upload, options: dict, staging) -> None:
    created = staging is None
    try:
        staging = staging or stage.open_staging(root)
    except versions.VersionError as exc:
        st.error(str(exc))
        return
    with st.status(tr("import.running"), expanded=True) as box:
        bar = st.progress(0.0)

        def progress(step: int, steps: int, label: str) -> None:
            bar.progress((step - 1) / steps, text=f"{step}/{steps} {label}")

        if kind == BOUNDARIES:
            result = stage.stage_boundaries(
                staging, upload.raw, upload.name, progress=progress, **options
            )
        else:
            result = stage.stage_table(
                staging,
                upload.raw,
                upload.name,
                kind=kind,
                progress=progress,
                **options,
            )
        bar.progress(1.0)
        box.update(
            label=tr("import.step_ok" if result.ok else "import.step_failed"),
            state="complete" if result.ok else "error",
            expanded=not result.ok,
        )
    if not result.ok and created:
        stage.discard(staging)
    elif result.ok:
        st.session_state[_STAGING] = staging.id
    st.session_state[_RESULT] = result


# -- the staged version ----------------------------------------------------------------


def _ready(staging: stage.Staging) -> bool:
    return bool(staging.log().get("ready"))


def _staged_store(staging: stage.Staging) -> Store:
    """A Store on the staging folder (verifies its disclosure report), one per
    session and state of the folder."""
    report = staging.path / "disclosure.json"
    key = (staging.id, report.stat().st_mtime_ns if report.is_file() else 0)
    cached = st.session_state.get("_qm_import_store")
    if cached and cached[0] == key:
        return cached[1]
    version = versions.Version(staging.id, staging.path, staging.root, versioned=True)
    store = Store(staging.path, version=version)
    st.session_state["_qm_import_store"] = (key, store)
    return store


def staged_panel(store: Store, root: Path) -> None:
    """The last step's report, then the staged version: changes, map, publish."""
    result = st.session_state.get(_RESULT)
    if result is not None:
        st.markdown(f"**{tr('import.report')}**")
        if result.problems:
            _show_problems(result.problems)
        else:
            st.caption(tr("import.no_problems"))
    staging = _staging(root)
    if staging is None or not _ready(staging):
        return
    st.subheader(tr("import.staged", id=staging.id))
    steps = staging.log().get("steps", [])
    st.caption(tr("import.files", files=", ".join(s.get("file", "") for s in steps)))
    changes = compare_folders(store.data_dir, staging.path)
    st.dataframe(changes_frame(changes, lang()), hide_index=True)
    try:
        staged = _staged_store(staging)
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
            format_func=_indicator_label(catalog),
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
        format_func=_labels("levels."),
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
        person = _admin_now(store)
        if person is None:
            return
        try:
            version = stage.publish_staged(
                root, staging.id, who=_who(person), note=note
            )
        except versions.VersionError as exc:
            st.error(str(exc))
            return
        for key in (_STAGING, _RESULT, "_qm_import_store"):
            st.session_state.pop(key, None)
        st.session_state[_FLASH] = tr("import.published", version=version.id)
        st.rerun()
    if right.button(tr("import.discard"), icon=":material/delete:"):
        stage.discard(staging)
        for key in (_STAGING, _RESULT, "_qm_import_store"):
            st.session_state.pop(key, None)
        st.rerun()
