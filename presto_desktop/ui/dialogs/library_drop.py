"""A logo file dropped on a row of the mode library: that mode gets it (ui/shell/brand_wiring.py).

While a PNG/JPEG/SVG hovers over a row, the row is selected and the note under the list says
which mode would get it; anything else is not accepted (no highlight). The dialog itself is
unchanged: this watches its list's viewport.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QListWidgetItem

from presto_desktop.ui.common.drops import dropped_logo
from presto_desktop.ui.dialogs.library import LibraryDialog

_DRAGS = (QEvent.Type.DragEnter, QEvent.Type.DragMove)


class LibraryDrop(QObject):
    """Emits `dropped(mode_id, path)` when a logo file is dropped on one of `dialog`'s rows."""

    dropped = Signal(str, str)

    def __init__(self, dialog: LibraryDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        viewport = dialog.list.viewport()
        viewport.setAcceptDrops(True)
        viewport.installEventFilter(self)

    def _target(self, event: QDropEvent) -> tuple[QListWidgetItem, str] | None:
        """The row under the pointer and the logo file, when both are there."""
        path = dropped_logo(event.mimeData())
        item = self.dialog.list.itemAt(event.position().toPoint())
        return None if path is None or item is None else (item, path)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Accept a logo over a row (selecting it), drop it there; refuse anything else."""
        kind = event.type()
        if kind in _DRAGS and isinstance(event, QDragMoveEvent):
            target = self._target(event)
            if target is None:
                event.ignore()
                return True
            self.dialog.list.setCurrentItem(target[0])
            company = target[0].text().split("\n", 1)[0]
            self.dialog.show_message(f"Drop to use this logo for {company}.")
            event.acceptProposedAction()
            return True
        if kind == QEvent.Type.DragLeave:
            self.dialog.show_message("")
            return False
        if kind == QEvent.Type.Drop and isinstance(event, QDropEvent):
            target = self._target(event)
            if target is None:
                event.ignore()
                return True
            event.acceptProposedAction()
            mode_id = str(target[0].data(Qt.ItemDataRole.UserRole))
            self.dialog.show_message("Reading the logo…")
            self.dropped.emit(mode_id, target[1])
            return True
        return False
