"""Test-side helpers: ThemeColors from a palette model, the chips shown, a collapsed dashboard."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from presto_desktop.core.patterns import PALETTE_ROLES
from presto_desktop.ui.chat.chips import ChipFlow
from presto_desktop.ui.shell.window import MainWindow
from presto_desktop.ui.theme.colors import ThemeColors


def colors_from_roles(roles: object, *, dark: bool) -> ThemeColors:
    """Resolve every role of a palette variant (a PaletteRoles model) the way the app does."""
    return ThemeColors.from_hex({name: getattr(roles, name) for name in PALETTE_ROLES}, dark=dark)


def visible_chips(bar: ChipFlow) -> list[QPushButton]:
    """The chips shown (the rest did not fit in the bar's rows)."""
    return [chip for chip in bar.chips if not chip.isHidden()]


def dashboard_collapsed(window: MainWindow) -> bool:
    """Whether the window is too narrow for the dashboard (only the chat shows)."""
    return window.dashboard.isHidden()
