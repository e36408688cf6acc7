"""What a published value carries besides its number: a status and a flag.

The vocabulary is the one of official tables (:mod:`monitor.ingest.symbols`, after
the Destatis "Zeichenerklärung"): ``ok`` (a number; a true 0 is a number),
``suppressed`` (unknown or secret, shown ``.``), ``missing`` (no entry, ``.``),
``pending`` (comes later, ``...``), ``not_meaningful`` (``x``) and ``uncertain``
(too uncertain to publish, ``/``). Flags stand beside a number: ``p`` vorläufig,
``r`` berichtigt, ``s`` geschätzt, ``()`` Aussagewert eingeschränkt; a value may
carry several (``"p,r"``).

The Store keeps statuses as small integer codes in arrays (the position in
:data:`STATUS_CODES`); ``ok``, ``suppressed`` and ``missing`` keep the codes 0, 1 and
2 they had before the vocabulary grew, so folders written with only those three
statuses read as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from monitor.ingest.symbols import DISPLAY, FLAGS, STATUSES

__all__ = [
    "DISPLAY",
    "FLAGS",
    "FLAG_COLUMN",
    "NO_NUMBER",
    "STATUS_CODES",
    "flag_marker",
    "keep_source_statuses",
    "split_flags",
    "status_codes",
]

STATUS_CODES = ("ok", "suppressed", "missing", "pending", "not_meaningful", "uncertain")
"""Position = code in ``LevelArrays.status`` (0 ok, 1 suppressed, 2 missing, …)."""
NO_NUMBER = STATUS_CODES[1:]
FLAG_COLUMN = "flag"

if set(STATUS_CODES) != set(STATUSES):  # pragma: no cover - one vocabulary
    raise RuntimeError("STATUS_CODES must list the statuses of monitor.ingest.symbols")

_CODE = {name: code for code, name in enumerate(STATUS_CODES)}
_SOURCE_ONLY = ("suppressed", "pending", "not_meaningful", "uncertain")


def status_codes(statuses: pd.Series) -> np.ndarray:
    """Status names as codes (unknown or empty: ``missing``)."""
    return statuses.map(_CODE).fillna(_CODE["missing"]).to_numpy(dtype=np.uint8)


def split_flags(flag) -> tuple[str, ...]:
    """``"p,r"`` → ``("p", "r")``; None, NaN and ``""`` → ``()``; unknown flags
    are dropped (a flag is only shown when it means something)."""
    if not isinstance(flag, str) or not flag:
        return ()
    return tuple(f for f in flag.split(",") if f in FLAGS)


def flag_marker(flag) -> str:
    """The letters shown after a number: ``"p"``, ``"p r"``; ``()`` is not a
    letter (the caller puts the number in parentheses)."""
    return " ".join(f for f in split_flags(flag) if f != "()")


def keep_source_statuses(published: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
    """The disclosure step knows numbers only: a cell without a number comes out
    ``missing``. Give such a cell back the status its source gave it (``pending``,
    ``not_meaningful``, ``uncertain``, or ``suppressed`` by the statistics office)
    and every cell that is not suppressed its source's flag.

    ``published`` and ``source`` have ``area_id, indicator_id, year, status``;
    ``source`` may have ``flag``. Cells the step suppressed stay suppressed.
    """
    key = ["area_id", "indicator_id", "year"]
    columns = [*key, "status"] + ([FLAG_COLUMN] if FLAG_COLUMN in source else [])
    src = source[columns].drop_duplicates(key).rename(columns={"status": "_source"})
    out = published.drop(columns=[FLAG_COLUMN], errors="ignore").merge(
        src, on=key, how="left"
    )
    restore = (out["status"] == "missing") & out["_source"].isin(_SOURCE_ONLY)
    out.loc[restore, "status"] = out.loc[restore, "_source"]
    flags = out[FLAG_COLUMN] if FLAG_COLUMN in out else [None] * len(out)
    out[FLAG_COLUMN] = pd.Series(
        [
            f if isinstance(f, str) and f and s != "suppressed" else None
            for f, s in zip(flags, out["status"], strict=True)
        ],
        index=out.index,
        dtype=object,
    )
    return out.drop(columns="_source")
