"""The one protocol every engine implements, and the chat events it streams."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.models import Mode
from presto_desktop.core.triggers import ModeRequest


@dataclass(frozen=True)
class TextDelta:
    """A chunk of reply text."""

    text: str


@dataclass(frozen=True)
class Done:
    """The reply ended: 'stop' normally, 'stopped' by the user, 'incomplete' if cut off."""

    finish_reason: Literal["stop", "stopped", "incomplete"] = "stop"


@dataclass(frozen=True)
class ErrorEvent:
    """The reply failed; `message` is for people, `retryable` says whether Retry makes sense."""

    message: str
    retryable: bool = True


__all__ = ["ChatEvent", "ChatMessage", "Done", "Engine", "ErrorEvent", "RequestRefiner", "TextDelta",
           "ToolCall"]

ChatEvent = TextDelta | ToolCall | Done | ErrorEvent


@runtime_checkable
class Engine(Protocol):
    """An async, Qt-free engine: detects mode requests, generates modes, streams chat."""

    @property
    def label(self) -> str:
        """What the window's engine indicator shows, e.g. 'Offline' or the model name."""
        ...

    @property
    def kind(self) -> str:
        """'offline' or 'openai'."""
        ...

    async def detect_mode_request(self, text: str) -> ModeRequest | None:
        """Return the mode request in `text`, or None for ordinary chat."""
        ...

    async def generate_mode(self, request: ModeRequest) -> Mode:
        """Generate a complete, validated mode (not saved) for `request`."""
        ...

    def stream_chat(
        self, mode: Mode, history: list[ChatMessage], message: str
    ) -> AsyncIterator[ChatEvent]:
        """Stream the reply to `message` as events, ending with Done or ErrorEvent."""
        ...

    async def aclose(self) -> None:
        """Release clients and sockets."""
        ...


@runtime_checkable
class RequestRefiner(Protocol):
    """An engine that can refine the local parse of a request (an LLM knows Wells Fargo banks)."""

    async def refine_request(self, request: ModeRequest) -> ModeRequest:
        """The request with industry and company decided; `request` itself when unsure."""
        ...
