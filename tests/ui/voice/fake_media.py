"""A QMediaDevices stand-in: the system's device lists, changed by the test (an unplug)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True)
class FakeDevice:
    """A QAudioDevice as the watch sees it: an id."""

    ident: bytes

    def id(self) -> bytes:  # noqa: A003 - QAudioDevice's name
        """The device's id."""
        return self.ident


class FakeMedia(QObject):
    """audioInputs/audioOutputs and their change signals, like QMediaDevices."""

    audioInputsChanged = Signal()  # noqa: N815 - Qt's names
    audioOutputsChanged = Signal()  # noqa: N815

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[FakeDevice] = []
        self.outputs: list[FakeDevice] = []

    def audioInputs(self) -> list[FakeDevice]:  # noqa: N802
        """The microphones present."""
        return list(self.inputs)

    def audioOutputs(self) -> list[FakeDevice]:  # noqa: N802
        """The outputs present."""
        return list(self.outputs)

    def plug(self, *, inputs: list[bytes] = (), outputs: list[bytes] = ()) -> None:  # type: ignore[assignment]
        """Devices appear."""
        self.inputs += [FakeDevice(i) for i in inputs]
        self.outputs += [FakeDevice(o) for o in outputs]
        self.audioInputsChanged.emit()
        self.audioOutputsChanged.emit()

    def unplug(self, ident: bytes) -> None:
        """The device `ident` goes away: its list's change signal fires."""
        if any(d.ident == ident for d in self.inputs):
            self.inputs = [d for d in self.inputs if d.ident != ident]
            self.audioInputsChanged.emit()
        else:
            self.outputs = [d for d in self.outputs if d.ident != ident]
            self.audioOutputsChanged.emit()
