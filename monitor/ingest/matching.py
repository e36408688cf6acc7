"""Which row of a table belongs to which area: by official key, else by name.

Keys (AGS 8 digits, ARS 12 digits, Kreis 5 digits, a city's own district numbers) are
compared as text, never as numbers, so ``01001000`` keeps its leading zero; a key
that lost its zeros in a spreadsheet (``1001000``) is padded to the width of the
areas' keys and the padding reported.

Names are compared after :func:`normalise_name`: case, umlauts and ß (``ä`` → ``ae``),
``St.``/``Sankt``, hyphens and spaces, words for the kind of area (``Landkreis``,
``Kreis``, ``Regionalverband``, ``Kreisfreie Stadt``, ``, Stadt``, ``krsfr. Stadt``,
the GADM suffix ``Städte``) and parenthesised qualifiers (``Frankenthal (Pfalz)``)
do not count; then once more with umlauts as their base letter (``Koln``). When a
name fits several areas, the kind of area (city or district, from the name or a type
column) decides; otherwise the row is *ambiguous*. An editable mapping table (CSV
``quelle_name;area_id``) wins over every rule. The :class:`MatchReport` lists
matched, ambiguous and unmatched rows before anything is published.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from monitor.ingest.cell_text import clean_text
from monitor.ingest.problems import WARNING, IngestError, Problem
from monitor.ingest.safe_files import DEFAULT_LIMITS, Limits, read_text, sniff_separator

__all__ = [
    "MatchReport",
    "area_kind",
    "match_areas",
    "normalise_key",
    "normalise_name",
    "read_mapping_table",
    "source_rows",
    "write_mapping_table",
]

MATCHED, AMBIGUOUS, UNMATCHED = "matched", "ambiguous", "unmatched"
CITY, DISTRICT = "stadt", "kreis"

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_BASE = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_CITY_WORDS = (
    "kreisfreie stadt",
    "krsfr. stadt",
    "krfr. stadt",
    "stadtkreis",
    "landeshauptstadt",
    "städte",
    "stadt",
    "hansestadt",
    "universitätsstadt",
    "wissenschaftsstadt",
    "kreisstadt",
    "große kreisstadt",
)
_DISTRICT_WORDS = (
    "landkreis",
    "landkreise",
    "kreis",
    "regionalverband",
    "stadtverband",
    "städteregion",
    "region",
)
_KIND_WORDS = sorted(_CITY_WORDS + _DISTRICT_WORDS, key=len, reverse=True)


def normalise_key(value, width: int | None = None) -> tuple[str, bool]:
    """``(key as text, padded?)``: numbers lose a ``.0``, digits shorter than
    ``width`` get their leading zeros back."""
    if value is None or (isinstance(value, float) and value != value):
        return "", False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    key = re.sub(r"\s+", "", clean_text(value))
    if width and key.isdigit() and len(key) < width:
        return key.zfill(width), True
    return key, False


def _fold(text: str, table) -> str:
    text = text.translate(table)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def _strip_kind_words(name: str) -> str:
    head, *qualifiers = [p.strip() for p in name.split(",")]
    rest = [q for q in qualifiers if q not in _KIND_WORDS]
    text = " ".join([head, *rest])
    text = re.sub(r"\([^)]*\)", " ", text)
    for word in _KIND_WORDS:
        text = re.sub(rf"(^|[\s-]){re.escape(word)}($|[\s-])", " ", text)
    text = re.sub(r"(?<=\w)kreis$", "", text.strip())
    return text


def normalise_name(name, base_letters: bool = False) -> str:
    """The comparison form of an area name (see the module docstring for rules)."""
    return _normalise(clean_text(name), base_letters)


@lru_cache(maxsize=65536)
def _normalise(name: str, base_letters: bool) -> str:
    text = name.casefold()
    text = re.sub(r"\bst\.\s*", "sankt ", text)
    text = re.sub(r"\bst\b", "sankt", text)
    stripped = _strip_kind_words(text)
    text = stripped if stripped.strip() else text
    text = _fold(text, _BASE if base_letters else _UMLAUTS)
    return re.sub(r"[^a-z0-9]+", "", text)


def area_kind(name, type_value=None) -> str | None:
    """``"stadt"`` (kreisfreie Stadt) or ``"kreis"`` from a type column or the name."""
    for text in (type_value, name):
        low = clean_text(text).casefold()
        if not low:
            continue
        if re.search(
            r"kreisfreie|krsfr|krfr|stadtkreis|städte\b|landeshauptstadt", low
        ):
            return CITY
        if re.search(
            r"(^|[\s,-])(land)?kreis(e)?\b|regionalverband|städteregion|region ", low
        ):
            return DISTRICT
        if re.search(r",\s*stadt$", low):
            return CITY
    return None


@dataclass
class MatchReport:
    """The outcome per source row, and the areas no row matched."""

    rows: pd.DataFrame
    unmatched_areas: pd.DataFrame
    file: str = ""
    counts: dict = field(default_factory=dict)

    @property
    def mapping(self) -> dict:
        """``{source_row: area_id}`` of the matched rows."""
        hit = self.rows[self.rows["status"] == MATCHED]
        return dict(zip(hit["source_row"], hit["area_id"], strict=True))

    def problems(self) -> list[Problem]:
        """A warning per ambiguous or unmatched row (German, with row and name)."""
        found = []
        for row in self.rows.itertuples():
            if row.status == AMBIGUOUS:
                text = (
                    f"„{row.source_name}“ passt zu mehreren Gebieten: {row.candidates}."
                )
            elif row.status == UNMATCHED:
                text = f"„{row.source_name}“ passt zu keinem Gebiet" + (
                    f" ({row.note})." if row.note else "."
                )
            else:
                continue
            found.append(
                Problem(
                    text, self.file, int(row.source_row), "Gebiet", WARNING, row.status
                )
            )
        return found


def source_rows(
    frame: pd.DataFrame,
    name: str,
    key: str | None = None,
    alt_names: tuple[str, ...] = (),
    type_column: str | None = None,
) -> pd.DataFrame:
    """The ``source`` frame of :func:`match_areas` from any table: the index is the
    row number; ``alt_names`` columns may hold several spellings split by ``|``
    (as GADM's ``VARNAME_3`` does)."""
    out = pd.DataFrame({"source_row": frame.index, "name": frame[name].to_numpy()})
    if key:
        out["key"] = frame[key].to_numpy()
    alternatives = [[] for _ in range(len(frame))]
    for column in alt_names:
        for i, value in enumerate(frame[column].to_numpy()):
            alternatives[i].extend(p for p in clean_text(value).split("|") if p)
    out["alt_names"] = alternatives
    if type_column:
        out["type"] = frame[type_column].to_numpy()
    return out


@dataclass(frozen=True)
class _Targets:
    """The target areas as records with their comparison forms, indexed by key and
    by each name form (plain dicts: row lookups in a DataFrame cost milliseconds)."""

    records: list[dict]
    by_key: dict[str, list[int]]
    by_form: dict[str, dict[str, list[int]]]
    width: int | None


def _targets_index(targets: pd.DataFrame, key_column: str, name_column: str):
    records = []
    for key, name in zip(targets[key_column], targets[name_column], strict=True):
        records.append(
            {
                "key": normalise_key(key)[0],
                "name": clean_text(name),
                "_name": normalise_name(name),
                "_base": normalise_name(name, base_letters=True),
                "_kind": area_kind(name),
            }
        )
    by_key: dict[str, list[int]] = {}
    by_form: dict[str, dict[str, list[int]]] = {"_name": {}, "_base": {}}
    for i, record in enumerate(records):
        by_key.setdefault(record["key"], []).append(i)
        for form in by_form:
            by_form[form].setdefault(record[form], []).append(i)
    widths = pd.Series([len(r["key"]) for r in records])
    width = int(widths.mode().iloc[0]) if records else None
    return _Targets(records, by_key, by_form, width)


def _name_candidates(names: list[str], kind, targets: _Targets):
    for form, how in (("_name", "Name"), ("_base", "Name ohne Umlaute")):
        for position, name in enumerate(names):
            hits = targets.by_form[form].get(normalise_name(name, form == "_base"), [])
            if len(hits) > 1 and kind:
                same = [i for i in hits if targets.records[i]["_kind"] == kind]
                hits = same or hits
            if hits:
                return hits, how + (" (Namensvariante)" if position else "")
    return [], ""


def _match_one(source, targets: _Targets, manual, key_given):
    """``(status, positions of the target records, method, note)``."""
    name = clean_text(source["name"])
    if name in manual or normalise_name(name) in manual:
        area = manual.get(name, manual.get(normalise_name(name)))
        hits = targets.by_key.get(area, [])
        if hits:
            return MATCHED, hits[:1], "Zuordnungstabelle", ""
        note = f"Zuordnungstabelle nennt unbekanntes Gebiet „{area}“"
        return UNMATCHED, [], "", note
    if key_given:
        key, padded = normalise_key(source["key"], targets.width)
        hits = targets.by_key.get(key, [])
        if hits:
            how = "Schlüssel" + (" (führende Null ergänzt)" if padded else "")
            return MATCHED, hits[:1], how, ""
        return UNMATCHED, [], "", f"Schlüssel „{key}“ unbekannt"
    alternatives = [clean_text(a) for a in source.get("alt_names") or []]
    names = [name, *[a for a in alternatives if a]]
    hits, how = _name_candidates(names, source.get("kind"), targets)
    if len(hits) == 1:
        kind, found = source.get("kind"), targets.records[hits[0]]["_kind"]
        note = ""
        if isinstance(kind, str) and isinstance(found, str) and kind != found:
            note = "Gebietsart weicht ab (kreisfreie Stadt ↔ Kreis)"
        return MATCHED, hits, how, note
    if hits:
        return AMBIGUOUS, hits, how, ""
    return UNMATCHED, [], "", ""


def match_areas(
    source: pd.DataFrame,
    targets: pd.DataFrame,
    *,
    key_column: str = "area_id",
    name_column: str = "name",
    manual: dict | None = None,
    file: str = "",
) -> MatchReport:
    """Match source rows to target areas.

    Parameters
    ----------
    source : DataFrame
        One row per thing to match with ``source_row``, ``name`` and optionally
        ``key`` (official key; when present it is used, not the name),
        ``alt_names`` (list of other spellings) and ``kind``/``type``.
    targets : DataFrame
        The areas (or official list) with ``key_column`` and ``name_column``.
    manual : dict, optional
        The mapping table ``{source name: area key}``; it wins over every rule.
    """
    index = _targets_index(targets, key_column, name_column)
    manual = {clean_text(k): normalise_key(v)[0] for k, v in (manual or {}).items()}
    manual.update({normalise_name(k): v for k, v in list(manual.items())})
    key_given = "key" in source.columns and any(
        normalise_key(k)[0] for k in source["key"]
    )
    records = []
    for entry in source.to_dict("records"):
        if "kind" not in entry:
            entry["kind"] = area_kind(entry["name"], entry.get("type"))
        status, hits, how, note = _match_one(entry, index, manual, key_given)
        records.append(
            _record(entry, status, [index.records[i] for i in hits], how, note)
        )
    rows = pd.DataFrame(records)
    _mark_double_matches(rows)
    used = set(rows.loc[rows["status"] == MATCHED, "area_id"])
    keep = [r["key"] not in used for r in index.records]
    unmatched_areas = targets.loc[keep, [key_column, name_column]].reset_index(
        drop=True
    )
    counts = (
        rows["status"]
        .value_counts()
        .reindex([MATCHED, AMBIGUOUS, UNMATCHED], fill_value=0)
    )
    return MatchReport(rows, unmatched_areas, file, counts.to_dict())


def _record(entry, status, hits: list[dict], how, note) -> dict:
    first = hits[0] if status == MATCHED and hits else None
    candidates = ""
    if status == AMBIGUOUS:
        candidates = "; ".join(f"{r['name']} ({r['key']})" for r in hits[:8])
    return {
        "source_row": entry["source_row"],
        "source_name": clean_text(entry["name"]),
        "source_key": normalise_key(entry.get("key"))[0] if "key" in entry else "",
        "status": status,
        "area_id": first["key"] if first is not None else None,
        "area_name": first["name"] if first is not None else None,
        "method": how,
        "candidates": candidates,
        "note": note,
    }


def _mark_double_matches(rows: pd.DataFrame) -> None:
    """Two source rows matched to the same area by name: both become ambiguous."""
    by_name = rows["status"].eq(MATCHED) & rows["method"].str.startswith("Name")
    doubled = rows[by_name].duplicated("area_id", keep=False)
    groups = {
        index: list(
            rows.loc[
                by_name & (rows["area_id"] == rows.at[index, "area_id"]), "source_name"
            ]
        )
        for index in doubled[doubled].index
    }
    for index, names in groups.items():
        area = rows.at[index, "area_id"]
        others = [n for n in names if n != rows.at[index, "source_name"]]
        rows.at[index, "status"] = AMBIGUOUS
        rows.at[index, "candidates"] = (
            f"{rows.at[index, 'area_name']} ({area}) – ebenso zugeordnet: "
            + ", ".join(others)
        )
        rows.at[index, "area_id"] = None
        rows.at[index, "area_name"] = None


_MAPPING_HEADERS = {
    ("quelle_name", "area_id"),
    ("source_name", "area_id"),
    ("name", "area_id"),
}


def read_mapping_table(
    source, name: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> dict[str, str]:
    """The editable mapping table (CSV ``quelle_name;area_id``) as a dict."""
    text = read_text(source, name, limits)
    separator = sniff_separator(text.text.split("\n", 1)[0]) or ";"
    rows = list(csv.reader(io.StringIO(text.text), delimiter=separator))
    header = tuple(c.strip().lower() for c in rows[0][:2])
    if header not in _MAPPING_HEADERS:
        raise IngestError(
            Problem(
                "Die Zuordnungstabelle braucht die Spalten „quelle_name“ und "
                f"„area_id“ (gefunden: {', '.join(rows[0])}).",
                text.name,
                1,
                code="missing_columns",
            )
        )
    mapping, problems = {}, []
    for line, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        source_name = clean_text(row[0])
        area = normalise_key(row[1] if len(row) > 1 else "")[0]
        if not area:
            continue  # a row the user has not filled in yet
        if source_name in mapping and mapping[source_name] != area:
            problems.append(
                Problem(
                    f"„{source_name}“ ist zweimal verschiedenen Gebieten zugeordnet.",
                    text.name,
                    line,
                    "quelle_name",
                    code="duplicate_key",
                )
            )
        mapping[source_name] = area
    if problems:
        raise IngestError(problems)
    return mapping


def write_mapping_table(report: MatchReport) -> bytes:
    """A mapping table to edit: every ambiguous or unmatched row with an empty
    ``area_id``, the matched rows with theirs (UTF-8 with BOM for Excel)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["quelle_name", "area_id", "status", "kandidaten"])
    for row in report.rows.itertuples():
        writer.writerow(
            [row.source_name, row.area_id or "", row.status, row.candidates or row.note]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
