"""A profile as text: the key-figure table (as downloaded and as shown), the
headline cards, the summary and Sozialindex lines, the measures in the area.

:func:`profile_export` is the table exactly as the page shows it (numbers
rounded as shown, suppressed cells "·"); :func:`domain_tables` formats that same
frame per domain for the page, so the page shows what the downloads contain. The
"Stadt = 100" bar and the sparkline of each row are SVG images drawn as in the
Steckbrief PDF (:mod:`monitor.views.minicharts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from monitor.formatting import (
    MISSING,
    fmt_change,
    fmt_month,
    fmt_number,
    fmt_value,
    unit_decimals,
    unit_suffix,
)
from monitor.i18n import t
from monitor.views import uncertainty
from monitor.views.exports import masked
from monitor.views.minicharts import (
    city_bar_geometry,
    city_bar_svg,
    judgement,
    sparkline_geometry,
    sparkline_svg,
    svg_data_url,
)
from monitor.views.profile import Profile, bench_column

__all__ = [
    "DomainTable",
    "ROW_HEIGHT",
    "profile_export",
    "series_export",
    "domain_tables",
    "table_column_config",
    "headline_cards",
    "summary_counts",
    "summary_text",
    "sparkline_values",
    "social_lines",
    "measures_display",
]


def _round(value, decimals: int):
    return np.nan if pd.isna(value) else round(float(value), decimals)


def _cols(lang: str) -> dict[str, str]:
    keys = (
        "area",
        "level",
        "domain",
        "indicator",
        "indicator_id",
        "unit",
        "year",
        "value",
        "numerator",
        "denominator",
        "rank",
        "n_ranked",
        "city",
        "city_index",
        "note",
        "trend",
        "bar",
        "counts",
        "interval",
        "ci_lower",
        "ci_upper",
    )
    return {k: t(f"profil.col_{k}", lang) for k in keys}


def _intervals(rows: pd.DataFrame) -> pd.DataFrame:
    """The 95 % interval of each rate from its counts (none for counts)."""
    parts = [
        uncertainty.rate_columns([r.numerator], [r.denominator], r.unit)
        for r in rows.itertuples(index=False)
    ]
    return pd.concat(parts, ignore_index=True)[["ci_lower", "ci_upper"]]


def profile_export(profile: Profile) -> pd.DataFrame:
    """The key figures exactly as the page shows them (numbers rounded as shown,
    suppressed cells "·"); one row per indicator."""
    lang, rows = profile.lang, profile.rows
    c = _cols(lang)
    dec = [unit_decimals(u) for u in rows.unit]
    frame = pd.DataFrame(
        {
            c["area"]: profile.name,
            c["level"]: profile.level_label,
            c["domain"]: rows.domain,
            c["indicator"]: rows.indicator,
            c["indicator_id"]: rows.indicator_id,
            c["unit"]: [t(f"units.{u}", lang) for u in rows.unit],
            c["year"]: rows.data_year.astype("Int64"),
            c["value"]: [_round(v, d) for v, d in zip(rows.value, dec, strict=True)],
            c["numerator"]: [_round(v, 0) for v in rows.numerator],
            c["denominator"]: [
                _round(v, 0) if u != "count" else np.nan
                for v, u in zip(rows.denominator, rows.unit, strict=True)
            ],
            c["rank"]: rows["rank"].astype("Int64"),
            c["n_ranked"]: rows["n_ranked"].astype("Int64"),
            c["city"]: [_round(v, d) for v, d in zip(rows.city, dec, strict=True)],
            c["city_index"]: [_round(v, 0) for v in rows.city_index],
            **{
                b.name(lang): [
                    _round(v, d)
                    for v, d in zip(rows[bench_column(b.id)], dec, strict=True)
                ]
                for b in profile.benchmarks
            },
            c["note"]: rows.note,
        }
    )
    bounds = _intervals(rows)
    frame.insert(8, c["ci_lower"], [_round(v, d) for v, d in zip(bounds.ci_lower, dec,
                                    strict=True)])  # fmt: skip
    frame.insert(9, c["ci_upper"], [_round(v, d) for v, d in zip(bounds.ci_upper, dec,
                                    strict=True)])  # fmt: skip
    supp = (rows.status == "suppressed").to_numpy()
    city_supp = (rows.city_status == "suppressed").to_numpy()
    return masked(
        frame,
        {
            c["value"]: supp,
            c["numerator"]: supp,
            c["denominator"]: supp & (rows.unit != "count").to_numpy(),
            c["city_index"]: supp | city_supp,
            c["city"]: city_supp,
        },
    )


def series_export(profile: Profile) -> pd.DataFrame:
    """The years behind the sparklines: area and city per indicator and year."""
    lang = profile.lang
    c = _cols(lang)
    ser = profile.series.merge(
        profile.rows[["indicator_id", "indicator", "unit"]], on="indicator_id"
    )
    dec = [unit_decimals(u) for u in ser.unit]
    frame = pd.DataFrame(
        {
            c["area"]: profile.name,
            c["indicator"]: ser.indicator,
            c["indicator_id"]: ser.indicator_id,
            c["year"]: ser.year.astype("Int64"),
            c["value"]: [_round(v, d) for v, d in zip(ser.value, dec, strict=True)],
            c["city"]: [_round(v, d) for v, d in zip(ser.city, dec, strict=True)],
        }
    )
    return masked(frame, {c["value"]: (ser.status == "suppressed").to_numpy()})


def _fmt_cell(value, unit: str, lang: str, decimals: int | None = None) -> str:
    if isinstance(value, str):
        return value  # "·"
    if value is None or value is pd.NA or value != value:
        return MISSING
    if unit == "per_100":  # the unit stands in the row label
        return fmt_number(value, lang, 1 if decimals is None else decimals)
    return fmt_value(value, unit, lang, decimals=decimals)


def _fmt_count(value, lang: str) -> str:
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value != value:
        return MISSING
    return fmt_number(value, lang, 0)


@dataclass(frozen=True)
class DomainTable:
    """One domain's part of the page table: formatted strings (``frame``) and the
    notes of its rows (shown under the table, "Indikator: Hinweis")."""

    name: str
    domain_id: str
    frame: pd.DataFrame
    notes: tuple[str, ...]


# px of the cell images: the table scales an image to the row height, so they
# have the cells' aspect ratio (column width - padding, row height - padding)
ROW_HEIGHT = 34
BAR_W, BAR_H = 116, 26
SPARK_W, SPARK_H = 108, 26


def _counts(numerator, denominator, lang: str) -> str:
    if isinstance(numerator, str):
        return numerator  # "·"
    num = _fmt_count(numerator, lang)
    if isinstance(denominator, str) or denominator != denominator:
        return num
    return f"{num} / {_fmt_count(denominator, lang)}"


def domain_tables(
    profile: Profile, export: pd.DataFrame | None = None
) -> list[DomainTable]:
    """The page's tables, one per domain, built from :func:`profile_export` so
    the page shows exactly what the downloads contain. The "Stadt = 100" bar (with
    its number) and the sparkline are SVG images drawn like in the PDF."""
    lang = profile.lang
    c = _cols(lang)
    export = profile_export(profile) if export is None else export
    lines = sparkline_values(profile)
    records = export.to_dict("records")
    meta = profile.rows[["domain_id", "domain", "unit", "direction", "indicator_id"]]
    has_rank = bool(profile.rows["rank"].notna().any())
    grouped: dict[str, list[dict]] = {}
    notes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    for rec, m in zip(records, meta.itertuples(index=False), strict=True):
        unit = m.unit
        year = rec[c["year"]]
        index = rec[c["city_index"]]
        bar = (
            None
            if isinstance(index, str) or index != index
            else city_bar_geometry(
                index, m.direction, width=BAR_W - 34, height=BAR_H * 0.7
            )
        )
        label = (
            index
            if isinstance(index, str)
            else (MISSING if index != index else fmt_number(index, lang, 0))
        )
        rank = rec[c["rank"]]
        name = rec[c["indicator"]]
        if not pd.isna(year) and year != profile.year:
            name = f"{name} ({year})"
        if unit == "per_100":  # "je 100 EW" moves into the label: narrow column
            name = f"{name} ({unit_suffix(unit, lang).strip()})"
        lower, upper = rec[c["ci_lower"]], rec[c["ci_upper"]]
        row = {
            c["indicator"]: name,
            c["value"]: _fmt_cell(rec[c["value"]], unit, lang),
            c["interval"]: uncertainty.range_text(lower, upper, unit, lang) or MISSING,
            c["counts"]: _counts(rec[c["numerator"]], rec[c["denominator"]], lang),
        }
        value, town = rec[c["value"]], rec[c["city"]]
        if not isinstance(value, str) and not isinstance(town, str):
            note = uncertainty.wider_note(lower, upper, value - town, unit, lang)
            if note:
                notes.setdefault(m.domain_id, []).append(
                    f"{rec[c['indicator']]}: {note}"
                )
        if has_rank:
            row[c["rank"]] = (
                MISSING if pd.isna(rank) else f"{rank} / {rec[c['n_ranked']]}"
            )
        row.update(
            {
                c["city"]: _fmt_cell(rec[c["city"]], unit, lang),
                c["bar"]: svg_data_url(city_bar_svg(bar, BAR_W, BAR_H, label)),
                c["trend"]: svg_data_url(
                    sparkline_svg(_sparkline(lines, m.indicator_id, SPARK_W, SPARK_H))
                ),
                **{
                    b.name(lang): _fmt_cell(rec[b.name(lang)], unit, lang)
                    for b in profile.benchmarks
                },
            }
        )
        grouped.setdefault(m.domain_id, []).append(row)
        if rec[c["note"]]:
            notes.setdefault(m.domain_id, []).append(
                f"{rec[c['indicator']]}: {rec[c['note']]}"
            )
        names[m.domain_id] = m.domain
    return [
        DomainTable(names[d], d, pd.DataFrame(rows), tuple(notes.get(d, ())))
        for d, rows in grouped.items()
    ]


def table_column_config(profile: Profile) -> dict[str, tuple[str, str, int, str]]:
    """Column kinds of the page's tables: header -> (kind, label, width px, help);
    kind is ``image`` (SVG bar/sparkline), ``number`` (right-aligned) or ``text``.
    The widths fit the content column of a 1600 px wide window."""
    lang = profile.lang
    c = _cols(lang)
    years = f"{profile.years[0]}–{profile.years[-1]}" if profile.years else ""
    config = {
        c["indicator"]: ("text", c["indicator"], 262, ""),
        c["value"]: ("number", c["value"], 78, ""),
        c["interval"]: ("number", c["interval"], 96, t("profil.help_interval", lang)),
        c["counts"]: ("number", c["counts"], 110, t("profil.help_counts", lang)),
        c["rank"]: ("number", c["rank"], 66, t("profil.rank_note", lang)),
        c["city"]: ("number", c["city"], 76, ""),
        c["bar"]: ("image", c["city_index"], BAR_W + 8, t("profil.help_bar", lang)),
        c["trend"]: (
            "image",
            f"{c['trend']} {years}",
            SPARK_W + 8,
            t("profil.help_trend", lang),
        ),
    }
    for b in profile.benchmarks:  # short names in narrow columns, the full as help
        short, name = b.short(lang), b.name(lang)
        width = max(76, 7 * len(short) + 9)
        config[name] = ("number", short, width, name if short != name else "")
    if not profile.rows["rank"].notna().any():
        config.pop(c["rank"])
    return config


def headline_cards(
    profile: Profile, indicator_ids: Sequence[str] | None = None
) -> list[dict]:
    """Metric cards of the headline indicators (default: the place's), value and
    distance to the city."""
    lang = profile.lang
    indicator_ids = profile.headline if indicator_ids is None else indicator_ids
    rows = profile.rows.set_index("indicator_id")
    cards = []
    for ind_id in [i for i in indicator_ids if i in rows.index]:
        r = rows.loc[ind_id]
        diff = (
            r.value - r.city
            if r.status in ("ok", "estimated") and r.city_status == "ok"
            else float("nan")
        )
        cards.append(
            {
                "label": r.indicator,
                "value": fmt_value(r.value, r.unit, lang, r.status),
                "delta": None
                if diff != diff
                else t(
                    "profil.vs_city",
                    lang,
                    diff=fmt_change(diff, r.unit, lang, minus="-"),
                ),
                "delta_color": {
                    "higher_is_worse": "inverse",
                    "higher_is_better": "normal",
                }.get(r.direction, "off"),
                "help": t(
                    "profil.card_help",
                    lang,
                    city_name=profile.city_name,
                    city=fmt_value(r.city, r.unit, lang, r.city_status),
                    year=int(r.data_year) if r.data_year == r.data_year else "",
                ),
            }
        )
    return cards


def summary_counts(profile: Profile) -> dict[str, int]:
    """How many rate indicators are worse / better / about equal to the city."""
    counts = {"worse": 0, "better": 0, "same": 0, "context": 0}
    for unit, index, direction in zip(
        profile.rows.unit, profile.rows.city_index, profile.rows.direction, strict=True
    ):
        if unit == "count" or index != index:
            continue
        counts[judgement(index, direction)] += 1
    return counts


def summary_text(profile: Profile) -> str:
    counts = summary_counts(profile)
    return t(
        "export.pdf_summary",
        profile.lang,
        worse=counts["worse"],
        better=counts["better"],
        same=counts["same"],
        n=counts["worse"] + counts["better"] + counts["same"],
    )


def sparkline_values(profile: Profile) -> dict[str, tuple[list, list]]:
    """Per indicator: (area values, city values) over ``profile.years``; None for
    a year without a published value (a gap in the line)."""
    index = {y: i for i, y in enumerate(profile.years)}
    out: dict[str, tuple[list, list]] = {}
    ser = profile.series
    for ind_id, yr, value, city in zip(
        ser.indicator_id, ser.year, ser.value, ser.city, strict=True
    ):
        area_vals, city_vals = out.setdefault(
            ind_id, ([None] * len(index), [None] * len(index))
        )
        i = index[int(yr)]
        area_vals[i] = float(value) if value == value else None
        city_vals[i] = float(city) if city == city else None
    return out


def _sparkline(lines: dict, indicator_id: str, width=120, height=30):
    area_vals, city_vals = lines.get(indicator_id, ([], []))
    return sparkline_geometry(area_vals, city_vals, width=width, height=height)


def social_lines(profile: Profile) -> list[str]:
    """One plain-text line per area with a Sozialindex class (group and classes)."""
    if profile.social is None or profile.social.empty:
        return []
    lang = profile.lang
    lines = []
    for row in profile.social.itertuples(index=False):
        if isinstance(row.status_class, str) and row.status_class:
            text = t(
                "profil.social_line",
                lang,
                status=t(f"sozialindex.status_{row.status_class}", lang),
                dynamics=t(f"sozialindex.dynamics_{row.dynamics_class}", lang),
            )
        else:
            text = t(f"sozialindex.reason_{row.reason or 'value_missing'}", lang)
        lines.append(f"{row.name}: {text}" if len(profile.social) > 1 else text)
    return lines


def measures_display(measures: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The profile's measures as a table for the page and the Steckbrief."""

    def period(start, end) -> str:
        parts = [fmt_month(d, lang) if pd.notna(d) else "…" for d in (start, end)]
        return "–".join(parts)

    return pd.DataFrame(
        {
            t("profil.col_measure_id", lang): measures.measure_id.astype(str),
            t("profil.col_measure", lang): measures.title.astype(str),
            t("profil.col_lead", lang): measures.lead.fillna("").astype(str),
            t("profil.col_status", lang): [
                t(f"progress.status.{s}", lang) for s in measures.status
            ],
            t("profil.col_period", lang): [
                period(a, b) for a, b in zip(measures.start, measures.end, strict=True)
            ],
            t("profil.col_where", lang): [
                t(f"profil.where_{w}", lang) for w in measures["where"]
            ],
        }
    )
