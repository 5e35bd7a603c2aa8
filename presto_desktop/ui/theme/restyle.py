"""Where the theme's QSS goes in a window, and a restyle spread over loop turns.

A QSS change re-polishes every widget under the widget that carries it: ~10 ms in one turn
for the main window's ~90 widgets. So the main window names its style roots (header, chat
column, the parts of the dashboard); each carries the sheet and is re-polished on its own.
After a generation the roots are restyled as steps of the mode change (ui/common/mode_change.py, a few
per loop turn) with the window's updates off: the user still sees one change, and no turn
stalls timers or input for long. Each root parses
the sheet again (~0.4 ms), so roots are a few big subtrees, not every small widget.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, cast, runtime_checkable

from PySide6.QtCore import QChildEvent, QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from presto_desktop.ui.common.mode_change import ModeChange, Step

GROUP = "restyle"  # this module's steps in a mode change


@runtime_checkable
class StyleRooted(Protocol):
    """A window whose style roots carry the sheet (the main window)."""

    def style_roots(self) -> list[QWidget]:
        """The widgets that carry the QSS, in the order they are restyled."""
        ...


class Restyler(QObject):
    """Puts one QSS on a window (or on its style roots) and on its dialogs.

    A window with `style_roots()` carries no sheet itself: what lies between the roots (the
    window, splitters, columns) paints with the application QPalette. Its dialogs, and new
    roots (e.g. an overlay built later), get the sheet when they are first polished. A restyle
    in steps is the "restyle" group of the mode change's steps (ui/common/mode_change.py).
    """

    announced = Signal()  # the new palette is set: custom-painted parts may follow it now

    def __init__(self, app: QApplication, window: QWidget, steps: ModeChange,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._window = window
        self._steps = steps
        self._roots: Callable[[], list[QWidget]] | None = (
            window.style_roots if isinstance(window, StyleRooted) else None)
        self._sheet = ""
        self._frozen: list[QWidget] = []  # windows whose updates wait for the last step
        self._held: list[Step] = []  # a preview's repaint (and hidden roots), until released
        self._watched: list[QWidget] = []
        if self._roots is not None:
            for container in self._containers():
                container.installEventFilter(self)
                self._watched.append(container)

    def release(self) -> None:
        """Stop watching the window (another target takes over)."""
        self._steps.replace(GROUP, [])
        self._held = []
        for widget in self._watched:
            if isValid(widget):
                widget.removeEventFilter(self)
        self._watched = []
        self._thaw()

    def restyle(self, palette: QPalette, sheet: str, *, in_steps: bool = False,
                announce: bool = True, hold: bool = False) -> None:
        """Set the application `palette`, put `sheet` everywhere, then emit `announced`.

        With `in_steps`, the window's updates go off and the rest follows as steps of the mode
        change: the announcement, every root, then the one repaint that shows it all. With
        `hold` (a preview), the repaint waits for `release_hold`.
        """
        self._sheet = sheet
        self._held = []
        if not in_steps:
            self._steps.replace(GROUP, [])  # an older restyle's steps would put its sheet back
            self._app.setPalette(palette)
            # Qt hands the new palette to widgets on a later turn; the parts without a sheet
            # (window, columns) take it now, so the switch is complete when this returns.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
            self._put(self.styled())
            if announce:
                self.announced.emit()
            self._thaw()
            return
        self._freeze()
        self._app.setPalette(palette)
        steps = [Step(f"{GROUP}:announce", self.announced.emit)] if announce else []
        styled = self.styled()
        # A hidden dialog (e.g. the spare Settings) takes its sheet after the repaint: the
        # switch shows without waiting for it (~7 ms).
        hidden = [w for w in styled
                  if w is not self._window and w.isWindow() and not w.isVisible()]
        # Named per root: the mode change plans its turns by each step's last duration.
        steps += [Step(f"{GROUP}:root:{index}", partial(self._put, [widget]))
                  for index, widget in enumerate(styled) if widget not in hidden]
        tail = [Step(f"{GROUP}:repaint", self._thaw),
                *(Step(f"{GROUP}:hidden", partial(self._put, [widget])) for widget in hidden)]
        if hold:
            self._held = tail
            tail = []
        self._steps.replace(GROUP, steps + tail)

    @property
    def held(self) -> bool:
        """Whether a preview's repaint waits for `release_hold`."""
        return bool(self._held)

    def release_hold(self) -> None:
        """Let a preview's repaint run, after every step queued by then (the mode's content)."""
        held, self._held = self._held, []
        if held:
            self._steps.append(held)

    def styled(self) -> list[QWidget]:
        """The widgets that carry the sheet: the roots (or the window), then the dialogs."""
        window = self._window
        if not isValid(window):
            return []
        roots = self._roots() if self._roots is not None else [window]
        dialogs = [child for child in window.children()
                   if isinstance(child, QWidget) and child.isWindow() and child.styleSheet()]
        return [*roots, *dialogs]

    def _containers(self) -> list[QWidget]:
        """The window and every widget between it and a root: they carry no sheet."""
        found = [self._window]
        for root in self._roots() if self._roots is not None else []:
            parent = root.parentWidget()
            while parent is not None and parent not in found:
                found.append(parent)
                parent = parent.parentWidget()
        return found

    def _put(self, widgets: list[QWidget]) -> None:
        for widget in widgets:
            if isValid(widget) and widget.styleSheet() != self._sheet:
                widget.setStyleSheet(self._sheet)

    def _freeze(self) -> None:
        """No repaint of the window and its dialogs until the restyle's last step."""
        if not isValid(self._window):
            return
        windows = [self._window, *(child for child in self._window.children()
                                   if isinstance(child, QWidget) and child.isWindow())]
        for window in windows:
            if window.updatesEnabled():
                window.setUpdatesEnabled(False)
                self._frozen.append(window)

    def _thaw(self) -> None:
        frozen, self._frozen = self._frozen, []
        for window in frozen:
            if isValid(window):
                window.setUpdatesEnabled(True)
                # Not update(): a sync that ran while the updates were off leaves the window
                # marked dirty, and Qt then requests no new paint; the restyle never showed.
                window.repaint()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A dialog, menu or new root polished for the first time gets the sheet."""
        if event.type() == QEvent.Type.ChildPolished and self._sheet and self._roots is not None:
            child = cast(QChildEvent, event).child()  # ChildPolished is always a QChildEvent
            if isinstance(child, QWidget) and (child.isWindow() or child in self._roots()):
                self._put([child])
        return False
