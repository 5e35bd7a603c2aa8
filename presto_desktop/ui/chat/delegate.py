"""Paints chat bubbles from the palette; caches laid-out documents and heights per content key."""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyledItemDelegate

from presto_desktop.core.chat import ChatMessage
from presto_desktop.ui.chat.model import ERROR_STATUSES, STATUS_LABELS, ChatModel
from presto_desktop.ui.chat.row_pixmaps import RowPixmaps
from presto_desktop.ui.theme.colors import ThemeColors

if TYPE_CHECKING:
    # QStyle costs ~25 ms to load (its enums): the first paint shows no message, so it is
    # loaded with the late imports (ui/app.py) and here on the first message painted.
    from PySide6.QtWidgets import QStyleOptionViewItem

    # Markdown and QTextDocument (~8 ms with its enums) neither: late imports, first message.
    from presto_desktop.ui.chat.markdown import SafeTextDocument

OUTER_H = 12  # gap between a bubble and the view's side
OUTER_V = 5  # half the gap between rows
PAD_H = 12  # text inset inside a bubble
PAD_V = 8
RADIUS = 12.0
BUBBLE_FRACTION = 0.8  # widest bubble, as a share of the row
MIN_TEXT_WIDTH = 60
DOC_CACHE = 300  # laid-out documents kept (only rows near the viewport need one)
HEIGHT_CACHE = 100_000

Index = QModelIndex | QPersistentModelIndex


def status_line(message: ChatMessage) -> str:
    """The muted line under a bubble: tools it used and how it ended (plain text)."""
    parts = []
    for call in message.tool_calls:
        if call.name == "show_chart":
            title = str(call.arguments.get("title", "")).strip()[:60]
            parts.append(f"Chart: {title}" if title else "Chart")
        elif call.name == "show_metrics":
            parts.append("Updated metrics")
    label = STATUS_LABELS.get(message.status)
    if label:
        parts.append(label)
    return " · ".join(parts)


