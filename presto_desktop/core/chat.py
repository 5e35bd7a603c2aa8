"""Conversation turns and tool calls, shared by engines, storage and the window."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class ToolCall:
    """A validated tool call: `show_chart` (Chart fields) or `show_metrics` ({"metrics": [...]})."""

    name: Literal["show_chart", "show_metrics"]
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ChatMessage:
    """One turn of conversation history, with the tool calls it produced."""

    role: Literal["user", "assistant"]
    content: str
    tool_calls: tuple[ToolCall, ...] = field(default_factory=tuple)
    # "stop", "stopped" (user pressed Stop), "incomplete" (cut off) or "error".
    status: str = "stop"
