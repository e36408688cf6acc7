"""The download buttons of the pages: one row of files, each built on click.

``on_click="ignore"``: a click downloads without rerunning the page, and the
file (CSV, XLSX, PNG via kaleido, PDF) is built only then, from a callable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st

from monitor.ui.errors import guarded_bytes
from monitor.ui.state import tr

__all__ = ["Download", "download_row"]

# file ending -> (MIME type, icon, help text key or "")
_KINDS = {
    "csv": ("text/csv", ":material/download:", ""),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ":material/table_view:",
        "export.xlsx_help",
    ),
    "png": ("image/png", ":material/image:", ""),
    "pdf": ("application/pdf", ":material/picture_as_pdf:", ""),
}


@dataclass(frozen=True)
class Download:
    """One file: button label, the function that builds its bytes, the file name
    (its ending picks MIME type and icon) and the widget key."""

    label: str
    make: Callable[[], bytes]
    file_name: str
    key: str
    icon: str | None = None  # default: by the file ending
    type: str = "secondary"  # "primary" for the main file, "tertiary" for many


def download_row(files: Sequence[Download | None], columns: int = 4) -> None:
    """The files as buttons in ``columns`` columns, left to right (more files
    wrap into the same columns; None leaves its column empty)."""
    slots = st.columns(columns)
    for i, file in enumerate(files):
        if file is None:
            continue
        mime, icon, help_key = _KINDS[file.file_name.rsplit(".", 1)[-1]]
        with slots[i % columns]:
            st.download_button(
                file.label,
                guarded_bytes(file.make, file.file_name),
                help=tr(help_key) if help_key else None,
                file_name=file.file_name,
                mime=mime,
                icon=file.icon or icon,
                on_click="ignore",
                key=file.key,
                type=file.type,
            )
