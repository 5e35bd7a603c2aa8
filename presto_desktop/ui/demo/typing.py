"""TypingAnimation: a demo's `say` typed into the composer, a few characters per frame."""

from __future__ import annotations

import random

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from presto_desktop.session.typing_plan import Tick, typing_plan


class TypingAnimation(QObject):
    """Types text into a QPlainTextEdit along session.typing_plan's ticks; `finished` at the end."""

    finished = Signal()

    def __init__(self, editor: QPlainTextEdit, *, rng: random.Random | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._editor, self._rng = editor, rng or random.Random()
        self._text = ""
        self._plan: list[Tick] = []
        self._shown = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        editor.installEventFilter(self)

    @property
    def active(self) -> bool:
        """Whether text is being typed."""
        return bool(self._plan)

    def start(self, text: str) -> None:
        """Empty the editor and type `text`; its first character appears now."""
        self._timer.stop()
        self._text, self._shown = text, 0
        self._plan = typing_plan(text, self._rng)
        self._editor.setPlainText("")
        self._tick()

    def finish(self) -> None:
        """Type the rest at once."""
        if self._plan:
            self._timer.stop()
            self._plan = [(len(self._text), 0.0)]
            self._tick()

    def cancel(self) -> None:
        """Stop typing and empty the editor."""
        self._timer.stop()
        if self._plan:
            self._plan = []
            self._editor.setPlainText("")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """While typing, Enter finishes the text (which is then sent whole) and other keys wait.

        Without this, a presenter's Enter mid-animation sent the partial text and the rest
        went on typing into the empty composer.
        """
        if not self._plan or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() == Qt.Key.Key_Escape:
            return False  # Esc keeps its meaning (stop a reply)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
        return True

    def _tick(self) -> None:
        if not self._plan:
            return
        count, _delay = self._plan.pop(0)
        cursor = self._editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self._text[self._shown:count])
        self._editor.setTextCursor(cursor)
        self._shown = count
        if self._plan:
            self._timer.start(max(0, round(self._plan[0][1] * 1000)))
        else:
            self.finished.emit()
