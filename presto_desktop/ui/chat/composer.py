"""The widgets below the chat history: the composer, its hint line, the action buttons and the typing dots."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QWidget


class Composer(QPlainTextEdit):
    """Multi-line input: Enter sends, Shift+Enter adds a line, Esc asks to stop."""

    send_requested = Signal()
    escape_pressed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAccessibleName("Message")
        self.setAccessibleDescription("Enter sends, Shift+Enter starts a new line")
        self.setPlaceholderText("Message the assistant…")
        self.setTabChangesFocus(True)
        lines = self.fontMetrics().lineSpacing()
        self.setFixedHeight(lines * 3 + 24)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        """Enter (without Shift) sends; Esc stops; everything else edits."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.send_requested.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.escape_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class HintLabel(QLabel):
    """A one-line hint that drops to a shorter text, then to nothing, rather than clip glyphs."""

    def __init__(self, variants: list[str], parent: Any = None) -> None:
        super().__init__(variants[0], parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.variants = variants
        # It gives way first when the row is narrow; the width it gets decides what it says.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)

    def _fit_text(self) -> None:
        room = self.contentsRect().width()
        metrics = self.fontMetrics()
        text = next((v for v in self.variants if metrics.horizontalAdvance(v) <= room), "")
        if text != self.text():
            self.setText(text)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        """Pick the longest variant that fits the new width."""
        super().resizeEvent(event)
        self._fit_text()

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        """A font or style change (QSS font size) changes what fits."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_text()



class TypingIndicator(QLabel):
    """The "Assistant is typing" line, its dots cycling while a reply is on its way."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("typingIndicator")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAccessibleName("Assistant is typing")
        self.hide()
        self._dots = 0
        self._timer = QTimer(self)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        """Show the indicator from one dot and keep the dots moving."""
        self._dots = 0
        self._tick()
        self.show()
        self._timer.start()

    def stop(self) -> None:
        """Hide the indicator and stop its timer."""
        self._timer.stop()
        self.hide()

    def _tick(self) -> None:
        self._dots = self._dots % 3 + 1
        self.setText("Assistant is typing" + "." * self._dots)


def make_button(parent: QWidget, name: str, text: str, accessible: str, slot: Callable[[], Any]) -> QPushButton:
    """A push button that never becomes the default (Enter belongs to the composer)."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def make_icon_button(
    parent: QWidget, name: str, icon: str, accessible: str, slot: Callable[[], Any]
) -> QPushButton:
    """A compact icon-only button; its accessible name doubles as the tooltip."""
    button = make_button(parent, name, "", accessible, slot)
    button.setToolTip(accessible)
    button.setProperty("compact", True)
    button.setProperty("iconName", icon)
    button.setIconSize(QSize(16, 16))
    tint_button(button, parent.palette().color(QPalette.ColorRole.ButtonText))
    return button


def tint_button(button: QPushButton, color: QColor) -> None:
    """Redraw an icon button's icon (its `iconName` property) in `color`."""
    from presto_desktop.ui.theme.icons import tinted_icon

    button.setIcon(tinted_icon(str(button.property("iconName")), color, 16))
