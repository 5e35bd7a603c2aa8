"""Conversation history (Ctrl+H): the mode's past conversations (open, rename, delete with Undo)
and a search across every mode's conversations. Decisions live in session/history.py."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.errors import PrestoError
from presto_desktop.session.history import HistoryRow, HistoryService
from presto_desktop.ui.common.viewport import own_viewport
from presto_desktop.ui.dialogs.history_loader import LatestRows
from presto_desktop.ui.dialogs.history_model import HistoryDelegate, HistoryModel

UNDO_SECONDS = 10  # as long as the history keeps a deleted conversation (core UNDO_S)
SEARCH_DELAY_MS = 150  # typing pauses this long before every mode's conversations are read
EMPTY_LIST = "No past conversations in this mode yet. Ctrl+N keeps the current one here."
EMPTY_SEARCH = "Nothing found in any mode's conversations."
SEARCHING = "Searching…"


class HistoryDialog(QDialog):
    """Lists and searches conversations; opening one is emitted for the window to do."""

    open_requested = Signal(str, str)  # mode id, conversation id

    def __init__(self, service: HistoryService, mode_id: str, *, company: str,
                 mode_name: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.setWindowTitle(f"Conversation history — {' '.join(company.split())[:60]}")
        self.setAccessibleName("Conversation history")
        self._service, self._mode_id, self._mode_name = service, mode_id, mode_name
        self.search = QLineEdit(self)
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText("Search all conversations…")
        self.search.setAccessibleName("Search all conversations")
        self.search.setClearButtonEnabled(True)
        self.model = HistoryModel(self)
        self.list = QListView(self)
        own_viewport(self.list)  # before anything asks for it (ui/common/viewport.py)
        self.list.setObjectName("historyList")
        self.list.setAccessibleName("Conversations")
        self.list.setModel(self.model)
        self.list.setItemDelegate(HistoryDelegate(self.list))
        self.list.setUniformItemSizes(True)  # long lists lay out without measuring each row
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.empty = QLabel("", self)
        self.empty.setObjectName("historyEmpty")
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setWordWrap(True)
        self._build_note()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.note)
        layout.addLayout(self._build_buttons())
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._loader = LatestRows()  # files are read on a worker thread, the newest ask wins
        self._connect()
        self.resize(560, 520)
        self.reload()

    def _build_note(self) -> None:
        """The line under the list: what happened, with Undo after a delete."""
        self.note = QFrame(self)
        self.note.setObjectName("undoBar")  # styled like the chat's Undo bar (app.qss)
        self.note.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.note_text = QLabel("", self.note)
        self.note_text.setObjectName("undoText")
        self.note_text.setTextFormat(Qt.TextFormat.PlainText)  # it quotes titles (untrusted)
        self.note_text.setWordWrap(True)
        self.undo_button = QPushButton("Undo", self.note)
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setAccessibleName("Undo: bring the conversation back")
        self.undo_button.setAutoDefault(False)
        row = QHBoxLayout(self.note)
        row.setContentsMargins(12, 6, 6, 6)
        row.addWidget(self.note_text, 1)
        row.addWidget(self.undo_button)
        self.note_timer = QTimer(self)
        self.note_timer.setSingleShot(True)
        self.note_timer.timeout.connect(self._end_undo)
        self.note.hide()

    def _build_buttons(self) -> QHBoxLayout:
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text in (("open", "Open"), ("rename", "Rename"), ("delete", "Delete")):
            button = QPushButton(text, self)
            button.setObjectName(f"history{text}")
            button.setAccessibleName(f"{text} the selected conversation")
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QPushButton("Close", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        row.addWidget(close)
        self.buttons["open"].setDefault(True)
        return row

    def _connect(self) -> None:
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self.reload)
        self.search.installEventFilter(self)
        self.list.activated.connect(lambda _index: self.open_selected())
        self.list.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.rename_requested.connect(self.rename)
        self.model.modelReset.connect(self._update_buttons)
        self.buttons["open"].clicked.connect(self.open_selected)
        self.buttons["rename"].clicked.connect(self.rename_selected)
        self.buttons["delete"].clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo_delete)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)  # the search box deletes text
        delete.activated.connect(self.delete_selected)
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.activated.connect(self.undo_delete)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Down (or Enter) in the search box moves into the list."""
        if watched is self.search and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.model.rowCount():
                self._search_timer.stop()
                self.list.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.list.currentIndex().isValid():
                    self.list.setCurrentIndex(self.model.index(0))
                return True
        return super().eventFilter(watched, event)

    # -- what the list shows ----------------------------------------------------------------
    @property
    def searching(self) -> bool:
        """Whether the list shows search hits (else the mode's conversations)."""
        return bool(self.search.text().strip())

    def reload(self, then: Callable[[], None] | None = None) -> None:
        """Read the rows again (the mode's conversations, or the hits for the search text) off
        the GUI thread; `then` runs once they are shown. An older read still going is dropped."""
        self._search_timer.stop()
        query, mode_id, mode_name = self.search.text(), self._mode_id, self._mode_name
        searching = self.searching
        if searching:
            job = lambda: self._service.search(query, mode_name)  # noqa: E731
        else:
            job = lambda: self._service.rows(mode_id)  # noqa: E731
        if self._loader.request(job, lambda rows, error: self._show(rows, error, searching, then)):
            self.empty.setText(SEARCHING)  # quiet: the rows so far stay until the new ones come
            self.empty.show()

    @property
    def loading(self) -> bool:
        """Whether rows are still being read."""
        return self._loader.pending

    def _show(self, rows: list[HistoryRow], error: str, searching: bool,
              then: Callable[[], None] | None) -> None:
        if error:
            self.show_note(f"Conversations could not be read: {error}")
        self.model.set_rows(rows)
        self.empty.setText("" if rows else (EMPTY_SEARCH if searching else EMPTY_LIST))
        self.empty.setVisible(not rows)
        if rows:
            self.list.setCurrentIndex(self.model.index(0))
        if then is not None:
            then()

    def done(self, result: int) -> None:
        """Closing drops a read still going (its rows would reach a closed dialog)."""
        self._loader.cancel()
        super().done(result)

    def selected(self) -> HistoryRow | None:
        """The row under the cursor, if any."""
        return self.model.row_at(self.list.currentIndex().row())

    def _update_buttons(self, *_args: object) -> None:
        row = self.selected()
        self.buttons["open"].setEnabled(row is not None)
        for key in ("rename", "delete"):
            self.buttons[key].setEnabled(row is not None and row.editable)

    def show_note(self, text: str, *, undo: bool = False) -> None:
        """Say `text` under the list (with Undo for a while after a delete)."""
        self.note_text.setText(text)
        self.undo_button.setVisible(undo)
        self.note.show()
        if undo:
            self.note_timer.start(UNDO_SECONDS * 1000)

    def _end_undo(self) -> None:
        self._service.last_deleted = None
        self.note.hide()

    # -- actions ----------------------------------------------------------------------------
    def open_selected(self) -> None:
        """Open the selected conversation in the window (switching mode for another mode's)."""
        row = self.selected()
        if row is None:
            return
        self.open_requested.emit(row.mode_id, row.conversation_id)
        self.accept()

    def rename_selected(self) -> None:
        """Edit the selected conversation's title in place (Enter keeps it, Esc cancels)."""
        row = self.selected()
        if row is not None and row.editable:
            self.list.edit(self.list.currentIndex())

    def rename(self, row: HistoryRow, title: str) -> None:
        """Store `title` for `row` (an empty one goes back to its first question)."""
        try:
            self._service.rename(row, title)
        except PrestoError as exc:
            self.show_note(f"Not renamed: {exc}")
            return
        QTimer.singleShot(0, self, lambda: self._reload_at(row.conversation_id))

    def _reload_at(self, conversation_id: str) -> None:
        self.reload(then=lambda: self._select(conversation_id))

    def _select(self, conversation_id: str) -> None:
        for number in range(self.model.rowCount()):
            found = self.model.row_at(number)
            if found is not None and found.conversation_id == conversation_id:
                self.list.setCurrentIndex(self.model.index(number))

    def delete_selected(self) -> None:
        """Delete the selected conversation; Undo brings it back for a while."""
        row = self.selected()
        if row is None or not row.editable:
            return
        number = self.list.currentIndex().row()
        try:
            self._service.delete(row)
        except PrestoError as exc:
            self.show_note(f"Not deleted: {exc}")
            return
        self.reload(then=lambda: self._select_number(number))
        self.show_note(f"Deleted “{row.title}”.", undo=True)

    def _select_number(self, number: int) -> None:
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(min(number, self.model.rowCount() - 1)))

    def undo_delete(self) -> None:
        """Bring the last deleted conversation back."""
        if self._service.last_deleted is None:
            return
        self.note_timer.stop()
        try:
            deleted = self._service.undo_delete()
        except PrestoError as exc:
            self.show_note(f"Not brought back: {exc}")
            return
        self.note.hide()
        if deleted is not None:
            self._reload_at(deleted.conversation_id)
