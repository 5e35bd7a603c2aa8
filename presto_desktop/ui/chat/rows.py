"""The row layout under the chat history: a QListView whose layout is ours, so appending a row costs O(1).

QListView re-asks every row's size hint on any insert (15 ms at 5,000 rows even with a
cached Python sizeHint). This view keeps row heights and tops in lists, estimates rows it
has not seen, measures visible rows exactly, and extends the layout on append. It keeps
QListView's selection, keyboard handling and accessibility (QAccessibleList).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from itertools import accumulate
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QListView,
    QScrollBar,
    QWidget,
)

from presto_desktop.ui.chat.delegate import ChatDelegate
from presto_desktop.ui.chat.model import ChatModel
from presto_desktop.ui.common.viewport import own_viewport

STICK_SLACK = 4  # px from the bottom that still counts as "at the bottom"



class ChatScrollBar(QScrollBar):
    """A scroll bar that keeps its width (so rows never re-wrap) but draws nothing until needed."""

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        """Nothing to scroll: leave the gutter empty instead of a full-height handle."""
        if self.maximum() > self.minimum():
            super().paintEvent(event)

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:  # noqa: N802
        """Repaint when the range appears or goes away."""
        super().sliderChange(change)
        if change == QAbstractSlider.SliderChange.SliderRangeChange:
            self.update()


class RowLayoutView(QListView):
    """A QListView laid out from our own row heights and tops; the chat view paints and interacts."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        own_viewport(self)  # before anything asks for it (ui/common/viewport.py)
        self._heights: list[int] = []
        self._tops: list[int] = [0]
        self._exact = bytearray()
        self._width = 0
        self._font_key = ""
        self._stick = True
        self._adjusting = False
        self._tail: QWidget | None = None  # the live reply, drawn as the row after the last
        self._tail_fit: Callable[[], None] | None = None  # re-sizes the tail for a new viewport
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # A scroll bar that comes and goes changes the width, and so every row's height:
        # it is always there, but drawn only when there is something to scroll.
        self.setVerticalScrollBar(ChatScrollBar(Qt.Orientation.Vertical, self))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        self.verticalScrollBar().setSingleStep(24)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- wiring -------------------------------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802
        """Attach a ChatModel and follow its row removals."""
        old = self.model()
        if old is not None:
            old.rowsRemoved.disconnect(self._on_rows_removed)
        super().setModel(model)
        if model is not None:
            model.rowsRemoved.connect(self._on_rows_removed)
        self._relayout()

    def chat_model(self) -> ChatModel:
        """The model, typed (the panel only ever gives this view a ChatModel)."""
        return cast(ChatModel, self.model())

    def _parts(self) -> tuple[ChatModel, ChatDelegate] | None:
        """The model and delegate when both are attached (not while being wired)."""
        model, delegate = self.model(), self.itemDelegate()
        if isinstance(model, ChatModel) and isinstance(delegate, ChatDelegate):
            return model, delegate
        return None

    # -- layout -------------------------------------------------------------------------
    def _row_height(self, row: int, model: ChatModel, delegate: ChatDelegate) -> int:
        key = model.key(row)
        cached = delegate.cached_height(key, self._width, self._font_key)
        if cached is not None:
            self._exact[row] = 1
            return cached
        self._exact[row] = 0
        return delegate.estimate_height(model.message(row), self._width, self.font())

    def _relayout(self) -> None:
        """Rebuild every row's height (cached exact, else estimated)."""
        model = self.model()
        self._width = self.viewport().width()
        self._font_key = self.font().key()
        count = model.rowCount() if model is not None else 0
        delegate = self.itemDelegate()
        if count and isinstance(delegate, ChatDelegate) and isinstance(model, ChatModel):
            self._heights, self._exact = delegate.row_heights(
                model.all_messages(), model.all_keys(), self._width, self.font()
            )
        else:
            self._heights, self._exact = [0] * count, bytearray(count)
        self._tops = list(accumulate(self._heights, initial=0))
        self._update_scroll_range()
        self.viewport().update()

    def _retop(self, row: int) -> None:
        """Recompute tops from `row` on."""
        del self._tops[row + 1 :]
        running = accumulate(self._heights[row:], initial=self._tops[row])
        next(running)
        self._tops.extend(running)

    # -- the tail: a widget shown as one more row (the streaming reply) -------------------
    def set_tail(self, widget: QWidget | None, fit: Callable[[], None] | None = None) -> None:
        """Show `widget` (a child of the viewport) after the last row while it is visible.

        `fit` is called when the viewport is resized, so the tail can re-size itself.
        """
        self._tail = widget
        self._tail_fit = fit
        self.tail_changed()

    def tail_changed(self) -> None:
        """The tail was shown, hidden or resized: update the scroll range and its place."""
        self._update_scroll_range()

    def _tail_height(self) -> int:
        tail = self._tail
        return tail.height() if tail is not None and not tail.isHidden() else 0

    def _place_tail(self) -> None:
        tail = self._tail
        if tail is None or tail.isHidden():
            return
        width = self.viewport().width()
        if tail.width() != width:
            tail.resize(width, tail.height())
        tail.move(0, self._tops[-1] - self.verticalOffset())

    def _update_scroll_range(self) -> None:
        bar = self.verticalScrollBar()
        page = self.viewport().height()
        stick = self._stick
        self._adjusting = True
        try:
            bar.setPageStep(max(1, page))
            bar.setRange(0, max(0, self._tops[-1] + self._tail_height() - page))
            if stick:
                bar.setValue(bar.maximum())
        finally:
            self._adjusting = False
        self._stick = stick
        self._place_tail()

    def _on_scrolled(self, value: int) -> None:
        if not self._adjusting:
            self._stick = value >= self.verticalScrollBar().maximum() - STICK_SLACK

    def _visible_rows(self) -> range:
        if not self._heights:
            return range(0)
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        last = min(len(self._heights) - 1, bisect.bisect_left(self._tops, bottom))
        return range(first, last + 1)

    def measure_row(self, row: int) -> None:
        """Measure `row` exactly now (lays its document out), so the next paint only draws.

        Used when a long reply is committed: its layout and its first paint then land in
        different event-loop turns instead of one long one.
        """
        parts = self._parts()
        if parts is None or not 0 <= row < len(self._heights):
            return
        model, delegate = parts
        if self._width != self.viewport().width():
            self._relayout()
        height = delegate.exact_height(model.key(row), model.message(row), self._width, self.font())
        self._exact[row] = 1
        if height != self._heights[row]:
            self._heights[row] = height
            self._retop(row)
            self._update_scroll_range()

    def _settle_visible(self) -> None:
        """Measure visible rows exactly; keep the top row in place (or stay at the bottom)."""
        parts = self._parts()
        if parts is None:
            return
        model, delegate = parts
        font = self.font()
        for _ in range(6):
            rows = self._visible_rows()
            changed = -1
            for row in rows:
                if self._exact[row]:
                    continue
                self._exact[row] = 1
                height = delegate.exact_height(model.key(row), model.message(row), self._width, font)
                if height != self._heights[row]:
                    self._heights[row] = height
                    changed = row if changed < 0 else min(changed, row)
            if changed < 0:
                return
            bar = self.verticalScrollBar()
            anchor = rows[0] if rows else 0
            offset = bar.value() - self._tops[anchor]
            self._retop(changed)
            bar.blockSignals(True)
            self._update_scroll_range()
            if not self._stick:
                bar.setValue(self._tops[anchor] + offset)
            bar.blockSignals(False)

    # -- QListView/QAbstractItemView overrides (its private layout is never used) ----------
    def doItemsLayout(self) -> None:  # noqa: N802
        """Our layout only: QListView's would size every row."""
        if self.viewport().width() != self._width or self.font().key() != self._font_key:
            self._relayout()
        QAbstractItemView.doItemsLayout(self)

    def reset(self) -> None:
        """Model reset: everything is new."""
        QListView.reset(self)
        self._stick = True
        self._relayout()

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:  # noqa: N802
        """Append extends the layout in O(rows added); other inserts relayout."""
        parts = self._parts()
        if parent.isValid() or parts is None:
            return
        model, delegate = parts
        if start != len(self._heights):
            self._relayout()
        else:
            stick = self._stick
            self._exact.extend(bytes(end - start + 1))
            for row in range(start, end + 1):
                height = self._row_height(row, model, delegate)
                self._heights.append(height)
                self._tops.append(self._tops[-1] + height)
            self._stick = stick
            self._update_scroll_range()
            self.viewport().update()
        QAbstractItemView.rowsInserted(self, parent, start, end)

    def rowsAboutToBeRemoved(self, parent: QModelIndex | QPersistentModelIndex, start: int,  # noqa: N802
                             end: int) -> None:
        """Let the base class fix selection and the current index."""
        QAbstractItemView.rowsAboutToBeRemoved(self, parent, start, end)

    def _on_rows_removed(self, parent: QModelIndex, start: int, end: int) -> None:
        if parent.isValid():
            return
        if end == len(self._heights) - 1:
            del self._heights[start:]
            del self._exact[start:]
            del self._tops[start + 1 :]
            self._update_scroll_range()
            self.viewport().update()
        else:
            self._relayout()

    def dataChanged(self, top_left: QModelIndex | QPersistentModelIndex,  # noqa: N802
                    bottom_right: QModelIndex | QPersistentModelIndex, roles: Any = ()) -> None:
        """Re-measure only the changed rows."""
        parts = self._parts()
        if parts is not None and self._heights:
            model, delegate = parts
            first = max(0, top_left.row())
            last = min(bottom_right.row(), len(self._heights) - 1)
            for row in range(first, last + 1):
                self._heights[row] = self._row_height(row, model, delegate)
            if first <= last:
                self._retop(first)
                self._update_scroll_range()
        QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)
        self.viewport().update()

    def updateGeometries(self) -> None:  # noqa: N802
        """Scroll range from our layout."""
        if self.viewport().width() != self._width:
            self._relayout()
        else:
            self._update_scroll_range()
        QAbstractItemView.updateGeometries(self)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        """A new width means new heights (cached per width, so resizing back is free)."""
        QAbstractItemView.resizeEvent(self, event)
        if self.viewport().width() != self._width:
            self._relayout()
        else:
            self._update_scroll_range()
        if self._tail_fit is not None and self._tail is not None and not self._tail.isHidden():
            self._tail_fit()

    def changeEvent(self, event: Any) -> None:  # noqa: N802
        """A font change relayouts."""
        super().changeEvent(event)
        if self.font().key() != self._font_key and self.model() is not None:
            self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        """Repaint at the new offset (the tail moves with the rows)."""
        self._place_tail()
        self.viewport().update()

    def viewportSizeHint(self) -> QSize:  # noqa: N802
        """The laid-out content size."""
        return QSize(self.viewport().width(), self._tops[-1] + self._tail_height())

    def horizontalOffset(self) -> int:  # noqa: N802
        """No horizontal scrolling."""
        return 0

    def verticalOffset(self) -> int:  # noqa: N802
        """Pixels scrolled."""
        return self.verticalScrollBar().value()

