"""A one-line bar under the header for what goes wrong outside the chat (a failed save).

Also what start-up could not do (the last mode's file broke): a notice, not a failed reply.

A conversation that cannot be saved (disk full, read-only data dir) must not fail silently:
the bar says so with Retry until a save succeeds. It is built on first use (never at start-up)
and styled by the theme's QSS (#noticeBar in resources/qss/app.qss), like every part.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

SAVE_NOTICE = "save"
START_NOTICE = "start"  # e.g. the last mode could not be opened


class NoticeBar(QFrame):
    """One notice at a time (keyed, so clearing one never hides another) and its action."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAccessibleName("Notice")
        self.key = ""
        self._action: Callable[[], object] | None = None
        self._sink: Callable[[str], None] | None = None  # presenter mode: its console
        self.text = QLabel(self)
        self.text.setObjectName("noticeText")
        # Error texts carry file names and OS messages: plain text, never markup.
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.setObjectName("noticeAction")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._act)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_notice(self, key: str, text: str, action: str = "",
                    on_action: Callable[[], object] | None = None) -> None:
        """Show `text` (replacing any notice) with a button `action` calling `on_action`."""
        self.key, self._action = key, on_action
        self.text.setText(text)
        self.button.setText(action)
        self.button.setAccessibleName(action)
        self.button.setVisible(bool(action) and on_action is not None)
        if self._sink is not None:
            self._sink(text)  # the audience never sees it; the bar shows it after presenting
        else:
            self.show()

    def clear(self, key: str) -> None:
        """Hide the bar if it shows the notice `key`."""
        if self.key == key:
            self.key, self._action = "", None
            self.hide()
            if self._sink is not None:
                self._sink("")

    def route_to(self, sink: Callable[[str], None] | None) -> None:
        """Send notices to `sink` ("" when cleared) and stay hidden; None: show them here again."""
        self._sink = sink
        if sink is not None:
            self.hide()
            sink(self.text.text() if self.key else "")  # and an old line there goes
        else:
            self.setVisible(bool(self.key))

    def _act(self) -> None:
        if self._action is not None:
            self._action()


@runtime_checkable
class SaveReporter(Protocol):
    """The chat controller as the bar sees it: why saving fails, and Retry."""

    @property
    def save_problem(self) -> SignalInstance:
        """Why a conversation is not saved (str); "" once all are saved again."""

    def retry_save(self) -> None:
        """Save again what failed."""


def watch_saves(chat: SaveReporter, bar: Callable[[], NoticeBar]) -> None:
    """Show `chat`'s save problems in the bar (built on first need) with Retry; hide on success."""
    built: list[NoticeBar] = []

    def changed(message: str) -> None:
        if message:
            if not built:
                built.append(bar())
            built[0].show_notice(SAVE_NOTICE, message, "Retry", chat.retry_save)
        elif built:
            built[0].clear(SAVE_NOTICE)

    chat.save_problem.connect(changed)
