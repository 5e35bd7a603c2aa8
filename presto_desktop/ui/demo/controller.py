"""DemoController: runs session.demo_stepper.DemoStepper in the window and publishes DemoState.

The stepper decides; this adapter gives it Qt timers (pauses, waits, auto-play's beat), a
frame-by-frame watch for the window going idle, the typing animation, and the window itself
through the `DemoWindow` protocol (implemented by the shell, ui/shell/demo_wiring.py).
`state_changed` carries every new DemoState: the presenter console connects to it.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit

from presto_desktop.core.demo_script import DemoScript, load_script
from presto_desktop.session.demo_state import DemoState
from presto_desktop.session.demo_stepper import DemoStepper
from presto_desktop.ui.demo.idle import IdleWatch
from presto_desktop.ui.demo.keys import StepKeys
from presto_desktop.ui.demo.typing import TypingAnimation

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

WATCH_MS = 16  # how often a waiting step looks whether the window is idle: once a frame


class DemoWindow(Protocol):
    """What a demo needs of the window (the shell implements it)."""

    @property
    def composer(self) -> QPlainTextEdit:
        """Where the `say` text is typed."""

    def busy(self) -> bool:
        """A reply streams, a mode is being made, or a mode's content is still being shown."""

    def current_mode(self) -> Mode:
        """The mode shown."""

    def send(self) -> None:
        """Send the composer's text exactly as Enter does."""

    def open_mode(self, mode_id: str) -> None:
        """Apply a saved or built-in mode (raises PrestoError or OSError)."""

    def click_tab(self, index: int) -> None:
        """Click the dashboard's tab number `index`."""

    def stop_activity(self) -> None:
        """Stop the reply in flight; cancel a mode being made."""

    def fresh_conversations(self, mode_ids: set[str]) -> None:
        """Clear the conversations of `mode_ids`."""

    def show_mode(self, mode_id: str) -> None:
        """Show `mode_id` afresh (raises PrestoError or OSError)."""


class DemoController(QObject):
    """The window's demo script: load, step, auto-play, reset, kiosk; DemoState out."""

    state_changed = Signal(object)  # DemoState

    def __init__(self, window: DemoWindow, *, rng: random.Random | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._state = DemoState()
        self.typing = TypingAnimation(window.composer, rng=rng, parent=self)
        self._timer = self._single_shot(self._timer_fired)
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._settled)
        self.stepper = DemoStepper(self)
        self.typing.finished.connect(self.stepper.typed)
        self.keys = StepKeys(self.wants_keys, parent=self)  # the shell says which windows
        self.keys.step.connect(self.next)
        self.idle = IdleWatch(self)
        self.idle.idle.connect(self._idle)
        self._idle_minutes = 0.0

    def _single_shot(self, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.timeout.connect(slot)
        return timer

    # -- for the window and the console --------------------------------------------------------
    @property
    def state(self) -> DemoState:
        """The latest DemoState."""
        return self._state

    def open_path(self, path: Path) -> DemoScript:
        """Load the script at `path` (DemoFileError with one line if it is refused)."""
        script = load_script(path)
        self.load(script)
        return script

    def load(self, script: DemoScript) -> None:
        """Step through `script` from its first step."""
        self.stepper.load(script)
        self._arm_kiosk()

    def next(self) -> None:
        """The clicker: the next step (or finish the typing, end a pause)."""
        self.stepper.advance()
        self.idle.restart()

    def set_auto(self, on: bool) -> None:
        """Auto-play on or off."""
        self.stepper.set_auto(on)

    def reset(self) -> None:
        """Fresh conversations in every mode the script touched, back to its first mode."""
        self.stepper.reset()

    def wants_keys(self) -> bool:
        """Whether the clicker's keys belong to the demo now."""
        return self.stepper.wants_keys()

    def set_idle_minutes(self, minutes: float) -> None:
        """The kiosk: reset and play the script after `minutes` without input (0 = off)."""
        self._idle_minutes = max(0.0, minutes)
        self._arm_kiosk()

    def _arm_kiosk(self) -> None:
        self.idle.set_minutes(self._idle_minutes if self.stepper.script is not None else 0.0)

    def _idle(self) -> None:
        """Nobody touched the window for a while: play the demo from the start."""
        state = self._state
        if state.auto and not state.done:
            self.idle.restart()  # still playing: count again from now
            return
        self.stepper.reset()
        self.stepper.set_auto(True)
        self.idle.restart()

    # -- DemoStage -----------------------------------------------------------------------------
    def busy(self) -> bool:
        """DemoStage: the window's work in progress."""
        return self._window.busy()

    def current_mode(self) -> Mode:
        """DemoStage: the mode shown."""
        return self._window.current_mode()

    def type_text(self, text: str) -> None:
        """DemoStage: type into the composer (the first character now)."""
        self.typing.start(text)

    def finish_typing(self) -> None:
        """DemoStage: the rest at once."""
        self.typing.finish()

    def cancel_typing(self) -> None:
        """DemoStage: stop typing, empty the composer."""
        self.typing.cancel()

    def send(self) -> None:
        """DemoStage: as Enter."""
        self._window.send()

    def open_mode(self, mode_id: str) -> None:
        """DemoStage: apply a mode."""
        self._window.open_mode(mode_id)

    def click_tab(self, index: int) -> None:
        """DemoStage: click a dashboard tab."""
        self._window.click_tab(index)

    def start_timer(self, seconds: float) -> None:
        """DemoStage: `timer_fired` after `seconds`."""
        self._timer.start(max(0, round(seconds * 1000)))

    def stop_timer(self) -> None:
        """DemoStage: no `timer_fired`."""
        self._timer.stop()

    def watch(self, on: bool) -> None:
        """DemoStage: look every frame whether the window is idle."""
        if on and not self._watch.isActive():
            self._watch.start()
        elif not on:
            self._watch.stop()

    def stop_activity(self) -> None:
        """DemoStage: stop replies and generations."""
        self._window.stop_activity()

    def fresh_conversations(self, mode_ids: set[str]) -> None:
        """DemoStage: clear those conversations."""
        self._window.fresh_conversations(mode_ids)

    def show_mode(self, mode_id: str) -> None:
        """DemoStage: show a mode afresh."""
        self._window.show_mode(mode_id)

    def publish(self, state: DemoState) -> None:
        """DemoStage: keep and announce the new state."""
        self._state = state
        self.state_changed.emit(state)

    def _timer_fired(self) -> None:
        self.stepper.timer_fired()

    def _settled(self) -> None:
        self.stepper.settled()

    def failed(self, message: str) -> None:
        """A reply or a generation failed (the shell connects the chat's and the modes')."""
        self.stepper.failed(message)

    def mode_shown(self, mode: Mode) -> None:
        """The window switched modes (the shell connects mode_changed)."""
        self.stepper.mode_shown(mode.id)


__all__ = ["DemoController", "DemoWindow"]
