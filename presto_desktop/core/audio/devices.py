"""Audio device protocols (microphone, speaker output, system voice) and plain implementations.

The window implements them over QAudioSource / QAudioSink / QTextToSpeech; the headless
`voice` command and the tests use the memory and file devices here. All methods are called
on the asyncio loop's thread and never block it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from presto_desktop.core.audio.pcm import SAMPLE_WIDTH, AudioFormat
from presto_desktop.core.audio.wav import read_wav, write_wav

CHUNK_S = 0.05  # 50 ms chunks: small enough for a lively meter and quick barge-in


@runtime_checkable
class AudioInput(Protocol):
    """A microphone (or a file standing in for one) delivering PCM16 mono chunks."""

    @property
    def format(self) -> AudioFormat:
        """The format of the chunks `read` returns."""
        ...

    @property
    def is_open(self) -> bool:
        """True between `open` and `close`."""
        ...

    async def open(self) -> None:
        """Start capturing; raises PrestoError (one line) when there is no usable device."""
        ...

    async def read(self) -> bytes:
        """The next chunk, waiting for it; b"" once the input has ended (file) or closed."""
        ...

    async def close(self) -> None:
        """Stop capturing and release the device; safe to call twice or before `open`."""
        ...


@runtime_checkable
class AudioOutput(Protocol):
    """A speaker: queued PCM plays in order; `cut` stops it at once for barge-in."""

    @property
    def format(self) -> AudioFormat:
        """The format `write` expects."""
        ...

    @property
    def muted(self) -> bool:
        """True while audio is discarded instead of heard (the conversation goes on)."""
        ...

    @muted.setter
    def muted(self, value: bool) -> None: ...

    @property
    def playing(self) -> bool:
        """True while queued audio is still to be heard."""
        ...

    def write(self, pcm: bytes) -> None:
        """Queue `pcm` for playing; never blocks."""
        ...

    def cut(self) -> bytes:
        """Stop at once and return the queued audio that was not played yet."""
        ...

    async def drain(self) -> None:
        """Wait until everything queued has played."""
        ...

    async def close(self) -> None:
        """Stop and release the device; safe to call twice."""
        ...


@runtime_checkable
class Speaker(Protocol):
    """A system text-to-speech voice (QtTextToSpeech in the window), for engines without audio."""

    @property
    def speaking(self) -> bool:
        """True while a queued sentence is still being spoken."""
        ...

    def say(self, text: str) -> None:
        """Queue one sentence; never blocks."""
        ...

    def stop(self) -> None:
        """Stop speaking at once and forget what is queued."""
        ...


class MemoryInput:
    """An input that plays back given chunks, then ends (b"")."""

    def __init__(self, chunks: Iterable[bytes], fmt: AudioFormat) -> None:
        self._chunks = list(chunks)
        self._format = fmt
        self._open = False
        self.opened = 0  # how often `open` ran (tests check the device was used and closed)

    @classmethod
    def from_pcm(cls, pcm: bytes, fmt: AudioFormat, chunk_s: float = CHUNK_S) -> MemoryInput:
        """An input delivering `pcm` in `chunk_s` pieces."""
        size = max(SAMPLE_WIDTH, fmt.bytes_for(chunk_s))
        return cls((pcm[i:i + size] for i in range(0, len(pcm), size)), fmt)

    @property
    def format(self) -> AudioFormat:
        """The chunks' format."""
        return self._format

    @property
    def is_open(self) -> bool:
        """True between open and close."""
        return self._open

    async def open(self) -> None:
        """Start delivering chunks."""
        self._open = True
        self.opened += 1

    async def read(self) -> bytes:
        """The next chunk (a loop turn first, like a real device), or b"" at the end."""
        await asyncio.sleep(0)
        if not self._open or not self._chunks:
            return b""
        return self._chunks.pop(0)

    async def close(self) -> None:
        """Stop; later reads return b""."""
        self._open = False


class FileInput(MemoryInput):
    """A WAV file read as if spoken into a microphone (checked by core.audio.wav.read_wav)."""

    def __init__(self, path: Path | str, chunk_s: float = CHUNK_S) -> None:
        pcm, fmt = read_wav(path)
        size = max(SAMPLE_WIDTH, fmt.bytes_for(chunk_s))
        super().__init__((pcm[i:i + size] for i in range(0, len(pcm), size)), fmt)


class MemoryOutput:
    """An output that "plays" instantly into `played` (muted audio is dropped, as unheard)."""

    def __init__(self, fmt: AudioFormat, *, hold: bool = False) -> None:
        self._format = fmt
        self._muted = False
        # hold=True keeps written audio queued until `play` (tests of barge-in).
        self._hold = hold
        self.queued = bytearray()
        self.played = bytearray()
        self.cuts = 0
        self.closed = False

    @property
    def format(self) -> AudioFormat:
        """The format write expects."""
        return self._format

    @property
    def muted(self) -> bool:
        """True while written audio is dropped."""
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        self._muted = value

    @property
    def playing(self) -> bool:
        """True while held audio waits."""
        return bool(self.queued)

    def write(self, pcm: bytes) -> None:
        """Queue (hold) or play `pcm`; muted audio is consumed unheard."""
        if self._muted:
            return
        self.queued += pcm
        if not self._hold:
            self.play()

    def play(self, size: int | None = None) -> None:
        """Move `size` queued bytes (all by default) to `played`."""
        size = len(self.queued) if size is None else size - size % SAMPLE_WIDTH
        self.played += self.queued[:size]
        del self.queued[:size]

    def cut(self) -> bytes:
        """Drop what is queued and return it."""
        rest = bytes(self.queued)
        self.queued.clear()
        self.cuts += 1
        return rest

    async def drain(self) -> None:
        """Play everything queued."""
        self.play()

    async def close(self) -> None:
        """Mark closed."""
        self.queued.clear()
        self.closed = True


class FileOutput(MemoryOutput):
    """Collects what is played and writes it as a WAV file on `save` (only when asked)."""

    def save(self, path: Path | str) -> Path:
        """Write the played audio to `path` atomically."""
        return write_wav(path, bytes(self.played), self.format)


class TextSpeaker:
    """A Speaker that records sentences instead of speaking them (headless and tests)."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.stops = 0

    @property
    def speaking(self) -> bool:
        """Never busy: nothing is heard."""
        return False

    def say(self, text: str) -> None:
        """Remember `text`."""
        self.said.append(text)

    def stop(self) -> None:
        """Count the stop."""
        self.stops += 1
