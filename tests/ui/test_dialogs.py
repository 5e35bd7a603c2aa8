"""Settings dialog and the window's dialog shortcuts."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from presto_desktop.core.settings import OpenAISettings, Settings
from presto_desktop.ui.openai_settings import OpenAISettingsForm
from presto_desktop.ui.settings_dialog import SettingsDialog


@pytest.fixture(autouse=True)
def no_os_keyring(monkeypatch):
    """Tests never touch the OS keyring: the key store uses its 0600 file."""
    monkeypatch.setattr("presto_desktop.core.secrets._usable_keyring", lambda: None)



def test_settings_dialog_round_trip(qtbot):
    settings = Settings(theme="dark", font_size=13, engine="offline",
                        openai=OpenAISettings(preset="ollama", model="llama3.1"))
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.theme.currentData() == "dark" and dialog.font_size.value() == 13
    assert dialog.openai.preset.currentData() == "ollama"
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    dialog.font_size.setValue(16)
    dialog.engine.setCurrentIndex(dialog.engine.findData("openai"))
    dialog.openai.model.setText("qwen2.5")
    result = dialog.result_settings()
    assert (result.theme, result.font_size, result.engine) == ("light", 16, "openai")
    assert result.openai.model == "qwen2.5" and result.openai.preset == "ollama"
    assert settings.theme == "dark"  # the original is untouched


def test_openai_form_azure_fields_follow_preset(qtbot):
    form = OpenAISettingsForm()
    qtbot.addWidget(form)
    form.load(OpenAISettings(preset="openai"))
    assert not form.azure_endpoint.isEnabled()
    form.preset.setCurrentIndex(form.preset.findData("azure"))
    assert form.azure_endpoint.isEnabled()
    with qtbot.waitSignal(form.test_requested) as blocker:
        form.api_key.setText("sk-test")
        form.test_button.click()
    assert blocker.args[1] == "sk-test"
    assert "sk-test" not in form.value().model_dump_json()


def test_window_opens_dialogs_and_applies_settings(qapp, qloop, qtbot, tmp_path):
    from tests.ui.test_window import build

    folder = tmp_path / "builtin"
    folder.mkdir()
    from presto_desktop.core.modefile import dump_mode
    from tests.factories import make_mode

    (folder / "default.json").write_bytes(dump_mode(make_mode("default")))
    comp = build(qapp, tmp_path, folder)
    comp.start(None)
    library = comp.window.open_library()
    assert isinstance(library, QDialog) and library.isVisible()
    library.reject()
    settings = comp.window.open_settings()
    with qtbot.waitSignal(comp.window.settings_changed) as blocker:
        settings.font_size.setValue(15)
        settings.accept()
    assert blocker.args[0].font_size == 15
    assert comp.settings.font_size == 15
