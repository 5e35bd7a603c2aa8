"""The OpenAI-compatible engine: generation (format ladder, repair) and chat streaming.

With openai_client.py (client, errors) the only code importing openai, lazily at first use.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import EngineError, PrestoError
from presto_desktop.core.models import Mode
from presto_desktop.core.triggers import ModeRequest, normalise
from presto_desktop.engines.base import ChatEvent, ErrorEvent
from presto_desktop.engines.generated_mode import (
    GENERATION_SYSTEM,
    REFINE_SYSTEM,
    build_mode,
    generation_prompt,
    refined,
)
from presto_desktop.engines.generation_schema import (
    GeneratedMode,
    RefinedRequest,
    extract_json,
    schema_text,
    strict_response_format,
)
from presto_desktop.engines.openai_chat import TOOLS, Message, chat_messages, validate_tool_call
from presto_desktop.engines.openai_client import (
    fault,
    list_models,
    make_client,
    prepared_client,
    server_message,
    test_connection,
    warm_imports,
    with_retries,
)
from presto_desktop.engines.openai_config import OpenAIConfig

if TYPE_CHECKING:
    from openai import AsyncOpenAI
    from openai.types.chat import ChatCompletionMessageParam

    from presto_desktop.engines.lexicon import Lexicon

# list_models and test_connection stay importable from here (the Settings dialog uses them).
__all__ = ["LEVELS", "OpenAIEngine", "fault", "list_models", "make_client", "test_connection"]

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)
# The fallback ladder, most to least structured.
LEVELS = ("json_schema", "json_object", "prompt")
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "format", "grammar")

class OpenAIEngine:
    """Generates modes and streams chat through any OpenAI-compatible server."""

    def __init__(self, config: OpenAIConfig) -> None:
        self._config = config
        self._client: AsyncOpenAI | None = None
        # What each server accepts: index into LEVELS, and whether tools work.
        self._levels: dict[str, int] = {}
        self._no_tools: set[str] = set()
        self._stops: set[Callable[[], None]] = set()
        self._lexicon: Lexicon | None = None  # loaded on the first generated mode

    @property
    def label(self) -> str:
        """The model name, for the window's engine indicator."""
        return self._config.model_name or "OpenAI-compatible"

    @property
    def kind(self) -> str:
        """Always 'openai'."""
        return "openai"

    @property
    def config(self) -> OpenAIConfig:
        """The configuration in use."""
        return self._config

    async def prepare(self) -> None:
        """Warm up off the GUI thread (imports, TLS set-up, schemas); call it at start-up."""
        await self._ready()

    async def _ready(self) -> None:
        """Import openai (~0.8 s) and friends in a worker thread so the GUI loop keeps running."""
        if self._client is None:
            await asyncio.to_thread(warm_imports)
            # Building the client loads TLS certificates and more modules (~50 ms): off-loop too.
            client = await asyncio.to_thread(prepared_client, self._config)
            if self._client is None:
                self._client = client
            else:
                await client.close()

    def _get_client(self) -> AsyncOpenAI:
        if self._client is None:
            self._client = make_client(self._config)
        return self._client

    def _check_key(self) -> None:
        if self._config.missing_key:
            raise EngineError(f"No API key is configured for {self._config.server_url}; add one "
                              "in Settings or set OPENAI_API_KEY.", retryable=False)

    async def _with_retries(self, call: Callable[[], Awaitable[T]]) -> T:
        """Run `call`, retrying 429 (short Retry-After only) and 5xx (openai_client.with_retries)."""
        return await with_retries(call, self._config)

    # -- mode requests -------------------------------------------------------------------

    async def refine_request(self, request: ModeRequest) -> ModeRequest:
        """Ask the LLM for industry and company within a short timeout; else the local parse."""
        company_only = bool(request.company) and normalise(request.company or "") == request.industry
        if request.kind != "switch" or not (company_only or len(request.industry.split()) > 3):
            return request
        if self._config.missing_key:
            return request
        messages = [{"role": "system", "content": REFINE_SYSTEM},
                    {"role": "user", "content": request.raw[:500]}]
        await self._ready()  # our own imports and client set-up are not the server's time
        try:
            async with asyncio.timeout(self._config.refine_timeout_s):
                level = self._levels.get(self._config.server_url, 0)
                content, _finish, _refusal = await self._ask(LEVELS[level], messages,
                                                             RefinedRequest, retries=False)
            return refined(request, RefinedRequest.model_validate_json(extract_json(content)))
        except (TimeoutError, EngineError, ValidationError, ValueError) as exc:
            log.info("request refinement skipped: %s", type(exc).__name__)
            return request

    # -- mode generation -----------------------------------------------------------------

    async def generate_mode(self, request: ModeRequest) -> Mode:
        """A complete, validated Mode (not saved); raises EngineError with a clear message."""
        self._check_key()
        started = time.monotonic()
        await self._ready()  # our own imports and client set-up are not the server's time
        try:
            async with asyncio.timeout(self._config.timeout_s):
                generated = await self._generate(request)
        except TimeoutError as exc:
            raise EngineError(f"Generation took longer than {self._config.timeout_s:g} s; "
                              "try again or raise the time limit in Settings.") from exc
        # Palette and persona maths in a worker thread: the GUI loop keeps its frames.
        mode = await asyncio.to_thread(self._build, generated, request)
        log.info("generated mode %s in %.1f s", mode.id, time.monotonic() - started)
        return mode

    def _build(self, generated: GeneratedMode, request: ModeRequest) -> Mode:
        """The Mode, with the persona shaped like the knowledge base's entry for the industry."""
        from presto_desktop.engines.lexicon import Lexicon

        if self._lexicon is None:
            self._lexicon = Lexicon()
        shape = ("purchase", "")
        try:
            found = self._lexicon.find(request.industry or generated.industry)
            if found is not None:
                entry = self._lexicon.get(found[0])
                if entry.persona_kind == "generic":
                    shape = (entry.relationship, entry.noun)
        except PrestoError as exc:  # a damaged knowledge base only loses the shape
            log.warning("no persona shape for %r: %s", request.industry, exc)
        return build_mode(generated, request, self._config.model_name, shape=shape)

    async def _generate(self, request: ModeRequest) -> GeneratedMode:
        messages: list[Message] = [
            {"role": "system", "content": GENERATION_SYSTEM},
            {"role": "user", "content": generation_prompt(request)},
        ]
        url = self._config.server_url
        repaired = False
        while True:
            level = self._levels.get(url, 0)
            try:
                content, finish, refusal = await self._ask(LEVELS[level], messages, GeneratedMode)
            except _FormatRejected:
                self._levels[url] = level + 1
                log.info("server at %s rejects %s; falling back to %s",
                         url, LEVELS[level], LEVELS[level + 1])
                continue
            if refusal:
                raise EngineError(f"The model refused: {refusal[:150]}", retryable=False)
            if finish == "length":
                raise EngineError("The model ran out of output tokens mid-answer "
                                  "(finish_reason=length); try again or use a larger model.")
            if finish == "content_filter":
                raise EngineError("The server's content filter blocked the answer.",
                                  retryable=False)
            try:
                return GeneratedMode.model_validate_json(extract_json(content))
            except ValidationError as exc:
                if repaired:
                    raise EngineError("The model's answer did not match the mode format, even "
                                      "after a repair request; try again or another model.") from exc
                repaired = True
                problems = "; ".join(
                    f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}"
                    for e in exc.errors()[:8]
                )
                log.info("invalid generation (%s); asking once for a repair", problems[:200])
                messages += [
                    {"role": "assistant", "content": content[:12_000]},
                    {"role": "user", "content": "That answer is not valid for the schema: "
                     f"{problems[:1500]}. Reply again with only the complete corrected JSON "
                     "object."},
                ]

    async def _ask(
        self, level: str, messages: list[Message], model: type[BaseModel], *, retries: bool = True
    ) -> tuple[str, str | None, str | None]:
        """One completion at `level`; returns (content, finish_reason, refusal)."""
        await self._ready()
        import openai

        client = self._get_client()
        completions = client.chat.completions.with_raw_response
        name = self._config.model_name
        if level == "json_schema":
            fmt: Any = strict_response_format(model)
            extra: list[Message] = []
        else:
            instruction = (f"Answer with only a JSON object matching this JSON Schema, no prose:"
                           f"\n{schema_text(model)}")
            extra = [{"role": "system", "content": instruction}]
            fmt = {"type": "json_object"} if level == "json_object" else None

        def call() -> Awaitable[Any]:
            # response_format travels in extra_body: the SDK would otherwise walk the whole
            # schema through its TypedDict transform on every call (~4 ms).
            return completions.create(model=name, messages=_sdk([*messages, *extra]),
                                      extra_body={"response_format": fmt} if fmt else None)

        try:
            raw = await (self._with_retries(call) if retries else self._once(call))
        except EngineError as exc:
            cause = exc.__cause__
            if (level != "prompt" and isinstance(cause, openai.APIStatusError)
                    and cause.status_code in (400, 422, 500, 501)
                    and any(w in str(server_message(cause, self._config)).lower()
                            for w in _FORMAT_WORDS)):
                raise _FormatRejected from exc
            raise
        try:
            data = json.loads(raw.text)
            choice = data["choices"][0]
            message = choice.get("message") or {}
            content = message.get("content") or ""
            return content, choice.get("finish_reason"), message.get("refusal")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError,
                RecursionError) as exc:
            raise EngineError(f"The server at {self._config.server_url} did not answer like an "
                              "OpenAI-compatible API.") from exc

    async def _once(self, call: Callable[[], Awaitable[T]]) -> T:
        import openai

        try:
            return await call()
        except openai.OpenAIError as exc:
            raise fault(exc, self._config) from exc

    # -- chat ----------------------------------------------------------------------------

    def stop_chat(self) -> bool:
        """Stop every reply being streamed: each closes its HTTP stream and ends Done('stopped')."""
        for stop in list(self._stops):
            stop()
        return True

    async def stream_chat(
        self, mode: Mode, history: list[ChatMessage], message: str
    ) -> AsyncIterator[ChatEvent]:
        """Stream the reply: TextDelta / ToolCall events, then Done or ErrorEvent."""
        from presto_desktop.engines.openai_stream import ChatStreamer

        if self._config.missing_key:
            yield ErrorEvent(f"No API key is configured for {self._config.server_url}; add one "
                             "in Settings or set OPENAI_API_KEY.", retryable=False)
            return
        streamer = ChatStreamer(self, chat_messages(mode, history, message))
        events = streamer.events()
        self._stops.add(streamer.stop)
        try:
            async for event in events:
                yield event
        finally:
            # Runs on normal end, on the consumer's aclose() and on task cancellation.
            self._stops.discard(streamer.stop)
            await streamer.close()
            await events.aclose()

    async def open_stream(self, messages: list[Message]) -> Any:
        """Start a streamed completion (with tools when the server takes them)."""
        await self._ready()
        import openai

        client = self._get_client()
        url = self._config.server_url

        def call(with_tools: bool) -> Callable[[], Awaitable[Any]]:
            tools: Any = TOOLS if with_tools else openai.omit
            return lambda: client.chat.completions.create(
                model=self._config.model_name, messages=_sdk(messages), tools=tools, stream=True)

        if url not in self._no_tools:
            try:
                return await self._with_retries(call(True))
            except EngineError as exc:
                cause = exc.__cause__
                if not (isinstance(cause, openai.BadRequestError)
                        and "tool" in server_message(cause, self._config).lower()):
                    raise
                log.info("server at %s rejects tools; chatting without them", url)
                self._no_tools.add(url)
        return await self._with_retries(call(False))

    def tool_call(self, name: str, arguments: str) -> ToolCall | str:
        """Validate a finished tool call (see openai_chat.validate_tool_call)."""
        return validate_tool_call(name, arguments)

    def stream_fault(self, exc: BaseException) -> EngineError:
        """Map an exception raised while streaming."""
        return fault(exc, self._config)

    async def generate_image(self, prompt: str, model: str) -> bytes:
        """One image from the server's images endpoint (engines/openai_images.py)."""
        from presto_desktop.engines.openai_images import request_image

        self._check_key()
        return await request_image(self._get_client(), self._config, model, prompt)

    async def aclose(self) -> None:
        """Close the HTTP client (and its sockets)."""
        client, self._client = self._client, None
        if client is not None:
            await client.close()


def _sdk(messages: list[Message]) -> list[ChatCompletionMessageParam]:
    """Our role/content dicts as the SDK's message type (the TypedDicts describe exactly them)."""
    return cast("list[ChatCompletionMessageParam]", messages)


class _FormatRejected(Exception):
    """The server refused this response_format; step down the ladder."""
