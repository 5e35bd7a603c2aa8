"""VoiceController: runs open_voice + VoiceSession as a task on the qasync loop -> signals.

The microphone is closed whenever voice mode ends: the button turned off, an error, the
microphone unplugged, or the window closing (`shutdown`, from the composition root).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from presto_desktop.core.audio.devices import AudioInput, AudioOutput, Speaker
from presto_desktop.core.errors import EngineError
from presto_desktop.engines.base import Engine, ServerEngine
from presto_desktop.engines.voice_base import VoiceEngine, VoiceUnavailable
from presto_desktop.engines.voice_factory import (
    OFFLINE_NO_TRANSCRIPTION,
    VOICE_OFF,
    open_voice,
    warm_modules,
)
from presto_desktop.session.voice import VoiceSession, VoiceState
from presto_desktop.ui.voice.device_watch import WatchedInput, Which
from presto_desktop.ui.voice.devices import QtDevices, Troubled, VoiceDevices

if TYPE_CHECKING:
    from presto_desktop.core.chat import ChatMessage, ToolCall
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import VoiceSettings
    from presto_desktop.ui.voice.warmup import VoiceWarmup

log = logging.getLogger(__name__)
Opener = Callable[..., Awaitable[VoiceEngine]]
MIC_ENDED = "The microphone stopped (unplugged?): voice mode ended."
OUTPUT_LOST = "The speaker or headphones went away (unplugged?): voice mode ended."
SHUTDOWN_GRACE_S = 3.0  # an engine that does not close in time is cancelled


class VoiceContext(Protocol):
    """What a voice session starts from: the composition root answers."""

    def voice_settings(self) -> VoiceSettings:
        """Settings.voice as saved now."""
        ...

    def chat_engine(self) -> Engine:
        """The active chat engine (the voice path follows it)."""
        ...

    def voice_mode(self) -> Mode:
        """The current mode."""
        ...

    def history(self) -> list[ChatMessage]:
        """The current conversation (context for the voice engine)."""
        ...

    def api_key(self) -> str:
        """A key for audio endpoints when the chat engine has none (offline)."""
        ...


@dataclass(frozen=True)
class VoiceCallbacks:
    """A VoiceContext made of callables (the composition root's settings, engine, mode)."""

    settings: Callable[[], VoiceSettings]
    engine: Callable[[], Engine]
    mode: Callable[[], Mode]
    messages: Callable[[], list[ChatMessage]]
    key: Callable[[], str] = lambda: ""

    def voice_settings(self) -> VoiceSettings:
        """Settings.voice now."""
        return self.settings()

    def chat_engine(self) -> Engine:
        """The active chat engine."""
        return self.engine()

    def voice_mode(self) -> Mode:
        """The current mode."""
        return self.mode()

    def history(self) -> list[ChatMessage]:
        """The current conversation."""
        return self.messages()

    def api_key(self) -> str:
        """The stored or environment key, for audio endpoints."""
        return self.key()


def config_problem(voice: VoiceSettings, engine: Engine) -> str | None:
    """Why this configuration cannot do voice (open_voice's own reasons), or None."""
    if not voice.enabled:
        return VOICE_OFF
    if not isinstance(engine, ServerEngine) and not voice.transcription_base_url.strip():
        return OFFLINE_NO_TRANSCRIPTION
    return None


class VoiceController(QObject):
    """Voice mode on or off; the session's reports as signals (ui/shell/voice_wiring.py)."""

    active_changed = Signal(bool)
    state_changed = Signal(str)  # VoiceState: off | listening | thinking | speaking
    level_changed = Signal(float)
    label_changed = Signal(str)  # the path in use ("Realtime (gpt-realtime)"), "" when off
    availability_changed = Signal(str)  # why voice cannot work now; "" = it can
    muted_changed = Signal(bool)
    user_partial = Signal(str)
    assistant_partial = Signal(str)
    message = Signal(object)  # ChatMessage, a finished user or assistant turn
    tool_called = Signal(object)  # ToolCall
    notice = Signal(str)
    failed = Signal(str, bool)
    trigger = Signal(str)  # a spoken "Presto-Change-O, ..."

    def __init__(self, context: VoiceContext, devices: VoiceDevices, *,
                 opener: Opener = open_voice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context, self._devices, self._opener = context, devices, opener
        self._task: asyncio.Task[None] | None = None
        self._session: VoiceSession | None = None
        self._muted = False
        self._stopping = False
        self._problem = ""
        self._state: VoiceState = "off"
        self._label = ""
        self.microphone: AudioInput | None = None  # the last session's (tests check it closed)
        self.warmup: VoiceWarmup | None = None  # built on the first warm_up

    # -- state -------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        """True from start until the session has fully ended (microphone closed)."""
        return self._task is not None and not self._task.done()

    @property
    def state(self) -> VoiceState:
        """What the conversation is doing now."""
        return self._state

    @property
    def label(self) -> str:
        """The path in use, "" when off."""
        return self._label

    @property
    def muted(self) -> bool:
        """True while the assistant's voice is silenced."""
        return self._muted

    @property
    def problem(self) -> str:
        """Why voice cannot work (as last checked), "" when it can."""
        return self._problem

    def refresh(self, *, devices: bool = False) -> str:
        """Check the configuration (and, with `devices`, the microphone); emit what changed."""
        problem = config_problem(self._context.voice_settings(), self._context.chat_engine())
        if problem is None and devices:
            problem = self._devices.problem()
        self._set_problem(problem or "")
        return self._problem

    def _set_problem(self, problem: str) -> None:
        if problem != self._problem:
            self._problem = problem
            self.availability_changed.emit(problem)

    def use(self, *, devices: VoiceDevices | None = None, opener: Opener | None = None) -> None:
        """Take other devices or another engine opener from the next start (tests, benchmarks)."""
        self._devices = devices or self._devices
        self._opener = opener or self._opener

    def warm_up(self) -> None:
        """Voice is about to be used (the mic button hovered): import what its first turn
        needs, one module per loop turn, so that turn does not (ui/voice/warmup.py)."""
        if self.active or self._problem:
            return
        context = self._context
        modules, packages = warm_modules(context.voice_settings(), context.chat_engine())
        if self.warmup is None:
            from presto_desktop.ui.voice.warmup import VoiceWarmup

            self.warmup = VoiceWarmup(self)
        self.warmup.start(modules, devices=isinstance(self._devices, QtDevices),
                          packages=packages)

    # -- intents -----------------------------------------------------------------------------
    def toggle(self) -> None:
        """The mic button: start voice mode, or end it."""
        if self.active:
            self.stop()
        else:
            self.start()

    def start(self) -> asyncio.Task[None] | None:
        """Start voice mode (ignored while on); what stops it is reported by signals."""
        if self.active:
            return None
        if self.refresh(devices=True):
            self.failed.emit(self._problem, False)
            return None
        self._stopping = False
        if self.warmup is not None and self.warmup.busy:
            self.warmup.finish_now()  # clicked mid warm-up: no package stays half-open
        self._task = asyncio.get_event_loop().create_task(self._run())
        return self._task

    def stop(self) -> None:
        """End voice mode: the session closes the microphone and the engine."""
        self._stopping = True
        if self._session is not None:
            self._session.stop()
        elif self._task is not None:
            self._task.cancel()  # still connecting: open_voice closes what it opened

    def set_muted(self, muted: bool) -> None:
        """Silence or restore the assistant's voice (voice mode goes on)."""
        self._muted = bool(muted)
        if self._session is not None:
            self._session.set_muted(self._muted)
        self.muted_changed.emit(self._muted)

    def update_mode(self, mode: Mode) -> None:
        """The window switched mode: the voice answers as `mode` from now on."""
        session = self._session
        if session is not None:
            task = asyncio.get_event_loop().create_task(
                session.update_mode(mode, self._context.history()))
            task.add_done_callback(_log_failure)

    async def shutdown(self) -> None:
        """Stop and wait until the microphone and the engine are closed (window closing)."""
        task = self._task
        self.stop()
        if task is None or task.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), SHUTDOWN_GRACE_S)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task

    # -- the session -------------------------------------------------------------------------
    async def _run(self) -> None:
        self.active_changed.emit(True)
        try:
            engine = await self._open()
            if engine is not None:
                await self._converse(engine)
        finally:
            self._session = None
            self._set_label("")
            self._set_state("off")
            self.level_changed.emit(0.0)
            self.active_changed.emit(False)

    async def _open(self) -> VoiceEngine | None:
        """open_voice for the current engine, mode and conversation; None (reported) if not."""
        context = self._context
        try:
            return await self._opener(context.voice_settings(), context.chat_engine(),
                                      context.voice_mode(), context.history(),
                                      api_key=context.api_key())
        except VoiceUnavailable as exc:
            self._set_problem(str(exc))
            self.failed.emit(str(exc), False)
        except EngineError as exc:
            self.failed.emit(str(exc), exc.retryable)
        except Exception as exc:  # noqa: BLE001 - nothing may escape into sys.excepthook
            log.exception("voice failed to start")
            self.failed.emit(f"Voice did not start: {type(exc).__name__}: {exc}"[:300], True)
        return None

    async def _converse(self, engine: VoiceEngine) -> None:
        """One session until stopped; devices are released on every way out."""
        voice = self._context.voice_settings()
        output: AudioOutput | None = None
        speaker: Speaker | None = None
        watch: Any = None
        try:
            microphone = WatchedInput(self._devices.microphone(voice), self._microphone_ended)
            self.microphone = microphone.inner
            fmt = engine.output_format
            output = self._devices.output(voice, fmt) if fmt is not None else None
            watch = self._watch(microphone.inner, output)
            speaker = self._devices.speaker(voice) if fmt is None else None
            if isinstance(speaker, Troubled) and speaker.problem:
                self.notice.emit(speaker.problem)
            self._session = VoiceSession(engine, microphone, _SignalSink(self), output=output,
                                         speaker=speaker, on_trigger=self.trigger.emit)
            self._session.set_muted(self._muted)
            self._set_label(engine.label)
            if self._stopping:
                self._session.stop()
            await self._session.run()
        except Exception as exc:  # noqa: BLE001 - reported, never into sys.excepthook
            log.exception("voice session failed")
            self.failed.emit(f"Voice stopped: {type(exc).__name__}: {exc}"[:300], True)
        finally:
            if watch is not None:
                watch.stop()
                watch.deleteLater()
            with contextlib.suppress(Exception):
                await engine.aclose()  # the session closed it too; a second close is a no-op
            if output is not None:
                await output.close()
            if speaker is not None:
                speaker.stop()

    def _watch(self, microphone: AudioInput, output: AudioOutput | None) -> Any:
        """The devices' removal watch (QMediaDevices' change signals), if they offer one."""
        make = getattr(self._devices, "watch", None)
        if make is None:
            return None
        watch = make(self._device_lost)
        watch.watch(microphone, output)
        return watch

    def _device_lost(self, which: Which) -> None:
        """The microphone or the output was removed mid-session: end it, closing the mic."""
        if not self._stopping:
            self.failed.emit(MIC_ENDED if which == "input" else OUTPUT_LOST, False)
        self.stop()

    def _microphone_ended(self) -> None:
        if not self._stopping:
            self.failed.emit(MIC_ENDED, False)
        self.stop()

    def _set_state(self, state: VoiceState) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _set_label(self, label: str) -> None:
        if label != self._label:
            self._label = label
            self.label_changed.emit(label)


class _SignalSink:
    """The session's VoiceSink: each report becomes the controller's signal."""

    def __init__(self, controller: VoiceController) -> None:
        self._c = controller

    def level(self, value: float) -> None:
        """Meter."""
        self._c.level_changed.emit(value)

    def state_changed(self, state: VoiceState) -> None:
        """Listening, thinking, speaking, off."""
        self._c._set_state(state)

    def user_partial(self, text: str) -> None:
        """The user's words so far."""
        self._c.user_partial.emit(text)

    def assistant_partial(self, delta: str) -> None:
        """More of the reply text."""
        self._c.assistant_partial.emit(delta)

    def message(self, message: ChatMessage) -> None:
        """A finished turn."""
        self._c.message.emit(message)

    def tool_call(self, call: ToolCall) -> None:
        """Draw on the dashboard now."""
        self._c.tool_called.emit(call)

    def notice(self, text: str) -> None:
        """A one-line note."""
        self._c.notice.emit(text)

    def error(self, message: str, retryable: bool) -> None:
        """A failure."""
        self._c.failed.emit(message, retryable)


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning("voice mode update failed: %s", task.exception())
