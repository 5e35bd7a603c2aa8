"""Replies remembered per mode and normalised question, so a repeat or a tab click is instant.

Size-bounded (MAX_ENTRIES per mode, least recently used first out) and age-bounded for live
engines (an entry older than MAX_AGE_S is not served to an LLM engine; a new reply replaces
it). Older entries are still kept, and persisted with the conversation, so an offline replay
can reuse the real LLM answers. Never consulted for Regenerate (the caller asks fresh).
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from presto_desktop.core.chat import ToolCall

MAX_ENTRIES = 50
MAX_AGE_S = 300.0
MAX_TEXT_CHARS = 16_000
MAX_KEY_CHARS = 500
MIN_KEY_WORDS = 3  # "tell me more" depends on what came before: too short to reuse
CACHE_FORMAT = 1
CACHED_TOOLS = ("show_chart", "show_metrics")

Source = Literal["live", "prefetch"]
Clock = Callable[[], float]
_NOT_WORD = re.compile(r"[^\w]+")


def question_key(text: str) -> str:
    """`text` folded for lookup: case, accents' forms, punctuation and whitespace ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_WORD.sub(" ", folded).split())[:MAX_KEY_CHARS]


@dataclass(frozen=True)
class CachedReply:
    """One remembered reply: its text, its charts/metrics, when and how it was fetched."""

    text: str
    tool_calls: tuple[ToolCall, ...] = field(default_factory=tuple)
    at: float = 0.0  # wall-clock seconds (time.time) when fetched
    source: Source = "live"

    def to_json(self, question: str) -> dict[str, Any]:
        """The entry as plain JSON for the conversation file."""
        return {"question": question, "text": self.text, "at": self.at, "source": self.source,
                "tool_calls": [{"name": c.name, "arguments": c.arguments} for c in self.tool_calls
                               if c.name in CACHED_TOOLS]}


def reply_from_json(raw: Any) -> tuple[str, CachedReply] | None:
    """(question, reply) from untrusted JSON, or None when the entry is not one."""
    from presto_desktop.core.conversation_json import tool_call_from_json

    if not isinstance(raw, dict):
        return None
    question, text, at = raw.get("question"), raw.get("text"), raw.get("at", 0.0)
    if not isinstance(question, str) or not isinstance(text, str) or not question_key(question):
        return None
    if isinstance(at, bool) or not isinstance(at, (int, float)) or not math.isfinite(at):
        at = 0.0
    source: Source = "prefetch" if raw.get("source") == "prefetch" else "live"
    raw_calls = raw.get("tool_calls")
    calls = [tool_call_from_json(item) for item in raw_calls[:8]] if isinstance(raw_calls, list) else []
    kept = tuple(c for c in calls if c is not None and c.name in CACHED_TOOLS)
    return question, CachedReply(text[:MAX_TEXT_CHARS], kept, float(at), source)


class ReplyCache:
    """Per-mode LRU of replies keyed by `question_key`; `clock` is injectable for tests."""

    def __init__(self, *, clock: Clock = time.time, max_entries: int = MAX_ENTRIES,
                 max_age_s: float = MAX_AGE_S) -> None:
        self._clock = clock
        self._max_entries = max_entries
        self._max_age_s = max_age_s
        # mode id -> key -> (question as asked, reply), oldest first
        self._modes: dict[str, OrderedDict[str, tuple[str, CachedReply]]] = {}
        # mode id -> which version of the mode the answers are for (a regenerated mode keeps
        # its id but has another persona: its old answers would quote the wrong figures)
        self._stamps: dict[str, str] = {}

    def bind(self, mode_id: str, stamp: str) -> None:
        """Answers of `mode_id` are for its version `stamp`; another version's are dropped."""
        if self._stamps.get(mode_id, stamp) != stamp:
            self._modes.pop(mode_id, None)
        self._stamps[mode_id] = stamp

    def now(self) -> float:
        """The cache's clock: what `CachedReply.at` is measured on."""
        return self._clock()

    @staticmethod
    def cacheable(question: str) -> bool:
        """Whether `question` says enough on its own to be answered from memory."""
        return len(question_key(question).split()) >= MIN_KEY_WORDS

    def get(self, mode_id: str, question: str, *, any_age: bool = False) -> CachedReply | None:
        """The reply remembered for `question`, if fresh (or of any age with `any_age`)."""
        entries = self._modes.get(mode_id)
        key = question_key(question)
        found = entries.get(key) if entries is not None else None
        if entries is None or found is None:
            return None
        reply = found[1]
        if not any_age and self._clock() - reply.at > self._max_age_s:
            return None
        entries.move_to_end(key)
        return reply

    def put(self, mode_id: str, question: str, text: str, tool_calls: tuple[ToolCall, ...] = (),
            *, source: Source = "live") -> CachedReply | None:
        """Remember a finished reply; returns it, or None when the question is not cacheable."""
        key = question_key(question)
        if not key or not (text.strip() or tool_calls):
            return None
        calls = tuple(c for c in tool_calls if c.name in CACHED_TOOLS)
        reply = CachedReply(text[:MAX_TEXT_CHARS], calls, self._clock(), source)
        entries = self._modes.setdefault(mode_id, OrderedDict())
        entries[key] = (question[:MAX_KEY_CHARS], reply)
        entries.move_to_end(key)
        while len(entries) > self._max_entries:
            entries.popitem(last=False)
        return reply

    def forget(self, mode_id: str, question: str) -> None:
        """Drop the entry for `question` (Regenerate asked for a new answer)."""
        entries = self._modes.get(mode_id)
        if entries is not None:
            entries.pop(question_key(question), None)

    def clear(self, mode_id: str) -> None:
        """Forget every reply of `mode_id` (the library's Clear cached answers)."""
        self._modes.pop(mode_id, None)

    def __len__(self) -> int:
        return sum(len(entries) for entries in self._modes.values())

    def count(self, mode_id: str) -> int:
        """How many replies `mode_id` has remembered."""
        return len(self._modes.get(mode_id, ()))

    def to_json(self, mode_id: str) -> dict[str, Any]:
        """The cache of `mode_id` as JSON, oldest first, for the conversation file."""
        entries = self._modes.get(mode_id, OrderedDict())
        return {"format": CACHE_FORMAT, "stamp": self._stamps.get(mode_id, ""),
                "entries": [reply.to_json(question) for question, reply in entries.values()]}

    def load(self, mode_id: str, raw: Any) -> int:
        """Merge a saved cache (untrusted JSON) into `mode_id`'s; returns the entries taken.

        Anything that is not a cache (an old file without one, wrong types) or a cache of
        another version of the mode is ignored; entries already here are newer and win.
        """
        if not isinstance(raw, dict) or not isinstance(raw.get("entries"), list):
            return 0
        stamp = raw.get("stamp")
        if mode_id in self._stamps and isinstance(stamp, str) and stamp \
                and stamp != self._stamps[mode_id]:
            return 0  # saved for an earlier version of the mode
        parsed = [reply_from_json(item) for item in raw["entries"][-self._max_entries:]]
        entries = self._modes.setdefault(mode_id, OrderedDict())
        taken = 0
        for item in reversed(parsed):  # newest first, each placed before the rest
            if item is None:
                continue
            key = question_key(item[0])
            if key not in entries:
                entries[key] = item
                entries.move_to_end(key, last=False)
                taken += 1
        while len(entries) > self._max_entries:
            entries.popitem(last=False)
        return taken
