"""Library and Settings, made ready after start-up so that opening them fits in a frame.

Measured in a fresh process (session benchmark): the first Ctrl+K or Ctrl+, paid for importing
the dialog modules (10-18 ms, and PySide's import hook reading their sources) and for Qt's
first use of their widget kinds (an editable combo box alone took 8 ms), 17-54 ms in one loop
turn. Here the modules are imported in a worker thread once start-up has settled, then one
throwaway dialog of each kind is built and dropped on separate loop turns (never shown).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)
# After the first paint, the engine and its warm-up come first; the dialogs wait this long.
WARM_DELAY_MS = 1200
POLL_MS = 5
MODULES = ("presto_desktop.ui.dialogs.openai_settings", "presto_desktop.ui.dialogs.settings",
           "presto_desktop.ui.dialogs.library", "presto_desktop.core.mode_transfer")


class _NoModes:
    """A library with nothing in it: the throwaway dialog lists nothing."""

    def list_modes(self) -> list[object]:
        """No modes."""
        return []

    def is_builtin(self, _mode_id: str) -> bool:
        """Nothing is built in."""
        return False


def _import_modules(delay_s: float) -> None:
    """Import the dialog modules after `delay_s` (a worker); a failure shows when they open."""
    import importlib

    time.sleep(delay_s)
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - only a warm-up; the dialog reports for real
            log.debug("dialog warm-up: %s not imported: %s", name, type(exc).__name__)
            return


def _build_combo() -> None:
    """Qt's first editable combo box, built and dropped on a turn of its own (8 ms, alone)."""
    from PySide6.QtWidgets import QComboBox

    combo = QComboBox()
    combo.setEditable(True)
    combo.deleteLater()


def _build_settings() -> None:
    """One Settings dialog, built and dropped (Qt's first combo boxes and spin boxes)."""
    from presto_desktop.core.settings import Settings
    from presto_desktop.ui.dialogs.settings import SettingsDialog

    SettingsDialog(Settings()).deleteLater()


def _build_library() -> None:
    """One empty library dialog, built and dropped (Qt's first list widget and its icons)."""
    from presto_desktop.ui.dialogs.library import LibraryDialog

    LibraryDialog(_NoModes(), "", confirm_delete=False).deleteLater()  # type: ignore[arg-type]


class DialogWarmup(QObject):
    """Imports the dialogs off the loop, then builds one of each on later loop turns."""

    def __init__(self, parent: QObject, *, delay_ms: int = WARM_DELAY_MS) -> None:
        super().__init__(parent)
        # One build a turn; the Settings dialog's was 16 ms with its first editable combo box.
        self._steps: list[Callable[[], None]] = [_build_combo, _build_settings, _build_library]
        # Started now and waiting in the thread: a thread started from the loop later waits
        # there until it takes the GIL, tens of ms while start-up's workers run (measured).
        self._worker = threading.Thread(target=_import_modules, args=(delay_ms / 1000,),
                                        name="presto-dialogs", daemon=True)
        self._worker.start()
        self.done = False
        QTimer.singleShot(delay_ms + POLL_MS, self, self._poll)

    def _poll(self) -> None:
        """Wait for the imports, then one build per loop turn."""
        if self._worker.is_alive():
            QTimer.singleShot(POLL_MS, self, self._poll)
            return
        if not self._steps:
            self.done = True
            return
        step = self._steps.pop(0)
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - only a warm-up; the dialog reports for real
            log.debug("dialog warm-up step failed: %s", type(exc).__name__)
        QTimer.singleShot(POLL_MS, self, self._poll)
