"""Voice in the window, continued: the live user bubble, notices in the voice bar, and a
device unplugged mid-turn (QMediaDevices' change signals) ending voice mode cleanly."""

from __future__ import annotations

from presto_desktop.core.conversations import ConversationStore
from presto_desktop.engines.voice_base import (
    AssistantDelta,
    AudioChunk,
    TurnDone,
    UserTranscript,
    VoiceError,
    VoiceNotice,
)
from presto_desktop.ui.chat.live_user import LIVE_MARK
from presto_desktop.ui.voice.controller import MIC_ENDED, OUTPUT_LOST
from tests.ui.voice.test_voice_window import PCM, build, builtin_dir, rows, spin, start

__all__ = ["builtin_dir"]  # the fixture, shared


def test_the_users_words_stream_into_a_bubble_that_becomes_the_message(
        qapp, qloop, tmp_path, builtin_dir):
    comp, engine, _ = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    before = comp.panel.model.rowCount()
    engine.push(UserTranscript("How much", final=False))
    spin(qloop, lambda: rows(comp)[-1:] == ["How much" + LIVE_MARK])
    engine.push(UserTranscript("How much did I", final=False))
    spin(qloop, lambda: rows(comp)[-1:] == ["How much did I" + LIVE_MARK])
    assert comp.panel.model.rowCount() == before + 1  # one bubble, growing
    assert comp.panel.model.message(before).role == "user"
    engine.push(UserTranscript("How much did I spend?"))
    spin(qloop, lambda: rows(comp)[-1:] == ["How much did I spend?"])
    assert comp.panel.model.rowCount() == before + 1  # the same bubble, now final
    engine.push(AssistantDelta("You spent $240."), AudioChunk(PCM), TurnDone())
    spin(qloop, lambda: "You spent $240." in rows(comp))
    qloop.run_until_complete(comp.shutdown())
    saved = ConversationStore(comp.paths).load(comp.modes.current.id)
    assert [(m.role, m.content) for m in saved[-2:]] == [
        ("user", "How much did I spend?"), ("assistant", "You spent $240.")]


def test_a_reply_that_streams_before_the_final_transcript_stays_below_it(
        qapp, qloop, tmp_path, builtin_dir):
    # Realtime servers often finish transcribing the user after the reply began.
    comp, engine, _ = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    engine.push(UserTranscript("Show my", final=False), AssistantDelta("Here is "))
    spin(qloop, lambda: comp.panel.live_bubble.isVisible())
    engine.push(UserTranscript("Show my spending."), AssistantDelta("your spending."),
                AudioChunk(PCM), TurnDone())
    spin(qloop, lambda: "Here is your spending." in rows(comp))
    assert rows(comp)[-2:] == ["Show my spending.", "Here is your spending."]
    assert not any(row.endswith(LIVE_MARK) for row in rows(comp))
    qloop.run_until_complete(comp.shutdown())  # pending saves finish



def test_voice_ending_mid_utterance_takes_the_unfinished_bubble_away(
        qapp, qloop, tmp_path, builtin_dir):
    comp, engine, _ = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    before = rows(comp)
    engine.push(UserTranscript("Wait, I", final=False))
    spin(qloop, lambda: rows(comp)[-1:] == ["Wait, I" + LIVE_MARK])
    comp.panel.voice_toggled.emit()
    spin(qloop, lambda: not comp.voice.active)
    assert rows(comp) == before
    qloop.run_until_complete(comp.shutdown())  # pending saves finish



def test_notices_and_errors_show_in_the_voice_bar_while_voice_goes_on(
        qapp, qloop, tmp_path, builtin_dir):
    comp, engine, _ = build(qapp, tmp_path, builtin_dir)
    controls = comp.panel.voice
    start(comp, qloop)
    assert controls.note.text() == "Voice: Realtime (fake)"  # the path in use, in words
    fallback = "No realtime here (HTTP 404). Using transcription -> chat -> speech instead."
    engine.push(VoiceNotice(fallback))
    spin(qloop, lambda: controls.note.text() == fallback)
    assert controls.note.isVisible() and controls.note.wordWrap()
    limited = "Speech failed: The server is rate-limiting requests (429); try again in 20 s."
    engine.push(VoiceError(limited, retryable=True))
    spin(qloop, lambda: controls.note.text() == limited)
    assert comp.voice.active and rows(comp)[-1] == limited  # also in the chat, plainly
    comp.panel.voice_toggled.emit()
    spin(qloop, lambda: not comp.voice.active)
    assert not controls.note.isVisible()
    qloop.run_until_complete(comp.shutdown())  # pending saves finish



def test_an_output_unplugged_mid_turn_ends_voice_and_closes_the_microphone(
        qapp, qloop, tmp_path, builtin_dir):
    comp, engine, devices = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    engine.push(UserTranscript("Tell me more."), AssistantDelta("Your spending rose "),
                AudioChunk(PCM))
    output, mic = devices.outputs[0], devices.microphones[0]
    spin(qloop, lambda: output.playing)  # mid-turn: the assistant is speaking
    devices.media.unplug(b"other-device")  # not ours: nothing happens
    devices.media.unplug(b"out-1")
    spin(qloop, lambda: not comp.voice.active)
    assert not mic.is_open and engine.closed and output.closed
    assert rows(comp)[-1] == OUTPUT_LOST and rows(comp).count(OUTPUT_LOST) == 1
    assert comp.panel.voice.mic_button.property("voiceState") == "off"
    qloop.run_until_complete(comp.shutdown())  # pending saves finish



def test_a_microphone_removed_from_the_system_ends_voice_once(qapp, qloop, tmp_path, builtin_dir):
    comp, engine, devices = build(qapp, tmp_path, builtin_dir)
    start(comp, qloop)
    mic = devices.microphones[0]
    devices.media.unplug(b"mic-1")
    mic.unplug()  # the device's own end arrives too: still one message
    spin(qloop, lambda: not comp.voice.active)
    assert not mic.is_open and engine.closed
    assert rows(comp)[-1] == MIC_ENDED and rows(comp).count(MIC_ENDED) == 1
    qloop.run_until_complete(comp.shutdown())  # pending saves finish
