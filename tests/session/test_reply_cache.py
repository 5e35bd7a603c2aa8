"""The reply cache: normalised keys, 50 entries, 5-minute expiry, per-mode clearing, persistence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.session.reply_cache import (
    MAX_AGE_S,
    MAX_ENTRIES,
    ReplyCache,
    question_key,
    reply_from_json,
)

CHART = ToolCall("show_chart", {"type": "bar", "title": "Spend", "unit": "$",
                                "points": [{"label": "Jan", "value": 4.0}]})


class Clock:
    """A clock the test moves by hand (no sleeps)."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(AppPaths.resolve(tmp_path))


def test_questions_fold_case_punctuation_and_whitespace() -> None:
    assert question_key("  Show my   RECENT orders?! ") == "show my recent orders"
    assert question_key("What's my balance?") == question_key("whats my balance")
    assert question_key("What\u2019s my balance") == question_key("WHAT'S MY BALANCE.")
    assert question_key("Show\tmy\norders") == "show my orders"
    assert question_key("?!...") == ""


def test_a_repeat_in_other_words_case_hits(clock: Clock) -> None:
    cache = ReplyCache(clock=clock)
    cache.put("bank", "Show my recent orders.", "Here they are.", (CHART,))
    hit = cache.get("bank", "show MY recent   orders")
    assert hit is not None and hit.text == "Here they are." and hit.tool_calls == (CHART,)
    assert cache.get("other-mode", "Show my recent orders.") is None


def test_entries_expire_after_five_minutes_but_stay_for_offline_replay(clock: Clock) -> None:
    cache = ReplyCache(clock=clock)
    cache.put("bank", "show my recent orders", "Here.")
    clock.now += MAX_AGE_S
    assert cache.get("bank", "show my recent orders") is not None
    clock.now += 1
    assert cache.get("bank", "show my recent orders") is None
    assert cache.get("bank", "show my recent orders", any_age=True) is not None


def test_at_most_fifty_entries_least_recently_used_out(clock: Clock) -> None:
    cache = ReplyCache(clock=clock)
    for i in range(MAX_ENTRIES):
        cache.put("bank", f"question number {i}", f"answer {i}")
    assert cache.get("bank", "question number 0") is not None  # now the most recent
    cache.put("bank", "one more question", "answer")
    assert cache.count("bank") == MAX_ENTRIES
    assert cache.get("bank", "question number 1") is None
    assert cache.get("bank", "question number 0") is not None


def test_clear_and_forget_are_per_mode(clock: Clock) -> None:
    cache = ReplyCache(clock=clock)
    cache.put("bank", "show my recent orders", "A")
    cache.put("bank", "how many points do I have", "B")
    cache.put("shop", "show my recent orders", "C")
    cache.forget("bank", "SHOW my recent orders")
    assert cache.get("bank", "show my recent orders") is None
    assert cache.get("bank", "how many points do I have") is not None
    cache.clear("bank")
    assert cache.count("bank") == 0
    assert cache.get("shop", "show my recent orders") is not None


def test_empty_replies_and_short_follow_ups() -> None:
    cache = ReplyCache()
    assert cache.put("bank", "show my orders", "   ") is None
    assert cache.put("bank", "...", "text") is None
    assert not ReplyCache.cacheable("tell more")
    assert ReplyCache.cacheable("show my orders")


def test_round_trip_through_json_keeps_order_text_and_charts(clock: Clock) -> None:
    cache = ReplyCache(clock=clock)
    cache.put("bank", "first question here", "one", (CHART,))
    clock.now += 1
    cache.put("bank", "second question here", "two", source="prefetch")
    data = json.loads(json.dumps(cache.to_json("bank")))
    again = ReplyCache(clock=clock)
    assert again.load("bank", data) == 2
    first = again.get("bank", "first question here")
    second = again.get("bank", "second question here")
    assert first is not None and first.tool_calls == (CHART,) and first.at == clock.now - 1
    assert second is not None and second.source == "prefetch"
    assert [e["question"] for e in again.to_json("bank")["entries"]] == [
        "first question here", "second question here"]


@pytest.mark.parametrize("raw", [None, [], "x", {"entries": "x"}, {"entries": [1, None, "a"]},
                                 {"entries": [{"question": 3, "text": "t"}]},
                                 {"entries": [{"question": "q q q", "text": None}]}])
def test_hostile_caches_load_nothing(raw: object) -> None:
    cache = ReplyCache()
    assert cache.load("bank", raw) == 0
    assert cache.count("bank") == 0


def test_hostile_entry_fields_are_cleaned() -> None:
    raw = {"question": "show my orders", "text": "x" * 100_000, "at": float("nan"),
           "source": "<script>", "tool_calls": [
               {"name": "rm_rf", "arguments": {}}, {"name": "show_chart", "arguments": "x"},
               {"name": "suggest_prompts", "arguments": {"prompts": []}},
               {"name": "show_chart", "arguments": CHART.arguments}]}
    parsed = reply_from_json(raw)
    assert parsed is not None
    question, reply = parsed
    assert question == "show my orders" and len(reply.text) == 16_000
    assert reply.at == 0.0 and reply.source == "live" and reply.tool_calls == (CHART,)


def test_cache_is_saved_with_the_conversation_and_survives_message_saves(
        store: ConversationStore, clock: Clock) -> None:
    cache = ReplyCache(clock=clock)
    cache.put("bank", "show my recent orders", "Here.", (CHART,))
    store.save("bank", [ChatMessage("user", "hi")])
    store.save_cache("bank", cache.to_json("bank"))
    store.save("bank", [ChatMessage("user", "hi"), ChatMessage("assistant", "hello")])
    # Another process's store (no cache in memory) keeps the file's cache on its own saves.
    other = ConversationStore(AppPaths.resolve(store.path_for("bank").parents[1]))
    assert len(other.load("bank")) == 2
    other.save("bank", [ChatMessage("user", "from elsewhere")])
    again = ReplyCache(clock=clock)
    assert again.load("bank", other.load_cache("bank")) == 1


def test_old_and_hostile_conversation_files_still_load(store: ConversationStore) -> None:
    path = store.path_for("bank")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "old"}]}))
    assert [m.content for m in store.load("bank")] == ["old"]
    assert store.load_cache("bank") is None
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "x"}],
                                "reply_cache": {"entries": [{"question": ["no"]}] * 3}}))
    assert len(store.load("bank")) == 1
    assert ReplyCache().load("bank", store.load_cache("bank")) == 0
    path.write_text('{"messages": [], "reply_cache": ')  # truncated
    assert store.load_cache("bank") is None
    assert store.load("nonexistent") == [] and store.load_cache("../etc") is None


def test_answers_of_an_earlier_version_of_the_mode_are_dropped(clock: Clock) -> None:
    cache = ReplyCache(clock=clock)
    cache.bind("bank", "v1")
    cache.put("bank", "show my recent orders", "old figures")
    saved = cache.to_json("bank")
    cache.bind("bank", "v1")
    assert cache.count("bank") == 1
    cache.bind("bank", "v2")  # regenerated: same id, another persona
    assert cache.count("bank") == 0
    assert cache.load("bank", saved) == 0
    fresh = ReplyCache(clock=clock)
    assert fresh.load("bank", saved) == 1  # nothing bound yet: the saved version is taken
