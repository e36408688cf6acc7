"""Frame of every page: its start, header, Demodaten notice, sidebar, error pages."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import streamlit as st

from monitor.formatting import fmt_date, plain
from monitor.store import Store
from monitor.ui import data
from monitor.ui.bootstrap import ensure_app
from monitor.ui.document_language import document_language
from monitor.ui.presentation import PRESENTATION_MAP_HEIGHT, share_link, show_qr
from monitor.ui.state import (
    bound_widget,
    current_view,
    lang,
    show_link_notes,
    tr,
    write_url,
)
from monitor.views.exports import data_version_text
from monitor.viewstate import PAGES, Context, ViewState, to_params

__all__ = [
    "PageStart",
    "app_title",
    "start_page",
    "navigation",
    "page_header",
    "page_id",
    "sidebar",
    "data_error_page",
    "data_footer",
    "version_fallback_notice",
    "file_problems",
    "controls",
    "figure_slot",
    "main_figure",
    "figure_height",
    "metric_cards",
    "chart_scale",
    "PAGE_DIR",
]

PAGE_DIR = Path(__file__).resolve().parent.parent.parent / "pages"
SECTIONS = ("lage", "gebiete", "programm", "info")


class PageStart(NamedTuple):
    """What a page works with: the data, what link values are valid, the view."""

    store: Store
    ctx: Context
    view: ViewState


def app_title(store: Store | None) -> str:
    """The title of the data folder (meta.json ``title``/``title_en``), else the
    app's name: the browser tab, the sidebar, exports and sources."""
    title = store.place.title(lang()) if store is not None else ""
    return title or tr("app.title")


def start_page(title_key: str, needs: tuple[str, ...] = ()) -> PageStart:
    """The first line of every page: run inside app.py's navigation (see
    monitor/ui/bootstrap.py), read the view from the link and show the header.

    ``needs``: the optional tables the page shows (``benchmarks``, ``goals`` …);
    a broken file among them gets a German note in the header (Store.problems).

    ``store, ctx, view = start_page("karte.title")``
    """
    ensure_app()
    store = data.get_store()
    ctx = data.context(store)
    view = current_view(ctx)
    page_header(store, title_key, presentation=view.presentation)
    version_fallback_notice()
    file_problems(store, needs)
    return PageStart(store, ctx, view)


def file_problems(store: Store, tables) -> None:
    """A note per broken optional file among ``tables``: the page shows what it
    can without it."""
    for table in tables:
        message = store.problems.get(table)
        if message:
            st.warning(
                tr("errors.file_problem", message=plain(message)),
                icon=":material/broken_image:",
            )


def navigation() -> list:
    """st.Page objects in PAGES order (grouped by section), titles translated.

    The list is flat on purpose: Streamlit's sectioned navigation renders list
    markup that fails the axe-core rules "list" and "listitem" (serious).
    """
    return [
        st.Page(
            str(PAGE_DIR / f"{spec.id}.py"),
            title=tr(f"nav.{spec.id}"),
            icon=spec.icon,
            url_path=spec.url_path or None,
            default=spec.url_path == "",
        )
        for spec in sorted(PAGES, key=lambda p: SECTIONS.index(p.section))
    ]


def page_link(page: str, label: str, view) -> None:
    """A link to another page that carries the current view (link contract)."""
    spec = next(p for p in PAGES if p.id == page)
    st.page_link(
        str(PAGE_DIR / f"{spec.id}.py"),
        label=label,
        icon=spec.icon,
        query_params=to_params(view),
    )


def page_id(page) -> str:
    """The PAGES id of a page returned by st.navigation."""
    path = getattr(page, "url_path", "") or ""
    return next((p.id for p in PAGES if p.url_path == path), PAGES[0].id)


def sidebar(store: Store) -> None:
    with st.sidebar:
        bound_widget(
            st.segmented_control,
            tr("app.language"),
            field="lang",
            key="w_sprache",
            options=["de", "en"],
            format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
            selection_mode="single",
            to_view=lambda v: v or "de",
        )
        bound_widget(
            st.toggle,
            tr("praesentation.toggle"),
            field="presentation",
            key="w_praesentation",
            help=tr("praesentation.toggle_help"),
        )
        # drawn only when opened: st.code pulls Streamlit's 1.5 MB syntax
        # highlighter into every page load (a cold /karte in Chromium 3.35 s ->
        # 2.65 s p50), and the link and QR code are not built on every run
        share = opened_expander(
            tr("praesentation.share"), key="qm_share_open", icon=":material/share:"
        )
        if share is not None:
            with share:
                url = share_link(st.session_state["_qm_view"])
                st.code(url, language=None, wrap_lines=True)
                st.caption(tr("praesentation.share_help"))
                show_qr(url, 200)
        meta = store.meta
        lines = [f"**{plain(app_title(store))}**"]
        if meta.is_demo:
            lines.append(f"**{tr('common.demodaten')}**")
        if meta.data_date:
            lines.append(tr("app.data_date", date=fmt_date(meta.data_date, lang())))
        if meta.data_version:
            lines.append(tr("app.data_version", version=meta.data_version))
        st.caption("  \n".join(lines))
        # last in the sidebar: nothing below it could move while its style loads
        document_language(lang())


