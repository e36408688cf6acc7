"""The Methodik page's confidentiality section, from the disclosure report.

The text states what was actually checked: it is built from the report the Store
holds (the data folder's ``disclosure.json``, or the one computed at start).
"""

from __future__ import annotations

from monitor.formatting import fmt_number
from monitor.i18n import t

__all__ = ["disclosure_paragraphs"]


def disclosure_paragraphs(report: dict, origin: str, lang: str) -> list[str]:
    """Markdown paragraphs: rule, method and the figures of the audit."""

    def number(value, decimals: int = 0) -> str:
        return "–" if value is None else fmt_number(value, lang, decimals)

    paragraphs = [
        t("geheimhaltung.primary", lang),
        t("geheimhaltung.secondary", lang),
        t("geheimhaltung.rule", lang),
        t(
            "geheimhaltung.checked",
            lang,
            origin=t(f"geheimhaltung.origin_{origin}", lang),
            sensitive=number(report.get("sensitive_cells")),
            years=number(len(report.get("years") or ())),
            lps=number(report.get("lps")),
            min_width=number(report.get("min_width")),
            required=number(report.get("min_required")),
            primary=number(report.get("suppressed_primary")),
            secondary=number(report.get("suppressed_secondary")),
            cells=number(report.get("cells")),
            seconds=number(report.get("seconds"), 1),
        ),
    ]
    if not report.get("passed"):
        paragraphs.append(t("geheimhaltung.not_passed", lang))
    paragraphs.append(t("geheimhaltung.scope", lang))
    return paragraphs
