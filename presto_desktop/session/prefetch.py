"""Tab prefetch: after a mode is applied on an LLM engine, its tabs' answers are fetched ahead.

One request at a time, in tab order, in the background. A user's own request comes first:
a prefetch of another question is dropped (and asked again later) while the user's reply
streams; one of the same question is waited for instead. The next mode switch cancels it.
Failures stay silent (logged), back off, and leave the tab to a live request when clicked.
Off for the offline engine and when Settings' `prefetch_tabs` is off. Qt-free.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.models import Mode
from presto_desktop.engines.base import Done, Engine, ErrorEvent, TextDelta
from presto_desktop.session.replies import ReplyService, is_live
from presto_desktop.session.reply_cache import question_key

log = logging.getLogger(__name__)
BACKOFF_S = 2.0
MAX_BACKOFF_S = 60.0
MAX_FAILURES = 3  # in a row: the server is unwell, the tabs will ask live when clicked
REQUEST_TIMEOUT_S = 120.0
Outcome = Literal["ok", "failed", "skip"]
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class _InFlight:
    mode_id: str
    key: str
    task: asyncio.Task[Outcome]


class Prefetcher:
    """Fetches a mode's tab answers into the reply cache, one at a time, yielding to the user."""

    def __init__(self, replies: ReplyService, *, enabled: bool = True, sleep: Sleep = asyncio.sleep,
                 backoff_s: float = BACKOFF_S, max_backoff_s: float = MAX_BACKOFF_S,
                 max_failures: int = MAX_FAILURES,
                 request_timeout_s: float = REQUEST_TIMEOUT_S) -> None:
        self._replies = replies
        self._enabled = enabled
        self._sleep = sleep
        self._backoff_s = backoff_s
        self._max_backoff_s = max_backoff_s
        self._max_failures = max_failures
        self._timeout_s = request_timeout_s
        self._task: asyncio.Task[None] | None = None
        self._inflight: _InFlight | None = None
        self._users = 0  # user requests streaming now
        self._idle = asyncio.Event()
        self._idle.set()
        self.fetched: list[str] = []  # questions answered ahead, in order (logs and tests)
        replies.set_turns(self)

    @property
    def enabled(self) -> bool:
        """Whether tabs are prefetched (Settings: prefetch_tabs)."""
        return self._enabled

    def set_enabled(self, enabled: bool) -> None:
        """Switch prefetching on or off; off cancels the one running."""
        self._enabled = enabled
        if not enabled:
            self.cancel()

    @property
    def running(self) -> bool:
        """Whether a prefetch is under way."""
        return self._task is not None and not self._task.done()

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The prefetch under way, if any (tests await it)."""
        return self._task

    def start(self, engine: Engine, mode: Mode, *,
              delay_s: float = 0.0) -> asyncio.Task[None] | None:
        """Prefetch `mode`'s tabs after `delay_s` (cancelling any earlier prefetch).

        None when there is nothing to fetch (offline engine, switched off, no tab prompts);
        RuntimeError without a running loop.
        """
        self.cancel()
        if not self._enabled or not is_live(engine):
            return None
        prompts: list[str] = []
        for tab in mode.tabs:
            key = question_key(tab.prompt)
            if key and key not in (question_key(p) for p in prompts):
                prompts.append(tab.prompt)
        if not prompts:
            return None
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self._run(engine, mode, prompts, delay_s))
        return self._task

    def cancel(self) -> None:
        """Stop prefetching (the next mode switch, the engine or the setting changed)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
        inflight = self._inflight
        if inflight is not None and not inflight.task.done():
            inflight.task.cancel()

    # -- UserTurns: the chat tells us about the user's own requests ----------------------------
    def begin(self, question: str) -> None:
        """A user request starts: a prefetch of another question is dropped until it ends."""
        self._users += 1
        self._idle.clear()
        inflight = self._inflight
        if inflight is not None and inflight.key != question_key(question):
            log.info("prefetch of %r yields to the user's request", inflight.key[:60])
            inflight.task.cancel()

    def end(self) -> None:
        """A user request ended: the prefetch may go on."""
        self._users = max(0, self._users - 1)
        if self._users == 0:
            self._idle.set()

    async def settle(self, mode_id: str, question: str) -> None:
        """Wait for a prefetch of `question` in flight (its answer is then in the cache)."""
        inflight = self._inflight
        if inflight is not None and inflight.mode_id == mode_id \
                and inflight.key == question_key(question):
            # asyncio.wait never cancels the prefetch if the user's request is cancelled.
            await asyncio.wait([inflight.task])

    # -- the prefetch ---------------------------------------------------------------------------
    async def _run(self, engine: Engine, mode: Mode, prompts: list[str], delay_s: float) -> None:
        if delay_s > 0:
            await asyncio.sleep(delay_s)
        queue = deque(prompts)
        failures, delay = 0, self._backoff_s
        while queue:
            await self._idle.wait()
            prompt = queue[0]
            if self._replies.cached(engine, mode, prompt) is not None:
                queue.popleft()  # asked and answered meanwhile
                continue
            outcome = await self._fetch(engine, mode, prompt)
            if outcome is None:
                continue  # dropped for a user request: asked again once it ends
            if outcome in ("ok", "skip"):
                queue.popleft()
                failures, delay = 0, self._backoff_s
                continue
            failures += 1
            if failures >= self._max_failures:
                log.info("prefetch for %s stopped after %d failures; tabs will ask live",
                         mode.id, failures)
                return
            log.info("prefetch of %r failed; next try in %.1f s", prompt[:60], delay)
            await self._sleep(delay)
            delay = min(delay * 2, self._max_backoff_s)

    async def _fetch(self, engine: Engine, mode: Mode, prompt: str) -> Outcome | None:
        """One request as its own task (so a user's request can drop it); None when dropped."""
        request = asyncio.get_running_loop().create_task(self._ask(engine, mode, prompt))
        self._inflight = _InFlight(mode.id, question_key(prompt), request)
        try:
            await asyncio.wait([request])
        except asyncio.CancelledError:
            request.cancel()
            with contextlib.suppress(BaseException):
                await request
            raise
        finally:
            self._inflight = None
        if request.cancelled():
            return None
        return request.result()

    async def _ask(self, engine: Engine, mode: Mode, prompt: str) -> Outcome:
        """Ask `prompt` with no history and keep a complete answer in the cache."""
        parts: list[str] = []
        calls: list[ToolCall] = []
        stream = engine.stream_chat(mode, [], prompt)
        try:
            async with asyncio.timeout(self._timeout_s):
                async for event in stream:
                    if isinstance(event, TextDelta):
                        parts.append(event.text)
                    elif isinstance(event, ToolCall):
                        calls.append(event)
                    elif isinstance(event, ErrorEvent):
                        log.info("prefetch of %r: %s", prompt[:60], event.message[:200])
                        return "failed" if event.retryable else "skip"
                    elif isinstance(event, Done):
                        if event.finish_reason != "stop":
                            return "failed"
                        break
        except TimeoutError:
            log.info("prefetch of %r timed out after %.0f s", prompt[:60], self._timeout_s)
            return "failed"
        except Exception:  # noqa: BLE001 - the background never raises into the window
            log.warning("prefetch of %r failed", prompt[:60], exc_info=True)
            return "failed"
        finally:
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]
        if self._replies.remember(mode, prompt, "".join(parts), tuple(calls), "prefetch") is None:
            return "skip"
        self.fetched.append(prompt)
        return "ok"
