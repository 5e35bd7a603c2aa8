"""QtMultimedia devices behind core.audio's protocols: the microphone and the speaker output.

Both run on the GUI thread's qasync loop and never block it: the microphone is read in pull
mode (its QIODevice's readyRead fills an asyncio queue), the output is fed in push mode from
a short timer with at most what the device's buffer has room for.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QCoreApplication, QIODevice, QObject, Qt, QTimer
from PySide6.QtMultimedia import (
    QAudioDevice,
    QAudioFormat,
    QAudioSink,
    QAudioSource,
    QMediaDevices,
    QtAudio,
)

from presto_desktop.core.audio.pcm import REALTIME_FORMAT, SAMPLE_WIDTH, AudioFormat, Resampler
from presto_desktop.core.errors import PrestoError

log = logging.getLogger(__name__)
NO_MICROPHONE = "No microphone found: connect one or check the system's sound settings."
MIC_DENIED = "Microphone access is denied: allow it in the system's privacy settings."
MIC_FAILED = "The microphone could not be opened (in use by another program, or denied)."
RATES = (24_000, 48_000, 44_100, 16_000)  # tried in order when the preferred one fails
WATCH_MS = 250  # how often an open microphone's state is checked
FEED_MS = 10  # the output's top-up period; its buffer holds OUTPUT_BUFFER_S
OUTPUT_BUFFER_S = 0.2


def pick_device(devices: list[QAudioDevice], name: str, default: QAudioDevice) -> QAudioDevice:
    """The device whose description is `name` ("" or not found: the system default)."""
    return next((d for d in devices if name and d.description() == name), default)


def pcm16_mono(device: QAudioDevice, wanted: int) -> QAudioFormat:
    """A PCM16 mono format the device takes: `wanted` Hz if it can, else its own rate."""
    fmt = QAudioFormat()
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    preferred = device.preferredFormat().sampleRate()
    for rate in (wanted, preferred, *RATES):
        fmt.setSampleRate(rate)
        if rate > 0 and device.isFormatSupported(fmt):
            return fmt
    fmt.setSampleRate(wanted)  # none said yes: let the backend convert (PulseAudio does)
    return fmt


def microphone_problem() -> str | None:
    """Why no microphone can be used now (one line), or None."""
    if not QMediaDevices.audioInputs():
        return NO_MICROPHONE
    return _permission_problem()


def _permission_problem() -> str | None:
    from PySide6.QtCore import QMicrophonePermission

    app = QCoreApplication.instance()
    if app is None:
        return None
    status = app.checkPermission(QMicrophonePermission())
    return MIC_DENIED if status == Qt.PermissionStatus.Denied else None


class QtMicrophone(QObject):
    """AudioInput over QAudioSource: PCM16 mono at the device's rate, read in pull mode."""

    def __init__(self, device_name: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = device_name
        self.device_id = b""  # the system device's id once open
        self._source: QAudioSource | None = None
        self._io: QIODevice | None = None
        self._queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._format = AudioFormat(REALTIME_FORMAT.sample_rate)
        self._open = False
        # PySide6 cannot pass stateChanged's QAudio::State to Python (a TypeError per emit):
        # the device's state is polled instead, to notice an unplugged microphone.
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._state_changed)

    @property
    def format(self) -> AudioFormat:
        """The chunks' format (the device's rate, known once open)."""
        return self._format

    @property
    def is_open(self) -> bool:
        """True between open and close."""
        return self._open

    async def open(self) -> None:
        """Start capturing from the chosen (or default) microphone; PrestoError if none."""
        if self._open:
            return
        problem = microphone_problem()
        if problem is not None:
            raise PrestoError(problem)
        device = pick_device(QMediaDevices.audioInputs(), self._name,
                             QMediaDevices.defaultAudioInput())
        fmt = pcm16_mono(device, REALTIME_FORMAT.sample_rate)
        source = QAudioSource(device, fmt, self)
        source.setBufferSize(fmt.bytesForDuration(100_000))  # 100 ms: a lively meter
        io = source.start()
        if io is None or source.error() != QtAudio.Error.NoError:
            source.deleteLater()
            raise PrestoError(MIC_FAILED)
        io.readyRead.connect(self._ready)
        self._source, self._io = source, io
        self.device_id = bytes(device.id().data())  # ui/voice/device_watch.py looks for it
        self._format = AudioFormat(fmt.sampleRate())
        self._queue = asyncio.Queue()
        self._open = True
        self._watch.start()
        log.info("microphone open: %s at %d Hz", device.description(), fmt.sampleRate())

    def _ready(self) -> None:
        """readyRead: hand what arrived to the reader (whole samples only)."""
        if self._io is None:
            return
        data = bytes(self._io.readAll().data())
        if data:
            self._queue.put_nowait(data)

    def _state_changed(self) -> None:
        """A device that stops on its own (unplugged) ends the input: read returns b""."""
        source = self._source
        if (source is not None and source.state() == QtAudio.State.StoppedState
                and source.error() != QtAudio.Error.NoError):
            log.warning("microphone stopped: %s", source.error())
            self._open = False
            self._watch.stop()
            self._queue.put_nowait(b"")

    async def read(self) -> bytes:
        """The next chunk; b"" once the microphone closed or ended."""
        if not self._open and self._queue.empty():
            return b""
        chunk = await self._queue.get()
        return chunk[: len(chunk) - len(chunk) % SAMPLE_WIDTH]

    async def close(self) -> None:
        """Stop capturing and release the device (idempotent)."""
        self._open = False
        self._watch.stop()
        source, self._source, self._io = self._source, None, None
        if source is not None:
            source.stop()
            source.deleteLater()
            log.info("microphone closed")
        # What arrived after the last read is dropped: once closed, a read gets b"" (a chunk
        # queued in the same turn as the close came back after it, seen in CI).
        while not self._queue.empty():
            self._queue.get_nowait()
        self._queue.put_nowait(b"")  # wakes a pending read


