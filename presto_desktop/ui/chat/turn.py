"""One chat turn's stream read into a reply: text, tool calls, how it ended (Qt-free)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, field

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.pacing import Pacer
from presto_desktop.engines.base import ChatEvent, Done, ErrorEvent, TextDelta
from presto_desktop.ui.common.turns import yield_turn

log = logging.getLogger(__name__)
YIELD_EVERY = 0.004  # seconds of stream work before handing the loop back to Qt


@dataclass
class Turn:
    """What the engine said so far in one reply."""

    parts: list[str] = field(default_factory=list)
    calls: list[ToolCall] = field(default_factory=list)
    status: str = "incomplete"
    error: tuple[str, bool] | None = None  # message for people, retryable

    def reply(self, *, stopped: bool) -> ChatMessage:
        """The assistant message; stopped by the user, the text so far is kept as 'stopped'."""
        if stopped:
            self.status, self.error = "stopped", None
        if self.error is not None:
            self.status = "error"
        return ChatMessage("assistant", "".join(self.parts), tuple(self.calls), self.status)


async def read_stream(stream: AsyncIterator[ChatEvent], turn: Turn, *,
                      on_text: Callable[[str], None], on_tool: Callable[[ToolCall], None]) -> None:
    """Read `stream` into `turn` until Done or an error event, handing the loop back to Qt."""
    turns = Pacer(YIELD_EVERY)
    turns.mark()
    async for event in stream:
        if isinstance(event, TextDelta):
            if event.text:
                turn.parts.append(event.text)
                on_text(event.text)
        elif isinstance(event, ToolCall):
            turn.calls.append(event)
            on_tool(event)
        elif isinstance(event, Done):
            turn.status = event.finish_reason
            return
        elif isinstance(event, ErrorEvent):
            turn.error = (event.message, event.retryable)
            return
        if turns.due():
            # A buffered stream never suspends: let Qt paint and run timers.
            await yield_turn()
            turns.mark()


async def close_stream(stream: AsyncIterator[ChatEvent] | None) -> None:
    """Close the engine's async generator (this is what cancels its HTTP stream)."""
    if not isinstance(stream, AsyncGenerator):
        return
    try:
        await stream.aclose()
    except asyncio.CancelledError:
        pass
    except Exception:  # noqa: BLE001
        log.warning("closing the chat stream failed", exc_info=True)
