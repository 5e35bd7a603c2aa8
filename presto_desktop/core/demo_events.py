"""What happens in a demo, as plain events: a script's runner emits them, a recording keeps them
with their times, a player gives them back. The window (or a terminal) shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from presto_desktop.core.chat import ToolCall

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode


@dataclass(frozen=True)
class StepStarted:
    """Script step `index` (1-based) of `total` begins; `text` describes it, `note` is the console's."""

    index: int
    total: int
    kind: str
    text: str
    note: str | None = None


@dataclass(frozen=True)
class ModeApplied:
    """`mode` became the current mode; `how`: reset, saved, generated, refined-known or picked."""

    mode: Mode
    how: str = "picked"


@dataclass(frozen=True)
class UserSaid:
    """The user's turn (typed, scripted or a tab's prompt)."""

    text: str


@dataclass(frozen=True)
class ReplyDelta:
    """A chunk of the assistant's reply as it streams."""

    text: str


@dataclass(frozen=True)
class ToolCalled:
    """A tool call of the reply (a chart, metrics, suggested prompts)."""

    call: ToolCall


@dataclass(frozen=True)
class ReplyDone:
    """The assistant's finished message (a reply, a welcome): whole text and status."""

    text: str
    status: str = "stop"


@dataclass(frozen=True)
class StepFailed:
    """Something failed (an engine error, an unknown tab): the script pauses; console only."""

    message: str


DemoEvent = StepStarted | ModeApplied | UserSaid | ReplyDelta | ToolCalled | ReplyDone | StepFailed

__all__ = ["DemoEvent", "ModeApplied", "ReplyDelta", "ReplyDone", "StepFailed", "StepStarted",
           "ToolCalled", "UserSaid"]
