"""Background start-up work waits until the window's own start-up turns are over.

Measured in the session benchmark: the engine's build and warm-up (imports on a worker
thread) started while the window still showed the last mode and drew its first chart; the
loop then waited for the GIL in those turns (three gaps of 15-32 ms in a row). Started once
they are over, the same work left one gap above 15 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from presto_desktop.ui.shell.window import MainWindow

QUIET_POLL_MS = 25
QUIET_MAX_MS = 1000  # a window that keeps busy does not hold the work back for longer


def showing(window: MainWindow) -> bool:
    """Whether `window` is still showing a mode (its steps) or drawing a chart in steps."""
    return window.mode_change.busy or window.dashboard.chart.drawing


def when_quiet(owner: QObject, busy: Callable[[], bool], work: Callable[[], None], *,
               waited_ms: int = 0) -> None:
    """Run `work` on a loop turn (while `owner` lives) once `busy()` is false, or after
    QUIET_MAX_MS."""
    if waited_ms < QUIET_MAX_MS and busy():
        QTimer.singleShot(QUIET_POLL_MS, owner, lambda: when_quiet(
            owner, busy, work, waited_ms=waited_ms + QUIET_POLL_MS))
        return
    QTimer.singleShot(0, owner, work)
