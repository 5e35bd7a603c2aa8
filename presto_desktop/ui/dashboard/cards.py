"""The dashboard's cards: the persona card and the KPI cards (with their fitting value label)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.session.dashboard_text import MetricView, PersonaView, persona_view

if TYPE_CHECKING:
    from presto_desktop.core.persona import Persona


def plain_label(text: str, name: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # untrusted text shows literally
    return label


def card_frame(name: str, parent: QWidget) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName(name)
    frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    return frame


class PersonaCard(QFrame):
    """The seeded customer: name, where from, and key figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personaCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName("Customer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(plain_label("CUSTOMER", "cardTitle", self))
        self.name = plain_label("", "personaName", self)
        self.meta = plain_label("", "personaMeta", self)
        layout.addWidget(self.name)
        layout.addWidget(self.meta)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(4)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self.figures: list[tuple[str, str]] = []
        self._rows: list[tuple[QLabel, QLabel]] = []

    def set_persona(self, persona: Persona) -> None:
        """Show `persona` (any kind)."""
        self.show_view(persona_view(persona))

    def show_view(self, view: PersonaView) -> None:
        """Show a formatted persona; figure labels are reused, not rebuilt."""
        name, meta, figures = view
        self.name.setText(name)
        self.meta.setText(meta)
        self.figures = [tuple(figure) for figure in figures]  # type: ignore[misc]
        while len(self._rows) < len(self.figures):
            row = len(self._rows)
            label, value = plain_label("", "figureLabel", self), plain_label("", "figureValue", self)
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(label, row, 0)
            self.grid.addWidget(value, row, 1)
            self._rows.append((label, value))
        for index, (label, value) in enumerate(self._rows):
            shown = index < len(self.figures)
            if shown:
                label.setText(self.figures[index][0])
                value.setText(self.figures[index][1])
            label.setVisible(shown)
            value.setVisible(shown)
        self.setAccessibleDescription(
            f"{self.name.text()}: " + ", ".join(f"{k} {v}" for k, v in self.figures))


class FitLabel(QLabel):
    """A one-line plain-text label that shrinks its font to fit instead of widening the window."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        """Narrow minimum (the text shrinks); the size hint stays the natural width.

        Never wider than the text itself: a wider minimum pushed the unit away ("1    s").
        """
        natural = super().minimumSizeHint()
        return QSize(min(40, natural.width()), natural.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Draw the text in the styled font, scaled down when the width is short."""
        rect = self.contentsRect()
        font = QFont(self.font())
        width = QFontMetricsF(font).horizontalAdvance(self.text())
        if width > rect.width() > 0:
            font.setPointSizeF(max(6.0, font.pointSizeF() * rect.width() / width * 0.98))
        painter = QPainter(self)
        painter.setFont(font)
        painter.setPen(self.palette().color(self.foregroundRole()))  # the look's: the primary
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         self.text())


class KpiCard(QFrame):
    """One metric: label, big value, unit (updated in place when the metrics change)."""

    def __init__(self, view: MetricView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Columns share the width by stretch, not by how long each card's text is.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        self.label = plain_label("", "kpiLabel", self)
        self.label.setWordWrap(True)
        self.value = FitLabel("", self)
        self.value.setObjectName("kpiValue")
        self.unit = plain_label("", "kpiUnit", self)
        layout.addWidget(self.label)
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.value)
        # On the value's baseline side, right next to it (not at the card's far edge).
        row.addWidget(self.unit, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        layout.addLayout(row)
        self.show_view(view)

    def show_view(self, view: MetricView) -> None:
        """Show a formatted metric: label, value and unit."""
        label, shown, unit = view
        self.label.setText(label)
        self.value.setText(shown)
        self.unit.setText(unit)
        self.setAccessibleName(f"{label}: {shown} {unit}".strip())
