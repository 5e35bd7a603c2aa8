"""Where a chat reply comes from: the reply cache (replayed at reading pace) or the engine.

`ReplyService.open()` is what the chat controller streams instead of `engine.stream_chat`:
a cached or prefetched answer replays at once (first words immediately, charts with them,
the rest paced so it still reads as live); anything else streams from the engine while the
prefetcher waits, and a complete answer is remembered. Qt-free.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.models import Mode
from presto_desktop.engines.base import ChatEvent, Done, Engine, ErrorEvent, TextDelta
from presto_desktop.session.reply_cache import CachedReply, ReplyCache, question_key

log = logging.getLogger(__name__)
WORDS_PER_CHUNK = 3
CHUNK_S = 0.03  # ~100 words a second: faster than reading, slow enough to look streamed
Sleep = Callable[[float], Awaitable[None]]
Loader = Callable[[str], Any]  # mode id -> the cache saved with its conversation (untrusted)
Persist = Callable[[str, dict[str, Any]], None]  # mode id, cache JSON (on a worker thread)
_PIECES = re.compile(r"\S+\s*|\s+")


def is_live(engine: Engine) -> bool:
    """Whether `engine` asks a server (an LLM): only their replies are cached and prefetched."""
    return engine.kind != "offline"


def pieces(text: str, words: int = WORDS_PER_CHUNK) -> list[str]:
    """`text` in chunks of `words` words, whitespace kept (joined they give `text` back)."""
    tokens = _PIECES.findall(text)
    return ["".join(tokens[i:i + words]) for i in range(0, len(tokens), words)]


@dataclass(frozen=True)
class Origin:
    """Where the reply being shown comes from: 'live', 'cache' or 'prefetch', and its age."""

    kind: str = "live"
    age_s: float = 0.0


class UserTurns(Protocol):
    """The prefetcher's view of user requests: `begin(key)` / `end()` around each one."""

    def begin(self, question: str) -> None:
        """A user request for `question` starts (the prefetch yields)."""
        ...

    def end(self) -> None:
        """The user request ended (the prefetch may go on)."""
        ...

    async def settle(self, mode_id: str, question: str) -> None:
        """Wait for a prefetch of `question` already in flight, so its answer can be used."""
        ...


class _NoPrefetch:
    """UserTurns when nothing prefetches."""

    def begin(self, question: str) -> None:
        """Nothing to pause."""

    def end(self) -> None:
        """Nothing to resume."""

    async def settle(self, mode_id: str, question: str) -> None:
        """Nothing in flight."""


class ReplyStream:
    """One reply: `origin` says where it comes from; iterate `events()`; `stop()` ends a replay."""

    def __init__(self, origin: Origin, events: AsyncIterator[ChatEvent] | None = None) -> None:
        self.origin = origin
        self._events: AsyncIterator[ChatEvent] = events if events is not None else _empty()
        self.stopped = False

    def events(self) -> AsyncIterator[ChatEvent]:
        """The reply's events, ending with Done or ErrorEvent."""
        return self._events

    def set_events(self, events: AsyncIterator[ChatEvent]) -> None:
        """Attach the events (a replay needs the stream itself to see `stop()`)."""
        self._events = events

    def stop(self) -> None:
        """End a replay at the next chunk with Done('stopped') (a live stream: engine.stop_chat)."""
        self.stopped = True

    async def aclose(self) -> None:
        """Close the underlying stream (cancels the HTTP request of a live one)."""
        if isinstance(self._events, AsyncGenerator):
            await self._events.aclose()


