"""VoiceSession: one spoken conversation (plain asyncio, no Qt), shared by the window and the CLI.

Microphone chunks go to the voice engine; its events become chat turns, tool calls, audio
on the output (or sentences for the system voice). Speaking over the assistant cuts it off
(barge-in); mute silences it without ending the conversation; a spoken trigger goes to
`on_trigger` (the presenter's routing). The microphone is closed whenever `run` ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from presto_desktop.core.audio.devices import AudioInput, AudioOutput, Speaker
from presto_desktop.core.audio.pcm import SILENCE_LEVEL, Resampler, rms_level
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import PrestoError
from presto_desktop.core.models import Mode
from presto_desktop.core.speech_text import mark_cut_off, mark_dropped, spoken_prefix
from presto_desktop.core.triggers import parse_trigger
from presto_desktop.engines.voice_base import (
    AssistantDelta,
    AudioChunk,
    SpeakText,
    TurnDone,
    UserSpeechStarted,
    UserTranscript,
    VoiceEngine,
    VoiceError,
    VoiceEvent,
    VoiceNotice,
)

log = logging.getLogger(__name__)
VoiceState = Literal["off", "listening", "thinking", "speaking"]
SILENCE_ONLY = "Heard only silence: nothing was said (check the microphone or the file)."
MIC_SILENT = ("The microphone hears only silence: check that it is not muted and is the "
              "one chosen in Settings > Voice.")
SILENT_CHECK_S = 5.0  # of microphone audio (counted in bytes, not clock time)


class VoiceSink(Protocol):
    """What the session tells the window (or the CLI). Called on the loop's thread."""

    def level(self, value: float) -> None:
        """The microphone's level, 0..1, once per chunk (the meter)."""

    def state_changed(self, state: VoiceState) -> None:
        """Listening, thinking (transcribed, waiting for the reply), speaking, or off."""

    def user_partial(self, text: str) -> None:
        """What the user has said so far in this utterance (a live bubble)."""

    def assistant_partial(self, delta: str) -> None:
        """More of the assistant's reply text (stream it into the live bubble)."""

    def message(self, message: ChatMessage) -> None:
        """A finished turn to show and save like a typed one (user or assistant)."""

    def tool_call(self, call: ToolCall) -> None:
        """Draw on the dashboard now, while the voice is still speaking."""

    def notice(self, text: str) -> None:
        """A one-line note: the path in use, a fallback, a reconnect."""

    def error(self, message: str, retryable: bool) -> None:
        """A failure, one line."""


@dataclass
class _Reply:
    """The assistant's reply in progress: text, tools, audio sent and sentence marks."""

    parts: list[str] = field(default_factory=list)
    tools: list[ToolCall] = field(default_factory=list)
    audio_bytes: int = 0
    marks: list[tuple[int, int]] = field(default_factory=list)  # (audio byte end, text end)
    cut_at: int | None = None  # text offset where a barge-in cut the reply

    @property
    def text(self) -> str:
        """The reply text so far."""
        return "".join(self.parts)

    @property
    def started(self) -> bool:
        """True once anything of the reply arrived."""
        return bool(self.parts or self.tools or self.audio_bytes)

    def spoken_end(self, played: int) -> int:
        """How much of the text was heard after `played` audio bytes."""
        if self.marks:
            return max((end for size, end in self.marks if size <= played), default=0)
        if not self.audio_bytes:
            return 0
        # Realtime: no sentence marks; the transcript runs ahead of the audio in proportion.
        return spoken_prefix(self.text, played / self.audio_bytes)

    def message(self, reason: str, cut_off: bool) -> ChatMessage | None:
        """The finished turn (None when nothing was said or shown)."""
        text = self.text
        if not text.strip() and not self.tools:
            return None
        if reason == "dropped":
            return ChatMessage("assistant", mark_dropped(text), tuple(self.tools), "incomplete")
        if self.cut_at is not None:
            return ChatMessage("assistant", mark_cut_off(text, self.cut_at), tuple(self.tools),
                               "stopped")
        return ChatMessage("assistant", text, tuple(self.tools), "incomplete" if cut_off else "stop")