def opened_expander(
    label: str, *, key: str, expanded: bool = False, icon: str | None = None
):
    """An expander whose content is drawn only while it is open (opening it
    reruns the page): what it holds costs nothing on the runs of everyone who
    leaves it closed. The container when open, else None."""
    box = st.expander(label, expanded=expanded, icon=icon, key=key, on_change="rerun")
    return box if box.open else None


def page_header(store: Store, title_key: str, *, presentation: bool = False) -> None:
    """Title, the Demodaten notice and notes about the link, on every page."""
    # the link is right before anything can stop the page early (st.stop)
    write_url()
    st.title(tr(title_key))
    if store.meta.is_demo and presentation:
        # one short line: the room still reads "Demodaten", the figure stays on
        # the first screen (docs/ARCHITECTURE.md, presentation layout)
        st.markdown(tr("app.demo_short"))
    elif store.meta.is_demo:
        note = store.meta.note_en if lang() == "en" else store.meta.note_de
        st.info(
            tr("app.demo_banner", note=note or store.meta.note_de),
            icon=":material/science:",
        )
    show_link_notes()


def controls(view) -> object:
    """Where a page puts its controls: folded away in presentation mode, so the
    projector shows one chart or map per screen."""
    if view.presentation:
        return st.expander(tr("praesentation.controls"), icon=":material/tune:")
    return st.container()


def figure_slot(view) -> object | None:
    """In presentation mode, the place of the main figure right under the header,
    taken before the page writes its controls (they follow the figure); else
    ``None`` and :func:`main_figure` makes the figure where the page writes it."""
    return st.container(key="qm_figure") if view.presentation else None


def main_figure(slot) -> object:
    """The container of a page's main figure (its title, map or chart, legend):
    the slot from :func:`figure_slot` or a new one here. Presentation mode fits
    it to the first screen (``.st-key-qm_figure`` in PRESENTATION_CSS)."""
    return slot if slot is not None else st.container(key="qm_figure")


def figure_height(view, height: int) -> int:
    """Pixel height a page's main map is fitted to: in presentation mode the
    height it has on a 1280x720 screen (PRESENTATION_CSS stretches the chart with
    the viewport height; the view is fitted for the smallest screen)."""
    return PRESENTATION_MAP_HEIGHT if view.presentation else height


def metric_cards(cards: list[dict], *, delta_arrow: str = "auto") -> None:
    """Key figures side by side, one bordered ``st.metric`` per card (``label``,
    ``value``, ``delta``, ``delta_color``, ``help``; a ``caption`` goes below)."""
    for column, card in zip(st.columns(max(len(cards), 1)), cards, strict=False):
        with column:
            st.metric(
                card["label"],
                card["value"],
                card["delta"],
                delta_color=card["delta_color"],
                delta_arrow=delta_arrow,
                help=card["help"],
                border=True,
            )
            if "caption" in card:
                st.caption(card["caption"])


def chart_scale(view) -> float:
    """Font scale of charts: larger in presentation mode (read from the back)."""
    return 1.6 if view.presentation else 1.0


def data_error_page(message: str) -> None:
    """Shown instead of any page when the data folder cannot be used."""
    document_language(lang())
    st.title(tr("app.title"))
    st.error(f"**{tr('errors.data_title')}**\n\n{message}", icon=":material/error:")
    st.markdown(tr("errors.data_help"))


def data_footer(store: Store) -> None:
    """The served data version and its date, one short line under every page (the
    same line heads every CSV download)."""
    meta = store.meta
    st.caption(
        data_version_text(meta.version_id, meta.published_at, meta.data_date, lang())
    )


def version_fallback_notice() -> None:
    """Say so when this run serves an earlier version because the current one
    does not open (monitor.ui.data.get_store)."""
    notice = data.version_notice()
    if notice:
        failed, served, reason = notice
        st.warning(
            tr("versions.fallback", failed=failed, served=served, reason=reason),
            icon=":material/history:",
        )
