"""New conversation (Ctrl+N): a confirmation first, then a short-lived "Undo" bar in the chat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QWidget,
)

if TYPE_CHECKING:
    # Types only: widget modules load before the models (first-frame speed).
    from presto_desktop.core.chat import ChatMessage
    from presto_desktop.core.models import Mode

UNDO_SECONDS = 10  # how long "Conversation cleared — Undo" stays offered
CONFIRM_TEXT = "Start a new conversation? The current one will be cleared."


class UndoBar(QFrame):
    """A note with an Undo button that hides itself after a while (or when dismissed)."""

    undo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName("Undo")
        self.label = QLabel("", self)
        self.label.setObjectName("undoText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setAccessibleName("Undo: bring the conversation back")
        self.undo_button.setAutoDefault(False)
        self.undo_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.undo_button.clicked.connect(self._undo)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 6, 6)
        row.setSpacing(8)
        row.addWidget(self.label, 1)
        row.addWidget(self.undo_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.dismiss)
        self.hide()

    def offer(self, text: str, seconds: int = UNDO_SECONDS) -> None:
        """Show `text` with Undo for `seconds`."""
        self.label.setText(text)
        self.timer.start(seconds * 1000)
        self.show()

    def dismiss(self) -> None:
        """Hide; Undo is no longer offered."""
        self.timer.stop()
        self.hide()

    def _undo(self) -> None:
        self.dismiss()
        self.undo_requested.emit()


def confirm_box(parent: QWidget) -> QMessageBox:
    """Ask before clearing: plain text, the app's own styled buttons (no stock icons)."""
    box = QMessageBox(parent)
    box.setObjectName("confirmNewConversation")
    box.setWindowTitle("New conversation")
    box.setIcon(QMessageBox.Icon.NoIcon)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(CONFIRM_TEXT)
    box.setAccessibleName("Confirm new conversation")
    start = box.addButton("Start new", QMessageBox.ButtonRole.AcceptRole)
    start.setObjectName("confirmStartNew")
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    cancel.setObjectName("confirmCancel")
    for button in box.buttons():
        button.setAccessibleName(button.text())
    box.setDefaultButton(start)
    box.setEscapeButton(cancel)
    return box


class ClearableChat(Protocol):
    """The chat controller as Ctrl+N sees it: the conversation, cleared and restored."""

    @property
    def mode(self) -> Mode | None:
        """The mode being chatted in."""

    @property
    def messages(self) -> list[ChatMessage]:
        """A copy of the current conversation."""

    def new_conversation(self) -> None:
        """Forget the current conversation."""

    def restore_conversation(self, messages: list[ChatMessage]) -> None:
        """Bring a cleared conversation back (shown and saved)."""


class UndoOffer(Protocol):
    """The chat column as Ctrl+N sees it: where "Conversation cleared — Undo" shows."""

    def offer_undo(self, text: str) -> None:
        """Show `text` with Undo for a while."""

    def dismiss_undo(self) -> None:
        """Undo is no longer offered."""


class NewConversation(QObject):
    """Ctrl+N: asks first, clears the chat, then offers Undo (which restores and saves)."""

    def __init__(self, chat: ClearableChat, panel: UndoOffer, parent: QWidget) -> None:
        super().__init__(parent)
        self._chat, self._panel, self._parent = chat, panel, parent
        self._cleared: tuple[str, list[ChatMessage]] | None = None  # mode id, the messages

    def request(self) -> QMessageBox | None:
        """Ask (window-modal, non-blocking); nothing of the user's to lose: clear at once."""
        messages = self._chat.messages
        if not any(message.role == "user" for message in messages):
            self._chat.new_conversation()
            return None
        box = confirm_box(self._parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        start = box.defaultButton()

        def clicked(button: QAbstractButton) -> None:
            if button is start:
                self.clear()

        box.buttonClicked.connect(clicked)
        box.open()
        return box

    def clear(self) -> None:
        """Clear now, keeping the old conversation for Undo."""
        mode, messages = self._chat.mode, self._chat.messages
        self._chat.new_conversation()
        if mode is None or not messages:
            return
        self._cleared = (mode.id, messages)
        self._panel.offer_undo("Conversation cleared")

    def undo(self) -> None:
        """Bring the cleared conversation back (only into the mode it came from)."""
        cleared, self._cleared = self._cleared, None
        mode = self._chat.mode
        if cleared is None or mode is None or mode.id != cleared[0]:
            return
        self._chat.restore_conversation(cleared[1])

    def forget(self, *_args: object) -> None:
        """The mode changed or the user moved on: Undo no longer applies."""
        self._cleared = None
        self._panel.dismiss_undo()
