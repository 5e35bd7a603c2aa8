"""DemoStepper: a demo script stepped through in the window, as a Qt-free state machine.

The presenter's clicker (→, PageDown, Space) calls `advance`; the window's adapter
(ui/demo/controller.py) reports what happened (`typed`, `settled`, `timer_fired`, `failed`,
`mode_shown`) and carries out what the stepper asks of its `DemoStage`. Every change is
published as a session.demo_state.DemoState for the presenter console.

One key press performs one step: a `say` is typed (a second press finishes the typing at
once) and sent as if Enter was pressed; a `pause` waits (a press ends it early); `wait`, a
`say` and a `tab` wait for the reply (a press cannot hurry it). A step that fails pauses the
script with a one-line error; the next press goes on with the next step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from presto_desktop.core.demo_script import (
    DemoScript,
    ModeStep,
    PauseStep,
    SayStep,
    Step,
    TabStep,
    WaitStep,
)
from presto_desktop.core.errors import PrestoError
from presto_desktop.session.demo import find_tab
from presto_desktop.session.demo_state import DemoState

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode

AUTO_GAP_S = 0.8  # auto-play's beat between steps, so the audience can read the reply


class Activity(Enum):
    """What the step in progress is doing."""

    IDLE = "idle"  # between steps
    BLOCKED = "blocked"  # waiting for the window to be idle before the step can start
    TYPING = "typing"
    WAITING = "waiting"  # for the reply (or the new mode) to arrive
    PAUSING = "pausing"
    GAP = "gap"  # auto-play's beat before the next step
    RESETTING = "resetting"  # waiting for stopped work to wind down


class DemoStage(Protocol):
    """What the stepper asks of the window (ui/demo's adapter implements it)."""

    def busy(self) -> bool:
        """Whether a reply streams, a mode is being made or a mode's content is still coming."""

    def current_mode(self) -> Mode:
        """The mode the window shows."""

    def type_text(self, text: str) -> None:
        """Start typing `text` into the composer; the stepper's `typed` follows when done."""

    def finish_typing(self) -> None:
        """Type the rest at once (then `typed`)."""

    def cancel_typing(self) -> None:
        """Stop typing and empty the composer."""

    def send(self) -> None:
        """Send the composer's text exactly as Enter does."""

    def open_mode(self, mode_id: str) -> None:
        """Apply the saved or built-in mode `mode_id` (raises PrestoError or OSError)."""

    def click_tab(self, index: int) -> None:
        """Click the current mode's dashboard tab number `index`."""

    def start_timer(self, seconds: float) -> None:
        """Call the stepper's `timer_fired` after `seconds` (replaces a running timer)."""

    def stop_timer(self) -> None:
        """Stop the timer."""

    def watch(self, on: bool) -> None:
        """While on, call the stepper's `settled` every frame (to notice the window is idle)."""

    def stop_activity(self) -> None:
        """Stop the reply in flight and cancel a mode being made."""

    def fresh_conversations(self, mode_ids: set[str]) -> None:
        """Clear the conversations of `mode_ids` (none kept)."""

    def show_mode(self, mode_id: str) -> None:
        """Show `mode_id` afresh: its conversation reloaded, its dashboard reset."""

    def publish(self, state: DemoState) -> None:
        """Hand the new state on (the presenter console, the menu)."""


class DemoStepper:
    """Steps through one script at a time; see the module docstring for what a press does."""

    def __init__(self, stage: DemoStage, *, clock: Callable[[], float] = time.monotonic,
                 auto_gap_s: float = AUTO_GAP_S) -> None:
        self._stage, self._clock, self._gap = stage, clock, auto_gap_s
        self._script: DemoScript | None = None
        self._index = 0
        self._current: Step | None = None
        self._activity = Activity.IDLE
        self._pending: Step | None = None  # the step BLOCKED waits to perform
        self._auto = False
        self._error = ""
        self._started_at: float | None = None
        self._start_mode = ""
        self._touched: set[str] = set()
        self._expecting = False  # something was sent: its failure fails the script

    # -- state ---------------------------------------------------------------------------------
    @property
    def script(self) -> DemoScript | None:
        """The loaded script, if any."""
        return self._script

    @property
    def activity(self) -> Activity:
        """What the step in progress is doing."""
        return self._activity

    @property
    def start_mode(self) -> str:
        """The mode the script starts in (Reset returns there)."""
        return self._start_mode

    @property
    def touched(self) -> set[str]:
        """The modes shown since the script started (Reset gives each a fresh conversation)."""
        return set(self._touched)

    @property
    def state(self) -> DemoState:
        """The snapshot the console shows."""
        script = self._script
        if script is None:
            return DemoState()
        steps = script.steps
        running = self._activity not in (Activity.IDLE, Activity.GAP)
        return DemoState(title=script.title, index=self._index, total=len(steps),
                         current=self._current,
                         next=steps[self._index] if self._index < len(steps) else None,
                         running=running, auto=self._auto, error=self._error,
                         started_at=self._started_at)

    def wants_keys(self) -> bool:
        """Whether the clicker's keys are the demo's (a script loaded and not finished)."""
        return self._script is not None and not self.state.done

    # -- intents -------------------------------------------------------------------------------
    def load(self, script: DemoScript) -> None:
        """Make `script` the one to step through, from its first step, in the current mode."""
        self._halt()
        self._script, self._auto = script, False
        self._rewind()
        self._publish()

    def close(self) -> None:
        """Unload the script (the window is left as it is)."""
        self._halt()
        self._script, self._auto = None, False
        self._rewind()
        self._publish()

    def advance(self) -> None:
        """The clicker: finish typing, end a pause, or perform the next step."""
        activity = self._activity
        if self._script is None or activity in (Activity.WAITING, Activity.BLOCKED,
                                                Activity.RESETTING):
            return  # a reply cannot be hurried
        if activity is Activity.TYPING:
            self._stage.finish_typing()
        elif activity is Activity.PAUSING:
            self._stage.stop_timer()
            self._step_done()
        else:
            self._stage.stop_timer()  # auto-play's beat: the press goes first
            self._start_next()

    def set_auto(self, on: bool) -> None:
        """Auto-play on or off; turned on between steps, the next step starts now."""
        if self._script is None or on == self._auto:
            return
        self._auto = on
        if not on and self._activity is Activity.GAP:
            self._stage.stop_timer()
            self._activity = Activity.IDLE
        self._publish()
        if on and self._activity is Activity.IDLE:
            self._start_next()

    def reset(self) -> None:
        """Back to step 0 in the first mode; every mode touched starts a fresh conversation."""
        if self._script is None:
            return
        self._halt()
        self._auto = False  # the presenter starts again by hand (the kiosk turns it back on)
        self._stage.stop_activity()
        if self._stage.busy():
            self._activity = Activity.RESETTING  # finished when the stopped work has ended
            self._stage.watch(True)
            self._publish()
            return
        self._finish_reset()

    # -- what the window reports ---------------------------------------------------------------
    def typed(self) -> None:
        """The typing animation is done: send, then wait for the reply (or not)."""
        step = self._current
        if self._activity is not Activity.TYPING or not isinstance(step, SayStep):
            return
        self._expecting = True
        self._stage.send()
        if step.wait:
            self._wait_for_reply(None)
        else:
            self._step_done()

    def settled(self) -> None:
        """A frame passed while watching: go on if the window is idle now."""
        if self._activity not in (Activity.WAITING, Activity.BLOCKED, Activity.RESETTING):
            self._stage.watch(False)
            return
        if self._stage.busy():
            return
        self._stage.watch(False)
        self._expecting = False
        if self._activity is Activity.RESETTING:
            self._finish_reset()
        elif self._activity is Activity.WAITING:
            self._stage.stop_timer()
            self._step_done()
        else:
            step, self._pending = self._pending, None
            if step is not None:
                self._perform(step)

    def timer_fired(self) -> None:
        """A pause ended, a wait timed out, or auto-play's beat is over."""
        activity = self._activity
        if activity is Activity.PAUSING:
            self._step_done()
        elif activity is Activity.WAITING and isinstance(self._current, WaitStep):
            self._fail(f"no reply within {self._current.timeout:g} s")
        elif activity is Activity.GAP:
            self._activity = Activity.IDLE
            if self._auto:
                self._start_next()

    def failed(self, message: str) -> None:
        """A reply or a mode generation the script asked for failed: pause with the error."""
        if self._script is None or not (self._expecting or self._activity is not Activity.IDLE):
            return  # not the script's doing (someone typed while a script is loaded)
        if self._activity is not Activity.RESETTING:
            self._fail(message)

    def _fail(self, message: str) -> None:
        """Pause the script with `message` (one line) for the console; auto-play stops."""
        self._halt()
        self._expecting = False
        self._error = " ".join(str(message).split())[:300] or "the step failed"
        self._auto = False
        self._publish()

    def mode_shown(self, mode_id: str) -> None:
        """The window switched to `mode_id`: once the script has started, it was touched."""
        if self._script is not None and self._started_at is not None:
            self._touched.add(mode_id)

    # -- internals -----------------------------------------------------------------------------
    def _start_next(self) -> None:
        script = self._script
        if script is None or self._index >= len(script.steps):
            return
        step = script.steps[self._index]
        if self._started_at is None:
            self._started_at = self._clock()
            self._start_mode = self._stage.current_mode().id
            self._touched = {self._start_mode}
        self._index += 1
        self._current, self._error = step, ""
        if isinstance(step, (SayStep, ModeStep, TabStep)) and self._stage.busy():
            # Like typing: nothing is sent while a reply streams or a mode is being shown.
            self._activity, self._pending = Activity.BLOCKED, step
            self._stage.watch(True)
            self._publish()
            return
        self._expecting = self._expecting and self._stage.busy()
        self._perform(step)

    def _perform(self, step: Step) -> None:
        if isinstance(step, SayStep):
            self._activity = Activity.TYPING
            self._publish()
            self._stage.type_text(step.say)
        elif isinstance(step, PauseStep):
            self._activity = Activity.PAUSING
            self._publish()
            self._stage.start_timer(step.pause)
        elif isinstance(step, WaitStep):
            self._wait_for_reply(step.timeout)
        elif isinstance(step, ModeStep):
            self._open_mode(step.mode)
        elif isinstance(step, TabStep):
            self._click_tab(step.tab)

    def _open_mode(self, mode_id: str) -> None:
        try:
            self._stage.open_mode(mode_id)
        except (PrestoError, OSError) as exc:
            self._fail(str(exc))
            return
        self._step_done()

    def _click_tab(self, wanted: str) -> None:
        try:
            index = find_tab(self._stage.current_mode(), wanted)
        except PrestoError as exc:
            self._fail(str(exc))
            return
        self._expecting = True
        self._stage.click_tab(index)
        self._wait_for_reply(None)

    def _wait_for_reply(self, timeout: float | None) -> None:
        """Done at once if nothing is on its way, else when the window is idle again."""
        if not self._stage.busy():
            self._expecting = False
            self._step_done()
            return
        self._activity = Activity.WAITING
        if timeout is not None:
            self._stage.start_timer(timeout)
        self._stage.watch(True)
        self._publish()

    def _step_done(self) -> None:
        script = self._script
        self._activity = Activity.IDLE
        if script is not None and self._auto and self._index < len(script.steps):
            self._activity = Activity.GAP
            self._stage.start_timer(self._gap)
        self._publish()

    def _halt(self) -> None:
        """Stop whatever the step in progress was doing (its reply goes on)."""
        if self._activity is Activity.TYPING:
            self._stage.cancel_typing()
        self._stage.stop_timer()
        self._stage.watch(False)
        self._activity, self._pending = Activity.IDLE, None

    def _rewind(self) -> None:
        self._index, self._current, self._error = 0, None, ""
        self._started_at, self._expecting = None, False
        self._touched = set()

    def _finish_reset(self) -> None:
        self._stage.watch(False)
        self._activity = Activity.IDLE
        start = self._start_mode
        touched = self._touched | ({start} if start else set())
        if not start:  # never started: the current mode's conversation starts afresh
            start = self._stage.current_mode().id
            touched = {start}
        self._rewind()
        self._stage.fresh_conversations(touched)
        try:
            self._stage.show_mode(start)
        except (PrestoError, OSError) as exc:
            self._error = f"the first mode could not be shown: {exc}"
        self._publish()
        if self._auto:  # the kiosk asked for auto-play while the reset waited
            self._start_next()

    def _publish(self) -> None:
        self._stage.publish(self.state)


__all__ = ["AUTO_GAP_S", "Activity", "DemoStage", "DemoStepper"]
