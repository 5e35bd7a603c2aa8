"""What the composition root builds after the first frame: stores, engine, controllers.

ui/app.py creates the QApplication and the window (painting the remembered first frame when
there is one), then imports this module, which brings in the models and asyncio. Everything
the first frame does not show (the engine and its lexicon or key store, the conversation, the
first chart, QtCharts, dialogs) still waits until after that frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import Settings, SettingsStore
from presto_desktop.core.store import ModeStore
from presto_desktop.engines.base import Engine, Preparer, ServerEngine
from presto_desktop.engines.deferred import DeferredEngine
from presto_desktop.engines.factory import make_engine
from presto_desktop.engines.labels import engine_label, provisional_label
from presto_desktop.ui.common.collect import kept_for_good
from presto_desktop.ui.common.turns import yield_turn
from presto_desktop.ui.replay.wiring import build_recording
from presto_desktop.ui.shell.brand_wiring import build_brand
from presto_desktop.ui.shell.demo_wiring import build_demo
from presto_desktop.ui.shell.first_frame import WindowParts, build_window, frame_of
from presto_desktop.ui.shell.history_wiring import wire_history
from presto_desktop.ui.shell.notice_bar import START_NOTICE, watch_saves
from presto_desktop.ui.shell.presenter_wiring import build_presenter
from presto_desktop.ui.shell.quiet import showing, when_quiet
from presto_desktop.ui.shell.settings_wiring import SettingsApplier
from presto_desktop.ui.shell.theme_preview import mode_controller

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from presto_desktop.core.logs import RedactingFilter
    from presto_desktop.core.secrets import KeyStore
    from presto_desktop.ui.chat.controller import ChatController
    from presto_desktop.ui.chat.panel import ChatPanel
    from presto_desktop.ui.demo.controller import DemoController
    from presto_desktop.ui.presenter.mode import PresenterMode
    from presto_desktop.ui.replay.wiring import RecordingWiring
    from presto_desktop.ui.shell.brand_wiring import BrandWiring
    from presto_desktop.ui.shell.demo_menu import DemoMenu
    from presto_desktop.ui.shell.history_wiring import ConversationTools
    from presto_desktop.ui.voice.controller import VoiceController

__all__ = ["Composition", "DeferredEngine", "engine_label", "provisional_label"]

log = logging.getLogger(__name__)
# The OpenAI engine's warm-up (imports in a worker thread) starts this long after the first
# paint, so it never competes with the first frames.
PREPARE_DELAY_S = 0.3
LIBRARY_AFTER_S = 1.5  # a new mode's library row then, off the loop (its file parsed, indexed)


class Composition:
    """Everything the window needs, built once and passed in (no singletons)."""

    # The features around the chat (`_features`): at once, or a loop turn each when started.
    voice: VoiceController
    brand: BrandWiring
    history_tools: ConversationTools | None
    replay: RecordingWiring
    demo: DemoController
    demo_menu: DemoMenu
    presenter_mode: PresenterMode

    def __init__(self, app: QApplication, paths: AppPaths, *, offline: bool,
                 persist: bool = True, store: ModeStore | None = None,
                 engine: Engine | None = None, chat: ChatController | None = None,
                 panel: ChatPanel | None = None, keys: KeyStore | None = None,
                 redactor: RedactingFilter | None = None, parts: WindowParts | None = None,
                 defer_features: bool = False) -> None:
        """`store`, `engine`, `chat`, `panel` and `keys` replace the real ones (tests pass fakes).

        `parts` is the window already shown with the remembered first frame, if any. With
        `defer_features`, `add_features` wires voice, brand kit, history, recordings, demos and
        presenter mode later, a loop turn each.
        """
        self.app, self.paths, self.offline, self.persist = app, paths, offline, persist
        self._keys, self.redactor = keys, redactor
        self.settings_store = SettingsStore(paths)
        self.settings: Settings = self.settings_store.load()
        self.store = store or ModeStore(paths)
        self.engine: Engine = engine or DeferredEngine(
            self._build_engine, provisional_label(self.settings, offline=offline))
        if parts is None:
            parts = build_window(app, font_size=self.settings.font_size,
                                 engine_label=self.engine.label, panel=panel)
        else:
            parts.theme.apply(font_size=self.settings.font_size)
            parts.window.set_engine_label(self.engine.label)
        self.parts = parts
        self.theme, self.window, self.panel = parts.theme, parts.window, parts.panel
        self.modes = mode_controller(self.store, self.engine, self.theme, remember=self._remember)
        if chat is None:
            from presto_desktop.core.conversations import ConversationStore
            from presto_desktop.session.replies import saved_with
            from presto_desktop.ui.chat.controller import ChatController

            conversations = ConversationStore(paths)
            chat = ChatController(self.engine, conversations, replies=saved_with(conversations),
                                  prefetch=self.settings.prefetch_tabs)
            # One source of the current mode: told in the same call, not steps later.
            self.modes.mode_changed.connect(chat.follow)
        self.chat = chat
        self.window.attach(modes=self.modes, chat=self.chat, store=self.store,
                           settings=self.settings, keys=lambda: self.keys)
        watch_saves(self.chat, lambda: self.window.notice_bar)
        self.chat.reply_origin.connect(self.window.header.set_reply_origin)
        # A switch once the window is painted is restyled in steps too (the restyle alone
        # took ~20 ms in one turn): the start-up's own apply, before the paint, is not.
        self.modes.mode_changed.connect(lambda mode: self.theme.apply(
            mode.palette, self.settings.theme, in_steps=self.window.shows_in_steps))
        self.modes.generation_finished.connect(lambda _mode: self._read_library_later())
        self._settings_applier = SettingsApplier(self, self._make_engine)  # ui/shell/settings_wiring
        self.window.api_key_changed.connect(self.store_api_key)
        self.window.settings_changed.connect(self.update_settings)
        self._closing: list[asyncio.Future[Any]] = []
        self._background: list[asyncio.Future[Any]] = []
        if not defer_features:
            for _ in self._features():
                pass

    def _features(self) -> Iterator[None]:
        """Wire the features around the chat, one per step (presenter mode needs the demo)."""
        from presto_desktop.ui.shell.voice_wiring import build_voice

        # Audio endpoints without a chat server (offline) use the stored or environment key.
        self.voice = build_voice(
            self.window, self.panel, self.chat, self.modes, settings=lambda: self.settings.voice,
            engine=lambda: self.engine, messages=lambda: self.chat.messages,
            key=lambda: self.keys.get() or os.environ.get("OPENAI_API_KEY", ""))
        yield
        self.brand = build_brand(self)  # "use our logo", hero imagery
        yield
        self.history_tools = wire_history(self.window, self.chat, self.modes)  # Ctrl+H, export
        yield
        self.replay = build_recording(self)  # Record demo, Play recording… (More menu)
        yield
        self.demo, self.demo_menu = build_demo(self.window, self.chat, self.modes, self._settings)
        yield
        self.presenter_mode = build_presenter(self)  # More ▸ Presenter mode (F5), on self.demo

    async def add_features(self) -> None:
        """Wire the deferred features, a loop turn each (built at once: ~15-25 ms in one turn)."""
        for _ in self._features():
            await yield_turn()

    # -- services ------------------------------------------------------------------------------
    def _settings(self) -> Settings:
        return self.settings

    @property
    def keys(self) -> KeyStore:
        """The API key store (built on first use: keyring is slow to import)."""
        if self._keys is None:
            from presto_desktop.core.secrets import KeyStore

            self._keys = KeyStore(self.paths)
        return self._keys

    def _build_engine(self) -> Engine:
        return self._make_engine()

    def _make_engine(self) -> Engine:
        # Headless runs (self-test, screenshots) stream offline replies at once and build
        # their few modes in this process; the window's are built in a worker process.
        pacing = self.settings.offline_pacing_ms / 1000 if self.persist else 0.0
        return make_engine(self.settings, force_offline=self.offline, keys=self.keys,
                           offline_chunk_delay=pacing, taken_names=self.library_names,
                           offline_worker=self.persist)

    def library_names(self) -> set[str]:
        """Company names the saved modes use (a new offline mode picks another)."""
        return {summary.company_name for summary in self.store.list_modes()}

    def _adopt(self, engine: Engine, *, warm: bool = True) -> None:
        """Hand `engine` to the controllers and the header, mask its key, warm it up later
        (unless the caller does)."""
        self.engine = engine
        self.modes.set_engine(engine)
        self.chat.set_engine(engine)
        self.window.set_engine_label(engine_label(engine))
        self.voice.refresh()  # the voice path follows the engine (offline needs an endpoint)
        key = engine.config.api_key if isinstance(engine, ServerEngine) else ""
        if key and self.redactor is not None:
            self.redactor.add_secret(key)
        if warm and isinstance(engine, Preparer):
            self._background.append(asyncio.ensure_future(self._prepare(engine)))

    async def _prepare(self, engine: Preparer, delay_s: float = PREPARE_DELAY_S) -> None:
        """Warm the engine up (openai's ~0.8 s import) after the first frames, off the loop."""
        await asyncio.sleep(delay_s)
        if engine is not self.engine:
            return  # replaced meanwhile (Settings): the new one is warmed up instead
        try:
            with kept_for_good():  # imports, lexicon, knowledge base (ui/common/collect.py)
                await engine.prepare()
        except Exception as exc:  # noqa: BLE001 - warming up is optional; the request reports
            log.warning("engine warm-up failed: %s", type(exc).__name__)

    # -- state ---------------------------------------------------------------------------------
    def _remember(self, mode_id: str) -> None:
        """Persist the last mode (not during screenshots and self-tests), off the loop."""
        self.settings.last_mode = mode_id
        if self.persist:
            self.settings_store.save_soon(self.settings)

    def start(self, mode_id: str | None, *, restore_geometry: bool = True,
              defer: bool = False) -> None:
        """Apply the requested or last mode and restore the window geometry; with `defer`,
        the engine and the conversation wait for the window's first paint."""
        if defer:
            self.window.hold_chat_until_painted()
        problem = None
        wanted = mode_id or self.settings.last_mode
        try:
            if wanted:
                self.modes.switch_to(wanted)
            else:
                self.modes.restore(None)
        except (PrestoError, OSError) as exc:
            # A broken, unreadable or missing file: open the default and say why, not silently
            # (OSError: e.g. a folder in the mode file's place, which the store does not wrap).
            which = "Mode" if mode_id else "The last mode"
            problem = f"{which} “{wanted}” was not opened ({exc}); using the default mode."
            self.modes.restore(None)
        if problem is not None:
            log.warning("%s", problem)
            if mode_id:  # asked for on the command line: the terminal and the chat hear it
                print(f"presto-desktop: {problem}", file=sys.stderr, flush=True)
                self.window.show_start_problem(problem)
            else:  # the last mode's file broke since: a notice, not a failed reply
                bar = self.window.notice_bar
                bar.show_notice(START_NOTICE, problem, "Dismiss", lambda: bar.clear(START_NOTICE))
        # restore() applies through mode_changed; make sure the theme is there even if the
        # mode was already current.
        self.theme.apply(self.modes.current.palette, self.settings.theme)
        if restore_geometry and self.settings.window_geometry:
            from PySide6.QtCore import QByteArray

            with contextlib.suppress(ValueError):
                data = QByteArray.fromBase64(self.settings.window_geometry.encode("ascii"))
                self.window.restoreGeometry(data)
        if defer:
            self.window.after_first_paint(lambda: when_quiet(
                self.window, lambda: showing(self.window),
                lambda: self.finish_start(background=True)))
        else:
            self.finish_start()

    def finish_start(self, *, background: bool = False) -> None:
        """Build the engine if it is still deferred and hand it out; pre-build the overlay.

        With `background`, the engine is built in a worker thread: probing the OS keyring
        and loading the lexicon take 100+ ms that must not freeze the freshly painted window.
        """
        _ = self.window.overlay  # so the first generation does not pay for building it
        deferred = self.engine
        if not isinstance(deferred, DeferredEngine):
            return
        if background:
            self._background.append(asyncio.ensure_future(self._build_off_loop(deferred)))
        else:
            self._adopt(self._resolve(deferred))

    @staticmethod
    def _resolve(deferred: DeferredEngine) -> Engine:
        try:
            return deferred.resolve()
        except PrestoError as exc:
            log.warning("engine not built (%s); using offline", exc)
            from presto_desktop.engines.offline import OfflineEngine

            return OfflineEngine()

    async def _build_off_loop(self, deferred: DeferredEngine) -> None:
        # One worker at a time: two at once made the loop wait longer for the GIL (measured).
        engine = await asyncio.to_thread(self._resolve, deferred)
        adopted = self.engine is deferred
        if adopted:
            self._adopt(engine, warm=False)
        # The first trigger looks the request up in the library: parsing the built-in modes
        # for it took ~10 ms on the loop at the keypress. Read the library here instead.
        try:
            await asyncio.to_thread(self._read_library)
        except Exception as exc:  # noqa: BLE001 - only a head start (the library reports it)
            log.warning("library not read ahead: %s", type(exc).__name__)
        if adopted and self.engine is engine and isinstance(engine, Preparer):
            await self._prepare(engine, delay_s=0)

    def _read_library_later(self) -> None:
        """`_read_library` in the loop's worker threads, LIBRARY_AFTER_S from now (a new mode)."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(round(LIBRARY_AFTER_S * 1000), self.window, self._read_library_now)

    def _read_library_now(self) -> None:
        # An idle thread of the loop's executor, not a new one: a thread's start() waits for
        # the GIL, 28-53 ms on the loop while other workers ran (start-up's stall stacks).
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (closing): the library reads itself when it opens
            return
        loop.run_in_executor(None, self._read_library)

    def _read_library(self) -> None:
        """The library's list (index read, new files parsed) ahead of the first Ctrl+K."""
        from presto_desktop.ui.dialogs.library_icons import read_ahead

        read_ahead(self.store)

    def save_state(self) -> None:
        """Write geometry, settings and the next start's first frame (never raises)."""
        if not self.persist:
            return
        geometry = bytes(self.window.saveGeometry().toBase64().data()).decode("ascii")
        if len(geometry) <= 4000:
            self.settings.window_geometry = geometry
        try:
            self.settings_store.save(self.settings)
        except PrestoError as exc:
            log.warning("settings not saved: %s", exc)
            return
        self.remember_frame()

    def remember_frame(self) -> None:
        """Write what the next start paints first: the current mode as shown now."""
        from presto_desktop.core.start_frame import write_start_frame

        mode = self.modes.current
        source = self.store.source_of(mode.id)
        frame = None if source is None else frame_of(
            mode, settings=self.settings, paths=self.paths, source=str(source),
            geometry=self.settings.window_geometry, engine_label=engine_label(self.engine),
            offline=self.offline)
        picture = self.paths.start_picture_file
        if frame is None:
            with contextlib.suppress(OSError):
                picture.unlink(missing_ok=True)  # of an older frame: never used again
            return
        write_start_frame(self.paths.start_frame_file, frame)
        from presto_desktop.ui.shell.frame_picture import write_picture

        try:  # at exit, the window already hidden: 80-100 ms nobody waits for (measured)
            write_picture(self.app, frame, picture)
        except Exception:  # noqa: BLE001 - a cache: the next start paints the frame's widgets
            log.exception("first frame's picture not written")
            with contextlib.suppress(OSError):
                picture.unlink(missing_ok=True)

    def store_api_key(self, key: str) -> None:
        """A key typed in Settings (empty: forget the stored one); never one from the env."""
        self._settings_applier.store_api_key(key)

    def update_settings(self, new: Settings) -> None:
        """Apply edited settings: theme and font at once, a new engine if its choice changed."""
        self._settings_applier.update_settings(new)

    def swap_engine(self, engine: Engine) -> None:
        """Use `engine` from now on; the old one's client is closed in the background."""
        old = self.engine
        self._adopt(engine)
        if old is not engine:
            self._closing.append(asyncio.ensure_future(old.aclose()))

    async def shutdown(self) -> None:
        """Save state, close the microphone, cancel work, close engine clients."""
        await self.voice.shutdown()
        self.save_state()
        for task in self._background:
            task.cancel()
        await self.modes.shutdown()
        with contextlib.suppress(Exception):
            await self.chat.shutdown()
        for task in self._closing + self._background:
            with contextlib.suppress(BaseException):
                await task
        with contextlib.suppress(Exception):
            await self.engine.aclose()
