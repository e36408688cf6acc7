"""Demo goals, measures and progress reports of the programme (all "Demodaten").

Five working groups set 25 goals on catalogue indicators; 86 measures (the number
the city council saw in June 2025) spread over the seven Handlungsfelder of the 3rd
Aktionsplan, among them "390 zusätzliche Kita-Plätze"; progress reports from 2025
to September 2026. Titles are plausible inventions, not the real catalogue.
Baselines of goals are the published demo values, so the progress methods work on
the same numbers the maps show. Seeded: the same code writes the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from monitor.programme import schema
from monitor.programme.vocabulary import (
    HANDLUNGSFELDER,
    MEASURE_STATUSES,
    RESPONSIBLE_BODIES,
)

__all__ = [
    "SEED",
    "REPORT_DATE",
    "WORKING_GROUPS",
    "GOAL_COLUMNS",
    "MEASURE_COLUMNS",
    "REPORT_COLUMNS",
    "build_programme",
    "write_programme",
]

SEED = 20250611  # city council session on the 86 measures (June 2025)
REPORT_DATE = date(2026, 9, 30)  # last reporting date of the demo data
PROGRAMME_END = date(2034, 12, 31)
SOURCE = "Demodaten (synthetisch)"
REPORTER = "Netzwerkmanagement (Demodaten)"

WORKING_GROUPS = {
    "bildung": "AG Bildung & Betreuung",
    "arbeit": "AG Arbeit & Qualifizierung",
    "wohnen": "AG Wohnen, Energie & Mobilität",
    "gesundheit": "AG Gesundheit & Teilhabe",
    "integration": "AG Integration & Zusammenleben",
}
GROUP_OF_FIELD = {
    "kinderarmut_bildung": "bildung",
    "arbeit": "arbeit",
    "wohnraum": "wohnen",
    "energiesicherung": "wohnen",
    "mobilitaet_infrastruktur": "wohnen",
    "gesundheit": "gesundheit",
    "integration": "integration",
}
LEADS = {
    "land": "Land Saarland (Ministerium)",
    "landkreis": "Landkreis Neunkirchen",
    "stadt": "Kreisstadt Neunkirchen",
    "traeger": "Freier Träger (Demodaten)",
}

# The data contract of the programme tables: monitor/programme/schema.py.
GOAL_COLUMNS = list(schema.names(schema.GOALS))
MEASURE_COLUMNS = list(schema.names(schema.MEASURES))
REPORT_COLUMNS = list(schema.names(schema.REPORTS))


@dataclass(frozen=True)
class GoalSpec:
    goal_id: str
    group: str
    field: str
    title: str
    indicator: str
    area: str
    base_year: int
    change: float | None  # absolute change of the value; None = direction only
    target_year: int | None
    relative: bool = False  # change is a share of the baseline


GOALS = (
    GoalSpec("Z01", "bildung", "kinderarmut_bildung",
             "Kinderarmut im Perspektivquartier senken",
             "kinderarmut", "perspektivquartier", 2023, -10, 2034),
    GoalSpec("Z02", "bildung", "kinderarmut_bildung",
             "Betreuungsquote der unter Dreijährigen erhöhen",
             "kita_u3", "perspektivquartier", 2023, 10, 2034),
    GoalSpec("Z03", "bildung", "kinderarmut_bildung",
             "Sprachförderbedarf bei der Einschulung verringern",
             "sprachfoerderbedarf", "perspektivquartier", 2023, -10, 2032),
    GoalSpec("Z04", "bildung", "kinderarmut_bildung",
             "Mehr Übergänge auf das Gymnasium",
             "gymnasium_uebergang", "innenstadt", 2023, None, None),
    GoalSpec("Z05", "bildung", "kinderarmut_bildung",
             "Jugendarmut in der Innenstadt senken",
             "jugendarmut", "innenstadt", 2023, -4, 2034),
    GoalSpec("Z06", "bildung", "kinderarmut_bildung",
             "Kinderarmut in der Gesamtstadt senken",
             "kinderarmut", "neunkirchen", 2023, None, None),
    GoalSpec("Z07", "arbeit", "arbeit",
             "SGB-II-Quote im Perspektivquartier senken",
             "sgb2_quote", "perspektivquartier", 2023, -5, 2034),
    GoalSpec("Z08", "arbeit", "arbeit",
             "Langzeitarbeitslosigkeit im Perspektivquartier um 30 % verringern",
             "langzeitarbeitslose", "perspektivquartier", 2023, -0.3, 2030, True),
    GoalSpec("Z09", "arbeit", "arbeit",
             "Beschäftigungsquote im Perspektivquartier erhöhen",
             "beschaeftigungsquote", "perspektivquartier", 2023, 5, 2034),
    GoalSpec("Z10", "arbeit", "arbeit",
             "Arbeitslosenanteil in der Innenstadt senken",
             "arbeitslosenanteil", "innenstadt", 2023, -2, 2030),
    GoalSpec("Z11", "arbeit", "arbeit",
             "SGB-II-Quote der Gesamtstadt senken",
             "sgb2_quote", "neunkirchen", 2023, None, None),
    GoalSpec("Z12", "wohnen", "wohnraum",
             "Leerstand im Perspektivquartier abbauen",
             "leerstandsquote", "perspektivquartier", 2022, -4, 2032),
    GoalSpec("Z13", "wohnen", "wohnraum",
             "Wohndauer im Perspektivquartier stabilisieren",
             "wohndauer_5j", "perspektivquartier", 2023, None, None),
    GoalSpec("Z14", "wohnen", "wohnraum",
             "Mehr Menschen bleiben in der Unterstadt wohnen",
             "wohndauer_5j", "innenstadt-unterstadt", 2023, 5, 2032),
    GoalSpec("Z15", "gesundheit", "gesundheit",
             "Übergewicht bei der Einschulung senken",
             "uebergewicht_einschulung", "perspektivquartier", 2023, -4, 2032),
    GoalSpec("Z16", "gesundheit", "gesundheit",
             "Motorische Auffälligkeiten bei der Einschulung verringern",
             "motorik_einschulung", "perspektivquartier", 2023, -6, 2032),
    GoalSpec("Z17", "integration", "integration",
             "Wahlbeteiligung im Perspektivquartier steigern",
             "wahlbeteiligung", "perspektivquartier", 2019, 10, 2034),
    GoalSpec("Z18", "bildung", "kinderarmut_bildung",
             "Weniger Hilfen zur Erziehung in der Innenstadt nötig",
             "hilfen_erziehung", "innenstadt", 2023, None, None),
    GoalSpec("Z19", "gesundheit", "gesundheit",
             "Altersarmut in der Innenstadt begrenzen",
             "altersarmut", "innenstadt", 2023, None, None),
    GoalSpec("Z20", "integration", "integration",
             "Sprachförderbedarf in der Innenstadt verringern",
             "sprachfoerderbedarf", "innenstadt", 2023, -8, 2032),
    GoalSpec("Z21", "integration", "integration",
             "Beschäftigungsquote in der Oberstadt erhöhen",
             "beschaeftigungsquote", "innenstadt-oberstadt", 2023, 5, 2034),
    GoalSpec("Z22", "bildung", "kinderarmut_bildung",
             "Kinderarmut in der Unterstadt senken",
             "kinderarmut", "innenstadt-unterstadt", 2023, -10, 2034),
    GoalSpec("Z23", "integration", "integration",
             "SGB-II-Quote im Bahnhofsviertel senken",
             "sgb2_quote", "innenstadt-bahnhofsviertel", 2023, -6, 2034),
    GoalSpec("Z24", "gesundheit", "gesundheit",
             "Übergewicht bei der Einschulung in der Gesamtstadt senken",
             "uebergewicht_einschulung", "neunkirchen", 2023, None, None),
    GoalSpec("Z25", "arbeit", "arbeit",
             "Langzeitarbeitslosigkeit in der Gesamtstadt halbieren",
             "langzeitarbeitslose", "neunkirchen", 2021, -0.5, 2030, True),
)  # fmt: skip

# (title, responsible, output (label, unit, base, target) or None, outcome
# indicators, location: "" none, "Q"/"I" the Perspektivquartier/Innenstadt as an
# area, "P" a point in the Perspektivquartier, "O"/"U"/"B" a point in one quarter)
_O = None
MEASURES: dict[str, tuple] = {
    "kinderarmut_bildung": (
        ("390 zusätzliche Kita-Plätze", "stadt",
         ("Betreuungsplätze in Kitas", "Plätze", 600, 990), ["kita_u3"], "I"),
        ("Kita-Neubau Unterstadt (fünf Gruppen)", "stadt",
         ("Gruppen in Betrieb", "Gruppen", 0, 5), ["kita_u3"], "U"),
        ("Familienzentrum im Perspektivquartier", "traeger",
         ("Familien in Beratung (kumuliert)", "Familien", 0, 400),
         ["kinderarmut"], "O"),
        ("Frühe Hilfen: Willkommensbesuche für Neugeborene", "landkreis",
         ("Willkommensbesuche (kumuliert)", "Besuche", 0, 600),
         ["kinderarmut"], "Q"),
        ("Sprachkitas im Quartier fortführen", "land",
         ("Kitas mit Sprachförderkraft", "Kitas", 2, 6),
         ["sprachfoerderbedarf"], "Q"),
        ("Schulsozialarbeit an Grundschulen ausbauen", "landkreis",
         ("Stellen Schulsozialarbeit", "VZÄ", 3, 8), ["hilfen_erziehung"], "I"),
        ("Hausaufgabenhilfe und Lernpatenschaften", "traeger",
         ("Lernpatenschaften (kumuliert)", "Patenschaften", 0, 120),
         ["gymnasium_uebergang"], "P"),
        ("Ganztagsangebot an der Grundschule Unterstadt", "stadt",
         ("Ganztagsplätze", "Plätze", 80, 200), ["kinderarmut"], "U"),
        ("Bildungs- und Teilhabepaket: Antragsberatung", "landkreis",
         ("Beratene Familien (kumuliert)", "Familien", 0, 500),
         ["kinderarmut"], "Q"),
        ("Kostenfreies Mittagessen in Kitas und Grundschulen", "land",
         ("Kinder mit kostenfreiem Mittagessen", "Kinder", 0, 650),
         ["kinderarmut"], "I"),
        ("Elterncafé und Elternbildung", "traeger", _O, ["kinderarmut"], "B"),
        ("Übergang Kita–Grundschule begleiten", "stadt", _O,
         ["sprachfoerderbedarf"], ""),
        ("Ferienprogramm für Kinder aus dem Quartier", "traeger",
         ("Teilnahmen (kumuliert)", "Teilnahmen", 0, 1200), [], "P"),
        ("Leseförderung der Stadtbibliothek im Quartier", "stadt", _O,
         ["sprachfoerderbedarf"], "O"),
        ("Jugendtreff Oberstadt modernisieren", "stadt", _O,
         ["jugendarmut"], "O"),
        ("Berufsorientierung ab Klasse 7", "land",
         ("Schülerinnen und Schüler (kumuliert)", "Personen", 0, 900),
         ["jugendarmut"], ""),
        ("Musikschule: kostenfreie Kurse für Kinder", "stadt",
         ("Kursplätze", "Plätze", 0, 150), [], "B"),
        ("Präventionskette gegen Kinderarmut aufbauen", "landkreis", _O,
         ["kinderarmut"], ""),
    ),
    "arbeit": (
        ("Beschäftigungsprojekt Quartiershelferinnen und -helfer", "landkreis",
         ("Teilnehmende (kumuliert)", "Personen", 0, 180),
         ["langzeitarbeitslose"], "P"),
        ("Geförderte Stellen nach § 16i SGB II im Quartier", "landkreis",
         ("Geförderte Stellen", "Stellen", 10, 60),
         ["langzeitarbeitslose", "sgb2_quote"], "Q"),
        ("Coaching für Langzeitarbeitslose", "landkreis",
         ("Teilnehmende (kumuliert)", "Personen", 0, 300),
         ["langzeitarbeitslose"], "I"),
        ("Teilzeitausbildung für Alleinerziehende", "land",
         ("Teilnehmende (kumuliert)", "Personen", 0, 80),
         ["beschaeftigungsquote"], ""),
        ("Sprechstunde des Jobcenters im Quartiersbüro", "landkreis", _O,
         ["sgb2_quote"], "U"),
        ("Nachqualifizierung: Berufsabschluss für Erwachsene", "land",
         ("Abschlüsse (kumuliert)", "Abschlüsse", 0, 120),
         ["beschaeftigungsquote"], ""),
        ("Berufsbezogene Sprachkurse", "land",
         ("Kursplätze (kumuliert)", "Plätze", 0, 240),
         ["beschaeftigungsquote"], "B"),
        ("Ausbildungsverbund lokaler Betriebe", "traeger",
         ("Ausbildungsplätze", "Plätze", 0, 45), ["jugendarmut"], ""),
        ("Sozialkaufhaus mit Qualifizierung", "traeger", _O,
         ["langzeitarbeitslose"], "B"),
        ("Aufsuchende Beratung der Jugendberufsagentur", "landkreis",
         ("Beratene junge Menschen (kumuliert)", "Personen", 0, 350),
         ["jugendarmut"], "Q"),
        ("Gründungsberatung im Quartier", "stadt",
         ("Beratungen (kumuliert)", "Beratungen", 0, 100),
         ["beschaeftigungsquote"], "O"),
        ("Arbeitgeberservice: Stellen für Menschen aus dem Quartier", "landkreis",
         _O, ["arbeitslosenanteil"], ""),
        ("Kinderbetreuung während Maßnahmen des Jobcenters", "landkreis",
         ("Betreuungsplätze", "Plätze", 0, 30), ["sgb2_quote"], "U"),
        ("Ehrenamtsbörse mit Qualifizierungsnachweis", "traeger", _O, [], ""),
    ),
    "wohnraum": (
        ("Modernisierung von 120 Wohnungen im Bestand", "traeger",
         ("Modernisierte Wohnungen", "Wohnungen", 0, 120),
         ["wohndauer_5j"], "U"),
        ("Leerstandsmanagement Innenstadt", "stadt",
         ("Reaktivierte Wohnungen", "Wohnungen", 0, 60),
         ["leerstandsquote"], "I"),
        ("Sozialer Wohnungsbau: 40 Wohnungen im Bahnhofsviertel", "land",
         ("Fertiggestellte Wohnungen", "Wohnungen", 0, 40),
         ["leerstandsquote"], "B"),
        ("Mieter- und Schuldnerberatung vor Ort", "traeger",
         ("Beratungen (kumuliert)", "Beratungen", 0, 800),
         ["wohndauer_5j"], "O"),
        ("Prävention von Wohnungsverlust", "landkreis",
         ("Abgewendete Räumungen (kumuliert)", "Fälle", 0, 90),
         ["wohndauer_5j"], "Q"),
        ("Hof- und Fassadenprogramm", "stadt",
         ("Geförderte Objekte", "Objekte", 0, 35), ["leerstandsquote"], "Q"),
        ("Quartiersplatz Unterstadt neu gestalten", "stadt", _O, [], "U"),
        ("Spielplätze im Quartier sanieren", "stadt",
         ("Sanierte Spielplätze", "Spielplätze", 0, 6), [], "P"),
        ("Stadtbäume und kleine Grünflächen", "stadt",
         ("Gepflanzte Bäume", "Bäume", 0, 150), [], "Q"),
        ("Quartiersmanagement-Büro", "stadt", _O, ["wohndauer_5j"], "O"),
        ("Barrierearme Wohnungen für Ältere", "traeger",
         ("Barrierearme Wohnungen", "Wohnungen", 0, 25), ["altersarmut"], "B"),
        ("Hausmeister- und Nachbarschaftsdienst", "traeger", _O,
         ["wohndauer_5j"], "U"),
    ),
    "energiesicherung": (
        ("Stromspar-Check für Haushalte mit geringem Einkommen", "traeger",
         ("Beratene Haushalte (kumuliert)", "Haushalte", 0, 600),
         ["sgb2_quote"], "Q"),
        ("Härtefallfonds gegen Strom- und Gassperren", "land",
         ("Unterstützte Haushalte (kumuliert)", "Haushalte", 0, 250),
         ["sgb2_quote"], ""),
        ("Austausch alter Kühlgeräte", "traeger",
         ("Ausgetauschte Geräte", "Geräte", 0, 200), [], "Q"),
        ("Energetische Sanierung der Grundschule Oberstadt", "stadt", _O, [],
         "O"),
        ("Machbarkeitsstudie Nahwärmenetz Innenstadt", "stadt", _O, [], "I"),
        ("Steckersolargeräte für Mieterhaushalte", "traeger",
         ("Installierte Geräte", "Geräte", 0, 150), [], "P"),
        ("Sperrenprävention mit den Stadtwerken", "stadt",
         ("Vermiedene Sperren (kumuliert)", "Fälle", 0, 300),
         ["sgb2_quote"], ""),
        ("Energiesparprojekte in Kitas und Schulen", "stadt", _O, [], ""),
        ("Heizkostenberatung für Mieterinnen und Mieter", "traeger",
         ("Beratungen (kumuliert)", "Beratungen", 0, 400), [], "B"),
    ),
    "mobilitaet_infrastruktur": (
        ("Sozialticket für Bus und Bahn", "landkreis",
         ("Ausgegebene Sozialtickets", "Tickets", 0, 900), ["sgb2_quote"], ""),
        ("Barrierefreie Bushaltestellen", "stadt",
         ("Umgebaute Haltestellen", "Haltestellen", 0, 14), [], "I"),
        ("Fahrradwerkstatt im Quartier", "traeger", _O, [], "B"),
        ("Sichere Schulwege", "stadt", _O, [], "Q"),
        ("Beleuchtung der Fußwege in der Oberstadt", "stadt",
         ("Erneuerte Leuchten", "Leuchten", 0, 80), [], "O"),
        ("Öffentliches WLAN an Treffpunkten", "stadt",
         ("Zugangspunkte", "Zugangspunkte", 0, 12), [], "P"),
        ("Stadtteilbus Innenstadt–Wellesweiler (Erprobung)", "landkreis", _O, [],
         ""),
        ("Digitale Sprechstunden in der Stadtbibliothek", "stadt",
         ("Sprechstunden (kumuliert)", "Sprechstunden", 0, 200), [], "O"),
        ("Lastenrad-Verleih", "traeger", _O, [], "U"),
    ),
    "gesundheit": (
        ("Gesundheitslotsinnen und -lotsen im Quartier", "landkreis",
         ("Beratungskontakte (kumuliert)", "Kontakte", 0, 1500),
         ["uebergewicht_einschulung"], "Q"),
        ("Kinderärztliche Sprechstunde im Familienzentrum", "landkreis", _O,
         ["motorik_einschulung"], "O"),
        ("Bewegungskitas", "land",
         ("Teilnehmende Kitas", "Kitas", 0, 8),
         ["motorik_einschulung", "uebergewicht_einschulung"], "Q"),
        ("Schwimmkurse für Grundschulkinder", "stadt",
         ("Kinder mit Schwimmabzeichen (kumuliert)", "Kinder", 0, 300),
         ["motorik_einschulung"], ""),
        ("Suchtprävention an Schulen", "landkreis", _O, [], ""),
        ("Seniorentreff mit Mittagstisch", "traeger",
         ("Regelmäßig Teilnehmende", "Personen", 0, 60), ["altersarmut"], "U"),
        ("Psychosoziale Beratung für Familien", "landkreis",
         ("Beratungen (kumuliert)", "Beratungen", 0, 500), [], "B"),
        ("Bewegungsparcours im Stadtpark", "stadt", _O,
         ["uebergewicht_einschulung"], "P"),
        ("Zahngesundheit in Kitas", "landkreis",
         ("Kita-Kinder mit Prophylaxe (kumuliert)", "Kinder", 0, 700), [], "Q"),
        ("Förderangebote nach der Einschulungsuntersuchung vermitteln",
         "landkreis", _O, ["motorik_einschulung"], ""),
        ("Stadtteilmütter: Gesundheitsinformation in vielen Sprachen", "traeger",
         ("Erreichte Familien (kumuliert)", "Familien", 0, 250),
         ["uebergewicht_einschulung"], "Q"),
        ("Beitragsfreie Mitgliedschaft im Sportverein für Kinder", "traeger",
         ("Kinder mit Mitgliedschaft", "Kinder", 0, 200),
         ["uebergewicht_einschulung"], ""),
    ),
    "integration": (
        ("Integrationslotsinnen und -lotsen", "landkreis",
         ("Begleitete Personen (kumuliert)", "Personen", 0, 400),
         ["beschaeftigungsquote"], "Q"),
        ("Sprachcafé und Alltagsdeutsch", "traeger", _O,
         ["sprachfoerderbedarf"], "B"),
        ("Migrationsberatung vor Ort", "traeger",
         ("Beratungen (kumuliert)", "Beratungen", 0, 900), ["sgb2_quote"], "B"),
        ("Interkulturelles Stadtteilfest", "stadt", _O, ["wahlbeteiligung"], "U"),
        ("Dolmetscherpool für Behörden und Schulen", "landkreis",
         ("Einsätze (kumuliert)", "Einsätze", 0, 600), [], ""),
        ("Elternbegleitung für zugewanderte Familien", "land",
         ("Begleitete Familien (kumuliert)", "Familien", 0, 150),
         ["sprachfoerderbedarf"], "Q"),
        ("Übergang aus Willkommensklassen in Regelklassen", "land", _O,
         ["sprachfoerderbedarf"], ""),
        ("Begegnungszentrum Bahnhofsviertel", "stadt", _O,
         ["wahlbeteiligung"], "B"),
        ("Anerkennungsberatung für ausländische Abschlüsse", "land",
         ("Anerkennungsverfahren (kumuliert)", "Verfahren", 0, 120),
         ["beschaeftigungsquote"], ""),
        ("Frauenkurse mit Kinderbetreuung", "traeger",
         ("Teilnehmerinnen (kumuliert)", "Personen", 0, 160),
         ["beschaeftigungsquote"], "O"),
        ("Quartiersrat: Beteiligung der Bewohnerschaft", "stadt", _O,
         ["wahlbeteiligung"], "Q"),
        ("Mehrsprachige Informationen der Verwaltung", "stadt", _O,
         ["wahlbeteiligung"], ""),
    ),
}  # fmt: skip

STOPPED = ("Stadtteilbus Innenstadt–Wellesweiler (Erprobung)", "Lastenrad-Verleih")
START_YEARS = (2025,) * 6 + (2026,) * 4 + (2027,) * 2 + (2028, 2030)
LOCATION_AREAS = {
    "Q": "perspektivquartier",
    "I": "innenstadt",
    "O": "innenstadt-oberstadt",
    "U": "innenstadt-unterstadt",
    "B": "innenstadt-bahnhofsviertel",
}
COMMENTS = {
    "in_progress": (
        "Läuft planmäßig.",
        "Personal eingestellt, Angebot gut angenommen.",
        "Kooperation mit Schulen vereinbart.",
        "Räume im Quartier gefunden.",
        "Nachfrage höher als erwartet.",
    ),
    "delayed": (
        "Verzögerung: Fachkräfte fehlen.",
        "Förderbescheid kam später als geplant.",
        "Bauverzug, Fertigstellung verschiebt sich.",
        "Träger musste Stelle neu ausschreiben.",
    ),
    "completed": ("Abgeschlossen, Abschlussbericht liegt vor.",),
    "stopped": (
        "Gestoppt: Förderung nicht bewilligt.",
        "Gestoppt: kein Träger gefunden.",
    ),
    "planned": ("In Vorbereitung.",),
}


def _quarter_ends(start: date, stop: date, months: tuple[int, ...]) -> list[date]:
    out = []
    for year in range(start.year, stop.year + 1):
        for month in months:
            day = date(year, month, 30 if month in (6, 9) else 31)
            if start < day <= stop:
                out.append(day)
    return out


def _random_point(geom, rng: np.random.Generator) -> tuple[float, float]:
    minx, miny, maxx, maxy = geom.bounds
    inner = geom.buffer(-0.0006) if geom.area > 1e-6 else geom
    inner = inner if not inner.is_empty else geom
    for _ in range(1000):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if inner.contains(shapely.Point(x, y)):
            return round(float(x), 5), round(float(y), 5)
    point = geom.representative_point()
    return round(point.x, 5), round(point.y, 5)


def _goals(values: pd.DataFrame) -> pd.DataFrame:
    ok = values[values.status == "ok"].set_index(["area_id", "indicator_id", "year"])
    rows = []
    for g in GOALS:
        base = float(ok.loc[(g.area, g.indicator, g.base_year), "value"])
        base = round(base, 1)
        if g.change is None:
            target = None
        elif g.relative:
            target = round(base * (1 + g.change), 1)
        else:
            target = round(base + g.change, 1)
        rows.append(
            {
                "goal_id": g.goal_id,
                "title": g.title,
                "working_group": g.group,
                "working_group_name": WORKING_GROUPS[g.group],
                "handlungsfeld": g.field,
                "indicator_id": g.indicator,
                "area_id": g.area,
                "direction": "",  # filled from the catalogue by the caller
                "baseline_year": g.base_year,
                "baseline_value": base,
                "target_year": g.target_year,
                "target_value": target,
                "source": SOURCE,
            }
        )
    df = pd.DataFrame(rows, columns=GOAL_COLUMNS)
    df["target_year"] = df.target_year.astype("Int32")
    df["baseline_year"] = df.baseline_year.astype("int32")
    df["target_value"] = df.target_value.astype("float64")
    return df


def _budget(rng, responsible: str, quantified: bool) -> float | None:
    low, high = {
        "land": (60_000, 1_500_000),
        "landkreis": (40_000, 900_000),
        "stadt": (25_000, 2_000_000),
        "traeger": (15_000, 350_000),
    }[responsible]
    if rng.random() < 0.1:
        return None
    value = np.exp(rng.uniform(np.log(low), np.log(high)))
    if quantified:
        value *= 1.2
    return float(round(value, -3))


def build_programme(
    values: pd.DataFrame, areas: gpd.GeoDataFrame, directions: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Goals, measures and progress reports (demo), from the published values."""
    rng = np.random.default_rng(SEED)
    goals = _goals(values)
    goals["direction"] = goals.indicator_id.map(directions)
    geoms = areas.set_index("area_id").geometry
    measures, reports = [], []
    number = 0
    for field in MEASURES:
        for title, responsible, output, outcomes, location in MEASURES[field]:
            number += 1
            measure_id = f"M{number:03d}"
            group = GROUP_OF_FIELD[field]
            if title.startswith("390"):
                start, end = date(2025, 1, 1), PROGRAMME_END
            else:
                year = int(rng.choice(START_YEARS))
                month = int(rng.choice([1, 4, 7, 10]))
                start = date(year, month, 1)
                years = int(rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8, 10]))
                end = date(start.year + years, start.month, 1)
                end = min(date.fromordinal(end.toordinal() - 1), PROGRAMME_END)
            if title in STOPPED:
                start = date(2025, 4, 1)
            quantified = output is not None
            pace = float(rng.uniform(0.45, 1.4)) if quantified else 1.0
            if title.startswith("390"):
                pace = 0.95
            if start > REPORT_DATE:
                status = "planned"
            elif end <= REPORT_DATE:
                status = "completed"
            elif quantified and pace < 0.7:
                status = "delayed"
            else:
                status = "in_progress"
            if title in STOPPED and status == "in_progress":
                status = "stopped"
            elif not quantified and status == "in_progress":
                status = "delayed" if rng.random() < 0.15 else status
            area_id, lon, lat = None, None, None
            if location in ("Q", "I"):
                area_id = LOCATION_AREAS[location]
            elif location == "P":
                focus = areas[(areas.level == "quartier") & areas.in_focus]
                geom = focus.geometry.iloc[int(rng.integers(len(focus)))]
                lon, lat = _random_point(geom, rng)
            elif location:
                lon, lat = _random_point(geoms.loc[LOCATION_AREAS[location]], rng)
            goal_ids = [
                g.goal_id for g in GOALS if g.indicator in outcomes and g.group == group
            ]
            label, unit, base, target = output if quantified else (None,) * 4
            measures.append(
                {
                    "measure_id": measure_id,
                    "title": title,
                    "handlungsfeld": field,
                    "working_group": group,
                    "responsible": responsible,
                    "lead": LEADS[responsible],
                    "start": start,
                    "end": end,
                    "status": status,
                    "budget_eur": 9_750_000.0
                    if title.startswith("390")
                    else _budget(rng, responsible, quantified),
                    "output_indicator": label,
                    "output_unit": unit,
                    "baseline_value": None if base is None else float(base),
                    "baseline_date": start if quantified else None,
                    "target_value": None if target is None else float(target),
                    "target_date": end if quantified else None,
                    "goal_ids": goal_ids,
                    "outcome_indicator_ids": list(outcomes),
                    "area_id": area_id,
                    "lon": lon,
                    "lat": lat,
                    "source": SOURCE,
                    "comment": "",
                }
            )
            reports.extend(_reports(rng, measure_id, start, end, status, output, pace))
    measures_df = pd.DataFrame(measures, columns=MEASURE_COLUMNS)
    for column in ("budget_eur", "baseline_value", "target_value", "lon", "lat"):
        measures_df[column] = measures_df[column].astype("float64")
    reports_df = pd.DataFrame(reports, columns=REPORT_COLUMNS)
    reports_df["value"] = reports_df.value.astype("float64")
    reports_df["report_id"] = [f"R{i + 1:04d}" for i in range(len(reports_df))]
    return goals, measures_df, reports_df


