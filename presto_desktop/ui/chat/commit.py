"""Committing a long finished reply to the history a slice of layout per loop turn."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from presto_desktop.core.chat import ChatMessage

if TYPE_CHECKING:
    from presto_desktop.ui.chat.markdown import SafeTextDocument

COMMIT_DEFER_CHARS = 8_000  # replies this long are laid out over several loop turns
COMMIT_SLICE = 0.002  # seconds of layout per turn while committing


class SlicedCommit(QObject):
    """Lays out one reply's document COMMIT_SLICE seconds per turn, then emits `finished`.

    `settled` follows when a commit completes on its own (not after `flush`, whose caller
    goes on to change the history itself). Signals, not stored callbacks: a callback bound
    to the panel would make a reference cycle, and the garbage collector would then delete
    the panel's widgets at an arbitrary moment (even mid-paint).
    """

    finished = Signal(object, object, int)  # message, its laid-out document, the width
    settled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: tuple[ChatMessage, int, SafeTextDocument, Any] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def pending(self) -> bool:
        """Whether a reply is still being laid out."""
        return self._pending is not None

    def start(self, message: ChatMessage, width: int, doc: SafeTextDocument) -> None:
        """Begin laying out `doc` (built for `message` at `width`)."""
        self._pending = (message, width, doc, doc.begin())
        self._timer.start()

    def drop(self) -> bool:
        """Forget the pending reply; returns whether there was one."""
        if self._pending is None:
            return False
        self._pending = None
        self._timer.stop()
        return True

    def flush(self) -> None:
        """Finish the pending reply now (before anything else changes the history)."""
        if self._pending is not None:
            message, width, doc, _block = self._pending
            self.drop()
            self.finished.emit(message, doc, width)

    def _step(self) -> None:
        """Lay out for COMMIT_SLICE seconds; finish when the whole document is laid out."""
        if self._pending is None:
            return
        message, width, doc, block = self._pending
        layout = doc.documentLayout()
        deadline = time.perf_counter() + COMMIT_SLICE
        while block.isValid() and time.perf_counter() < deadline:
            layout.blockBoundingRect(block)  # lays out up to this block only
            block = block.next()
        if block.isValid():
            self._pending = (message, width, doc, block)
            self._timer.start()
            return
        self._pending = None
        self.finished.emit(message, doc, width)
        self.settled.emit()
