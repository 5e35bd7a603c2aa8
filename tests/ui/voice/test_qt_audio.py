"""The real QtMultimedia path against a PulseAudio server (scripts/ci_audio.sh starts one in CI).

QAudioSink plays into the null sink, QAudioSource records a tone written into the pipe
source's FIFO, and QtTextToSpeech's mock engine speaks. Without a server the test is skipped
with the reason; with PRESTO_REQUIRE_AUDIO=1 (CI) it fails instead.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from presto_desktop.core.audio.pcm import REALTIME_FORMAT, rms_level
from tests.core.test_audio import tone

pytestmark = pytest.mark.audio


def _why_no_audio() -> str | None:
    """Why this machine cannot run the test, or None."""
    if shutil.which("pactl") is None:
        return "no PulseAudio here (pactl not installed); CI runs it via scripts/ci_audio.sh"
    info = subprocess.run(["pactl", "info"], capture_output=True, timeout=15, check=False)
    if info.returncode != 0:
        return "no PulseAudio server reachable (start one: scripts/ci_audio.sh start DIR)"
    if not os.environ.get("PRESTO_AUDIO_FIFO"):
        return "PRESTO_AUDIO_FIFO is not set (the pipe source scripts/ci_audio.sh makes)"
    return None


@pytest.fixture
def fifo() -> Path:
    """The pipe source's FIFO, or skip (fail under PRESTO_REQUIRE_AUDIO=1)."""
    why = _why_no_audio()
    if why is not None:
        if os.environ.get("PRESTO_REQUIRE_AUDIO") == "1":
            pytest.fail(f"PRESTO_REQUIRE_AUDIO=1 but {why}")
        pytest.skip(why)
    return Path(os.environ["PRESTO_AUDIO_FIFO"])


def _feed(fifo: Path, pcm: bytes) -> threading.Thread:
    """Write `pcm` into the FIFO from a thread at about real-time pace, like a microphone
    (the pipe source passes a burst on at once, more than the recorder's buffer holds)."""
    piece = REALTIME_FORMAT.bytes_for(0.05)

    def write() -> None:
        with open(fifo, "wb") as pipe:
            for start in range(0, len(pcm), piece):
                pipe.write(pcm[start:start + piece])
                pipe.flush()
                time.sleep(0.05)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


async def _record(fifo: Path) -> bytes:
    from presto_desktop.ui.voice.audio import QtMicrophone

    microphone = QtMicrophone()
    await microphone.open()
    writer = _feed(fifo, tone(1.5, REALTIME_FORMAT, amplitude=12000))
    heard = bytearray()
    try:
        while rms_level(bytes(heard[-4800:])) < 0.1 and len(heard) < 30 * 48_000:
            chunk = await asyncio.wait_for(microphone.read(), 10)
            assert chunk, "the microphone ended"
            heard += chunk
    finally:
        await microphone.close()
    writer.join(10)
    assert not microphone.is_open and await microphone.read() == b""
    return bytes(heard)


async def _play() -> tuple[bool, int]:
    from presto_desktop.ui.voice.audio import QtAudioOutput

    output = QtAudioOutput()
    output.write(tone(0.3, REALTIME_FORMAT))
    was_playing = output.playing
    await asyncio.wait_for(output.drain(), 10)
    assert not output.playing
    output.write(tone(2.0, REALTIME_FORMAT))
    unplayed = len(output.cut())
    await output.close()
    return was_playing, unplayed


def test_qt_multimedia_records_plays_and_the_mock_voice_speaks(qapp, qloop, qtbot, fifo) -> None:
    from presto_desktop.ui.voice.speaker import QtSystemVoice

    heard = qloop.run_until_complete(_record(fifo))
    assert rms_level(heard[-4800:]) >= 0.1  # the tone written into the FIFO came through
    was_playing, unplayed = qloop.run_until_complete(_play())
    assert was_playing and unplayed > 0  # the cut returned audio that was not played
    voice = QtSystemVoice("mock")
    assert voice.engine_name == "mock" and voice.problem is None
    voice.say("Your balance is on screen.")
    qtbot.waitUntil(lambda: not voice.speaking, timeout=20_000)
    assert voice.spoken == ["Your balance is on screen."]
