"""Conversation history: past conversations kept per mode, rename, delete with undo, search,
and files written before history existed (one conversation per mode) still loading."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversation_history import MAX_PAST, ConversationHistory, clean_title
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.errors import StoreError
from presto_desktop.core.paths import AppPaths


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(AppPaths.resolve(tmp_path / "data"))


@pytest.fixture()
def history(store: ConversationStore, clock: Clock) -> ConversationHistory:
    return ConversationHistory(store, clock=clock)


def turn(question: str, answer: str, at: float) -> list[ChatMessage]:
    return [ChatMessage("user", question, at=at), ChatMessage("assistant", answer, at=at + 1)]


def test_new_keeps_the_old_conversation(store: ConversationStore, history: ConversationHistory,
                                        clock: Clock) -> None:
    first = turn("Show my orders", "Here they are", 100.0)
    store.save("florist", first)
    kept = history.start_new("florist")
    assert kept is not None and kept.message_count == 2 and kept.display_title == "Show my orders"
    assert store.load("florist") == []
    clock.now += 60
    store.save("florist", turn("Any roses?", "Yes", 200.0))
    listed = history.list_conversations("florist")
    assert [(c.preview, c.current) for c in listed] == [("Any roses?", True), ("Show my orders", False)]
    assert history.messages("florist", kept.id) == first
    assert history.start_new("florist") is not None and history.start_new("florist") is None


def test_the_reply_cache_stays_with_the_mode(store: ConversationStore,
                                             history: ConversationHistory) -> None:
    store.save("florist", turn("q", "a", 1.0))
    store.save_cache("florist", {"entries": [1]})
    history.start_new("florist")
    assert store.load_cache("florist") == {"entries": [1]}


def test_open_swaps_a_past_conversation_in(store: ConversationStore,
                                           history: ConversationHistory) -> None:
    old = turn("old question", "old answer", 10.0)
    store.save("bank", old)
    kept = history.start_new("bank")
    assert kept is not None
    new = turn("new question", "new answer", 20.0)
    store.save("bank", new)
    assert history.open("bank", kept.id) == old
    assert store.load("bank") == old
    listed = history.list_conversations("bank")
    assert [(c.preview, c.current) for c in listed] == [("old question", True), ("new question", False)]


def test_rename_current_and_past(store: ConversationStore, history: ConversationHistory) -> None:
    store.save("bank", turn("q1", "a1", 1.0))
    past = history.start_new("bank")
    store.save("bank", turn("q2", "a2", 2.0))
    assert past is not None
    assert history.rename("bank", past.id, "  Loans\n demo\x07 ") == "Loans demo"
    current = history.list_conversations("bank")[0]
    history.rename("bank", current.id, "Today")
    titles = {c.id: c.display_title for c in history.list_conversations("bank")}
    assert titles == {current.id: "Today", past.id: "Loans demo"}
    store.save("bank", [*turn("q2", "a2", 2.0), *turn("q3", "a3", 3.0)])  # the title survives saves
    assert history.list_conversations("bank")[0].title == "Today"
    history.rename("bank", past.id, "")
    assert [c.display_title for c in history.list_conversations("bank")][1] == "q1"
    assert len(clean_title("x" * 500)) == 200


def test_delete_with_undo_window(store: ConversationStore, history: ConversationHistory,
                                 clock: Clock) -> None:
    store.save("bank", turn("keep me", "ok", 1.0))
    past = history.start_new("bank")
    store.save("bank", turn("current one", "ok", 2.0))
    assert past is not None
    deleted = history.delete("bank", past.id)
    assert [c.preview for c in history.list_conversations("bank")] == ["current one"]
    clock.now += 5
    history.undo_delete(deleted)
    assert [c.preview for c in history.list_conversations("bank")] == ["current one", "keep me"]
    # Deleting the current one empties it; Undo brings it back as current.
    current = history.list_conversations("bank")[0]
    gone = history.delete("bank", current.id)
    assert store.load("bank") == [] and gone.was_current
    history.undo_delete(gone)
    assert store.load("bank") == turn("current one", "ok", 2.0)
    # After the window, it is gone for good.
    late = history.delete("bank", past.id)
    clock.now += 11
    with pytest.raises(StoreError, match="too late"):
        history.undo_delete(late)
    assert [c.preview for c in history.list_conversations("bank")] == ["current one"]
    assert list((history.folder("bank") / "trash").iterdir()) == []


def test_search_across_modes_and_titles(store: ConversationStore,
                                        history: ConversationHistory) -> None:
    store.save("florist", turn("Do you deliver ROSES today?", "Yes, roses by 5 pm.", 1.0))
    history.start_new("florist")
    store.save("florist", turn("Tulips?", "No tulips.", 2.0))
    store.save("bank", turn("Balance?", "You have $5.", 3.0))
    bank = history.list_conversations("bank")[0]
    history.rename("bank", bank.id, "Roses budget")
    hits = history.search("roses")
    assert {(h.mode_id, h.index, h.role) for h in hits} == {
        ("bank", -1, "title"), ("florist", 0, "user"), ("florist", 1, "assistant")}
    assert all(not h.current for h in hits if h.mode_id == "florist")
    assert [h.snippet for h in history.search("deliver today")] == ["Do you deliver ROSES today?"]
    assert history.search("roses tulips") == [] and history.search("   ") == []
    assert [h.mode_id for h in history.search("roses", mode_id="bank")] == ["bank"]
    assert len(history.search("roses", limit=1)) == 1


def write_old_file(store: ConversationStore, mode_id: str, messages: list[dict[str, object]]) -> Path:
    """A conversation file as written before history existed (no `conversation` object)."""
    path = store.path_for(mode_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"format_version": 1, "mode_id": mode_id, "messages": messages,
                                "reply_cache": {"kept": True}}), "utf-8")
    return path


def test_old_files_keep_loading_and_are_migrated(store: ConversationStore,
                                                 history: ConversationHistory) -> None:
    chart = {"type": "bar", "title": "T", "points": [{"label": "a", "value": 1.0}]}
    path = write_old_file(store, "bank", [
        {"role": "user", "content": "old question"},  # oldest files: no id, no time
        {"role": "assistant", "content": "old answer", "tool_calls": [{"name": "show_chart", "arguments": chart}]},
    ])
    before = store.load("bank")
    assert [m.content for m in before] == ["old question", "old answer"]
    listed = history.list_conversations("bank")  # migrates: the file gains its id
    assert len(listed) == 1 and listed[0].current and listed[0].preview == "old question"
    doc = json.loads(path.read_text("utf-8"))
    assert doc["conversation"]["id"] == listed[0].id and doc["reply_cache"] == {"kept": True}
    assert store.load("bank") == before and history.list_conversations("bank")[0].id == listed[0].id
    kept = history.start_new("bank")
    assert kept is not None and history.messages("bank", kept.id) == before
    assert history.messages("bank", kept.id)[1].tool_calls == (ToolCall("show_chart", chart),)


def test_search_reads_old_files_without_writing(store: ConversationStore,
                                                history: ConversationHistory) -> None:
    path = write_old_file(store, "bank", [{"role": "user", "content": "mortgage rates"}])
    before = path.read_bytes()
    [hit] = history.search("MORTGAGE")
    assert hit.mode_id == "bank" and hit.current and path.read_bytes() == before


def test_bad_ids_and_hostile_past_files(store: ConversationStore, history: ConversationHistory) -> None:
    with pytest.raises(StoreError):
        history.messages("../etc", "0000000000001-abc")
    with pytest.raises(StoreError):
        history.messages("bank", "../../passwd")
    folder = history.folder("bank")
    folder.mkdir(parents=True)
    (folder / "0000000000001-aaaa.json").write_bytes(b'{"messages": [')
    (folder / "0000000000002-bbbb.json").write_text(json.dumps({
        "conversation": {"id": "0000000000003-cccc"}, "messages": []}))  # id is not its name
    (folder / "0000000000004-dddd.json").write_bytes(b"[" * 100_000)
    store.save("bank", turn("fine", "ok", 1.0))
    assert [c.preview for c in history.list_conversations("bank")] == ["fine"]
    assert len(list(folder.glob("*.corrupt-*"))) == 3


def test_past_conversations_are_capped(store: ConversationStore, history: ConversationHistory,
                                       clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("presto_desktop.core.conversation_history.MAX_PAST", 3)
    for i in range(5):
        store.save("bank", turn(f"q{i}", "a", float(i + 1)))
        history.start_new("bank")
        clock.now += 1
    assert [c.preview for c in history.list_conversations("bank")] == ["q4", "q3", "q2"]
    assert MAX_PAST >= 100


def test_history_and_saves_from_threads_lose_nothing(store: ConversationStore,
                                                     history: ConversationHistory) -> None:
    store.save("bank", turn("start", "ok", 1.0))
    errors: list[BaseException] = []

    def saver() -> None:
        try:
            for i in range(20):
                store.save("florist", turn(f"florist {i}", "ok", 10.0 + i))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=saver)
    thread.start()
    for _ in range(10):
        history.start_new("bank")
        store.save("bank", turn("again", "ok", 2.0))
        history.search("florist")
    thread.join()
    assert errors == []
    assert [c.preview for c in history.list_conversations("bank")][:2] == ["again", "again"]


def test_conversations_cli_lists_and_searches(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    from presto_desktop.cli import main

    store = ConversationStore(AppPaths.resolve(data_dir))
    history = ConversationHistory(store)
    store.save("bank", turn("What's my balance?", "You have $5.", 1.0))
    history.start_new("bank")
    store.save("bank", turn("Show spending", "Here.", 2.0))
    assert main(["--data-dir", str(data_dir), "conversations", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("* bank") and lines[0].endswith("Show spending")
    assert lines[1].startswith("  bank") and lines[1].endswith("What's my balance?")
    assert main(["--data-dir", str(data_dir), "conversations", "search", "BALANCE", "--json"]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["mode_id"] == "bank" and hit["index"] == 0 and not hit["current"]
    assert main(["--data-dir", str(data_dir), "conversations", "list", "--mode", "../x"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
