"""The library's row emblems (a colour dot and the mark), drawn a few per loop turn.

Each emblem is an SVG rendered into a pixmap (~2 ms); drawn with the rows, they made the
library's opening one ~25-40 ms turn. Rows show at once with an empty icon of the right size,
the selected row's emblem at once (and whenever the selection moves to a row still waiting),
and the rest fill in within a few frames.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.models import ModeSummary
from presto_desktop.ui.theme.emblems import Mark, mark_pixmap

if TYPE_CHECKING:
    from presto_desktop.core.store import ModeStore

log = logging.getLogger(__name__)

TURN_BUDGET_S = 0.004  # CPU per turn spent on emblems: the rest of the frame stays free


class RowIcons(QObject):
    """Draws the icons of a list's rows over loop turns, by the row's id."""

    def __init__(self, rows: QListWidget, draw: Callable[[str], QIcon | None]) -> None:
        super().__init__(rows)
        self._rows = rows
        self._draw = draw  # mode id -> its row icon (None: the row is gone)
        self._waiting: list[str] = []
        self._drawn: dict[str, QIcon] = {}  # kept while the list is only filtered (a search)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._turn)
        rows.currentItemChanged.connect(self._selected)
        size = rows.iconSize()
        blank = QPixmap(size.width(), size.height())
        blank.fill(Qt.GlobalColor.transparent)
        self.blank = QIcon(blank)  # a row's icon until its emblem is drawn: no text shifts

    def fill(self, first: str | None = None) -> None:
        """Give every row its icon: drawn before (kept), `first` (the selected row) now, the
        rest soon."""
        self._waiting = []
        for item in self._items():
            mode_id = str(item.data(Qt.ItemDataRole.UserRole))
            if mode_id in self._drawn:
                item.setIcon(self._drawn[mode_id])
            elif mode_id == first:
                self.draw(mode_id)
            else:
                self._waiting.append(mode_id)
        if self._waiting:
            self._timer.start()

    def forget(self) -> None:
        """Drop the icons drawn so far (the modes listed may have changed)."""
        self._drawn.clear()

    def draw(self, mode_id: str) -> None:
        """Draw `mode_id`'s row icon now."""
        if mode_id in self._waiting:
            self._waiting.remove(mode_id)
        icon = self._draw(mode_id)
        if icon is None:
            return
        self._drawn[mode_id] = icon
        for item in self._items():
            if item.data(Qt.ItemDataRole.UserRole) == mode_id:
                item.setIcon(icon)

    @property
    def pending(self) -> bool:
        """Whether some rows still wait for their icons."""
        return bool(self._waiting)

    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        """The selected row's emblem is drawn at once (arrow keys, search, `select`)."""
        mode_id = None if item is None else str(item.data(Qt.ItemDataRole.UserRole))
        if mode_id in self._waiting:
            self.draw(mode_id)

    def _turn(self) -> None:
        started = time.thread_time()
        while self._waiting and time.thread_time() - started < TURN_BUDGET_S:
            self.draw(self._waiting[0])
        if self._waiting:
            self._timer.start()

    def _items(self) -> list[QListWidgetItem]:
        rows = self._rows
        return [item for item in map(rows.item, range(rows.count())) if item is not None]


def emblem_icon(summary: ModeSummary, mark: Mark, *, dark: bool,
                ring: QColor | None = None, size: int = 28) -> QIcon:
    """The mode's primary as a dot (its colour at a glance) beside its emblem or logo."""
    pixmap = QPixmap(size * 2, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(ring, 1.5) if ring is not None else Qt.PenStyle.NoPen)
    painter.setBrush(QColor(swatch_colors(summary, dark=dark)[0]))
    painter.drawEllipse(QRectF(4.5, 4.5, size - 9, size - 9))
    painter.drawPixmap(size, 0, mark_pixmap(mark, size, 1.0))
    painter.end()
    return QIcon(pixmap)


def summary_roles(summary: ModeSummary, dark: bool) -> dict[str, str]:
    """The palette roles of a mode (its own, from the library's index) for its drawn emblem."""
    return dict(summary.dark if dark else summary.light)


def swatch_colors(summary: ModeSummary, *, dark: bool) -> tuple[str, str]:
    """The primary and secondary the mode shows in the current scheme (the variant's: a light
    seed colour is darkened for contrast in the light one)."""
    roles = summary_roles(summary, dark=dark)
    return roles["primary"], roles["secondary"]


def read_ahead(store: ModeStore) -> None:
    """The library's list (its index read, a changed file parsed) ahead of Ctrl+K (a worker
    thread)."""
    try:
        store.list_modes()
    except (PrestoError, OSError) as exc:  # the library dialog reports it when opened
        log.warning("library not read ahead: %s", exc)
