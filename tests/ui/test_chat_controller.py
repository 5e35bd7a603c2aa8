"""ChatController: frame batching, Stop closes the stream, failures, persistence, a live loop."""

from __future__ import annotations

import asyncio
import sys
import time

import pytest
from PySide6.QtCore import QTimer

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.engines.base import Done, ErrorEvent
from presto_desktop.ui.chat_controller import ChatController
from tests.factories import make_mode
from tests.ui.fake_engine import FakeEngine

CHART = {"type": "bar", "title": "Sales", "points": [{"label": "Q1", "value": 3.0}]}


@pytest.fixture
def store(tmp_path):
    return ConversationStore(AppPaths.resolve(tmp_path))


def _controller(engine, store, mode_id="florist"):
    controller = ChatController(engine, store)
    controller.set_mode(make_mode(mode_id))
    return controller


def _record(controller):
    seen = {"delta": [], "finished": [], "failed": [], "tools": [], "busy": [], "removed": 0}
    controller.reply_delta.connect(seen["delta"].append)
    controller.reply_finished.connect(seen["finished"].append)
    controller.failed.connect(lambda m, r: seen["failed"].append((m, r)))
    controller.tool_called.connect(seen["tools"].append)
    controller.busy_changed.connect(seen["busy"].append)
    controller.last_reply_removed.connect(lambda: seen.__setitem__("removed", seen["removed"] + 1))
    return seen


def test_stream_is_batched_per_frame(qtbot, qloop, store):
    chunks = [f"w{i} " for i in range(500)]
    controller = _controller(FakeEngine(chunks), store)
    seen = _record(controller)
    with qtbot.waitSignal(controller.reply_finished, timeout=5000):
        qloop.run_until_complete(controller.send("hello"))
    assert "".join(seen["delta"]) == "".join(chunks)
    assert len(seen["delta"]) < 50  # an instant stream arrives in a few frames, not 500 updates
    (reply,) = seen["finished"]
    assert reply.content == "".join(chunks) and reply.status == "stop"
    assert seen["busy"] == [True, False]


def test_tool_calls_are_emitted_and_persisted(qtbot, qloop, store):
    call = ToolCall("show_chart", CHART)
    controller = _controller(FakeEngine(["Here ", call, "you go"]), store)
    seen = _record(controller)
    with qtbot.waitSignal(controller.reply_finished, timeout=5000):
        qloop.run_until_complete(controller.send("chart please"))
    assert seen["tools"] == [call]
    saved = store.load("florist")
    assert saved == [
        ChatMessage("user", "chart please"),
        ChatMessage("assistant", "Here you go", (call,), "stop"),
    ]
    # A fresh controller (restart) gets the conversation back, charts included.
    again = ChatController(FakeEngine(), store)
    with qtbot.waitSignal(again.conversation_loaded) as blocker:
        again.set_mode(make_mode("florist"))
    assert blocker.args[0] == saved


def test_history_is_passed_to_engine(qtbot, qloop, store):
    engine = FakeEngine(["ok"])
    controller = _controller(engine, store)
    for text in ("one", "two"):
        with qtbot.waitSignal(controller.reply_finished, timeout=5000):
            qloop.run_until_complete(controller.send(text))
    assert engine.calls[1][1] == [ChatMessage("user", "one"), ChatMessage("assistant", "ok")]
    assert engine.calls[1][2] == "two"


def test_stop_mid_stream_marks_stopped_and_closes_generator(qtbot, qloop, store):
    engine = FakeEngine([f"c{i} " for i in range(1000)], delay=0.005)
    controller = _controller(engine, store)
    seen = _record(controller)

    async def scenario():
        task = controller.submit("long please")
        assert task is not None and controller.busy
        await engine.started.wait()
        await asyncio.sleep(0.03)
        controller.stop()
        await task

    with qtbot.waitSignal(controller.reply_finished, timeout=10000):
        qloop.run_until_complete(scenario())
    (reply,) = seen["finished"]
    assert reply.status == "stopped"
    assert 0 < len(reply.content) < len("".join(engine.chunks))
    assert engine.closed == 1  # the generator's finally ran: the engine's stream was closed
    assert not controller.busy
    assert store.load("florist")[-1].status == "stopped"


