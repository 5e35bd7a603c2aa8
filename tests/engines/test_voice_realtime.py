"""The realtime voice engine through the real openai SDK against a loopback Realtime fake."""

from __future__ import annotations

import asyncio

from presto_desktop.core.audio.pcm import REALTIME_FORMAT
from presto_desktop.core.chat import ToolCall
from presto_desktop.core.settings import VoiceSettings
from presto_desktop.engines.openai_engine import OpenAIEngine
from presto_desktop.engines.voice_base import (
    AssistantDelta,
    AudioChunk,
    TurnDone,
    UserTranscript,
    VoiceError,
    VoiceNotice,
)
from presto_desktop.engines.voice_factory import open_voice
from presto_desktop.engines.voice_pipeline import PipelineVoiceEngine
from presto_desktop.engines.voice_realtime import RECONNECTED, RECONNECTING, RealtimeVoiceEngine
from tests.core.test_audio import tone
from tests.engines.fake_realtime_server import FakeRealtime, RealtimeScript
from tests.engines.test_openai_engine import MODE, config

SPOKEN = tone(1.0, REALTIME_FORMAT)


async def until_done(engine: RealtimeVoiceEngine, audio: bytes = SPOKEN) -> list:
    """Send `audio`, collect events up to the next TurnDone."""
    await engine.send_audio(audio)
    events = []
    async for event in engine.events():
        events.append(event)
        if isinstance(event, TurnDone):
            break
    return events


def run(server: FakeRealtime, body) -> list:  # noqa: ANN001 - an async callable
    async def go() -> list:
        engine = RealtimeVoiceEngine(config(server), model="gpt-realtime", voice="cedar")
        await engine.start(MODE, [])
        try:
            return await body(engine)
        finally:
            await engine.aclose()

    return asyncio.run(go())


def test_a_turn_over_the_realtime_socket() -> None:
    with FakeRealtime() as server:
        events = run(server, until_done)
        update = server.received[0]
    assert update["type"] == "session.update"
    session = update["session"]
    assert "one or two short sentences" in session["instructions"]
    assert MODE.persona.name in session["instructions"]  # persona facts
    assert {t["name"] for t in session["tools"]} == {"show_chart", "show_metrics"}
    assert session["audio"]["output"]["voice"] == "cedar"
    assert session["audio"]["input"]["turn_detection"]["type"] == "server_vad"
    assert UserTranscript("How much did I spend on flowers?") in events
    assert UserTranscript("How much", final=False) in events
    text = "".join(e.text for e in events if isinstance(e, AssistantDelta))
    assert text == "You spent $240 this year. The chart shows each month."
    assert sum(len(e.pcm) for e in events if isinstance(e, AudioChunk)) == 3 * 4800
    assert events[-1] == TurnDone()


def test_tool_call_shows_then_speaks_a_follow_up() -> None:
    with FakeRealtime(RealtimeScript(tool_call=True)) as server:
        events = run(server, until_done)
        types = server.types()
    calls = [e for e in events if isinstance(e, ToolCall)]
    assert calls and calls[0].name == "show_chart"
    assert events.index(calls[0]) < events.index(next(e for e in events if isinstance(e, AudioChunk)))
    assert "conversation.item.create" in types and types.count("response.create") == 1
    assert events[-1] == TurnDone()


def test_barge_in_cancels_the_response() -> None:
    async def body(engine: RealtimeVoiceEngine) -> list:
        await engine.send_audio(SPOKEN)
        events = []
        async for event in engine.events():
            events.append(event)
            if isinstance(event, AudioChunk):
                await engine.cancel_response(played_ms=40)
            if isinstance(event, TurnDone):
                break
        return events

    with FakeRealtime(RealtimeScript(barge_after=1)) as server:
        events = run(server, body)
        received = server.received
    assert {"type": "response.cancel"} in received
    truncate = next(e for e in received if e["type"] == "conversation.item.truncate")
    assert truncate["audio_end_ms"] == 40 and truncate["item_id"] == "item_1"
    assert events[-1] == TurnDone(cut_off=True, reason="cancelled")


def test_a_dropped_socket_reconnects_once() -> None:
    async def body(engine: RealtimeVoiceEngine) -> list:
        first = await until_done(engine)
        notes = []
        async for event in engine.events():  # audio sent while reconnecting is lost
            notes.append(event)
            if event == VoiceNotice(RECONNECTED):
                break
        second = await until_done(engine)
        return [first, notes, second]

    with FakeRealtime(RealtimeScript(drop_after=1)) as server:
        first, notes, second = run(server, body)
        connections = server.connections
    assert "".join(e.text for e in first if isinstance(e, AssistantDelta)) == "You spent "
    assert first[-1] == TurnDone(cut_off=True, reason="dropped")
    assert notes == [VoiceNotice(RECONNECTING), VoiceNotice(RECONNECTED)]
    assert second[-1] == TurnDone() and UserTranscript("How much did I spend on flowers?") in second
    assert connections == 2


def test_a_second_drop_ends_with_an_error() -> None:
    async def body(engine: RealtimeVoiceEngine) -> list:
        await until_done(engine)
        async for event in engine.events():
            if event == VoiceNotice(RECONNECTED):
                break
        await engine.send_audio(SPOKEN)
        return [event async for event in engine.events()]

    with FakeRealtime(RealtimeScript(drop_after=1, drop_connections=2)) as server:
        rest = run(server, body)
    errors = [e for e in rest if isinstance(e, VoiceError)]
    assert errors and "lost again" in errors[0].message


def test_a_server_without_realtime_falls_back_to_the_pipeline() -> None:
    async def go(server: FakeRealtime) -> tuple[str, list]:
        chat = OpenAIEngine(config(server))
        engine = await open_voice(VoiceSettings(path="realtime"), chat, MODE, [])
        try:
            first = await anext(aiter(engine.events()))
            return engine.label, [engine, first]
        finally:
            await engine.aclose()
            await chat.aclose()

    with FakeRealtime(RealtimeScript(handshake_status=404)) as server:
        label, (engine, notice) = asyncio.run(go(server))
    assert isinstance(engine, PipelineVoiceEngine) and label.startswith("Pipeline")
    assert isinstance(notice, VoiceNotice) and "no realtime endpoint" in notice.text
    assert "transcription -> chat -> speech" in notice.text


def test_handshake_faults_are_one_plain_line() -> None:
    """401/403 name the key, 429 gives Retry-After's wait, 5xx says try later."""
    from presto_desktop.core.errors import EngineError

    async def go(server: FakeRealtime) -> EngineError:
        engine = RealtimeVoiceEngine(config(server), model="gpt-realtime", voice="cedar")
        try:
            await engine.start(MODE, [])
        except EngineError as exc:
            return exc
        finally:
            await engine.aclose()
        raise AssertionError("the handshake did not fail")

    cases = [(401, {}, "refused the API key (HTTP 401)", False),
             (403, {}, "refused the API key (HTTP 403)", False),
             (429, {"Retry-After": "12"}, "rate-limiting (HTTP 429); try voice again in 12 s", True),
             (429, {}, "try voice again in a moment", True),
             (503, {}, "failed (HTTP 503); try again later", True)]
    for status, headers, words, retryable in cases:
        script = RealtimeScript(handshake_status=status, handshake_headers=headers)
        with FakeRealtime(script) as server:
            error = asyncio.run(go(server))
        assert words in str(error) and error.retryable is retryable, (status, str(error))
        assert "\n" not in str(error)
