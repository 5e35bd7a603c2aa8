"""Hero imagery behind the dashboard: follows the mode, the palette on screen and Settings.

The picture is the mode's (its company seeds the pattern) in the colours the theme manager
just applied; "Background imagery" in Settings (on by default) turns it off and on. After a
mode change it is asked for once the change's steps are done: rendered on a worker thread
meanwhile, its Python took the GIL from the loop's repaints (stalls of 25-35 ms, measured),
and the repaint showed the plain background anyway until the picture came. A picture rendered
before (a saved mode shown again) is shown at once, with the restyle's repaints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from presto_desktop.ui.common.mode_change import Step
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
        self._window, self._theme, self._settings = window, theme, settings
        self._queued = False  # a refresh waits for the mode change's steps
        # The mode shown, as told (reading modes.current before start-up would pin the default).
        self._company: str | None = None
        self.backdrop = HeroBackdrop(window.dashboard, window.dashboard)
        theme.theme_changed.connect(self._colors_changed)
        theme.repainted.connect(self._queued_refresh)
        modes.mode_changed.connect(self._mode_changed)
        # The edited settings themselves: the composition may store them after this runs.
        window.settings_changed.connect(self.refresh)
        self.refresh()

    def _colors_changed(self, _colors: ThemeColors) -> None:
        self._after_steps()

    def _mode_changed(self, mode: Mode) -> None:
        self._company = mode.company_name
        self._after_steps()

    def _after_steps(self) -> None:
        """Refresh now, or once the window's content steps and restyle repaint are done."""
        if self._ready():
            # Nothing to render: shown with the restyle, whose units' repaints paint it. After
            # them, it cost a second repaint of the whole dashboard (~10 ms) a saved switch.
            self._queued = False
            self.refresh()
            return
        if self._theme.repaint_pending:  # repainted then (also a preview held while saved)
            self._queued = True
            return
        steps = self._window.mode_change
        if steps.pending("content") or steps.pending("restyle"):
            if not self._queued:
                self._queued = True
                steps.append([Step("later:imagery", self._queued_refresh)])
            return
        self._queued = False
        self.refresh()

    def _ready(self) -> bool:
        """Whether the current mode's picture in the applied colours is rendered already."""
        wanted = self._wanted()
        return wanted is not None and self.backdrop.ready(*wanted)

    def _wanted(self, settings: Settings | None = None) -> tuple[str, dict[str, str]] | None:
        """The company and colour roles of the backdrop to show (None: imagery off)."""
        colors = self._theme.colors
        on = (settings or self._settings()).background_imagery
        if not on or colors is None or self._company is None:
            return None
        return self._company, {role: color.name() for role, color in colors.roles.items()}

    def _queued_refresh(self) -> None:
        if self._queued:
            self._queued = False
            self._after_steps()  # a restyle queued after the step goes first

    def show_mode(self, mode: Mode) -> None:
        """Seed the backdrop from `mode` (a replay shows modes the controller does not hold)."""
        self._mode_changed(mode)

    def pending(self) -> bool:
        """Whether a backdrop is wanted and its picture is not ready yet (offscreen pictures)."""
        return self.backdrop.hero is not None and self.backdrop.current() is None

    def refresh(self, settings: Settings | None = None) -> None:
        """Show the current mode's backdrop in the applied colours, or none when turned off."""
        company, roles = self._wanted(settings) or (None, None)
        self.backdrop.show(company, roles)
