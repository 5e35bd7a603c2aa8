"""One streamed chat reply: chunks become frame-sized events; Stop closes the HTTP stream.

No openai import here: the engine opens the stream and maps its exceptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.errors import EngineError
from presto_desktop.core.pacing import FRAME_S, Pacer
from presto_desktop.engines.base import ChatEvent, Done, ErrorEvent, TextDelta

if TYPE_CHECKING:
    from presto_desktop.engines.openai_chat import Message

log = logging.getLogger(__name__)
FLUSH_S = FRAME_S  # text is handed over at most once per frame...
YIELD_S = 0.002  # ...and the event loop gets a turn at least this often while chunks pour in
# (a waiting callback can sit behind two such slices, so the worst gap is about 2 x YIELD_S)
MAX_TOOL_CALLS = 8


class _Stopped(Exception):
    """Stop was requested while a read was pending."""


class StreamSource(Protocol):
    """What the streamer needs from its engine (the OpenAI engine is one)."""

    async def open_stream(self, messages: list[Message]) -> Any:
        """Start a streamed completion; its chunks are the SDK's."""
        ...

    def tool_call(self, name: str, arguments: str) -> ToolCall | str:
        """A finished tool call checked, or a note saying why it was skipped."""
        ...

    def stream_fault(self, exc: BaseException) -> EngineError:
        """Map an exception raised while streaming."""
        ...


class ChatStreamer:
    """Turns one SDK chat stream into ChatEvents; `stop()` ends it as Done('stopped')."""

    def __init__(self, engine: StreamSource, messages: list[Message]) -> None:
        self._engine = engine
        self._messages = messages
        self._stream: Any = None
        self._task: asyncio.Task | None = None
        self._reading = False
        self._stop_requested = False

    def stop(self) -> None:
        """Request a stop; a pending read is interrupted at once."""
        self._stop_requested = True
        if self._reading and self._task is not None and not self._task.done():
            self._task.cancel()

    async def close(self) -> None:
        """Close the HTTP stream so the server sees the connection end."""
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):
                await stream.close()

    async def _guard(self, awaitable: Any) -> Any:
        """Await `awaitable`; a Stop during the wait becomes _Stopped, other cancels propagate."""
        self._reading = True
        try:
            return await awaitable
        except asyncio.CancelledError:
            if not self._stop_requested or self._task is None:
                raise
            if self._task.uncancel() > 0:  # someone else cancelled us too
                raise
            raise _Stopped from None
        finally:
            self._reading = False

    async def events(self) -> AsyncGenerator[ChatEvent, None]:
        """Stream the reply, ending with Done or ErrorEvent."""
        self._task = asyncio.current_task()
        try:
            self._stream = await self._guard(self._engine.open_stream(self._messages))
        except _Stopped:
            yield Done("stopped")
            return
        except EngineError as exc:
            yield ErrorEvent(str(exc), exc.retryable)
            return
        reply = _Reply()
        ended: list[ChatEvent | Exception] = []  # why the stream ended early, if it did
        async for event in self._read(reply, ended):
            yield event
        if ended:
            await self.close()
            if reply.text:
                yield TextDelta("".join(reply.text))
            last = ended[0]
            yield self._mid_stream_end(last, reply.received) if isinstance(last, Exception) else last
            return
        if reply.text:
            yield TextDelta("".join(reply.text))
        for event in self._tool_events(reply.tools):
            yield event
        yield _finish_event(reply.finish)

    async def _read(
        self, reply: _Reply, ended: list[ChatEvent | Exception]
    ) -> AsyncGenerator[ChatEvent, None]:
        """Read chunks into `reply`, yielding text at most once per frame.

        A Stop puts Done('stopped') in `ended`, a failure its exception; the caller closes
        the stream and flushes the text before the closing event.
        """
        iterator = self._stream.__aiter__()
        flush = Pacer(FLUSH_S)  # due at once: the first text is handed over at once
        turn = Pacer(YIELD_S)
        turn.mark()
        while True:
            if self._stop_requested:
                ended.append(Done("stopped"))
                return
            try:
                chunk = await self._guard(iterator.__anext__())
            except StopAsyncIteration:
                return
            except _Stopped:
                ended.append(Done("stopped"))
                return
            except Exception as exc:  # noqa: BLE001 - SDK errors: mapped, never raised to the UI
                ended.append(exc)
                return
            reply.take(chunk)
            if reply.text and flush.take():
                yield TextDelta("".join(reply.text))
                reply.text.clear()
            if turn.due():
                # Buffered chunks never suspend `async for`: give the GUI loop its turn.
                try:
                    await self._guard(asyncio.sleep(0))
                except _Stopped:
                    continue  # handled at the top of the loop
                turn.mark()

    def _tool_events(self, tools: dict[int, list[Any]]) -> Iterator[ChatEvent]:
        """The checked tool calls (at most MAX_TOOL_CALLS); unreadable ones become a note."""
        for index in sorted(tools)[:MAX_TOOL_CALLS]:
            name, parts = tools[index]
            try:
                result = self._engine.tool_call(name, "".join(parts))
            except Exception as exc:  # noqa: BLE001 - a bad tool call is skipped, not fatal
                log.warning("tool call %s could not be checked: %r", name[:40], exc)
                result = f"skipped {name[:40] or 'a tool call'}: its arguments could not be read"
            if isinstance(result, ToolCall):
                yield result
            else:
                log.info("tool call %s", result)
                yield TextDelta(f"\n\n[{result}]")

    def _mid_stream_end(self, exc: BaseException, received: bool) -> ChatEvent:
        names = {type(exc).__name__} | {c.__name__ for c in type(exc).__mro__}
        if "APIConnectionError" in names and received:
            log.info("stream dropped mid-reply: %s", type(exc).__name__)
            return Done("incomplete")
        if "APIError" in names and "APIStatusError" not in names and "APIConnectionError" not in names:
            message = str(self._engine.stream_fault(exc)).removeprefix(
                "The server reported an error: ")
            return ErrorEvent(f"The server reported an error mid-reply: {message}")
        if isinstance(exc, EngineError):
            return ErrorEvent(str(exc), exc.retryable)
        if "OpenAIError" in names:
            error = self._engine.stream_fault(exc)
            return ErrorEvent(str(error), error.retryable)
        log.warning("unexpected stream failure: %r", exc)
        return ErrorEvent(f"The reply failed unexpectedly ({type(exc).__name__}).")