def _reports(rng, measure_id, start, end, status, output, pace) -> list[dict]:
    if start > REPORT_DATE:
        return []
    stop = min(REPORT_DATE, end)
    months = (3, 6, 9, 12) if output is not None else (6, 12)
    days = _quarter_ends(start, stop, months)
    if status == "completed" and end not in days and end <= REPORT_DATE:
        days.append(end)
    out = []
    last = None
    for i, day in enumerate(days):
        final = i == len(days) - 1
        day_status = status if final else "in_progress"
        if status == "delayed" and not final and i >= len(days) - 2:
            day_status = "delayed"
        value = None
        if output is not None:
            _, _, base, target = output
            share = (day.toordinal() - start.toordinal()) / (
                end.toordinal() - start.toordinal()
            )
            if status == "completed" and final:
                share, noise = 1.0, 1.0
            else:
                noise = float(rng.normal(1.0, 0.06))
            value = base + (target - base) * min(share * pace * noise, 1.0)
            value = float(round(value))
            if last is not None:
                value = max(value, last)
            last = value
        comment = str(rng.choice(COMMENTS[day_status]))
        out.append(
            {
                "report_id": "",
                "measure_id": measure_id,
                "report_date": day,
                "value": value,
                "status": day_status,
                "comment": comment,
                "reported_by": REPORTER,
            }
        )
    return out


