"""Presenter mode: the main window becomes the audience window, and the console opens.

Entering hides the window's chrome (Settings, More), turns off what would open settings,
enlarges the text through the theme manager (the one owner of the stylesheet), sends the
window's errors to the console, and puts the window full screen on the chosen screen.
Leaving puts every one of those back exactly as it was (a snapshot taken on entering).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import QWidget

from presto_desktop.core.settings import PresenterSettings
from presto_desktop.session.demo_state import DemoState
from presto_desktop.ui.presenter.console import DemoIntents, PresenterConsole
from presto_desktop.ui.presenter.placement import (
    Rect,
    ScreenInfo,
    audience_screen,
    console_placement,
    presenter_font_size,
)

log = logging.getLogger(__name__)
_MAXIMIZED = Qt.WindowState.WindowMaximized
ENGINE_POLL_MS = 1000  # the console's engine status follows an engine swap within a second


class FontSizing(Protocol):
    """The theme manager as presenter mode uses it: the base font size, read and set."""

    @property
    def font_size(self) -> int:
        """The base text size in points."""
        ...

    def apply(self, *, font_size: int | None = None) -> bool:
        """Restyle with `font_size` (the palette and scheme unchanged)."""
        ...


class Switchable(Protocol):
    """A shortcut or action presenter mode turns off while presenting (e.g. Ctrl+,)."""

    def isEnabled(self) -> bool:  # noqa: N802 (Qt name)
        """Whether it is on."""
        ...

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 (Qt name)
        """Turn it on or off."""
        ...


@dataclass(frozen=True)
class PresenterParts:
    """What presenter mode changes in the window, and where it reads its settings."""

    chrome: Sequence[QWidget]  # hidden while presenting (the header's Settings and More)
    quiet: Sequence[Switchable]  # off while presenting (the Settings shortcut)
    route_errors: Callable[[Callable[[str], None] | None], None]  # None: the window's own
    settings: Callable[[], PresenterSettings]
    save: Callable[[], object]  # persist a changed screen or full-screen choice
    engine_label: Callable[[], str]
    screens: Callable[[], list[QScreen]] = QGuiApplication.screens
    route_notices: Callable[[Callable[[str], None] | None], None] = lambda _sink: None


@dataclass(frozen=True)
class WindowSnapshot:
    """The window as it was before presenter mode."""

    state: Qt.WindowState
    normal: QRect  # the geometry when neither maximised nor full screen
    screen: QScreen | None
    hidden: tuple[bool, ...]
    enabled: tuple[bool, ...]
    font_size: int


def screen_info(screen: QScreen, primary: QScreen | None) -> ScreenInfo:
    """A QScreen as placement's plain data."""
    def rect(r: QRect) -> Rect:
        return Rect(r.x(), r.y(), r.width(), r.height())

    return ScreenInfo(screen.name(), rect(screen.geometry()), rect(screen.availableGeometry()),
                      primary=screen is primary)


def _qrect(rect: Rect) -> QRect:
    return QRect(rect.x, rect.y, rect.width, rect.height)


