"""The History dialog's list as model/view: one model row per conversation or search hit, painted
by a delegate (no widget per row), every string drawn as plain text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from presto_desktop.session.history import HistoryRow

DETAIL_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
PAD_X, PAD_Y, GAP = 12, 8, 3  # px around and between a row's two lines
Index = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractListModel):
    """Rows of the session's HistoryRow; a title typed in place is handed on, not stored here."""

    rename_requested = Signal(object, str)  # HistoryRow, the title typed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []

    def set_rows(self, rows: list[HistoryRow]) -> None:
        """Show `rows` instead of what was there."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> HistoryRow | None:
        """The HistoryRow in list row `row`, if any."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        """How many rows (a flat list)."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Title, detail, the row itself, or the text a screen reader says."""
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return row.title
        if role == DETAIL_ROLE:
            return row.detail
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.title}. {row.detail}"
        return None  # no tool tips: Qt guesses rich text in them

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Conversations can be renamed in place (F2); search hits only open."""
        flags = super().flags(index)
        row = self.row_at(index.row()) if index.isValid() else None
        if row is not None and row.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """A title typed in place: the dialog renames (and reloads the rows)."""
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None or role != Qt.ItemDataRole.EditRole or not isinstance(value, str):
            return False
        self.rename_requested.emit(row, value)
        return True


class HistoryDelegate(QStyledItemDelegate):
    """Paints a row as its title over a muted detail line, elided, always plain text."""

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        detail = QFont(option.font)
        detail.setPointSizeF(max(6.0, detail.pointSizeF() * 0.9))
        return title, detail

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        """Two lines and padding."""
        title, detail = self._fonts(option)
        height = QFontMetrics(title).height() + GAP + QFontMetrics(detail).height() + 2 * PAD_Y
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """The style's row background (QSS: selection, hover), then the two lines of text."""
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        title_font, detail_font = self._fonts(option)
        rect: QRect = option.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        palette: QPalette = option.palette
        painter.save()
        title_metrics, detail_metrics = QFontMetrics(title_font), QFontMetrics(detail_font)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title = title_metrics.elidedText(str(index.data() or ""), Qt.TextElideMode.ElideRight,
                                         rect.width())
        top = QRect(rect.left(), rect.top(), rect.width(), title_metrics.height())
        painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
        painter.setFont(detail_font)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        detail = detail_metrics.elidedText(str(index.data(DETAIL_ROLE) or ""),
                                           Qt.TextElideMode.ElideRight, rect.width())
        below = QRect(rect.left(), top.bottom() + GAP, rect.width(), detail_metrics.height())
        painter.drawText(below, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), detail)
        painter.restore()

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                             index: Index) -> None:
        """The title editor sits on the title line."""
        rect: QRect = option.rect
        title, _ = self._fonts(option)
        height = QFontMetrics(title).height() + 2 * GAP + 4
        editor.setGeometry(rect.left() + PAD_X - 4, rect.top() + PAD_Y - 4, rect.width() - 2 * PAD_X + 8,
                           height)
