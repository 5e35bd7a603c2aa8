"""The OpenAI-compatible engine's Settings page: a form bound to core.settings.OpenAISettings."""

from __future__ import annotations

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

from presto_desktop.core.settings import OpenAISettings

try:  # the OpenAI engineer's presets; a plain list keeps this page working without them
    from presto_desktop.engines.openai_config import PRESETS as _PRESETS

    PRESET_CHOICES: list[tuple[str, str]] = [(p.id, p.label) for p in _PRESETS]
except ImportError:  # pragma: no cover - only before openai_config lands
    PRESET_CHOICES = [("openai", "OpenAI"), ("azure", "Azure OpenAI"), ("ollama", "Ollama"),
                      ("lmstudio", "LM Studio"), ("llamacpp", "llama.cpp server"),
                      ("vllm", "vLLM"), ("custom", "Custom")]


class OpenAISettingsForm(QWidget):
    """Preset, base URL, model, key, Azure fields and a Test connection button."""

    test_requested = Signal(object, str)  # OpenAISettings, api key (never logged)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openaiSettings")
        self.preset = QComboBox(self)
        for preset_id, label in PRESET_CHOICES:
            self.preset.addItem(label, preset_id)
        self.base_url = QLineEdit(self)
        self.base_url.setPlaceholderText("https://api.openai.com/v1 (or $OPENAI_BASE_URL)")
        self.model = QLineEdit(self)
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("Uses $OPENAI_API_KEY when empty")
        self.azure_endpoint = QLineEdit(self)
        self.azure_api_version = QLineEdit(self)
        self.azure_deployment = QLineEdit(self)
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(1.0, 600.0)
        self.timeout.setSuffix(" s")
        self.test_button = QPushButton("Test connection", self)
        self.test_result = QLabel("", self)
        self.test_result.setObjectName("testResult")
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setWordWrap(True)
        names = {self.preset: "Server preset", self.base_url: "Base URL", self.model: "Model",
                 self.api_key: "API key", self.azure_endpoint: "Azure endpoint",
                 self.azure_api_version: "Azure API version",
                 self.azure_deployment: "Azure deployment", self.timeout: "Request timeout",
                 self.test_button: "Test connection", self.test_result: "Connection test result"}
        for widget, name in names.items():
            widget.setAccessibleName(name)

        form = QFormLayout()
        form.addRow("&Preset", self.preset)
        form.addRow("Base &URL", self.base_url)
        form.addRow("&Model", self.model)
        form.addRow("API &key", self.api_key)
        form.addRow("Azure &endpoint", self.azure_endpoint)
        form.addRow("Azure API &version", self.azure_api_version)
        form.addRow("Azure &deployment", self.azure_deployment)
        form.addRow("&Timeout", self.timeout)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(test_row)
        layout.addStretch(1)
        self.preset.currentIndexChanged.connect(self._sync_azure)
        self.test_button.clicked.connect(
            lambda: self.test_requested.emit(self.value(), self.api_key.text()))
        self.load(OpenAISettings())

    def _sync_azure(self) -> None:
        azure = self.preset.currentData() == "azure"
        for widget in (self.azure_endpoint, self.azure_api_version, self.azure_deployment):
            widget.setEnabled(azure)

    def load(self, settings: OpenAISettings) -> None:
        """Fill the form from `settings`."""
        index = self.preset.findData(settings.preset)
        self.preset.setCurrentIndex(max(index, 0))
        self.base_url.setText(settings.base_url)
        self.model.setText(settings.model)
        self.azure_endpoint.setText(settings.azure_endpoint)
        self.azure_api_version.setText(settings.azure_api_version)
        self.azure_deployment.setText(settings.azure_deployment)
        self.timeout.setValue(settings.timeout_s)
        self._sync_azure()

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

    def set_test_result(self, ok: bool, message: str) -> None:
        """Show the outcome of Test connection (plain text)."""
        self.test_result.setText(("Connected: " if ok else "Failed: ") + message)

    def typed_api_key(self) -> str | None:
        """The key typed into the field, or None when nothing was typed."""
        key = self.api_key.text().strip()
        return key or None
