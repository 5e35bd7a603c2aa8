"""VoiceSession over the realtime fake and the pipeline: turns, barge-in, mute, triggers, faults."""

from __future__ import annotations

import asyncio
from typing import Any

from presto_desktop.core.audio.devices import MemoryInput, MemoryOutput, TextSpeaker
from presto_desktop.core.audio.pcm import REALTIME_FORMAT, AudioFormat
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.engines.voice_realtime import RealtimeVoiceEngine
from presto_desktop.session.voice import SILENCE_ONLY, VoiceSession
from tests.core.test_audio import tone
from tests.engines.fake_realtime_server import FakeRealtime, RealtimeScript
from tests.engines.test_openai_engine import MODE, config

MIC = AudioFormat(48_000)  # a typical device rate: the session resamples to the engine's


class Sink:
    """Records what the session reports."""

    def __init__(self) -> None:
        self.messages: list[ChatMessage] = []
        self.tools: list[ToolCall] = []
        self.notices: list[str] = []
        self.errors: list[str] = []
        self.levels: list[float] = []
        self.states: list[str] = []
        self.partials: list[str] = []

    def level(self, value: float) -> None:
        self.levels.append(value)

    def state_changed(self, state: Any) -> None:
        self.states.append(state)

    def user_partial(self, text: str) -> None:
        self.partials.append(text)

    def assistant_partial(self, delta: str) -> None:
        pass

    def message(self, message: ChatMessage) -> None:
        self.messages.append(message)

    def tool_call(self, call: ToolCall) -> None:
        self.tools.append(call)

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def error(self, message: str, retryable: bool) -> None:
        self.errors.append(message)


def converse(script: RealtimeScript, pcm: bytes, *, output: MemoryOutput | None = None,
             muted: bool = False, on_trigger: Any = None) -> tuple[Sink, MemoryInput, int]:
    """One file-driven session against the realtime fake."""
    sink, microphone = Sink(), MemoryInput.from_pcm(pcm, MIC)

    async def go(server: FakeRealtime) -> None:
        engine = RealtimeVoiceEngine(config(server), model="gpt-realtime", voice="marin")
        await engine.start(MODE, [])
        session = VoiceSession(engine, microphone, sink, output=output, speaker=TextSpeaker(),
                               on_trigger=on_trigger)
        session.set_muted(muted)
        async with asyncio.timeout(30):
            await session.run(until_input_ends=True)

    with FakeRealtime(script) as server:
        asyncio.run(go(server))
        cancels = server.types().count("response.cancel")
    return sink, microphone, cancels


def test_a_spoken_turn_becomes_chat_messages_and_audio() -> None:
    output = MemoryOutput(REALTIME_FORMAT)
    sink, microphone, _ = converse(RealtimeScript(tool_call=True), tone(1.0, MIC), output=output)
    assert [m.role for m in sink.messages] == ["user", "assistant"]
    assert sink.messages[0].content == "How much did I spend on flowers?"
    assert sink.messages[1].tool_calls and sink.tools[0].name == "show_chart"
    assert sink.messages[1].status == "stop" and len(output.played) == 4800
    assert sink.notices[0] == "Voice: Realtime (gpt-realtime)" and max(sink.levels) > 0.1
    assert not microphone.is_open and microphone.opened == 1
    assert sink.states[-1] == "off"


def test_barge_in_cuts_the_voice_and_marks_the_unspoken_rest() -> None:
    output = MemoryOutput(REALTIME_FORMAT, hold=True)  # nothing plays until told: still talking
    sink, _, cancels = converse(RealtimeScript(barge_after=2), tone(1.0, MIC), output=output)
    reply = sink.messages[-1]
    assert cancels == 1 and output.cuts >= 1 and not output.queued
    assert reply.status == "stopped" and "cut off; not spoken: You spent $240 this year." in reply.content


def test_mute_silences_the_voice_but_not_the_conversation() -> None:
    output = MemoryOutput(REALTIME_FORMAT)
    sink, _, _ = converse(RealtimeScript(), tone(1.0, MIC), output=output, muted=True)
    assert not output.played and output.muted
    assert [m.role for m in sink.messages] == ["user", "assistant"]


def test_a_spoken_trigger_is_routed_not_answered() -> None:
    routed: list[str] = []
    script = RealtimeScript(transcript="Presto-Change-O, you're a florist")
    sink, _, _ = converse(script, tone(1.0, MIC), on_trigger=routed.append)
    assert routed == ["Presto-Change-O, you're a florist"]
    assert all(m.role != "user" for m in sink.messages)  # the presenter shows the trigger


def test_silence_only_input_is_refused_and_the_mic_closed() -> None:
    sink, microphone, _ = converse(RealtimeScript(speech_bytes=10**9), MIC.silence(2.0))
    assert sink.errors == [SILENCE_ONLY] and not microphone.is_open


def test_a_dropped_socket_keeps_the_partial_reply_marked() -> None:
    sink, _, _ = converse(RealtimeScript(drop_after=1, drop_connections=2), tone(1.0, MIC),
                          output=MemoryOutput(REALTIME_FORMAT))
    reply = next(m for m in sink.messages if m.role == "assistant")
    assert reply.status == "incomplete" and reply.content.startswith("You spent")
    assert "connection lost mid-reply" in reply.content


def test_cancelling_the_session_closes_the_microphone() -> None:
    class Endless(MemoryInput):
        async def read(self) -> bytes:
            await asyncio.sleep(0)
            return MIC.silence(0.05) if self.is_open else b""

    microphone = Endless([], MIC)

    async def go(server: FakeRealtime) -> None:
        engine = RealtimeVoiceEngine(config(server), model="gpt-realtime", voice="marin")
        await engine.start(MODE, [])
        task = asyncio.get_running_loop().create_task(
            VoiceSession(engine, microphone, Sink()).run())
        while not microphone.is_open:
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    with FakeRealtime() as server:
        asyncio.run(go(server))
    assert microphone.opened == 1 and not microphone.is_open


def test_a_microphone_delivering_only_zeros_is_reported_once() -> None:
    from presto_desktop.core.audio.devices import CHUNK_S
    from presto_desktop.session.voice import MIC_SILENT, SILENT_CHECK_S
    from tests.ui.voice.fake_voice import ScriptedVoice

    async def go(pcm: bytes) -> Sink:
        sink = Sink()
        session = VoiceSession(ScriptedVoice(), MemoryInput.from_pcm(pcm, MIC), sink,
                               output=MemoryOutput(REALTIME_FORMAT))
        task = asyncio.get_running_loop().create_task(session.run())
        chunks = -(-len(pcm) // MIC.bytes_for(CHUNK_S))
        for _ in range(100_000):  # loop turns until every chunk was read (no clock)
            if len(sink.levels) >= chunks:
                break
            await asyncio.sleep(0)
        session.stop()
        await task
        return sink

    silent = MIC.silence(SILENT_CHECK_S * 2)
    sink = asyncio.run(go(silent))
    assert sink.notices.count(MIC_SILENT) == 1 and not sink.errors
    spoken = tone(1.0, MIC) + MIC.silence(SILENT_CHECK_S * 2)
    assert MIC_SILENT not in asyncio.run(go(spoken)).notices  # a live microphone is quiet
