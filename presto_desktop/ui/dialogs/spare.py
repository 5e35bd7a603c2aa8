"""A Settings dialog built ahead on idle loop turns, so Ctrl+, only has to show it.

Measured in the session benchmark: a new SettingsDialog took ~7 ms to build, ~7 ms to take
the window's QSS when first polished and ~4 ms to show, all in one loop turn (20-26 ms of
loop CPU). The spare is built on one turn and polished (it takes the sheet) on another, well
after start-up and again after each Settings dialog closes. It is handed out only while the
settings it shows are still the current ones; its key notes are refreshed when it is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget
from shiboken6 import delete, isValid

from presto_desktop.ui.common.polish import hold_polish
from presto_desktop.ui.common.turns import next_turn

if TYPE_CHECKING:
    from presto_desktop.core.secrets import KeyStore
    from presto_desktop.core.settings import Settings
    from presto_desktop.ui.dialogs.settings import SettingsDialog

SPARE_DELAY_MS = 2500  # after the first paint: the engine's and the dialogs' warm-ups first
AGAIN_MS = 1000  # after a Settings dialog closes
POLL_MS = 50
MODULE = "presto_desktop.ui.dialogs.settings"
NOT_SHOWN = {"last_mode", "window_geometry"}  # settings the dialog neither shows nor edits


def _imported() -> bool:
    """Whether the dialog's module is fully imported (the warm-up does it on a worker thread;
    importing it here would block the loop, or wait on that thread's import lock)."""
    module = sys.modules.get(MODULE)
    spec = getattr(module, "__spec__", None)
    return module is not None and not getattr(spec, "_initializing", False) and hasattr(
        module, "SettingsDialog")


def _shown(settings: Settings) -> dict[str, object]:
    """What the dialog shows of `settings`."""
    return settings.model_dump(exclude=NOT_SHOWN)


class SpareSettings(QObject):
    """Keeps one hidden, polished SettingsDialog of the current settings ready for Ctrl+,."""

    def __init__(self, window: QWidget, settings: Callable[[], Settings],
                 keys: Callable[[], KeyStore | None]) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._keys = keys
        self._dialog: SettingsDialog | None = None
        self._shows: dict[str, object] | None = None
        self._scheduled = False

    def start(self, delay_ms: int = SPARE_DELAY_MS) -> None:
        """Build the spare `delay_ms` from now (unless one is built or on its way)."""
        if self._dialog is None and not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(delay_ms, self, self._build)

    def take(self) -> SettingsDialog | None:
        """The spare, if it still shows the current settings (else None; it is dropped)."""
        dialog, self._dialog = self._dialog, None
        if dialog is None or not isValid(dialog):
            return None
        if self._shows != _shown(self._settings()):
            dialog.deleteLater()
            return None
        dialog.openai.set_key_store(self._keys())  # a key stored or forgotten since
        return dialog

    def renew(self) -> None:
        """The theme changed: drop the spare now and build a new one later.

        Re-polishing the hidden dialog with the new sheet cost 11-15 ms of loop CPU in one
        turn; a new one takes it when first polished, on a turn of its own.
        """
        dialog, self._dialog = self._dialog, None
        if dialog is not None and isValid(dialog):
            delete(dialog)  # now: the restyle's pending step for it then skips it
            self.start(AGAIN_MS)

    def again_after(self, dialog: QObject) -> None:
        """Build the next spare once `dialog` (the one handed out) has closed."""
        dialog.destroyed.connect(lambda: self.start(AGAIN_MS) if isValid(self) else None)

    def _build(self) -> None:
        self._scheduled = False
        if self._dialog is not None or not isValid(self._window):
            return
        if not _imported():
            self._scheduled = True
            QTimer.singleShot(POLL_MS, self, self._build)
            return
        from presto_desktop.ui.dialogs.settings import SettingsDialog

        settings = self._settings()
        self._dialog = dialog = SettingsDialog(settings, self._window, keys=self._keys())
        self._shows = _shown(settings)
        hold_polish(dialog)  # the polish (and the sheet it brings) on a later turn of its own
        next_turn(self, self._polish)

    def _polish(self) -> None:
        if self._dialog is not None and isValid(self._dialog):
            # Polishing tells the window (ChildPolished), whose restyler gives it the sheet.
            self._dialog.ensurePolished()
            next_turn(self, self._lay_out)

    def _lay_out(self) -> None:
        """Size the hidden dialog now: Qt lays a hidden widget out only when it is shown."""
        if self._dialog is not None and isValid(self._dialog):
            self._dialog.adjustSize()
