"""Settings' Voice section: on/off, devices, voice, speed, path and the audio endpoints."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.settings import VOICES, VoiceSettings

# (value, the combo's short text, the line under it): the combo stays narrow, the line wraps.
PATHS = [("auto", "Automatic",
          "Realtime on OpenAI and Azure OpenAI, else the pipeline."),
         ("realtime", "Realtime (gpt-realtime)",
          "One WebSocket: the server hears, answers and speaks."),
         ("pipeline", "Pipeline",
          "Transcription -> chat -> speech: any OpenAI-compatible server (Ollama, LM Studio, "
          "speaches, …).")]
DEFAULT_DEVICE = "System default"
SYSTEM_VOICE_NOTE = ("Offline without a speech URL, the system voice reads replies: its voice "
                     "of this name if it has one, else its default.")


def device_names(inputs: bool) -> list[str]:
    """The system's microphones (or outputs) as QMediaDevices lists them."""
    from PySide6.QtMultimedia import QMediaDevices

    devices = QMediaDevices.audioInputs() if inputs else QMediaDevices.audioOutputs()
    return [device.description() for device in devices]


def _device_box(parent: QWidget, names: list[str], chosen: str, accessible: str) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(accessible)
    _fill(box, names, chosen)
    return box


def _fill(box: QComboBox, names: list[str], chosen: str) -> None:
    """The default, the system's devices, and the saved one even when it is unplugged."""
    box.clear()
    box.addItem(DEFAULT_DEVICE, "")
    for name in names:
        box.addItem(name, name)
    if chosen and box.findData(chosen) < 0:
        box.addItem(f"{chosen} (not connected)", chosen)  # kept: it may be plugged in later
    box.setCurrentIndex(max(0, box.findData(chosen)))


def _note(parent: QWidget, text: str, name: str) -> QLabel:
    """A muted, word-wrapped line under a field (it never widens the dialog)."""
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _line(parent: QWidget, text: str, accessible: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit(text, parent)
    edit.setAccessibleName(accessible)
    edit.setPlaceholderText(placeholder)
    return edit


class VoiceSettingsForm(QGroupBox):
    """Edits a copy of Settings.voice; `value()` returns the edited copy."""

    def __init__(self, voice: VoiceSettings, parent: QWidget | None = None, *,
                 inputs: list[str] | None = None, outputs: list[str] | None = None) -> None:
        super().__init__("Voice", parent)
        self.setObjectName("voiceSettings")
        self._voice = voice
        self.enabled = QCheckBox("Voice conversations (the mic button, Ctrl+M)", self)
        self.enabled.setAccessibleName("Voice conversations")
        self.enabled.setChecked(voice.enabled)
        # The system's devices are listed when the dialog is shown, not when it is built
        # (Settings is pre-built hidden at start-up; QtMultimedia's first query takes ~75 ms).
        self._listed = inputs is not None
        self.input = _device_box(self, inputs or [], voice.input_device, "Microphone")
        self.output = _device_box(self, outputs or [], voice.output_device, "Speaker")
        self.voice = QComboBox(self)
        self.voice.setEditable(True)  # servers such as Kokoro or speaches offer other voices
        self.voice.setAccessibleName("Voice")
        self.voice.addItems(list(VOICES))
        self.voice.setCurrentText(voice.voice)
        line = self.voice.lineEdit()
        if line is not None:
            line.setAccessibleName("Voice")
        self.speed = QDoubleSpinBox(self)
        self.speed.setRange(0.25, 4.0)
        self.speed.setSingleStep(0.05)
        self.speed.setSuffix(" ×")
        self.speed.setAccessibleName("Speaking speed")
        self.speed.setValue(voice.speed)
        self.path = QComboBox(self)
        self.path.setAccessibleName("Voice path")
        for value, label, _ in PATHS:
            self.path.addItem(label, value)
        self.path.setCurrentIndex(max(0, self.path.findData(voice.path)))
        self.path_note = _note(self, "", "voicePathNote")
        self.path.currentIndexChanged.connect(self._path_chosen)
        self._path_chosen()
        self.voice_note = _note(self, SYSTEM_VOICE_NOTE, "voiceNote")
        self._build_endpoints(voice)
        self._lay_out()

    def _build_endpoints(self, voice: VoiceSettings) -> None:
        """Transcription and speech: base URL (empty = the chat server) and model."""
        same = "empty: the chat server"
        self.transcription_url = _line(self, voice.transcription_base_url,
                                       "Transcription base URL", same)
        self.transcription_model = _line(self, voice.transcription_model,
                                         "Transcription model", "gpt-4o-mini-transcribe")
        self.speech_url = _line(self, voice.speech_base_url, "Speech base URL", same)
        self.speech_model = _line(self, voice.speech_model, "Speech model", "gpt-4o-mini-tts")
        self.transcription_url.setToolTip(
            "An OpenAI-compatible /v1/audio/transcriptions server (e.g. speaches, LocalAI). "
            "Offline, voice input needs one.")

    def _lay_out(self) -> None:
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.enabled)
        for label, field in (("&Microphone", self.input), ("Spea&ker", self.output),
                             ("&Voice", self.voice), ("", self.voice_note),
                             ("Speaking &speed", self.speed),
                             ("&Path", self.path), ("", self.path_note),
                             ("Transcription &URL", self.transcription_url),
                             ("Transcription model", self.transcription_model),
                             ("Speec&h URL", self.speech_url),
                             ("Speech model", self.speech_model)):
            form.addRow(label, field)

    def _path_chosen(self) -> None:
        """The chosen path's explanation under the combo."""
        notes = {value: note for value, _, note in PATHS}
        self.path_note.setText(notes.get(str(self.path.currentData()), ""))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """List the microphones and speakers the first time the section is shown."""
        if not self._listed:
            self._listed = True
            _fill(self.input, device_names(True), str(self.input.currentData() or ""))
            _fill(self.output, device_names(False), str(self.output.currentData() or ""))
        super().showEvent(event)

    def value(self) -> VoiceSettings:
        """The edited voice settings (a new object)."""
        return self._voice.model_copy(update={
            "enabled": self.enabled.isChecked(),
            "input_device": str(self.input.currentData() or ""),
            "output_device": str(self.output.currentData() or ""),
            "voice": self.voice.currentText().strip()[:60] or self._voice.voice,
            "speed": float(self.speed.value()),
            "path": self.path.currentData(),
            "transcription_base_url": self.transcription_url.text().strip()[:500],
            "transcription_model": self.transcription_model.text().strip()[:120]
            or self._voice.transcription_model,
            "speech_base_url": self.speech_url.text().strip()[:500],
            "speech_model": self.speech_model.text().strip()[:120] or self._voice.speech_model,
        })


class VoiceSettingsDialog(QDialog):
    """Settings > Voice… : the form with OK and Cancel (Settings itself stays short)."""

    def __init__(self, voice: VoiceSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Voice settings")
        self.setObjectName("voiceSettingsDialog")
        self.setAccessibleName("Voice settings")
        self.form = VoiceSettingsForm(voice, self)
        # A preferred width, never below what the fields need (a fixed minimum let the
        # layout squeeze the Path combo's text when the screen is small).
        self.form.setMinimumWidth(max(460, self.form.minimumSizeHint().width()))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
