"""The Steckbrief: a one- or two-page A4 PDF of an area's profile (reportlab).

Generated on the server from a :class:`monitor.views.profile.Profile`, the same
object the page "Profil" shows. Charts are reportlab drawings built from the same
geometry as the screen (:mod:`monitor.views.minicharts`: "Stadt = 100" bars and
sparklines; the locator from the same projected outlines), which keeps a Steckbrief
well under a second and needs no browser. Text is set in DejaVu Sans (umlauts, ß,
"·", thin spaces) with German number formats from :mod:`monitor.formatting`; every
page carries "Demodaten" (while the demo data is shown), the data date, the source
and "Seite x von y".

Text from the data (area and indicator names) is escaped before it enters a
reportlab Paragraph, whose mini-markup would otherwise read ``<b>x</b>``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from html import escape
from pathlib import Path

import pandas as pd
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect
from reportlab.graphics.shapes import String as DString
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import BalancedColumns

from monitor.formatting import (
    MISSING,
    SUPPRESSED,
    fmt_date,
    fmt_number,
    fmt_value,
    unit_suffix,
)
from monitor.i18n import t
from monitor.views import uncertainty
from monitor.views.minicharts import (
    AREA_LINE,
    BETTER,
    CITY_LINE,
    NEUTRAL_BAR,
    WORSE,
    city_bar_geometry,
    sparkline_geometry,
)
from monitor.views.palettes import HIGHLIGHT
from monitor.views.profile import Profile, bench_column
from monitor.views.profile_figures import locator_marker
from monitor.views.profile_tables import (
    social_lines,
    sparkline_values,
    summary_text,
)

__all__ = ["steckbrief_pdf", "FONT_DIR", "fonts"]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FONT_FILES = {
    "QM-Sans": "DejaVuSans.ttf",
    "QM-Sans-Bold": "DejaVuSans-Bold.ttf",
    "QM-Sans-Italic": "DejaVuSans-Oblique.ttf",
    "QM-Cond": "DejaVuSansCondensed.ttf",
    "QM-Cond-Bold": "DejaVuSansCondensed-Bold.ttf",
    "QM-Cond-Italic": "DejaVuSansCondensed-Oblique.ttf",
}
_FALLBACK = {
    "QM-Sans": "Helvetica",
    "QM-Sans-Bold": "Helvetica-Bold",
    "QM-Sans-Italic": "Helvetica-Oblique",
    "QM-Cond": "Helvetica",
    "QM-Cond-Bold": "Helvetica-Bold",
    "QM-Cond-Italic": "Helvetica-Oblique",
}
_FONTS: dict[str, str] = {}

INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#5f6b7a")
RULE = colors.HexColor("#d5dbe3")
BAND = colors.HexColor("#eef1f5")
DEMO = colors.HexColor("#a50026")
MARGIN_X = 14 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 17 * mm


def fonts() -> dict[str, str]:
    """Register DejaVu once per process; fall back to Helvetica (no thin spaces
    then) when the Debian package fonts-dejavu-core is missing."""
    if not _FONTS:
        for name, file_name in _FONT_FILES.items():
            path = FONT_DIR / file_name
            if path.is_file():
                pdfmetrics.registerFont(TTFont(name, str(path)))
                _FONTS[name] = name
            else:
                _FONTS[name] = _FALLBACK[name]
        if _FONTS["QM-Sans"] == "QM-Sans":
            # <b> and <i> inside paragraphs pick the family's bold/italic faces
            for family in ("QM-Sans", "QM-Cond"):
                registerFontFamily(
                    family,
                    normal=family,
                    bold=f"{family}-Bold",
                    italic=f"{family}-Italic",
                    boldItalic=f"{family}-Bold",
                )
    return _FONTS


def _text(value: str) -> str:
    """Characters Helvetica lacks, replaced when the fallback font is in use."""
    if fonts()["QM-Sans"] == "QM-Sans":
        return value
    return (
        value.replace("\u202f", "\u00a0")
        .replace("▸", ">")
        .replace("–", "-")
        .replace("·", "\u00b7")
    )


# A text from the data longer than this is cut with "…": a table cell cannot
# break across pages, and reportlab stops with a LayoutError when one row is
# taller than the page (a 5,000-character indicator name did).
MAX_TEXT = 600


def _short(text: object) -> str:
    text = str(text)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a name like ``<b>x</b>`` stays text)."""
    return Paragraph(_text(escape(str(text), quote=False)), style)


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph inside a table: as :func:`_p`, cut at :data:`MAX_TEXT`."""
    return _p(_short(text), style)


def _styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    base = ParagraphStyle(
        "qm", fontName=f["QM-Sans"], fontSize=8.5, leading=11, textColor=INK
    )
    return {
        "base": base,
        "kicker": ParagraphStyle(
            "kicker",
            parent=base,
            fontName=f["QM-Sans-Bold"],
            fontSize=8,
            textColor=MUTED,
            leading=10,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=f["QM-Sans-Bold"],
            fontSize=19,
            leading=23,
            spaceAfter=1,
        ),
        "sub": ParagraphStyle(
            "sub", parent=base, fontSize=9.5, leading=12.5, textColor=MUTED
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=f["QM-Sans-Bold"],
            fontSize=11.5,
            leading=14,
            spaceBefore=7,
            spaceAfter=3,
        ),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.3, leading=9.2, textColor=MUTED
        ),
        "cell": ParagraphStyle(
            "cell", parent=base, fontName=f["QM-Cond"], fontSize=8, leading=9.4
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=f["QM-Cond-Bold"],
            fontSize=7.4,
            leading=8.6,
        ),
        "head_right": ParagraphStyle(
            "headr",
            parent=base,
            fontName=f["QM-Cond-Bold"],
            fontSize=7.4,
            leading=8.6,
            alignment=TA_RIGHT,
        ),
        "cell_bold": ParagraphStyle(
            "cellb",
            parent=base,
            fontName=f["QM-Cond-Bold"],
            fontSize=8.3,
            leading=10,
        ),
        "def": ParagraphStyle(
            "def",
            parent=base,
            fontName=f["QM-Cond"],
            fontSize=7,
            leading=8.0,
            spaceAfter=2.2,
        ),
        "fact": ParagraphStyle("fact", parent=base, fontSize=8.8, leading=12),
        "big": ParagraphStyle(
            "big", parent=base, fontName=f["QM-Sans-Bold"], fontSize=15, leading=17
        ),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


# -- drawings --------------------------------------------------------------------
def _hex(color: str):
    return colors.HexColor(color)


def locator_drawing(profile: Profile, width: float, height: float) -> Drawing:
    """The locator map from the profile's projected outlines."""
    d = Drawing(width, height)
    loc = profile.locator
    if loc is None:
        return d
    minx, miny, maxx, maxy = loc.bounds
    span = max(maxx - minx, maxy - miny, 1e-6)
    scale = min(width / (maxx - minx or span), height / (maxy - miny or span)) * 0.96
    ox = (width - (maxx - minx) * scale) / 2
    oy = (height - (maxy - miny) * scale) / 2

    def pts(ring):
        out = []
        for x, y in ring:
            out += [ox + (x - minx) * scale, oy + (y - miny) * scale]
        return out

    for ring in loc.context:
        d.add(
            Polygon(
                pts(ring), fillColor=BAND, strokeColor=colors.white, strokeWidth=0.6
            )
        )
    for ring in loc.city:
        d.add(Polygon(pts(ring), fillColor=None, strokeColor=MUTED, strokeWidth=0.8))
    for ring in loc.area:
        d.add(
            Polygon(
                pts(ring),
                fillColor=_hex(HIGHLIGHT),
                strokeColor=_hex(HIGHLIGHT),
                strokeWidth=0.8,
            )
        )
    marker = locator_marker(loc)
    if marker is not None:
        cx, cy, r = marker
        d.add(
            Circle(
                ox + (cx - minx) * scale,
                oy + (cy - miny) * scale,
                r * scale,
                fillColor=None,
                strokeColor=_hex(HIGHLIGHT),
                strokeWidth=1.4,
            )
        )
    if profile.level != "fokusgebiet":
        for ring in loc.focus:
            d.add(
                Polygon(
                    pts(ring), fillColor=None, strokeColor=colors.black, strokeWidth=1.1
                )
            )
    return d


