"""Tab prefetch and cached replies, with the real OpenAI engine against the loopback server."""

from __future__ import annotations

import asyncio
import json
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.engines import openai_engine as oe
from presto_desktop.engines.base import Done, TextDelta
from presto_desktop.engines.offline import OfflineEngine
from presto_desktop.session.prefetch import Prefetcher
from presto_desktop.session.replies import ReplyService, pieces
from presto_desktop.session.reply_cache import ReplyCache
from tests.engines.fake_openai_server import (
    FakeOpenAI,
    Script,
    chunk,
    last_user_message,
    text_chunks,
    tool_chunks,
)
from tests.engines.test_openai_engine import MODE, config

TABS = [tab.prompt for tab in MODE.tabs]
CHART = {"type": "bar", "title": "Orders", "unit": "", "points": [{"label": "Jan", "value": 3}]}
ERROR_500 = (500, {}, {"error": {"message": "boom"}})
ERROR_429 = (429, {}, {"error": {"message": "slow down"}})


def answer_for(body: dict) -> list[Any]:
    """Every question gets its own answer; the first tab's comes with a chart."""
    asked = last_user_message(body)
    events: list[Any] = text_chunks(f"Answer to {asked} in a few more words.", 3)
    if asked == TABS[0]:
        events += tool_chunks(0, "show_chart", json.dumps(CHART), 2)
    return [*events, chunk({}, "stop")]


