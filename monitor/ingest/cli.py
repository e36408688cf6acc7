"""``python -m monitor.ingest``: import official files into a versioned data root.

Every import goes into a staging version (a copy of the served version plus the
imported file, validated and run through the disclosure step) and is shown as a
summary of its changes; only ``publish`` makes it the served version, and
``rollback`` serves an earlier one again. Exit codes: 0 done, 1 the data have
problems (listed, nothing taken over), 2 bad input or call (a German message,
never a traceback).
"""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from monitor import versions
from monitor.catalog import CatalogError, load_catalog
from monitor.ingest import staging as stage
from monitor.ingest import steps
from monitor.ingest.assemble import IndicatorSpec
from monitor.ingest.boundaries import AREA_LEVELS, BoundaryMapping, guess_mapping
from monitor.ingest.changes import summary_lines
from monitor.ingest.matching import read_mapping_table
from monitor.ingest.problems import ERROR, IngestError, Problem
from monitor.ingest.progress import TextProgress
from monitor.ingest.tables import TABLE_KINDS
from monitor.ingest.template import write_template
from monitor.ingest.validation import validate_areas, validate_values
from monitor.ingest.vector_files import read_vector
from monitor.store import DataError, Store

__all__ = ["main", "parser"]

OK, PROBLEMS, BAD_INPUT = 0, 1, 2
DESCRIPTION = """Amtliche Dateien in einen versionierten Datenordner importieren.

Jeder Import landet in einer Staging-Version: einer Kopie der ausgelieferten
Version mit der importierten Datei, geprüft und durch die Geheimhaltung
(primäre und sekundäre Sperrung mit LP-Prüflauf) gelaufen. Angezeigt wird eine
Zusammenfassung der Änderungen; erst „publish“ macht sie zur ausgelieferten
Version, „rollback“ liefert eine frühere wieder aus.

Ablauf:
  python -m monitor.ingest boundaries ZIEL grenzen.geojson --katalog katalog.yaml
  python -m monitor.ingest table ZIEL tabelle.csv --art genesis \\
      --indikator mindestsicherung --staging ID
  python -m monitor.ingest publish ZIEL ID

Rückgabewerte: 0 erledigt, 1 die Daten haben Fehler (aufgelistet, nichts
übernommen), 2 falscher Aufruf oder unlesbare Datei (Meldung auf Deutsch)."""
SEVERITY_DE = {"error": "Fehler", "warning": "Warnung", "info": "Hinweis"}

_ARGPARSE_DE = (
    (r"the following arguments are required: (.*)", r"Es fehlt: \1"),
    (r"unrecognized arguments: (.*)", r"Unbekannte Angaben: \1"),
    (
        r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.*)\)",
        r"\1: „\2“ ist nicht möglich (möglich: \3)",
    ),
    (r"argument (\S+): expected one argument", r"\1 braucht einen Wert"),
    (
        r"argument (\S+): not allowed with argument (\S+)",
        r"\1 und \2 schließen sich aus",
    ),
    (r"argument (\S+): invalid int value: '([^']*)'", r"\1: „\2“ ist keine Zahl"),
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(
            usage, actions, groups, "Aufruf: " if prefix is None else prefix
        )


