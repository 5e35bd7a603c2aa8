"""The voice pipeline for servers without realtime: local VAD -> transcription -> streamed chat
-> speech, sentence by sentence (the first sentence is heard while the reply still streams).

Over the offline engine it needs a transcription endpoint; without a speech endpoint its
sentences go out as SpeakText for the system voice. No openai import here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Protocol, cast

from presto_desktop.core.audio.pcm import TRANSCRIPTION_FORMAT, AudioFormat
from presto_desktop.core.audio.vad import EnergyVAD, SpeechStarted, Utterance
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import EngineError
from presto_desktop.core.models import Mode
from presto_desktop.core.speech_text import SentenceSplitter, speakable
from presto_desktop.engines.base import ChatEvent, Done, Engine, ErrorEvent, TextDelta
from presto_desktop.engines.voice_base import (
    AssistantDelta,
    AudioChunk,
    SpeakText,
    TurnDone,
    UserSpeechStarted,
    UserTranscript,
    VoiceError,
    VoiceEvent,
    VoiceNotice,
    VoicePath,
    voice_mode,
)

log = logging.getLogger(__name__)
MAX_SPOKEN_SENTENCES = 3  # longer replies: the rest is read on screen
NO_TRANSCRIPTION = ("Voice input needs a transcription endpoint (an OpenAI-compatible "
                    "/v1/audio/transcriptions); set one in Settings > Voice.")
CAPPED = "Stopped listening after 10 minutes of speech; answering what was said."
NOT_HEARD = "I heard no words; please say it again."


class Transcriber(Protocol):
    """Speech to text (voice_http.HttpTranscriber)."""

    @property
    def model(self) -> str:
        """The model used, for the label."""
        ...

    async def transcribe(self, pcm: bytes, fmt: AudioFormat) -> str:
        """The text of one utterance."""
        ...

    async def aclose(self) -> None:
        """Close the client."""
        ...


class Synthesizer(Protocol):
    """Text to speech (voice_http.HttpSynthesizer)."""

    @property
    def model(self) -> str:
        """The model used, for the label."""
        ...

    @property
    def output_format(self) -> AudioFormat:
        """The format of the chunks."""
        ...

    def synthesize(self, text: str) -> AsyncIterator[bytes]:
        """PCM chunks of `text` spoken."""
        ...

    async def aclose(self) -> None:
        """Close the client."""
        ...


class PipelineVoiceEngine:
    """A VoiceEngine made of a chat engine and two optional audio endpoints."""

    def __init__(self, chat: Engine, transcriber: Transcriber | None,
                 synthesizer: Synthesizer | None, *, path: VoicePath = "pipeline",
                 notice: str | None = None, vad: EnergyVAD | None = None) -> None:
        self._chat, self._transcriber, self._synth = chat, transcriber, synthesizer
        self._path: VoicePath = path
        self._vad = vad or EnergyVAD(TRANSCRIPTION_FORMAT)
        self._events: asyncio.Queue[VoiceEvent | None] = asyncio.Queue()
        self._turn: asyncio.Task[None] | None = None
        self._mode: Mode | None = None
        self._history: list[ChatMessage] = []
        if notice:
            self._events.put_nowait(VoiceNotice(notice))

    @property
    def label(self) -> str:
        """E.g. 'Pipeline (whisper-1 -> gpt-4o-mini -> tts-1)'."""
        hear = self._transcriber.model if self._transcriber else "no transcription"
        say = self._synth.model if self._synth else "system voice"
        return f"{self._path.capitalize()} ({hear} -> {self._chat.label} -> {say})"

    @property
    def path(self) -> VoicePath:
        """'pipeline' or 'offline'."""
        return self._path

    @property
    def input_format(self) -> AudioFormat:
        """16 kHz: what recognisers want."""
        return self._vad.format

    @property
    def output_format(self) -> AudioFormat | None:
        """The speech endpoint's format; None when sentences go out as SpeakText."""
        return self._synth.output_format if self._synth else None

    async def start(self, mode: Mode, history: list[ChatMessage]) -> None:
        """Remember the mode and history; refuse at once without a transcription endpoint."""
        if self._transcriber is None:
            from presto_desktop.engines.voice_base import VoiceUnavailable

            raise VoiceUnavailable(NO_TRANSCRIPTION)
        await self.update_mode(mode, history)

    async def update_mode(self, mode: Mode, history: list[ChatMessage]) -> None:
        """Answer in `mode` from now on."""
        self._mode, self._history = mode, list(history)

    async def send_audio(self, pcm: bytes) -> None:
        """Feed the VAD; a finished utterance starts a turn."""
        for event in self._vad.feed(pcm):
            if isinstance(event, SpeechStarted):
                self._events.put_nowait(UserSpeechStarted())
            else:
                self._begin(event)

    async def end_input(self) -> None:
        """Answer the utterance in progress; with none, end the turn at once."""
        utterance = self._vad.finish()
        if utterance is not None:
            self._begin(utterance)
        elif self._turn is None or self._turn.done():
            if not self._vad.heard_speech:
                self._events.put_nowait(VoiceNotice(NOT_HEARD))
            self._events.put_nowait(TurnDone())

    async def cancel_response(self, played_ms: int | None = None) -> None:
        """Stop the turn in progress (its task puts TurnDone(cut_off=True))."""
        turn = self._turn
        if turn is not None and not turn.done():
            turn.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await turn

    async def events(self) -> AsyncIterator[VoiceEvent]:
        """The events, until aclose."""
        while (event := await self._events.get()) is not None:
            yield event

    async def aclose(self) -> None:
        """Stop the turn, close the endpoints, end the event stream."""
        await self.cancel_response()
        for endpoint in (self._transcriber, self._synth):
            if endpoint is not None:
                with contextlib.suppress(Exception):
                    await endpoint.aclose()
        self._events.put_nowait(None)

    def _begin(self, utterance: Utterance) -> None:
        if utterance.capped:
            self._events.put_nowait(VoiceNotice(CAPPED))
        if self._turn is not None and not self._turn.done():
            self._turn.cancel()  # a newer utterance replaces an unanswered one
        self._turn = asyncio.get_running_loop().create_task(self._run_turn(utterance.pcm))

    async def _run_turn(self, pcm: bytes) -> None:
        put = self._events.put_nowait
        try:
            assert self._transcriber is not None  # start() refused otherwise
            text = await self._transcriber.transcribe(pcm, self.input_format)
            if not text:
                put(VoiceNotice(NOT_HEARD))
                put(TurnDone())
                return
            put(UserTranscript(text, final=True))
            await asyncio.sleep(0)  # the session sees the transcript first (a trigger cancels)
            reply, finish = await self._reply(text)
            self._history += [ChatMessage("user", text), ChatMessage("assistant", reply)]
            put(TurnDone(cut_off=finish != "stop", reason="stop" if finish == "stop" else "incomplete"))
        except asyncio.CancelledError:
            put(TurnDone(cut_off=True, reason="cancelled"))
            raise
        except EngineError as exc:
            put(VoiceError(str(exc), exc.retryable))
            put(TurnDone(cut_off=True, reason="incomplete"))

    async def _reply(self, text: str) -> tuple[str, str]:
        """Stream the chat reply; sentences are spoken by a second task as they complete."""
        assert self._mode is not None
        sentences: asyncio.Queue[tuple[str, int] | None] = asyncio.Queue()
        speaking = asyncio.get_running_loop().create_task(self._speak(sentences))
        splitter, parts, finish, queued = SentenceSplitter(), [], "stop", 0
        try:
            # Engines' stream_chat are async generators: aclosing ends the HTTP stream on cancel.
            stream = cast("AsyncGenerator[ChatEvent, None]",
                          self._chat.stream_chat(voice_mode(self._mode), self._history, text))
            async with contextlib.aclosing(stream):
                async for event in stream:
                    if isinstance(event, TextDelta):
                        parts.append(event.text)
                        self._events.put_nowait(AssistantDelta(event.text))
                        for sentence in splitter.feed(event.text):
                            queued += _queue(sentences, sentence, queued)
                    elif isinstance(event, ToolCall):
                        self._events.put_nowait(event)
                    elif isinstance(event, ErrorEvent):
                        raise EngineError(event.message, retryable=event.retryable)
                    elif isinstance(event, Done) and event.finish_reason != "stop":
                        finish = event.finish_reason
            for sentence in splitter.flush():
                queued += _queue(sentences, sentence, queued)
            sentences.put_nowait(None)
            await speaking
        finally:
            speaking.cancel()
        return "".join(parts), finish

    async def _speak(self, sentences: asyncio.Queue[tuple[str, int] | None]) -> None:
        """Speak sentences in order: through the speech endpoint, else as SpeakText."""
        put = self._events.put_nowait
        while (item := await sentences.get()) is not None:
            sentence, end = item
            if self._synth is None:
                put(SpeakText(sentence, end))
                continue
            held = b""  # one chunk behind, so the sentence's last chunk carries text_end
            async for pcm in self._synth.synthesize(sentence):
                if held:
                    put(AudioChunk(held))
                held = pcm
            put(AudioChunk(held, text_end=end))


def _queue(sentences: asyncio.Queue[tuple[str, int] | None], sentence: tuple[str, int],
           queued: int) -> int:
    """Queue a speakable sentence while under the cap; returns 1 if queued."""
    text = speakable(sentence[0])
    if queued >= MAX_SPOKEN_SENTENCES or not text:
        return 0
    sentences.put_nowait((text, sentence[1]))
    return 1