class ChatDelegate(QStyledItemDelegate):
    """User bubbles on the right, assistant bubbles on the left, colours from ThemeColors."""

    def __init__(self, colors: ThemeColors | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._colors = colors
        self._docs: OrderedDict[tuple[int, int, str], SafeTextDocument] = OrderedDict()
        self._heights: dict[tuple[int, int, str], int] = {}
        self._font_metrics: dict[str, tuple[int, int, int]] = {}
        self.kept = RowPixmaps()  # drawn rows (ui/chat/row_pixmaps.py)
        self.documents_built = 0  # for tests and benchmarks
        self.rows_drawn = 0  # rows drawn (not copied from a kept pixmap), for tests

    # -- colours ------------------------------------------------------------------------
    def set_colors(self, colors: ThemeColors) -> None:
        """Use new colours; layout is colour-free, so only the drawn rows are dropped."""
        self._colors = colors
        self.forget_drawn()

    def forget_drawn(self) -> None:
        """Drop the rows kept as pixmaps (they are drawn again when next painted)."""
        self.kept.clear()

    def _color(self, role: str, palette: QPalette, fallback: QPalette.ColorRole) -> QColor:
        if self._colors is not None:
            return self._colors[role]
        return palette.color(fallback)

    # -- geometry -----------------------------------------------------------------------
    @staticmethod
    def text_width(row_width: int) -> int:
        """Width available to a bubble's text in a row `row_width` wide."""
        bubble = min(row_width - 2 * OUTER_H, int(row_width * BUBBLE_FRACTION))
        return max(MIN_TEXT_WIDTH, bubble - 2 * PAD_H)

    def _metrics(self, font: QFont) -> tuple[int, int, int]:
        """(average char width, line spacing, status line height) for `font`, cached."""
        font_key = font.key()
        found = self._font_metrics.get(font_key)
        if found is None:
            metrics = QFontMetrics(font)
            found = (
                max(1, metrics.averageCharWidth()),
                metrics.lineSpacing(),
                QFontMetrics(_small(font)).height() + 2,
            )
            self._font_metrics[font_key] = found
        return found

    def _status_height(self, message: ChatMessage, font: QFont) -> int:
        if message.status in STATUS_LABELS or message.tool_calls:
            return self._metrics(font)[2]
        return 0

    def estimate_height(self, message: ChatMessage, row_width: int, font: QFont) -> int:
        """A cheap guess of a row's height (corrected by `exact_height` once it is seen)."""
        char_width, line_spacing, status_height = self._metrics(font)
        per_line = max(1, self.text_width(row_width) // char_width)
        text = message.content
        if len(text) > 200_000:
            text = text[:200_000]
        if len(text) < per_line and "\n" not in text:
            lines = 1
        else:
            lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
        status = status_height if (message.status in STATUS_LABELS or message.tool_calls) else 0
        return lines * line_spacing + 2 * (PAD_V + OUTER_V) + status

    def row_heights(
        self, messages: list[ChatMessage], keys: list[int], row_width: int, font: QFont
    ) -> tuple[list[int], bytearray]:
        """Heights for many rows at once (exact where cached, else estimated) and which are exact."""
        char_width, line_spacing, status_height = self._metrics(font)
        per_line = max(1, self.text_width(row_width) // char_width)
        base = 2 * (PAD_V + OUTER_V)
        font_key = font.key()
        cached = self._heights
        heights: list[int] = []
        exact = bytearray(len(messages))
        append = heights.append
        for i, (message, key) in enumerate(zip(messages, keys, strict=True)):
            known = cached.get((key, row_width, font_key))
            if known is not None:
                exact[i] = 1
                append(known)
                continue
            text = message.content
            if len(text) < per_line and "\n" not in text:
                lines = 1
            else:
                lines = sum(
                    max(1, math.ceil(len(part) / per_line)) for part in text[:200_000].split("\n")
                )
            status = status_height if (message.status in STATUS_LABELS or message.tool_calls) else 0
            append(lines * line_spacing + base + status)
        return heights, exact

    def cached_height(self, key: int, row_width: int, font_key: str) -> int | None:
        """The exact height if already measured."""
        return self._heights.get((key, row_width, font_key))

    def exact_height(self, key: int, message: ChatMessage, row_width: int, font: QFont) -> int:
        """The row's real height (lays the document out once per key, width and font)."""
        cache_key = (key, row_width, font.key())
        height = self._heights.get(cache_key)
        if height is None:
            doc = self.document(key, message, row_width, font)
            height = (
                math.ceil(doc.size().height())
                + 2 * (PAD_V + OUTER_V)
                + self._status_height(message, font)
            )
            if len(self._heights) >= HEIGHT_CACHE:
                self._heights.clear()
            self._heights[cache_key] = height
        return height

    def document(self, key: int, message: ChatMessage, row_width: int, font: QFont) -> SafeTextDocument:
        """The laid-out document for a row (LRU-cached)."""
        text_width = self.text_width(row_width)
        cache_key = (key, text_width, font.key())
        doc = self._docs.get(cache_key)
        if doc is not None:
            self._docs.move_to_end(cache_key)
            return doc
        doc = self.new_document(message, row_width, font)
        self._docs[cache_key] = doc
        if len(self._docs) > DOC_CACHE:
            self._docs.popitem(last=False)
        return doc

    def new_document(self, message: ChatMessage, row_width: int, font: QFont) -> SafeTextDocument:
        """A row's document, not cached; its layout is lazy until size() or blockBoundingRect()."""
        from presto_desktop.ui.chat.markdown import SafeTextDocument

        doc = SafeTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        # Width first: the content then lays out lazily instead of twice.
        doc.setTextWidth(self.text_width(row_width))
        if message.role == "assistant" and message.status not in ERROR_STATUSES:
            doc.set_safe_markdown(message.content)
        else:
            doc.set_safe_plain(message.content)
        self.documents_built += 1
        return doc

    def adopt(self, key: int, message: ChatMessage, row_width: int, font: QFont, doc: SafeTextDocument) -> None:
        """Cache an already laid-out document (from new_document) as row `key`'s."""
        if doc.textWidth() != self.text_width(row_width):
            return
        self._docs[(key, self.text_width(row_width), font.key())] = doc
        if len(self._docs) > DOC_CACHE:
            self._docs.popitem(last=False)
        self.exact_height(key, message, row_width, font)

    def bubble_rect(self, message: ChatMessage, doc: SafeTextDocument, row: QRect) -> QRect:
        """Where the bubble sits inside row rect `row`."""
        text_width = self.text_width(row.width())
        width = min(text_width, math.ceil(doc.idealWidth())) + 2 * PAD_H
        height = math.ceil(doc.size().height()) + 2 * PAD_V
        left = row.right() - OUTER_H - width + 1 if message.role == "user" else row.left() + OUTER_H
        return QRect(left, row.top() + OUTER_V, width, height)

    # -- Qt delegate API ----------------------------------------------------------------
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        """Exact size for the row (cached)."""
        message = index.data(ChatModel.MessageRole)
        if message is None:
            return QSize(0, 0)
        width = option.rect.width() or 400
        key = index.data(ChatModel.KeyRole)
        return QSize(width, self.exact_height(key, message, width, option.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        """Draw one bubble, its text and its status line."""
        message = index.data(ChatModel.MessageRole)
        if message is None:
            return
        key = index.data(ChatModel.KeyRole)
        self.paint_message(painter, option, key, message)

    def paint_bubble(
        self, painter: QPainter, bubble: QRect, role: str, pal: QPalette, *, error: bool = False
    ) -> QColor:
        """Fill and edge of one bubble (also the live reply's); returns its text colour."""
        if role == "user":
            fill = self._color("user_bubble", pal, QPalette.ColorRole.Highlight)
            ink = self._color("on_user_bubble", pal, QPalette.ColorRole.HighlightedText)
        else:
            fill = self._color("assistant_bubble", pal, QPalette.ColorRole.AlternateBase)
            ink = self._color("on_assistant_bubble", pal, QPalette.ColorRole.Text)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if role == "assistant" or error:
            painter.setPen(QPen(self._color("border", pal, QPalette.ColorRole.Mid), 1.0))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(bubble).adjusted(0.5, 0.5, -0.5, -0.5), RADIUS, RADIUS)
        return ink

    def paint_message(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        key: int,
        message: ChatMessage,
        exposed: QRect | None = None,
    ) -> None:
        """Draw `message` into option.rect (the view calls this directly, skipping data()).
        A row painted again is drawn once into a pixmap and copied from it after; `exposed` is
        the part of the viewport being repainted: a row drawn directly draws only the lines
        inside it.
        """
        ratio = painter.device().devicePixelRatioF()
        cache_key = RowPixmaps.key(option, key, ratio)
        if cache_key is None or self.kept.first_paint(cache_key):
            self._draw_message(painter, option, key, message, exposed)
            return
        pixmap = self.kept.get(cache_key)
        if pixmap is None:
            pixmap = self._drawn_row(option, key, message, ratio)
            self.kept.keep(cache_key, pixmap)
        painter.drawPixmap(option.rect.topLeft(), pixmap)

    def kept_for(self, option: QStyleOptionViewItem, key: int, ratio: float) -> bool:
        """Whether the row's pixmap is kept already, or it is never kept (nothing to draw)."""
        cache_key = RowPixmaps.key(option, key, ratio)
        return cache_key is None or self.kept.get(cache_key) is not None

    def predraw(self, option: QStyleOptionViewItem, key: int, message: ChatMessage,
                ratio: float) -> bool:
        """Draw a row into its pixmap before its paint (a frozen view after new colours);
        False if it is kept already or never kept."""
        cache_key = RowPixmaps.key(option, key, ratio)
        if cache_key is None or self.kept.get(cache_key) is not None:
            return False
        self.kept.keep(cache_key, self._drawn_row(option, key, message, ratio))
        return True

    def _drawn_row(self, option: QStyleOptionViewItem, key: int, message: ChatMessage,
                   ratio: float) -> QPixmap:
        """Row `key` drawn on a transparent pixmap of the row's size."""
        from PySide6.QtWidgets import QStyleOptionViewItem

        row = option.rect
        pixmap = QPixmap(math.ceil(row.width() * ratio), math.ceil(row.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        local = QStyleOptionViewItem(option)
        local.rect = QRect(0, 0, row.width(), row.height())
        painter = QPainter(pixmap)
        painter.setFont(option.font)
        self._draw_message(painter, local, key, message, None)
        painter.end()
        return pixmap

    def _draw_message(self, painter: QPainter, option: QStyleOptionViewItem, key: int,
                      message: ChatMessage, exposed: QRect | None) -> None:
        """Draw `message`'s bubble, text and status line into option.rect."""
        self.rows_drawn += 1
        row = option.rect
        font = option.font
        doc = self.document(key, message, row.width(), font)
        bubble = self.bubble_rect(message, doc, row)
        pal = option.palette
        painter.save()
        ink = self.paint_bubble(painter, bubble, message.role, pal, error=message.status in ERROR_STATUSES)
        from PySide6.QtWidgets import QStyle

        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            ring = self._color("primary", pal, QPalette.ColorRole.Highlight)
            painter.setPen(QPen(ring, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(bubble).adjusted(-2, -2, 2, 2), RADIUS + 2, RADIUS + 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        text_palette = QPalette(pal)
        text_palette.setColor(QPalette.ColorRole.Text, ink)
        text_palette.setColor(QPalette.ColorRole.WindowText, ink)
        text_palette.setColor(QPalette.ColorRole.Link, ink)
        context.palette = text_palette
        painter.translate(QPointF(bubble.left() + PAD_H, bubble.top() + PAD_V))
        clip = QRectF(0, 0, bubble.width() - PAD_H, bubble.height() - PAD_V)
        if exposed is not None:
            clip = clip.intersected(QRectF(exposed).translated(-bubble.left() - PAD_H, -bubble.top() - PAD_V))
        context.clip = clip
        doc.documentLayout().draw(painter, context)
        painter.restore()
        status = status_line(message)
        if status:
            small = _small(font)
            painter.save()
            painter.setFont(small)
            painter.setPen(self._color("text_muted", pal, QPalette.ColorRole.PlaceholderText))
            line = QRect(
                row.left() + OUTER_H,
                bubble.bottom() + 2,
                row.width() - 2 * OUTER_H,
                QFontMetrics(small).height(),
            )
            align = Qt.AlignmentFlag.AlignRight if message.role == "user" else Qt.AlignmentFlag.AlignLeft
            elided = QFontMetrics(small).elidedText(status, Qt.TextElideMode.ElideRight, line.width())
            painter.drawText(line, int(align | Qt.AlignmentFlag.AlignVCenter), elided)
            painter.restore()

    def anchor_at(self, key: int, message: ChatMessage, row: QRect, font: QFont, pos: QPointF) -> str:
        """The link href under `pos` (viewport coordinates) in the bubble drawn in `row`."""
        doc = self.document(key, message, row.width(), font)
        bubble = self.bubble_rect(message, doc, row)
        local = QPointF(pos.x() - bubble.left() - PAD_H, pos.y() - bubble.top() - PAD_V)
        return doc.documentLayout().anchorAt(local)


def _small(font: QFont) -> QFont:
    """The status line's font: a little smaller than the text."""
    small = QFont(font)
    if small.pointSizeF() > 0:
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
    else:
        small.setPixelSize(max(8, int(small.pixelSize() * 0.85)))
    return small
