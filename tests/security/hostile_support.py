"""Shared pieces of the hostile-input tests (links, data, broken files).

- hypothesis strategies for link values: unicode and control characters, 10 kB
  values, repeated and missing keys, wrong types, ids of other levels, SQL and
  HTML text, mixed with valid values so that every branch of the link contract
  is reached;
- what a page opened in AppTest (tests/apptest.py) shows: texts, link notes,
  the German error page, the written-back link;
- the link context of a data folder, built from its Store as the app builds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs

from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from monitor.i18n import t
from monitor.sequences import load_sequences
from monitor.store import Store
from monitor.ui.data import context_for
from monitor.viewstate import KEYS, PAGE_KEYS, PAGES, SCHEMES, Context
from tests.conftest import DEMO_DIR

__all__ = [
    "LINK_NOTE_HEADING",
    "ERROR_TITLE",
    "context_of",
    "demo_context",
    "error_shown",
    "hostile_text",
    "link_params",
    "link_note_shown",
    "page_key_widgets",
    "page_texts",
    "written_params",
]

LINK_NOTE_HEADING = t("link_notes.heading", "de")
# a link may switch the page to English (sprache=en): its notes come in English
_NOTE_HEADINGS = (LINK_NOTE_HEADING, t("link_notes.heading", "en"))
ERROR_TITLE = t("errors.unexpected_title", "de")
REF_ID = re.compile(r"\*\*([0-9a-f]{8})\*\*")


# -- the context a link is checked against ------------------------------------------
def context_of(store: Store, edit_dir: Path | None = None) -> Context:
    """The link context as monitor/ui/data.context builds it (catalogue, years
    with data, area ids, workshop sequences), without Streamlit."""
    folders = [(store.data_dir / "ablaeufe", "data")]
    if edit_dir is not None:
        folders.append((edit_dir / "ablaeufe", "edit"))
    sequences, _ = load_sequences(folders, {p.id for p in PAGES})
    context = context_for(store, store.indicator_years(), store.areas())
    return replace(context, sequences={k: len(v.steps) for k, v in sequences.items()})


@cache
def demo_store() -> Store:
    return Store(DEMO_DIR)


@cache
def demo_context() -> Context:
    return context_of(demo_store())


@cache
def _ids_by_level() -> dict[str, tuple[str, ...]]:
    areas = demo_store().areas()
    return {
        level: tuple(sorted(group.area_id))[:40]
        for level, group in areas.groupby("level")
    }


# -- strategies ---------------------------------------------------------------------
SQL = (
    "' OR 1=1 --",
    "'; DROP TABLE areas; --",
    '" UNION SELECT * FROM indicator_values --',
    "$indicator",
    "1; SELECT pg_sleep(10)",
    "%' AND 1=0 UNION SELECT NULL --",
)
HTML = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "javascript:window.__pwned=1",
    "<svg/onload=alert(1)>",
    '"><iframe src=javascript:alert(1)>',
    "[klick](javascript:alert(1))",
    "**fett** _kursiv_ `code` # Titel",
    "{{7*7}} ${7*7} {0} %s",
)
SPECIAL = (
    "\u202eevil\u202c",  # right-to-left override
    "a\u200bb\u200d\ufeff",  # zero-width characters
    "\x00\x01\x07\x1b[31m",  # NUL, bell, escape
    "\r\nSet-Cookie: x=1",
    '=HYPERLINK("http://x")',
    "+1",
    "-1",
    "@SUM(1)",
    "２０２０",  # full-width digits
    "٢٠٢٠",  # Arabic-Indic digits
    "1e3",
    "3.5",
    "0x10",
    "true",
    "null",
    "[1, 2]",
    '{"a": 1}',
    " ",
    "",
    ",,,",
    "../../etc/passwd",
    "%00",
    "%3Cscript%3E",
)
# text for a real URL: no lone surrogates (a browser cannot send them)
_URL_CHARS = st.characters(exclude_categories=("Cs",))


def hostile_text(url: bool = True) -> st.SearchStrategy[str]:
    """Text an attacker or a broken mail client may put into a link value."""
    chars = _URL_CHARS if url else st.characters()
    return st.one_of(
        st.text(chars, max_size=30),
        st.text(st.characters(max_codepoint=0x1F), max_size=8),  # control chars
        st.sampled_from(SQL + HTML + SPECIAL),
        st.builds(
            lambda c, n: c * n, st.sampled_from("xä<%"), st.integers(201, 10_240)
        ),
        st.integers(-(10**12), 10**12).map(str),
    )


def _valid_values(ctx: Context) -> dict[str, st.SearchStrategy[str]]:
    ids = _ids_by_level()
    all_years = sorted({y for ys in ctx.indicator_years.values() for y in ys})
    any_area = st.sampled_from([a for level in ids.values() for a in level])
    return {
        "indikator": st.sampled_from(ctx.indicator_ids),
        "jahr": st.sampled_from(all_years).map(str),
        "jahr_von": st.sampled_from(all_years).map(str),
        "ebene": st.sampled_from(("stadt", "stadtteil", "quartier", "raster")),
        "gebiet": any_area,  # also the city and raster cells (other levels)
        "gebiete": st.lists(any_area, min_size=1, max_size=6).map(",".join),
        "klassen": st.sampled_from(SCHEMES),
        "k": st.integers(1, 9).map(str),
        "sprache": st.sampled_from(("de", "en", "fr")),
        "praesentation": st.sampled_from(("0", "1", "2")),
        "ablauf": st.sampled_from((*ctx.sequences, "unbekannt")),
        "schritt": st.integers(-1, 12).map(str),
    }


def _wrong_level_values(ctx: Context) -> st.SearchStrategy[str]:
    """Ids that are valid for another key: an area id as indicator and so on."""
    ids = _ids_by_level()
    pool = [*ctx.indicator_ids, *(a for level in ids.values() for a in level[:5])]
    pool += [*SCHEMES, *PAGE_KEYS, "stadtteil", "raster"]
    return st.sampled_from(pool)


def link_params(
    ctx: Context, keys: tuple[str, ...] = KEYS + PAGE_KEYS, url: bool = True
) -> st.SearchStrategy[dict[str, list[str]]]:
    """A link's parameters: key -> one or more values (a repeated key), up to 8
    keys (the others missing) and junk keys; values valid, of another key, or
    hostile."""
    valid = _valid_values(ctx)
    wrong = _wrong_level_values(ctx)
    hostile = hostile_text(url)
    per_key = {
        key: st.lists(
            st.one_of([hostile, wrong, *([valid[key]] if key in valid else [])]),
            min_size=1,
            max_size=3,
        )
        for key in keys
    }
    junk = st.one_of(
        st.sampled_from(("utm_source", "fbclid", "__proto__", "a_b")),
        st.text(_URL_CHARS, min_size=1, max_size=12),
    )

    @st.composite
    def draw_params(draw) -> dict[str, list[str]]:
        chosen = draw(st.lists(st.sampled_from(keys), max_size=8, unique=True))
        params = draw(
            st.dictionaries(junk, st.lists(hostile, min_size=1, max_size=2), max_size=2)
        )
        params.update({key: draw(per_key[key]) for key in chosen})
        return params

    return draw_params()


# -- what a page in AppTest shows -------------------------------------------------
def page_texts(at: AppTest) -> str:
    """Everything the page writes as text (markdown, notes, titles, captions,
    metrics, widget labels)."""
    parts = [m.value for m in at.markdown] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    parts += [h.value for h in at.title] + [c.value for c in at.caption]
    parts += [s.value for s in at.subheader]
    parts += [m.label for m in at.metric] + [m.value for m in at.metric]
    return "\n".join(str(p) for p in parts)


def link_note_shown(at: AppTest) -> bool:
    return any(h in str(w.value) for w in at.warning for h in _NOTE_HEADINGS)


def error_shown(at: AppTest) -> str | None:
    """The reference id of the German error page, if the page shows it."""
    if not any(ERROR_TITLE in str(s.value) for s in at.subheader):
        return None
    found = [REF_ID.search(str(e.value)) for e in at.error]
    return next((m.group(1) for m in found if m), "")


def page_key_widgets(at: AppTest) -> dict[str, str]:
    """Page-specific link key -> the value its widget (key ``w_<key>``) shows."""
    shown = {}
    for key in PAGE_KEYS:
        try:
            widget = at.get_by_key(f"w_{key}")
        except KeyError:
            continue
        value = getattr(widget, "value", None)
        if isinstance(value, str):
            shown[key] = value
    return shown


def written_params(at: AppTest) -> dict[str, list[str]]:
    """The link the page wrote back, as key -> values."""
    return {
        key: list(value) if isinstance(value, list) else [value]
        for key, value in at.query_params.items()
    }


def as_query_string(params: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """``params`` as a browser sends them and Streamlit parses them back."""
    from urllib.parse import urlencode

    return parse_qs(urlencode(params, doseq=True), keep_blank_values=True)
