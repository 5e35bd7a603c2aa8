"""theme.py: one QSS from the template, a matching QPalette, idempotent apply, live scheme."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel

from presto_desktop.core.palette import derive_palette
from presto_desktop.ui.theme import manager as theme_module
from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.manager import ThemeManager, build_qpalette, build_stylesheet
from tests.ui.helpers import colors_from_roles

PALETTE = derive_palette("#c2185b")
OTHER = derive_palette("#00695c")


def colors(dark: bool = False) -> ThemeColors:
    return colors_from_roles(PALETTE.dark if dark else PALETTE.light, dark=dark)


def test_stylesheet_fills_every_placeholder():
    qss = build_stylesheet(colors(), 12)
    body = re.sub(r"/\*.*?\*/", "", qss, flags=re.DOTALL)  # the header comment names placeholders
    assert not re.findall(r"\{[a-z_0-9]+\}", body)
    assert PALETTE.light.primary in qss
    assert "font-size: 12pt" in qss


def test_stylesheet_colours_come_only_from_the_palette():
    qss = re.sub(r"/\*.*?\*/", "", build_stylesheet(colors(), 11), flags=re.DOTALL)
    allowed = {getattr(PALETTE.light, role) for role in type(PALETTE.light).model_fields}
    assert set(re.findall(r"#[0-9a-fA-F]{6}\b", qss)) <= allowed


def test_qpalette_maps_roles():
    pal = build_qpalette(colors())
    assert pal.color(QPalette.ColorRole.Window).name() == PALETTE.light.background
    assert pal.color(QPalette.ColorRole.Highlight).name() == PALETTE.light.primary
    assert pal.color(QPalette.ColorRole.Text).name() == PALETTE.light.text


def test_apply_is_one_idempotent_step(qapp, qtbot):
    manager = ThemeManager(qapp)
    emitted: list[ThemeColors] = []
    manager.theme_changed.connect(emitted.append)
    assert manager.apply(PALETTE, "light")
    assert not manager.apply(PALETTE, "light")
    assert len(emitted) == 1
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == PALETTE.light.background
    label = QLabel("x")
    qtbot.addWidget(label)
    label.show()
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == PALETTE.light.text
    assert manager.apply(OTHER)
    assert len(emitted) == 2
    assert manager.apply(font_size=15)
    assert "font-size: 15pt" in qapp.styleSheet()


def test_explicit_dark_uses_dark_variant(qapp):
    manager = ThemeManager(qapp)
    manager.apply(PALETTE, "dark")
    assert manager.colors.dark
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == PALETTE.dark.background


def test_system_scheme_change_is_followed_live(qapp, monkeypatch: pytest.MonkeyPatch):
    dark = {"on": False}
    monkeypatch.setattr(theme_module, "system_is_dark", lambda: dark["on"])
    manager = ThemeManager(qapp)
    seen: list[ThemeColors] = []
    manager.theme_changed.connect(seen.append)
    manager.apply(PALETTE, "system")
    assert not manager.colors.dark
    dark["on"] = True
    # What the platform does when the user flips the OS setting.
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert manager.colors.dark
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == PALETTE.dark.background
    assert [c.dark for c in seen] == [False, True]
    # An explicit choice ignores the system.
    manager.apply(scheme="light")
    dark["on"] = False
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert len(seen) == 3


def test_target_window_carries_the_sheet(qapp, qtbot):
    from PySide6.QtWidgets import QDialog, QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    qapp.setStyleSheet("")
    manager = ThemeManager(qapp)
    manager.set_target(window)
    manager.apply(PALETTE, "light")
    assert PALETTE.light.primary in window.styleSheet()
    assert qapp.styleSheet() == ""
    dialog = QDialog(window)
    dialog.show()
    assert dialog.palette().color(QPalette.ColorRole.Window).name() == PALETTE.light.background


def test_font_size_is_the_application_font(qapp):
    """The base size is the app font, not a `*` QSS rule (which made restyles re-font all)."""
    manager = ThemeManager(qapp)
    manager.apply(PALETTE, "light", font_size=14)
    assert qapp.font().pointSize() == 14
    assert not re.search(r"(^|\n)\s*\*\s*\{", qapp.styleSheet())
    manager.apply(font_size=11)
    assert qapp.font().pointSize() == 11