class VoiceSession:
    """Runs turns between a microphone, a started voice engine and an output until stopped."""

    def __init__(self, engine: VoiceEngine, microphone: AudioInput, sink: VoiceSink, *,
                 output: AudioOutput | None = None, speaker: Speaker | None = None,
                 on_trigger: Callable[[str], object] | None = None) -> None:
        self._engine, self._mic, self._sink = engine, microphone, sink
        self._output, self._speaker, self._on_trigger = output, speaker, on_trigger
        self._stop = asyncio.Event()
        self._reply = _Reply()
        self._draining: _Reply | None = None  # a finished reply whose audio still plays
        self._finishing: set[asyncio.Task[None]] = set()
        self._muted = False
        self._state: VoiceState = "off"
        self._input_ended = False  # file input: stop after the turn that answers it
        self._own_cancel = False  # the session cancelled the reply (barge-in, trigger)
        self._turns_done = 0
        self.peak = 0.0  # the loudest chunk's level (silence-only input)

    @property
    def engine(self) -> VoiceEngine:
        """The engine in use (its label says which path is active)."""
        return self._engine

    @property
    def state(self) -> VoiceState:
        """What the conversation is doing now."""
        return self._state

    @property
    def muted(self) -> bool:
        """True while the assistant's voice is silenced (the conversation continues)."""
        return self._muted

    def set_muted(self, muted: bool) -> None:
        """Silence or restore the assistant's voice; a system voice stops at once."""
        self._muted = muted
        if self._output is not None:
            self._output.muted = muted
        if muted and self._speaker is not None:
            self._speaker.stop()

    def stop(self) -> None:
        """End the conversation; `run` returns after closing the microphone and the engine."""
        self._stop.set()

    async def update_mode(self, mode: Mode, history: list[ChatMessage]) -> None:
        """The window switched mode: answer as the new mode from now on."""
        await self._engine.update_mode(mode, history)

    async def run(self, *, until_input_ends: bool = False) -> None:
        """Converse until `stop`, an engine failure, or (`until_input_ends`) the answered input.

        The microphone is closed and the engine shut on every way out, cancel included.
        """
        loop = asyncio.get_running_loop()
        tasks: list[asyncio.Task[None]] = []
        try:
            await self._mic.open()
            self._set_state("listening")
            self._sink.notice(f"Voice: {self._engine.label}")
            tasks = [loop.create_task(self._pump(until_input_ends)),
                     loop.create_task(self._consume())]
            stopper = loop.create_task(self._stop.wait())
            done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
            stopper.cancel()
            for task in done:
                if task is not stopper and not task.cancelled() and task.exception():
                    raise task.exception()  # type: ignore[misc]
        except PrestoError as exc:
            self._sink.error(str(exc), False)
        finally:
            for task in [*tasks, *self._finishing]:
                task.cancel()
            await self._mic.close()
            self._cut_output()
            with contextlib.suppress(Exception):
                await self._engine.aclose()
            self._set_state("off")

    # -- microphone ------------------------------------------------------------------------
    async def _pump(self, until_input_ends: bool) -> None:
        """Microphone -> meter -> engine (resampled); at the end of a file, finish the turn."""
        resampler = Resampler(self._mic.format.sample_rate,
                              self._engine.input_format.sample_rate)
        check = self._mic.format.bytes_for(SILENT_CHECK_S)
        heard = 0
        while chunk := await self._mic.read():
            level = rms_level(chunk)
            self.peak = max(self.peak, level)
            self._sink.level(level)
            if (not until_input_ends and heard < check <= heard + len(chunk)
                    and self.peak < SILENCE_LEVEL / 4):
                # A muted or wrong device delivers zeros: say so once instead of waiting on.
                self._sink.notice(MIC_SILENT)
            heard += len(chunk)
            await self._engine.send_audio(resampler.feed(chunk))
        if not until_input_ends:
            await self._stop.wait()  # a device that ended: the window decides what next
            return
        if self.peak < SILENCE_LEVEL * 2:
            self._sink.error(SILENCE_ONLY, False)
            self.stop()
            return
        self._input_ended = True
        answered = self._turns_done
        await self._engine.end_input()
        # (a finished task leaves _finishing only on a later loop turn: ask it, not the set)
        if answered and not self._reply.started and all(t.done() for t in self._finishing):
            self.stop()  # the reply to the file came before its end (a quick server)
        await self._stop.wait()

    # -- engine events ---------------------------------------------------------------------
    async def _consume(self) -> None:
        """Handle engine events until its stream ends."""
        async for event in self._engine.events():
            await self._handle(event)
        self.stop()

    async def _handle(self, event: VoiceEvent) -> None:
        reply = self._reply
        if isinstance(event, UserSpeechStarted):
            self._set_state("listening")
            if reply.started or self._assistant_audible():
                await self._barge_in()
        elif isinstance(event, UserTranscript):
            await self._heard(event)
        elif isinstance(event, AssistantDelta):
            reply.parts.append(event.text)
            self._sink.assistant_partial(event.text)
            self._set_state("speaking")
        elif isinstance(event, AudioChunk):
            self._play(event)
        elif isinstance(event, SpeakText):
            if self._speaker is not None and not self._muted:
                self._speaker.say(event.text)
        elif isinstance(event, ToolCall):
            reply.tools.append(event)
            self._sink.tool_call(event)
        elif isinstance(event, TurnDone):
            self._turn_done(event)
        elif isinstance(event, VoiceError):
            self._sink.error(event.message, event.retryable)
        elif isinstance(event, VoiceNotice):
            self._sink.notice(event.text)

    async def _heard(self, event: UserTranscript) -> None:
        """A user transcript: partial to the live bubble; final to the chat, or a trigger."""
        if not event.final:
            self._sink.user_partial(event.text)
            return
        self._set_state("thinking")
        if self._on_trigger is not None and parse_trigger(event.text) is not None:
            # The presenter routes it like typed text (and shows the bubble); no chat reply.
            await self._barge_in()
            self._on_trigger(event.text)
            return
        self._sink.message(ChatMessage("user", event.text))

    def _play(self, chunk: AudioChunk) -> None:
        reply = self._reply
        reply.audio_bytes += len(chunk.pcm)
        if chunk.text_end is not None:
            reply.marks.append((reply.audio_bytes, chunk.text_end))
        if self._output is not None:
            self._output.write(chunk.pcm)
        self._set_state("speaking")

    def _assistant_audible(self) -> bool:
        output, speaker = self._output, self._speaker
        return bool((output is not None and output.playing)
                    or (speaker is not None and speaker.speaking))

    async def _barge_in(self) -> None:
        """Cut the voice now, note how much was heard, cancel the reply at the server."""
        unplayed = self._cut_output()
        reply = self._reply if self._reply.started or self._draining is None else self._draining
        played = max(0, reply.audio_bytes - unplayed)
        if reply.started:
            reply.cut_at = reply.spoken_end(played)
        self._own_cancel = True
        fmt = self._engine.output_format
        played_ms = int(fmt.duration_s(played) * 1000) if fmt is not None else None
        await self._engine.cancel_response(played_ms)

    def _cut_output(self) -> int:
        """Stop the voice at once; returns how many queued bytes went unheard."""
        if self._speaker is not None:
            self._speaker.stop()
        return len(self._output.cut()) if self._output is not None else 0

    def _turn_done(self, event: TurnDone) -> None:
        """The reply is complete: it becomes a chat turn once its audio has played."""
        reply, self._reply = self._reply, _Reply()
        self._draining = reply
        task = asyncio.get_running_loop().create_task(self._finish(reply, event))
        self._finishing.add(task)
        task.add_done_callback(self._finishing.discard)

    async def _finish(self, reply: _Reply, event: TurnDone) -> None:
        if self._output is not None and event.reason != "dropped":
            await self._output.drain()  # a barge-in meanwhile cuts it (and sets reply.cut_at)
        if self._draining is reply:
            self._draining = None
        self._turns_done += 1
        message = reply.message(event.reason, event.cut_off)
        if message is not None:
            self._sink.message(message)
        self._set_state("listening")
        if self._input_ended and (event.reason != "cancelled" or self._own_cancel):
            self.stop()

    def _set_state(self, state: VoiceState) -> None:
        if state != self._state:
            self._state = state
            self._sink.state_changed(state)


__all__ = ["MIC_SILENT", "SILENCE_ONLY", "VoiceSession", "VoiceSink", "VoiceState"]
