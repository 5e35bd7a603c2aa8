"""Hero imagery behind the dashboard: follows the mode, the palette on screen and Settings.

The picture is the mode's (its company seeds the pattern) in the colours the theme manager
just applied; "Background imagery" in Settings (on by default) turns it off and on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from presto_desktop.ui.theme.hero import HeroBackdrop

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.colors import ThemeColors
    from presto_desktop.ui.theme.manager import ThemeManager


class ImageryWiring(QObject):
    """Tells the dashboard's backdrop which mode, colours and setting are current."""

    def __init__(self, window: MainWindow, modes: ModeController, theme: ThemeManager,
                 settings: Callable[[], Settings]) -> None:
        super().__init__(window)
        self._theme, self._settings = theme, settings
        # The mode shown, as told (reading modes.current before start-up would pin the default).
        self._company: str | None = None
        self.backdrop = HeroBackdrop(window.dashboard, window.dashboard)
        theme.theme_changed.connect(self._colors_changed)
        modes.mode_changed.connect(self._mode_changed)
        # The edited settings themselves: the composition may store them after this runs.
        window.settings_changed.connect(self.refresh)
        self.refresh()

    def _colors_changed(self, _colors: ThemeColors) -> None:
        self.refresh()

    def _mode_changed(self, mode: Mode) -> None:
        self._company = mode.company_name
        self.refresh()

    def show_mode(self, mode: Mode) -> None:
        """Seed the backdrop from `mode` (a replay shows modes the controller does not hold)."""
        self._mode_changed(mode)

    def pending(self) -> bool:
        """Whether a backdrop is wanted and its picture is not ready yet (offscreen pictures)."""
        return self.backdrop.hero is not None and self.backdrop.current() is None

    def refresh(self, settings: Settings | None = None) -> None:
        """Show the current mode's backdrop in the applied colours, or none when turned off."""
        colors = self._theme.colors
        on = (settings or self._settings()).background_imagery
        if not on or colors is None or self._company is None:
            self.backdrop.show(None, None)
            return
        roles = {role: color.name() for role, color in colors.roles.items()}
        self.backdrop.show(self._company, roles)