class _Reply:
    """What the chunks said so far: unsent text, tool-call fragments, the finish reason."""

    def __init__(self) -> None:
        self.text: list[str] = []
        self.tools: dict[int, list[Any]] = {}  # index -> [name, argument fragments]
        self.finish: str | None = None
        self.received = False

    def take(self, chunk: Any) -> None:
        """Fold one SDK chunk in (only choice 0 counts)."""
        for choice in getattr(chunk, "choices", None) or []:
            if getattr(choice, "index", 0) not in (0, None):
                continue
            delta = choice.delta
            if delta is not None:
                piece = getattr(delta, "content", None) or getattr(delta, "refusal", None)
                if piece:
                    self.text.append(piece)
                    self.received = True
                for call in getattr(delta, "tool_calls", None) or []:
                    self.received = True
                    entry = self.tools.setdefault(call.index or 0, ["", []])
                    function = call.function
                    if function is not None:
                        if function.name and not entry[0]:
                            entry[0] = function.name
                        if function.arguments:
                            entry[1].append(function.arguments)
            if choice.finish_reason:
                self.finish = choice.finish_reason


def _finish_event(finish: str | None) -> ChatEvent:
    """The closing event for a stream that ran to its end."""
    if finish in ("stop", "tool_calls", "function_call", "end_turn", "eos"):
        return Done("stop")
    if finish == "content_filter":
        return ErrorEvent("The server's content filter blocked the reply.", retryable=False)
    # No finish_reason (cut off, no [DONE]) or "length": the reply is incomplete.
    return Done("incomplete")
