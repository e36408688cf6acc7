"""UI texts in German (default) and English from monitor/locales/<lang>.yaml and
monitor/locales/<lang>/*.yaml (one file per page or feature).

Keys are dotted ids (``nav.karte``); values may hold ``{name}`` placeholders. A
missing key is a bug that a test catches (both files must have the same keys); at run
time it falls back to German and then to the key itself, never to an exception.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "t", "load_texts", "locale_files"]

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
LOCALE_DIR = Path(__file__).with_name("locales")


def _flatten(node: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in node.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = str(value)
    return flat


def locale_files(lang: str) -> list[Path]:
    """``<lang>.yaml`` plus one file per page or feature in ``<lang>/``."""
    return [LOCALE_DIR / f"{lang}.yaml", *sorted((LOCALE_DIR / lang).glob("*.yaml"))]


@cache
def load_texts(lang: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in locale_files(lang):
        if path.is_file():
            texts.update(
                _flatten(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
            )
    return texts


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    """The text for ``key`` in ``lang`` with ``params`` filled in."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    text = load_texts(lang).get(key) or load_texts(DEFAULT_LANGUAGE).get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
