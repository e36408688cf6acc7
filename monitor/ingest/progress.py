"""Progress of a long import step on stderr: a bar on a terminal, plain lines
otherwise (a log file or CI reads one line per step, without control characters)."""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["TextProgress"]

_WIDTH = 24


class TextProgress:
    """``progress(step, steps, label)`` as monitor.ingest.staging calls it."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._open = False

    def __call__(self, step: int, steps: int, label: str) -> None:
        if self.tty:
            filled = round(_WIDTH * (step - 1) / max(steps, 1))
            bar = "#" * filled + "-" * (_WIDTH - filled)
            self.stream.write(f"\r\033[K[{bar}] {step}/{steps} {label} …")
            self._open = True
        else:
            self.stream.write(f"[{step}/{steps}] {label} …\n")
        self.stream.flush()

    def done(self) -> None:
        """End the bar's line (a terminal only)."""
        if self.tty and self._open:
            self.stream.write(f"\r\033[K[{'#' * _WIDTH}] fertig\n")
            self.stream.flush()
            self._open = False
