"""The order in which pytest-xdist hands out test files (``make test``: 2 workers,
``--dist loadfile``).

xdist's own order puts the files with most tests first, so the one-test Chromium
flows (login, import, presentation: a minute each) came last and ran side by side
at the end of a run, where two Chromiums on two cores took twice their time (the
login flow 71 s alone, 125–186 s at the end; docs/PERFORMANCE.md "Test suite").
This scheduler keeps xdist's work units and their order within each kind, but

- at most one worker runs a browser file while the other has anything else to do
  (a browser test beside an AppTest test contends far less than two Chromiums);
- browser files are handed out from the start, whenever no other worker runs
  one, so they are spread over the run instead of piling up at its end.

A unit is a browser file when one of its tests runs on pytest-playwright's
browser (``[chromium`` in its id). Only the order changes: every test still runs
once, each file on one worker.
"""

from __future__ import annotations

from xdist.scheduler import LoadFileScheduling

BROWSER_MARK = "[chromium"


def is_browser_unit(work_unit: dict[str, bool]) -> bool:
    return any(BROWSER_MARK in nodeid for nodeid in work_unit)


class OneBrowserAtATime(LoadFileScheduling):
    """``--dist loadfile`` with browser files spread out, one at a time."""

    def _assign_work_unit(self, node) -> None:
        scope = self._next_scope(node)
        self.workqueue.move_to_end(scope, last=False)
        super()._assign_work_unit(node)

    def _next_scope(self, node) -> str:
        """The first waiting unit of the kind this node should run next."""
        want_browser = not self._browser_running_elsewhere(node)
        for scope, unit in self.workqueue.items():
            if is_browser_unit(unit) == want_browser:
                return scope
        return next(iter(self.workqueue))

    def _browser_running_elsewhere(self, node) -> bool:
        return any(
            is_browser_unit(unit) and not all(unit.values())
            for other, units in self.assigned_work.items()
            if other is not node
            for unit in units.values()
        )
