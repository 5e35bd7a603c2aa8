"""Which devices a voice session gets: the QtMultimedia ones (tests pass memory devices)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from collections.abc import Callable

    from presto_desktop.core.audio.devices import AudioInput, AudioOutput, Speaker
    from presto_desktop.core.audio.pcm import AudioFormat
    from presto_desktop.core.settings import VoiceSettings
    from presto_desktop.ui.voice.device_watch import DeviceWatch, Which


@runtime_checkable
class Troubled(Protocol):
    """A device that can say why it does not work (the system voice without an engine)."""

    @property
    def problem(self) -> str | None:
        """One line, or None when it works."""
        ...


class VoiceDevices(Protocol):
    """Makes the microphone, the output and the system voice for one voice session."""

    def problem(self) -> str | None:
        """Why no microphone can be used now (one line), or None."""
        ...

    def microphone(self, voice: VoiceSettings) -> AudioInput:
        """The microphone Settings chose (not yet open)."""
        ...

    def output(self, voice: VoiceSettings, fmt: AudioFormat) -> AudioOutput:
        """The speaker output Settings chose, taking `fmt`."""
        ...

    def speaker(self, voice: VoiceSettings) -> Speaker:
        """The system voice (for engines that make no audio)."""
        ...


class QtDevices:
    """QAudioSource, QAudioSink and QTextToSpeech, parented to `owner` (QtMultimedia loads here)."""

    def __init__(self, owner: QObject, tts_engine: str = "") -> None:
        self._owner = owner
        self._tts_engine = tts_engine  # "" = the platform's default; tests use "mock"

    def problem(self) -> str | None:
        """No microphone, or access denied."""
        from presto_desktop.ui.voice.audio import microphone_problem

        return microphone_problem()

    def microphone(self, voice: VoiceSettings) -> AudioInput:
        """A QtMicrophone on Settings' input device."""
        from presto_desktop.ui.voice.audio import QtMicrophone

        return QtMicrophone(voice.input_device, self._owner)

    def output(self, voice: VoiceSettings, fmt: AudioFormat) -> AudioOutput:
        """A QtAudioOutput on Settings' output device."""
        from presto_desktop.ui.voice.audio import QtAudioOutput

        return QtAudioOutput(voice.output_device, fmt, self._owner)

    def speaker(self, voice: VoiceSettings) -> Speaker:
        """The system voice Settings chose (where the system has it), at Settings' speed."""
        from presto_desktop.ui.voice.speaker import QtSystemVoice

        return QtSystemVoice(self._tts_engine, voice.speed, self._owner, voice=voice.voice)

    def watch(self, lost: Callable[[Which], None]) -> DeviceWatch:
        """A watch on QMediaDevices' lists: `lost` when the session's devices are removed."""
        from PySide6.QtMultimedia import QMediaDevices

        from presto_desktop.ui.voice.device_watch import DeviceWatch

        media = QMediaDevices(self._owner)
        watch = DeviceWatch(media, lost, self._owner)
        media.setParent(watch)
        return watch