class _Parser(argparse.ArgumentParser):
    """argparse with German help and German messages for wrong calls (exit 2)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Angaben"
        self._optionals.title = "Optionen"
        self.add_argument(
            "-h", "--help", action="help", help="diese Hilfe zeigen und beenden"
        )

    def error(self, message: str):
        for pattern, german in _ARGPARSE_DE:
            if re.fullmatch(pattern, message):
                message = re.sub(pattern, german, message)
                break
        self.print_usage(sys.stderr)
        self.exit(BAD_INPUT, f"Fehler: {message}\n")


def _who(args) -> str:
    if args.wer:
        return args.wer
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _staging_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--staging",
        metavar="ID",
        help="in diese Staging-Version importieren (sonst: eine neue anlegen)",
    )
    sub.add_argument("--katalog", type=Path, help="Indikatorenkatalog (YAML)")
    sub.add_argument("--titel", help="Titel des Datenbestands")
    sub.add_argument("--stand", metavar="JJJJ-MM-TT", help="Datenstand")
    sub.add_argument("--wer", help="Name für das Protokoll (Standard: Benutzer)")
    sub.add_argument(
        "--alle-hinweise",
        action="store_true",
        help="auch Hinweise zeigen, nicht nur Fehler und Warnungen",
    )


def parser() -> argparse.ArgumentParser:
    top = _Parser(
        prog="python -m monitor.ingest",
        description=DESCRIPTION,
    )
    subs = top.add_subparsers(dest="command", metavar="BEFEHL", title="Befehle")
    subs.required = True

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = subs.add_parser(name, help=text, description=text)
        sub.add_argument("root", metavar="ZIEL", type=Path, help="Datenordner (Wurzel)")
        return sub

    init = command("init", "versionierten Datenordner aus einem Datenordner anlegen")
    init.add_argument(
        "--aus",
        required=True,
        type=Path,
        metavar="ORDNER",
        help="Datenordner mit allen Zählungen (Rohdaten) oder veröffentlicht",
    )
    init.add_argument("--wer", help="Name für das Protokoll")
    init.add_argument("--notiz", default="", help="Notiz zur Version")

    new = command("stage", "neue Staging-Version anlegen (Kopie der aktuellen)")
    new.add_argument("--katalog", type=Path, help="Indikatorenkatalog (YAML)")
    new.add_argument("--titel", help="Titel des Datenbestands")
    new.add_argument("--stand", metavar="JJJJ-MM-TT", help="Datenstand")

    bounds = command("boundaries", "Gebietsgrenzen importieren")
    bounds.add_argument(
        "file",
        metavar="DATEI",
        type=Path,
        help="GeoJSON, GeoPackage, Shapefile (auch als ZIP)",
    )
    _staging_options(bounds)
    bounds.add_argument("--schluessel", metavar="SPALTE", help="Schlüsselspalte")
    bounds.add_argument("--name", metavar="SPALTE", help="Namensspalte")
    level = bounds.add_mutually_exclusive_group()
    level.add_argument("--ebene", choices=AREA_LEVELS, help="Ebene der ganzen Datei")
    level.add_argument("--ebenen-spalte", metavar="SPALTE", help="Spalte mit Ebene")
    bounds.add_argument("--eltern", metavar="SPALTE", help="Schlüssel der Eltern")
    bounds.add_argument("--fokus", metavar="SPALTE", help="Perspektivquartier ja/nein")
    bounds.add_argument("--crs", metavar="EPSG:25832", help="Koordinatensystem")

    table = command("table", "Indikatorentabelle importieren")
    table.add_argument("file", metavar="DATEI", type=Path, help="die Tabelle")
    table.add_argument(
        "--art",
        required=True,
        choices=list(TABLE_KINDS),
        help="; ".join(f"{k.id}: {k.label}" for k in TABLE_KINDS.values()),
    )
    _staging_options(table)
    table.add_argument("--indikator", metavar="ID", help="Indikator des Katalogs")
    table.add_argument("--zaehler", metavar="SPALTE", help="Variable des Zählers")
    table.add_argument("--nenner", metavar="SPALTE", help="Variable des Nenners")
    table.add_argument(
        "--zuordnung",
        type=Path,
        metavar="CSV",
        help="Zuordnungstabelle quelle_name;area_id (gewinnt über Schlüssel/Name)",
    )

    check = command("validate", "Staging-Version (oder aktuelle Version) prüfen")
    check.add_argument("--staging", metavar="ID", help="diese Staging-Version")

    publish = command("publish", "Staging-Version veröffentlichen")
    publish.add_argument("version", metavar="ID", help="Staging-Version")
    publish.add_argument("--wer", help="Name für das Protokoll")
    publish.add_argument("--notiz", default="", help="Notiz zur Version")

    back = command("rollback", "frühere Version wieder ausliefern")
    back.add_argument("version", metavar="ID", help="veröffentlichte Version")
    back.add_argument("--wer", help="Name für das Protokoll")
    back.add_argument("--notiz", default="", help="Grund")

    command("versions", "Versionen und Staging-Versionen auflisten")

    drop = command("discard", "Staging-Version verwerfen")
    drop.add_argument("version", metavar="ID", help="Staging-Version")

    blank = command("template", "Vorlage für eigene Zählungen schreiben")
    blank.add_argument(
        "-o", "--ausgabe", required=True, type=Path, metavar="DATEI", help="Ziel"
    )
    blank.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    blank.add_argument(
        "--jahr", type=int, help="vorausgefüllt: eine Zeile je Gebiet und Indikator"
    )
    return top


# -- output ----------------------------------------------------------------------------


def _print_problems(problems: Sequence[Problem], show_info: bool) -> None:
    shown = [p for p in problems if show_info or p.severity != "info"]
    for problem in shown:
        print(f"{SEVERITY_DE[problem.severity]}: {problem}")
    hidden = len(problems) - len(shown)
    if hidden:
        print(f"({hidden} Hinweise; mit --alle-hinweise zeigen)")


def _report_step(result: stage.StageResult, created: bool, show_info: bool) -> int:
    _print_problems(result.problems, show_info)
    if result.match is not None:
        c = result.match.counts
        print(
            f"Zuordnung: {c.get('matched', 0)} zugeordnet, "
            f"{c.get('ambiguous', 0)} mehrdeutig, {c.get('unmatched', 0)} ohne Gebiet"
        )
    if not result.ok:
        if created:
            stage.discard(result.staging)
        print("Nichts übernommen: die Daten haben Fehler (siehe oben).")
        return BAD_INPUT if result.bad_input else PROBLEMS
    for line in summary_lines(result.changes):
        print(line)
    print(
        f"Staging-Version {result.staging.id} bereit. Veröffentlichen mit: "
        f"python -m monitor.ingest publish {result.staging.root} {result.staging.id}"
    )
    return OK


# -- commands ------------------------------------------------------------------------


def _open(args) -> tuple[stage.Staging, bool]:
    staging = stage.open_staging(
        args.root,
        args.staging,
        catalog=args.katalog,
        title=args.titel,
        data_date=args.stand,
    )
    return staging, not args.staging


def _mapping(args) -> BoundaryMapping | None:
    if not any((args.schluessel, args.name, args.ebene, args.ebenen_spalte)):
        return None
    frame, _ = read_vector(args.file, crs=args.crs)
    guess = guess_mapping(frame)
    return BoundaryMapping(
        key=args.schluessel or guess.key,
        name=args.name or guess.name,
        level=None if args.ebenen_spalte else (args.ebene or guess.level),
        level_column=args.ebenen_spalte,
        parent=args.eltern or guess.parent,
        in_focus=args.fokus,
    )


def cmd_boundaries(args) -> int:
    staging, created = _open(args)
    progress = TextProgress()
    try:
        result = steps.stage_boundaries(
            staging,
            args.file,
            mapping=_mapping(args),
            crs=args.crs,
            who=_who(args),
            progress=progress,
        )
    except BaseException:
        if created:
            stage.discard(staging)
        raise
    progress.done()
    return _report_step(result, created, args.alle_hinweise)


def cmd_table(args) -> int:
    specs = None
    if args.zaehler:
        if not args.indikator:
            raise _UsageError("--zaehler braucht --indikator.")
        specs = [IndicatorSpec(args.indikator, args.zaehler, args.nenner)]
    manual = read_mapping_table(args.zuordnung) if args.zuordnung else None
    staging, created = _open(args)
    progress = TextProgress()
    try:
        result = steps.stage_table(
            staging,
            args.file,
            kind=args.art,
            specs=specs,
            indicator=args.indikator,
            manual=manual,
            who=_who(args),
            progress=progress,
        )
    except BaseException:
        if created:
            stage.discard(staging)
        raise
    progress.done()
    return _report_step(result, created, args.alle_hinweise)


def cmd_stage(args) -> int:
    staging = stage.open_staging(
        args.root, catalog=args.katalog, title=args.titel, data_date=args.stand
    )
    print(f"Staging-Version {staging.id} angelegt: {staging.path}")
    return OK


def _folder_problems(folder: Path) -> list[Problem]:
    """The checks before publishing, on a whole folder."""
    import geopandas as gpd

    catalog = load_catalog(folder / "catalog" / "indicators.yaml")
    areas = gpd.read_parquet(folder / "areas.parquet")
    problems = validate_areas(areas, "areas.parquet")
    values = pd.read_parquet(folder / "indicator_values.parquet")
    values["source_row"] = range(1, len(values) + 1)
    problems += validate_values(
        values, catalog, pd.DataFrame(areas), "indicator_values.parquet"
    )
    return problems


def cmd_validate(args) -> int:
    if args.staging:
        staging = stage.open_staging(args.root, args.staging)
        folder, version = (
            staging.path,
            versions.Version(staging.id, staging.path, Path(args.root), True),
        )
    else:
        version = versions.current(args.root)
        folder = version.path
    problems = _folder_problems(folder)
    try:
        store = Store(folder, version=version)
        if store.disclosure.origin != "verified":
            problems.append(
                Problem("Der Geheimhaltungsbericht passt nicht zu den Werten.")
            )
    except DataError as exc:
        problems.append(Problem(str(exc)))
    _print_problems(problems, show_info=False)
    if any(p.severity == ERROR for p in problems):
        print(f"{version.id}: nicht veröffentlichbar.")
        return PROBLEMS
    print(f"{version.id}: geprüft, ohne Fehler.")
    return OK


def cmd_publish(args) -> int:
    progress = TextProgress()
    progress(1, 2, "Staging-Version prüfen")
    root = Path(args.root)
    staging = stage.open_staging(root, args.version)
    progress(2, 2, "Veröffentlichen")
    version = stage.publish_staged(root, staging.id, who=_who(args), note=args.notiz)
    progress.done()
    print(f"Veröffentlicht: {version.id} ist die ausgelieferte Version.")
    return OK


def cmd_rollback(args) -> int:
    version = versions.rollback(
        args.root, args.version, who=_who(args), note=args.notiz
    )
    print(f"Zurückgesetzt: {version.id} ist die ausgelieferte Version.")
    return OK


def cmd_versions(args) -> int:
    root = Path(args.root)
    if not versions.is_versioned(root):
        served = versions.current(root)
        print(f"{root} ist ein Datenordner ohne Versionen ({served.id}).")
        return OK
    served = versions.current(root)
    for version in versions.list_versions(root):
        mark = "*" if version.id == served.id else " "
        when = version.published_at or "?"
        note = f" – {version.note}" if version.note else ""
        print(f"{mark} {version.id}  {when}  {version.published_by}{note}")
    for staging in stage.stagings(root):
        steps = staging.log().get("steps", [])
        files = ", ".join(s.get("file", "?") for s in steps) or "leer"
        print(f"  {staging.id}  Staging: {files}")
    return OK


def cmd_discard(args) -> int:
    staging = stage.open_staging(args.root, args.version)
    stage.discard(staging)
    print(f"Staging-Version {staging.id} verworfen.")
    return OK


def cmd_template(args) -> int:
    version = versions.current(args.root)
    catalog = load_catalog(version.path / "catalog" / "indicators.yaml")
    areas = None
    if args.jahr is not None and (version.path / "areas.parquet").is_file():
        areas = pd.read_parquet(
            version.path / "areas.parquet", columns=["area_id", "name", "level"]
        )
    args.ausgabe.write_bytes(write_template(args.format, catalog, areas, args.jahr))
    print(f"Vorlage geschrieben: {args.ausgabe}")
    return OK


def cmd_init(args) -> int:
    version, counted = stage.init_root(
        args.root, args.aus, who=_who(args), note=args.notiz
    )
    print(f"Versionierter Datenordner angelegt: {version.id}")
    if not counted:
        print(
            "Hinweis: der Ordner war schon veröffentlicht und hat gesperrte Werte "
            "ohne Zählungen; weitere Importe brauchen die Rohdaten mit allen "
            "Zählungen."
        )
    return OK


class _UsageError(ValueError):
    """A wrong combination of options."""


COMMANDS = {
    "init": cmd_init,
    "stage": cmd_stage,
    "boundaries": cmd_boundaries,
    "table": cmd_table,
    "validate": cmd_validate,
    "publish": cmd_publish,
    "rollback": cmd_rollback,
    "versions": cmd_versions,
    "discard": cmd_discard,
    "template": cmd_template,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except IngestError as exc:
        _print_problems(exc.problems, show_info=True)
        return BAD_INPUT
    except (versions.VersionError, DataError, CatalogError, _UsageError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return BAD_INPUT
    except FileNotFoundError as exc:
        print(f"Fehler: die Datei {exc.filename} gibt es nicht.", file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:
        print(f"Fehler: {exc.strerror or exc} ({exc.filename})", file=sys.stderr)
        return BAD_INPUT
    except ValueError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - bad input must not end in a traceback
        print(
            f"Unerwarteter Fehler ({exc.__class__.__name__}: {exc}). Die Daten "
            "wurden nicht übernommen; bitte die Datei und diese Meldung melden.",
            file=sys.stderr,
        )
        return BAD_INPUT
