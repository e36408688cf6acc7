"""Map legends as small HTML blocks (every text is escaped), and the entries for
cells without a number and for flagged numbers (:mod:`monitor.statuses`): one
entry per status that occurs, each with its official sign."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

from monitor.i18n import t
from monitor.statuses import DISPLAY, FLAGS, NO_NUMBER, split_flags
from monitor.views.palettes import MISSING_RGB, SUPPRESSED_RGB, to_hex

__all__ = ["flag_notes", "legend_html", "status_entries", "status_tip"]


def status_tip(status: str, lang: str) -> str:
    """Tooltip of a cell without a number: ``aus Datenschutzgründen nicht
    ausgewiesen``, ``... = Angabe fällt später an``."""
    if status in ("suppressed", "missing"):
        return t(f"status.{status}", lang)
    return t(
        "status.legend", lang, sign=DISPLAY[status], label=t(f"status.{status}", lang)
    )


def status_entries(
    counts: Mapping[str, int], lang: str, count_text
) -> list[tuple[Sequence[int], str, str]]:
    """Legend entries (rgb, label, count text) for every status without a number
    that occurs in ``counts`` (status → areas); ``count_text(n)`` writes the count.
    Secret cells have their own grey, every other status the grey of no data."""
    entries = []
    for status in NO_NUMBER:
        n = int(counts.get(status, 0))
        if not n:
            continue
        rgb = SUPPRESSED_RGB if status == "suppressed" else MISSING_RGB
        label = t(
            "status.legend",
            lang,
            sign=DISPLAY[status],
            label=t(f"status.{status}", lang),
        )
        entries.append((rgb, label, count_text(n)))
    return entries


def flag_notes(flags: Iterable, lang: str) -> list[str]:
    """``p = vorläufig`` … for every flag that occurs (``flags``: flag texts as
    stored, ``"p,r"``)."""
    found = {f for flag in flags for f in split_flags(flag)}
    return [
        t("flag.legend_parens", lang, label=t("flag.()", lang))
        if flag == "()"
        else t("flag.legend", lang, marker=flag, label=t(f"flag.{flag}", lang))
        for flag in FLAGS
        if flag in found
    ]


def legend_html(
    title: str,
    entries: Sequence[tuple[Sequence[int], str, str]],
    *,
    outline_label: str | None = None,
    icons: Sequence[str] | None = None,
) -> str:
    """``entries``: (rgb, label, count text). A black line stands for the outline;
    ``icons`` (image URLs, one per entry) replace the colour squares (point
    markers)."""
    rows = []
    for i, (rgb, label, count) in enumerate(entries):
        swatch = (
            f"<img class='qm-icon' src='{escape(icons[i], quote=True)}' alt=''>"
            if icons
            else f"<span class='qm-swatch' style='background:{to_hex(list(rgb))}'>"
            "</span>"
        )
        rows.append(
            "<div class='qm-legend-row' role='listitem'>"
            f"{swatch}"
            f"<span class='qm-label'>{escape(label)}</span>"
            f"<span class='qm-count'>{escape(count)}</span></div>"
        )
    if outline_label:
        rows.append(
            "<div class='qm-legend-row' role='listitem'>"
            "<span class='qm-swatch qm-outline'></span>"
            f"<span class='qm-label'>{escape(outline_label)}</span></div>"
        )
    style = (
        "<style>.qm-legend{font-size:1rem;line-height:1.5}"
        ".qm-legend-row{display:flex;align-items:center;gap:.5rem}"
        ".qm-swatch{width:1.6rem;height:1.1rem;border:1px solid #888;"
        "display:inline-block;flex:none}"
        ".qm-outline{border:3px solid #000;background:transparent}"
        ".qm-icon{width:1.45rem;height:1.45rem;flex:none;margin:0 .08rem}"
        ".qm-count{color:#555;margin-left:auto;padding-left:.75rem}"
        ".qm-legend-title{font-weight:600;margin-bottom:.25rem}</style>"
    )
    return (
        f"{style}<div class='qm-legend'>"
        f"<div class='qm-legend-title'>{escape(title)}</div>"
        f"<div role='list' aria-label='{escape(title, quote=True)}'>"
        f"{''.join(rows)}</div>"
        "</div>"
    )
