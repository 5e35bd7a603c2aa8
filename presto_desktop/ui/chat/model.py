"""The chat history as a list model: one row per message, each with a stable content key."""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from presto_desktop.core.chat import ChatMessage

ROLE_LABELS = {"user": "You", "assistant": "Assistant"}
STATUS_LABELS = {
    "stopped": "Stopped",
    "incomplete": "Incomplete: the reply was cut off",
    "error": "Couldn't get a reply",
}
# Error bubbles: a failed reply ("error") or any other problem ("problem": start-up, a mode
# that could not be made, a setting not saved), which is no reply and so has no caption.
ERROR_STATUSES = ("error", "problem")

Index = QModelIndex | QPersistentModelIndex
# A conversation shown again (a switch back to a mode) keeps its rows' keys, so the delegate's
# laid-out documents and heights still fit: the switch's repaint then lays nothing out anew.
# Only the last rows of each conversation are remembered (they are the ones on screen).
REMEMBERED_TAIL = 200
REMEMBERED_MAX = 1000


class ChatModel(QAbstractListModel):
    """Messages in order; transient rows (error notices) are display-only, never persisted."""

    MessageRole = Qt.ItemDataRole.UserRole + 1
    SenderRole = Qt.ItemDataRole.UserRole + 2
    StatusRole = Qt.ItemDataRole.UserRole + 3
    ToolCallsRole = Qt.ItemDataRole.UserRole + 4
    # Changes whenever a row's content changes: delegates key their caches on it.
    KeyRole = Qt.ItemDataRole.UserRole + 5
    TransientRole = Qt.ItemDataRole.UserRole + 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._messages: list[ChatMessage] = []
        self._keys: list[int] = []
        self._transient: list[bool] = []
        self._next_key = itertools.count(1)
        # message id -> (key, message) of recently shown rows (REMEMBERED_TAIL above)
        self._known: dict[str, tuple[int, ChatMessage]] = {}

    # -- Qt model API -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Rows under the invisible root only."""
        return 0 if parent.isValid() else len(self._messages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Message fields by role; Display and Edit give the raw text (what Copy copies)."""
        row = index.row()
        if not index.isValid() or not 0 <= row < len(self._messages):
            return None
        message = self._messages[row]
        if role == ChatModel.KeyRole:
            return self._keys[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return message.content
        if role == ChatModel.MessageRole:
            return message
        if role == ChatModel.SenderRole:
            return message.role
        if role == ChatModel.StatusRole:
            return message.status
        if role == ChatModel.ToolCallsRole:
            return message.tool_calls
        if role == ChatModel.TransientRole:
            return self._transient[row]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            status = STATUS_LABELS.get(message.status)
            suffix = f" ({status})" if status else ""
            return f"{ROLE_LABELS.get(message.role, message.role)}{suffix}: {message.content}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable (for copy) but not editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- editing ------------------------------------------------------------------------
    def set_messages(self, messages: list[ChatMessage]) -> None:
        """Replace everything (one reset)."""
        self.beginResetModel()
        self._messages = list(messages)
        self._keys = [self._key_for(message) for message in self._messages]
        self._remember(self._messages[-REMEMBERED_TAIL:], self._keys[-REMEMBERED_TAIL:])
        self._transient = [False] * len(self._messages)
        self.endResetModel()

    def _key_for(self, message: ChatMessage) -> int:
        """The key `message` was shown with before (same id, equal content), else a new one."""
        known = self._known.get(message.id)
        if known is not None and known[1] == message:
            return known[0]
        return next(self._next_key)

    def _remember(self, messages: list[ChatMessage], keys: list[int]) -> None:
        known = self._known
        for message, key in zip(messages, keys, strict=True):
            known.pop(message.id, None)  # to the end: the oldest go first
            known[message.id] = (key, message)
        for stale in list(itertools.islice(known, max(0, len(known) - REMEMBERED_MAX))):
            del known[stale]

    def append(self, message: ChatMessage, *, transient: bool = False) -> int:
        """Add one row at the end; returns its row."""
        row = len(self._messages)
        self.beginInsertRows(QModelIndex(), row, row)
        self._messages.append(message)
        self._keys.append(next(self._next_key))
        if not transient:
            self._remember([message], self._keys[-1:])
        self._transient.append(transient)
        self.endInsertRows()
        return row

    def replace(self, row: int, message: ChatMessage) -> int:
        """Put `message` in `row` (a live voice transcript growing); returns its new key."""
        self._messages[row] = message
        self._keys[row] = next(self._next_key)  # new content: the delegate measures it anew
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
        return self._keys[row]

    def row_of(self, key: int) -> int | None:
        """The row whose content key is `key` (searched from the end), or None."""
        for row in range(len(self._keys) - 1, -1, -1):
            if self._keys[row] == key:
                return row
        return None

    def remove_last(self) -> ChatMessage | None:
        """Remove and return the last row's message."""
        if not self._messages:
            return None
        row = len(self._messages) - 1
        self.beginRemoveRows(QModelIndex(), row, row)
        message = self._messages.pop()
        self._keys.pop()
        self._transient.pop()
        self.endRemoveRows()
        return message

    def drop_transient(self) -> int:
        """Remove trailing transient rows (error notices); returns how many."""
        count = 0
        while self._transient and self._transient[-1]:
            self.remove_last()
            count += 1
        return count

    def clear(self) -> None:
        """Remove every row."""
        self.set_messages([])

    # -- reading ------------------------------------------------------------------------
    def message(self, row: int) -> ChatMessage:
        """The message at `row`."""
        return self._messages[row]

    def key(self, row: int) -> int:
        """The content key of `row`."""
        return self._keys[row]

    def is_transient(self, row: int) -> bool:
        """Whether `row` is a display-only notice."""
        return self._transient[row]

    def all_messages(self) -> list[ChatMessage]:
        """Every row's message, transient ones included (do not mutate)."""
        return self._messages

    def all_keys(self) -> list[int]:
        """Every row's content key (do not mutate)."""
        return self._keys

    def messages(self) -> list[ChatMessage]:
        """The persistent messages (transient notices left out)."""
        return [m for m, t in zip(self._messages, self._transient, strict=True) if not t]
