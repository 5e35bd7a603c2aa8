"""Feeds the presenter console a replay's progress (the runner's signals -> DemoState)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject

from presto_desktop.core.demo_events import StepStarted
from presto_desktop.session.demo_state import DemoState
from presto_desktop.session.replay_console import recorded_steps, replay_state

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from presto_desktop.core.recording import Recording


class ReplaySignals(Protocol):
    """What a replay runner tells (ui/replay/runner.py's ReplayRunner)."""

    @property
    def started(self) -> SignalInstance:
        """A recording (Recording) starts playing."""

    @property
    def step_started(self) -> SignalInstance:
        """One of its script steps (StepStarted) begins."""

    @property
    def failure(self) -> SignalInstance:
        """A recorded failure (str)."""

    @property
    def finished(self) -> SignalInstance:
        """The replay ended (bool: played to the end)."""


class Replaying(Protocol):
    """The recordings' wiring (ui/replay/wiring.py): its runner."""

    @property
    def runner(self) -> ReplaySignals:
        """The runner that plays recordings into the window."""
        ...


class ReplayFeed(QObject):
    """While a recording replays, the console shows its steps, note, timer and failures."""

    def __init__(self, runner: ReplaySignals, show: Callable[[DemoState], None],
                 parent: QObject, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._show, self._clock = show, clock
        self._title = ""
        self._steps: list[StepStarted] = []
        self._begun = 0
        self._started_at: float | None = None
        runner.started.connect(self._started)
        runner.step_started.connect(self._step)
        runner.failure.connect(self._failed)
        runner.finished.connect(self._finished)

    def _started(self, recording: Recording) -> None:
        self._title = f"Replay: {recording.title or 'recording'}"
        self._steps = recorded_steps(recording)
        self._begun, self._started_at = 0, self._clock()
        self._show(self._state())

    def _step(self, started: StepStarted) -> None:
        self._begun = min(max(started.index, 1), len(self._steps))
        self._show(self._state())

    def _failed(self, message: str) -> None:
        self._show(self._state(error=message))

    def _finished(self, _played_out: bool) -> None:
        self._show(self._state(finished=True))

    def _state(self, *, finished: bool = False, error: str = "") -> DemoState:
        return replay_state(self._title, self._steps, self._begun, started_at=self._started_at,
                            finished=finished, error=error)
