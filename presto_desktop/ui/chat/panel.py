"""The chat column: history view, live reply, typing indicator, prompt chips and the composer."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QVBoxLayout, QWidget

from presto_desktop.core.chat import ChatMessage
from presto_desktop.ui.chat.chips import ChipFlow
from presto_desktop.ui.chat.commit import SlicedCommit
from presto_desktop.ui.chat.composer import (
    Composer,
    HintLabel,
    TypingIndicator,
    make_button,
    make_icon_button,
    tint_button,
)
from presto_desktop.ui.chat.delegate import ChatDelegate
from presto_desktop.ui.chat.model import ChatModel
from presto_desktop.ui.chat.notice import UndoBar
from presto_desktop.ui.chat.reply_area import ReplyArea
from presto_desktop.ui.chat.view import ChatHistoryView
from presto_desktop.ui.chat.voice_controls import VoiceControls
from presto_desktop.ui.theme.colors import ThemeColors

if TYPE_CHECKING:
    from presto_desktop.ui.chat.live import LiveBubble


class ChatPanel(ReplyArea, QWidget):
    """The chat column; it renders and emits intents, the controller does the work."""

    submitted = Signal(str)
    stop_requested = Signal()
    regenerate_requested = Signal()
    retry_requested = Signal()
    new_conversation_requested = Signal()
    undo_requested = Signal()  # "New conversation — Undo" was clicked
    voice_toggled = Signal()  # the mic button or Ctrl+M (the shell wires ui/voice)
    mute_toggled = Signal(bool)  # silence (True) or restore the assistant's voice

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPanel")
        # Its parts carry the QSS, not the column (ui/theme/restyle.py): it paints the
        # palette's background itself, so it is repainted alone as a restyle's unit.
        self.setAutoFillBackground(True)
        self.setAccessibleName("Chat")
        self._busy = False
        self._retryable = False
        self._colors: ThemeColors | None = None
        self._build_history()
        self._build_input()
        self._build_actions()
        self._lay_out()
        self._build_shortcuts()
        self._update_actions()
        self._apply_tab_order()

    def _build_history(self) -> None:
        """The model, delegate and view; the live bubble comes later."""
        self.model = ChatModel(self)
        self.delegate = ChatDelegate(parent=self)
        self.view = ChatHistoryView(self)
        self.view.setObjectName("chatView")
        self.view.setAccessibleName("Conversation")
        self.view.setItemDelegate(self.delegate)
        self.view.setModel(self.model)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.copy_requested.connect(self.view.copy_row)
        # The live bubble (a QTextBrowser, hidden until a reply streams) is built after the
        # first paint or on first use: start-up does not wait for it.
        self._live_bubble: LiveBubble | None = None
        self._commit = SlicedCommit(self)
        self._commit.finished.connect(self._finish_reply)
        self._commit.settled.connect(self._update_actions)

    def _build_input(self) -> None:
        """Typing dots, the Undo bar, the prompt chips and the composer."""
        self.typing = TypingIndicator(self)
        self.undo_bar = UndoBar(self)
        self.undo_bar.undo_requested.connect(self.undo_requested)
        self.chip_bar = ChipFlow(self)
        self.chip_bar.chosen.connect(self._submit)
        self.chip_bar.hide()
        self.composer = Composer(self)
        self.composer.send_requested.connect(self._send_from_composer)
        self.composer.escape_pressed.connect(self._escape)

    def _build_actions(self) -> None:
        """Send/Stop, Regenerate, New chat and Retry, and the hint beside them."""
        self.send_button = make_button(self, "sendButton", "Send", "Send message", self._send_or_stop)
        self.send_button.setDefault(False)
        self.send_button.setToolTip("Send (Enter)")
        # Icon buttons keep the column narrow (~440 px at 1280 wide); names and tooltips say what.
        self.regenerate_button = make_icon_button(
            self, "regenerateButton", "refresh", "Regenerate last reply", self._regenerate
        )
        self.new_button = make_icon_button(
            self, "newConversationButton", "new-chat", "New conversation (Ctrl+N)",
            self.new_conversation_requested.emit,
        )
        self.retry_button = make_button(self, "retryButton", "Retry", "Retry", self.retry_requested.emit)
        self.retry_button.setProperty("compact", True)
        self.retry_button.hide()
        self.hint = HintLabel(["Enter to send · Shift+Enter for a new line", "Enter to send"], self)
        self.hint.setObjectName("chatHint")
        self.voice = VoiceControls(self)  # mic and mute beside Send, the status line above
        self.voice.toggled.connect(self.voice_toggled)
        self.voice.mute_toggled.connect(self.mute_toggled)

    def _lay_out(self) -> None:
        """History above; below it one input area (the theme restyles the two apart)."""
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(4)
        actions.addWidget(self.hint, 1)
        for button in (self.new_button, self.regenerate_button, self.retry_button,
                       self.voice.mute_button, self.voice.mic_button, self.send_button):
            actions.addWidget(button)
        # One widget below the history: the theme restyles the two apart (ui/theme/restyle.py).
        self.input_area = QWidget(self)
        self.input_area.setObjectName("chatInputArea")
        below = QVBoxLayout(self.input_area)
        below.setContentsMargins(0, 0, 0, 0)
        below.setSpacing(6)
        for widget in (self.undo_bar, self.typing, self.chip_bar, self.voice.bar, self.composer):
            below.addWidget(widget)
        below.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.input_area)

    def _build_shortcuts(self) -> None:
        """Ctrl+N starts a new conversation; Esc stops a streaming reply."""
        new_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        new_shortcut.setObjectName("newConversationShortcut")
        new_shortcut.activated.connect(self.new_conversation_requested.emit)
        self._stop_shortcut = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._stop_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._stop_shortcut.activated.connect(self._escape)
        self._stop_shortcut.setEnabled(False)

    # -- slots the window and controller call ---------------------------------------------
    def set_colors(self, colors: ThemeColors) -> None:
        """Restyle the bubbles: a repaint only, no relayout."""
        self._colors = colors
        self.delegate.set_colors(colors)
        if self._live_bubble is not None:
            self._live_bubble.set_colors(colors)
        for button in (self.new_button, self.regenerate_button):
            tint_button(button, colors["text"])
        self.voice.set_colors(colors)
        self.view.viewport().update()

    def offer_undo(self, text: str) -> None:
        """Show `text` with an Undo button for a few seconds."""
        self.undo_bar.offer(text)

    def dismiss_undo(self) -> None:
        """Take the Undo offer away."""
        self.undo_bar.dismiss()

    def set_suggestions(self, prompts: list[str]) -> None:
        """Replace the prompt chips."""
        self.chip_bar.set_chips_enabled(not self._busy)
        self.chip_bar.set_prompts(list(prompts))
        self._apply_tab_order()  # new chips join the focus chain at the window's end

    def focus_chain(self) -> list[QWidget]:
        """The panel's focusable widgets in Tab order, first to last (screen order).

        History, chips, composer, then the actions left to right (New chat, Regenerate,
        Retry, Mute, Mic, Send/Stop). The first and the last never change, so a window can
        link its own widgets to both ends once; hidden or disabled ones are skipped by Qt.
        """
        voice = self.voice
        return [self.view, *self.chip_bar.chips, self.composer, self.new_button,
                self.regenerate_button, self.retry_button, voice.mute_button, voice.mic_button,
                self.send_button]

    def _apply_tab_order(self) -> None:
        """Tab follows the screen (widgets are created in another order)."""
        chain = self.focus_chain()
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    @property
    def chips(self) -> list[QPushButton]:
        """The prompt chips (some may be hidden when they do not fit in two rows)."""
        return self.chip_bar.chips

    def set_messages(self, messages: list[ChatMessage]) -> None:
        """Show a whole conversation (one model reset; a reply still being committed is dropped)."""
        if self._commit.drop():
            self._finish_reply(None)
        self._retryable = False
        self.model.set_messages(messages)
        self.view.scroll_to_bottom()
        self._update_actions()

    def append_message(self, message: ChatMessage) -> None:
        """Add one message at the end."""
        self.flush_commit()
        self.model.drop_transient()
        self.model.append(message)
        self.view.scroll_to_bottom()
        self._update_actions()

    def remove_last_reply(self) -> None:
        """Drop the last assistant reply (before Regenerate or Retry replaces it)."""
        self.flush_commit()
        self.model.drop_transient()
        count = self.model.rowCount()
        if count and self.model.message(count - 1).role == "assistant":
            self.model.remove_last()
        self._update_actions()

    def show_error(self, message: str, retryable: bool, *, reply: bool = True) -> None:
        """An error bubble (display-only) with Retry when it makes sense (`reply`: a failed reply)."""
        self.flush_commit()
        self.typing.stop()
        self._close_live()
        self.model.drop_transient()
        self.model.append(ChatMessage("assistant", str(message),
                                      status="error" if reply else "problem"), transient=True)
        self.view.scroll_to_bottom()
        self._retryable = bool(retryable)
        self._update_actions()

    def set_busy(self, busy: bool) -> None:
        """While a reply streams, Send becomes Stop and chips and Regenerate wait."""
        self._busy = bool(busy)
        if not busy:
            self.typing.stop()
        self._update_actions()

    # -- internals ------------------------------------------------------------------------
    def _update_actions(self) -> None:
        busy = self._busy
        name = "stopButton" if busy else "sendButton"
        if self.send_button.objectName() != name:
            self.send_button.setObjectName(name)
            self.send_button.setText("Stop" if busy else "Send")
            self.send_button.setAccessibleName("Stop reply" if busy else "Send message")
            self.send_button.style().unpolish(self.send_button)
            self.send_button.style().polish(self.send_button)
        self._stop_shortcut.setEnabled(busy)
        self.chip_bar.set_chips_enabled(not busy)
        self.regenerate_button.setEnabled(not busy and self._last_reply_row() >= 0)
        self.retry_button.setVisible(self._retryable and not busy)

    def _last_reply_row(self) -> int:
        """Row of the last persistent message if it is an assistant reply, else -1."""
        row = self.model.rowCount() - 1
        while row >= 0 and self.model.is_transient(row):
            row -= 1
        if row >= 0 and self.model.message(row).role == "assistant":
            return row
        return -1

    def _submit(self, text: str) -> None:
        """Show the user's message and hand the text on (the window routes it)."""
        if self._busy or not text.strip():
            return
        self.dismiss_undo()  # a new turn: bringing the old conversation back would lose it
        self.append_message(ChatMessage("user", text))
        self.submitted.emit(text)

    def _send_from_composer(self) -> None:
        if self._busy:
            return
        text = self.composer.toPlainText().strip()
        if not text:
            return
        self.composer.clear()
        self._submit(text)

    def _send_or_stop(self) -> None:
        if self._busy:
            self.stop_requested.emit()
        else:
            self._send_from_composer()

    def _escape(self) -> None:
        if self._busy:
            self.stop_requested.emit()

    def _regenerate(self) -> None:
        if not self._busy and self._last_reply_row() >= 0:
            self.regenerate_requested.emit()

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            index = self.view.currentIndex()
        menu = self.context_menu_for(index)
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))

    def context_menu_for(self, index: QModelIndex) -> QMenu | None:
        """The actions for a message: Copy, plus Regenerate or Retry where they apply."""
        if not index.isValid():
            return None
        row = index.row()
        menu = QMenu(self)
        menu.setAccessibleName("Message actions")
        copy = menu.addAction("Copy")
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.triggered.connect(lambda: self.view.copy_row(row))
        if row == self._last_reply_row() and not self._busy:
            menu.addAction("Regenerate").triggered.connect(self._regenerate)
        if self.model.is_transient(row) and self._retryable and not self._busy:
            menu.addAction("Retry").triggered.connect(self.retry_requested.emit)
        return menu
