"""Suggested-prompt chips that wrap onto at most a few rows (no scroll bar to clip them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from presto_desktop.ui.common.safe_text import tooltip

CHIP_CHARS = 48
MAX_CHIPS = 8
MAX_ROWS = 2  # chips that do not fit in these rows are hidden, never clipped
SPACING = 6


class ChipFlow(QWidget):
    """Lays chips out left to right, wrapping; its height follows its width (and the QSS)."""

    chosen = Signal(str)  # the full prompt text of a clicked chip

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("chipBar")
        self.setAccessibleName("Suggested prompts")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.chips: list[QPushButton] = []
        self._enabled = True
        self._placing = False

    # -- content ----------------------------------------------------------------------------
    def set_prompts(self, prompts: list[str]) -> None:
        """Replace the chips (text is literal: '&' is escaped, no mnemonic).

        The chips already built are relabelled, not rebuilt: a new button's polish (the sheet,
        the look) cost a mode switch ~2 ms of the loop for its seven chips.
        """
        texts = [text for text in (" ".join(str(p).split()) for p in prompts[:MAX_CHIPS]) if text]
        if texts == [chip.property("prompt") for chip in self.chips]:
            return  # the same prompts again (e.g. the start frame's, then the mode's)
        for chip in self.chips[len(texts):]:
            chip.hide()
            chip.deleteLater()
        del self.chips[len(texts):]
        while len(self.chips) < len(texts):
            self.chips.append(self._new_chip())
        for chip, text in zip(self.chips, texts, strict=True):
            shown = text if len(text) <= CHIP_CHARS else text[: CHIP_CHARS - 1] + "…"
            chip.setText(shown.replace("&", "&&"))
            chip.setAccessibleName(f"Suggested prompt: {text}")
            # The prompt is untrusted and QToolTip guesses rich text (<img> loads local files).
            chip.setToolTip(tooltip(text) if shown != text else "")
            chip.setProperty("prompt", text)
            chip.setProperty("label", shown)
            chip.show()
        self.setVisible(bool(self.chips))
        self._place()
        self.updateGeometry()

    def _new_chip(self) -> QPushButton:
        """One chip button (its prompt is set by `set_prompts`)."""
        chip = QPushButton(self)
        chip.setObjectName("chip")
        chip.setAutoDefault(False)
        chip.setEnabled(self._enabled)
        chip.clicked.connect(self._clicked)
        return chip

    def _clicked(self) -> None:
        """A chip was clicked: its full prompt is chosen."""
        chip = self.sender()
        if isinstance(chip, QPushButton):
            self.chosen.emit(str(chip.property("prompt") or ""))

    def set_chips_enabled(self, enabled: bool) -> None:
        """Enable or disable every chip (they wait while a reply streams)."""
        self._enabled = enabled
        for chip in self.chips:
            chip.setEnabled(enabled)

    # -- geometry ---------------------------------------------------------------------------
    def _rows(self, width: int) -> list[list[tuple[QPushButton, QSize]]]:
        """Chips per row for `width` (a chip wider than the row gets a row of its own)."""
        rows: list[list[tuple[QPushButton, QSize]]] = []
        x = 0
        for chip in self.chips:
            hint = self._natural_size(chip)
            if rows and x + hint.width() <= width:
                rows[-1].append((chip, hint))
                x += hint.width() + SPACING
            else:
                rows.append([(chip, hint)])
                x = hint.width() + SPACING
        return rows

    @staticmethod
    def _natural_size(chip: QPushButton) -> QSize:
        """The chip's size with its whole label (it may be showing an elided one)."""
        hint = chip.sizeHint()
        label, shown = str(chip.property("label") or ""), chip.text().replace("&&", "&")
        if label and shown != label:
            metrics = chip.fontMetrics()
            extra = metrics.horizontalAdvance(label) - metrics.horizontalAdvance(shown)
            hint.setWidth(hint.width() + extra)
        return hint

    @staticmethod
    def _fit_label(chip: QPushButton, natural: QSize, width: int) -> None:
        """Elide the label of a chip wider than the row (never clip its glyphs)."""
        label = str(chip.property("label") or "")
        if not label:
            return
        shown = label
        if natural.width() > width:
            metrics = chip.fontMetrics()
            room = width - (natural.width() - metrics.horizontalAdvance(label))
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, max(0, room))
        if chip.text() != shown.replace("&", "&&"):
            chip.setText(shown.replace("&", "&&"))
            prompt = str(chip.property("prompt") or "")
            chip.setToolTip(tooltip(prompt) if shown != prompt else "")

    def _height_for(self, width: int) -> int:
        rows = self._rows(max(1, width))[:MAX_ROWS]
        if not rows:
            return 0
        return sum(max(h.height() for _, h in row) for row in rows) + SPACING * (len(rows) - 1)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        """Yes: narrower means more rows."""
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        """Height of the rows shown at `width`."""
        return self._height_for(width)

    def sizeHint(self) -> QSize:  # noqa: N802
        """All chips on one line (the layout narrows it and asks heightForWidth)."""
        width = sum(self._natural_size(c).width() for c in self.chips) + SPACING * max(0, len(self.chips) - 1)
        return QSize(width, self._height_for(max(1, self.width() or width)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Any width: chips that do not fit are hidden."""
        return QSize(0, self._height_for(max(1, self.width())) if self.chips else 0)

    def _place(self) -> None:
        """Position the chips for the current width; hide the rows past MAX_ROWS."""
        if self._placing:
            return
        self._placing = True
        try:
            width = max(1, self.width())
            y = 0
            for number, row in enumerate(self._rows(width)):
                row_height = max(h.height() for _, h in row)
                x = 0
                for chip, hint in row:
                    if number < MAX_ROWS:
                        self._fit_label(chip, hint, width)
                        chip.setGeometry(QRect(x, y, min(hint.width(), width), row_height))
                        if chip.isHidden():
                            chip.show()
                    elif not chip.isHidden():
                        chip.hide()
                    x += hint.width() + SPACING
                y += row_height + SPACING
        finally:
            self._placing = False

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        """Re-wrap at the new width."""
        super().resizeEvent(event)
        self._place()

    def event(self, event: QEvent) -> bool:
        """A chip's size hint changed (theme, font): re-wrap and tell the parent layout."""
        kind = event.type()
        if kind in (QEvent.Type.LayoutRequest, QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._place()
            self.updateGeometry()
        return super().event(event)
