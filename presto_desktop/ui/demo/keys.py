"""StepKeys: the clicker's keys (→, PageDown, Space) perform a demo script's next step.

Clickers send → or PageDown (some Space). The filter sits on the focused widget of the
watched windows only (moved along as the focus moves), not on the whole application: an
application-wide Python filter would see every paint and timer event of every widget.
Space stays a space where people type.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

STEP_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_PageDown)
ALLOWED_MODIFIERS = Qt.KeyboardModifier.KeypadModifier  # a keypad's arrows still count


def types_text(widget: QWidget | None) -> bool:
    """Whether `widget` is a place where Space types a space."""
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly()
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, QAbstractSpinBox)


class StepKeys(QObject):
    """Emits `step` for the clicker's keys in the watched windows while `active()` says so."""

    step = Signal()

    def __init__(self, active: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._active = active
        self._windows: list[QWidget] = []
        self._filtered: QWidget | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def watch(self, window: QWidget) -> None:
        """Take the keys in `window` too (the main window; the presenter console)."""
        if window not in self._windows:
            self._windows.append(window)
            window.installEventFilter(self)  # keys reach the window when nothing has focus
            window.destroyed.connect(lambda _=None, w=window: self._forget(w))
            self._focus_changed(None, QApplication.focusWidget())

    def _forget(self, window: QWidget) -> None:
        self._windows = [w for w in self._windows if w is not window]

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Move the filter to the newly focused widget if it is in a watched window."""
        old, self._filtered = self._filtered, None
        if old is not None:
            with contextlib.suppress(RuntimeError):  # deleted since it had the focus
                old.removeEventFilter(self)
        if new is not None and any(new.window() is w for w in self._windows):
            new.installEventFilter(self)
            self._filtered = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A step key (not repeated, no modifier) performs the next step instead of its usual."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.isAutoRepeat() or event.modifiers() & ~ALLOWED_MODIFIERS:
            return False
        key = event.key()
        space = key == Qt.Key.Key_Space and not types_text(QApplication.focusWidget())
        if (key in STEP_KEYS or space) and self._active():
            self.step.emit()
            return True
        return False
