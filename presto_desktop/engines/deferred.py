"""DeferredEngine: stands in for the engine until it is built (after the window's first paint)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from presto_desktop.engines.base import ChatEvent, ChatStopper, Engine, Preparer, RequestRefiner

if TYPE_CHECKING:
    from presto_desktop.core.chat import ChatMessage
    from presto_desktop.core.models import Mode
    from presto_desktop.core.triggers import ModeRequest


class DeferredEngine:
    """Stands in for the engine until it is built; any use builds it on the spot.

    Every capability is an explicit method (no __getattr__), so it satisfies the engine
    protocols statically and for isinstance; an optional one the real engine lacks is a no-op.
    """

    def __init__(self, build: Callable[[], Engine], label: str) -> None:
        self._build, self._label = build, label
        self._engine: Engine | None = None
        # Built in a worker thread after the first paint; a use on the loop may race it.
        self._lock = threading.Lock()

    @property
    def label(self) -> str:
        """The real engine's label once built, the provisional one before."""
        return self._engine.label if self._engine is not None else self._label

    def resolve(self) -> Engine:
        """The real engine (built now if needed)."""
        with self._lock:
            if self._engine is None:
                self._engine = self._build()
            return self._engine

    async def aclose(self) -> None:
        """Close the real engine if it was ever built (never builds one just to close it)."""
        if self._engine is not None:
            await self._engine.aclose()

    @property
    def kind(self) -> str:
        """The real engine's kind (built now if needed)."""
        return self.resolve().kind

    async def generate_mode(self, request: ModeRequest) -> Mode:
        """Generate with the real engine (built now if needed)."""
        return await self.resolve().generate_mode(request)

    def stream_chat(self, mode: Mode, history: list[ChatMessage],
                    message: str) -> AsyncIterator[ChatEvent]:
        """Stream from the real engine (built now if needed)."""
        return self.resolve().stream_chat(mode, history, message)

    async def refine_request(self, request: ModeRequest) -> ModeRequest:
        """The real engine's refinement, or `request` unchanged when it cannot refine."""
        engine = self.resolve()
        return await engine.refine_request(request) if isinstance(engine, RequestRefiner) else request

    def stop_chat(self) -> bool:
        """Stop the real engine's streams; False when it has none or cannot (cancel instead)."""
        engine = self._engine
        return isinstance(engine, ChatStopper) and engine.stop_chat()

    async def prepare(self) -> None:
        """Warm the real engine up (built now if needed) when it has a warm-up."""
        engine = self.resolve()
        if isinstance(engine, Preparer):
            await engine.prepare()


__all__ = ["DeferredEngine"]
