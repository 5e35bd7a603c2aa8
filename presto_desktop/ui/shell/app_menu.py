"""The header's "More" menu: features add their actions to named sections, in a fixed order.

One place for the actions that need no button of their own (conversation history, demo
scripts, presenter mode, brand kit, exports), so each feature package adds its actions from
its own wiring module instead of growing the header.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

# The order sections appear in; a separator goes between sections that have actions.
SECTIONS = ("conversation", "demo", "brand", "export")


class AppMenu:
    """The menu behind the header's "More" button, in sections."""

    def __init__(self, button: QToolButton, window: QWidget) -> None:
        """Attach a menu to `button`; shortcuts of its actions work anywhere in `window`."""
        self._window = window
        self.menu = QMenu(button)
        self.menu.setObjectName("appMenu")
        self._actions: dict[str, list[QAction]] = {name: [] for name in SECTIONS}
        self._stale = False
        # Laid out when it opens: rebuilding after each of the ~20 adds cost the start-up's
        # composition turn several ms.
        self.menu.aboutToShow.connect(self._rebuild)
        button.setMenu(self.menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)

    def add(self, section: str, text: str, slot: Callable[[], object], *,
            shortcut: str = "", name: str = "") -> QAction:
        """Add an action `text` to `section`, calling `slot`; `shortcut` works window-wide."""
        if section not in self._actions:
            raise ValueError(f"unknown menu section {section!r}; one of {SECTIONS}")
        action = QAction(text, self._window)
        action.setObjectName(name or text)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # The window's own shortcut: an application-wide one would clash with the same
            # key in a second window (presenter console), and then neither fires.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self._window.addAction(action)
        action.triggered.connect(lambda _checked=False: slot())
        self._actions[section].append(action)
        self._stale = True
        return action

    def actions(self, section: str) -> list[QAction]:
        """The actions of `section`, in the order they were added."""
        return list(self._actions[section])

    def _rebuild(self) -> None:
        if not self._stale:
            return
        self._stale = False
        self.menu.clear()
        first = True
        for name in SECTIONS:
            if not self._actions[name]:
                continue
            if not first:
                self.menu.addSeparator()
            first = False
            self.menu.addActions(self._actions[name])
