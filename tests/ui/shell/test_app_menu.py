"""The header's "More" menu: sections in a fixed order, shortcuts work."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMainWindow, QToolButton

from presto_desktop.ui.shell.app_menu import AppMenu


def test_sections_keep_their_order(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = AppMenu(QToolButton(window), window)
    window.show()
    calls: list[str] = []
    menu.add("export", "Export…", lambda: calls.append("export"))
    menu.add("conversation", "History…", lambda: calls.append("history"), shortcut="Ctrl+H")
    menu.menu.aboutToShow.emit()  # laid out when it opens
    texts = [action.text() for action in menu.menu.actions()]
    assert texts == ["History…", "", "Export…"]  # the empty text is the separator
    menu.actions("export")[0].trigger()
    assert calls == ["export"]
    history = menu.actions("conversation")[0]
    assert history.shortcut().toString() == "Ctrl+H"
    assert history in window.actions()


def test_unknown_section_is_refused(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = AppMenu(QToolButton(window), window)
    with pytest.raises(ValueError, match="unknown menu section"):
        menu.add("misc", "Thing", lambda: None)