def city_bar_drawing(
    index, direction: str, width: float, height: float, label: str = ""
) -> Drawing:
    """A "Stadt = 100" bar (geometry shared with the screen's SVG) and its number
    right of the bar area."""
    d = Drawing(width, height)
    label_w = 6.5 * mm if label else 0
    bar = city_bar_geometry(index, direction, width=width - label_w, height=height)
    if bar is not None:
        # reportlab's y axis points up; the bar is vertically centred, no flip
        d.add(
            Rect(
                bar.x0,
                height * 0.2,
                max(bar.x1 - bar.x0, 0.8),
                height * 0.6,
                fillColor=_hex(bar.color),
                strokeColor=None,
            )
        )
        if bar.capped:
            w = bar.width
            d.add(
                Polygon(
                    [w - 3, height * 0.05, w, height * 0.5, w - 3, height * 0.95],
                    fillColor=_hex(bar.color),
                    strokeColor=None,
                )
            )
        d.add(Line(bar.x100, 0, bar.x100, height, strokeColor=INK, strokeWidth=0.8))
    if label:
        d.add(
            DString(
                width,
                height * 0.22,
                _text(label),
                fontName=fonts()["QM-Cond"],
                fontSize=7.6,
                fillColor=INK,
                textAnchor="end",
            )
        )
    return d


