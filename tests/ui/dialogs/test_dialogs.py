"""Settings dialog and the window's dialog shortcuts."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDialog

from presto_desktop.core.settings import OpenAISettings, Settings
from presto_desktop.ui.dialogs.openai_settings import OpenAISettingsForm
from presto_desktop.ui.dialogs.settings import SettingsDialog


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


def test_settings_dialog_offline_pacing(qtbot):
    dialog = SettingsDialog(Settings(offline_pacing_ms=30))
    qtbot.addWidget(dialog)
    assert dialog.pacing.value() == 30
    dialog.pacing.setValue(0)
    assert dialog.pacing.text() == "Instant"
    assert dialog.result_settings().offline_pacing_ms == 0


def test_settings_dialog_kiosk_replay(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.kiosk.text() == "Off"
    dialog.kiosk.setValue(5)
    assert dialog.result_settings().demo_idle_minutes == 5.0
    kept = SettingsDialog(Settings(demo_idle_minutes=0.5))  # set in settings.json
    qtbot.addWidget(kept)
    assert kept.result_settings().demo_idle_minutes == 0.5
    kept.kiosk.setValue(2)
    assert kept.result_settings().demo_idle_minutes == 2.0


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


class Passes(QObject):
    """Counts the loop's passes (a zero timer fires once a pass)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.tick)
        self.timer.start(0)

    def tick(self) -> None:
        self.count += 1


