"""ChatController: frame batching, Stop closes the stream, failures, persistence, a live loop."""

from __future__ import annotations

import asyncio
import itertools
import sys
import time

import pytest
from PySide6.QtCore import QTimer

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.engines.base import Done, ErrorEvent, TextDelta
from presto_desktop.ui.chat.controller import ChatController
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
    from presto_desktop.ui.chat.panel import ChatPanel

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
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20
    assert max(gaps) < 0.25  # generous: tests are not benchmarks (see tests/benchmarks)
    assert panel.model.message(panel.model.rowCount() - 1).content.startswith("word0 ")


class StoppableEngine(FakeEngine):
    """Like the OpenAI engine: stop_chat() ends the stream with Done('stopped') (or not at all)."""

    def __init__(self, *args, honour_stop: bool = True, end_after_stop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.stop_calls = 0
        self.honour_stop = honour_stop
        self.end_after_stop = end_after_stop or Done("stopped")
        self._stop_flag = False
        self.cancelled = False

    def stop_chat(self) -> None:
        self.stop_calls += 1
        self._stop_flag = True

    async def stream_chat(self, mode, history, message):
        self.calls.append((mode.id, list(history), message))
        try:
            for chunk in self.chunks:
                await asyncio.sleep(self.delay)
                if self._stop_flag and self.honour_stop:
                    yield self.end_after_stop
                    return
                yield TextDelta(chunk)
                self.started.set()
            yield self.end
        except asyncio.CancelledError:
            self.cancelled = True
            raise
        finally:
            self.closed += 1


async def _stop_midway(controller, engine):
    task = controller.submit("long please")
    await engine.started.wait()
    await asyncio.sleep(0.03)
    controller.stop()
    await task


def test_stop_uses_engine_stop_chat(qtbot, qloop, store):
    engine = StoppableEngine([f"c{i} " for i in range(1000)], delay=0.005)
    controller = _controller(engine, store)
    seen = _record(controller)
    with qtbot.waitSignal(controller.reply_finished, timeout=10000):
        qloop.run_until_complete(_stop_midway(controller, engine))
    (reply,) = seen["finished"]
    assert engine.stop_calls == 1 and not engine.cancelled  # ended by the engine, not a cancel
    assert reply.status == "stopped" and 0 < len(reply.content) < len("".join(engine.chunks))
    assert seen["busy"] == [True, False] and not controller.busy
    assert store.load("florist")[-1] == reply


def test_stop_falls_back_to_cancel_when_stop_chat_is_ignored(qtbot, qloop, store, monkeypatch):
    from presto_desktop.ui.chat import controller as chat_controller

    monkeypatch.setattr(chat_controller, "STOP_GRACE", 0.05)
    engine = StoppableEngine([f"c{i} " for i in range(1000)], delay=0.005, honour_stop=False)
    controller = _controller(engine, store)
    seen = _record(controller)
    with qtbot.waitSignal(controller.reply_finished, timeout=10000):
        qloop.run_until_complete(_stop_midway(controller, engine))
    (reply,) = seen["finished"]
    # The cancel lands in the engine's stream or in the controller between two chunks (then
    # the stream is closed with aclose()): either way the stream ends early and is closed once.
    assert engine.stop_calls == 1 and engine.closed == 1
    assert reply.status == "stopped" and 0 < len(reply.content) < len("".join(engine.chunks))
    assert not controller.busy and seen["busy"] == [True, False]


def test_stop_is_stopped_whatever_the_engine_ends_with(qtbot, qloop, store):
    engine = StoppableEngine([f"c{i} " for i in range(1000)], delay=0.005,
                             end_after_stop=ErrorEvent("stream closed", retryable=True))
    controller = _controller(engine, store)
    seen = _record(controller)
    with qtbot.waitSignal(controller.reply_finished, timeout=10000):
        qloop.run_until_complete(_stop_midway(controller, engine))
    assert seen["finished"][0].status == "stopped" and seen["failed"] == []


def test_add_message_joins_the_saved_conversation(qtbot, qloop, store):
    controller = _controller(FakeEngine(["ok"]), store)
    controller.add_message(ChatMessage("user", "Presto-Change-O, you're a florist"))
    assert store.load("florist") == [ChatMessage("user", "Presto-Change-O, you're a florist")]

    async def scenario():
        controller.add_message(ChatMessage("assistant", "Welcome to Petals!"))
        await controller.send("hours?")

    qloop.run_until_complete(scenario())
    assert [m.content for m in store.load("florist")] == [
        "Presto-Change-O, you're a florist", "Welcome to Petals!", "hours?", "ok",
    ]
    assert controller.messages == store.load("florist")


@pytest.mark.parametrize("failure", ["event", "exception"])
def test_fault_shows_error_bubble_and_retry_works_end_to_end(qtbot, qloop, store, failure):
    from presto_desktop.ui.chat.panel import ChatPanel

    class FailOnce(FakeEngine):
        async def stream_chat(self, mode, history, message):
            first = not self.calls
            self.calls.append((mode.id, list(history), message))
            if first:
                yield TextDelta("half an ans")
                if failure == "event":
                    yield ErrorEvent("Server error (502)", retryable=True)
                    return
                raise ConnectionError("connection reset")
            yield TextDelta("The answer.")
            yield Done()

    panel = ChatPanel()
    qtbot.addWidget(panel)
    panel.show()
    engine = FailOnce()
    controller = _controller(engine, store)
    # The same wiring as MainWindow._wire.
    panel.submitted.connect(controller.submit)
    panel.retry_requested.connect(controller.retry)
    controller.reply_started.connect(panel.begin_reply)
    controller.reply_delta.connect(panel.append_reply_text)
    controller.reply_finished.connect(panel.end_reply)
    controller.last_reply_removed.connect(panel.remove_last_reply)
    controller.failed.connect(panel.show_error)
    controller.busy_changed.connect(panel.set_busy)

    async def until_idle():
        while controller.busy:
            await asyncio.sleep(0.01)

    panel.composer.setPlainText("question")

    async def ask():
        panel._send_from_composer()
        await asyncio.sleep(0)
        await until_idle()

    qloop.run_until_complete(ask())
    messages = panel.model.all_messages()
    assert messages[-1].status == "error" and panel.model.is_transient(len(messages) - 1)
    assert ("502" in messages[-1].content) if failure == "event" else ("reset" in messages[-1].content)
    assert panel.retry_button.isVisibleTo(panel)

    async def retry():
        panel.retry_button.click()
        await asyncio.sleep(0)
        await until_idle()

    qloop.run_until_complete(retry())
    assert [m.content for m in panel.model.messages()] == ["question", "The answer."]
    assert not any(m.status == "error" for m in panel.model.all_messages())
    assert [c[2] for c in engine.calls] == ["question", "question"]
    assert controller.messages == [ChatMessage("user", "question"), ChatMessage("assistant", "The answer.")]
    assert store.load("florist") == controller.messages


def test_shutdown_waits_for_saves_started_by_add_message(qtbot, qloop, store):
    controller = _controller(FakeEngine(["ok"]), store)

    async def scenario():
        controller.add_message(ChatMessage("assistant", "Welcome!"))
        await controller.shutdown()  # before the save task had a turn

    qloop.run_until_complete(scenario())
    assert store.load("florist") == [ChatMessage("assistant", "Welcome!")]
