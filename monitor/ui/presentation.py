"""Presentation mode, workshop sequences and sharing links (QR code).

Presentation mode (``?praesentation=1``) is large, calm and pointer-free: no
sidebar, type readable from the back of a room, and a step bar whose buttons answer
the arrow keys and the PageUp/PageDown keys of a presenter remote.
"""

from __future__ import annotations

import io
from functools import lru_cache
from urllib.parse import urlencode

import segno
import streamlit as st

from monitor.formatting import plain
from monitor.sequences import Sequence
from monitor.ui.state import lang, set_view, tr, update_view
from monitor.viewstate import Context, ViewState, parse_params, to_params

__all__ = [
    "PRESENTATION_CSS",
    "follow_sequence",
    "presentation_frame",
    "share_link",
    "qr_png",
]

_APPLIED = "_qm_applied_step"

# Body text at least 28 px at 1920x1080; sidebar and toolbar hidden; strong contrast.
PRESENTATION_CSS = """
<style>
html { font-size: 28px !important; }
.stApp [data-testid="stMarkdownContainer"] p,
.stApp [data-testid="stMarkdownContainer"] li, .stApp label,
.stApp [data-testid="stWidgetLabel"] p { font-size: 1rem !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {
  display: none !important;
}
.stMain .block-container { max-width: 100%; padding: 1rem 2.5rem 3rem 2.5rem; }
.stApp { color: #000; background: #fff; }
.st-key-qm_remote { position: absolute; left: -9999px; height: 1px; overflow: hidden; }
[data-testid="stCaptionContainer"] { color: #222 !important; }
:focus-visible { outline: 4px solid #1f5fa8 !important; outline-offset: 2px; }
a:focus { outline: 4px solid #1f5fa8 !important; outline-offset: 2px; }
</style>
"""

FOCUS_CSS = """
<style>
.st-key-qm_remote { position: absolute; left: -9999px; height: 1px; overflow: hidden; }
:focus-visible { outline: 3px solid #1f5fa8 !important; outline-offset: 2px; }
/* links keep their ring on any focus: Chromium may not count a focus that a
   re-render moved as keyboard focus, and a link is left by click anyway */
a:focus { outline: 3px solid #1f5fa8 !important; outline-offset: 2px; }
</style>
"""


def _step_view(view: ViewState, seq: Sequence, step: int, ctx: Context) -> ViewState:
    params = dict(seq.steps[step - 1].params)
    params.update({"ablauf": seq.id, "schritt": str(step), "sprache": view.lang})
    if view.presentation:
        params["praesentation"] = "1"
    state, _ = parse_params({k: [v] for k, v in params.items()}, ctx)
    return state


def follow_sequence(
    view: ViewState, sequences: dict[str, Sequence], ctx: Context, current_page: str
) -> None:
    """Apply the current step's view once and show the step's page."""
    if not view.sequence or view.sequence not in sequences:
        return
    seq = sequences[view.sequence]
    key = (seq.id, view.step)
    if st.session_state.get(_APPLIED) != key:
        state = _step_view(view, seq, view.step, ctx)
        set_view(state)
        st.session_state[_APPLIED] = key
        view = state
    page = seq.steps[view.step - 1].page
    if page != current_page:
        st.switch_page(f"pages/{page}.py", query_params=to_params(view))


def _go(step: int) -> None:
    update_view(step=step)


def _leave_presentation() -> None:
    update_view(presentation=False)


def presentation_frame(view: ViewState, sequences: dict[str, Sequence]) -> None:
    """CSS and, for a sequence, the step bar with keyboard shortcuts."""
    st.html(PRESENTATION_CSS if view.presentation else FOCUS_CSS)
    seq = sequences.get(view.sequence) if view.sequence else None
    if not view.presentation and seq is None:
        return
    cols = st.columns([1.5, 1.5, 5, 1.6, 2.2], vertical_alignment="center")
    if seq is not None:
        n = len(seq.steps)
        back, forward = view.step - 1, view.step + 1
        with cols[0]:
            st.button(
                tr("praesentation.back"),
                icon=":material/arrow_back:",
                shortcut="Left",
                disabled=back < 1,
                on_click=_go,
                args=(back,),
                key="qm_step_back",
                width="stretch",
            )
        with cols[1]:
            st.button(
                tr("praesentation.next"),
                icon=":material/arrow_forward:",
                shortcut="Right",
                disabled=forward > n,
                on_click=_go,
                args=(forward,),
                key="qm_step_next",
                type="primary",
                width="stretch",
            )
        # the keys of a presenter remote (PageUp/PageDown), invisible twins
        with st.container(key="qm_remote"):
            st.button(
                tr("praesentation.back"),
                shortcut="PageUp",
                disabled=back < 1,
                on_click=_go,
                args=(back,),
                key="qm_step_back_remote",
            )
            st.button(
                tr("praesentation.next"),
                shortcut="PageDown",
                disabled=forward > n,
                on_click=_go,
                args=(forward,),
                key="qm_step_next_remote",
            )
        with cols[2]:
            step = seq.steps[view.step - 1]
            st.markdown(
                f"**{view.step} / {n}** · {plain(seq.title(lang()))} – "
                f"{plain(step.title(lang()))}"
            )
            st.progress(view.step / n)
            if step.note(lang()):
                with st.expander(tr("praesentation.note")):
                    st.markdown(step.note(lang()))
    with cols[3], st.popover(tr("praesentation.qr"), icon=":material/qr_code_2:"):
        url = share_link(view)
        show_qr(url, 360)
        st.code(url, language=None, wrap_lines=True)
    with cols[4]:
        if view.presentation:
            st.button(
                tr("praesentation.leave"),
                icon=":material/close_fullscreen:",
                shortcut="Esc",
                on_click=_leave_presentation,
                key="qm_leave_presentation",
            )


def share_link(view: ViewState) -> str:
    """The full link of the current view (the browser's address plus the view)."""
    try:
        base = st.context.url or ""
    except (AttributeError, RuntimeError):
        base = ""
    return f"{base}?{urlencode(to_params(view))}"


@lru_cache(maxsize=256)
def qr_png(url: str) -> bytes | None:
    """QR code of ``url`` as PNG, rendered locally (segno, error correction M);
    None when the link is too long for any QR code (version 40 holds ~2,300
    characters at level M: a link with a long selection of areas)."""
    buffer = io.BytesIO()
    # a fixed mask skips segno's search for the best of eight (47 ms per new link,
    # i.e. per switch); every mask gives a valid, readable code
    try:
        code = segno.make(url, error="m", micro=False, mask=0)
    except segno.DataOverflowError:
        return None
    code.save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def show_qr(url: str, width: int) -> None:
    """The link's QR code, or a note that the link is too long for one."""
    png = qr_png(url)
    if png is None:
        st.caption(tr("praesentation.qr_too_long"))
    else:
        st.image(png, width=width, caption=tr("praesentation.qr_caption"))
