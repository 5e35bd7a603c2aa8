"""Energy-based voice-activity detection: finds utterances in a stream of PCM16 chunks.

Used by the transcription pipeline (which has no server-side detection) and by the voice
session for the level meter, the per-utterance cap and silence-only input.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from presto_desktop.core.audio.pcm import SAMPLE_WIDTH, SILENCE_LEVEL, AudioFormat, rms_level

MAX_UTTERANCE_S = 600.0  # 10 minutes: longer speech is cut into a turn of its own
FRAME_S = 0.03  # decisions per 30 ms frame, whatever the chunk size


@dataclass(frozen=True)
class SpeechStarted:
    """Speech began (barge-in cue while the assistant talks)."""


@dataclass(frozen=True)
class Utterance:
    """A finished utterance: its audio, and whether the 10-minute cap ended it."""

    pcm: bytes
    capped: bool = False


VadEvent = SpeechStarted | Utterance


class EnergyVAD:
    """Speech is `start_s` of frames above `threshold`; it ends after `silence_s` below it."""

    def __init__(self, fmt: AudioFormat, *, threshold: float = SILENCE_LEVEL * 2,
                 start_s: float = 0.09, silence_s: float = 0.7,
                 max_utterance_s: float = MAX_UTTERANCE_S, pre_roll_s: float = 0.3) -> None:
        self.format = fmt
        self.threshold = threshold
        self._frame = max(SAMPLE_WIDTH, fmt.bytes_for(FRAME_S))
        frame_s = fmt.duration_s(self._frame)
        self._start_frames = max(1, round(start_s / frame_s))
        self._silence_frames = max(1, round(silence_s / frame_s))
        self._max_bytes = fmt.bytes_for(max_utterance_s)
        self._pre_roll: deque[bytes] = deque(maxlen=max(1, round(pre_roll_s / frame_s)))
        self._pending = b""
        self._loud_run = 0
        self._quiet_run = 0
        self._speech: bytearray | None = None
        self.heard_speech = False  # any speech at all so far (silence-only input detection)
        self.peak = 0.0  # the loudest frame's level so far

    @property
    def in_speech(self) -> bool:
        """True while an utterance is being collected."""
        return self._speech is not None

    def feed(self, pcm: bytes) -> list[VadEvent]:
        """Take one chunk; returns the events it completed (often none)."""
        data = self._pending + pcm
        events: list[VadEvent] = []
        whole = len(data) - len(data) % self._frame
        for start in range(0, whole, self._frame):
            event = self._frame_in(data[start:start + self._frame])
            if event is not None:
                events.append(event)
        self._pending = data[whole:]
        return events

    def finish(self) -> Utterance | None:
        """The input ended: the utterance in progress, if any (trailing silence trimmed)."""
        speech, self._speech = self._speech, None
        if speech is None:
            return None
        speech += self._pending
        self._pending = b""
        keep = len(speech) - self._quiet_run * self._frame
        return Utterance(bytes(speech[:max(keep, self._frame)]))

    def _frame_in(self, frame: bytes) -> VadEvent | None:
        level = rms_level(frame)
        self.peak = max(self.peak, level)
        loud = level >= self.threshold
        if self._speech is None:
            self._pre_roll.append(frame)
            self._loud_run = self._loud_run + 1 if loud else 0
            if self._loud_run < self._start_frames:
                return None
            self._speech = bytearray(b"".join(self._pre_roll))
            self._pre_roll.clear()
            self._quiet_run = 0
            self.heard_speech = True
            return SpeechStarted()
        self._speech += frame
        self._quiet_run = 0 if loud else self._quiet_run + 1
        if len(self._speech) >= self._max_bytes:
            return self._end(capped=True)
        if self._quiet_run >= self._silence_frames:
            return self._end(capped=False)
        return None

    def _end(self, *, capped: bool) -> Utterance:
        speech, self._speech = self._speech or bytearray(), None
        keep = len(speech) if capped else len(speech) - self._quiet_run * self._frame
        self._loud_run = self._quiet_run = 0
        return Utterance(bytes(speech[:keep]), capped=capped)
