"""IdleWatch: the kiosk's idle timer (Settings' demo_idle_minutes; 0 = off).

After that long without a key, click, wheel or touch, `idle` is emitted: the demo resets and
plays again. The application-wide input filter is installed only while the timer is on, so a
window without a kiosk pays nothing for it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                          QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class IdleWatch(QObject):
    """Emits `idle` after `minutes` without input; any input starts the count again."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._filtering = False

    @property
    def interval_ms(self) -> int:
        """The idle time in ms (0: off)."""
        return self._timer.interval() if self._filtering else 0

    def set_minutes(self, minutes: float) -> None:
        """Start (or restart) the count with `minutes`; 0 turns the watch off."""
        ms = max(0, round(minutes * 60_000))
        app = QApplication.instance()
        if ms and not self._filtering and app is not None:
            app.installEventFilter(self)
            self._filtering = True
        elif not ms and self._filtering and app is not None:
            app.removeEventFilter(self)
            self._filtering = False
        self._timer.stop()
        if ms:
            self._timer.start(ms)

    def restart(self) -> None:
        """Count the idle time from now (after input, or after the demo has played)."""
        if self._filtering:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Input of any kind starts the count again; nothing is filtered out."""
        if event.type() in INPUT_EVENTS:
            self._timer.start()
        return False