class PolishAndShow(QObject):
    """The loop pass on which `dialog` was first polished, and first shown."""

    def __init__(self, dialog: QDialog, passes: Passes) -> None:
        super().__init__()
        self.passes, self.seen = passes, {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        name = {QEvent.Type.Polish: "Polish", QEvent.Type.Show: "Show"}.get(event.type())
        if name is not None:
            self.seen.setdefault(name, self.passes.count)
        return False


def test_window_opens_dialogs_and_applies_settings(qapp, qloop, qtbot, tmp_path):
    from tests.ui.shell.test_window import build

    folder = tmp_path / "builtin"
    folder.mkdir()
    from presto_desktop.core.modefile import dump_mode
    from tests.factories import make_mode

    (folder / "default.json").write_bytes(dump_mode(make_mode("default")))
    comp = build(qapp, tmp_path, folder)
    comp.start(None)
    passes = Passes()
    library = comp.window.open_library()
    assert isinstance(library, QDialog) and not library.isVisible()  # built on this turn
    watch = PolishAndShow(library, passes)
    library.installEventFilter(watch)
    qtbot.waitUntil(library.isVisible, timeout=2000)
    # Polished (it takes the window's sheet) and shown on later turns, not the same one:
    # together they took ~17 ms of the first open.
    assert watch.seen["Polish"] < watch.seen["Show"]
    library.reject()
    settings = comp.window.open_settings()
    with qtbot.waitSignal(comp.window.settings_changed) as blocker:
        settings.font_size.setValue(15)
        settings.accept()
    assert blocker.args[0].font_size == 15
    assert comp.settings.font_size == 15


# -- OpenAI settings end to end (fakes, no network) ------------------------------------------------
def _comp(qapp, tmp_path, engine=None):
    from presto_desktop.core.modefile import dump_mode
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.secrets import KeyStore
    from presto_desktop.core.store import ModeStore
    from presto_desktop.ui.composition import Composition
    from tests.factories import make_mode
    from tests.ui.fakes import FakeChat, FakeEngine, FakePanel

    folder = tmp_path / "builtin"
    folder.mkdir(exist_ok=True)
    (folder / "default.json").write_bytes(dump_mode(make_mode("default")))
    paths = AppPaths.resolve(tmp_path / "data")
    keys = KeyStore(paths, use_keyring=False)  # the 0600 file backend, never the OS keyring
    comp = Composition(qapp, paths, offline=False, store=ModeStore(paths, builtin_dir=folder),
                       engine=engine or FakeEngine(), chat=FakeChat(), panel=FakePanel(),
                       keys=keys)
    comp.settings.theme = "light"
    comp.start(None)
    comp.window.show()
    return comp, keys


def test_typed_key_is_stored_in_the_key_file_and_switches_engine(qapp, qloop, tmp_path,
                                                                  monkeypatch):
    import stat

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("PRESTO_MODEL", raising=False)
    comp, keys = _comp(qapp, tmp_path)
    old_engine = comp.engine
    dialog = comp.window.open_settings()
    page = dialog.openai
    assert "0600" in page.key_note.text() and str(keys.file_path) in page.key_note.text()
    dialog.engine.setCurrentIndex(dialog.engine.findData("openai"))
    page.model.setText("gpt-4o-mini")
    page.api_key.setText("sk-typed-0123456789abcdef")
    dialog.accept()
    assert keys.get() == "sk-typed-0123456789abcdef"
    assert stat.S_IMODE(Path(keys.file_path).stat().st_mode) == 0o600
    assert "sk-typed" not in comp.paths.settings_file.read_text()
    # The engine was rebuilt with the stored key and the header names its model.
    assert comp.engine.kind == "openai" and comp.engine.config.api_key.startswith("sk-typed")
    assert comp.window.header.engine.text() == "gpt-4o-mini"
    qloop.run_until_complete(asyncio.sleep(0.01))
    assert old_engine.closed
    # Back to offline: the indicator follows.
    dialog = comp.window.open_settings()
    dialog.engine.setCurrentIndex(dialog.engine.findData("offline"))
    dialog.accept()
    assert comp.window.header.engine.text() == "Offline"
    qloop.run_until_complete(comp.shutdown())


def test_environment_key_is_used_but_never_written(qapp, qloop, tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-0123456789abcdef")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    comp, keys = _comp(qapp, tmp_path)
    dialog = comp.window.open_settings()
    assert "OPENAI_API_KEY" in dialog.openai.key_note.text()
    assert dialog.typed_api_key() is None
    dialog.engine.setCurrentIndex(dialog.engine.findData("openai"))
    dialog.accept()
    assert comp.engine.kind == "openai"
    assert keys.get() is None and not Path(keys.file_path).exists()
    data = comp.paths.settings_file.read_text()
    assert "sk-env" not in data
    qloop.run_until_complete(comp.shutdown())


def test_forget_clears_the_stored_key(qapp, qloop, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    comp, keys = _comp(qapp, tmp_path)
    keys.set("sk-old-0123456789abcdef")
    dialog = comp.window.open_settings()
    assert dialog.openai.forget_button.isEnabled()
    assert "stored" in dialog.openai.api_key.placeholderText()
    dialog.openai.forget_button.click()
    dialog.accept()
    assert keys.get() is None


def test_connection_test_and_model_list_run_as_tasks(qapp, qloop, tmp_path, monkeypatch):
    from presto_desktop.engines import openai_engine

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    seen = []

    async def fake_test(config):
        seen.append(config)
        await asyncio.sleep(0.01)
        return True, f"Connected to {config.server_url}: 2 models available."

    async def fake_models(config):
        return ["llama3.1", "qwen2.5"]

    monkeypatch.setattr(openai_engine, "test_connection", fake_test)
    monkeypatch.setattr(openai_engine, "list_models", fake_models)
    comp, _keys = _comp(qapp, tmp_path)
    dialog = comp.window.open_settings()
    page = dialog.openai
    page.preset.setCurrentIndex(page.preset.findData("ollama"))
    page.test_button.click()
    assert not page.test_button.isEnabled() or page.tasks  # running, the dialog stays live
    qloop.run_until_complete(asyncio.gather(*page.tasks))
    assert page.test_result.text().startswith("Connected:")
    assert "localhost:11434" in page.test_result.text()
    assert seen and seen[0].api_key == ""  # no key needed for a local server
    page.models_button.click()
    qloop.run_until_complete(asyncio.gather(*page.tasks))
    assert [page.model.itemText(i) for i in range(page.model.count())] == ["llama3.1", "qwen2.5"]

    async def failing(config):
        return False, "is the server at http://localhost:11434/v1 running?"

    monkeypatch.setattr(openai_engine, "test_connection", failing)
    page.test_button.click()
    qloop.run_until_complete(asyncio.gather(*page.tasks))
    assert page.test_result.text().startswith("Failed:") and "running?" in page.test_result.text()
    dialog.reject()


def test_nothing_configured_says_so_without_a_task(qapp, qloop, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    comp, _keys = _comp(qapp, tmp_path)
    dialog = comp.window.open_settings()
    dialog.openai.preset.setCurrentIndex(dialog.openai.preset.findData("openai"))
    dialog.openai.test_button.click()
    assert not dialog.openai.tasks
    assert dialog.openai.test_result.text().startswith("Failed: Nothing to connect to")
    dialog.reject()


def test_openai_generation_failure_shows_retry_and_keeps_mode(qapp, qloop, tmp_path):
    from tests.ui.fakes import FakeEngine

    class FakeOpenAI(FakeEngine):
        kind = "openai"

        @property
        def label(self) -> str:
            return "gpt-4o-mini"

    engine = FakeOpenAI(fail="The server is busy (503); try again in a moment.")
    comp, _keys = _comp(qapp, tmp_path, engine=engine)
    before = comp.modes.current
    comp.window.route("Presto-Change-O, you're a beekeeper")
    assert qloop.run_until_complete(comp.modes.task) is None
    assert comp.modes.current is before
    message, retryable = comp.panel.errors[-1]
    assert "503" in message and retryable
    assert comp.window.header.engine.text() == "gpt-4o-mini"


def test_trigger_and_welcome_join_the_saved_conversation(qapp, qloop, tmp_path):
    comp, _keys = _comp(qapp, tmp_path)
    comp.window.route("Presto-Change-O, you're a beekeeper")
    mode = qloop.run_until_complete(comp.modes.task)
    deadline = time.monotonic() + 5  # the mode change's steps run on 1 ms timers
    while comp.window.mode_change.pending("content") and time.monotonic() < deadline:
        qapp.processEvents()
    for _ in range(10):
        qapp.processEvents()
    added = [content for name, content in comp.chat.calls if name == "add_message"]
    assert added[-2:] == ["Presto-Change-O, you're a beekeeper", mode.welcome_message]


def test_no_label_shows_a_literal_ampersand(qtbot):
    from PySide6.QtWidgets import QLabel

    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    mnemonic = [label for label in dialog.findChildren(QLabel)
                if "&" in label.text().replace("&&", "")]
    assert {label.text() for label in mnemonic} >= {"&Model", "API &key", "&Font size"}
    assert [label.text() for label in mnemonic if label.buddy() is None] == []


def test_spin_and_combo_arrows_are_styled(qapp):
    from presto_desktop.core.palette import derive_palette
    from presto_desktop.ui.theme.manager import build_stylesheet
    from tests.ui.helpers import colors_from_roles

    roles = derive_palette("#00695c").dark
    qss = build_stylesheet(colors_from_roles(roles, dark=True), 11)
    for part in ("QComboBox::down-arrow", "QSpinBox::up-arrow", "QDoubleSpinBox::down-arrow",
                 "QSpinBox::up-button", "QComboBox::drop-down"):
        assert part in qss
    images = [Path(url) for url in __import__("re").findall(r"image: url\(([^)]+)\)", qss)]
    assert images and all(path.is_file() for path in images)
    # The arrows are drawn in the palette's (dark variant's) text colours.
    assert any(roles.text in path.read_text() for path in images)


def test_preset_brings_its_model_and_header_names_the_preset(qtbot):
    from presto_desktop.engines.openai_config import config_from
    from presto_desktop.ui.composition import engine_label, provisional_label

    form = OpenAISettingsForm()
    qtbot.addWidget(form)
    form.load(OpenAISettings())  # OpenAI with gpt-4o-mini
    assert form.model.text() == "gpt-4o-mini"
    form.preset.setCurrentIndex(form.preset.findData("ollama"))
    assert form.model.text() == "llama3.1" and form.base_url.text() == ""
    form.preset.setCurrentIndex(form.preset.findData("lmstudio"))
    assert form.model.text() == ""  # until Load models fills it
    form.model.set_models(["qwen2.5-7b", "phi-4"])
    assert form.model.text() == "qwen2.5-7b"
    form.model.setText("phi-4")
    form.model.set_models(["qwen2.5-7b", "phi-4"])
    assert form.model.text() == "phi-4"  # a chosen model stays
    # Loading saved settings keeps their model (no preset default over it).
    form.load(OpenAISettings(preset="ollama", model="mistral"))
    assert form.model.text() == "mistral"
    lmstudio = OpenAISettings(preset="lmstudio", model="")
    settings = Settings(engine="openai", openai=lmstudio)
    assert provisional_label(settings, offline=False) == "LM Studio"

    class Engine:
        label = "OpenAI-compatible"
        config = config_from(lmstudio, {})

    assert engine_label(Engine()) == "LM Studio"
