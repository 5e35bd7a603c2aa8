"""The one composition root: QApplication, qasync loop, stores, engine, controllers, window."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QApplication, QWidget

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import Settings, SettingsStore
from presto_desktop.core.store import ModeStore
from presto_desktop.engines.base import Engine
from presto_desktop.engines.factory import make_engine
from presto_desktop.ui.main_window import MainWindow
from presto_desktop.ui.mode_controller import ModeController
from presto_desktop.ui.theme import ThemeManager

log = logging.getLogger(__name__)
APP_TITLE = "Presto-Change-O"
SCREENSHOT_SIZE = (1280, 800)


class Composition:
    """Everything the window needs, built once and passed in (no singletons)."""

    def __init__(self, app: QApplication, paths: AppPaths, *, offline: bool,
                 persist: bool = True, store: ModeStore | None = None,
                 engine: Engine | None = None, chat: Any = None,
                 panel: QWidget | None = None) -> None:
        """`store`, `engine`, `chat` and `panel` replace the real ones (tests pass fakes)."""
        self.app, self.paths, self.offline, self.persist = app, paths, offline, persist
        self.settings_store = SettingsStore(paths)
        self.settings: Settings = self.settings_store.load()
        self.store = store or ModeStore(paths)
        self.engine: Engine = engine or make_engine(self.settings, force_offline=offline)
        self.theme = ThemeManager(app, font_size=self.settings.font_size)
        self.modes = ModeController(self.store, self.engine, remember=self._remember)
        if chat is None:
            from presto_desktop.core.conversations import ConversationStore
            from presto_desktop.ui.chat_controller import ChatController

            chat = ChatController(self.engine, ConversationStore(paths))
        if panel is None:
            from presto_desktop.ui.chat_panel import ChatPanel

            panel = ChatPanel()
        self.chat, self.panel = chat, panel
        self.window = MainWindow(modes=self.modes, chat=self.chat, chat_panel=self.panel,
                                 store=self.store, settings=self.settings,
                                 engine_label=self.engine.label)
        self.theme.set_target(self.window)
        self.theme.theme_changed.connect(self.window.set_colors)
        self.modes.mode_changed.connect(
            lambda mode: self.theme.apply(mode.palette, self.settings.theme))
        self.window.settings_changed.connect(self.update_settings)
        self._closing: list[asyncio.Task[Any]] = []

    # -- state ---------------------------------------------------------------------------------
    def _remember(self, mode_id: str) -> None:
        """Persist the last mode (not during screenshots and self-tests)."""
        self.settings.last_mode = mode_id
        if self.persist:
            self.settings_store.save(self.settings)

    def start(self, mode_id: str | None, *, restore_geometry: bool = True) -> None:
        """Apply the requested or last mode and restore the window geometry."""
        self.modes.restore(mode_id or self.settings.last_mode)
        # restore() applies through mode_changed; make sure the theme is there even if the
        # mode was already current.
        self.theme.apply(self.modes.current.palette, self.settings.theme)
        if restore_geometry and self.settings.window_geometry:
            with contextlib.suppress(ValueError):
                data = QByteArray.fromBase64(self.settings.window_geometry.encode("ascii"))
                self.window.restoreGeometry(data)

    def save_state(self) -> None:
        """Write geometry and settings (best effort: never raises on the way out)."""
        if not self.persist:
            return
        geometry = bytes(self.window.saveGeometry().toBase64()).decode("ascii")
        if len(geometry) <= 4000:
            self.settings.window_geometry = geometry
        try:
            self.settings_store.save(self.settings)
        except PrestoError as exc:
            log.warning("settings not saved: %s", exc)

    def update_settings(self, new: Settings) -> None:
        """Apply edited settings: theme and font at once, a new engine if its choice changed."""
        engine_changed = (new.engine, new.openai) != (self.settings.engine, self.settings.openai)
        for name in Settings.model_fields:
            if name not in ("last_mode", "window_geometry"):
                setattr(self.settings, name, getattr(new, name))
        if self.persist:
            try:
                self.settings_store.save(self.settings)
            except PrestoError as exc:
                self.window.chat_panel.show_error(f"Settings not saved: {exc}", False)
        self.theme.apply(scheme=self.settings.theme, font_size=self.settings.font_size)
        if engine_changed:
            self.swap_engine(make_engine(self.settings, force_offline=self.offline))

    def swap_engine(self, engine: Engine) -> None:
        """Use `engine` from now on; the old one's client is closed in the background."""
        old, self.engine = self.engine, engine
        self.modes.set_engine(engine)
        self.chat.set_engine(engine)
        self.window.set_engine_label(engine.label)
        self._closing.append(asyncio.ensure_future(old.aclose()))

    async def shutdown(self) -> None:
        """Save state, cancel work, close engine clients."""
        self.save_state()
        await self.modes.shutdown()
        with contextlib.suppress(Exception):
            await self.chat.shutdown()
        for task in self._closing:
            with contextlib.suppress(Exception):
                await task
        with contextlib.suppress(Exception):
            await self.engine.aclose()


async def _main(app: QApplication, paths: AppPaths, *, offline: bool, mode_id: str | None,
                screenshot: Path | None, self_test: bool) -> int:
    headless = screenshot is not None or self_test
    comp = Composition(app, paths, offline=offline or self_test, persist=not headless)
    closed = asyncio.Event()
    comp.window.closing.connect(closed.set)
    app.aboutToQuit.connect(closed.set)
    app.aboutToQuit.connect(comp.save_state)
    code = 0
    try:
        comp.start(mode_id, restore_geometry=not headless)
        if self_test:
            from presto_desktop.ui.selftest import run_self_test

            code, line = await run_self_test(comp)
            print(line, flush=True)
        elif screenshot is not None:
            from presto_desktop.ui.selftest import take_screenshot

            code, line = await take_screenshot(comp, screenshot, SCREENSHOT_SIZE)
            if code:
                print(line, file=sys.stderr, flush=True)
        else:
            comp.window.show()
            await closed.wait()
    finally:
        app.aboutToQuit.disconnect(closed.set)
        app.aboutToQuit.disconnect(comp.save_state)
        comp.window.hide()
        await comp.shutdown()
        comp.window.deleteLater()
    return code


def run_gui(*, paths: AppPaths, offline: bool, mode_id: str | None, screenshot: Path | None,
            self_test: bool) -> int:
    """Open the window (or take a screenshot / run the self-test); returns the exit code."""
    import qasync

    if (screenshot is not None or self_test) and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("presto-desktop")
    app.setApplicationDisplayName(APP_TITLE)
    # Closing the window ends our coroutine, which then shuts down; Qt must not quit first.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        with loop:
            return loop.run_until_complete(
                _main(app, paths, offline=offline, mode_id=mode_id, screenshot=screenshot,
                      self_test=self_test))
    except RuntimeError as exc:
        # app.quit() from outside (e.g. the session ending) stops the loop early.
        log.warning("event loop ended early: %s", exc)
        return 0
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
        asyncio.set_event_loop(None)
