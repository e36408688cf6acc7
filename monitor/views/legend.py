"""Map legends as small HTML blocks (every text is escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from monitor.views.palettes import to_hex

__all__ = ["legend_html"]


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
