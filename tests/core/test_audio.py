"""core.audio: WAV checks, resampling, levels, the energy VAD and its 10-minute cap."""

from __future__ import annotations

import math
import os
import struct
import wave
from array import array
from pathlib import Path

import pytest

from presto_desktop.core.audio.devices import FileInput, FileOutput, MemoryInput, MemoryOutput
from presto_desktop.core.audio.pcm import (
    AudioFormat,
    Resampler,
    downmix,
    is_silent,
    resample,
    rms_level,
    to_bytes,
)
from presto_desktop.core.audio.vad import MAX_UTTERANCE_S, EnergyVAD, SpeechStarted, Utterance
from presto_desktop.core.audio.wav import AudioFileError, read_wav, wav_bytes, write_wav
from presto_desktop.core.speech_text import (
    SentenceSplitter,
    mark_cut_off,
    mark_dropped,
    speakable,
)

F16 = AudioFormat(16_000)


def tone(seconds: float, fmt: AudioFormat = F16, amplitude: int = 8000) -> bytes:
    """A 440 Hz tone."""
    count = int(seconds * fmt.sample_rate)
    step = 2 * math.pi * 440 / fmt.sample_rate
    return to_bytes(array("h", (int(amplitude * math.sin(i * step)) for i in range(count))))


def write_raw_wav(path: Path, pcm: bytes, *, rate: int = 16_000, channels: int = 1,
                  width: int = 2) -> Path:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(pcm)
    return path


def test_wav_round_trip(tmp_path: Path) -> None:
    pcm = tone(0.5)
    path = write_wav(tmp_path / "a.wav", pcm, F16)
    assert read_wav(path) == (pcm, F16)


def test_stereo_is_mixed_down(tmp_path: Path) -> None:
    left = array("h", [1000, 2000, 3000])
    right = array("h", [3000, 4000, 5000])
    frames = array("h", [v for pair in zip(left, right, strict=True) for v in pair])
    path = write_raw_wav(tmp_path / "s.wav", to_bytes(frames), channels=2)
    pcm, _ = read_wav(path)
    assert list(array("h", pcm)) == [2000, 3000, 4000]


@pytest.mark.parametrize(("tag", "word"), [(3, "floating point"), (7, "mu-law"), (0x55, "MP3")])
def test_non_pcm_is_refused_in_one_line(tmp_path: Path, tag: int, word: str) -> None:
    fmt = struct.pack("<HHIIHH", tag, 1, 16000, 32000, 2, 16)
    data = b"RIFF" + struct.pack("<I", 36) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
    data += b"data" + struct.pack("<I", 4) + b"\x00" * 4
    (tmp_path / "x.wav").write_bytes(data)
    with pytest.raises(AudioFileError) as info:
        read_wav(tmp_path / "x.wav")
    assert word in str(info.value) and "\n" not in str(info.value)


def test_eight_bit_corrupt_and_foreign_files_are_refused(tmp_path: Path) -> None:
    eight = write_raw_wav(tmp_path / "8.wav", b"\x80" * 100, width=1)
    with pytest.raises(AudioFileError, match="8-bit"):
        read_wav(eight)
    good = wav_bytes(tone(0.1), F16)
    (tmp_path / "cut.wav").write_bytes(good[:30])
    with pytest.raises(AudioFileError, match="corrupt"):
        read_wav(tmp_path / "cut.wav")
    (tmp_path / "text.wav").write_text("hello, not audio")
    with pytest.raises(AudioFileError, match="not a WAV"):
        read_wav(tmp_path / "text.wav")
    empty = write_raw_wav(tmp_path / "empty.wav", b"")
    with pytest.raises(AudioFileError, match="no audio"):
        read_wav(empty)


def test_size_cap_and_special_files_are_checked_before_reading(tmp_path: Path) -> None:
    big = write_wav(tmp_path / "big.wav", tone(0.5), F16)
    with pytest.raises(AudioFileError, match="too large"):
        read_wav(big, limit=1000)
    with pytest.raises(AudioFileError, match="folder"):
        read_wav(tmp_path)
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.wav")
        with pytest.raises(AudioFileError, match="named pipe"):
            read_wav(tmp_path / "pipe.wav")


