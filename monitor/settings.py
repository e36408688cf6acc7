"""Deployment settings: which data folder, which basemap, where edits go.

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
    # libpq URL of the PostgreSQL edit log (monitor/programme/postgres.py); empty:
    # the JSON-lines file in edit_dir
    edit_db: str = ""
    # levels with at least this many areas are drawn as one image (a pixel per
    # raster cell) instead of one polygon per area: monitor/views/raster_map.py
    map_image_min_areas: int = 20_000


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
    edit_db = pick("QM_EDIT_DB", "edit_db", "").strip()
    try:
        image_min = max(
            1, int(pick("QM_MAP_IMAGE_AREAS", "map_image_min_areas", "20000"))
        )
    except ValueError:
        image_min = 20_000
    return Settings(
        data_dir=data_dir,
        basemap=basemap,
        edit_dir=edit_dir,
        edit_db=edit_db,
        map_image_min_areas=image_min,
    )
