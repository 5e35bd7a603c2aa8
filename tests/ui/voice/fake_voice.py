"""A scripted VoiceEngine (the test pushes its events) and memory devices for the controller."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from presto_desktop.core.audio.devices import AudioInput, MemoryOutput, TextSpeaker
from presto_desktop.core.audio.pcm import REALTIME_FORMAT, AudioFormat
from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.models import Mode
from presto_desktop.engines.voice_base import VoiceEvent


class ScriptedVoice:
    """A VoiceEngine whose events the test pushes; it records what the session sent."""

    def __init__(self, *, spoken: bool = True, label: str = "Realtime (fake)") -> None:
        self.label = label
        self.path = "realtime" if spoken else "offline"
        self.input_format = REALTIME_FORMAT
        self.output_format: AudioFormat | None = REALTIME_FORMAT if spoken else None
        self.queue: asyncio.Queue[VoiceEvent | None] = asyncio.Queue()
        self.audio = bytearray()
        self.cancels: list[int | None] = []
        self.modes: list[str] = []
        self.closed = False

    async def start(self, mode: Mode, history: list[ChatMessage]) -> None:
        """Nothing to connect."""

    async def update_mode(self, mode: Mode, history: list[ChatMessage]) -> None:
        """Remember the mode."""
        self.modes.append(mode.id)

    async def send_audio(self, pcm: bytes) -> None:
        """Keep what the microphone sent."""
        self.audio += pcm

    async def end_input(self) -> None:
        """Nothing buffered."""

    async def cancel_response(self, played_ms: int | None = None) -> None:
        """Record the barge-in."""
        self.cancels.append(played_ms)

    def push(self, *events: VoiceEvent) -> None:
        """Events the session will read, in order."""
        for event in events:
            self.queue.put_nowait(event)

    async def events(self) -> AsyncIterator[VoiceEvent]:
        """The pushed events until closed."""
        while (event := await self.queue.get()) is not None:
            yield event

    async def aclose(self) -> None:
        """End the event stream."""
        self.closed = True
        self.queue.put_nowait(None)


class LiveInput:
    """A microphone that delivers pushed chunks and waits (like a real one) until closed."""

    def __init__(self, fmt: AudioFormat = REALTIME_FORMAT, *, fail: str | None = None) -> None:
        self.format = fmt
        self.is_open = False
        self.opened = 0
        self.fail = fail
        self.device_id = b""
        self.chunks: asyncio.Queue[bytes] = asyncio.Queue()

    async def open(self) -> None:
        """Open, or fail like a missing device."""
        if self.fail:
            from presto_desktop.core.errors import PrestoError

            raise PrestoError(self.fail)
        self.is_open = True
        self.opened += 1

    async def read(self) -> bytes:
        """The next pushed chunk; b"" once closed or unplugged."""
        if not self.is_open:
            return b""
        return await self.chunks.get()

    def unplug(self) -> None:
        """The device goes away: the pending read ends."""
        self.is_open = False
        self.chunks.put_nowait(b"")

    async def close(self) -> None:
        """Release the device."""
        self.is_open = False
        self.chunks.put_nowait(b"")


class MemoryDevices:
    """VoiceDevices for tests: a LiveInput, a holding MemoryOutput, a TextSpeaker."""

    def __init__(self, *, problem: str | None = None, fail: str | None = None) -> None:
        self.problem_text = problem
        self.microphones: list[LiveInput] = []
        self.outputs: list[MemoryOutput] = []
        self.speakers: list[TextSpeaker] = []
        self.fail = fail
        self.media: Any = None  # a FakeMedia once a session watches its devices

    def watch(self, lost: Any) -> Any:
        """The real DeviceWatch over a stand-in QMediaDevices holding this test's devices."""
        from presto_desktop.ui.voice.device_watch import DeviceWatch
        from tests.ui.voice.fake_media import FakeMedia

        if self.media is None:
            self.media = FakeMedia()
        self.media.plug(inputs=[b"mic-%d" % len(self.microphones)],
                        outputs=[b"out-%d" % len(self.outputs)])
        return DeviceWatch(self.media, lost)

    def problem(self) -> str | None:
        """A configured "no microphone"."""
        return self.problem_text

    def microphone(self, voice: Any) -> AudioInput:
        """A new live input."""
        self.microphones.append(LiveInput(fail=self.fail))
        self.microphones[-1].device_id = b"mic-%d" % len(self.microphones)
        return self.microphones[-1]

    def output(self, voice: Any, fmt: AudioFormat) -> MemoryOutput:
        """Audio is held (still playing) until the test plays it."""
        self.outputs.append(MemoryOutput(fmt, hold=True))
        self.outputs[-1].device_id = b"out-%d" % len(self.outputs)  # type: ignore[attr-defined]
        return self.outputs[-1]

    def speaker(self, voice: Any) -> TextSpeaker:
        """Sentences recorded."""
        self.speakers.append(TextSpeaker())
        return self.speakers[-1]


def opener_for(engine: ScriptedVoice) -> Any:
    """An open_voice stand-in returning `engine`."""
    async def open_voice(voice: Any, chat: Any, mode: Any, history: Any, **_: Any) -> ScriptedVoice:
        return engine
    return open_voice
