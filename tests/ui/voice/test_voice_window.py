"""Voice in the window: the mic button's states, mute, barge-in, saved transcripts, spoken
triggers, charts while speaking, and the microphone closed on stop, error and window close."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.engines.voice_base import (
    AssistantDelta,
    AudioChunk,
    SpeakText,
    TurnDone,
    UserSpeechStarted,
    UserTranscript,
    VoiceError,
)
from presto_desktop.engines.voice_factory import OFFLINE_NO_TRANSCRIPTION
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.voice.controller import MIC_ENDED
from tests.engines.fake_realtime_server import CHART_ARGS
from tests.factories import assistant_mode, bank_mode, builtin_folder
from tests.ui.fakes import FakeEngine
from tests.ui.voice.fake_voice import MemoryDevices, ScriptedVoice, opener_for

PCM = b"\x00\x10" * 2400  # 100 ms at 24 kHz


@pytest.fixture
def builtin_dir(tmp_path: Path) -> Path:
    return builtin_folder(tmp_path / "builtin", assistant_mode(), bank_mode())


PATIENCE_S = 20.0  # a limit for a stuck test, never a speed goal


def spin(loop: asyncio.AbstractEventLoop, done: Callable[[], bool], turns: int = 5000) -> None:
    """Run loop turns until `done()`: at least `turns` turns and at least PATIENCE_S seconds.

    Turns alone ran out under CPU load before a frame-paced step (a timer) came due.
    """
    async def wait() -> None:
        deadline = time.monotonic() + PATIENCE_S
        count = 0
        while count < turns or time.monotonic() < deadline:
            if done():
                return
            count += 1
            await asyncio.sleep(0 if count < turns else 0.005)
        raise AssertionError("the condition was not reached")
    loop.run_until_complete(wait())


def build(qapp, tmp_path: Path, builtin_dir: Path, *, endpoint: bool = True,
          engine: ScriptedVoice | None = None, devices: MemoryDevices | None = None):
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=FakeEngine())
    if endpoint:  # offline voice input needs a transcription endpoint (the opener is fake)
        comp.settings.voice.transcription_base_url = "http://127.0.0.1:9/v1"
    engine = engine or ScriptedVoice()
    devices = devices or MemoryDevices()
    comp.voice.use(devices=devices, opener=opener_for(engine))
    comp.voice.refresh()
    comp.window.show()
    comp.start(None)
    return comp, engine, devices


def start(comp: Composition, loop: asyncio.AbstractEventLoop) -> None:
    comp.panel.voice_toggled.emit()  # the mic button
    spin(loop, lambda: comp.voice.state == "listening")


def rows(comp: Composition) -> list[str]:
    model = comp.panel.model
    return [model.message(row).content for row in range(model.rowCount())]


def test_offline_without_an_endpoint_says_so_on_the_button(qapp, qloop, tmp_path, builtin_dir):
    comp, _, devices = build(qapp, tmp_path, builtin_dir, endpoint=False)
    button = comp.panel.voice.mic_button
    assert button.property("voiceState") == "unavailable"
    assert OFFLINE_NO_TRANSCRIPTION in button.toolTip()
    comp.panel.voice_toggled.emit()
    assert not comp.voice.active and not devices.microphones  # nothing pretends to listen
    assert OFFLINE_NO_TRANSCRIPTION in rows(comp)[-1]


def test_mic_button_states_and_the_microphone_closed_on_stop(qapp, qloop, tmp_path, builtin_dir):
    comp, engine, devices = build(qapp, tmp_path, builtin_dir)
    button, controls = comp.panel.voice.mic_button, comp.panel.voice
    assert button.property("voiceState") == "off" and "Ctrl+M" in button.toolTip()
    start(comp, qloop)
    assert button.property("voiceState") == "listening"
    assert controls.bar.isVisible() and controls.mute_button.isVisible()
    assert "Listening" in controls.status.text() and "Realtime (fake)" in controls.status.text()
    mic = devices.microphones[0]
    mic.chunks.put_nowait(b"\x00\x40" * 1200)
    spin(qloop, lambda: controls.meter.value() > 0)
    engine.push(UserTranscript("How much", final=False))
    spin(qloop, lambda: "How much" in controls.status.text())
    engine.push(AssistantDelta("Let me check."))
    spin(qloop, lambda: button.property("voiceState") == "speaking")
    comp.panel.voice_toggled.emit()  # off again
    spin(qloop, lambda: not comp.voice.active)
    assert not mic.is_open and engine.closed and button.property("voiceState") == "off"
    assert not controls.bar.isVisible()


def test_spoken_turns_are_bubbles_saved_in_the_conversation(qapp, qloop, tmp_path, builtin_dir):
    comp, engine, devices = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    engine.push(UserTranscript("How much did I spend?"), AssistantDelta("You spent "),
                AssistantDelta("$240."), AudioChunk(PCM), TurnDone())
    spin(qloop, lambda: "You spent $240." in rows(comp))
    assert rows(comp)[-2:] == ["How much did I spend?", "You spent $240."]
    qloop.run_until_complete(comp.shutdown())
    saved = ConversationStore(comp.paths).load(comp.modes.current.id)
    assert [(m.role, m.content) for m in saved[-2:]] == [
        ("user", "How much did I spend?"), ("assistant", "You spent $240.")]
    assert not devices.microphones[0].is_open  # the window closed: the microphone too


def test_mute_and_barge_in_marks_the_bubble(qapp, qloop, tmp_path, builtin_dir):
    comp, engine, devices = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    comp.panel.mute_toggled.emit(True)
    output = devices.outputs[0]
    assert output.muted and comp.panel.voice.mute_button.property("muted") is True
    assert "assistant muted" in comp.panel.voice.status.text()
    comp.panel.mute_toggled.emit(False)
    assert not output.muted and comp.voice.state == "listening"  # still in voice mode
    engine.push(UserTranscript("Tell me everything."), AssistantDelta("You spent $240 this year."),
                AudioChunk(PCM))
    spin(qloop, lambda: output.playing)  # held: the assistant is still talking
    engine.push(UserSpeechStarted())
    spin(qloop, lambda: engine.cancels)
    engine.push(TurnDone(cut_off=True, reason="cancelled"))
    spin(qloop, lambda: any("cut off" in row for row in rows(comp)))
    last = comp.panel.model.message(comp.panel.model.rowCount() - 1)
    assert last.status == "stopped" and "not spoken: You spent $240 this year." in last.content


def test_a_spoken_trigger_switches_the_mode(qapp, qloop, tmp_path, builtin_dir):
    comp, engine, _ = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    engine.push(UserTranscript("Presto-Change-O, you're a bank"))
    spin(qloop, lambda: comp.modes.current.id == "banking" and engine.modes == ["banking"])
    assert "Presto-Change-O, you're a bank" in rows(comp)
    assert comp.voice.active  # the conversation goes on in the new mode


def test_a_tool_call_draws_while_the_voice_speaks(qapp, qloop, tmp_path, builtin_dir):
    import json

    comp, engine, _ = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    engine.push(UserTranscript("Show my spending."), AssistantDelta("Here it is."),
                AudioChunk(PCM), ToolCall("show_chart", json.loads(CHART_ARGS)))
    chart = comp.window.dashboard.chart
    spin(qloop, lambda: chart.chart is not None and chart.chart.type == "bar")
    assert comp.voice.state == "speaking"  # the reply is still being spoken


def test_errors_and_an_unplugged_microphone_close_it(qapp, qloop, tmp_path, builtin_dir):
    comp, engine, devices = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    engine.push(VoiceError("The realtime connection was lost twice.", retryable=False))
    qloop.run_until_complete(engine.aclose())
    spin(qloop, lambda: not comp.voice.active)
    assert not devices.microphones[0].is_open
    assert "The realtime connection was lost twice." in rows(comp)[-1]
    comp.voice.use(opener=opener_for(ScriptedVoice()))
    start(comp, qloop)  # again, then the device goes away
    devices.microphones[1].unplug()
    spin(qloop, lambda: not comp.voice.active)
    assert not devices.microphones[1].is_open and rows(comp)[-1] == MIC_ENDED


def test_no_microphone_is_reported_and_nothing_stays_open(qapp, qloop, tmp_path, builtin_dir):
    devices = MemoryDevices(fail="No microphone found: connect one.")
    comp, engine, _ = build(qapp, tmp_path, builtin_dir, devices=devices)
    comp.panel.voice_toggled.emit()
    spin(qloop, lambda: devices.microphones and not comp.voice.active)
    assert rows(comp)[-1] == "No microphone found: connect one." and engine.closed


def test_offline_replies_go_to_the_system_voice(qapp, qloop, tmp_path, builtin_dir):
    engine = ScriptedVoice(spoken=False, label="Offline (system voice)")
    comp, _, devices = build(qapp, tmp_path, builtin_dir, engine=engine)
    start(comp, qloop)
    assert "Offline (system voice)" in comp.panel.voice.status.text()
    engine.push(UserTranscript("Hello"), AssistantDelta("Hi there."), SpeakText("Hi there.", 9),
                TurnDone())
    spin(qloop, lambda: "Hi there." in rows(comp))
    assert devices.speakers[0].said == ["Hi there."] and not devices.outputs
