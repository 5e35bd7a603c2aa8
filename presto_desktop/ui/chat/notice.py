"""New conversation (Ctrl+N): the old one is kept in the history; a short-lived "Undo" bar reopens it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from presto_desktop.core.errors import PrestoError

if TYPE_CHECKING:
    # Types only: widget modules load before the models (first-frame speed).
    from presto_desktop.core.models import Mode

UNDO_SECONDS = 10  # how long "New conversation — Undo" stays offered
UNDO_TEXT = "New conversation started; the last one is in the history."


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


class ClearableChat(Protocol):
    """The chat controller as Ctrl+N sees it: new conversations, and Undo reopening the last."""

    @property
    def mode(self) -> Mode | None:
        """The mode being chatted in."""

    def start_new(self) -> str | None:
        """Keep the current conversation in the history and start an empty one; the kept
        one's id (None: nothing of the user's to keep). Raises PrestoError when not saved."""

    def reopen(self, conversation_id: str) -> None:
        """Make the current mode's past conversation `conversation_id` current again."""

    def new_conversation(self) -> None:
        """Forget the current conversation, keeping nothing (Reset demo's fallback)."""


class UndoOffer(Protocol):
    """The chat column as Ctrl+N sees it: where "New conversation — Undo" shows."""

    def offer_undo(self, text: str) -> None:
        """Show `text` with Undo for a while."""

    def dismiss_undo(self) -> None:
        """Undo is no longer offered."""

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        """Show an error bubble (`reply`: a failed reply, else another problem)."""


class NewConversation(QObject):
    """Ctrl+N: starts a new conversation at once (nothing is lost), then offers Undo."""

    def __init__(self, chat: ClearableChat, panel: UndoOffer, parent: QWidget) -> None:
        super().__init__(parent)
        self._chat, self._panel = chat, panel
        self._kept: tuple[str, str] | None = None  # mode id, the conversation kept

    def request(self) -> None:
        """Start a new conversation; the old one (if the user said anything) can come back."""
        mode = self._chat.mode
        try:
            kept = self._chat.start_new()
        except PrestoError as exc:
            self._panel.show_error(f"No new conversation: {exc}", False, reply=False)
            return
        self._kept = None if mode is None or kept is None else (mode.id, kept)
        if self._kept is not None:
            self._panel.offer_undo(UNDO_TEXT)
        else:
            self._panel.dismiss_undo()

    def clear(self) -> None:
        """The same as `request` (nothing asks first any more: the old conversation is kept)."""
        self.request()

    def undo(self) -> None:
        """Reopen the conversation Ctrl+N put away (only in the mode it came from)."""
        kept, self._kept = self._kept, None
        mode = self._chat.mode
        if kept is None or mode is None or mode.id != kept[0]:
            return
        try:
            self._chat.reopen(kept[1])
        except PrestoError as exc:
            self._panel.show_error(f"The conversation was not reopened: {exc}", False,
                                   reply=False)

    def forget(self, *_args: object) -> None:
        """The mode changed or the user moved on: Undo no longer applies."""
        self._kept = None
        self._panel.dismiss_undo()
