"""PCM16 mono audio: the format description, resampling, levels and silence."""

from __future__ import annotations

import math
import sys
from array import array
from dataclasses import dataclass

SAMPLE_WIDTH = 2  # bytes: signed 16-bit little-endian, the only sample type the app handles
MAX_SAMPLE = 32768.0
# Below this RMS level (0..1) a chunk counts as silence (about -46 dBFS: room noise).
SILENCE_LEVEL = 0.005


@dataclass(frozen=True)
class AudioFormat:
    """Signed 16-bit little-endian mono PCM at `sample_rate` Hz."""

    sample_rate: int = 24_000

    @property
    def bytes_per_second(self) -> int:
        """Bytes one second of this audio takes."""
        return self.sample_rate * SAMPLE_WIDTH

    def duration_s(self, size: int) -> float:
        """Seconds `size` bytes of this audio last."""
        return size / self.bytes_per_second

    def bytes_for(self, seconds: float) -> int:
        """Bytes for `seconds` of audio, rounded down to whole samples."""
        return int(seconds * self.sample_rate) * SAMPLE_WIDTH

    def silence(self, seconds: float) -> bytes:
        """`seconds` of digital silence."""
        return bytes(self.bytes_for(seconds))


# What the realtime API and /v1/audio/speech (response_format=pcm) use both ways.
REALTIME_FORMAT = AudioFormat(24_000)
# What speech recognisers want; smaller uploads than 24 kHz.
TRANSCRIPTION_FORMAT = AudioFormat(16_000)


def samples(pcm: bytes) -> array[int]:
    """The samples of little-endian PCM16 `pcm` (a trailing odd byte is ignored)."""
    values = array("h")
    values.frombytes(pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH])
    if sys.byteorder == "big":
        values.byteswap()
    return values


def to_bytes(values: array[int]) -> bytes:
    """Little-endian PCM16 bytes of `values`."""
    if sys.byteorder == "big":
        values = array("h", values)
        values.byteswap()
    return values.tobytes()


def rms_level(pcm: bytes) -> float:
    """The RMS level of `pcm`, 0.0 (silence) to 1.0 (full scale), for a level meter."""
    values = samples(pcm)
    if not values:
        return 0.0
    total = sum(map(int.__mul__, values, values))
    return min(1.0, math.sqrt(total / len(values)) / MAX_SAMPLE)


def is_silent(pcm: bytes, threshold: float = SILENCE_LEVEL) -> bool:
    """True when `pcm` stays below `threshold` (empty audio is silent)."""
    return rms_level(pcm) < threshold


def downmix(pcm: bytes, channels: int) -> bytes:
    """Interleaved PCM16 with `channels` channels averaged to mono."""
    if channels == 1:
        return pcm
    values = samples(pcm)
    frames = len(values) // channels
    mono = array("h", (sum(values[i * channels:(i + 1) * channels]) // channels
                       for i in range(frames)))
    return to_bytes(mono)


def resample(pcm: bytes, source_rate: int, target_rate: int) -> bytes:
    """PCM16 mono `pcm` converted from `source_rate` to `target_rate` (linear interpolation)."""
    if source_rate == target_rate or not pcm:
        return pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH]
    if source_rate <= 0 or target_rate <= 0:
        raise ValueError("sample rates must be positive")
    values = samples(pcm)
    count = len(values)
    out_count = max(1, count * target_rate // source_rate)
    step = source_rate / target_rate
    last = count - 1
    out = array("h", bytes(out_count * SAMPLE_WIDTH))
    for i in range(out_count):
        position = i * step
        left = int(position)
        if left >= last:
            out[i] = values[last]
            continue
        frac = position - left
        out[i] = int(values[left] + (values[left + 1] - values[left]) * frac)
    return to_bytes(out)


class Resampler:
    """Resamples a stream chunk by chunk (whole input samples are never split across calls)."""

    def __init__(self, source_rate: int, target_rate: int) -> None:
        self.source_rate, self.target_rate = source_rate, target_rate
        self._odd = b""

    def feed(self, pcm: bytes) -> bytes:
        """The resampled audio for `pcm` (an odd trailing byte waits for the next chunk)."""
        data = self._odd + pcm
        cut = len(data) - len(data) % SAMPLE_WIDTH
        self._odd = data[cut:]
        return resample(data[:cut], self.source_rate, self.target_rate)
