"""Reply text batched per frame: the chat gets at most one piece of text per frame."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from presto_desktop.core.pacing import FRAME_S, Pacer


class FrameBatcher(QObject):
    """Collects streamed text and hands it to `emit` at most once per frame (FRAME_S)."""

    def __init__(self, emit: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._emit = emit
        self._pending = ""
        self._frames = Pacer(FRAME_S)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def start(self) -> None:
        """A reply begins: nothing pending, the first text may go at once."""
        self._pending = ""
        self._frames.mark()

    def add(self, text: str) -> None:
        """More text: emitted now if a frame has passed, else when it has."""
        self._pending += text
        wait = self._frames.wait()
        if wait <= 0:
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(max(1, int(wait * 1000)))

    def flush(self) -> None:
        """Emit what is pending now (before a tool call, at the reply's end)."""
        self._timer.stop()
        self._frames.mark()
        if self._pending:
            text, self._pending = self._pending, ""
            self._emit(text)

    def stop(self) -> None:
        """Shutting down: no flush comes later."""
        self._timer.stop()


__all__ = ["FrameBatcher"]
