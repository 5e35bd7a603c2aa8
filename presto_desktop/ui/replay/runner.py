"""ReplayRunner: plays a recording into the window at its pace (or faster) on the qasync loop.

A session.recording.Player gives the events when due; the ReplayStage shows them. While a
replay is on screen the window takes no input that would reach the engine (the composer is
read-only; the chat column's, chips' and dashboard's intents are held), and the header says
it is a replay. `step_done` (the offscreen pictures) is awaited at the end of each step.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from presto_desktop.core.demo_events import ReplyDone, StepFailed, StepStarted, ToolCalled, UserSaid
from presto_desktop.session.recording import Player
from presto_desktop.session.replay_steps import step_starts
from presto_desktop.ui.chat.panel import ChatPanel
from presto_desktop.ui.common.turns import yield_turn
from presto_desktop.ui.replay.stage import ReplayStage

if TYPE_CHECKING:
    from presto_desktop.core.recording import Recording
    from presto_desktop.ui.shell.window import MainWindow

log = logging.getLogger(__name__)
StepDone = Callable[[int], Awaitable[None]]
SETTLE_POLL_S = 0.004
TURN_BUDGET_S = 0.004  # the replay's share of one loop turn, as a mode change's steps
# Events whose repaint (a new bubble, a chart, a committed reply) gets a loop turn of its own:
# two of them in one turn made their layouts and paints one 30 ms stall at 4x the pace.
REPAINTING = (UserSaid, ToolCalled, ReplyDone)
SETTLE_QUIET_CHECKS = 3  # consecutive idle checks before a step counts as painted
SETTLE_MAX_S = 10.0  # a backdrop never painted (a hidden dashboard) does not hold a step


def replay_label(recording: Recording) -> str:
    """What the header's engine indicator says during a replay (never a live engine's name)."""
    return f"Replay · {recording.engine.label or recording.engine.kind or 'recorded'}"


class ReplayRunner(QObject):
    """Plays one recording at a time into the window through a ReplayStage."""

    started = Signal(object)  # Recording
    step_started = Signal(object)  # StepStarted (the presenter console's)
    failure = Signal(str)  # a recorded failure (console only, never in the audience window)
    finished = Signal(bool)  # True when played to the end, False when stopped

    def __init__(self, window: MainWindow, stage: ReplayStage, parent: QObject | None = None,
                 *, drawing: Callable[[], bool] | None = None) -> None:
        """`drawing`: whether something else is still being drawn (the hero backdrop)."""
        super().__init__(parent or window)
        self._window, self.stage, self._drawing = window, stage, drawing
        self._task: asyncio.Task[bool] | None = None
        self._held: list[QWidget] = []
        self.on_screen = False  # a replay (running or finished) is what the window shows

    @property
    def playing(self) -> bool:
        """Whether a replay is running."""
        return self._task is not None and not self._task.done()

    def play(self, recording: Recording, *, speed: float | None = 1.0,
             step_done: StepDone | None = None) -> asyncio.Task[bool]:
        """Start playing `recording` (a running replay is stopped first); the task's result
        says whether it played to the end."""
        self.stop()
        player = Player(recording, speed=speed)  # ValueError for a bad speed, before anything
        self._hold_input()
        self.on_screen = True
        self.stage.reset()
        self._window.header.set_engine_label(replay_label(recording))
        self.started.emit(recording)
        self._task = asyncio.ensure_future(self._run(player, step_done))
        return self._task

    def stop(self) -> None:
        """Stop a running replay (what it showed stays until `release`)."""
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def release(self) -> None:
        """The window takes input again (the caller shows the live mode)."""
        self.stop()
        self.on_screen = False
        self._release_input()

    async def _run(self, player: Player, step_done: StepDone | None) -> bool:
        events = [event for _t, event in player.events]
        starts = set(step_starts(events)) - {0}
        done_steps = 0
        ended = False
        try:
            index = 0
            turn = time.perf_counter()
            async for event in player.play():
                if index in starts and step_done is not None:
                    done_steps += 1
                    await self._settled()
                    await step_done(done_steps)
                self._console(event)
                await self.stage.show(event)
                index += 1
                if isinstance(event, REPAINTING) or time.perf_counter() - turn >= TURN_BUDGET_S:
                    # Events that fell due together (a fast pace, a busy moment) are shown a
                    # few per loop turn: timers, input and repaints run in between.
                    await yield_turn()
                    turn = time.perf_counter()
            if events and step_done is not None:
                await self._settled()
                await step_done(done_steps + 1)
            ended = True
        except asyncio.CancelledError:
            log.info("replay stopped")
        finally:
            self.finished.emit(ended)
        return ended

    def _console(self, event: object) -> None:
        if isinstance(event, StepStarted):
            self.step_started.emit(event)
        elif isinstance(event, StepFailed):
            self.failure.emit(event.message)

    async def _settled(self) -> None:
        """Wait until the step's effects are painted: mode change steps, charts, commits."""
        await settle(self._window, self._drawing)

    # -- input while a replay is on screen --------------------------------------------------
    def _hold_input(self) -> None:
        """Nothing typed or clicked reaches the engine while the window shows a replay."""
        if self._held:
            return
        window = self._window
        panel = window.chat_panel
        _set_read_only(panel.composer, True)  # also: no blinking cursor in the pictures
        held: list[QWidget] = [window.dashboard]
        if isinstance(panel, ChatPanel):  # tests may pass a stand-in column
            held += [panel, panel.chip_bar]
        for widget in held:
            widget.blockSignals(True)
        self._held = held

    def _release_input(self) -> None:
        for widget in self._held:
            with contextlib.suppress(RuntimeError):  # deleted with the window
                widget.blockSignals(False)
        self._held = []
        _set_read_only(self._window.chat_panel.composer, False)


def _set_read_only(composer: QWidget, read_only: bool) -> None:
    """The real composer is a QPlainTextEdit; a stand-in is left alone."""
    if isinstance(composer, QPlainTextEdit):
        composer.setReadOnly(read_only)


async def settle(window: MainWindow, drawing: Callable[[], bool] | None = None) -> None:
    """Return once the window has nothing of a step left to draw (checked a few loop turns;
    `drawing` is polled too, for at most SETTLE_MAX_S)."""
    quiet = 0
    ends = time.perf_counter() + SETTLE_MAX_S
    # Loop turns only: processEvents() inside a qasync callback lost the loop's own timer
    # callbacks (a task then never woke up).
    while quiet < SETTLE_QUIET_CHECKS:
        await asyncio.sleep(SETTLE_POLL_S)
        busy = (window.mode_change.pending("content") or window.mode_change.pending("restyle")
                or window.dashboard.chart.drawing)
        if not busy and drawing is not None and drawing() and time.perf_counter() < ends:
            busy = True
            window.dashboard.update()  # the backdrop is asked for by the paint that needs it
        quiet = 0 if busy else quiet + 1
    panel = window.chat_panel
    if isinstance(panel, ChatPanel):
        panel.flush_commit()  # a long reply still being laid out a slice per turn: now


__all__ = ["ReplayRunner", "replay_label", "settle"]
