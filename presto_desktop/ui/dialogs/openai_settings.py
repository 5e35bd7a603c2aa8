"""The OpenAI-compatible engine's Settings page: presets, server, model list, key, Test connection.

The key field is write-only: a stored key is never shown, a key from the environment is never
saved, and the dialog hands a typed key to the composition root, which stores it in the KeyStore.
Network checks (model list, Test connection) run as asyncio tasks; the dialog never blocks.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.errors import PrestoError
from presto_desktop.core.settings import OpenAISettings
from presto_desktop.engines.openai_config import KEY_ENV, PRESETS, config_from, preset

if TYPE_CHECKING:
    from presto_desktop.core.secrets import KeyStore

PRESET_CHOICES: list[tuple[str, str]] = [(p.id, p.label) for p in PRESETS]


class ModelCombo(QComboBox):
    """An editable model field: type a name or pick one the server listed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor = self.lineEdit()
        assert editor is not None  # editable combo boxes always have one
        editor.setAccessibleName("Model name")

    def text(self) -> str:
        """The model name shown."""
        return self.currentText()

    def setText(self, text: str) -> None:
        """Show `text` as the model name."""
        self.setEditText(text)

    def set_models(self, models: list[str]) -> None:
        """Offer `models` in the list, keeping what is typed (or the first one if empty)."""
        current = self.currentText().strip()
        self.clear()
        self.addItems(models)
        self.setEditText(current or (models[0] if models else ""))


