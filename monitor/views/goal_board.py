"""The status board of the goals: an HTML table with the Open SDG category as a
coloured badge (label always written out) and the DNS weather symbol as an inline
SVG image, so that no emoji font is needed on a projector."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape

import pandas as pd

from monitor.formatting import fmt_value
from monitor.i18n import t
from monitor.programme.cells import as_number
from monitor.views.palettes import CATEGORY_COLORS
from monitor.views.programme_text import fmt_rate, fmt_ratio

__all__ = ["category_badge", "overview_html", "weather_svg"]


_WEATHER_PATHS = {
    "sun": (
        "<circle cx='16' cy='16' r='7' fill='#f2b705' stroke='#b07d00'/>"
        "<g stroke='#d99a00' stroke-width='2.2' stroke-linecap='round'>"
        "<line x1='16' y1='2' x2='16' y2='6'/><line x1='16' y1='26' x2='16' y2='30'/>"
        "<line x1='2' y1='16' x2='6' y2='16'/><line x1='26' y1='16' x2='30' y2='16'/>"
        "<line x1='6' y1='6' x2='8.8' y2='8.8'/><line x1='23.2' y1='23.2' x2='26' "
        "y2='26'/><line x1='6' y1='26' x2='8.8' y2='23.2'/><line x1='23.2' y1='8.8' "
        "x2='26' y2='6'/></g>"
    ),
    "sun_cloud": (
        "<circle cx='12' cy='12' r='6' fill='#f2b705' stroke='#b07d00'/>"
        "<g stroke='#d99a00' stroke-width='2' stroke-linecap='round'>"
        "<line x1='12' y1='1.5' x2='12' y2='4'/><line x1='1.5' y1='12' x2='4' "
        "y2='12'/><line x1='4.5' y1='4.5' x2='6.3' y2='6.3'/><line x1='19.5' "
        "y1='4.5' x2='17.7' y2='6.3'/></g>"
        "<path d='M10 27h15a5 5 0 0 0 0-10 7 7 0 0 0-13 2 4 4 0 0 0-2 8z' "
        "fill='#e9edf2' stroke='#6b7785' stroke-width='1.5'/>"
    ),
    "cloud": (
        "<path d='M7 25h18a6 6 0 0 0 0-12 8 8 0 0 0-15 2 5 5 0 0 0-3 10z' "
        "fill='#c9d0d8' stroke='#5f6b7a' stroke-width='1.5'/>"
    ),
    "thunderstorm": (
        "<path d='M7 20h18a6 6 0 0 0 0-12 8 8 0 0 0-15 2 5 5 0 0 0-3 10z' "
        "fill='#5f6b7a' stroke='#333c47' stroke-width='1.5'/>"
        "<path d='M17 18l-5 8h4l-2 6 7-9h-4l2-5z' fill='#f2b705' stroke='#9a6b00' "
        "stroke-width='0.8'/>"
    ),
}


def weather_svg(symbol: str, label: str, size: int = 30) -> str:
    """An inline SVG weather symbol (no emoji font needed) with its label."""
    if symbol not in _WEATHER_PATHS:
        return f"<span class='qm-wx-none'>–</span> <span>{escape(label)}</span>"
    svg = (
        "<svg xmlns='http://www.w3.org/2000/svg' width='32' height='32' "
        f"viewBox='0 0 32 32'>{_WEATHER_PATHS[symbol]}</svg>"
    )
    # st.html sanitises inline SVG away; an <img> with a data URI survives
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    return (
        f"<img class='qm-wx' src='{source}' width='{size}' height='{size}' "
        f"alt='{escape(label, quote=True)}' title='{escape(label, quote=True)}'>"
        f"<span class='qm-wx-label'>{escape(label)}</span>"
    )


def category_badge(category: str, label: str) -> str:
    bg, fg = CATEGORY_COLORS.get(category, CATEGORY_COLORS["not_assessable"])
    return (
        f"<span class='qm-badge' style='background:{bg};color:{fg}'>"
        f"{escape(label)}</span>"
    )


_TABLE_CSS = (
    "<style>"
    ".qm-goals{border-collapse:collapse;width:100%;font-size:.9rem;line-height:1.35}"
    ".qm-goals th{text-align:left;font-weight:600;border-bottom:2px solid #5f6b7a;"
    "padding:.3rem .4rem;vertical-align:bottom}"
    ".qm-goals td{border-bottom:1px solid #dde1e6;padding:.35rem .4rem;"
    "vertical-align:top}"
    ".qm-goals td.num{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}"
    ".qm-goals .sub{color:#555;font-size:.85rem}"
    ".qm-badge{display:inline-block;border-radius:.8rem;padding:.1rem .6rem;"
    "font-size:.85rem;font-weight:600;white-space:nowrap}"
    ".qm-wx{vertical-align:middle;margin-right:.3rem}"
    ".qm-wx-label{font-size:.85rem;vertical-align:middle}"
    ".qm-goals .qm-differs{font-weight:600;color:#8a4b00}"
    ".qm-goals-wrap{overflow-x:auto}"
    "</style>"
)


def _years(start, end) -> tuple[int, int] | None:
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None
    return int(start), int(end)


def _verdict_cells(r: Mapping, lang: str) -> tuple[str, str]:
    """Badge and weather symbol, each with the years its method compares, so the
    board names both windows next to each other."""
    badge = category_badge(r["category"], t(f"progress.category.{r['category']}", lang))
    weather = weather_svg(r["symbol"], t(f"progress.weather.{r['symbol']}", lang), 26)
    cagr = _years(r["baseline_year"], r["latest_year"])
    if r["category"] != "not_assessable" and cagr:
        window = t("ziele.window_cagr_short", lang, start=cagr[0], end=cagr[1])
        badge += f"<br><span class='sub'>{escape(window)}</span>"
    dns = _years(r.get("weather_from_year"), r.get("weather_to_year"))
    if dns:
        window = t("ziele.window_weather_short", lang, start=dns[0], end=dns[1])
        weather += f"<br><span class='sub'>{escape(window)}</span>"
    if r.get("verdicts_disagree"):
        weather += (
            f"<br><span class='sub qm-differs'>"
            f"{escape(t('ziele.verdicts_differ_short', lang))}</span>"
        )
    return badge, weather


def _row_html(r: Mapping, area_names: Mapping[str, str], lang: str) -> str:
    unit = r["unit"]

    def val(value, year):
        if as_number(value) is None:
            return "–"
        when = "" if year is None or pd.isna(year) else str(int(year))
        return (
            f"{escape(fmt_value(value, unit, lang))}<br><span class='sub'>{when}</span>"
        )

    if as_number(r["target_value"]) is not None:
        target = val(r["target_value"], r["target_year"])
    else:
        target = escape(t(f"ziele.direction_only_{r['direction']}", lang))
    ratio = fmt_ratio(r["ratio"], lang)
    rates = (
        f"{escape(t('ziele.rate_required_short', lang))} "
        f"{escape(fmt_rate(r['cagr_required'], lang, per_year=False))}<br>"
        f"{escape(t('ziele.rate_observed_short', lang))} "
        f"{escape(fmt_rate(r['cagr_observed'], lang, per_year=False))}"
    )
    field = t(f"progress.field.{r['handlungsfeld']}", lang)
    badge, weather = _verdict_cells(r, lang)
    cells = [
        badge,
        f"<strong>{escape(r['title'])}</strong> "
        f"<span class='sub'>({escape(r['goal_id'])})</span><br>"
        f"{escape(r['indicator'])} · "
        f"{escape(area_names.get(r['area_id'], r['area_id']))}<br>"
        f"<span class='sub'>{escape(r['working_group_name'])} · "
        f"{escape(field)}</span>",
        f"<td class='num'>{val(r['baseline_value'], r['baseline_year'])}</td>",
        f"<td class='num'>{val(r['latest_value'], r['latest_year'])}</td>",
        f"<td class='num'>{target}</td>",
        f"<td class='num'>{rates}</td>",
        f"<td class='num'>{escape(ratio)}</td>",
        weather,
    ]
    tds = "".join(c if c.startswith("<td") else f"<td>{c}</td>" for c in cells)
    return f"<tr>{tds}</tr>"


def overview_html(
    overview: pd.DataFrame, area_names: Mapping[str, str], lang: str
) -> str:
    """The status board of goals as an HTML table (every text escaped)."""
    head = [
        t("ziele.col_status", lang),
        t("ziele.col_goal", lang),
        t("ziele.col_baseline", lang),
        t("ziele.col_latest", lang),
        t("ziele.col_target", lang),
        t("ziele.col_rates", lang),
        t("ziele.col_ratio", lang),
        t("ziele.col_weather", lang),
    ]
    body = "".join(_row_html(r, area_names, lang) for r in overview.to_dict("records"))
    ths = "".join(f"<th scope='col'>{escape(h)}</th>" for h in head)
    return (
        # a region that scrolls sideways must be reachable by keyboard (WCAG
        # 2.1.1; axe's scrollable-region-focusable)
        f"{_TABLE_CSS}<div class='qm-goals-wrap' role='region' tabindex='0' "
        f"aria-label='{escape(t('ziele.board_label', lang))}'>"
        "<table class='qm-goals'>"
        f"<caption style='caption-side:bottom;text-align:left;color:#555'>"
        f"{escape(t('ziele.table_caption', lang))}</caption>"
        f"<thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table></div>"
    )
