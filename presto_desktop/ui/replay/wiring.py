"""Recorded demos in the window: the More menu's "Record demo", "Save recording…" and
"Play recording…", and a `.presto` file given on the command line.

A replay needs no network and no key: the engine is not used. It plays at the recorded pace
(or faster); the window shows it until "Back to live" (or a mode picked live), then shows the
live mode and conversation again. A recording that fails validation (an embedded mode too)
is refused with one line in the notice bar.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QFileDialog

from presto_desktop.core.errors import PrestoError
from presto_desktop.engines.labels import engine_label
from presto_desktop.ui.replay.recorder import WindowRecorder
from presto_desktop.ui.replay.runner import ReplayRunner
from presto_desktop.ui.replay.stage import ReplayStage, show_mode

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.core.patterns import ThemeScheme
    from presto_desktop.core.recording import Recording
    from presto_desktop.core.settings import Settings
    from presto_desktop.engines.base import Engine
    from presto_desktop.ui.shell.brand_wiring import BrandWiring
    from presto_desktop.ui.shell.demo_menu import DemoMenu
    from presto_desktop.ui.shell.imagery_wiring import ImageryWiring
    from presto_desktop.ui.shell.mode_controller import ModeController
    from presto_desktop.ui.shell.seams import WindowChat
    from presto_desktop.ui.shell.window import MainWindow
    from presto_desktop.ui.theme.manager import ThemeManager

log = logging.getLogger(__name__)
NOTICE = "recording"  # the notice bar's key for what recording and replaying say
FILTER = "Presto-Change-O recordings (*.presto);;All files (*)"
FASTER = 4.0  # "Play recording faster…"


class RecordingWiring(QObject):
    """Owns the recorder, the replay and their menu actions."""

    def __init__(self, window: MainWindow, theme: ThemeManager, modes: ModeController,
                 chat: WindowChat, *, scheme: Callable[[], ThemeScheme],
                 engine: Callable[[], Engine],
                 open_script: Callable[[Path], object] | None = None,
                 imagery: ImageryWiring | None = None) -> None:
        super().__init__(window)
        self._open_script, self._imagery = open_script, imagery
        self._window, self._theme, self._modes, self._chat = window, theme, modes, chat
        self._scheme, self._engine = scheme, engine
        self.stage = ReplayStage(window, theme, scheme,
                                 on_mode=None if imagery is None else imagery.show_mode)
        self.runner = ReplayRunner(window, self.stage,
                                   drawing=None if imagery is None else imagery.pending)
        self.recorder = WindowRecorder(window, modes, chat, self._engine_info)
        self._tasks: set[asyncio.Future[object]] = set()
        menu = window.app_menu
        self.record_action = menu.add("demo", "Record demo", self._toggle_recording,
                                      name="recordDemo")
        self.record_action.setCheckable(True)
        menu.add("demo", "Save recording…", self.ask_save, name="saveRecording")
        menu.add("demo", "Play recording…", self.ask_play, name="playRecording")
        menu.add("demo", f"Play recording {FASTER:g}× faster…",
                 lambda: self.ask_play(FASTER), name="playRecordingFaster")
        self.live_action = menu.add("demo", "Back to live", self.back_to_live, name="backToLive")
        self.live_action.setEnabled(False)
        modes.mode_changed.connect(self._live_mode)
        self.runner.finished.connect(self._replay_finished)
        # A file a second start was given arrives as a QFileOpenEvent posted to the window
        # (ui/app.py). Only the window's own events: an application-wide filter put a Python
        # call on every event of every widget (restyles, paints) and doubled loop stalls.
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """Qt's "open this file" (a second start's file, macOS): play or load it."""
        if event.type() == QEvent.Type.FileOpen and isinstance(event, QFileOpenEvent):
            self.open_path(Path(event.file()))
            return True
        return False

    def _engine_info(self) -> tuple[str, str]:
        engine = self._engine()
        return engine.kind, engine_label(engine)

    # -- recording ---------------------------------------------------------------------------
    def _toggle_recording(self) -> None:
        if self.record_action.isChecked():
            self.start_recording()
        else:
            self.stop_recording()

    def start_recording(self) -> None:
        """Record from now on (a recording not saved yet is replaced)."""
        self.recorder.start()
        self.record_action.setChecked(True)
        self._notice("Recording this demo (More ▸ Save recording… keeps it).", "Stop",
                     self.stop_recording)

    def stop_recording(self) -> None:
        """Stop recording; what was recorded can still be saved."""
        self.recorder.stop()
        self.record_action.setChecked(False)
        self._window.notice_bar.clear(NOTICE)

    def ask_save(self) -> None:
        """Ask where to save what was recorded, then save it."""
        if not self.recorder.has_events:
            self._notice("Nothing recorded yet: More ▸ Record demo starts a recording.")
            return
        path, _ = QFileDialog.getSaveFileName(self._window, "Save recording", "demo.presto",
                                              FILTER)
        if path:
            self._spawn(self.save_to(Path(path)))

    async def save_to(self, path: Path) -> bool:
        """Save the recording so far to `path` (replacing it: the dialog asked); off the loop."""
        from presto_desktop.core.recording import save_recording

        recording = self.recorder.recording(self._title())
        if recording is None:
            return False
        if path.suffix.lower() != ".presto":
            path = path.with_name(path.name + ".presto")
        try:
            await asyncio.to_thread(save_recording, recording, path, overwrite=True)
        except (PrestoError, OSError) as exc:
            self._notice(f"The recording was not saved: {exc}", "Dismiss", self._clear)
            return False
        self._notice(f"Recording saved: {path.name} ({len(recording.events)} events, "
                     f"{recording.duration:.0f} s).", "Dismiss", self._clear)
        return True

    def _title(self) -> str:
        recording = self.recorder.recording()
        company = recording.modes[0].company_name if recording and recording.modes else ""
        return f"Demo: {company}" if company else "Demo"

    # -- replay ------------------------------------------------------------------------------
    def ask_play(self, speed: float = 1.0) -> None:
        """Ask for a `.presto` file, then play it."""
        path, _ = QFileDialog.getOpenFileName(self._window, "Play recording", "", FILTER)
        if path:
            self._spawn(self.open_file(Path(path), speed=speed))

    def open_path(self, path: Path | None) -> None:
        """The command line's file, if any: a `.presto` recording plays once read; anything
        else is a demo script (`--demo`), for the demo menu."""
        if path is None:
            return
        if path.suffix.lower() != ".presto" and self._open_script is not None:
            self._open_script(path)
            return
        self._spawn(self.open_file(path))

    async def open_file(self, path: Path, *, speed: float | None = 1.0) -> bool:
        """Read `path` (off the loop) and play it; a refused file is one line in the notice bar."""
        from presto_desktop.core.recording import load_recording

        try:
            recording = await asyncio.to_thread(load_recording, path)
        except (PrestoError, OSError) as exc:
            self._notice(f"Recording refused: {exc}", "Dismiss", self._clear)
            return False
        self.play(recording, speed=speed)
        return True

    def play(self, recording: Recording, *, speed: float | None = 1.0) -> asyncio.Task[bool]:
        """Play `recording` into the window (live work in flight is stopped first)."""
        if self._modes.busy:
            self._modes.cancel()
        self._chat.stop()
        self.recorder.paused = True
        log.info("playing a recording: %d events, %.1f s, speed %s", len(recording.events),
                 recording.duration, speed)
        task = self.runner.play(recording, speed=speed)
        self.live_action.setEnabled(True)
        title = recording.title or "a recording"
        self._notice(f"Playing {title} (recorded with {recording.engine.label or 'an engine'}).",
                     "Stop", self.runner.stop)
        return task

    def _replay_finished(self, ended: bool) -> None:
        if self.runner.on_screen:
            said = "Replay finished." if ended else "Replay stopped."
            self._notice(said, "Back to live", self.back_to_live)

    def back_to_live(self) -> None:
        """Leave the replay: the live mode, its conversation and engine as they were."""
        if not self.runner.on_screen:
            return
        self._leave_replay()
        self._show_live(self._modes.current)

    def _live_mode(self, _mode: Mode) -> None:
        """A mode applied live while a replay is shown: the window's own change shows it."""
        if self.runner.on_screen:
            self._leave_replay()

    def _leave_replay(self) -> None:
        self.runner.release()
        self.recorder.paused = False
        self.live_action.setEnabled(False)
        self._window.set_engine_label(engine_label(self._engine()))
        self._clear()
        if self.recorder.active:
            self.start_recording_notice()

    def start_recording_notice(self) -> None:
        """Say again that a recording is running (a replay's notices replaced it)."""
        self._notice("Recording this demo (More ▸ Save recording… keeps it).", "Stop",
                     self.stop_recording)

    def _show_live(self, mode: Mode) -> None:
        """Show the live mode and conversation again, in the window's mode-change steps."""
        from presto_desktop.ui.chat.controller import ChatController

        window, panel = self._window, self._window.chat_panel
        messages = self._chat.messages if isinstance(self._chat, ChatController) else []

        def chat() -> None:
            panel.set_suggestions(list(mode.suggested_prompts))
            panel.set_messages(messages)
            window.presenter.replay_tool_calls(messages)

        if self._imagery is not None:
            self._imagery.show_mode(mode)
        show_mode(window, self._theme, mode, self._scheme(), chat)

    # -- helpers -----------------------------------------------------------------------------
    def _notice(self, text: str, action: str = "", on_action: Callable[[], object] | None = None,
                ) -> None:
        self._window.notice_bar.show_notice(NOTICE, text, action, on_action)

    def _clear(self) -> None:
        self._window.notice_bar.clear(NOTICE)

    def _spawn(self, work: Coroutine[Any, Any, object]) -> None:
        task: asyncio.Future[object] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


class Composed(Protocol):
    """What the composition root hands over (ui/composition.py's Composition is one)."""

    @property
    def window(self) -> MainWindow: ...
    @property
    def theme(self) -> ThemeManager: ...
    @property
    def modes(self) -> ModeController: ...
    @property
    def chat(self) -> WindowChat: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def engine(self) -> Engine: ...
    @property
    def replay(self) -> RecordingWiring: ...
    @property
    def demo_menu(self) -> DemoMenu: ...
    @property
    def brand(self) -> BrandWiring: ...


# Runs instead of the window's loop (offscreen pictures); prints its line, returns the exit code.
HeadlessTask = Callable[[Composed], Awaitable[int]]


def build_recording(comp: Composed) -> RecordingWiring:
    """The window's recorder and replay, with their actions in the More menu's demo section
    (the scheme, and the engine for the header, read when needed: both may change)."""
    return RecordingWiring(comp.window, comp.theme, comp.modes, comp.chat,
                           scheme=lambda: comp.settings.theme, engine=lambda: comp.engine,
                           open_script=lambda path: comp.demo_menu.open_path(path),
                           imagery=comp.brand.imagery)


__all__ = ["NOTICE", "Composed", "HeadlessTask", "RecordingWiring", "build_recording"]
