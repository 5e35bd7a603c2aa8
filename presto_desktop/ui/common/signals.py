"""Ctrl+C and SIGTERM close the window the normal way (its shutdown then runs as usual)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

# While Qt's loop runs C++ code, Python only notices a signal when it next runs: a timer
# this often gives it the chance, so Ctrl+C in the terminal closes the window promptly.
SIGNAL_POLL_MS = 200


@contextlib.contextmanager
def closing_on_signals(window: QWidget) -> Iterator[None]:
    """Ctrl+C (SIGINT) and SIGTERM close the window, which then shuts down cleanly."""
    import signal

    from PySide6.QtCore import QTimer

    loop = asyncio.get_running_loop()

    def close(_signum: int, _frame: object) -> None:
        # Not from inside the handler: on the loop, like any other event.
        loop.call_soon_threadsafe(window.close)

    kinds = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    previous = {kind: signal.signal(kind, close) for kind in kinds}
    ticker = QTimer()
    ticker.timeout.connect(lambda: None)
    ticker.start(SIGNAL_POLL_MS)
    try:
        yield
    finally:
        ticker.stop()
        for kind, handler in previous.items():
            signal.signal(kind, handler)
