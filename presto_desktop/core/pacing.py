"""Pacing: the one owner of "at most once per interval" for streamed replies (Qt-free).

Measured (docs/ARCHITECTURE.md): a buffered stream never yields to Qt by itself, and
per-piece appends and repaints cost far more than per-frame ones. So streamed text is handed
on at most once per frame, the loop gets a turn every few milliseconds of stream work, and the
live bubble repaints at most every LIVE_FRAME seconds: each a `Pacer` with its own interval.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

FRAME_S = 1 / 60  # streamed text is handed on at most once per frame


class Pacer:
    """Whether `interval` seconds have passed since the last `mark` (due at once before one)."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._last = -math.inf

    def wait(self) -> float:
        """Seconds until the next time is due (0 or less: due now)."""
        return self.interval - (self._clock() - self._last)

    def due(self) -> bool:
        """Whether the interval has passed since the last mark."""
        return self.wait() <= 0

    def reset(self) -> None:
        """Forget the last mark: due at once again."""
        self._last = -math.inf

    def mark(self) -> None:
        """It was done now: the next time is due `interval` seconds from here."""
        self._last = self._clock()

    def take(self) -> bool:
        """If due, mark it done now and say True; else False."""
        if not self.due():
            return False
        self.mark()
        return True