class ReplyService:
    """Answers from the cache when it can, else from the engine; remembers LLM answers."""

    def __init__(self, cache: ReplyCache, *, sleep: Sleep = asyncio.sleep,
                 chunk_s: float = CHUNK_S, persist: Persist | None = None,
                 loader: Loader | None = None) -> None:
        self.cache = cache
        # A mode's saved cache is read the first time that mode is asked about.
        self._loader = loader
        self._loaded: set[str] = set()
        self.turns: UserTurns = _NoPrefetch()
        self._sleep = sleep
        self._chunk_s = chunk_s
        # Saving runs on a worker thread, one write at a time, newest snapshot each time.
        self._persist = persist
        self._save_lock = asyncio.Lock()
        self._saving: set[asyncio.Task[None]] = set()

    def set_turns(self, turns: UserTurns) -> None:
        """Tell `turns` (the prefetcher) about every user request."""
        self.turns = turns

    def cached(self, engine: Engine, mode: Mode, question: str) -> CachedReply | None:
        """The remembered answer to `question` this engine may use (offline: any age)."""
        if not ReplyCache.cacheable(question) and not _is_mode_prompt(mode, question):
            return None
        self._ensure(mode)
        return self.cache.get(mode.id, question, any_age=not is_live(engine))

    async def open(self, engine: Engine, mode: Mode, history: list[ChatMessage], question: str,
                   *, fresh: bool = False) -> ReplyStream:
        """The reply to `question`: replayed from the cache, or live (always live when `fresh`)."""
        if fresh:
            if is_live(engine):  # offline, the saved LLM answer is worth keeping
                self.cache.forget(mode.id, question)
        else:
            if is_live(engine):
                await self.turns.settle(mode.id, question)
            hit = self.cached(engine, mode, question)
            if hit is not None:
                age = max(0.0, self.cache.now() - hit.at)
                kind = "prefetch" if hit.source == "prefetch" else "cache"
                stream = ReplyStream(Origin(kind, age))
                stream.set_events(self._replay(hit, stream))
                return stream
        return ReplyStream(Origin(), self._live(engine, mode, history, question))

    async def _replay(self, reply: CachedReply, stream: ReplyStream) -> AsyncIterator[ChatEvent]:
        chunks = pieces(reply.text) or [""]
        # First words at once, the chart with them, the rest at reading pace.
        if chunks[0]:
            yield TextDelta(chunks[0])
        for call in reply.tool_calls:
            yield call
        for chunk in chunks[1:]:
            await self._sleep(self._chunk_s)
            if stream.stopped:
                yield Done("stopped")
                return
            yield TextDelta(chunk)
        yield Done("stop")

    async def _live(self, engine: Engine, mode: Mode, history: list[ChatMessage],
                    question: str) -> AsyncIterator[ChatEvent]:
        live = is_live(engine)
        if live:
            self.turns.begin(question)
        parts: list[str] = []
        calls: list[ToolCall] = []
        stream = engine.stream_chat(mode, history, question)
        try:
            async for event in stream:
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                elif isinstance(event, ToolCall):
                    calls.append(event)
                elif isinstance(event, Done) and event.finish_reason == "stop" and live:
                    self.remember(mode, question, "".join(parts), tuple(calls), "live")
                yield event
                if isinstance(event, (Done, ErrorEvent)):
                    return
        finally:
            await stream.aclose()  # type: ignore[attr-defined]
            if live:
                self.turns.end()

    def remember(self, mode: Mode, question: str, text: str, calls: tuple[ToolCall, ...],
                 source: str) -> CachedReply | None:
        """Keep a complete answer (tab and suggested prompts always; else if it stands alone)."""
        if not ReplyCache.cacheable(question) and not _is_mode_prompt(mode, question):
            return None
        self._ensure(mode)
        kept = self.cache.put(mode.id, question, text, calls,
                              source="prefetch" if source == "prefetch" else "live")
        if kept is not None:
            self._save_soon(mode.id)
        return kept

    def clear(self, mode_id: str) -> None:
        """Forget `mode_id`'s answers (the library's Clear cached answers), saved too."""
        self._loaded.add(mode_id)  # nothing saved is wanted any more
        self.cache.clear(mode_id)
        self._save_soon(mode_id)

    def _save_soon(self, mode_id: str) -> None:
        if self._persist is None:
            return
        try:
            task = asyncio.get_running_loop().create_task(self._save(mode_id))
        except RuntimeError:  # no loop (a synchronous caller): save here
            self._write(mode_id, self.cache.to_json(mode_id))
            return
        self._saving.add(task)
        task.add_done_callback(self._saving.discard)

    async def _save(self, mode_id: str) -> None:
        async with self._save_lock:
            # The snapshot is taken on the loop thread; the fsync runs off it.
            await asyncio.to_thread(self._write, mode_id, self.cache.to_json(mode_id))

    def _write(self, mode_id: str, snapshot: dict[str, Any]) -> None:
        assert self._persist is not None
        try:
            self._persist(mode_id, snapshot)
        except Exception:  # noqa: BLE001 - a cache that is not saved is still a cache
            log.warning("reply cache for %s not saved", mode_id, exc_info=True)

    async def wait_saved(self) -> None:
        """Wait for pending cache saves (shutdown, tests)."""
        while self._saving:
            await asyncio.gather(*list(self._saving), return_exceptions=True)

    def _ensure(self, mode: Mode) -> None:
        """Tie the cache to this version of `mode`; merge its saved cache, once."""
        mode_id = mode.id
        self.cache.bind(mode_id, mode_stamp(mode))
        if self._loader is None or mode_id in self._loaded:
            return
        self._loaded.add(mode_id)
        try:
            taken = self.cache.load(mode_id, self._loader(mode_id))
        except Exception:  # noqa: BLE001 - an unreadable cache is an empty one
            log.warning("saved reply cache of %s not read", mode_id, exc_info=True)
            return
        if taken:
            log.info("reply cache of %s: %d saved answers", mode_id, taken)

    def count(self, mode: Mode) -> int:
        """How many answers `mode` has remembered (saved ones included)."""
        self._ensure(mode)
        return self.cache.count(mode.id)

    def load(self, mode_id: str, raw: Any) -> int:
        """Merge a cache saved with the conversation (untrusted JSON); returns entries taken."""
        return self.cache.load(mode_id, raw)


def saved_with(conversations: ConversationStore) -> ReplyService:
    """A service whose cache is saved with each mode's conversation, read back when needed."""
    return ReplyService(ReplyCache(), persist=conversations.save_cache,
                        loader=conversations.load_cache)


def mode_stamp(mode: Mode) -> str:
    """Which version of a mode answers belong to (Regenerate keeps the id, not the time)."""
    return mode.created_at.isoformat()


async def _empty() -> AsyncIterator[ChatEvent]:
    yield Done("stop")


def _is_mode_prompt(mode: Mode, question: str) -> bool:
    """Whether `question` is one of the mode's tab or suggested prompts (always cacheable)."""
    key = question_key(question)
    prompts = [tab.prompt for tab in mode.tabs] + list(mode.suggested_prompts)
    return any(question_key(p) == key for p in prompts)
