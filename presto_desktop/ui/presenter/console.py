"""The presenter console: what the presenter sees while the audience sees the main window.

A top-level window of its own. It renders the DemoState snapshots it is given (current step,
next step and its note, the timer since the first step, errors) plus the engine's status,
and turns buttons and clicker keys into intents (signals); it holds no script state itself.
All text in it comes from scripts or engines, so every label is plain text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from presto_desktop.engines.labels import is_offline_label
from presto_desktop.session.demo_state import DemoState
from presto_desktop.ui.presenter.placement import elapsed_text, one_line

TICK_MS = 500  # the timer label's refresh: twice a second, so seconds never skip
# The keys a presentation clicker sends for "next" (the audience window takes the same ones).
NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space)
LEAVE_KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_F5)
EMPTY_TEXT = "Open a demo script…"
EMPTY_HINT = ("Open one from the More menu (⋯), then step with → / PageDown / Space (a clicker "
              "sends these) or let it auto-play.")


class DemoIntents(Protocol):
    """What the console asks of the demo stepper (the window's script runner)."""

    def next_step(self) -> None:
        """Perform the next step."""
        ...

    def toggle_auto(self) -> None:
        """Turn auto-play on or off."""
        ...

    def reset(self) -> None:
        """Reset the demo to its first step."""
        ...


def _label(name: str, parent: QWidget, *, wrap: bool = False) -> QLabel:
    """A plain-text label (script and engine text is untrusted)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if wrap:
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


class PresenterConsole(QWidget):
    """Renders DemoState snapshots; emits what the presenter asks for."""

    next_requested = Signal()
    auto_requested = Signal()
    reset_requested = Signal()
    leave_requested = Signal()
    screen_chosen = Signal(str)  # the audience screen's name
    full_screen_toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """A top-level window (a child of `parent` only for its stylesheet and lifetime)."""
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("presenterConsole")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setWindowTitle("Presenter console — Presto-Change-O")
        self.setAccessibleName("Presenter console")
        self._clock = clock
        self._state = DemoState()
        self._window_error = ""  # an error the audience window would have shown
        self._started_at: float | None = None
        self._stopped_at: float | None = None  # the timer stops when the script is done
        self._build()
        self._build_keys()
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self.show_state(self._state)
        self.set_engine("")

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.title = _label("presenterTitle", self)
        self.timer = _label("presenterTimer", self)
        self.timer.setAccessibleName("Time since the first step")
        self.position = _label("presenterPosition", self)
        self.engine = _label("presenterEngine", self)
        self.engine.setAccessibleName("Engine status")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._empty_page())
        self.pages.addWidget(self._steps_page())
        self.error = _label("presenterError", self, wrap=True)
        self.error.setAccessibleName("Error")
        self.notice = _label("presenterNotice", self, wrap=True)
        self.notice.setAccessibleName("Window notice")
        self.notice.hide()
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.timer)
        status = QHBoxLayout()
        status.addWidget(self.position, 1)
        status.addWidget(self.engine)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(status)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.notice)
        layout.addLayout(self._buttons())
        layout.addWidget(self._screen_row())

    def _empty_page(self) -> QWidget:
        page = QWidget(self)
        self.empty = _label("presenterEmpty", page, wrap=True)
        self.empty.setText(EMPTY_TEXT)
        hint = _label("presenterHint", page, wrap=True)
        hint.setText(EMPTY_HINT)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 8, 0, 8)
        column.addWidget(self.empty)
        column.addWidget(hint)
        column.addStretch(1)
        return page

    def _steps_page(self) -> QWidget:
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 0, 4)
        column.setSpacing(4)
        self.now = self._step_label(page, column, "NOW")
        self.next = self._step_label(page, column, "NEXT")
        self.note = _label("presenterNote", page, wrap=True)
        self.note.setAccessibleName("Note on the next step")
        column.addWidget(self.note)
        column.addStretch(1)
        return page

    @staticmethod
    def _step_label(page: QWidget, column: QVBoxLayout, caption: str) -> QLabel:
        """A caption ("NOW") and the label under it that says the step."""
        heading = _label("presenterCaption", page)
        heading.setText(caption)
        text = _label(f"presenter{caption.title()}Step", page, wrap=True)
        text.setAccessibleName(f"{caption.title()} step")
        column.addWidget(heading)
        column.addWidget(text)
        return text

    def _buttons(self) -> QHBoxLayout:
        self.next_button = self._button("presenterNext", "Next ▶", self.next_requested.emit)
        self.next_button.setProperty("accent", True)
        self.auto_button = self._button("presenterAuto", "Auto-play", self.auto_requested.emit)
        self.reset_button = self._button("presenterReset", "Reset", self.reset_requested.emit)
        self.leave_button = self._button("presenterLeave", "End", self.leave_requested.emit)
        self.leave_button.setToolTip("End presenter mode (Esc or F5)")
        self.leave_button.setAccessibleName("End presenter mode")
        row = QHBoxLayout()
        for button in (self.next_button, self.auto_button, self.reset_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.leave_button)
        return row

    def _screen_row(self) -> QWidget:
        self.screens = QComboBox(self)
        self.screens.setObjectName("presenterScreens")
        self.screens.setAccessibleName("Audience screen")
        self.screens.setToolTip("The screen the audience window goes to")
        self.screens.activated.connect(
            lambda index: self.screen_chosen.emit(self.screens.itemData(index)))
        self.full_screen = QCheckBox("Full screen", self)
        self.full_screen.setObjectName("presenterFullScreen")
        self.full_screen.clicked.connect(lambda on: self.full_screen_toggled.emit(bool(on)))
        self.screen_row = QWidget(self)
        row = QHBoxLayout(self.screen_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.screens)
        row.addWidget(self.full_screen)
        row.addStretch(1)
        return self.screen_row

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        # Clicker keys (Space) must reach the console's shortcuts, not press a focused button.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_keys(self) -> None:
        """The clicker's keys step; Esc and F5 end presenter mode (as in the audience window)."""
        for keys, signal in ((NEXT_KEYS, self.next_requested), (LEAVE_KEYS, self.leave_requested)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                # This window's own keys: the audience window has the same ones.
                shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
                shortcut.activated.connect(signal.emit)

    # -- rendering ---------------------------------------------------------------------------
    @property
    def state(self) -> DemoState:
        """The snapshot shown."""
        return self._state

    def show_state(self, state: DemoState) -> None:
        """Render `state` (a new snapshot replaces the old one wholesale)."""
        if state.index != self._state.index or not state.loaded:
            self._window_error = ""  # a step later (or a reset) the old failure is history
        self._state = state
        self.pages.setCurrentIndex(1 if state.loaded else 0)
        self.title.setText(state.title or ("Demo script" if state.loaded else "No demo script"))
        self.position.setText(self._position_text(state))
        self.now.setText(state.current_text() or ("The replay is starting" if state.replaying
                                                  else "Not started: press → to begin"))
        self.next.setText(state.next_text() or "End of the script")
        note = state.next_note()
        self.note.setText(f"Note: {note}" if note else "")
        self.note.setVisible(bool(note))
        steps = state.loaded and not state.replaying  # a replay plays at its own pace
        self.next_button.setEnabled(steps and not state.done)
        self.auto_button.setEnabled(steps and not state.done)
        self.reset_button.setEnabled(steps)
        self.auto_button.setText("Stop auto-play" if state.auto else "Auto-play")
        self._set_property(self.auto_button, "active", state.auto)
        self._follow_timer(state)
        self._show_error()

    @staticmethod
    def _position_text(state: DemoState) -> str:
        if not state.loaded:
            return "No script loaded"
        if state.done:
            return f"Done: all {state.total} steps performed"
        if not state.started:
            return f"Ready: {state.total} steps"
        running = " (running…)" if state.running else ""
        return f"Step {state.index} of {state.total}{running}" + (" · auto-play" if state.auto
                                                                   else "")

    def show_error(self, message: str) -> None:
        """An error the audience window does not show (presenter mode sends it here)."""
        self._window_error = one_line(message)
        self._show_error()

    def show_notice(self, message: str) -> None:
        """The audience window's notice bar line (presenter mode sends it here); "" clears it."""
        text = one_line(message)
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _show_error(self) -> None:
        text = one_line(self._state.error) if self._state.error else self._window_error
        self.error.setText(f"⚠ {text}" if text else "")
        self.error.setVisible(bool(text))

    def set_engine(self, label: str) -> None:
        """The active engine's name and whether it is offline or online."""
        offline = not label or is_offline_label(label)
        kind = "offline" if offline else "online"
        text = f"Engine: {label} · {kind}" if label and not offline else "Engine: offline"
        if self.engine.text() != text:
            self.engine.setText(text)
            self._set_property(self.engine, "kind", kind)

    def set_screens(self, names: list[str], audience: str, full_screen: bool) -> None:
        """Offer the screens for the audience window (hidden with only one) and full screen."""
        self.screens.clear()
        for name in names:
            self.screens.addItem(f"Audience on {name}", name)
        index = names.index(audience) if audience in names else 0
        self.screens.setCurrentIndex(index)
        self.screens.setVisible(len(names) > 1)
        self.full_screen.setChecked(full_screen)

    def set_compact(self, compact: bool) -> None:
        """The small floating console (one screen): smaller text, no screen choice."""
        self.screen_row.setVisible(not compact)
        if self.property("compact") != compact:
            self.setProperty("compact", compact)
            # The sheet's [compact="true"] rules size the labels inside: re-polish them all.
            for widget in (self, *self.findChildren(QWidget)):
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    @staticmethod
    def _set_property(widget: QWidget, name: str, value: object) -> None:
        """A QSS property changed: re-polish so the sheet's [name=...] rules follow."""
        if widget.property(name) != value:
            widget.setProperty(name, value)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    # -- the timer ---------------------------------------------------------------------------
    def _follow_timer(self, state: DemoState) -> None:
        self._started_at = state.started_at
        if state.started_at is None or not state.done:
            self._stopped_at = None
        elif self._stopped_at is None:
            self._stopped_at = self._clock()  # the script just finished: the timer stops
        self.tick()

    def tick(self) -> None:
        """Show the time since the first step (frozen once the script is done)."""
        if self._started_at is None:
            text = elapsed_text(0)
        else:
            end = self._stopped_at if self._stopped_at is not None else self._clock()
            text = elapsed_text(end - self._started_at)
        if self.timer.text() != text:
            self.timer.setText(text)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """Keep the timer running while shown."""
        super().showEvent(event)
        self.tick()
        self._ticker.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        """No ticks while hidden."""
        self._ticker.stop()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Closing the console (its window's close button) ends presenter mode."""
        super().closeEvent(event)
        self.leave_requested.emit()
