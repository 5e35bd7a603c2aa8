"""ConversationStore: round trip with tool calls, caps, corrupt files set aside."""

from __future__ import annotations

import json

import pytest

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversations import MAX_MESSAGE_BYTES, MAX_MESSAGES, ConversationStore
from presto_desktop.core.errors import StoreError
from presto_desktop.core.paths import AppPaths


@pytest.fixture()
def store(tmp_path):
    return ConversationStore(AppPaths.resolve(tmp_path))


def test_round_trip_keeps_tool_calls_and_status(store):
    chart = {"type": "bar", "title": "Sales", "points": [{"label": "Q1", "value": 3.0}]}
    messages = [
        ChatMessage("user", "hi <b>there</b>"),
        ChatMessage("assistant", "Here", (ToolCall("show_chart", chart),), "stopped"),
    ]
    store.save("florist", messages)
    assert store.load("florist") == messages


def test_missing_gives_empty(store):
    assert store.load("nothing-here") == []


def test_clear(store):
    store.save("bank", [ChatMessage("user", "x")])
    store.clear("bank")
    assert store.load("bank") == []
    store.clear("bank")  # idempotent


def test_corrupt_file_is_moved_aside(store, tmp_path):
    path = store.path_for("bank")
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"messages": [ {"role": "us')
    assert store.load("bank") == []
    assert not path.exists()
    assert len(list(path.parent.glob("bank.json.corrupt-*"))) == 1


def test_wrong_shape_is_moved_aside(store):
    path = store.path_for("bank")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([1, 2, 3]))
    assert store.load("bank") == []
    assert not path.exists()


def test_invalid_messages_skipped(store):
    path = store.path_for("bank")
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "messages": [
                    {"role": "system", "content": "x"},
                    {"role": "user", "content": 5},
                    {"role": "assistant", "content": "ok", "status": "weird",
                     "tool_calls": [{"name": "rm_rf", "arguments": {}}, "junk"]},
                ]
            }
        )
    )
    assert store.load("bank") == [ChatMessage("assistant", "ok")]


def test_caps(store):
    many = [ChatMessage("user", str(i)) for i in range(MAX_MESSAGES + 10)]
    many.append(ChatMessage("assistant", "é" * MAX_MESSAGE_BYTES))
    store.save("bank", many)
    loaded = store.load("bank")
    assert len(loaded) == MAX_MESSAGES
    assert loaded[0].content == "11"
    assert len(loaded[-1].content.encode()) <= MAX_MESSAGE_BYTES


@pytest.mark.parametrize("bad", ["../etc", "", "A", "a/b", "x" * 65])
def test_bad_ids(store, bad):
    with pytest.raises(StoreError):
        store.save(bad, [])
    assert store.load(bad) == []


def test_save_leaves_no_temp_files(store):
    store.save("bank", [ChatMessage("user", "x")])
    names = [p.name for p in store.path_for("bank").parent.iterdir()]
    assert names == ["bank.json"]


def test_a_conversation_file_has_one_message_per_line_and_reads_back():
    """Readable like the indented form, encoded by json's C encoder (the indented form used
    the pure-Python one: 2.5x slower, holding the GIL on the saving thread)."""
    import json
    import math

    import pytest

    from presto_desktop.core.conversation_json import dump_document

    doc = {"format_version": 1, "mode_id": "florist", "conversation": {"id": "a", "title": "t"},
           "messages": [{"role": "user", "content": "Line\u2028break é \"quoted\" </script>"},
                        {"role": "assistant", "content": "ok", "created_at": 1.5}]}
    data = dump_document(doc)
    assert json.loads(data) == doc
    lines = data.decode("utf-8").splitlines()
    assert sum(line.lstrip().startswith('{"role"') for line in lines) == 2
    assert json.loads(dump_document({"format_version": 1, "messages": []})) == {
        "format_version": 1, "messages": []}
    with pytest.raises(ValueError):
        dump_document({"messages": [{"content": math.nan}]})
