"""The view state of a session, bound to the URL query string.

Streamlit clears the query parameters when the user switches pages ("When users
navigate between pages in a multipage app, query parameters are cleared", docs of
st.query_params), so the session keeps the view and every page writes it back to
the URL. A URL that differs from what this session last wrote is a new link (pasted,
edited, opened fresh): it is parsed and validated again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from monitor.i18n import t
from monitor.viewstate import (
    PAGE_KEYS,
    Context,
    Note,
    ViewState,
    normalize,
    parse_params,
    safe_excerpt,
    to_params,
)

__all__ = [
    "current_view",
    "view_now",
    "update_view",
    "update_extra",
    "set_view",
    "extra",
    "write_url",
    "stop_page",
    "show_link_notes",
    "warn_link_values",
    "tr",
    "lang",
    "bound_widget",
    "one_of",
]

_VIEW = "_qm_view"
_CTX = "_qm_ctx"
_NOTES = "_qm_notes"
_WRITTEN = "_qm_written"


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def current_view(ctx: Context) -> ViewState:
    """The validated view of this run (parsing the URL when it is a new link)."""
    url = _url_params()
    flat = {k: v[-1] for k, v in url.items() if v}
    if _VIEW not in st.session_state or (
        url and flat != st.session_state.get(_WRITTEN)
    ):
        state, notes = parse_params(url, ctx)
        st.session_state[_VIEW] = state
        st.session_state[_NOTES] = notes
    st.session_state[_CTX] = ctx
    return st.session_state[_VIEW]


def view_now() -> ViewState:
    """The view as this run has left it so far (a download's link carries it)."""
    return st.session_state[_VIEW]


def update_view(**changes) -> None:
    """Change the view (from a widget callback); notes about the old link are done.

    The result is normalised, e.g. a new indicator without the chosen year moves to
    its nearest year, with a note saying so.
    """
    state = st.session_state[_VIEW].with_(**changes)
    ctx = st.session_state.get(_CTX)
    notes: list[Note] = []
    if ctx is not None:
        state, notes = normalize(state, ctx)
    st.session_state[_VIEW] = state
    st.session_state[_NOTES] = notes


def set_view(state: ViewState, *, keep_notes: bool = False) -> None:
    """Replace the whole view (a workshop step applies its prepared view).

    ``keep_notes``: the notes about the link stay (a step opened from a link
    still says what of the link was not used)."""
    st.session_state[_VIEW] = state
    if not keep_notes:
        st.session_state[_NOTES] = []


def update_extra(key: str, value: str | None) -> None:
    """Set or clear a page-specific URL key (documented in docs/ARCHITECTURE.md)."""
    if key not in PAGE_KEYS:
        raise ValueError(f"{key!r} is no page-specific link key (viewstate.PAGE_KEYS)")
    extra = dict(st.session_state[_VIEW].extra)
    if value is None:
        extra.pop(key, None)
    else:
        extra[key] = value
    update_view(extra=extra)


def extra(key: str, allowed: Sequence[str] | None = None, default: str = "") -> str:
    """A page-specific URL value, validated against ``allowed`` (else default)."""
    value = st.session_state[_VIEW].extra.get(key, default)
    if allowed is not None and value not in allowed:
        return default
    return value


def write_url() -> None:
    """Put the whole view into the address bar, so the link reproduces it."""
    params = to_params(st.session_state[_VIEW])
    if params != st.session_state.get(_WRITTEN) or dict(st.query_params) != params:
        st.query_params.from_dict(params)
        st.session_state[_WRITTEN] = params


def stop_page() -> None:
    """End the page here (``st.stop``), with the link written first: after a stop
    every Streamlit call raises the stop again, so app.py's last ``write_url``
    cannot write what the page changed since its header (e.g. a refused filter
    value dropped from the view)."""
    write_url()
    st.stop()


def rerun() -> None:
    """Rerun with the view changed by this run: write the URL first. The rerun
    starts from the address bar as it was written; without this the next run sees
    the old link, takes it for a new one and undoes the change (a selected table
    row or map area then flips back and forth)."""
    write_url()
    st.rerun()


def lang() -> str:
    view = st.session_state.get(_VIEW)
    return view.lang if view else "de"


def tr(key: str, /, **params) -> str:
    """Translate ``key`` in the session's language."""
    return t(key, lang(), **params)


def show_link_notes() -> None:
    notes: list[Note] = st.session_state.get(_NOTES) or []
    if not notes:
        return
    lines = [tr("link_notes.heading")]
    for note in notes:
        lines.append(
            "- " + tr(f"link_notes.{note.reason}", key=note.key, value=note.value)
        )
    st.warning("\n".join(lines), icon=":material/link_off:")


def warn_link_values(values: dict[str, str]) -> None:
    """One note for page-specific link values that are not valid here (key ->
    value as it came; shown as a harmless excerpt)."""
    if not values:
        return
    lines = [tr("link_notes.heading")]
    for key, value in values.items():
        lines.append(
            "- " + tr("link_notes.unknown", key=key, value=safe_excerpt(value))
        )
    st.warning("\n".join(lines), icon=":material/link_off:")


def one_of(allowed: Sequence, default, value):
    """``value`` if it is one of ``allowed``, else ``default`` (a bound widget's
    ``from_view``/``to_view`` as a partial: a page's lambda would keep the
    page's globals alive with the session's callbacks)."""
    return value if value in allowed else default


def bound_widget(
    widget: Callable,
    label: str,
    *,
    field: str,
    key: str,
    options: Sequence | None = None,
    to_view: Callable = lambda v: v,
    from_view: Callable = lambda v: v,
    **kwargs,
):
    """A widget whose value is the view's ``field`` and that writes back on change.

    The value is put into session state before the widget is built (no ``index`` or
    ``value`` argument, so Streamlit does not warn), and an ``on_change`` callback
    updates the view before the rerun.
    """
    view = st.session_state[_VIEW]
    st.session_state[key] = from_view(getattr(view, field))

    def _changed():
        update_view(**{field: to_view(st.session_state[key])})

    if options is not None:
        kwargs["options"] = options
    return widget(label, key=key, on_change=_changed, **kwargs)
