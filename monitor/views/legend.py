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
    dots: bool = False,
) -> str:
    """``entries``: (rgb, label, count text). A black line stands for the outline;
    ``dots`` draws round swatches (point markers)."""
    rows = []
    shape = "qm-swatch qm-dot" if dots else "qm-swatch"
    for rgb, label, count in entries:
        rows.append(
            "<div class='qm-legend-row' role='listitem'>"
            f"<span class='{shape}' style='background:{to_hex(list(rgb))}'></span>"
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
        ".qm-dot{width:1rem;height:1rem;border-radius:50%;border:2px solid #fff;"
        "box-shadow:0 0 0 1px #666;margin:0 .3rem}"
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
