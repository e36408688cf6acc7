"""A served app that writes what it holds per session, for the soak's diagnosis.

``python -m bench.load.probe OUT.jsonl app.py --server.port 8600 ...`` runs
``streamlit run`` in this process and appends one JSON line to OUT.jsonl every
``QM_PROBE_EVERY`` seconds (default 5): sessions with a websocket, sessions kept
for a reconnect (``server.disconnectedSessionTTL``), AppSession objects alive,
media files (count, bytes), sessions with media references, deferred download
callables, VmRSS; with ``QM_PROBE_TRACE=1`` also the 12 source files holding most
of Python's traced memory (tracemalloc; slows the server). It reads Streamlit's
runtime internals (``Runtime._session_mgr``,
``MediaFileManager`` fields of streamlit 1.67): a measurement aid of bench/, never
imported by the app.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path

__all__ = ["snapshot", "main"]


def _rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def snapshot() -> dict:
    """What the runtime holds now (zeros before the runtime exists)."""
    from streamlit import runtime
    from streamlit.runtime.app_session import AppSession

    row = {"t": round(time.time(), 1), "rss_bytes": _rss_bytes()}
    if not runtime.exists():
        return row
    rt = runtime.get_instance()
    manager = rt._session_mgr
    media = rt.media_file_mgr
    stored = getattr(manager._session_storage, "_cache", None)
    row |= {
        "active_sessions": len(manager.list_active_sessions()),
        "stored_sessions": len(getattr(stored, "_data", ())),
        "app_sessions_alive": sum(isinstance(o, AppSession) for o in gc.get_objects()),
        "media_files": len(media._file_metadata),
        "media_bytes": sum(
            len(f.content) for f in media._storage._files_by_id.values()
        ),
        "sessions_with_media": len(media._files_by_session_and_coord),
        "deferred_callables": len(media._deferred_callables),
    }
    if tracemalloc.is_tracing():
        stats = tracemalloc.take_snapshot().statistics("filename")[:12]
        row["traced_bytes"] = tracemalloc.get_traced_memory()[0]
        row["top_files"] = [(str(s.traceback[0].filename), s.size) for s in stats]
    return row


def _report(path: Path, every: float) -> None:
    while True:
        time.sleep(every)
        try:
            row = snapshot()
        except Exception as exc:  # a diagnosis must not stop the server
            row = {"t": round(time.time(), 1), "error": repr(exc)}
        with path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row) + "\n")


def main(argv: list[str]) -> None:
    out, *streamlit_args = argv
    every = float(os.environ.get("QM_PROBE_EVERY", "5"))
    if os.environ.get("QM_PROBE_TRACE") == "1":
        tracemalloc.start()
    threading.Thread(target=_report, args=(Path(out), every), daemon=True).start()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", *streamlit_args]
    streamlit_main()


if __name__ == "__main__":
    main(sys.argv[1:])
