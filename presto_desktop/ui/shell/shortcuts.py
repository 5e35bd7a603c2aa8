"""The window's keyboard shortcuts: Quit (Ctrl+Q), the mode library (Ctrl+K), Settings (Ctrl+,)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow


def add_shortcuts(window: QMainWindow, *, library: Callable[[], object],
                  settings: Callable[[], object]) -> QAction:
    """Give `window` its Quit action and the dialog shortcuts; returns the Quit action."""
    quit_action = QAction("Quit Presto-Change-O", window)
    quit_action.setObjectName("quitAction")
    quit_action.setShortcut(QKeySequence("Ctrl+Q"))
    # The window's own shortcut (not application-wide): another window's Ctrl+Q would
    # make the key ambiguous, and then neither fires.
    quit_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    quit_action.setToolTip("Quit (Ctrl+Q)")
    quit_action.triggered.connect(window.close)
    window.addAction(quit_action)
    for keys, slot, name in (("Ctrl+K", library, "Open mode library"),
                             ("Ctrl+,", settings, "Open settings")):
        shortcut = QShortcut(QKeySequence(keys), window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(slot)
        shortcut.setObjectName(name)
    return quit_action
