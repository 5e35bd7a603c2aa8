"""Notices when the microphone or the speaker a voice session uses is removed (unplugged).

QMediaDevices says when the system's device lists change; the session's devices are looked
up by id in the new lists. The open microphone also notices a stop on its own
(audio.QtMicrophone polls its state); this catches the output too, and does it at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from presto_desktop.core.audio.devices import AudioInput
    from presto_desktop.core.audio.pcm import AudioFormat

log = logging.getLogger(__name__)
Which = Literal["input", "output"]


def device_id(device: object) -> bytes | None:
    """The id of the system device behind `device` once open (None: not a system device)."""
    value = getattr(device, "device_id", None)
    return bytes(value) if value else None


class DeviceWatch(QObject):
    """Calls `lost("input" | "output")` once when a watched device leaves the system's lists.

    `media` is a QMediaDevices (tests pass a stand-in with the same two signals and lists).
    """

    def __init__(self, media: Any, lost: Callable[[Which], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._media, self._lost = media, lost
        self._input: object | None = None
        self._output: object | None = None
        self._reported = False
        media.audioInputsChanged.connect(self._inputs_changed)
        media.audioOutputsChanged.connect(self._outputs_changed)

    def watch(self, microphone: object | None, output: object | None) -> None:
        """Watch these devices (their ids are read at each change: known once open)."""
        self._input, self._output, self._reported = microphone, output, False

    def stop(self) -> None:
        """Watch nothing more (the session ended)."""
        self._input = self._output = None
        for signal, slot in ((self._media.audioInputsChanged, self._inputs_changed),
                             (self._media.audioOutputsChanged, self._outputs_changed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):  # already gone with its owner
                pass

    def _inputs_changed(self) -> None:
        self._check("input", self._input, self._media.audioInputs)

    def _outputs_changed(self) -> None:
        self._check("output", self._output, self._media.audioOutputs)

    def _check(self, which: Which, device: object | None,
               listed: Callable[[], list[Any]]) -> None:
        wanted = device_id(device)
        if wanted is None or self._reported:
            return
        if all(bytes(d.id()) != wanted for d in listed()):
            log.warning("voice %s device removed", which)
            self._reported = True
            self._lost(which)


class WatchedInput:
    """A microphone that reports its own end (unplugged) instead of going quiet."""

    def __init__(self, inner: AudioInput, ended: Callable[[], None]) -> None:
        self.inner, self._ended, self._closing = inner, ended, False

    @property
    def format(self) -> AudioFormat:
        """The inner device's format."""
        return self.inner.format

    @property
    def is_open(self) -> bool:
        """The inner device is open."""
        return self.inner.is_open

    async def open(self) -> None:
        """Open the inner device."""
        await self.inner.open()

    async def read(self) -> bytes:
        """The next chunk; an end nobody asked for is reported."""
        chunk = await self.inner.read()
        if not chunk and not self._closing:
            self._closing = True
            self._ended()
        return chunk

    async def close(self) -> None:
        """Close the inner device."""
        self._closing = True
        await self.inner.close()
