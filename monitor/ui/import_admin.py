"""The admin page "Daten importieren", first half: choose the kind of file,
upload it, confirm the column mapping and the match to areas, and run the step
(monitor/ingest/steps.py, the same as the CLI). A step writes only into the
staging folder and only when it found no error, so the served version stays
byte-identical until an admin publishes (monitor/ui/version_admin.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from monitor import versions
from monitor.ingest.assemble import IndicatorSpec, areas_of, template_specs
from monitor.ingest.boundaries import AREA_LEVELS, BoundaryMapping, guess_mapping
from monitor.ingest.matching import match_areas
from monitor.ingest.problems import IngestError
from monitor.ingest.tables import TABLE_KINDS, read_table, variables
from monitor.ingest.vector_files import VECTOR_SUFFIXES, read_vector
from monitor.store import Store
from monitor.ui import auth
from monitor.ui.state import lang, tr
from monitor.ui.version_admin import (
    RESULT,
    STAGING,
    indicator_labels,
    option_labels,
    ready,
    session_staging,
    show_problems,
    staged_store,
)
from monitor.views.import_report import manual_mapping, match_frame

__all__ = ["import_panel"]

_READS = "_qm_import_reads"
BOUNDARIES = "boundaries"


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


@dataclass(frozen=True)
class Upload:
    name: str
    raw: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def _kind_label():
    return option_labels("import.kind_")


def _or_none():
    none = tr("import.none")
    return lambda v: v or none


def _boundary_options(upload: Upload) -> dict | None:
    crs = st.text_input(
        tr("import.crs"), key="w_import_crs", help=tr("import.crs_help")
    )
    status, found = _cached(
        ("vector", upload.digest, crs),
        lambda: read_vector(upload.raw, crs=crs or None, name=upload.name),
    )
    if status == "error":
        show_problems(found)
        return None
    frame, problems = found
    show_problems(problems)
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
        format_func=option_labels("levels."),
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
        format_func=indicator_labels(catalog, with_id=True),
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
        show_problems(found)
        return None
    show_problems(found.problems)
    catalog = staged_store(staging).catalog if staging and ready(staging) else None
    specs = _spec_options(found.observations, catalog or store.catalog)
    if found.grid is not None:
        st.caption(tr("import.grid_cells", n=len(found.grid.cells)))
        return {"specs": specs, "manual": None}
    areas = (
        staged_store(staging).areas() if staging and ready(staging) else store.areas()
    )
    manual = _match_options(found.observations, areas[["area_id", "name"]], upload.name)
    return {"specs": specs, "manual": manual or None}


def import_panel(store: Store, root: Path) -> None:
    """Choose the kind of file, upload it, confirm the mapping, run the step."""
    st.subheader(tr("import.new"))
    staging = session_staging(root)
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
        _run(store, root, kind, upload, options, staging)


def _run(
    store: Store, root: Path, kind: str, upload: Upload, options: dict, staging
) -> None:
    created = staging is None
    try:
        staging = staging or auth.open_staging(store, root)
    except (auth.PermissionDeniedError, versions.VersionError) as exc:
        st.error(str(exc))
        return
    with st.status(tr("import.running"), expanded=True) as box:
        bar = st.progress(0.0)

        def progress(step: int, steps: int, label: str) -> None:
            bar.progress((step - 1) / steps, text=f"{step}/{steps} {label}")

        try:
            result = auth.stage_step(
                store,
                staging,
                "boundaries" if kind == BOUNDARIES else kind,
                upload.raw,
                upload.name,
                progress=progress,
                **options,
            )
        except auth.PermissionDeniedError as exc:
            st.error(str(exc))
            return
        bar.progress(1.0)
        box.update(
            label=tr("import.step_ok" if result.ok else "import.step_failed"),
            state="complete" if result.ok else "error",
            expanded=not result.ok,
        )
    if not result.ok and created:
        auth.discard_staging(store, staging)
    elif result.ok:
        st.session_state[STAGING] = staging.id
    st.session_state[RESULT] = result
