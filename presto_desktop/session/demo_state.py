"""DemoState: where a demo script stands, as the presenter console and the window show it.

Qt-free and immutable: the window's script stepper publishes a new DemoState after every
change (step started, step done, failure, auto-play toggled) and the presenter console
renders whatever it is given, so the two never share mutable state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from presto_desktop.core.demo_script import Step, describe


@dataclass(frozen=True)
class DemoState:
    """One snapshot of a demo script's progress."""

    title: str = ""
    index: int = 0  # the next step to perform; equals `total` when the script is done
    total: int = 0
    current: Step | None = None  # the step last started
    next: Step | None = None  # the step the next click performs
    running: bool = False  # a step (typing, waiting for the reply) is in progress
    auto: bool = False  # auto-play on
    error: str = ""  # one line; shown on the presenter console only
    started_at: float | None = None  # time.monotonic() of the first step, for the timer
    # A replayed recording's steps are words, not script steps (session/replay_console.py).
    current_label: str = ""
    next_label: str = ""
    next_label_note: str = ""
    replaying: bool = False  # a recording plays: the console's buttons drive scripts only

    @property
    def started(self) -> bool:
        """Whether a step has begun."""
        return self.current is not None or bool(self.current_label)

    @property
    def loaded(self) -> bool:
        """Whether a script is loaded."""
        return self.total > 0

    @property
    def done(self) -> bool:
        """Whether every step has been performed."""
        return self.loaded and self.index >= self.total and not self.running

    def current_text(self) -> str:
        """The current step in words, or '' before the first step."""
        return self.current_label or ("" if self.current is None else describe(self.current))

    def next_text(self) -> str:
        """The next step in words, or '' at the end."""
        return self.next_label or ("" if self.next is None else describe(self.next))

    def next_note(self) -> str:
        """The presenter's note on the next step, or ''."""
        return self.next_label_note or ("" if self.next is None else (self.next.note or ""))

    def with_error(self, message: str) -> DemoState:
        """This state with a failure (the script pauses; auto-play stops)."""
        return replace(self, error=message, running=False, auto=False)
