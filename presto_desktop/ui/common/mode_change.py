"""The one scheduler of a mode change: an ordered list of named steps run over loop turns.

A mode change shown once the window is painted (or after a generation) is spread over loop
turns, so no single turn stalls timers or input: the window's content (persona, KPIs, tabs,
conversation) and the restyle (announce the palette, each style root, the one repaint) are
steps in the same list, run in order, as many per turn as are expected to fit
~5 ms of CPU (each step's last duration). Each feeder owns a
group of steps ("content", "restyle"): a newer change replaces that group's pending steps and
leaves the others, so a restyle that began still ends with its repaint. The groups' steps
take turns in the list (content, restyle, content, ...): the restyle's repaint does not wait
for the whole content, nor the content for every style root.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QObject

from presto_desktop.ui.common.turns import next_turn

# The next turn is queued behind the coroutines and timers ready now (next_turn's call_soon
# hop: a loop pass, with its timers and input, runs between two turns; seen in the session
# benchmark, a heartbeat tick between every two). No extra wait: with a 1 ms timer each turn
# waited 3-5 ms for its pass, and a saved mode's switch took 30-40 ms instead of 20-26.
STEP_DELAY_MS = 0
# A turn runs the next step only if it is expected to end within this much of the loop thread's
# CPU time: cheap steps share a turn, a costly one gets a turn of its own. 5 ms, not a whole
# frame: what else falls due in the same pass (a paint, a chart's step) must fit too (with
# 8 ms, one switch in three had a 10-13 ms pass). CPU time, not wall time: on a busy machine
# wall times swell with preemption and would put every step in a turn of its own.
TURN_BUDGET_S = 0.005
UNKNOWN_STEP_S = 0.004  # a step never timed yet (the first mode change of a process)


@dataclass(frozen=True)
class Step:
    """One named step of a mode change; `group` is the part before the colon.

    A `repeat` step does its work a piece at a time: `run` returns True while pieces remain,
    and the step runs again next (in this turn if the budget allows, else the next turn).
    """

    name: str
    run: Callable[[], object]
    repeat: bool = False

    @property
    def group(self) -> str:
        """Who fed the step (e.g. "restyle" for "restyle:root")."""
        return self.name.partition(":")[0]


def _interleave(steps: list[Step]) -> list[Step]:
    """Each group's steps in their order, the groups taking turns (first group first)."""
    groups: dict[str, list[Step]] = {}
    for step in steps:
        groups.setdefault(step.group, []).append(step)
    lanes = list(groups.values())
    return [lane[i] for i in range(max(map(len, lanes), default=0))
            for lane in lanes if i < len(lane)]


class ModeChange(QObject):
    """Runs the pending steps of the current mode change in order, a few per loop turn."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: list[Step] = []
        self._token = 0  # bumped when the list empties or is replaced: older timers stop
        self._cost: dict[str, float] = {}  # step name -> CPU seconds it took last time

    def replace(self, group: str, steps: Iterable[Step]) -> None:
        """Drop `group`'s pending steps (a newer change supersedes them) and queue `steps`."""
        kept = [step for step in self._steps if step.group != group]
        added = list(steps)
        assert all(step.group == group for step in added), "steps are named '<group>:<what>'"
        self._steps = _interleave([*kept, *added])
        if self._steps:
            self._schedule()

    def append(self, steps: Iterable[Step]) -> None:
        """Queue `steps` after every pending step (a held-back repaint that must come last)."""
        self._steps = [*self._steps, *steps]
        if self._steps:
            self._schedule()

    @property
    def busy(self) -> bool:
        """Whether steps wait to run."""
        return bool(self._steps)

    def pending(self, name: str) -> bool:
        """Whether a step called `name` (or, without a colon, any step of that group) waits."""
        return any(step.name == name or step.group == name for step in self._steps)

    def _schedule(self) -> None:
        self._token += 1
        # A bound method and the token, not a closure that schedules itself: that cycle would
        # keep the widgets' Python wrappers alive until the next garbage collection.
        next_turn(self, partial(self._turn, self._token), STEP_DELAY_MS)

    def _turn(self, token: int) -> None:
        if token != self._token:
            return  # the list was replaced: a newer timer runs it
        started = now = time.thread_time()
        while self._steps:
            step = self._steps.pop(0)
            more = step.run()
            done = time.thread_time()
            self._cost[step.name] = done - now
            now = done
            if token != self._token:
                return  # the step queued more (and a newer timer carries on)
            if step.repeat and more is True:
                self._steps.insert(0, step)
            upcoming = self._cost.get(self._steps[0].name, UNKNOWN_STEP_S) if self._steps else 0
            if now - started + upcoming > TURN_BUDGET_S:
                break
        if self._steps:
            self._schedule()