def test_submit_while_busy_is_ignored(qtbot, qloop, store):
    engine = FakeEngine(["a"] * 50, delay=0.002)
    controller = _controller(engine, store)

    async def scenario():
        first = controller.submit("one")
        assert controller.submit("two") is None
        await first

    qloop.run_until_complete(scenario())
    assert [c[2] for c in engine.calls] == ["one"]


def test_error_event_emits_failed(qtbot, qloop, store):
    engine = FakeEngine(["partial "], end=ErrorEvent("Rate limited", retryable=True))
    controller = _controller(engine, store)
    seen = _record(controller)
    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        qloop.run_until_complete(controller.send("hi"))
    assert blocker.args == ["Rate limited", True]
    assert seen["finished"][0].status == "error"
    assert seen["busy"] == [True, False]


def test_exception_never_escapes(qtbot, qloop, store, monkeypatch):
    hooked = []
    monkeypatch.setattr(sys, "excepthook", lambda *a: hooked.append(a))
    engine = FakeEngine(["x"], raise_after=RuntimeError("boom"))
    controller = _controller(engine, store)
    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        task = controller.submit("hi")
        qloop.run_until_complete(task)
    assert "boom" in blocker.args[0] and blocker.args[1] is True
    assert hooked == []
    assert engine.closed == 1


def test_retry_after_failure_replays_last_user_turn(qtbot, qloop, store):
    engine = FakeEngine([], end=ErrorEvent("Server error", retryable=True))
    controller = _controller(engine, store)
    with qtbot.waitSignal(controller.failed, timeout=5000):
        qloop.run_until_complete(controller.send("question"))
    engine.chunks, engine.end = ["answer"], Done()
    with qtbot.waitSignal(controller.reply_finished, timeout=5000):
        qloop.run_until_complete(controller.retry())
    assert engine.calls[-1][2] == "question"
    assert controller.messages == [ChatMessage("user", "question"), ChatMessage("assistant", "answer")]


def test_regenerate_replaces_last_reply(qtbot, qloop, store):
    engine = FakeEngine(["first"])
    controller = _controller(engine, store)
    seen = _record(controller)
    with qtbot.waitSignal(controller.reply_finished, timeout=5000):
        qloop.run_until_complete(controller.send("q"))
    engine.chunks = ["second"]
    with qtbot.waitSignal(controller.reply_finished, timeout=5000):
        qloop.run_until_complete(controller.regenerate())
    assert seen["removed"] == 1
    assert controller.messages == [ChatMessage("user", "q"), ChatMessage("assistant", "second")]
    assert engine.calls[-1][1] == []
    assert store.load("florist") == controller.messages


def test_new_conversation_clears(qtbot, qloop, store):
    controller = _controller(FakeEngine(["ok"]), store)
    qloop.run_until_complete(controller.send("q"))
    with qtbot.waitSignal(controller.conversation_loaded) as blocker:
        controller.new_conversation()
    assert blocker.args[0] == [] and store.load("florist") == []


def test_mode_switch_mid_reply_keeps_conversations_apart(qtbot, qloop, store):
    engine = FakeEngine([f"c{i} " for i in range(500)], delay=0.005)
    controller = _controller(engine, store)

    async def scenario():
        task = controller.submit("hi")
        await engine.started.wait()
        controller.set_mode(make_mode("bank", industry="bank", company="Vault"))
        await task

    qloop.run_until_complete(scenario())
    assert store.load("florist")[-1].status == "stopped"
    assert controller.messages == []
    assert store.load("bank") == []


def test_heartbeat_keeps_ticking_while_streaming(qtbot, qloop, store):
    from presto_desktop.ui.chat_panel import ChatPanel

    panel = ChatPanel()
    qtbot.addWidget(panel)
    panel.resize(500, 700)
    panel.show()
    engine = FakeEngine([f"word{i} " for i in range(600)], delay=0.001)
    controller = _controller(engine, store)
    controller.reply_started.connect(panel.begin_reply)
    controller.reply_delta.connect(panel.append_reply_text)
    controller.reply_finished.connect(panel.end_reply)
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    heartbeat.start()
    with qtbot.waitSignal(controller.reply_finished, timeout=20000):
        qloop.run_until_complete(controller.send("go"))
    heartbeat.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 20
    assert max(gaps) < 0.25  # generous: tests are not benchmarks (see tests/benchmarks)
    assert panel.model.message(panel.model.rowCount() - 1).content.startswith("word0 ")
