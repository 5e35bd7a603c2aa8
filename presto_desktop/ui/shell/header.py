"""The header: painted monogram, company name, tagline, library button, engine badge, Settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.ui.common.safe_text import tooltip
from presto_desktop.ui.theme.colors import ThemeColors
from presto_desktop.ui.theme.icons import icon_size, tinted_icon

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode
    from presto_desktop.session.replies import Origin

COMPANY_KEEP = 140  # px of the company name a narrow header still shows (then "…")


def initials(company: str) -> str:
    """Up to two initials from the company's words (letters and digits only)."""
    # Markup-looking parts ("<b>") are not letters of the name.
    words = ["".join(ch for ch in word if ch.isalnum())
             for word in re.sub(r"<[^>]*>", " ", company).split()]
    letters = [word[0] for word in words if word]
    if not letters:
        return "?"
    return (letters[0] + (letters[1] if len(letters) > 1 else "")).upper()


class Emblem(QWidget):
    """A round monogram of the company initials in the mode's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emblem")
        self.setFixedSize(48, 48)
        self._text = "?"
        self._colors: ThemeColors | None = None
        self.setAccessibleName("Company emblem")

    def set_company(self, company: str) -> None:
        """Show the initials of `company`."""
        self._text = initials(company)
        self.setAccessibleDescription(f"Monogram {self._text}")
        self.update()

    def set_colors(self, colors: ThemeColors) -> None:
        """Repaint in the palette's colours."""
        self._colors = colors
        self.update()

    def text(self) -> str:
        """The initials shown."""
        return self._text

    def paintEvent(self, event: QPaintEvent) -> None:
        """Filled circle in primary, an inner ring in secondary, initials in on_primary."""
        if self._colors is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setPen(QPen(self._colors["secondary"], 2.5))
        painter.setBrush(self._colors["primary"])
        painter.drawEllipse(rect)
        painter.setPen(QPen(self._colors["on_primary"], 1.2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect.adjusted(5, 5, -5, -5))
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(int(rect.height() * (0.36 if len(self._text) > 1 else 0.44)))
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._text)


class ElidedLabel(QLabel):
    """One line of plain text that ends in "…" when it does not fit; the full text is its
    text() and, while cut, its tooltip (a glyph is never cut in half)."""

    def __init__(self, parent: QWidget | None = None, *, keep: int = 0) -> None:
        """`keep`: the width (px) the label keeps however narrow the header gets."""
        super().__init__(parent)
        self._keep = keep
        # Untrusted text: never rich text, never <img>.
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Shrinks to minimumSizeHint (an Ignored policy would let the layout take it all).
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """At most `keep` wide (the rest elides), as tall as one line."""
        natural = super().minimumSizeHint()
        return QSize(min(self._keep, super().sizeHint().width()), natural.height())

    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        """Show `text` (elided to the width)."""
        super().setText(text)
        self._update_tooltip()

    def shown_text(self) -> str:
        """What is drawn: the text, elided with "…" to the label's width."""
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             max(0, self.contentsRect().width()))

    def is_elided(self) -> bool:
        """Whether the text is cut to fit."""
        return self.shown_text() != self.text()

    def _update_tooltip(self) -> None:
        full = tooltip(self.text()) if self.is_elided() else ""
        if self.toolTip() != full:
            self.setToolTip(full)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """A new width elides differently."""
        super().resizeEvent(event)
        self._update_tooltip()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        """A new font (QSS size) elides differently."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        """Draw the elided text in the styled font and colour."""
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())
        painter.end()


# The engine badge's quiet note while a cached answer is on screen (honest, not loud).
ORIGIN_WORDS = {"cache": "cached", "prefetch": "fetched ahead"}
ORIGIN_NOTES = {"cache": "given", "prefetch": "fetched in the background"}


class Header(QFrame):
    """Top bar of the window; emits intents, renders the mode's identity as plain text."""

    library_requested = Signal()
    settings_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.emblem = Emblem(self)
        self.company = self._label("companyName", "Company name",
                                   ElidedLabel(self, keep=COMPANY_KEEP))
        self.tagline = self._label("tagline", "Tagline", ElidedLabel(self))
        self.engine = self._label("engineBadge", "Active engine", QLabel(self))
        self._engine_label = ""
        self.library_button = QPushButton("Modes", self)
        self.library_button.setObjectName("libraryButton")
        self.library_button.setAccessibleName("Mode library")
        self.library_button.setToolTip("Mode library (Ctrl+K)")
        self.library_button.clicked.connect(self.library_requested)
        self.settings_button = QPushButton("Settings", self)
        self.settings_button.setObjectName("settingsButton")
        self.settings_button.setAccessibleName("Settings")
        self.settings_button.setToolTip("Settings (Ctrl+,)")
        self.settings_button.clicked.connect(self.settings_requested)
        for button in (self.library_button, self.settings_button):
            button.setIconSize(icon_size(18))
            button.setCursor(Qt.CursorShape.PointingHandCursor)

        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.company)
        titles.addWidget(self.tagline)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(12)
        row.addWidget(self.emblem)
        row.addLayout(titles, 1)
        row.addWidget(self.engine, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.library_button)
        row.addWidget(self.settings_button)

    def _label(self, name: str, accessible: str, label: QLabel) -> QLabel:
        label.setObjectName(name)
        # Untrusted text: never rich text, never <img>.
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(accessible)
        if not isinstance(label, ElidedLabel):  # those keep a little width and elide the rest
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return label

    def set_mode(self, mode: Mode) -> None:
        """Show the mode's company, tagline and monogram."""
        self.show_identity(mode.company_name, mode.tagline)

    def show_identity(self, company: str, tagline: str) -> None:
        """Show a company name, its tagline and its monogram."""
        self.company.setText(company)
        self.tagline.setText(tagline)
        self.tagline.setVisible(bool(tagline))
        self.emblem.set_company(company)

    def set_engine_label(self, label: str) -> None:
        """Name the active engine, e.g. 'Offline' or the model."""
        self._engine_label = label
        self.engine.setText(label)
        self.engine.setToolTip(tooltip(f"Engine: {label}"))
        self.engine.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_reply_origin(self, origin: Origin) -> None:
        """Say, quietly, when the reply on screen comes from the cache (a session Origin)."""
        label = self._engine_label or self.engine.text()
        kind = origin.kind
        if kind not in ORIGIN_WORDS:
            self.set_engine_label(label)
            return
        minutes = int(origin.age_s // 60)
        when = "less than a minute ago" if minutes < 1 else f"{minutes} min ago"
        self.engine.setText(f"{label} · {ORIGIN_WORDS[kind]}")
        self.engine.setToolTip(tooltip(
            f"Engine: {label}. This answer was {ORIGIN_NOTES[kind]} {when} and is shown from "
            "the cache; Regenerate asks again."))

    def set_colors(self, colors: ThemeColors) -> None:
        """Repaint the emblem and tint the button icons."""
        self.emblem.set_colors(colors)
        self.library_button.setIcon(tinted_icon("library", colors["text"]))
        self.settings_button.setIcon(tinted_icon("settings", colors["text"]))
