"""Connects presenter mode (ui/presenter) to the main window, its More menu and the settings.

The audience window hides the header's Settings and More buttons and the Settings shortcut,
and sends its errors and its notice bar's lines to the console; "Presenter mode" (F5) sits in the More menu's demo
section. The console shows the demo controller's DemoState snapshots and sends its Next /
Auto-play / Reset to it (the console takes the clicker's keys itself).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QShortcut

from presto_desktop.engines.labels import engine_label
from presto_desktop.ui.presenter.mode import PresenterMode, PresenterParts
from presto_desktop.ui.presenter.replay_feed import ReplayFeed, Replaying

if TYPE_CHECKING:
    from presto_desktop.core.settings import Settings, SettingsStore
    from presto_desktop.engines.base import Engine
    from presto_desktop.ui.demo.controller import DemoController
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.manager import ThemeManager

PRESENTER_SHORTCUT = "F5"


class Composed(Protocol):
    """What presenter mode needs of the composition root (ui/composition.py)."""

    window: MainWindow
    theme: ThemeManager
    settings: Settings
    settings_store: SettingsStore
    engine: Engine
    demo: DemoController
    persist: bool  # False for screenshots and self-tests: choices are not saved

    @property
    def replay(self) -> Replaying:
        """The recordings' wiring: its runner's replays show on the console too."""
        ...


def _route_errors(window: MainWindow) -> Callable[[Callable[[str], None] | None], None]:
    def route(sink: Callable[[str], None] | None) -> None:
        window.error_sink = sink

    return route


class DemoIntents:
    """The console's intents (ui/presenter/console.DemoIntents) as the demo controller's calls."""

    def __init__(self, demo: DemoController) -> None:
        self._demo = demo

    def next_step(self) -> None:
        """The next step (or finish the typing, end a pause)."""
        self._demo.next()

    def toggle_auto(self) -> None:
        """Auto-play on if it is off, off if on."""
        self._demo.set_auto(not self._demo.state.auto)

    def reset(self) -> None:
        """Reset the demo to its first step."""
        self._demo.reset()


def build_presenter(comp: Composed) -> PresenterMode:
    """Presenter mode for the composition's window (after `attach`), with its More-menu action."""
    window = comp.window
    header = window.header
    settings_key = window.findChild(QShortcut, "Open settings")

    def save() -> None:
        """A screen or full-screen choice made on the console is remembered."""
        if comp.persist:
            comp.settings_store.save_soon(comp.settings)

    parts = PresenterParts(
        chrome=[header.settings_button, header.more_button],
        quiet=[settings_key] if settings_key is not None else [],
        route_errors=_route_errors(window), settings=lambda: comp.settings.presenter,
        save=save, engine_label=lambda: engine_label(comp.engine),
        route_notices=lambda sink: window.notice_bar.route_to(sink))
    mode = PresenterMode(window, comp.theme, parts)
    mode.use_stepper(DemoIntents(comp.demo))
    mode.show_state(comp.demo.state)
    comp.demo.state_changed.connect(mode.show_state)
    ReplayFeed(comp.replay.runner, mode.show_state, mode)  # a replay's steps too
    action = window.app_menu.add("demo", "Presenter mode", mode.toggle,
                                 shortcut=PRESENTER_SHORTCUT, name="presenterModeAction")
    action.setCheckable(True)
    action.setToolTip(f"Presenter mode: audience window and presenter console "
                      f"({PRESENTER_SHORTCUT}; Esc leaves)")
    mode.active_changed.connect(action.setChecked)
    # Before the window's geometry is saved on closing: the next start opens it as it was.
    window.closing.connect(mode.leave)
    return mode
