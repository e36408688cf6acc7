"""The fixed vocabularies of the programme: stable English ids, translated by the UI.

Handlungsfelder after the 3rd Aktionsplan of the Saarland (24.09.2024); the measure
statuses and responsible bodies after the measure record recommended by BBSR,
"Arbeitshilfe Monitoring" (2009) and ILS NRW, "Zielentwicklung und Selbstevaluation
in der Sozialen Stadt NRW" (2004).
"""

from __future__ import annotations

__all__ = [
    "HANDLUNGSFELDER",
    "KINDS",
    "MEASURE_STATUSES",
    "RESPONSIBLE_BODIES",
    "ROLES",
]

#: The seven Handlungsfelder of the 3rd Aktionsplan (24.09.2024), stable ids.
HANDLUNGSFELDER = (
    "wohnraum",
    "energiesicherung",
    "kinderarmut_bildung",
    "arbeit",
    "mobilitaet_infrastruktur",
    "gesundheit",
    "integration",
)
#: Status of a measure: geplant, in Umsetzung, umgesetzt, verzögert, gestoppt.
MEASURE_STATUSES = ("planned", "in_progress", "completed", "delayed", "stopped")
#: Responsible body: Land, Landkreis, Stadt, Träger.
RESPONSIBLE_BODIES = ("land", "landkreis", "stadt", "traeger")
#: Roles, weakest first.
ROLES = ("viewer", "editor", "admin")
#: Kinds of entries of the edit log.
KINDS = ("progress", "status", "measure", "goal", "role", "revert")
