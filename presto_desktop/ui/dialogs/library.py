"""The mode library (Ctrl+K): search, apply, regenerate, delete, import and export."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.icon_names import icon_path_name
from presto_desktop.core.mode_transfer import ModeConflictError, export_mode, load_import
from presto_desktop.core.models import Mode, ModeSummary
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.common.polish import hold_polish
from presto_desktop.ui.common.turns import next_turn
from presto_desktop.ui.common.viewport import own_viewport
from presto_desktop.ui.dialogs.library_icons import RowIcons, emblem_icon, summary_roles
from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.emblems import Mark, drawn_mark, mode_mark


class LibraryDialog(QDialog):
    """Lists the store's modes; file actions run here, apply/regenerate are emitted as intents."""

    apply_requested = Signal(str)
    regenerate_requested = Signal(str)
    deleted = Signal(str)
    replaced = Signal(str)  # an import overwrote this saved mode
    cache_cleared = Signal(str)  # forget this mode's cached answers

    def __init__(self, store: ModeStore, current_id: str, parent: QWidget | None = None,
                 *, confirm_delete: bool = True, colors: ThemeColors | None = None) -> None:
        """`colors` (the window's) pick the light or dark swatches and their outline."""
        super().__init__(parent)
        self._colors = colors
        self.setWindowTitle("Mode library")
        self.setObjectName("libraryDialog")
        self.setAccessibleName("Mode library")
        self._store = store
        self._current_id = current_id
        self._confirm = confirm_delete
        self._summaries: list[ModeSummary] = []
        self._generated: Mapping[str, Mark] = {}
        self.share: Callable[[Mode], Mode] = lambda mode: mode  # what Export writes
        self._conflict_buttons: dict[str, QAbstractButton] = {}
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search modes…")
        self.search.setAccessibleName("Search modes")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        own_viewport(self.list)  # before anything asks for it (ui/common/viewport.py)
        self.list.setAccessibleName("Modes")
        self.list.setIconSize(QSize(56, 28))
        self._build_message()
        row = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self._connect()
        self.resize(620, 480)
        self.icons = RowIcons(self.list, self._icon_for)
        self.reload()
        self.search.setFocus()

    def _build_message(self) -> None:
        """The note under the list."""
        # Messages quote file names and validation errors (untrusted): a padded, styled
        # note (QSS #libraryMessage) whose label only ever shows plain text.
        self.message = QFrame(self)
        self.message.setObjectName("libraryMessage")
        self.message.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.message.setProperty("kind", "info")
        self.error = QLabel("", self.message)
        self.error.setObjectName("libraryMessageText")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setAccessibleName("Library message")
        note = QHBoxLayout(self.message)
        note.setContentsMargins(14, 10, 14, 10)
        note.addWidget(self.error)
        self.message.hide()

    def _build_buttons(self) -> QHBoxLayout:
        """The row of actions, Apply the default."""
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text in (("apply", "&Apply"), ("regenerate", "&Regenerate"),
                          ("delete", "&Delete…"), ("forget", "&Forget answers"),
                          ("import", "&Import…"),
                          ("export", "&Export…"), ("close", "Close")):
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setAutoDefault(False)
            self.buttons[key] = button
            row.addWidget(button)
        self.buttons["apply"].setDefault(True)
        return row

    def _connect(self) -> None:
        """Search filters, selection updates the buttons, each button does its action."""
        self.search.textChanged.connect(self._filter)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.list.itemActivated.connect(lambda _item: self.apply_selected())
        self.buttons["apply"].clicked.connect(self.apply_selected)
        self.buttons["regenerate"].clicked.connect(self.regenerate_selected)
        self.buttons["delete"].clicked.connect(self.delete_selected)
        self.buttons["forget"].clicked.connect(self.forget_answers)
        self.buttons["forget"].setToolTip("Forget this mode's cached and prefetched answers: "
                                          "every question is asked again")
        self.buttons["import"].clicked.connect(lambda: self.import_file())
        self.buttons["export"].clicked.connect(lambda: self.export_selected())
        self.buttons["close"].clicked.connect(self.reject)

    def open_in_turns(self) -> None:
        """Polish (the window's sheet, ui/theme/restyle.py) on the next loop turn, show on the
        one after (polished and shown in one turn, the first open took ~17 ms)."""
        def polish() -> None:
            self.ensurePolished()
            next_turn(self, self.open)

        hold_polish(self)  # else Qt polishes the new dialog in this very pass (ui/common/polish.py)
        next_turn(self, polish)

    # -- listing -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read the store and refill the list."""
        try:
            self._summaries = self._store.list_modes()
        except PrestoError as exc:
            self._summaries = []
            self.show_message(str(exc), error=True)
        self.icons.forget()  # imported, replaced or deleted modes: their emblems afresh
        self._filter(self.search.text())

    def _filter(self, text: str) -> None:
        needle = " ".join(text.lower().split())
        selected = self.selected_id()
        self.list.clear()
        for summary in self._summaries:
            hay = f"{summary.name} {summary.company_name} {summary.industry} {summary.tagline} {summary.id}".lower()
            if needle and needle not in hay:
                continue
            badge = " · built-in" if summary.builtin else ""
            current = " · current" if summary.id == self._current_id else ""
            item = QListWidgetItem(self.icons.blank,
                                   f"{summary.company_name}\n{summary.name}{badge}{current}")
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{summary.company_name}, {summary.name}{badge}{current}")
            self.list.addItem(item)
            if summary.id == (selected or self._current_id):
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.icons.fill(self.selected_id())
        self._update_buttons()

    def _icon_for(self, mode_id: str) -> QIcon | None:
        return next((self._row_icon(s) for s in self._summaries if s.id == mode_id), None)

    def _row_icon(self, summary: ModeSummary) -> QIcon:
        dark = self._colors is not None and self._colors.dark
        ring = self._colors["text_muted"] if self._colors is not None else None
        return emblem_icon(summary, self._mark(summary, dark), dark=dark, ring=ring)

    def use_generated(self, marks: Mapping[str, Mark], share: Callable[[Mode], Mode]) -> None:
        """Rows show the image model's marks shown this session; Export embeds via `share`."""
        self._generated, self.share = marks, share
        for mode_id in list(marks):
            self.refresh_mark(mode_id)

    def refresh_mark(self, mode_id: str) -> None:
        """Repaint one row's emblem (its generated mark came or went)."""
        self.icons.draw(mode_id)

    def _mark(self, summary: ModeSummary, dark: bool) -> Mark:
        """The mode's logo or mark (read from its file), generated mark, or drawn emblem."""
        roles = summary_roles(summary, dark)
        if not summary.has_logo and summary.id in self._generated:
            return self._generated[summary.id]  # what the header showed for it
        if summary.has_logo:
            try:
                return mode_mark(self._store.get(summary.id), roles)
            except PrestoError:
                pass  # listed but unreadable now: the drawn emblem instead
        icon = summary.icon or icon_path_name(summary.industry.strip().lower())
        return drawn_mark(summary.id, summary.company_name, icon, roles)

    def selected_id(self) -> str | None:
        """The highlighted mode's id."""
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select(self, mode_id: str) -> bool:
        """Highlight `mode_id` if listed."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == mode_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def _update_buttons(self, *_args: object) -> None:
        mode_id = self.selected_id()
        builtin = mode_id is not None and self._store.is_builtin(mode_id)
        for key in ("apply", "export", "forget"):
            self.buttons[key].setEnabled(mode_id is not None)
        self.buttons["regenerate"].setEnabled(mode_id is not None and not builtin)
        self.buttons["delete"].setEnabled(mode_id is not None and not builtin)

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Show an error or a note inside the dialog (plain text); "" hides it."""
        self.error.setText(text)
        kind = "error" if error else "info"
        if self.message.property("kind") != kind:
            self.message.setProperty("kind", kind)
            self.message.style().unpolish(self.message)  # the [kind] rule applies anew
            self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    # -- actions -------------------------------------------------------------------------------
    def apply_selected(self) -> None:
        """Ask for the highlighted mode to be applied, and close."""
        mode_id = self.selected_id()
        if mode_id:
            self.apply_requested.emit(mode_id)
            self.accept()

    def forget_answers(self) -> None:
        """Forget the highlighted mode's cached answers (its conversation stays)."""
        mode_id = self.selected_id()
        if mode_id:
            self.cache_cleared.emit(mode_id)
            self.show_message("Cached answers forgotten: the next questions are asked afresh.")

    def regenerate_selected(self) -> None:
        """Ask for the highlighted mode to be generated afresh, and close."""
        mode_id = self.selected_id()
        if mode_id and not self._store.is_builtin(mode_id):
            self.regenerate_requested.emit(mode_id)
            self.accept()

    def confirm_box(self, mode_id: str) -> QMessageBox:
        """The delete confirmation; plain text, since company names are untrusted."""
        company = next((s.company_name for s in self._summaries if s.id == mode_id), "")
        named = f"“{company}” ({mode_id})" if company else f"“{mode_id}”"
        box = QMessageBox(QMessageBox.Icon.Question, "Delete mode",
                          f"Delete the mode {named}? This cannot be undone.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAccessibleName("Confirm delete")
        return box

    def delete_selected(self) -> bool:
        """Delete the highlighted saved mode after confirmation."""
        mode_id = self.selected_id()
        if not mode_id:
            return False
        if self._confirm:
            box = self.confirm_box(mode_id)
            box.exec()
            if box.clickedButton() is not box.button(QMessageBox.StandardButton.Yes):
                return False
        try:
            self._store.delete(mode_id)
        except PrestoError as exc:
            self.show_message(str(exc), error=True)
            return False
        self.show_message(f"Deleted {mode_id}.")
        self.deleted.emit(mode_id)
        self.reload()
        return True

    def import_file(self, path: Path | None = None, on_conflict: str | None = None) -> str | None:
        """Import a JSON mode file (asks for one when `path` is None); returns the saved id.

        If a different mode already has its id, `on_conflict` ("replace", "keep" or "cancel")
        decides, or the question is asked (Replace / Keep both / Cancel).
        """
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Import mode", "",
                                                  "Mode files (*.json);;All files (*)")
            if not name:
                return None
            path = Path(name)
        try:
            mode = load_import(Path(path))
            try:
                result = self._store.import_mode(mode, "error")
            except ModeConflictError as conflict:
                choice = on_conflict or self._ask_conflict(mode.id, conflict.builtin)
                if choice == "cancel":
                    self.show_message(f"Import cancelled: {mode.id} is unchanged.")
                    return None
                replace = choice == "replace" and not conflict.builtin
                result = self._store.import_mode(mode, "replace" if replace else "rename")
        except PrestoError as exc:
            self.show_message(f"Import failed: {exc}", error=True)
            return None
        verb = "Replaced" if result.outcome == "replaced" else "Imported"
        self.show_message(f"{verb} {result.mode.company_name} as {result.mode.id}.")
        self.reload()
        self.select(result.mode.id)
        if result.outcome == "replaced":
            self.replaced.emit(result.mode.id)
        return result.mode.id

    def _ask_conflict(self, mode_id: str, builtin: bool) -> str:
        """Replace, keep or cancel: the question, answered by the person."""
        company = next((s.company_name for s in self._summaries if s.id == mode_id), "")
        box = self.conflict_box(mode_id, company, builtin=builtin)
        box.exec()
        clicked = box.clickedButton()
        return next((key for key, button in self._conflict_buttons.items()
                     if button is clicked), "cancel")

    def conflict_box(self, mode_id: str, company: str, *, builtin: bool = False) -> QMessageBox:
        """Replace / Keep both / Cancel for an import whose id is taken (plain text)."""
        text = (f"The library already has a mode “{mode_id}” ({company}). "
                + ("It is built in: keep both, importing this one under a new id?" if builtin
                   else "Replace it with the imported one, or keep both (under a new id)?"))
        box = QMessageBox(QMessageBox.Icon.Question, "Import mode", text,
                          QMessageBox.StandardButton.NoButton, self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAccessibleName("Mode already in the library")
        self._conflict_buttons = {}
        if not builtin:
            self._conflict_buttons["replace"] = box.addButton(
                "&Replace", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep both", QMessageBox.ButtonRole.AcceptRole)
        self._conflict_buttons["keep"] = keep
        self._conflict_buttons["cancel"] = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.setEscapeButton(self._conflict_buttons["cancel"])
        return box

    def export_selected(self, path: Path | None = None) -> Path | None:
        """Export the highlighted mode to a JSON file (asks where when `path` is None)."""
        mode_id = self.selected_id()
        if not mode_id:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export mode", f"{mode_id}.json",
                                                  "Mode files (*.json)")
            if not name:
                return None
            path = Path(name)
        try:
            written = export_mode(self.share(self._store.get(mode_id)), path)
        except PrestoError as exc:
            self.show_message(f"Export failed: {exc}", error=True)
            return None
        self.show_message(f"Exported to {written}.")
        return written
