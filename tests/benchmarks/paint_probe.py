"""The first-paint probe of a benchmark child: a filter on its main window only, set as it shows.

An application-wide filter made PySide create a Python type for every Qt-made object it saw an
event of (~150 types in the app, hundreds in a bare window: 20-25 ms of a bare window's start,
measured), which no real start pays: the bare window looked slower than it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QMainWindow

WINDOW_NAME = "mainWindow"  # the app's MainWindow; the bare benchmark window is named so too
QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtSvg")  # what the first frame's classes come from


class FirstPaint(QObject):
    """Calls `painted(window)` on the loop's next pass after the main window's first paint event.

    Timed then: at that paint event the rest of the frame was still to be drawn (~15-20 ms
    cold), which the start-up phase then counted as its first gap.
    """

    def __init__(self, painted: Callable[[QMainWindow], None]) -> None:
        super().__init__()
        self._painted = painted
        self.done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """The window's first paint event: call `painted` once that paint is over."""
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            watched.removeEventFilter(self)
            window = watched
            QTimer.singleShot(0, lambda: self._painted(window))  # type: ignore[arg-type]
        return False


def watch_first_paint(painted: Callable[[QMainWindow], None]) -> FirstPaint:
    """Install the probe on the window named WINDOW_NAME when it is first shown."""
    probe = FirstPaint(painted)
    show = QMainWindow.show

    def show_watched(window: QMainWindow) -> None:
        if window.objectName() == WINDOW_NAME and not probe.done:
            window.installEventFilter(probe)
        show(window)

    QMainWindow.show = show_watched  # type: ignore[method-assign]
    return probe


def made_types() -> list[str]:
    """The Qt classes this process has made Python types of so far ("QtWidgets.QStyle").

    PySide makes a class's type (with every enum of the class, ~10 us a member) on first use;
    the module's namespace holds only those made.
    """
    names = []
    for name in QT_MODULES:
        module = sys.modules.get(f"PySide6.{name}")
        if module is not None:
            names += [f"{name}.{key}" for key, value in vars(module).items()
                      if isinstance(value, type)]
    return sorted(names)
