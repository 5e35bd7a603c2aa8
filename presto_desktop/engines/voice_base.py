"""The voice engine protocol and the typed events it streams (Qt-free, no openai import).

A voice engine is full duplex: the session pushes microphone chunks in (`send_audio`) and
reads events out (`events`). Three implementations: realtime (voice_realtime.py, one
WebSocket), pipeline (voice_pipeline.py: local VAD -> transcription -> chat -> speech) and
the pipeline over the offline engine (replies as SpeakText for the system voice).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from presto_desktop.core.audio.pcm import AudioFormat
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import EngineError
from presto_desktop.core.models import Mode

# Appended to the mode's system prompt for spoken conversations.
VOICE_RULE = ("This is a spoken conversation. Answer in one or two short sentences that "
              "sound natural aloud: no lists, tables, Markdown or URLs. Put details, figures "
              "and trends on screen with show_chart or show_metrics and say that you did.")


@dataclass(frozen=True)
class UserSpeechStarted:
    """The user started speaking (the barge-in cue while the assistant talks)."""


@dataclass(frozen=True)
class UserTranscript:
    """What the user said: partial (`final` False, the text so far) or final."""

    text: str
    final: bool = True


@dataclass(frozen=True)
class AssistantDelta:
    """More of the assistant's reply text (its transcript when spoken by the server)."""

    text: str


@dataclass(frozen=True)
class AudioChunk:
    """Reply audio in the engine's `output_format`.

    `text_end`: when this chunk ends a sentence, the reply text's length at that sentence's
    end (pipeline); None when unknown (realtime: estimated from how much audio played).
    """

    pcm: bytes
    text_end: int | None = None


@dataclass(frozen=True)
class SpeakText:
    """A sentence for the system voice (engines that make no audio: the offline pipeline).

    `text_end` as for AudioChunk: the reply text's length once this sentence is spoken.
    """

    text: str
    text_end: int


@dataclass(frozen=True)
class TurnDone:
    """The assistant's turn ended; `cut_off` when it stopped before its end.

    reason: 'stop' (complete), 'cancelled' (barge-in or a trigger), 'dropped' (connection
    lost mid-reply; the partial transcript is kept), 'incomplete' (server cut it short).
    """

    cut_off: bool = False
    reason: Literal["stop", "cancelled", "dropped", "incomplete"] = "stop"


@dataclass(frozen=True)
class VoiceError:
    """The turn or the connection failed; `retryable` says whether trying again makes sense."""

    message: str
    retryable: bool = True


@dataclass(frozen=True)
class VoiceNotice:
    """Something to tell the user that is not an error (the path in use, a reconnect)."""

    text: str


VoiceEvent = (UserSpeechStarted | UserTranscript | AssistantDelta | AudioChunk | SpeakText
              | ToolCall | TurnDone | VoiceError | VoiceNotice)
VoicePath = Literal["realtime", "pipeline", "offline"]


class VoiceUnavailable(EngineError):
    """Voice cannot run with this configuration; the message says why in one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message, retryable=False)


@runtime_checkable
class VoiceEngine(Protocol):
    """A spoken conversation with the assistant: audio in, events out."""

    @property
    def label(self) -> str:
        """Which path is active, for people, e.g. 'Realtime (gpt-realtime)'."""
        ...

    @property
    def path(self) -> VoicePath:
        """'realtime', 'pipeline' or 'offline'."""
        ...

    @property
    def input_format(self) -> AudioFormat:
        """The format `send_audio` expects (the session resamples the microphone to it)."""
        ...

    @property
    def output_format(self) -> AudioFormat | None:
        """The format of AudioChunk events; None when the engine speaks through SpeakText."""
        ...

    async def start(self, mode: Mode, history: list[ChatMessage]) -> None:
        """Connect and prime the conversation; raises EngineError / VoiceUnavailable."""
        ...

    async def update_mode(self, mode: Mode, history: list[ChatMessage]) -> None:
        """The mode changed (a spoken or typed trigger): use its prompt, persona and tools."""
        ...

    async def send_audio(self, pcm: bytes) -> None:
        """Microphone audio in `input_format`; never waits for the reply."""
        ...

    async def end_input(self) -> None:
        """The input ended (a file): finish the utterance in progress and answer it."""
        ...

    async def cancel_response(self, played_ms: int | None = None) -> None:
        """Stop the reply in progress (barge-in, trigger); `played_ms` of it were heard."""
        ...

    def events(self) -> AsyncIterator[VoiceEvent]:
        """The event stream; ends after `aclose` (or a VoiceError that ends the connection)."""
        ...

    async def aclose(self) -> None:
        """Close sockets and tasks; the event stream ends."""
        ...


__all__ = ["VOICE_RULE", "AssistantDelta", "AudioChunk", "SpeakText", "ToolCall", "TurnDone",
           "UserSpeechStarted", "UserTranscript", "VoiceEngine", "VoiceError", "VoiceEvent",
           "VoiceNotice", "VoicePath", "VoiceUnavailable", "voice_mode"]


def voice_mode(mode: Mode) -> Mode:
    """`mode` with the spoken-reply rule added to its system prompt."""
    return mode.model_copy(update={"system_prompt": f"{mode.system_prompt}\n\n{VOICE_RULE}"})
