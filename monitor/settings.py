"""Deployment settings: which data folder and which basemap.

Read from environment variables first, then from ``.streamlit/secrets.toml`` (passed
in by the UI layer), then the defaults, so ``make run`` works on a fresh machine and a
city runs the same code on its own data by setting ``QM_DATA_DIR``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from monitor.store import DEFAULT_DATA_DIR, ROOT

__all__ = ["Settings", "load_settings", "BASEMAPS"]

BASEMAPS = ("carto", "blank")


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    basemap: str  # carto: online tiles without token; blank: offline, no requests
    edit_dir: Path


def load_settings(
    env: Mapping[str, str] | None = None, secrets: Mapping[str, object] | None = None
) -> Settings:
    env = os.environ if env is None else env
    secrets = secrets or {}

    def pick(env_key: str, secret_key: str, default: str) -> str:
        value = env.get(env_key) or secrets.get(secret_key) or default
        return str(value)

    data_dir = Path(pick("QM_DATA_DIR", "data_dir", str(DEFAULT_DATA_DIR)))
    if not data_dir.is_absolute():
        data_dir = ROOT / data_dir
    basemap = pick("QM_BASEMAP", "basemap", "carto")
    if basemap not in BASEMAPS:
        basemap = "blank"
    edit_dir = Path(pick("QM_EDIT_DIR", "edit_dir", str(ROOT / "local_data")))
    return Settings(data_dir=data_dir, basemap=basemap, edit_dir=edit_dir)
