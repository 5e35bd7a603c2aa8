"""Test-side helpers: ThemeColors from a palette model, a part dressed as in the window, the
chips shown, a collapsed dashboard, loop turns until a condition holds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton, QWidget

from presto_desktop.core.patterns import PALETTE_ROLES
from presto_desktop.ui.chat.chips import ChipFlow
from presto_desktop.ui.shell.window import MainWindow
from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.look import Look
from presto_desktop.ui.theme.manager import build_qpalette


def colors_from_roles(roles: object, *, dark: bool) -> ThemeColors:
    """Resolve every role of a palette variant (a PaletteRoles model) the way the app does."""
    return ThemeColors.from_hex({name: getattr(roles, name) for name in PALETTE_ROLES}, dark=dark)


def dress(widget: QWidget, colors: ThemeColors, font_size: int | None = None) -> Look:
    """Give a stand-alone window's parts the window's look: its palette, `Look` and, if given,
    a base text size (as the application font is in the window)."""
    widget.setPalette(build_qpalette(colors))
    if font_size is not None:
        font = QFont(widget.font())
        font.setPointSize(font_size)
        widget.setFont(font)
    look = Look(colors, font_size=widget.font().pointSize())
    look.adopt(widget)
    widget.look = look  # type: ignore[attr-defined]  # lives as long as the widget
    return look


def visible_chips(bar: ChipFlow) -> list[QPushButton]:
    """The chips shown (the rest did not fit in the bar's rows)."""
    return [chip for chip in bar.chips if not chip.isHidden()]


def dashboard_collapsed(window: MainWindow) -> bool:
    """Whether the window is too narrow for the dashboard (only the chat shows)."""
    return window.dashboard.isHidden()


def run_loop_until(loop: asyncio.AbstractEventLoop, done: Callable[[], bool],
                   timeout_s: float = 5.0) -> None:
    """Run the loop (Qt events included) until `done()` or `timeout_s`, as one run.

    qasync's loop counts as running only inside run_until_complete: a task step that a bare
    processEvents() ran between runs found no running loop, and its asyncio.to_thread raised
    RuntimeError (a CI failure of the start-up order test).
    """
    async def wait() -> None:
        deadline = time.monotonic() + timeout_s
        while not done() and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
    loop.run_until_complete(wait())
