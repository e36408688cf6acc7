"""The indicator catalogue (catalog/indicators.yaml in the data folder).

The catalogue is the single place that says what an indicator means, how it is
computed from counts, which direction is "worse", where it exists and when it must be
suppressed. Everything that validates a URL parameter or labels a figure reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = [
    "LEVELS",
    "UNIT_FACTORS",
    "Catalog",
    "CatalogError",
    "Domain",
    "Indicator",
    "load_catalog",
]

LEVELS = ("stadt", "stadtteil", "quartier", "raster")
UNIT_FACTORS = {"percent": 100.0, "per_mille": 1000.0, "per_100": 100.0, "count": 1.0}
DIRECTIONS = ("higher_is_worse", "higher_is_better", "context")


class CatalogError(ValueError):
    """The catalogue file is missing or malformed; the message is German."""


@dataclass(frozen=True)
class Domain:
    id: str
    name_de: str
    name_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_de


@dataclass(frozen=True)
class Indicator:
    id: str
    name_de: str
    name_en: str
    domain: str
    unit: str
    numerator_de: str
    numerator_en: str
    denominator_de: str
    denominator_en: str
    source_de: str
    source_en: str
    direction: str
    in_index: bool
    index_weight: float
    min_numerator: int
    min_denominator: int
    levels: tuple[str, ...]
    explanation_de: str
    explanation_en: str
    notes: tuple[dict, ...] = field(default_factory=tuple)

    def text(self, name: str, lang: str) -> str:
        """The German or English variant of a text field (``name``, ``source`` ...)."""
        return getattr(self, f"{name}_{'en' if lang == 'en' else 'de'}")

    @property
    def factor(self) -> float:
        return UNIT_FACTORS[self.unit]

    @property
    def is_rate(self) -> bool:
        return self.unit != "count"


@dataclass(frozen=True)
class Catalog:
    version: int
    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {i.id: i for i in self.indicators})

    def __contains__(self, indicator_id: object) -> bool:
        return indicator_id in self._by_id

    def __getitem__(self, indicator_id: str) -> Indicator:
        return self._by_id[indicator_id]

    @property
    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]

    def domain(self, domain_id: str) -> Domain:
        return next(d for d in self.domains if d.id == domain_id)

    def by_domain(self) -> list[tuple[Domain, list[Indicator]]]:
        return [
            (d, [i for i in self.indicators if i.domain == d.id]) for d in self.domains
        ]

    def available_on(self, level: str) -> list[Indicator]:
        return [i for i in self.indicators if level in i.levels]


_REQUIRED = [
    "id",
    "name_de",
    "name_en",
    "domain",
    "unit",
    "numerator_de",
    "numerator_en",
    "denominator_de",
    "denominator_en",
    "source_de",
    "source_en",
    "direction",
    "in_index",
    "index_weight",
    "suppression",
    "levels",
    "explanation_de",
    "explanation_en",
]


def load_catalog(path: str | Path) -> Catalog:
    """Load and validate the catalogue; raise CatalogError naming the problem."""
    path = Path(path)
    if path.exists() and not path.is_file():  # a folder or a pipe: never opened
        raise CatalogError(f"Der Indikatorenkatalog {path.name} ist keine Datei.")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"Der Indikatorenkatalog fehlt: {path.name}") from exc
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        raise CatalogError(
            f"Der Indikatorenkatalog {path.name} ist kein gültiges YAML: {exc}"
        ) from exc
    if not isinstance(raw, dict) or "indicators" not in raw:
        raise CatalogError(f"{path.name} enthält keinen Abschnitt 'indicators'.")
    domains = tuple(
        Domain(d["id"], d["name_de"], d["name_en"]) for d in raw.get("domains", [])
    )
    domain_ids = {d.id for d in domains}
    indicators, seen = [], set()
    for n, item in enumerate(raw["indicators"], start=1):
        missing = [k for k in _REQUIRED if k not in item]
        if missing:
            raise CatalogError(
                f"Indikator Nr. {n} ({item.get('id', '?')}) fehlen Felder: "
                + ", ".join(missing)
            )
        ind_id = str(item["id"])
        if ind_id in seen:
            raise CatalogError(f"Indikator-ID doppelt: {ind_id}")
        seen.add(ind_id)
        if item["unit"] not in UNIT_FACTORS:
            raise CatalogError(f"{ind_id}: unbekannte Einheit {item['unit']!r}")
        if item["direction"] not in DIRECTIONS:
            raise CatalogError(f"{ind_id}: unbekannte Richtung {item['direction']!r}")
        if item["domain"] not in domain_ids:
            raise CatalogError(
                f"{ind_id}: unbekannter Themenbereich {item['domain']!r}"
            )
        bad_levels = set(item["levels"]) - set(LEVELS)
        if bad_levels:
            raise CatalogError(f"{ind_id}: unbekannte Ebenen {sorted(bad_levels)}")
        supp = item["suppression"]
        indicators.append(
            Indicator(
                id=ind_id,
                name_de=item["name_de"],
                name_en=item["name_en"],
                domain=item["domain"],
                unit=item["unit"],
                numerator_de=item["numerator_de"],
                numerator_en=item["numerator_en"],
                denominator_de=item["denominator_de"],
                denominator_en=item["denominator_en"],
                source_de=item["source_de"],
                source_en=item["source_en"],
                direction=item["direction"],
                in_index=bool(item["in_index"]),
                index_weight=float(item["index_weight"]),
                min_numerator=int(supp["min_numerator"]),
                min_denominator=int(supp["min_denominator"]),
                levels=tuple(l for l in LEVELS if l in item["levels"]),  # noqa: E741
                explanation_de=item["explanation_de"],
                explanation_en=item["explanation_en"],
                notes=tuple(item.get("notes") or ()),
            )
        )
    return Catalog(int(raw.get("version", 1)), domains, tuple(indicators))
