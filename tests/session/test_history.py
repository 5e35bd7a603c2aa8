"""HistoryService (no Qt): what Ctrl+N keeps, Undo, rows, search rows, delete and its undo."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.session.history import HistoryService, one_line, when


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path) -> ConversationStore:
    return ConversationStore(AppPaths.resolve(tmp_path))


def _chat(*texts: str) -> list[ChatMessage]:
    return [ChatMessage("user" if i % 2 == 0 else "assistant", t) for i, t in enumerate(texts)]


def test_when_reads_like_a_person_would_say_it() -> None:
    now = datetime(2026, 12, 6, 14, 30).timestamp()
    assert when(datetime(2026, 12, 6, 9, 5).timestamp(), now) == "Today 09:05"
    assert when(datetime(2026, 12, 5, 23, 59).timestamp(), now) == "Yesterday 23:59"
    assert when(datetime(2026, 11, 3, 18, 40).timestamp(), now) == "3 Nov 2026 18:40"
    assert when(0, now) == "Undated"
    assert one_line("a\n<b>b</b>\t c" * 20, 12) == "a <b>b</b>…"


def test_start_new_keeps_only_what_the_user_said(store) -> None:
    service = HistoryService(store)
    store.save("florist", [ChatMessage("assistant", "Welcome!")])
    assert service.start_new("florist") is None  # the welcome only: not kept
    assert service.history.list_conversations("florist") == []
    store.save("florist", _chat("roses?", "yes"))
    kept = service.start_new("florist")
    assert kept is not None and service.messages("florist", kept) == _chat("roses?", "yes")
    store.save("florist", [ChatMessage("assistant", "Welcome!")])
    service.reopen("florist", kept)  # Undo: the welcome-only one goes
    assert store.load("florist") == _chat("roses?", "yes")
    assert len(service.history.list_conversations("florist")) == 1


def test_rows_list_the_current_one_only_once_the_user_spoke(store) -> None:
    clock = Clock()
    service = HistoryService(store, clock=clock)
    store.save("florist", _chat("roses?", "yes"))
    service.start_new("florist")
    store.save("florist", [ChatMessage("assistant", "Welcome!")])
    rows = service.rows("florist")
    assert [(r.title, r.current, r.editable) for r in rows] == [("roses?", False, True)]
    assert rows[0].detail.startswith("Today ") and rows[0].detail.endswith("2 messages")
    store.save("florist", [ChatMessage("assistant", "Welcome!"), ChatMessage("user", "tulips?")])
    assert [r.current for r in service.rows("florist")] == [True, False]
    assert service.rows("florist")[0].detail.endswith("open now")


def test_search_rows_name_the_mode_and_who_said_it(store) -> None:
    service = HistoryService(store)
    store.save("florist", _chat("Do you deliver <b>roses</b>?", "Yes, roses daily."))
    store.save("bank", _chat("roses on my card?", "No."))
    rows = service.search("roses", {"florist": "Petal & Stem", "bank": "Vault"}.get)
    assert {(r.mode_id, r.editable) for r in rows} == {("florist", False), ("bank", False)}
    florist = [r for r in rows if r.mode_id == "florist"]
    assert florist[0].title == "Petal & Stem · Current conversation"
    assert florist[0].detail == "You: Do you deliver <b>roses</b>?"
    assert florist[1].detail == "Assistant: Yes, roses daily."


def test_deleting_the_current_conversation_runs_through_the_runner(store) -> None:
    calls: list[str] = []

    def runner(mode_id: str, change: Callable[[], Any]) -> Any:
        calls.append(mode_id)
        return change()

    clock = Clock()
    service = HistoryService(store, run_change=runner, clock=clock)
    store.save("florist", _chat("roses?", "yes"))
    (row,) = service.rows("florist")
    service.delete(row)
    assert calls == ["florist"] and store.load("florist") == []
    store.save("florist", [ChatMessage("assistant", "Welcome!")])  # the window greets anew
    assert service.undo_delete() is not None
    assert calls == ["florist", "florist"]
    assert store.load("florist") == _chat("roses?", "yes")  # back as the current one


def test_a_past_conversation_is_deleted_and_undone_without_the_runner(store) -> None:
    calls: list[str] = []
    service = HistoryService(store, run_change=lambda m, c: calls.append(m) or c())
    store.save("florist", _chat("roses?", "yes"))
    service.start_new("florist")
    calls.clear()
    (row,) = service.rows("florist")
    service.delete(row)
    assert service.rows("florist") == [] and calls == []
    service.undo_delete()
    assert [r.title for r in service.rows("florist")] == ["roses?"] and calls == []
    assert service.undo_delete() is None  # nothing left to undo
