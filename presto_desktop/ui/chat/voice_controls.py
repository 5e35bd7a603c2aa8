"""The composer's voice controls: the mic button, mute, and the status line with its level meter.

They only show state and emit intent (`toggled`, `mute_toggled`); the shell connects them to
the voice controller (ui/voice), which this package never imports.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.ui.chat.composer import make_icon_button, tint_button
from presto_desktop.ui.theme.colors import ThemeColors

SHORTCUT = "Ctrl+M"
START_TIP = f"Talk to the assistant (voice mode, {SHORTCUT})"
STOP_TIP = f"End voice mode ({SHORTCUT})"
STATES = {"listening": "Listening…", "thinking": "Thinking…", "speaking": "Speaking…",
          "connecting": "Connecting…", "off": "Voice off"}
PARTIAL_CHARS = 80  # the user's words so far, as much as the line shows


def meter_value(level: float) -> int:
    """An RMS level (0..1) as a meter percentage: speech sits at ~0.02-0.3, so it is spread."""
    return max(0, min(100, round(math.sqrt(min(1.0, level * 4.0)) * 100)))


class VoiceControls(QObject):
    """The mic and mute buttons (laid out by the panel beside Send) and the status bar."""

    toggled = Signal()
    mute_toggled = Signal(bool)

    def __init__(self, panel: QWidget) -> None:
        super().__init__(panel)
        self._active = self._muted = False
        self._state, self._label, self._problem = "off", "", ""
        self._colors: ThemeColors | None = None
        self.mic_button = make_icon_button(panel, "micButton", "mic", START_TIP, self.toggled.emit)
        self.mic_button.setProperty("voiceState", "off")
        self.mute_button = make_icon_button(panel, "muteButton", "volume",
                                            "Mute the assistant's voice", self._flip_mute)
        self.mute_button.hide()
        self.bar = QWidget(panel)
        self.bar.setObjectName("voiceBar")
        self.status = QLabel(self.bar)
        self.status.setObjectName("voiceStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # transcripts are untrusted text
        self.meter = QProgressBar(self.bar)
        self.meter.setObjectName("voiceLevel")
        self.meter.setAccessibleName("Microphone level")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedSize(72, 8)
        # The last notice or error of this voice session (the path's fallback, a reconnect,
        # a 429, a silent microphone): plain words under the status, not just a tooltip.
        self.note = QLabel(self.bar)
        self.note.setObjectName("voiceNote")
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # server messages are untrusted
        self.note.setWordWrap(True)
        self.note.hide()
        column = QVBoxLayout(self.bar)
        column.setContentsMargins(2, 0, 2, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(row)
        column.addWidget(self.note)
        self.bar.hide()
        self.shortcut = QShortcut(QKeySequence(SHORTCUT), panel)
        self.shortcut.setObjectName("voiceShortcut")
        self.shortcut.activated.connect(self.toggled.emit)

    # -- what the voice controller reports ------------------------------------------------
    def set_active(self, active: bool) -> None:
        """Voice mode started (connecting) or fully ended (microphone closed)."""
        self._active = bool(active)
        self._state = "connecting" if active else "off"
        self.bar.setVisible(self._active)
        self.mute_button.setVisible(self._active)
        self.show_note("")  # a new session starts clean; an ended one's errors are in the chat
        if not active:
            self.meter.setValue(0)
        self._refresh()

    def set_state(self, state: str) -> None:
        """listening | thinking | speaking | off."""
        if self._active and state != "off":
            self._state = state
        self._refresh()

    def set_label(self, label: str) -> None:
        """Which path is in use (realtime, pipeline, offline system voice)."""
        self._label = label
        self._refresh()

    def set_level(self, level: float) -> None:
        """The microphone's level (0..1)."""
        self.meter.setValue(meter_value(level) if self._active else 0)

    def set_problem(self, problem: str) -> None:
        """Why voice cannot work now ("" when it can): the button says so."""
        self._problem = problem
        self._refresh()

    def set_muted(self, muted: bool) -> None:
        """Show whether the assistant's voice is silenced."""
        self._muted = bool(muted)
        self.mute_button.setProperty("iconName", "volume-x" if muted else "volume")
        text = "Unmute the assistant's voice" if muted else "Mute the assistant's voice"
        self.mute_button.setToolTip(text)
        self.mute_button.setAccessibleName(text)
        self.mute_button.setProperty("muted", self._muted)
        self._repolish(self.mute_button)
        self._tint()
        self._refresh()

    def show_partial(self, text: str) -> None:
        """The user's words so far (a live transcript in the status line)."""
        if self._active and text.strip():
            words = text.strip()
            if len(words) > PARTIAL_CHARS:
                words = "…" + words[-PARTIAL_CHARS:]
            self.status.setText(f"{STATES['listening']} “{words}”")

    def show_note(self, text: str) -> None:
        """A note under the status line (fallback, reconnect, an error); "" hides it."""
        self.status.setToolTip(text)
        self.note.setText(text)
        self.note.setAccessibleName(f"Voice note: {text}" if text else "Voice note")
        self.note.setVisible(bool(text))

    def set_colors(self, colors: ThemeColors) -> None:
        """Tint the icons for the palette (on the primary colour while voice is on)."""
        self._colors = colors
        self._tint()

    # -- internals ------------------------------------------------------------------------
    @property
    def state(self) -> str:
        """What the mic button shows: off, connecting, listening, thinking, speaking, unavailable."""
        return self._state if self._active else ("unavailable" if self._problem else "off")

    def status_text(self) -> str:
        """The status line: state, the path, muted."""
        parts = [STATES.get(self._state, self._state)]
        if self._label:
            parts.append(self._label)
        if self._muted:
            parts.append("assistant muted")
        return " · ".join(parts)

    def _refresh(self) -> None:
        state = self.state
        button = self.mic_button
        if state == "unavailable":
            tip = f"Voice is unavailable: {self._problem}"
        elif self._active:
            tip = f"{STOP_TIP} — {self.status_text()}"
        else:
            tip = START_TIP
        button.setToolTip(tip)
        button.setAccessibleName("End voice mode" if self._active else
                                 "Voice unavailable" if state == "unavailable" else
                                 "Start voice mode")
        button.setAccessibleDescription(tip)
        if button.property("voiceState") != state:
            button.setProperty("voiceState", state)
            self._repolish(button)
            self._tint()
        if self._active:
            self.status.setText(self.status_text())

    def _tint(self) -> None:
        colors = self._colors
        if colors is None:  # before the first theme: the palette's button text
            text = self.mic_button.palette().color(QPalette.ColorRole.ButtonText)
            on = self.mic_button.palette().color(QPalette.ColorRole.HighlightedText)
        else:
            text, on = QColor(colors["text"]), QColor(colors["on_primary"])
        tint_button(self.mic_button, on if self._active else text)
        tint_button(self.mute_button, text)

    def _flip_mute(self) -> None:
        self.mute_toggled.emit(not self._muted)

    @staticmethod
    def _repolish(button: QPushButton) -> None:
        """Show a new state property: the look paints by it (a sheet's rules, re-polished)."""
        button.style().unpolish(button)
        button.style().polish(button)
        button.update()
