"""Settings (Ctrl+,): engine, theme, font size, the OpenAI-compatible server's fields, voice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.core.patterns import THEME_SCHEMES
from presto_desktop.core.settings import Settings, VoiceSettings
from presto_desktop.ui.dialogs.openai_settings import OpenAISettingsForm

if TYPE_CHECKING:
    from presto_desktop.core.secrets import KeyStore

ENGINES = [("auto", "Automatic (OpenAI-compatible when configured, else offline)"),
           ("offline", "Offline (built-in, no network)"),
           ("openai", "OpenAI-compatible server")]
_THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
THEMES = [(scheme, _THEME_LABELS[scheme]) for scheme in THEME_SCHEMES]


class SettingsDialog(QDialog):
    """Edits a copy of the settings; `result_settings()` returns it after Accept.

    `keys` (a core.secrets.KeyStore) only tells the OpenAI page where a key lives; the typed
    key itself is returned by `typed_api_key()` and stored by the composition root.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 keys: KeyStore | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.setAccessibleName("Settings")
        self._settings = settings
        self._build_fields()
        # One page, fields at the top: General, then the server (only when it can be used).
        self.general = QGroupBox("General", self)
        form = QFormLayout(self.general)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Engine", self.engine)
        form.addRow("&Theme", self.theme)
        form.addRow("&Font size", self.font_size)
        form.addRow("Offline reply &pacing", self.pacing)
        form.addRow("", self.imagery)
        form.addRow("&Kiosk replay", self.kiosk)
        form.addRow("&Voice", self.voice_button)
        self._build_server()
        self.buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        # The dialog is as tall as what it shows (no empty page), however the server part changes.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)
        layout.addWidget(self.general)
        layout.addWidget(self.server)
        layout.addWidget(self.buttons, 0, Qt.AlignmentFlag.AlignRight)
        self._load(settings, keys)

    def _build_fields(self) -> None:
        """The General fields: engine, theme, font size, offline pacing."""
        self.engine = QComboBox(self)
        for value, label in ENGINES:
            self.engine.addItem(label, value)
        self.engine.setAccessibleName("Engine")
        self.theme = QComboBox(self)
        for value, label in THEMES:
            self.theme.addItem(label, value)
        self.theme.setAccessibleName("Theme")
        self.font_size = QSpinBox(self)
        self.font_size.setRange(8, 28)
        self.font_size.setSuffix(" pt")
        self.font_size.setAccessibleName("Font size")
        self.pacing = QSpinBox(self)
        self.pacing.setRange(0, 200)
        self.pacing.setSingleStep(5)
        self.pacing.setSuffix(" ms per word")
        self.pacing.setSpecialValueText("Instant")
        self.pacing.setAccessibleName("Offline reply pacing")
        self.pacing.setToolTip("How fast offline replies stream into the chat (0: all at once)")
        self.imagery = QCheckBox("&Background imagery", self)
        self.imagery.setAccessibleName("Background imagery")
        self.imagery.setToolTip("A soft gradient and pattern in the mode's colours behind the "
                                "dashboard")
        self.kiosk = QDoubleSpinBox(self)
        self.kiosk.setDecimals(1)
        self.kiosk.setRange(0, 240)
        self.kiosk.setSuffix(" min idle")
        self.kiosk.setSpecialValueText("Off")
        self.kiosk.setAccessibleName("Kiosk replay")
        self.kiosk.setToolTip("With a demo script open: after this long without input, reset "
                              "the demo and play it again (booths, kiosks)")
        self.voice_settings = self._settings.voice  # edited by the Voice… dialog
        self.voice_button = QPushButton("Voice, microphone and speaker…", self)
        self.voice_button.setAccessibleName("Voice settings")
        self.voice_button.setAutoDefault(False)
        self.voice_button.clicked.connect(self.open_voice)

    def open_voice(self) -> QDialog:
        """Settings > Voice…: on/off, devices, voice, speed, path, endpoints."""
        from presto_desktop.ui.dialogs.voice_settings import VoiceSettingsDialog

        dialog = VoiceSettingsDialog(self.voice_settings, self)
        dialog.accepted.connect(lambda: self._voice_accepted(dialog.form.value()))
        # Not WA_DeleteOnClose: it goes with Settings (deleted on close, the test run
        # crashed in PySide6 6.11 when the leftover windows were deleted).
        dialog.open()
        return dialog

    def _voice_accepted(self, voice: VoiceSettings) -> None:
        self.voice_settings = voice

    def _build_server(self) -> None:
        """The OpenAI-compatible server's form and the prefetch switch."""
        self.openai = OpenAISettingsForm(self)
        self.server = QGroupBox("OpenAI-compatible server", self)
        server_layout = QVBoxLayout(self.server)
        server_layout.addWidget(self.openai)
        # Prefetch costs money on paid servers: the switch says so where it is set.
        self.prefetch = QCheckBox("Fetch tab answers ahead (tabs open at once; one extra "
                                  "request per tab after each mode switch)", self)
        self.prefetch.setAccessibleName("Fetch tab answers ahead")
        self.prefetch.setToolTip("After a mode loads, each dashboard tab's answer is asked in "
                                 "the background, one at a time. On paid servers this costs "
                                 "tokens even for tabs nobody clicks.")
        server_layout.addWidget(self.prefetch)
        server_layout.addWidget(self._build_images())
        server_layout.setContentsMargins(0, 4, 0, 0)

    def _build_images(self) -> QWidget:
        """Emblems from the server's image model: a switch (off by default) and the model."""
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.generated = QCheckBox("Emblems from the image model (one request per new mode)",
                                   box)
        self.generated.setAccessibleName("Emblems from the image model")
        self.generated.setToolTip("The offline emblem shows first; the image model's mark "
                                  "fades in when ready and is kept in the data folder.")
        self.image_model = QLineEdit(box)
        self.image_model.setAccessibleName("Image model")
        self.image_model.setPlaceholderText("gpt-image-1, dall-e-3 or a deployment")
        self.image_model.setMaxLength(120)
        row.addWidget(self.generated, 1)
        row.addWidget(self.image_model)
        return box

    def _build_buttons(self) -> QDialogButtonBox:
        """OK and Cancel, without the platform's stock icons."""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAccessibleName(button.text().replace("&", ""))
            button.setIcon(QIcon())  # the platform's stock icons clash with the app's own
        return buttons

    def _load(self, settings: Settings, keys: KeyStore | None) -> None:
        """Show `settings` and connect the fields that react."""
        self.engine.currentIndexChanged.connect(self._show_server)
        self.engine.setCurrentIndex(max(self.engine.findData(settings.engine), 0))
        self.theme.setCurrentIndex(max(self.theme.findData(settings.theme), 0))
        self.font_size.setValue(settings.font_size)
        self.pacing.setValue(settings.offline_pacing_ms)
        self.prefetch.setChecked(settings.prefetch_tabs)
        self.imagery.setChecked(settings.background_imagery)
        self.kiosk.setValue(settings.demo_idle_minutes)
        self.generated.setChecked(settings.generated_images)
        self.image_model.setText(settings.image_model)
        self.openai.load(settings.openai)
        self.openai.set_key_store(keys)
        self.openai.test_requested.connect(self.openai.start_test)
        self.openai.models_requested.connect(self.openai.start_load_models)
        self.openai.setMinimumWidth(560)
        self._show_server()

    def _show_server(self) -> None:
        """The server's fields only matter when the engine may use it (not Offline)."""
        self.server.setVisible(self.engine.currentData() != "offline")

    def done(self, result: int) -> None:
        """Closing stops network checks still running (their results have nowhere to go)."""
        self.openai.cancel_tasks()
        super().done(result)

    def result_settings(self) -> Settings:
        """The edited settings (a new object; the original is untouched)."""
        return self._settings.model_copy(update={
            "engine": self.engine.currentData(),
            "theme": self.theme.currentData(),
            "font_size": int(self.font_size.value()),
            "offline_pacing_ms": int(self.pacing.value()),
            "prefetch_tabs": self.prefetch.isChecked(),
            "background_imagery": self.imagery.isChecked(),
            "demo_idle_minutes": float(self.kiosk.value()),
            "generated_images": self.generated.isChecked(),
            "image_model": self.image_model.text().strip() or "gpt-image-1",
            "openai": self.openai.value(self._settings.openai),
            "voice": self.voice_settings,
        })

    def typed_api_key(self) -> str | None:
        """The key typed on the OpenAI page (None when the field was left alone)."""
        return self.openai.typed_api_key()
