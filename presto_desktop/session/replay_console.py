"""What the presenter console shows while a recording replays: its steps as DemoState snapshots.

Qt-free. A scripted recording carries its steps (StepStarted: words and the presenter's note);
the console follows them as it follows a live script, with the step that began, the next one
and its note, and the timer. A recording typed in the window has no steps: the console then
shows its title only.
"""

from __future__ import annotations

from collections.abc import Sequence

from presto_desktop.core.demo_events import DemoEvent, StepStarted
from presto_desktop.core.recording import Recording, StepEvent, demo_event
from presto_desktop.session.demo_state import DemoState


def replay_steps(events: Sequence[DemoEvent]) -> list[StepStarted]:
    """The recording's script steps, in order."""
    return [event for event in events if isinstance(event, StepStarted)]


def recorded_steps(recording: Recording) -> list[StepStarted]:
    """A recording's script steps, from its step records alone (not every event converted)."""
    return replay_steps([demo_event(record, {}) for record in recording.events
                         if isinstance(record, StepEvent)])


def replay_state(title: str, steps: Sequence[StepStarted], begun: int, *,
                 started_at: float | None, finished: bool = False, error: str = "") -> DemoState:
    """The snapshot once `begun` of `steps` have begun (0: none yet; `finished`: played out)."""
    current = steps[begun - 1] if 0 < begun <= len(steps) else None
    upcoming = steps[begun] if begun < len(steps) and not finished else None
    return DemoState(
        title=title, index=len(steps) if finished else begun, total=len(steps),
        current_label=current.text if current is not None else "",
        next_label=upcoming.text if upcoming is not None else "",
        next_label_note=(upcoming.note or "") if upcoming is not None else "",
        running=not finished, error=error, started_at=started_at, replaying=True)
