"""A non-blocking progress overlay over the dashboard while a mode generates (with Cancel)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

CARD_WIDTH = 420
MIN_WIDTH = 240
# A generation done sooner shows no overlay. The offline engine's take 20-60 ms: the overlay
# flashed for a frame or two, and its show and its hide each repainted the dashboard under it
# (~10 ms of one loop turn, the session benchmark's first gap after a trigger).
SHOW_AFTER_MS = 250


class ProgressOverlay(QWidget):
    """Covers its parent (the dashboard only, so the chat stays usable) until hidden."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._host = parent  # the widget covered; parentWidget() typed Optional
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName("Creating mode")
        card = QFrame(self)
        card.setObjectName("overlayCard")
        card.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.card = card
        self.title = QLabel("Creating a new mode…", card)
        self.title.setObjectName("overlayTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.detail = QLabel("", card)
        self.detail.setObjectName("overlayDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.progress = QProgressBar(card)
        self.progress.setRange(0, 0)  # indeterminate: engines report no progress
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Generating")
        self.cancel_button = QPushButton("Cancel", card)
        self.cancel_button.setObjectName("overlayCancel")
        self.cancel_button.setAccessibleName("Cancel mode generation")
        self.cancel_button.clicked.connect(self.cancel_requested)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(22, 20, 22, 20)
        inner.setSpacing(10)
        inner.addWidget(self.title)
        inner.addWidget(self.detail)
        inner.addWidget(self.progress)
        inner.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignRight)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def start(self, industry: str, engine_label: str) -> None:
        """Show over the parent for generating `industry`."""
        self.title.setText(f"Creating the {industry} mode…")
        self.detail.setText(f"Engine: {engine_label}.\nYou can keep chatting meanwhile.")
        self.setGeometry(self._host.rect())
        self._fit()
        self.raise_()
        self.show()  # no focus grab: the user may be typing in the chat

    def _fit(self) -> None:
        """Size the card to its wrapped text: a layout with alignment ignores height-for-width,
        so word-wrapped labels were clipped to one line's height."""
        width = max(MIN_WIDTH, min(CARD_WIDTH, self._host.width() - 32))
        self.card.ensurePolished()  # the QSS title font decides how many lines the text needs
        self.card.setFixedWidth(width)
        self.card.setFixedHeight(self.card.heightForWidth(width))

    def set_host(self, host: QWidget, sheet: str) -> None:
        """Cover `host` instead (the chat history while the dashboard is collapsed).

        `sheet` is the theme's QSS when the overlay becomes a style root again (over the
        dashboard), or "" to inherit it from a host that carries it (the chat history).
        """
        old = self.parentWidget()
        if host is old:
            return
        shown = not self.isHidden()  # the old host may be hidden already
        if old is not None:
            old.removeEventFilter(self)
        self.setParent(host)
        self._host = host
        host.installEventFilter(self)
        self.setStyleSheet(sheet)
        self.setGeometry(host.rect())
        self._fit()
        if shown:
            self.raise_()
            self.show()

    def stop(self) -> None:
        """Hide again."""
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the parent's size."""
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
            self._fit()
        return False

    def changeEvent(self, event: QEvent) -> None:
        """A new font size or stylesheet changes how many lines the text needs."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange) and self.isVisible():
            self._fit()


class DelayedOverlay(QObject):
    """The window's progress overlay, built and shown only for a generation still running
    SHOW_AFTER_MS after it started."""

    def __init__(self, parent: QWidget, host: Callable[[], QWidget],
                 cancel: Callable[[], object]) -> None:
        super().__init__(parent)
        self._host, self._cancel = host, cancel
        self.built: ProgressOverlay | None = None  # built when first shown (or asked for)
        self._due: tuple[str, str] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOW_AFTER_MS)
        self._timer.timeout.connect(self._show_due)

    @property
    def overlay(self) -> ProgressOverlay:
        """The overlay over the host (built on first use, not at start-up)."""
        if self.built is None:
            self.built = ProgressOverlay(self._host())
            self.built.cancel_requested.connect(self._cancel)
        return self.built

    @property
    def due(self) -> bool:
        """Whether a generation's overlay waits for SHOW_AFTER_MS to pass."""
        return self._due is not None

    def start_soon(self, industry: str, engine_label: str) -> None:
        """Show the overlay for generating `industry` unless `stop` comes first."""
        self._due = (industry, engine_label)
        self._timer.start()

    def stop(self) -> None:
        """The generation ended: no overlay (hidden if shown)."""
        self._due = None
        self._timer.stop()
        if self.built is not None:
            self.built.stop()

    def _show_due(self) -> None:
        due, self._due = self._due, None
        if due is not None:
            self.overlay.start(*due)
