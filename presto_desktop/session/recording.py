"""Recorder and Player: a live session (typed or scripted, any engine) to a `.presto` recording
and back, as the same demo events. Qt-free; clocks and sleeps are injected for tests.

The window feeds a Recorder as things happen (`record(event)`, or the helpers below); the
DemoRunner's sink can be a Recorder too. A Player gives a recording's events back at the
recorded pace, `speed` times faster, needing no engine, network or key.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

from presto_desktop import __version__
from presto_desktop.core.chat import ToolCall
from presto_desktop.core.demo_events import (
    DemoEvent,
    ModeApplied,
    ReplyDelta,
    ReplyDone,
    StepFailed,
    UserSaid,
)
from presto_desktop.core.demo_events import ToolCalled as ToolCalledEvent
from presto_desktop.core.models import Mode
from presto_desktop.core.recording import (
    MAX_DURATION_S,
    MAX_EVENTS,
    EngineInfo,
    Recording,
    event_record,
    timed_events,
)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
MAX_SPEED = 1000.0
RESERVED = 1_000  # the last events are kept for whole messages, not streaming chunks


class Recorder:
    """Collects demo events with their offsets from the first one; `recording()` makes the file.

    Modes are kept by id as last applied (a mode regenerated mid-recording under the same id
    replays in its last version). Past MAX_EVENTS further streaming chunks are dropped (their
    finished replies are still kept), so a long session cannot grow without bound.
    """

    def __init__(self, engine_kind: str, engine_label: str, *, clock: Clock = time.monotonic,
                 now: Callable[[], datetime] | None = None) -> None:
        self._engine = EngineInfo(kind=engine_kind[:32], label=engine_label[:200])
        self._clock = clock
        self._now = now or (lambda: datetime.now(UTC))
        self._start: float | None = None
        self._created: datetime | None = None
        self._events: list[tuple[float, DemoEvent]] = []
        self._modes: dict[str, Mode] = {}
        self.dropped = 0  # streaming chunks left out past the cap

    def __call__(self, event: DemoEvent) -> None:
        """A Recorder is a DemoRunner sink."""
        self.record(event)

    @property
    def events(self) -> list[tuple[float, DemoEvent]]:
        """What was recorded so far, with offsets in seconds."""
        return list(self._events)

    def record(self, event: DemoEvent) -> None:
        """Keep `event` at the current offset."""
        now = self._clock()
        if self._start is None:
            self._start, self._created = now, self._now()
        room = MAX_EVENTS - len(self._events)
        if room <= 0 or (room <= RESERVED and isinstance(event, ReplyDelta)):
            self.dropped += 1
            return
        # Milliseconds: finer than a frame, and the file's numbers stay short.
        offset = round(min(max(0.0, now - self._start), MAX_DURATION_S), 3)
        if self._events:
            offset = max(offset, self._events[-1][0])  # a clock step back never reorders
        if isinstance(event, ModeApplied):
            self._modes[event.mode.id] = event.mode
        self._events.append((offset, event))

    # -- what the window feeds, named as it happens -----------------------------------------
    def mode_applied(self, mode: Mode, how: str = "applied") -> None:
        """A mode became current."""
        self.record(ModeApplied(mode, how))

    def user_message(self, text: str) -> None:
        """The user sent `text`."""
        self.record(UserSaid(text))

    def reply_chunk(self, text: str) -> None:
        """A chunk of the streaming reply."""
        self.record(ReplyDelta(text))

    def tool_call(self, call: ToolCall) -> None:
        """The reply called a tool (a chart, metrics, chips)."""
        self.record(ToolCalledEvent(call))

    def reply_done(self, text: str, status: str = "stop") -> None:
        """The assistant's message is complete."""
        self.record(ReplyDone(text, status))

    def failure(self, message: str) -> None:
        """Something failed (shown on the console only)."""
        self.record(StepFailed(message))

    def recording(self, title: str = "") -> Recording:
        """Everything recorded so far as a Recording (validated like a loaded file)."""
        records = [event_record(t, event) for t, event in self._events]
        return Recording(title=title[:200], created_at=self._created or self._now(),
                         app_version=__version__, engine=self._engine,
                         modes=list(self._modes.values()), events=records)


class Player:
    """Gives a recording's events back at its pace (`speed` times faster; None: at once)."""

    def __init__(self, recording: Recording, *, speed: float | None = 1.0,
                 clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        if speed is not None and not 0.0 < speed <= MAX_SPEED:
            raise ValueError(f"speed must be above 0 and at most {MAX_SPEED:g}")
        self._events = timed_events(recording)
        self._speed, self._clock, self._sleep = speed, clock, sleep

    @property
    def events(self) -> list[tuple[float, DemoEvent]]:
        """The events with their recorded offsets."""
        return list(self._events)

    async def play(self) -> AsyncIterator[DemoEvent]:
        """Each event when it is due; the pace is kept against the clock, so slow consumers
        catch up instead of drifting."""
        start = self._clock()
        for offset, event in self._events:
            if self._speed is not None:
                delay = start + offset / self._speed - self._clock()
                if delay > 0:
                    await self._sleep(delay)
            yield event


__all__ = ["Player", "Recorder"]
