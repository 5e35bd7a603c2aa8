"""The pipeline voice engine against the loopback server: transcription -> chat -> speech."""

from __future__ import annotations

import asyncio
import json
from collections import deque

from presto_desktop.core.audio.pcm import TRANSCRIPTION_FORMAT
from presto_desktop.core.chat import ToolCall
from presto_desktop.core.settings import VoiceSettings
from presto_desktop.engines.offline import OfflineEngine
from presto_desktop.engines.openai_engine import OpenAIEngine
from presto_desktop.engines.voice_base import (
    AssistantDelta,
    AudioChunk,
    SpeakText,
    TurnDone,
    UserTranscript,
    VoiceError,
    VoiceUnavailable,
)
from presto_desktop.engines.voice_factory import OFFLINE_NO_TRANSCRIPTION, open_voice
from tests.core.test_audio import tone
from tests.engines.fake_openai_server import FakeOpenAI, Script, chunk, text_chunks, tool_chunks
from tests.engines.test_openai_engine import MODE, config

SPEECH = "/v1/audio/speech"
TRANSCRIBE = "/v1/audio/transcriptions"
QUESTION = TRANSCRIPTION_FORMAT.silence(0.3) + tone(1.0) + TRANSCRIPTION_FORMAT.silence(1.0)
CHART = json.dumps({"type": "bar", "title": "Spend", "unit": "$",
                    "points": [{"label": "Jan", "value": 1}]})


def said(text: str) -> list:
    """A complete streamed reply."""
    return [*text_chunks(text, 1), chunk({}, "stop")]


def voice(**overrides: object) -> VoiceSettings:
    return VoiceSettings(path="pipeline", transcription_model="test-model",
                         speech_model="test-model", **overrides)


def turn(server: FakeOpenAI | None, settings: VoiceSettings, *, offline: bool = False) -> list:
    """Open the voice engine, speak QUESTION, collect events up to TurnDone."""
    async def go() -> list:
        chat = OfflineEngine() if offline else OpenAIEngine(config(server))
        engine = await open_voice(settings, chat, MODE, [], api_key="")
        events: list = []
        try:
            await engine.send_audio(QUESTION)
            await engine.end_input()
            async for event in engine.events():
                events.append(event)
                if isinstance(event, TurnDone):
                    break
        finally:
            await engine.aclose()
            await chat.aclose()
        return events

    return asyncio.run(go())


def test_a_turn_transcribes_chats_and_speaks_sentence_by_sentence() -> None:
    reply = "You spent $240 on flowers this year. The chart shows every month in detail."
    script = Script(stream_events=[*text_chunks(reply, 4), *tool_chunks(0, "show_chart", CHART, 2),
                                   chunk({}, "tool_calls")],
                    chunk_delay_s=0.03,  # more than a frame: the engine hands each chunk over
                    pause_stream_at=4)  # the rest of the reply waits for the first speech
    with FakeOpenAI(script) as server:
        events = turn(server, voice(voice="coral", speed=1.25))
        speech = server.bodies(SPEECH)
    assert UserTranscript("How much did I spend on flowers?") in events
    assert "".join(e.text for e in events if isinstance(e, AssistantDelta)) == reply
    assert [e.name for e in events if isinstance(e, ToolCall)] == ["show_chart"]
    chunks = [e for e in events if isinstance(e, AudioChunk)]
    assert len(speech) == 2 and speech[0]["input"] == "You spent $240 on flowers this year."
    assert speech[0]["voice"] == "coral" and speech[0]["speed"] == 1.25
    assert speech[0]["response_format"] == "pcm"
    assert [c.text_end for c in chunks if c.text_end] == [37, len(reply)]
    assert events[-1] == TurnDone()
    system = server.bodies()[0]["messages"][0]["content"]
    assert "one or two short sentences" in system  # spoken replies are short


def test_a_wav_answer_from_speech_is_converted() -> None:
    with FakeOpenAI(Script(stream_events=said("Yes, we deliver on Sundays."),
                           speech_wav=True)) as server:
        events = turn(server, voice())
    chunks = [e.pcm for e in events if isinstance(e, AudioChunk)]
    assert b"".join(chunks) == Script().speech_pcm


def test_transcription_faults_are_one_line() -> None:
    cases = {401: "rejected the API key", 403: "Access denied", 404: "was not found"}
    for status, words in cases.items():
        script = Script(path_statuses={TRANSCRIBE: deque([(status, {}, {"error": {"message": "no"}})])})
        with FakeOpenAI(script) as server:
            events = turn(server, voice())
        errors = [e for e in events if isinstance(e, VoiceError)]
        assert errors and errors[0].message.startswith("Transcription failed:")
        assert words in errors[0].message and not errors[0].retryable
        assert events[-1].cut_off


def test_429_with_retry_after_is_retried_and_5xx_gives_up() -> None:
    limited = Script(stream_events=said("Fine thanks, all good here."),
                     path_statuses={SPEECH: deque([(429, {"Retry-After": "0"},
                                                    {"error": {"message": "slow down"}})])})
    with FakeOpenAI(limited) as server:
        events = turn(server, voice())
        assert len(server.bodies(SPEECH)) == 2
    assert not [e for e in events if isinstance(e, VoiceError)] and events[-1] == TurnDone()
    with FakeOpenAI(Script(always_status=(503, {}, {"error": {"message": "down"}}))) as server:
        events = turn(server, voice())
    errors = [e for e in events if isinstance(e, VoiceError)]
    assert errors and "HTTP 503" in errors[0].message and errors[0].retryable


def test_long_retry_after_fails_at_once_with_the_wait() -> None:
    script = Script(path_statuses={TRANSCRIBE: deque([(429, {"Retry-After": "30"}, {})])})
    with FakeOpenAI(script) as server:
        events = turn(server, voice())
    errors = [e for e in events if isinstance(e, VoiceError)]
    assert errors and "try again in 30 s" in errors[0].message


def test_offline_needs_a_transcription_endpoint() -> None:
    async def go() -> str:
        try:
            await open_voice(VoiceSettings(), OfflineEngine(), MODE, [])
        except VoiceUnavailable as exc:
            return str(exc)
        return ""

    assert asyncio.run(go()) == OFFLINE_NO_TRANSCRIPTION


def test_offline_with_transcription_speaks_through_the_system_voice() -> None:
    script = Script(transcript="What are your hours?")
    with FakeOpenAI(script) as server:
        settings = voice(transcription_base_url=server.base_url)
        events = turn(server, settings, offline=True)
        assert not server.bodies(SPEECH)
    said = [e for e in events if isinstance(e, SpeakText)]
    assert said and not [e for e in events if isinstance(e, AudioChunk)]
    assert events[-1] == TurnDone()


def test_cancel_ends_the_turn_as_cut_off() -> None:
    script = Script(stream_events=text_chunks("A long answer. " * 5, 5), stream_end="hang")

    async def go() -> list:
        with FakeOpenAI(script) as server:
            chat = OpenAIEngine(config(server))
            engine = await open_voice(voice(), chat, MODE, [])
            await engine.send_audio(QUESTION)
            events = []
            async for event in engine.events():
                events.append(event)
                if isinstance(event, AssistantDelta):
                    await engine.cancel_response(100)
                if isinstance(event, TurnDone):
                    break
            await engine.aclose()
            await chat.aclose()
            return events

    events = asyncio.run(go())
    assert events[-1] == TurnDone(cut_off=True, reason="cancelled")
