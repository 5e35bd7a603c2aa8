"""The chat history view: rows painted by ChatDelegate, selection, scrolling, links and Ctrl+C.

The row layout it sits on (heights, tops, estimates, the live-reply tail) is RowLayoutView
in ui/chat/rows.py.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QPainter, QPalette, QRegion
from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea

from presto_desktop.ui.chat.delegate import ChatDelegate
from presto_desktop.ui.chat.model import ChatModel
from presto_desktop.ui.chat.rows import RowLayoutView

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

_ACTIVATION = (QEvent.Type.WindowActivate, QEvent.Type.WindowDeactivate)


class ChatHistoryView(RowLayoutView):
    """Virtualised chat history: our own incremental layout, painting via ChatDelegate."""

    link_clicked = Signal(str)  # an openable link was clicked (already opened)
    copy_requested = Signal(int)  # Ctrl+C on a row

    def visualRect(self, index: QModelIndex | QPersistentModelIndex) -> QRect:  # noqa: N802
        """The row's rect in viewport coordinates."""
        row = index.row() if index.isValid() else -1
        if not 0 <= row < len(self._heights):
            return QRect()
        return QRect(0, self._tops[row] - self.verticalOffset(), self.viewport().width(), self._heights[row])

    def indexAt(self, point: QPoint) -> QModelIndex:  # noqa: N802
        """The row under a viewport point."""
        y = point.y() + self.verticalOffset()
        if not self._heights or y < 0 or y >= self._tops[-1]:
            return QModelIndex()
        return self.model().index(bisect.bisect_right(self._tops, y) - 1, 0)

    def scrollTo(self, index: QModelIndex | QPersistentModelIndex,  # noqa: N802
                 hint: Any = QAbstractItemView.ScrollHint.EnsureVisible) -> None:
        """Bring a row into view."""
        row = index.row() if index.isValid() else -1
        if not 0 <= row < len(self._heights):
            return
        bar, page = self.verticalScrollBar(), self.viewport().height()
        top, height = self._tops[row], self._heights[row]
        if hint == QAbstractItemView.ScrollHint.PositionAtTop:
            bar.setValue(top)
        elif hint == QAbstractItemView.ScrollHint.PositionAtBottom:
            bar.setValue(top + height - page)
        elif hint == QAbstractItemView.ScrollHint.PositionAtCenter:
            bar.setValue(top + height // 2 - page // 2)
        elif top < bar.value():
            bar.setValue(top)
        elif top + height > bar.value() + page:
            bar.setValue(min(top, top + height - page))

    def scroll_to_bottom(self) -> None:
        """Show the newest message and follow new ones."""
        self._stick = True
        self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Any) -> QModelIndex:  # noqa: N802
        """Up/Down/Page/Home/End through rows."""
        count = len(self._heights)
        if not count:
            return QModelIndex()
        current = self.currentIndex().row() if self.currentIndex().isValid() else count
        act = QAbstractItemView.CursorAction
        page_rows = max(1, len(self._visible_rows()) - 1)
        target = {
            act.MoveUp: current - 1,
            act.MovePrevious: current - 1,
            act.MoveDown: current + 1,
            act.MoveNext: current + 1,
            act.MovePageUp: current - page_rows,
            act.MovePageDown: current + page_rows,
            act.MoveHome: 0,
            act.MoveEnd: count - 1,
        }.get(action, current)
        return self.model().index(max(0, min(count - 1, target)), 0)

    def isIndexHidden(self, index: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        """No hidden rows."""
        return False

    def setSelection(self, rect: QRect, flags: Any) -> None:  # noqa: N802
        """Select the rows a viewport rect touches."""
        top = self.indexAt(QPoint(0, rect.top()))
        bottom = self.indexAt(QPoint(0, rect.bottom()))
        if not top.isValid() and not bottom.isValid():
            return
        first = top if top.isValid() else self.model().index(0, 0)
        last = bottom if bottom.isValid() else self.model().index(len(self._heights) - 1, 0)
        self.selectionModel().select(QItemSelection(first, last), flags)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:  # noqa: N802
        """Union of the selected rows' rects."""
        region = QRegion()
        for index in selection.indexes():
            region += self.visualRect(index)
        return region

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event: Any) -> None:  # noqa: N802
        """Paint only the visible rows."""
        parts = self._parts()
        if parts is None or not self._heights:
            return
        model, delegate = parts
        if self._width != self.viewport().width():
            self._relayout()
        self._settle_visible()
        painter = QPainter(self.viewport())
        exposed = event.rect()
        for row, option in self._row_options(model):
            if option.rect.intersects(exposed):
                delegate.paint_message(painter, option, model.key(row), model.message(row),
                                       exposed)
        painter.end()

    def _row_options(self, model: ChatModel) -> Iterator[tuple[int, QStyleOptionViewItem]]:
        """Each visible row with the style option it is painted with (one option, reused)."""
        # Loaded on the first row painted (QStyle's enums cost ~25 ms; the first frame shows
        # no message) or earlier, with the late imports (ui/app.py).
        from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        selection = self.selectionModel()
        current = self.currentIndex().row()
        offset = self.verticalOffset()
        width = self.viewport().width()
        base_state = option.state
        for row in self._visible_rows():
            option.rect = QRect(0, self._tops[row] - offset, width, self._heights[row])
            state = base_state
            if selection is not None and selection.isSelected(model.index(row, 0)):
                state |= QStyle.StateFlag.State_Selected
            if row == current and self.hasFocus():
                state |= QStyle.StateFlag.State_HasFocus
            option.state = state
            yield row, option

    def draw_ahead(self) -> bool:
        """Draw the next visible row into its pixmap while a restyle holds the repaint; True
        while more rows wait.

        The restyle's repaint drew every visible row (~1 ms each, 10-15 ms in one turn): the
        restyle runs this a row per step (ui/theme/restyle.py), and the repaint copies them.
        """
        parts = self._parts()
        if parts is None or self.updatesEnabled() or not self.isVisible() or not self._heights:
            return False
        model, delegate = parts
        if self._width != self.viewport().width():
            self._relayout()
        self._settle_visible()  # as the paint will: rows drawn at their exact heights
        ratio = self.viewport().devicePixelRatioF()
        drawn = False
        for row, option in self._row_options(model):
            if delegate.kept_for(option, model.key(row), ratio):
                continue
            if drawn:
                return True
            drawn = delegate.predraw(option, model.key(row), model.message(row), ratio)
        return False

    # -- interaction --------------------------------------------------------------------
    def _anchor_at(self, pos: QPoint) -> str:
        index = self.indexAt(pos)
        delegate = self.itemDelegate()
        if not index.isValid() or not isinstance(delegate, ChatDelegate):
            return ""
        model = self.chat_model()
        row = index.row()
        return delegate.anchor_at(
            model.key(row), model.message(row), self.visualRect(index), self.font(), QPointF(pos)
        )

    def mouseMoveEvent(self, event: Any) -> None:  # noqa: N802
        """A hand cursor over openable links."""
        # Imported here: the first frame (no messages) is painted without markdown's module.
        from presto_desktop.ui.chat.markdown import is_openable_link

        href = self._anchor_at(event.position().toPoint())
        if href and is_openable_link(href):
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.viewport().unsetCursor()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:  # noqa: N802
        """A left click on an openable link opens it (the only way a link ever opens)."""
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            from presto_desktop.ui.chat.markdown import open_link

            href = self._anchor_at(event.position().toPoint())
            if href and open_link(href):
                self.link_clicked.emit(href)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        """The window's (de)activation leaves the rows as they are: they look the same."""
        # QAbstractItemView repaints the whole viewport on both. Its rows paint alike either
        # way (the palette's active and inactive colours are one), and the first Ctrl+K or
        # Ctrl+, after a switch drew every row afresh there (12-15 ms of one loop turn).
        if event.type() in _ACTIVATION and self.palette().isEqual(
                QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            return QAbstractScrollArea.viewportEvent(self, event)
        return super().viewportEvent(event)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        """Ctrl+C copies the selected message's text."""
        if event.matches(QKeySequence.StandardKey.Copy):
            index = self.currentIndex()
            if index.isValid():
                self.copy_requested.emit(index.row())
            event.accept()
            return
        super().keyPressEvent(event)

    def copy_row(self, row: int) -> None:
        """Put a message's raw text on the clipboard."""
        model = self.chat_model()
        if 0 <= row < model.rowCount():
            QGuiApplication.clipboard().setText(model.message(row).content)