class OpenAISettingsForm(QWidget):
    """Preset, base URL, model, key, Azure fields and a Test connection button."""

    test_requested = Signal(object, str)  # OpenAISettings, typed api key (never logged)
    models_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openaiSettings")
        self._keys: KeyStore | None = None
        self._forget_key = False
        self._loading = False
        self.tasks: set[asyncio.Future[Any]] = set()
        self._build_fields()
        self._name_fields()
        self._lay_out()
        self._connect()
        self.load(OpenAISettings())

    def _build_fields(self) -> None:
        """The editors, buttons and notes (named and laid out separately)."""
        self.preset = QComboBox(self)
        for preset_id, label in PRESET_CHOICES:
            self.preset.addItem(label, preset_id)
        self.base_url = QLineEdit(self)
        self.model = ModelCombo(self)
        self.models_button = QPushButton("Load models", self)
        self.models_button.setToolTip("Ask the server which models it offers")
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.forget_button = QPushButton("Forget stored key", self)
        self.key_note = self._note("keyNote")
        self.azure_endpoint = QLineEdit(self)
        self.azure_endpoint.setPlaceholderText("https://<resource>.openai.azure.com")
        self.azure_api_version = QLineEdit(self)
        self.azure_api_version.setPlaceholderText("2024-10-21")
        self.azure_deployment = QLineEdit(self)
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(1.0, 600.0)
        self.timeout.setSuffix(" s")
        self.test_button = QPushButton("Test connection", self)
        self.test_result = self._note("testResult")

    def _name_fields(self) -> None:
        """Accessible names: what a screen reader says for each field."""
        names = {self.preset: "Server preset", self.base_url: "Base URL", self.model: "Model",
                 self.models_button: "Load models from the server",
                 self.api_key: "API key", self.forget_button: "Forget the stored API key",
                 self.key_note: "API key storage", self.azure_endpoint: "Azure endpoint",
                 self.azure_api_version: "Azure API version",
                 self.azure_deployment: "Azure deployment", self.timeout: "Request timeout",
                 self.test_button: "Test connection", self.test_result: "Connection test result"}
        for widget, name in names.items():
            widget.setAccessibleName(name)

    def _lay_out(self) -> None:
        """The form, with Alt+letter mnemonics, above the Test connection row."""
        model_row = QHBoxLayout()
        model_row.addWidget(self.model, 1)
        model_row.addWidget(self.models_button)
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.forget_button)
        form = QFormLayout()
        self.form = form
        form.addRow("&Preset", self.preset)
        form.addRow("Base &URL", self.base_url)
        # A row whose field is a layout gets no buddy, so its '&' would show literally.
        form.addRow(self._buddy("&Model", self.model), model_row)
        form.addRow(self._buddy("API &key", self.api_key), key_row)
        form.addRow("", self.key_note)
        form.addRow("Azure &endpoint", self.azure_endpoint)
        form.addRow("Azure API &version", self.azure_api_version)
        form.addRow("Azure &deployment", self.azure_deployment)
        form.addRow("&Timeout", self.timeout)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addWidget(self.test_result, 1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)

    def _connect(self) -> None:
        """Preset choice fills the fields; the buttons ask the controller for work."""
        self.preset.currentIndexChanged.connect(self._on_preset_chosen)
        self.test_button.clicked.connect(
            lambda: self.test_requested.emit(self.value(), self.api_key.text()))
        self.models_button.clicked.connect(
            lambda: self.models_requested.emit(self.value(), self.api_key.text()))
        self.forget_button.clicked.connect(self._on_forget)

    def _buddy(self, text: str, field: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(field)  # Alt+letter focuses `field`; the '&' becomes the underline
        return label

    def _note(self, name: str) -> QLabel:
        label = QLabel("", self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # server messages are untrusted
        label.setWordWrap(True)
        return label

    # -- fields ----------------------------------------------------------------------------------
    def _on_preset_chosen(self) -> None:
        """A preset picked by hand brings its own server and model (local servers: none until
        Load models fills the list), so Ollama never keeps OpenAI's model name."""
        if self._loading:
            return
        chosen = preset(str(self.preset.currentData()))
        self.base_url.clear()  # the placeholder shows the preset's address, which is used
        self.model.clear()
        self.model.setText(chosen.model)
        self._on_preset()

    def _on_preset(self) -> None:
        chosen = preset(str(self.preset.currentData()))
        self.base_url.setPlaceholderText(chosen.base_url or "https://host/v1 (or $OPENAI_BASE_URL)")
        editor = self.model.lineEdit()
        assert editor is not None  # the model box is editable
        editor.setPlaceholderText(
            chosen.model or ("press Load models, or type a name" if chosen.base_url
                             else "model name"))
        # Azure's own fields show for the Azure preset only; it needs no base URL.
        for widget in (self.azure_endpoint, self.azure_api_version, self.azure_deployment):
            widget.setEnabled(chosen.azure)
            self.form.setRowVisible(widget, chosen.azure)
        self.base_url.setEnabled(not chosen.azure)
        self.form.setRowVisible(self.base_url, not chosen.azure)

    def load(self, settings: OpenAISettings) -> None:
        """Fill the form from `settings`."""
        index = self.preset.findData(settings.preset)
        self._loading = True
        try:
            self.preset.setCurrentIndex(max(index, 0))
        finally:
            self._loading = False
        self.base_url.setText(settings.base_url)
        self.model.setText(settings.model)
        self.azure_endpoint.setText(settings.azure_endpoint)
        self.azure_api_version.setText(settings.azure_api_version)
        self.azure_deployment.setText(settings.azure_deployment)
        self.timeout.setValue(settings.timeout_s)
        self._on_preset()

    def value(self, base: OpenAISettings | None = None) -> OpenAISettings:
        """The settings the form shows (fields it does not edit are kept from `base`)."""
        base = base or OpenAISettings()
        return base.model_copy(update={
            "preset": str(self.preset.currentData() or "custom"),
            "base_url": self.base_url.text().strip()[:500],
            "model": self.model.text().strip()[:120],
            "azure_endpoint": self.azure_endpoint.text().strip()[:500],
            "azure_api_version": self.azure_api_version.text().strip()[:40],
            "azure_deployment": self.azure_deployment.text().strip()[:120],
            "timeout_s": float(self.timeout.value()),
        })

    # -- the key ---------------------------------------------------------------------------------
    def set_key_store(self, keys: KeyStore | None) -> None:
        """Say where the key lives (keyring or 0600 file) and whether one is stored or in env."""
        self._keys = keys
        stored = False
        if keys is not None:
            with contextlib.suppress(Exception):
                stored = bool(keys.get())
        env_key = bool((os.environ.get(KEY_ENV) or "").strip())
        self.api_key.setPlaceholderText(
            "A key is stored (hidden): type a new one to replace it" if stored
            else f"Uses ${KEY_ENV} when empty")
        self.forget_button.setEnabled(stored)
        notes = []
        if env_key:
            notes.append(f"Using the key from the {KEY_ENV} environment variable; it is never "
                         "saved, and it wins over a stored key while it is set.")
        if keys is not None and not keys.uses_keyring:
            notes.append("No system keyring is available, so a key typed here is kept in a "
                         f"file only your user can read (0600): {keys.file_path}")
        elif keys is not None:
            notes.append("A key typed here is kept in the system keyring.")
        self.key_note.setText("\n".join(notes))
        self.key_note.setVisible(bool(notes))

    def _on_forget(self) -> None:
        self._forget_key = True
        self.api_key.clear()
        self.api_key.setPlaceholderText("The stored key will be forgotten on OK")
        self.forget_button.setEnabled(False)

    def typed_api_key(self) -> str | None:
        """A typed key; "" when Forget was pressed; None when the field was left alone."""
        key = self.api_key.text().strip()
        if key:
            return key
        return "" if self._forget_key else None

    def _config(self, settings: OpenAISettings, typed_key: str) -> Any:
        """The engine configuration the form describes (env and flags win, as at run time)."""
        stored = typed_key.strip() or None
        if stored is None and self._keys is not None and not self._forget_key:
            with contextlib.suppress(Exception):
                stored = self._keys.get()
        return config_from(settings, os.environ, stored_key=stored)

    # -- network checks (asyncio tasks; the dialog never blocks) -----------------------------------
    def start_test(self, settings: OpenAISettings, typed_key: str) -> asyncio.Future[Any] | None:
        """Run Test connection as a task; the outcome shows in `test_result`."""
        from presto_desktop.engines import openai_engine

        return self._run(self.test_button, "Testing…",
                         lambda config: openai_engine.test_connection(config),
                         self.set_test_result, settings, typed_key)

    def start_load_models(self, settings: OpenAISettings,
                          typed_key: str) -> asyncio.Future[Any] | None:
        """Fill the model list from the server's /v1/models as a task."""
        from presto_desktop.engines import openai_engine

        async def models(config: Any) -> tuple[bool, str]:
            try:
                names = await openai_engine.list_models(config)
            except PrestoError as exc:
                return False, str(exc)
            self.model.set_models(names)
            return True, f"{len(names)} models available." if names else "No models listed."

        return self._run(self.models_button, "Loading models…", models, self.set_test_result,
                         settings, typed_key)

    def _run(self, button: QPushButton, busy: str,
             check: Callable[[Any], Awaitable[tuple[bool, str]]],
             show: Callable[[bool, str], None], settings: OpenAISettings,
             typed_key: str) -> asyncio.Future[Any] | None:
        config = self._config(settings, typed_key)
        if config is None:
            show(False, "Nothing to connect to: pick a local server preset, or enter a base "
                         "URL or an API key.")
            return None

        async def go() -> None:
            button.setEnabled(False)
            self.test_result.setText(busy)
            try:
                ok, message = await check(config)
            except PrestoError as exc:
                ok, message = False, str(exc)
            except Exception as exc:  # noqa: BLE001 - any fault becomes a line in the dialog
                ok, message = False, f"{type(exc).__name__}: the check failed."
            button.setEnabled(True)
            show(ok, message)

        task = asyncio.ensure_future(go())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def cancel_tasks(self) -> None:
        """Stop checks still running (the dialog is closing)."""
        for task in list(self.tasks):
            task.cancel()

    def set_test_result(self, ok: bool, message: str) -> None:
        """Show the outcome of Test connection (plain text)."""
        self.test_result.setText(("Connected: " if ok else "Failed: ") + message)