class PresenterMode(QObject):
    """Turns `window` into the audience window and back; owns the presenter console."""

    active_changed = Signal(bool)

    def __init__(self, window: QWidget, theme: FontSizing, parts: PresenterParts, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self._window, self._theme, self._parts, self._clock = window, theme, parts, clock
        self._snapshot: WindowSnapshot | None = None
        self._state = DemoState()
        self._intents: DemoIntents | None = None
        self._console: PresenterConsole | None = None  # built on first entry
        self._leave_key = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        self._leave_key.setContext(Qt.ShortcutContext.WindowShortcut)
        self._leave_key.setEnabled(False)
        self._leave_key.activated.connect(self.leave)
        # With a reply streaming, the chat's own Esc (stop) competes: presenting, Esc leaves.
        self._leave_key.activatedAmbiguously.connect(self.leave)
        self._engine_poll = QTimer(self)
        self._engine_poll.setInterval(ENGINE_POLL_MS)
        self._engine_poll.timeout.connect(self._show_engine)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.screenAdded.connect(self._screens_changed)
            app.screenRemoved.connect(self._screens_changed)

    # -- the stepper -------------------------------------------------------------------------
    def use_stepper(self, intents: DemoIntents) -> None:
        """Send the console's Next / Auto-play / Reset to `intents` (the demo stepper)."""
        self._intents = intents

    def show_state(self, state: DemoState) -> None:
        """A new snapshot of the demo (the stepper's state_changed)."""
        self._state = state
        if self._console is not None:
            self._console.show_state(state)

    def _next(self) -> None:
        if self._intents is not None:
            self._intents.next_step()

    def _auto(self) -> None:
        if self._intents is not None:
            self._intents.toggle_auto()

    def _reset(self) -> None:
        if self._intents is not None:
            self._intents.reset()

    # -- entering and leaving ----------------------------------------------------------------
    @property
    def active(self) -> bool:
        """Whether presenter mode is on."""
        return self._snapshot is not None

    @property
    def console(self) -> PresenterConsole:
        """The presenter console (built on first use)."""
        if self._console is None:
            console = PresenterConsole(self._window, clock=self._clock)
            console.next_requested.connect(self._next)
            console.auto_requested.connect(self._auto)
            console.reset_requested.connect(self._reset)
            console.leave_requested.connect(self.leave)
            console.screen_chosen.connect(self._choose_screen)
            console.full_screen_toggled.connect(self._choose_full_screen)
            console.show_state(self._state)
            self._console = console
        return self._console

    def toggle(self) -> None:
        """Enter presenter mode, or leave it (F5)."""
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        """Make the window the audience window and open the console."""
        if self.active:
            return
        window, parts = self._window, self._parts
        self._snapshot = WindowSnapshot(
            window.windowState(), window.normalGeometry(), window.screen(),
            tuple(widget.isHidden() for widget in parts.chrome),
            tuple(item.isEnabled() for item in parts.quiet), self._theme.font_size)
        for widget in parts.chrome:
            widget.hide()
        for item in parts.quiet:
            item.setEnabled(False)
        parts.route_errors(self._error)
        parts.route_notices(self._notice)
        self._theme.apply(font_size=presenter_font_size(
            self._snapshot.font_size, parts.settings().font_size))
        self._leave_key.setEnabled(True)
        self._place()
        self._show_engine()
        self._engine_poll.start()
        self.active_changed.emit(True)

    def leave(self) -> None:
        """Put the window back exactly as it was and close the console."""
        snapshot, self._snapshot = self._snapshot, None
        if snapshot is None:
            return
        parts = self._parts
        self._engine_poll.stop()
        self._leave_key.setEnabled(False)
        if self._console is not None:
            self._console.hide()
        parts.route_errors(None)
        parts.route_notices(None)
        for widget, hidden in zip(parts.chrome, snapshot.hidden, strict=True):
            widget.setHidden(hidden)
        for item, enabled in zip(parts.quiet, snapshot.enabled, strict=True):
            item.setEnabled(enabled)
        self._theme.apply(font_size=snapshot.font_size)
        self._restore_window(snapshot)
        self.active_changed.emit(False)

    def _restore_window(self, snapshot: WindowSnapshot) -> None:
        """The window's state and normal geometry as they were (screen included)."""
        window, big = self._window, _MAXIMIZED | Qt.WindowState.WindowFullScreen
        if snapshot.state & big and window.screen() is snapshot.screen:
            window.setWindowState(snapshot.state)  # same screen: no detour through normal
            return
        window.setWindowState(snapshot.state & ~big)
        window.setGeometry(snapshot.normal)
        if snapshot.state & big:
            window.setWindowState(snapshot.state)

    def _error(self, message: str) -> None:
        """The window's error, while presenting: the console and the log, never the audience."""
        log.warning("presenter mode: %s", message)
        self.console.show_error(message)

    def _notice(self, message: str) -> None:
        """The window's notice bar line, while presenting: on the console ("" clears it)."""
        if message:
            log.info("presenter mode notice: %s", message)
        self.console.show_notice(message)

    def _show_engine(self) -> None:
        if self._console is not None:
            self._console.set_engine(self._parts.engine_label())

    # -- screens -----------------------------------------------------------------------------
    def _place(self) -> None:
        """The audience window on its screen (full screen if asked), the console beside it."""
        screens = self._parts.screens()
        if not screens or self._snapshot is None:
            return
        primary = QGuiApplication.primaryScreen()
        infos = [screen_info(screen, primary) for screen in screens]
        window, settings = self._window, self._parts.settings()
        own = window.screen()
        current = screens.index(own) if own in screens else 0
        target = audience_screen(infos, settings.screen, current)
        if target != current:
            if window.isFullScreen():
                window.showNormal()
            window.setGeometry(_qrect(infos[target].available.centered(window.width(),
                                                                       window.height())))
            handle = window.windowHandle()
            if handle is not None:
                handle.setScreen(screens[target])
        if settings.full_screen:
            window.showFullScreen()
        elif window.isFullScreen() and not self._snapshot.state & Qt.WindowState.WindowFullScreen:
            window.setWindowState(self._snapshot.state)
        self._place_console(infos, target, screens)

    def _place_console(self, infos: list[ScreenInfo], audience: int,
                       screens: list[QScreen]) -> None:
        console = self.console
        placement = console_placement(infos, audience)
        flags = Qt.WindowType.Window
        if placement.floating:
            flags |= Qt.WindowType.WindowStaysOnTopHint
        if console.windowFlags() != flags:
            console.setWindowFlags(flags)  # hides it; shown again below
        console.set_screens([info.name for info in infos], infos[audience].name,
                            self._parts.settings().full_screen)
        console.set_compact(placement.floating)
        console.setGeometry(_qrect(placement.rect))
        console.show()
        handle = console.windowHandle()
        if handle is not None and handle.screen() is not screens[placement.screen]:
            handle.setScreen(screens[placement.screen])
        console.raise_()

    def _choose_screen(self, name: str) -> None:
        self._parts.settings().screen = name
        self._parts.save()
        self._place()

    def _choose_full_screen(self, on: bool) -> None:
        self._parts.settings().full_screen = on
        self._parts.save()
        self._place()

    def _screens_changed(self, _screen: QScreen) -> None:
        """A projector plugged in or out while presenting: place both windows again."""
        if self.active:
            QTimer.singleShot(0, self, self._place)