def test_resample_and_levels() -> None:
    pcm = tone(1.0)
    assert len(resample(pcm, 16_000, 24_000)) == 48_000
    assert len(resample(pcm, 16_000, 8_000)) == 16_000
    assert resample(pcm, 16_000, 16_000) == pcm
    stream = Resampler(16_000, 24_000)
    pieces = b"".join(stream.feed(pcm[i:i + 999]) for i in range(0, len(pcm), 999))
    assert abs(len(pieces) - 48_000) <= 200
    assert 0.15 < rms_level(pcm) < 0.2
    assert rms_level(b"") == 0.0 and is_silent(F16.silence(0.2)) and not is_silent(pcm)
    assert downmix(pcm, 1) == pcm


def test_vad_finds_an_utterance_after_trailing_silence() -> None:
    vad = EnergyVAD(F16)
    events = vad.feed(F16.silence(0.5) + tone(1.0) + F16.silence(1.0))
    assert isinstance(events[0], SpeechStarted) and isinstance(events[1], Utterance)
    assert 1.0 <= F16.duration_s(len(events[1].pcm)) <= 1.5
    assert not events[1].capped and vad.heard_speech and not vad.in_speech


def test_vad_chunking_does_not_matter() -> None:
    pcm = F16.silence(0.3) + tone(0.8) + F16.silence(1.0)
    whole = EnergyVAD(F16).feed(pcm)
    vad = EnergyVAD(F16)
    pieces = [event for i in range(0, len(pcm), 777) for event in vad.feed(pcm[i:i + 777])]
    assert whole == pieces


def test_vad_silence_only_and_finish() -> None:
    vad = EnergyVAD(F16)
    assert vad.feed(F16.silence(3.0)) == [] and not vad.heard_speech
    assert vad.finish() is None
    vad.feed(tone(0.5))
    last = vad.finish()
    assert last is not None and not last.capped


def test_vad_caps_an_utterance() -> None:
    assert MAX_UTTERANCE_S == 600.0  # ten minutes per utterance
    vad = EnergyVAD(F16, max_utterance_s=2.0)
    events = vad.feed(tone(5.0))
    utterances = [e for e in events if isinstance(e, Utterance)]
    assert utterances and utterances[0].capped
    assert F16.duration_s(len(utterances[0].pcm)) == pytest.approx(2.0, abs=0.05)


def test_devices(tmp_path: Path) -> None:
    import asyncio

    path = write_wav(tmp_path / "q.wav", tone(0.2), F16)

    async def go() -> bytes:
        microphone = FileInput(path)
        await microphone.open()
        data = b""
        while chunk := await microphone.read():
            data += chunk
        await microphone.close()
        return data

    assert asyncio.run(go()) == tone(0.2)
    output = MemoryOutput(F16, hold=True)
    output.write(b"\x01\x00" * 10)
    output.play(6)
    assert output.playing and output.cut() == b"\x01\x00" * 7 and not output.playing
    output.muted = True
    output.write(b"\x01\x00")
    assert bytes(output.played) == b"\x01\x00" * 3
    saved = FileOutput(F16)
    saved.write(tone(0.1))
    assert read_wav(saved.save(tmp_path / "r.wav"))[0] == tone(0.1)
    assert MemoryInput.from_pcm(tone(0.1), F16).format == F16


def test_sentences_for_speech() -> None:
    splitter = SentenceSplitter()
    found = splitter.feed("Hello there, friend. You spent **$240** th")
    found += splitter.feed("is year. More on screen:\n- item one") + splitter.flush()
    assert [s for s, _ in found] == ["Hello there, friend.", "You spent **$240** this year.",
                                     "More on screen:", "- item one"]
    assert found[1][1] == len("Hello there, friend. You spent **$240** this year. ")
    assert speakable("You spent **$240** [here](file:///etc/passwd)") == "You spent $240 here"
    assert "cut off" in mark_cut_off("one two three", 3) and mark_cut_off("ab", 2) == "ab"
    assert "connection lost" in mark_dropped("partial")
