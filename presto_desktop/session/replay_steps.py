"""Where a recording's steps begin: what `demo play --screenshot-dir` writes one picture for.

Qt-free. A scripted recording (`demo run --record`) has step events: each begins a step. A
recording made in the window has none: each user turn begins a step, and so does a mode applied
once the step before has its answer (a mode picked in the library). Events before the first
step's start belong to the first step (the mode the recording starts in, its conversation).
"""

from __future__ import annotations

from collections.abc import Sequence

from presto_desktop.core.demo_events import (
    DemoEvent,
    ModeApplied,
    ReplyDelta,
    ReplyDone,
    StepStarted,
    ToolCalled,
    UserSaid,
)


def step_starts(events: Sequence[DemoEvent]) -> list[int]:
    """The indexes of the events that begin a step (the first is always 0; none when empty)."""
    if not events:
        return []
    if any(isinstance(event, StepStarted) for event in events):
        starts = [i for i, event in enumerate(events) if isinstance(event, StepStarted)]
    else:
        starts = _turn_starts(events)
    if not starts:
        return [0]
    if starts[0] != 0:
        # What comes before the first step (the starting mode) is shown with it, unless it
        # has a turn of its own (a welcome, a conversation the recording began with).
        starts = [0, *starts] if _has_turn(events[:starts[0]]) else [0, *starts[1:]]
    return starts


def _turn_starts(events: Sequence[DemoEvent]) -> list[int]:
    """Steps of a recording without step events: user turns, and modes picked after an answer."""
    starts: list[int] = []
    answered = False  # the step so far has a reply (a mode applied now is a new step)
    for index, event in enumerate(events):
        if isinstance(event, UserSaid) or (isinstance(event, ModeApplied) and answered):
            starts.append(index)
            answered = False
        elif isinstance(event, ReplyDone | ReplyDelta | ToolCalled):
            answered = True
    return starts


def _has_turn(events: Sequence[DemoEvent]) -> bool:
    """Whether `events` show something of their own beyond the starting mode."""
    return any(isinstance(event, UserSaid | ReplyDone) for event in events)


def step_count(events: Sequence[DemoEvent]) -> int:
    """How many steps (pictures) the events make."""
    return len(step_starts(events))


__all__ = ["step_count", "step_starts"]
