"""A scriptable engine implementing the Engine protocol, for chat tests and benchmarks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.engines.base import ChatEvent, Done, ErrorEvent, TextDelta


class FakeEngine:
    """Streams `chunks` (with `delay` seconds between them), then `end`; records each call."""

    label = "Fake"
    kind = "offline"

    def __init__(
        self,
        chunks: list[Any] | None = None,
        *,
        delay: float = 0.0,
        end: ChatEvent | None = None,
        raise_after: Exception | None = None,
    ) -> None:
        self.chunks = chunks if chunks is not None else ["Hello", ", ", "world"]
        self.delay = delay
        self.end = end if end is not None else Done()
        self.raise_after = raise_after
        self.calls: list[tuple[str, list[ChatMessage], str]] = []
        self.closed = 0  # streams whose generator was closed (finally ran)
        self.started = asyncio.Event()

    async def generate_mode(self, request: Any) -> Any:
        raise NotImplementedError

    async def stream_chat(
        self, mode: Any, history: list[ChatMessage], message: str
    ) -> AsyncIterator[ChatEvent]:
        self.calls.append((mode.id, list(history), message))
        try:
            for chunk in self.chunks:
                if self.delay:
                    await asyncio.sleep(self.delay)
                if isinstance(chunk, str):
                    yield TextDelta(chunk)
                else:
                    yield chunk
                self.started.set()
            if self.raise_after is not None:
                raise self.raise_after
            yield self.end
        finally:
            self.closed += 1

    async def aclose(self) -> None:
        return None


__all__ = ["Done", "ErrorEvent", "FakeEngine", "TextDelta", "ToolCall"]