def sparkline_drawing(values, city, width: float, height: float) -> Drawing:
    """The sparkline of the screen (area solid blue, city dashed grey)."""
    d = Drawing(width, height)
    line = sparkline_geometry(values, city, width=width, height=height, pad=1.8)

    def flip(seg):
        out = []
        for x, y in seg:
            out += [x, height - y]
        return out

    for seg in line.city:
        if len(seg) > 1:
            d.add(
                PolyLine(
                    flip(seg),
                    strokeColor=_hex(CITY_LINE),
                    strokeWidth=0.7,
                    strokeDashArray=[1.6, 1.2],
                )
            )
    for seg in line.area:
        if len(seg) > 1:
            d.add(PolyLine(flip(seg), strokeColor=_hex(AREA_LINE), strokeWidth=1.1))
    if line.last:
        x, y = line.last
        d.add(Circle(x, height - y, 1.3, fillColor=_hex(AREA_LINE), strokeColor=None))
    return d


def _nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while v <= hi + step * 0.01:
        ticks.append(round(v, 10))
        v += step
    return ticks


def trend_drawing(
    series: Sequence[tuple[str, Sequence[float | None], str, bool]],
    years: Sequence[int],
    *,
    title: str,
    unit: str,
    lang: str,
    width: float,
    height: float,
) -> Drawing:
    """Lines over the years: (label, values, colour, dashed) per series; gaps
    where a value is suppressed or missing."""
    f = fonts()
    d = Drawing(width, height)
    d.add(
        DString(
            0,
            height - 9,
            _text(title),
            fontName=f["QM-Sans-Bold"],
            fontSize=8,
            fillColor=INK,
        )
    )
    left, right, bottom, top = 24, 4, 12, height - 16
    known = [v for _, vals, _, _ in series for v in vals if v is not None]
    if not known or not years:
        return d
    lo = min(0.0, min(known))
    hi = max(known) * 1.08 or 1.0
    ticks = _nice_ticks(lo, hi, 4)
    hi = max(hi, ticks[-1]) if ticks else hi

    def x(i):
        n = len(years)
        return left + (width - left - right) * (i / (n - 1) if n > 1 else 0.5)

    def y(v):
        return bottom + (top - bottom) * (v - lo) / ((hi - lo) or 1)

    for tick in ticks:
        d.add(
            Line(
                left, y(tick), width - right, y(tick), strokeColor=RULE, strokeWidth=0.4
            )
        )
        d.add(
            DString(
                left - 2,
                y(tick) - 2.5,
                _text(fmt_number(tick, lang, 0) + unit_suffix(unit, lang)),
                fontName=f["QM-Cond"],
                fontSize=6.3,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    for i, yr in enumerate(years):
        if i in (0, len(years) - 1) or (len(years) > 6 and i % 3 == 0):
            d.add(
                DString(
                    x(i),
                    3,
                    str(yr),
                    fontName=f["QM-Cond"],
                    fontSize=6.3,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
    for _label, vals, color, dashed in series:
        seg: list[float] = []

        def flush(seg=seg, color=color, dashed=dashed):
            if len(seg) >= 4:
                d.add(
                    PolyLine(
                        list(seg),
                        strokeColor=_hex(color),
                        strokeWidth=0.9 if dashed else 1.5,
                        strokeDashArray=[2.2, 1.6] if dashed else None,
                    )
                )
            seg.clear()

        for i, v in enumerate(vals):
            if v is None:
                flush()
            else:
                seg += [x(i), y(v)]
        flush()
    return d


# -- page furniture -----------------------------------------------------------------
class _NumberedCanvas(rl_canvas.Canvas):
    """Draws "Seite x von y" once the total number of pages is known."""

    label = "Seite {page} von {pages}"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._states: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's API
        self._states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        pages = len(self._states)
        for state in self._states:
            self.__dict__.update(state)
            self.setFont(fonts()["QM-Sans"], 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(
                A4[0] - MARGIN_X,
                9 * mm,
                self.label.format(page=self._pageNumber, pages=pages),
            )
            super().showPage()
        super().save()


def _title(profile: Profile) -> str:
    """The data folder's title (meta.json), else the app's name."""
    return profile.title or t("app.title", profile.lang)


def _furniture(profile: Profile, created: str):
    lang = profile.lang
    f = fonts()
    footer = " · ".join(
        p
        for p in (
            _title(profile),
            t("common.demodaten", lang) if profile.is_demo else "",
            t("export.data_date", lang, date=fmt_date(profile.data_date, lang))
            if profile.data_date
            else "",
            t("export.version", lang, version=profile.data_version)
            if profile.data_version
            else "",
            t("export.pdf_created", lang, date=created),
        )
        if p
    )

    def draw(canvas, doc):
        canvas.saveState()
        width, height = A4
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, 13 * mm, width - MARGIN_X, 13 * mm)
        canvas.setFont(f["QM-Sans"], 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN_X, 9 * mm, _text(footer))
        if doc.page > 1:
            canvas.setFont(f["QM-Sans-Bold"], 8)
            canvas.drawString(
                MARGIN_X,
                height - 10 * mm,
                _text(t("export.pdf_running", lang, name=profile.name)),
            )
        if profile.is_demo:
            label = t("common.demodaten", lang).upper()
            canvas.setFont(f["QM-Sans-Bold"], 8.5)
            w = canvas.stringWidth(label, f["QM-Sans-Bold"], 8.5) + 6 * mm
            x, y = width - MARGIN_X - w, height - 11.5 * mm
            canvas.setFillColor(colors.white)
            canvas.setStrokeColor(DEMO)
            canvas.setLineWidth(1.1)
            canvas.roundRect(x, y, w, 6 * mm, 1.2 * mm, stroke=1, fill=1)
            canvas.setFillColor(DEMO)
            canvas.drawCentredString(x + w / 2, y + 1.9 * mm, label)
        canvas.restoreState()

    return draw


# -- the document --------------------------------------------------------------------
def _fmt(value, unit: str, lang: str, status: str = "ok") -> str:
    """A table value, compact: "je 100 EW" moves into the row label, millions
    are written as "83,5 Mio." so the columns stay narrow."""
    if status == "suppressed":
        return SUPPRESSED
    if value is None or value != value:
        return MISSING
    if unit == "per_100":
        return _text(fmt_number(value, lang, 1))
    if unit == "count" and abs(value) >= 1e6:
        return _text(t("export.pdf_millions", lang, n=fmt_number(value / 1e6, lang, 1)))
    return _text(fmt_value(value, unit, lang, status))


def _key_widths(profile: Profile, has_rank: bool, width: float):
    """Column widths: value, 95 % interval, rank, city; the benchmarks as wide as
    their (short) names, at least 13 mm; the indicator column takes what is left."""
    font = fonts()["QM-Sans-Bold"]
    bench = [
        max(13 * mm, pdfmetrics.stringWidth(b.short(profile.lang), font, 8) + 4)
        for b in profile.benchmarks
    ]
    fixed = [15 * mm, 17 * mm, *([10 * mm] if has_rank else []), 14 * mm, *bench]
    fixed += [25 * mm, 19 * mm]
    first = max(width - sum(fixed), 40 * mm)
    widths = [first, *fixed]
    return [w * width / sum(widths) for w in widths]


def _key_table(profile: Profile, st: dict, width: float) -> Table:
    lang = profile.lang
    rows = profile.rows
    has_rank = rows["rank"].notna().any()
    lines = sparkline_values(profile)
    head = [
        t("profil.col_indicator", lang),
        t("profil.col_value", lang),
        t("profil.col_interval", lang),
        *([t("profil.col_rank", lang)] if has_rank else []),
        t("profil.col_city", lang),
        *(b.short(lang) for b in profile.benchmarks),
        t("profil.col_city_index", lang),
        f"{profile.years[0]}–{profile.years[-1]}" if profile.years else "",
    ]
    widths = _key_widths(profile, has_rank, width)
    bar_w, spark_w = widths[-2] - 4, widths[-1] - 4
    data = [
        [
            _cell(h, st["head"] if i == 0 else st["head_right"])
            for i, h in enumerate(head)
        ]
    ]
    style = [
        ("FONT", (0, 0), (-1, -1), fonts()["QM-Cond"], 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-3, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    current = None
    # benchmark columns under names itertuples keeps (``bench:<id>`` is none)
    rows = rows.rename(
        columns={
            bench_column(b.id): f"bench{k}" for k, b in enumerate(profile.benchmarks)
        }
    )
    for row in rows.itertuples(index=False):
        if row.domain_id != current:
            current = row.domain_id
            data.append([_cell(row.domain, st["cell_bold"])] + [""] * (len(head) - 1))
            r = len(data) - 1
            style += [
                ("SPAN", (0, r), (-1, r)),
                ("BACKGROUND", (0, r), (-1, r), BAND),
                ("TOPPADDING", (0, r), (-1, r), 2.4),
            ]
        name = row.indicator
        if row.unit == "per_100":
            name = f"{name} ({unit_suffix(row.unit, lang).strip()})"
        if (
            row.data_year is not None
            and row.data_year == row.data_year
            and int(row.data_year) != profile.year
        ):
            name = f"{name} ({int(row.data_year)})"
        value = _fmt(row.value, row.unit, lang, row.status)
        rank = MISSING if pd.isna(row.rank) else f"{int(row.rank)}/{int(row.n_ranked)}"
        index = row.city_index
        label = (
            SUPPRESSED
            if row.status == "suppressed" and row.unit != "count"
            else (fmt_number(index, lang, 0) if index == index else MISSING)
        )
        bar = city_bar_drawing(index, row.direction, bar_w, 9, label)
        vals, city = lines.get(row.indicator_id, ([], []))
        spark = sparkline_drawing(vals, city, spark_w, 9)
        interval = (
            uncertainty.rate_columns([row.numerator], [row.denominator], row.unit)
            if row.status == "ok"
            else None
        )
        cells = [
            _cell(name, st["cell"]),
            value,
            _text(
                uncertainty.range_text(
                    interval.ci_lower[0], interval.ci_upper[0], row.unit, lang
                )
                if interval is not None
                else ""
            )
            or MISSING,
            *([rank] if has_rank else []),
            _fmt(row.city, row.unit, lang, row.city_status),
            *(
                _fmt(getattr(row, f"bench{k}"), row.unit, lang)
                for k in range(len(profile.benchmarks))
            ),
            bar,
            spark,
        ]
        data.append(cells)
        r = len(data) - 1
        style.append(("LINEBELOW", (0, r), (-1, r), 0.3, RULE))
        if row.status == "suppressed":
            style.append(("TEXTCOLOR", (1, r), (1, r), MUTED))
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _facts(profile: Profile, st: dict) -> list:
    lang = profile.lang
    out = []
    out.append(_p(t("export.pdf_glance", lang), st["h2"]))
    out.append(_cell(summary_text(profile), st["fact"]))  # in the header table
    out.append(Spacer(1, 2.5 * mm))
    cells = []
    rows = profile.rows.set_index("indicator_id")
    for ind_id in [i for i in profile.headline if i in rows.index][:3]:
        r = rows.loc[ind_id]
        big = _fmt(r.value, r.unit, lang, r.status)
        city = _fmt(r.city, r.unit, lang, r.city_status)
        index = (
            fmt_number(r.city_index, lang, 0)
            if r.city_index == r.city_index
            else MISSING
        )
        cells.append(
            [
                _cell(r.indicator, st["small"]),
                Paragraph(_text(escape(big)), st["big"]),
                _cell(
                    t("export.pdf_vs_city", lang, city=city, index=index), st["small"]
                ),
            ]
        )
    if cells:
        grid = Table([cells], colWidths=[38 * mm] * len(cells))
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        out.append(grid)
    social = social_lines(profile)
    if social:
        span = profile.social_span
        out.append(Spacer(1, 2.5 * mm))
        out.append(
            _p(
                t("profil.social_title", lang, year=span[1], year_from=span[0])
                if span
                else t("profil.social_title_short", lang),
                st["cell_bold"],
            )
        )
        for line in social[:6]:
            out.append(_cell(line, st["fact"]))
        out.append(_p(t("profil.social_caveat", lang), st["small"]))
    return out


def _trend_row(profile: Profile, st: dict, width: float) -> list:
    lang = profile.lang
    rows = profile.rows.set_index("indicator_id")
    core = [i for i in profile.headline if i in rows.index] or list(rows.index[:1])
    lines = sparkline_values(profile)
    bench = profile.bench
    cells = []
    w = width / 3 - 3 * mm
    for ind_id in core[:3]:
        vals, city = lines.get(ind_id, ([], []))
        series = [
            (profile.name, vals, AREA_LINE, False),
            (t("profil.col_city", lang), city, "#5f6b7a", False),
        ]
        region = profile.region
        if bench is not None and len(bench) and region is not None:
            kreis = bench[
                (bench.benchmark_id == region.id) & (bench.indicator_id == ind_id)
            ]
            by_year = dict(zip(kreis.year, kreis.value, strict=True))
            series.append(
                (
                    region.short(lang),
                    [by_year.get(y) for y in profile.years],
                    "#7f8fa3",
                    True,
                )
            )
        cells.append(
            trend_drawing(
                series,
                profile.years,
                title=rows.loc[ind_id, "indicator"],
                unit=rows.loc[ind_id, "unit"],
                lang=lang,
                width=w,
                height=44 * mm,
            )
        )
    table = Table([cells], colWidths=[width / 3] * len(cells))
    table.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    legend = t(
        "export.pdf_trend_legend" if profile.region else "export.pdf_trend_legend_city",
        lang,
        name=profile.name,
        region=profile.region.short(lang) if profile.region else "",
    )
    return [table, _p(legend, st["small"])]


def _measures(profile: Profile, st: dict) -> list:
    """The measures located in the area, counted by status in one line (the list is
    on the profile page): the Steckbrief keeps its two pages."""
    lang = profile.lang
    located = profile.measures
    head = f"<b>{escape(t('profil.measures_title', lang, n=len(located)))}</b>"
    if located.empty:
        body = t("profil.measures_none", lang)
    else:
        counts = located.status.value_counts()
        body = t(
            "profil.measures_pdf",
            lang,
            counts=", ".join(
                f"{n} {t(f'progress.status.{s}', lang)}" for s, n in counts.items()
            ),
        )
    return [
        Spacer(1, 1.5 * mm),
        Paragraph(_text(f"{head}: {escape(body)}"), st["small"]),
    ]


def _definitions(profile: Profile, catalog, st: dict):
    """The indicator definitions in two balanced columns: name (unit), numerator /
    denominator, source. Data texts are escaped; only our own tags remain."""
    lang = profile.lang
    items = []
    for ind_id in profile.rows.indicator_id:
        ind = catalog[ind_id]
        definition = ind.text("numerator", lang)
        if ind.unit != "count":
            definition += f" / {ind.text('denominator', lang)}"
        markup = (
            f"<b>{escape(ind.text('name', lang))}</b> "
            f"({escape(t(f'units.{ind.unit}', lang))}): {escape(definition)}. "
            f"<i>{escape(t('export.col_source', lang))}:</i> "
            f"{escape(ind.text('source', lang))}"
        )
        items.append(Paragraph(_text(markup), st["def"]))
    return BalancedColumns(
        items,
        nCols=2,
        innerPadding=5 * mm,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
    )


def _legend_line(profile: Profile, st: dict) -> Paragraph:
    lang = profile.lang
    swatch = "<font color='{c}'>■</font>"
    text = t(
        "export.pdf_bar_legend",
        lang,
        worse=swatch.format(c=WORSE),
        better=swatch.format(c=BETTER),
        neutral=swatch.format(c=NEUTRAL_BAR),
        suppressed=SUPPRESSED,
    )
    text += " " + t("profil.pdf_interval_legend", lang)
    # the legend text comes from our translation files (no data), markup allowed
    return Paragraph(_text(text), st["small"])


def steckbrief_pdf(
    profile: Profile, catalog, *, created: dt.date | None = None
) -> bytes:
    """The Steckbrief of ``profile`` as PDF bytes (A4 portrait, 1–2 pages)."""
    lang = profile.lang
    st = _styles()
    created_text = fmt_date((created or dt.date.today()).isoformat(), lang)
    width = A4[0] - 2 * MARGIN_X
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=_text(t("export.pdf_title", lang, name=profile.name)),
        author=_text(_title(profile)),
        subject=t("common.demodaten", lang) if profile.is_demo else "",
        lang="de-DE" if lang == "de" else "en-GB",
    )
    story: list = []
    kicker = t("export.pdf_kicker", lang, level=profile.level_label).upper()
    story.append(_p(kicker, st["kicker"]))
    story.append(_p(profile.name, st["title"]))
    facts = []
    if profile.parent_name and profile.level == "quartier":
        facts.append(t("profil.in_district", lang, name=profile.parent_name))
    if profile.area_ha == profile.area_ha:
        facts.append(f"{fmt_number(profile.area_ha, lang, 0)}\u00a0ha")
    if profile.population == profile.population:
        facts.append(
            t(
                "profil.population",
                lang,
                n=fmt_number(profile.population, lang, 0),
                year=profile.population_year,
            )
        )
    story.append(_p(" · ".join(facts), st["sub"]))
    story.append(Spacer(1, 3 * mm))

    map_w = 64 * mm
    header = Table(
        [[locator_drawing(profile, map_w, map_w * 0.82), _facts(profile, st)]],
        colWidths=[map_w + 5 * mm, width - map_w - 5 * mm],
    )
    header.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(header)
    story.append(_p(t("export.pdf_map_caption", lang, name=profile.name), st["small"]))
    story.append(_p(t("profil.key_figures", lang, year=profile.year), st["h2"]))
    story.append(_legend_line(profile, st))
    story.append(Spacer(1, 1.5 * mm))
    story.append(_key_table(profile, st, width))

    story.append(
        KeepTogether(
            [
                _p(t("export.pdf_trends", lang), st["h2"]),
                *_trend_row(profile, st, width),
            ]
        )
    )
    if profile.notes:
        story.append(_p(t("export.pdf_notes", lang), st["h2"]))
        for year, inds, text in profile.notes:
            story.append(_p(f"{year} – {inds}: {text}", st["small"]))
    if profile.measures is not None:
        story.extend(_measures(profile, st))
    story.append(_p(t("export.pdf_definitions", lang), st["h2"]))
    story.append(_definitions(profile, catalog, st))
    story.append(Spacer(1, 2 * mm))
    sources = "; ".join(profile.sources)
    closing = [t("export.pdf_sources", lang, sources=sources)]
    if profile.is_demo:
        closing.append(t("export.demo_text", lang))
    if profile.attribution:
        closing.append(profile.attribution)
    closing.append(t("export.suppressed_sign", lang, sign=SUPPRESSED))
    for line in closing:
        story.append(_p(line, st["small"]))

    canvasmaker = type(
        "QMCanvas",
        (_NumberedCanvas,),
        {"label": t("export.pdf_page", lang, page="{page}", pages="{pages}")},
    )
    page = _furniture(profile, created_text)
    doc.build(story, onFirstPage=page, onLaterPages=page, canvasmaker=canvasmaker)
    return buffer.getvalue()