class Pause:
    """An injected sleep: records the waits, never sleeps for real."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


async def until(check: Callable[[], bool], limit: int = 2000) -> None:
    """Let the loop run until `check()` holds (bounded: a hung test fails, never a timing)."""
    for _ in range(limit):
        if check():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition never held")


async def collect(stream: Any) -> tuple[str, list[ToolCall], Any]:
    text, calls, last = "", [], None
    async for event in stream.events():
        if isinstance(event, TextDelta):
            text += event.text
        elif isinstance(event, ToolCall):
            calls.append(event)
        last = event
    return text, calls, last


def run(server: FakeOpenAI, body: Callable[[Any, ReplyService, Prefetcher, Pause],
                                         Awaitable[None]], **cfg: Any) -> None:
    async def go() -> None:
        engine = oe.OpenAIEngine(config(server, **{"max_retries": 0, **cfg}))
        pause = Pause()
        replies = ReplyService(ReplyCache(), sleep=pause)
        prefetcher = Prefetcher(replies, sleep=pause)
        try:
            await body(engine, replies, prefetcher, pause)
        finally:
            prefetcher.cancel()
            await engine.aclose()

    asyncio.run(go())


def test_tabs_are_fetched_in_order_one_at_a_time_then_answered_from_the_cache() -> None:
    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, _p: Pause) -> None:
        task = prefetcher.start(engine, MODE)
        assert task is not None
        await task
        assert prefetcher.fetched == TABS
        before = len(server.bodies())
        stream = await replies.open(engine, MODE, [], TABS[0].upper())
        text, calls, last = await collect(stream)
        assert stream.origin.kind == "prefetch"
        assert text == f"Answer to {TABS[0]} in a few more words."
        assert [c.name for c in calls] == ["show_chart"] and last == Done("stop")
        assert len(server.bodies()) == before  # nothing asked again

    with FakeOpenAI(Script(stream_for=answer_for)) as server:
        run(server, body)
    assert [last_user_message(b) for b in server.bodies()] == TABS
    assert server.max_active == 1
    # A prefetch asks with no history: the answer stands on its own.
    assert all(len(b["messages"]) == 2 for b in server.bodies())


def test_a_replay_gives_its_first_words_and_chart_at_once_then_paces_the_rest() -> None:
    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, pause: Pause) -> None:
        replies.remember(MODE, TABS[0], "one two three four five six seven",
                         (ToolCall("show_chart", CHART),), "prefetch")
        events = [e async for e in (await replies.open(engine, MODE, [], TABS[0])).events()]
        assert events[0] == TextDelta("one two three ")
        assert isinstance(events[1], ToolCall)
        assert events[-1] == Done("stop") and len(pause.waits) == 2

    with FakeOpenAI(Script(stream_for=answer_for)) as server:
        run(server, body)
    assert server.bodies() == []
    assert "".join(pieces("a  b\nc d e f g")) == "a  b\nc d e f g"


def test_a_mode_switch_cancels_the_prefetch() -> None:
    gate = threading.Event()

    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, _p: Pause) -> None:
        first = prefetcher.start(engine, MODE)
        await until(lambda: len(server.bodies()) == 1)
        other = MODE.model_copy(update={"id": "other", "tabs": MODE.tabs[2:]})
        second = prefetcher.start(engine, other)
        assert first is not None and second is not None
        await asyncio.gather(first, return_exceptions=True)
        assert first.cancelled()
        gate.set()
        await second
        assert prefetcher.fetched == [TABS[2]]
        assert replies.cache.count(MODE.id) == 0 and replies.cache.count("other") == 1

    script = Script(stream_for=answer_for, gates={TABS[0]: gate})
    with FakeOpenAI(script) as server:
        run(server, body)
        assert server.client_closed.wait(5)
    assert [last_user_message(b) for b in server.bodies()] == [TABS[0], TABS[2]]
    assert server.max_active <= 2  # the cancelled one may still be closing server-side


def test_a_users_request_jumps_ahead_and_the_prefetch_waits() -> None:
    gate = threading.Event()

    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, _p: Pause) -> None:
        task = prefetcher.start(engine, MODE)
        await until(lambda: len(server.bodies()) == 1)  # tab 1 hangs at the gate
        stream = await replies.open(engine, MODE, [], "What is my favourite flower?")
        text, _calls, _last = await collect(stream)
        assert stream.origin.kind == "live" and "favourite flower" in text
        gate.set()
        assert task is not None
        await task
        assert prefetcher.fetched == TABS

    script = Script(stream_for=answer_for, gates={TABS[0]: gate})
    with FakeOpenAI(script) as server:
        run(server, body)
    asked = [last_user_message(b) for b in server.bodies()]
    # Tab 1 was dropped for the user's question and asked again after it, still first.
    assert asked == [TABS[0], "What is my favourite flower?", *TABS]


def test_asking_the_tab_being_prefetched_waits_for_that_answer() -> None:
    gate = threading.Event()

    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, _p: Pause) -> None:
        prefetcher.start(engine, MODE)
        await until(lambda: len(server.bodies()) == 1)
        opening = asyncio.ensure_future(replies.open(engine, MODE, [], TABS[0]))
        await asyncio.sleep(0.05)
        assert not opening.done()
        gate.set()
        stream = await opening
        assert stream.origin.kind == "prefetch"

    script = Script(stream_for=answer_for, gates={TABS[0]: gate})
    with FakeOpenAI(script) as server:
        run(server, body)
    assert [last_user_message(b) for b in server.bodies()].count(TABS[0]) == 1


@pytest.mark.parametrize("status", [ERROR_429, ERROR_500])
def test_failures_stay_silent_back_off_and_leave_the_tab_to_a_live_request(status: Any) -> None:
    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, pause: Pause) -> None:
        task = prefetcher.start(engine, MODE)
        assert task is not None
        await task  # never raises
        assert prefetcher.fetched == [] and pause.waits == [2.0, 4.0]
        stream = await replies.open(engine, MODE, [], TABS[0])
        text, _calls, _last = await collect(stream)
        assert stream.origin.kind == "live" and text.startswith("Answer to")

    script = Script(stream_for=answer_for, statuses=deque([status] * 3))
    with FakeOpenAI(script) as server:
        run(server, body)
    assert len(server.bodies()) == 4  # three tries of tab 1, then the click


def test_a_failure_then_recovery_fetches_every_tab() -> None:
    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, pause: Pause) -> None:
        task = prefetcher.start(engine, MODE)
        assert task is not None
        await task
        assert prefetcher.fetched == TABS and pause.waits == [2.0]

    script = Script(stream_for=answer_for, statuses=deque([ERROR_500]))
    with FakeOpenAI(script) as server:
        run(server, body)


def test_off_for_the_offline_engine_and_when_switched_off() -> None:
    async def body(engine: Any, replies: ReplyService, prefetcher: Prefetcher, _p: Pause) -> None:
        assert prefetcher.start(OfflineEngine(), MODE) is None
        prefetcher.set_enabled(False)
        assert prefetcher.start(engine, MODE) is None

    with FakeOpenAI(Script(stream_for=answer_for)) as server:
        run(server, body)
    assert server.bodies() == []


def test_regenerate_asks_fresh_and_repeats_hit_until_they_expire() -> None:
    now = [1000.0]

    async def go(server: FakeOpenAI) -> None:
        engine = oe.OpenAIEngine(config(server))
        replies = ReplyService(ReplyCache(clock=lambda: now[0]), chunk_s=0)
        try:
            question = "How much did I spend on flowers?"
            assert (await replies.open(engine, MODE, [], question)).origin.kind == "live"
            await collect(await replies.open(engine, MODE, [], question))
            assert (await replies.open(engine, MODE, [], " how much did i SPEND on flowers"
                                       )).origin.kind == "cache"
            fresh = await replies.open(engine, MODE, [], question, fresh=True)
            assert fresh.origin.kind == "live"
            await collect(fresh)
            now[0] += 301
            assert (await replies.open(engine, MODE, [], question)).origin.kind == "live"
            # A short follow-up depends on the conversation: never answered from memory.
            await collect(await replies.open(engine, MODE, [], "why?"))
            assert replies.cached(engine, MODE, "why?") is None
        finally:
            await engine.aclose()

    with FakeOpenAI(Script(stream_for=answer_for)) as server:
        asyncio.run(go(server))
    assert len(server.bodies()) == 3


def test_saved_llm_answers_are_replayed_by_the_offline_engine(tmp_path: Path) -> None:
    store = ConversationStore(AppPaths.resolve(tmp_path))

    async def go(server: FakeOpenAI) -> None:
        engine = oe.OpenAIEngine(config(server))
        replies = ReplyService(ReplyCache(), persist=store.save_cache, loader=store.load_cache)
        prefetcher = Prefetcher(replies)
        try:
            task = prefetcher.start(engine, MODE)
            assert task is not None
            await task
            await replies.wait_saved()
        finally:
            await engine.aclose()
        # A later run, offline and a day later: the real answers come back, charts included.
        later = ReplyService(ReplyCache(clock=lambda: 10**12), chunk_s=0,
                             persist=store.save_cache, loader=store.load_cache)
        stream = await later.open(OfflineEngine(), MODE, [], TABS[0])
        text, calls, _last = await collect(stream)
        assert stream.origin.kind == "prefetch" and text.startswith("Answer to")
        assert [c.name for c in calls] == ["show_chart"]
        later.clear(MODE.id)
        await later.wait_saved()
        assert ReplyCache().load(MODE.id, store.load_cache(MODE.id)) == 0

    with FakeOpenAI(Script(stream_for=answer_for)) as server:
        asyncio.run(go(server))


def test_a_regenerated_mode_never_replays_the_old_modes_answers() -> None:
    from datetime import timedelta

    replies = ReplyService(ReplyCache(), chunk_s=0)
    engine = OfflineEngine()
    replies.remember(MODE, TABS[0], "old persona's figures", (), "prefetch")
    assert replies.cached(engine, MODE, TABS[0]) is not None
    regenerated = MODE.model_copy(update={"created_at": MODE.created_at + timedelta(seconds=1)})
    assert replies.cached(engine, regenerated, TABS[0]) is None


def test_regenerate_offline_keeps_the_saved_llm_answer() -> None:
    replies = ReplyService(ReplyCache(), chunk_s=0)
    replies.remember(MODE, TABS[0], "the model's answer", (), "prefetch")

    async def go() -> str:
        stream = await replies.open(OfflineEngine(), MODE, [], TABS[0], fresh=True)
        await collect(stream)
        return stream.origin.kind

    assert asyncio.run(go()) == "live"  # Regenerate asks the engine itself...
    assert replies.cached(OfflineEngine(), MODE, TABS[0]) is not None  # ...and keeps the saved one
