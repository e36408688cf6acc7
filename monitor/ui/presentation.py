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
    "PRESENTATION_MAP_HEIGHT",
    "follow_sequence",
    "presentation_frame",
    "share_link",
    "qr_png",
]

_APPLIED = "_qm_applied_step"

# The height a main map is fitted to in presentation mode: what it has on a
# 1280x720 screen below the header (taller screens stretch it, see the CSS).
PRESENTATION_MAP_HEIGHT = 480

# Type scales with the screen's height (28 px at 1080, 19 px at 720 lines), so a
# layout that fits one projector fits the others; sidebar and toolbar hidden; strong
# contrast; the main figure (.st-key-qm_figure) gets the height the header leaves.
PRESENTATION_CSS = """
<style>
html { font-size: clamp(16px, 2.6vh, 40px) !important; }
.stApp [data-testid="stMarkdownContainer"] p,
.stApp [data-testid="stMarkdownContainer"] li, .stApp label,
.stApp [data-testid="stWidgetLabel"] p { font-size: 1rem !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {
  display: none !important;
}
.stMain .block-container { max-width: 100%; padding: .5rem 2rem 2rem 2rem; }
.stMain [data-testid="stVerticalBlock"] { gap: .4rem; }
.stMain h1 { font-size: 1.3rem !important; }
.stMain h2, .stMain h3 { font-size: 1.1rem !important; }
.st-key-qm_stepbar button { min-height: 1.9rem; }
.st-key-qm_stepbar > * { flex: 0 0 auto !important; }
.st-key-qm_stepbar > :has(> .st-key-qm_steptitle) {
  flex: 1 1 0 !important; min-width: 0;
}
.st-key-qm_stepbar [data-testid="stMarkdownContainer"] p {
  margin: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.st-key-qm_figure [data-testid="stElementContainer"]:has(.stDeckGlJsonChart) {
  flex: 0 0 auto !important; height: auto !important;
}
.st-key-qm_figure [data-testid="stFullScreenFrame"]:has(> .stDeckGlJsonChart),
.st-key-qm_figure [data-testid="stDeckGlJsonChart"] {
  height: max(300px, calc(100vh - 11.5rem)) !important;
}
.stApp { color: #000; background: #fff; }
.st-key-qm_remote { position: absolute; left: -9999px; height: 1px; overflow: hidden; }
[data-testid="stCaptionContainer"] { color: #222 !important; opacity: 1 !important; }
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
        # a step change by the step bar has cleared the notes (update_view); what
        # is left is about the link that opened this step
        set_view(state, keep_notes=True)
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
    """CSS and, for a sequence, the step bar with keyboard shortcuts: one row
    (back, next, step and its title, moderator's note, QR code, leave)."""
    st.html(PRESENTATION_CSS if view.presentation else FOCUS_CSS)
    seq = sequences.get(view.sequence) if view.sequence else None
    if not view.presentation and seq is None:
        return
    if seq is not None:
        _remote_buttons(view, len(seq.steps))
    with st.container(
        key="qm_stepbar",
        horizontal=True,
        wrap=False,
        vertical_alignment="center",
        gap="small",
    ):
        if seq is not None:
            step = seq.steps[view.step - 1]
            _step_buttons(view, len(seq.steps))
            with st.container(key="qm_steptitle", gap=None):
                st.markdown(
                    f"**{view.step} / {len(seq.steps)}** · {plain(step.title(lang()))}",
                    help=plain(seq.title(lang())),
                )
                st.progress(view.step / len(seq.steps))
            if step.note(lang()):
                with st.popover(
                    tr("praesentation.note_short"),
                    icon=":material/sticky_note_2:",
                    help=tr("praesentation.note"),
                ):
                    st.markdown(f"**{tr('praesentation.note')}**")
                    st.markdown(step.note(lang()))
        with st.popover(tr("praesentation.qr"), icon=":material/qr_code_2:"):
            url = share_link(view)
            show_qr(url, 360)
            st.code(url, language=None, wrap_lines=True)
        if view.presentation:
            st.button(
                tr("praesentation.leave"),
                icon=":material/close_fullscreen:",
                shortcut="Esc",
                on_click=_leave_presentation,
                key="qm_leave_presentation",
            )


def _step_buttons(view: ViewState, n: int) -> None:
    """Back and next, with the arrow keys."""
    back, forward = view.step - 1, view.step + 1
    st.button(
        tr("praesentation.back"),
        icon=":material/arrow_back:",
        shortcut="Left",
        disabled=back < 1,
        on_click=_go,
        args=(back,),
        key="qm_step_back",
    )
    st.button(
        tr("praesentation.next"),
        icon=":material/arrow_forward:",
        shortcut="Right",
        disabled=forward > n,
        on_click=_go,
        args=(forward,),
        key="qm_step_next",
        type="primary",
    )


def _remote_buttons(view: ViewState, n: int) -> None:
    """Invisible twins of back and next for the PageUp and PageDown keys of a
    presenter remote (outside the step bar: they take no room in its row)."""
    back, forward = view.step - 1, view.step + 1
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
