"""The protocol every engine implements, its optional capabilities, and the chat events it streams.

Optional capabilities are protocols too (checked with isinstance, never getattr probes):
RequestRefiner (an LLM decides industry and company), ChatStopper (ends a stream gracefully),
Preparer (a warm-up after the first paint), ServerEngine (talks to a configured server).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.models import Mode
from presto_desktop.core.triggers import ModeRequest

if TYPE_CHECKING:
    from presto_desktop.engines.openai_config import OpenAIConfig


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


__all__ = ["ChatEvent", "ChatMessage", "ChatStopper", "Done", "Engine", "ErrorEvent", "Preparer",
           "RequestRefiner", "ServerEngine", "TextDelta", "ToolCall"]

ChatEvent = TextDelta | ToolCall | Done | ErrorEvent


@runtime_checkable
class Engine(Protocol):
    """An async, Qt-free engine: generates modes and streams chat (triggers: core.triggers)."""

    @property
    def label(self) -> str:
        """What the window's engine indicator shows, e.g. 'Offline' or the model name."""
        ...

    @property
    def kind(self) -> str:
        """'offline' or 'openai'."""
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


@runtime_checkable
class ChatStopper(Protocol):
    """An engine that can end its streams in flight gracefully (closing the HTTP stream)."""

    def stop_chat(self) -> bool:
        """End every reply in flight with Done('stopped'); False when it cannot (cancel instead)."""
        ...


@runtime_checkable
class Preparer(Protocol):
    """An engine with one-time costs worth paying before the first request (imports, caches)."""

    async def prepare(self) -> None:
        """Warm up off the GUI thread; optional, a request works without it."""
        ...


@runtime_checkable
class ImageMaker(Protocol):
    """An engine whose server may offer an image model (images.generate)."""

    async def generate_image(self, prompt: str, model: str) -> bytes:
        """One image's bytes (unchecked: the caller checks them like a logo file)."""
        ...


@runtime_checkable
class ServerEngine(Protocol):
    """An engine that talks to a configured server (its model, preset and key)."""

    @property
    def config(self) -> OpenAIConfig:
        """The server configuration in use."""
        ...
