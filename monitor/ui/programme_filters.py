"""The filter row shared by the programme pages (Ziele, Maßnahmen): selectboxes
bound to page-specific link keys, with "alle" as the default, and a note for link
values that are not valid here."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import streamlit as st

from monitor.programme.vocabulary import HANDLUNGSFELDER
from monitor.ui import layout, widgets
from monitor.ui.state import extra, tr, warn_link_values

__all__ = [
    "ALL",
    "Filter",
    "all_option",
    "field_filter",
    "filter_row",
    "link_notes",
]

#: The value of "no filter" in the link and in the options.
ALL = "alle"


@dataclass(frozen=True)
class Filter:
    """One filter: its label, link key and options (id -> label, "alle" first)."""

    label: str
    url_key: str
    options: Mapping[str, str]


def all_option() -> dict[str, str]:
    return {ALL: tr("ziele.all")}


def field_filter() -> Filter:
    """The seven Handlungsfelder (link key ``feld``), the same on both pages."""
    fields = {f: tr(f"progress.field.{f}") for f in HANDLUNGSFELDER}
    return Filter(tr("ziele.filter_field"), "feld", all_option() | fields)


def link_notes(options: dict[str, Collection[str]]) -> None:
    """A note for page-specific link values that are not valid here (the page
    then shows its default, as for the shared keys)."""
    warn_link_values(
        {
            url_key: value
            for url_key, allowed in options.items()
            if (value := extra(url_key, None, "")) and value not in allowed
        }
    )


def filter_row(
    view, filters: Sequence[Filter], widths: Sequence[float] | None = None
) -> tuple[dict[str, str], list]:
    """The filters side by side in the page's controls (folded away in presentation
    mode); unknown link values get a note above them (:func:`link_notes`) and fall
    back to "alle".

    Returns link key -> chosen value, and the columns of ``widths`` left over after
    the filters (for a page's own control, e.g. a search field).
    """
    link_notes({f.url_key: f.options for f in filters})
    chosen = {}
    with layout.controls(view):
        columns = st.columns(widths or len(filters))
        for column, f in zip(columns, filters, strict=False):
            with column:
                chosen[f.url_key] = widgets.choice(
                    f.label,
                    f.url_key,
                    list(f.options),
                    dict(f.options),
                    default=ALL,
                    widget=st.selectbox,
                    note=False,  # noted above, all filters in one note
                )
    return chosen, list(columns[len(filters) :])
