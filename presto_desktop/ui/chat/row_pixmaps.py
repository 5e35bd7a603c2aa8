"""Chat rows kept as pixmaps: a row painted again is copied, not drawn (ui/chat/delegate.py).

A new bubble scrolls the view and repaints every visible row; drawing each row's text again
took 3-6 ms a frame. A row's first paint draws it directly (a view built or restyled paints
each row once, and a pixmap would only add its fill and copy, ~30% of that paint); from its
second paint on it is copied from a pixmap. Capped by pixels (~12 MB); a row taller than
PIXMAP_MAX_HEIGHT is always drawn directly (only the lines a repaint exposes).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from PySide6.QtGui import QPixmap

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStyleOptionViewItem

PIXMAP_CACHE_PIXELS = 3_000_000  # device pixels, ~12 MB
PIXMAP_MAX_HEIGHT = 1_200
SEEN_ROWS = 2_000
# (content key, width, height, font key, selected, palette key, device pixel ratio)
PixmapKey = tuple[int, int, int, str, bool, int, float]


class RowPixmaps:
    """Drawn rows by content key, size, font, selection, palette and pixel ratio (LRU)."""

    def __init__(self) -> None:
        self._pixmaps: OrderedDict[PixmapKey, QPixmap] = OrderedDict()
        self._seen: set[PixmapKey] = set()  # painted once (kept from their second paint)
        self.pixels = 0

    def __len__(self) -> int:
        return len(self._pixmaps)

    @staticmethod
    def key(option: QStyleOptionViewItem, key: int, ratio: float) -> PixmapKey | None:
        """The row's pixmap key; None for a row that is never kept (too tall, or empty)."""
        from PySide6.QtWidgets import QStyle

        row = option.rect
        if row.height() > PIXMAP_MAX_HEIGHT or row.width() <= 0 or row.height() <= 0:
            return None
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        return (key, row.width(), row.height(), option.font.key(), selected,
                option.palette.cacheKey(), ratio)

    def first_paint(self, cache_key: PixmapKey) -> bool:
        """Whether this is the row's first paint (it is then drawn directly); noted."""
        if cache_key in self._pixmaps or cache_key in self._seen:
            return False
        if len(self._seen) >= SEEN_ROWS:
            self._seen.clear()
        self._seen.add(cache_key)
        return True

    def get(self, cache_key: PixmapKey) -> QPixmap | None:
        """The kept pixmap (now the most recently used), if any."""
        pixmap = self._pixmaps.get(cache_key)
        if pixmap is not None:
            self._pixmaps.move_to_end(cache_key)
        return pixmap

    def keep(self, cache_key: PixmapKey, pixmap: QPixmap) -> None:
        """Keep a drawn row, dropping the least recently painted past the pixel cap."""
        # Device pixels: at a pixel ratio of 2 a row holds four times its logical size.
        self._pixmaps[cache_key] = pixmap
        self.pixels += pixmap.width() * pixmap.height()
        while self.pixels > PIXMAP_CACHE_PIXELS and len(self._pixmaps) > 1:
            _dropped, old = self._pixmaps.popitem(last=False)
            self.pixels -= old.width() * old.height()

    def clear(self) -> None:
        """Forget every row (new colours)."""
        self._pixmaps.clear()
        self._seen.clear()
        self.pixels = 0