class QtAudioOutput(QObject):
    """AudioOutput over QAudioSink: 24 kHz PCM16 mono in, resampled if the device wants more."""

    def __init__(self, device_name: str = "", fmt: AudioFormat = REALTIME_FORMAT,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._format = fmt
        device = pick_device(QMediaDevices.audioOutputs(), device_name,
                             QMediaDevices.defaultAudioOutput())
        self._device_fmt = pcm16_mono(device, fmt.sample_rate)
        self.device_id = bytes(device.id().data())  # ui/voice/device_watch.py looks for it
        self._sink = QAudioSink(device, self._device_fmt, self)
        self._sink.setBufferSize(self._device_fmt.bytesForDuration(int(OUTPUT_BUFFER_S * 1e6)))
        self._resampler = Resampler(fmt.sample_rate, self._device_fmt.sampleRate())
        self._pending = bytearray()  # in the device's format, not yet handed to the device
        self._io: QIODevice | None = None
        self._sent = 0  # device bytes written since the sink (re)started
        self._muted = self._closed = False
        self._waiters: list[asyncio.Future[None]] = []
        self._timer = QTimer(self)
        self._timer.setInterval(FEED_MS)
        self._timer.timeout.connect(self._feed)

    @property
    def format(self) -> AudioFormat:
        """The format write expects (the voice engine's output format)."""
        return self._format

    @property
    def device_rate(self) -> int:
        """The rate the device plays at."""
        return self._device_fmt.sampleRate()

    @property
    def muted(self) -> bool:
        """True while written audio is consumed unheard."""
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        self._muted = bool(value)
        if self._muted:
            self.cut()

    @property
    def playing(self) -> bool:
        """True while queued audio is still to be heard."""
        return bool(self._pending) or self._unplayed_in_device() > 0

    def write(self, pcm: bytes) -> None:
        """Queue `pcm` (resampled to the device) and top the device up now; never blocks."""
        if self._muted or self._closed or not pcm:
            return
        self._pending += self._resampler.feed(pcm)
        if self._io is None:
            self._io = self._sink.start()
            self._sent = 0
        self._feed()
        if not self._timer.isActive():
            self._timer.start()

    def _feed(self) -> None:
        """Hand the device as much as its buffer has room for."""
        self._state_changed()
        if self._io is None:
            self._timer.stop()
            return
        room = self._sink.bytesFree()
        room -= room % SAMPLE_WIDTH
        if room > 0 and self._pending:
            written = self._io.write(bytes(self._pending[:room]))
            if written > 0:
                del self._pending[:written]
                self._sent += written
        if not self.playing:
            self._timer.stop()
            self._wake()

    def _unplayed_in_device(self) -> int:
        """Device bytes written but not yet played."""
        if self._io is None or self._sink.state() == QtAudio.State.IdleState:
            return 0  # idle: the device ran out of audio, everything was heard
        played = self._device_fmt.bytesForDuration(self._sink.processedUSecs())
        left = self._sent - played
        # processedUSecs lags by a period: a few ms left is the end, not more audio.
        return left if left > self._device_fmt.bytesForDuration(FEED_MS * 1000) else 0

    def cut(self) -> bytes:
        """Stop at once; the unplayed audio's length in `format` (its content as silence
        for what the device had already taken)."""
        device_bytes = len(self._pending) + self._unplayed_in_device()
        self._pending.clear()
        if self._io is not None:
            self._sink.reset()  # drops the device's buffer
            self._sink.stop()
            self._io = None
        self._timer.stop()
        self._resampler = Resampler(self._format.sample_rate, self._device_fmt.sampleRate())
        self._wake()
        ratio = self._format.sample_rate / self._device_fmt.sampleRate()
        size = int(device_bytes * ratio)
        return bytes(size - size % SAMPLE_WIDTH)

    async def drain(self) -> None:
        """Wait until everything queued has played (or was cut)."""
        if not self.playing:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def _wake(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _state_changed(self) -> None:
        """The device went away: what was queued is lost, nobody waits for it."""
        sink = self._sink
        if sink.state() == QtAudio.State.StoppedState and sink.error() != QtAudio.Error.NoError:
            log.warning("audio output stopped: %s", self._sink.error())
            self._pending.clear()
            self._io = None
            self._wake()

    async def close(self) -> None:
        """Stop and release the device (idempotent)."""
        self.cut()
        self._closed = True
        self._sink.stop()
