"""Conversation turns and tool calls, shared by engines, storage and the window."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal


def new_message_id() -> str:
    """A unique message id (32 random hex digits)."""
    # Not uuid4: importing uuid (and platform with it) cost the first frame ~3 ms.
    return os.urandom(16).hex()


@dataclass(frozen=True)
class ToolCall:
    """A validated tool call: `show_chart` (Chart fields), `show_metrics` ({"metrics": [...]}).

    The offline engine also sends `suggest_prompts` ({"prompts": [...]}), shown as chips.
    """

    name: Literal["show_chart", "show_metrics", "suggest_prompts"]
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ChatMessage:
    """One turn of conversation history, with the tool calls it produced."""

    role: Literal["user", "assistant"]
    content: str
    tool_calls: tuple[ToolCall, ...] = field(default_factory=tuple)
    # "stop", "stopped" (user pressed Stop), "incomplete" (cut off) or "error".
    status: str = "stop"
    # Identity and time of writing: lets two windows saving one conversation merge their
    # turns instead of overwriting each other. Not part of equality (same turn, same text).
    id: str = field(default_factory=new_message_id, compare=False)
    at: float = field(default_factory=time.time, compare=False)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def json_too_deep(text: str, limit: int) -> bool:
    """True when JSON `text` nests arrays or objects deeper than `limit` (strings ignored)."""
    # Checked before parsing: json.loads on 20,000 nested brackets raises RecursionError.
    depth = 0
    for match in _BRACKET.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