def _write(df: pd.DataFrame, path: Path, arrow: pa.Schema) -> None:
    table = pa.Table.from_pandas(df, schema=arrow, preserve_index=False)
    pq.write_table(table, path, compression="zstd", write_statistics=True)


GOAL_SCHEMA = schema.arrow_schema(schema.GOALS)
MEASURE_SCHEMA = schema.arrow_schema(schema.MEASURES)
REPORT_SCHEMA = schema.arrow_schema(schema.REPORTS)


def write_programme(
    out: Path,
    values: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    directions: dict[str, str],
) -> dict:
    """Write goals.parquet, measures.parquet and progress_reports.parquet."""
    goals, measures, reports = build_programme(values, areas, directions)
    if set(MEASURES) != set(HANDLUNGSFELDER):
        raise ValueError("the demo measures must cover the seven Handlungsfelder")
    if not set(measures.status) <= set(MEASURE_STATUSES) or not set(
        measures.responsible
    ) <= set(RESPONSIBLE_BODIES):
        raise ValueError("unknown status or responsible body in the demo measures")
    _write(goals, Path(out) / "goals.parquet", GOAL_SCHEMA)
    _write(measures, Path(out) / "measures.parquet", MEASURE_SCHEMA)
    _write(reports, Path(out) / "progress_reports.parquet", REPORT_SCHEMA)
    return {
        "goals": len(goals),
        "measures": len(measures),
        "progress_reports": len(reports),
    }
