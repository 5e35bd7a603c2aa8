"""The OpenAI SDK's edge: client construction, warm-up, and SDK errors mapped to one clear line.

Also the Settings dialog's helpers (list_models, test_connection). Imports openai lazily.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from presto_desktop.core.errors import EngineError
from presto_desktop.core.logs import redact
from presto_desktop.engines.generation_schema import (
    GeneratedMode,
    RefinedRequest,
    schema_text,
    strict_response_format,
)
from presto_desktop.engines.openai_config import PLACEHOLDER_KEY, OpenAIConfig

if TYPE_CHECKING:
    from openai import AsyncOpenAI

log = logging.getLogger(__name__)
T = TypeVar("T")
_WARM_MODULES = ("openai", "openai.resources.chat", "openai.resources.models",
                 "openai.lib.streaming.chat", "anyio._backends._asyncio", "jiter", "faker",
                 "faker.providers.person.en_US", "coloraide", "presto_desktop.core.palette",
                 "presto_desktop.engines.openai_stream")


def make_client(config: OpenAIConfig, *, max_retries: int = 0) -> AsyncOpenAI:
    """An SDK client for `config`; retries are ours (see `_with_retries`)."""
    import openai  # ~0.8 s: only when this engine is used

    timeout = openai.Timeout(config.timeout_s, connect=config.connect_timeout_s)
    key = config.api_key or PLACEHOLDER_KEY
    if config.is_azure:
        return openai.AsyncAzureOpenAI(
            azure_endpoint=config.azure_endpoint, api_version=config.azure_api_version,
            azure_deployment=config.azure_deployment or None, api_key=key,
            timeout=timeout, max_retries=max_retries,
        )
    return openai.AsyncOpenAI(
        base_url=config.base_url, api_key=key, timeout=timeout, max_retries=max_retries
    )


def warm_imports() -> None:
    """Import what the first request needs (run in a worker thread)."""
    for name in _WARM_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # optional speed-up only
            pass


def prepared_client(config: OpenAIConfig) -> AsyncOpenAI:
    """A client with its lazily imported parts loaded and the schemas built (worker thread)."""
    client = make_client(config)
    _ = client.chat.completions.with_raw_response, client.models
    strict_response_format(GeneratedMode)
    strict_response_format(RefinedRequest)
    schema_text(GeneratedMode)
    return client


def _causes(exc: BaseException) -> list[str]:
    names, seen = [], 0
    current: BaseException | None = exc
    while current is not None and seen < 8:
        names.append(type(current).__name__)
        current, seen = current.__cause__ or current.__context__, seen + 1
    return names


def server_message(exc: Any, config: OpenAIConfig) -> str:
    body = getattr(exc, "body", None)
    text = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        text = inner.get("message", "") if isinstance(inner, dict) else str(inner)
    elif isinstance(body, str):
        text = body
    text = str(text or getattr(exc, "message", "") or "")
    return redact(" ".join(text.split()), [config.api_key])[:160]


def retry_after(exc: Any) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw) / scale
        except (TypeError, ValueError):
            continue
        if math.isfinite(value) and value >= 0:
            return value
    return None


def fault(exc: BaseException, config: OpenAIConfig, *, attempts: int = 1) -> EngineError:
    """Map an SDK exception to one clear line for people."""
    import openai

    url, model = config.server_url, config.model_name
    if isinstance(exc, EngineError):
        return exc
    if isinstance(exc, openai.APITimeoutError):
        if "ConnectTimeout" in _causes(exc):
            return EngineError(f"Connecting to {url} timed out after {config.connect_timeout_s:g} s.")
        return EngineError(f"The server at {url} did not answer within {config.timeout_s:g} s.")
    if isinstance(exc, openai.APIConnectionError):
        return EngineError(f"Could not connect: is the server at {url} running?")
    if isinstance(exc, openai.AuthenticationError):
        return EngineError(f"The server at {url} rejected the API key (401); check it in Settings.",
                           retryable=False)
    if isinstance(exc, openai.PermissionDeniedError):
        return EngineError(f"Access denied (403): {server_message(exc, config)}", retryable=False)
    if isinstance(exc, openai.NotFoundError):
        return EngineError(f"Model '{model}' was not found at {url} (404); check the model name "
                           "and base URL in Settings.", retryable=False)
    if isinstance(exc, openai.RateLimitError):
        body = getattr(exc, "body", None)
        code = body.get("code") if isinstance(body, dict) else None
        if code == "insufficient_quota":
            return EngineError("The account has no quota left (429); check your plan and billing.",
                               retryable=False)
        wait = retry_after(exc)
        when = f"in {math.ceil(wait)} s" if wait else "in a moment"
        return EngineError(f"The server is rate-limiting requests (429); try again {when}.")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status >= 500:
            tries = f" after {attempts} attempts" if attempts > 1 else ""
            return EngineError(f"The server at {url} failed (HTTP {status}){tries}; try again later.")
        return EngineError(f"The server rejected the request (HTTP {status}): "
                           f"{server_message(exc, config)}", retryable=False)
    if isinstance(exc, openai.APIError):
        return EngineError(f"The server reported an error: {server_message(exc, config)}")
    return EngineError(f"Unexpected engine failure: {type(exc).__name__}.")


async def with_retries(call: Callable[[], Awaitable[T]], config: OpenAIConfig) -> T:
    """Run `call`, retrying 429 (short Retry-After only) and 5xx with a short backoff."""
    import openai

    for attempt in range(config.max_retries + 1):
        try:
            return await call()
        except (openai.RateLimitError, openai.InternalServerError, openai.APIStatusError) as exc:
            status = getattr(exc, "status_code", 0)
            if status != 429 and status < 500:
                raise fault(exc, config) from exc
            wait = retry_after(exc)
            if wait is None:
                wait = config.backoff_s * 2**attempt
            last = attempt >= config.max_retries
            # A long Retry-After fails at once: waiting or hammering helps nobody.
            if last or wait > config.max_retry_wait_s:
                raise fault(exc, config, attempts=attempt + 1) from exc
            log.info("HTTP %s from server; retrying in %.2f s", status, wait)
            await asyncio.sleep(wait)
        except openai.OpenAIError as exc:
            raise fault(exc, config) from exc
    raise AssertionError("unreachable")


async def list_models(config: OpenAIConfig) -> list[str]:
    """Model ids the server offers (/v1/models); raises EngineError."""
    if config.missing_key:
        raise EngineError("No API key is configured.", retryable=False)
    await asyncio.to_thread(warm_imports)
    import openai

    client = make_client(config)
    try:
        async with asyncio.timeout(config.timeout_s):
            page = await client.models.list()
            return sorted({m.id for m in page.data if getattr(m, "id", None)})[:500]
    except TimeoutError as exc:
        raise EngineError(f"The server at {config.server_url} did not answer within "
                          f"{config.timeout_s:g} s.") from exc
    except openai.OpenAIError as exc:
        raise fault(exc, config) from exc
    finally:
        await client.close()


async def test_connection(config: OpenAIConfig) -> tuple[bool, str]:
    """(ok, one line for people): can we reach the server and does it know the model?"""
    try:
        models = await list_models(config)
    except EngineError as exc:
        return False, str(exc)
    if not models:
        return True, f"Connected to {config.server_url}."
    if config.model_name and config.model_name not in models:
        return True, (f"Connected to {config.server_url}, but it does not list model "
                      f"'{config.model_name}' ({len(models)} models available).")
    return True, f"Connected to {config.server_url}: {len(models)} models available."


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
