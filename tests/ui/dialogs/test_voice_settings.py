"""Settings' Voice section: shows the saved voice settings and returns the edited ones."""

from __future__ import annotations

from presto_desktop.core.paths import AppPaths
from presto_desktop.core.settings import VOICES, Settings, SettingsStore, VoiceSettings
from presto_desktop.ui.dialogs.settings import SettingsDialog
from presto_desktop.ui.dialogs.voice_settings import (
    PATHS,
    SYSTEM_VOICE_NOTE,
    VoiceSettingsDialog,
    VoiceSettingsForm,
)


def test_the_form_edits_every_voice_setting(qapp) -> None:
    saved = VoiceSettings(voice="coral", speed=1.25, path="pipeline", input_device="USB Mic")
    form = VoiceSettingsForm(saved, inputs=["Built-in Mic"], outputs=["Speakers"])
    assert [form.voice.itemText(i) for i in range(form.voice.count())] == list(VOICES)
    assert form.voice.currentText() == "coral" and form.speed.value() == 1.25
    assert form.input.currentText() == "USB Mic (not connected)"  # kept, not lost
    form.enabled.setChecked(False)
    form.output.setCurrentIndex(form.output.findData("Speakers"))
    form.voice.setCurrentText("sage")
    form.speed.setValue(0.75)
    form.path.setCurrentIndex(form.path.findData("realtime"))
    form.transcription_url.setText(" http://127.0.0.1:8000/v1 ")
    form.speech_model.setText("kokoro")
    value = form.value()
    assert (value.enabled, value.output_device, value.voice, value.speed, value.path) == (
        False, "Speakers", "sage", 0.75, "realtime")
    assert value.input_device == "USB Mic" and value.speech_model == "kokoro"
    assert value.transcription_base_url == "http://127.0.0.1:8000/v1"


def test_settings_dialog_persists_the_voice_section(qapp, tmp_path) -> None:
    store = SettingsStore(AppPaths.resolve(tmp_path / "data"))
    dialog = SettingsDialog(Settings())
    voice = dialog.open_voice()
    voice.form.voice.setCurrentText("cedar")
    voice.form.speed.setValue(1.5)
    voice.accept()
    store.save(dialog.result_settings())
    loaded = store.load().voice
    assert (loaded.voice, loaded.speed) == ("cedar", 1.5)


def test_every_text_of_the_dialog_shows_at_its_default_width(qapp) -> None:
    dialog = VoiceSettingsDialog(VoiceSettings(path="auto"))
    dialog.show()
    qapp.processEvents()
    form = dialog.form
    combo = form.path
    metrics = combo.fontMetrics()
    room = combo.width() - combo.iconSize().width() - 24  # the arrow and the frame
    for index in range(combo.count()):
        assert metrics.horizontalAdvance(combo.itemText(index)) <= room, combo.itemText(index)
    for edit in (form.transcription_url, form.speech_url):
        assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) < edit.width() - 8
    notes = [note for _, _, note in PATHS]
    assert form.path_note.text() == notes[0] and form.path_note.wordWrap()
    combo.setCurrentIndex(combo.findData("pipeline"))
    assert form.path_note.text() == notes[2]
    assert form.voice_note.text() == SYSTEM_VOICE_NOTE and form.voice_note.isVisible()
    dialog.close()
