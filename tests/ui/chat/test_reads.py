"""A mode switch reads its conversation on a worker thread, after the saves asked for before it."""

from __future__ import annotations

import asyncio
import threading

import pytest

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.engines.base import TextDelta
from presto_desktop.ui.chat.controller import ChatController
from tests.factories import make_mode
from tests.ui.fake_engine import FakeEngine

A_SAID = [ChatMessage("user", "hello florist"), ChatMessage("assistant", "Welcome to Petals!")]
B_SAID = [ChatMessage("user", "hello bank"), ChatMessage("assistant", "Welcome to Vault!")]


class GatedStore(ConversationStore):
    """Records the thread of every load; loads (or saves) of `gated` modes wait for `gate`."""

    def __init__(self, paths: AppPaths) -> None:
        super().__init__(paths)
        self.gate = threading.Event()
        self.gated_loads: set[str] = set()
        self.gated_saves: set[str] = set()
        self.load_threads: list[int] = []
        self.loaded: list[str] = []  # the modes whose loads returned
        self.saving = threading.Event()  # a gated save is being written

    def load(self, mode_id: str) -> list[ChatMessage]:
        self.load_threads.append(threading.get_ident())
        if mode_id in self.gated_loads:
            assert self.gate.wait(10), "the gate was never opened"
        messages = super().load(mode_id)
        self.loaded.append(mode_id)
        return messages

    def save(self, mode_id: str, messages: list[ChatMessage]) -> None:
        if mode_id in self.gated_saves:
            self.saving.set()
            assert self.gate.wait(10), "the gate was never opened"
        super().save(mode_id, messages)


@pytest.fixture
def store(tmp_path):
    store = GatedStore(AppPaths.resolve(tmp_path))
    store.save("florist", A_SAID)
    store.save("bank", B_SAID)
    store.load_threads.clear()
    store.loaded.clear()
    return store


@pytest.fixture
def modes():
    return make_mode("florist"), make_mode("bank", industry="bank", company="Vault")


def _shown(controller: ChatController) -> list[list[ChatMessage]]:
    shown: list[list[ChatMessage]] = []
    controller.conversation_loaded.connect(shown.append)
    return shown


def _switch(controller: ChatController, mode) -> None:
    """What the window does: follow in the mode change's turn, set_mode in a later step."""
    controller.follow(mode)
    controller.set_mode(mode)


async def _until(condition) -> None:
    for _ in range(4000):  # a bound only so a broken build fails instead of hanging
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("never happened")


async def _while_a_read_is_stuck(store: GatedStore, action) -> None:
    """Run `action` on the loop while a worker is stuck reading under the store's guard; the
    gate opens from another thread, as `action` may wait for that guard (a read ends, then)."""
    await _until(lambda: store.load_threads)
    store.gated_loads.clear()  # a read `action` needs on the loop is not held
    opener = threading.Timer(0.05, store.gate.set)
    opener.start()
    action()
    opener.join()


def test_the_conversation_is_read_off_the_loop_thread(qloop, store, modes):
    florist, _ = modes
    controller = ChatController(FakeEngine(), store)
    shown = _shown(controller)

    async def scenario():
        controller.follow(florist)
        await asyncio.sleep(0)  # the mode change's steps run on later turns
        controller.set_mode(florist)
        await _until(lambda: shown)

    qloop.run_until_complete(scenario())
    assert shown == [A_SAID]
    assert store.load_threads and threading.get_ident() not in store.load_threads


def test_without_a_running_loop_the_read_is_synchronous(qloop, store, modes):
    controller = ChatController(FakeEngine(), store)
    shown = _shown(controller)
    _switch(controller, modes[0])
    assert shown == [A_SAID] and store.load_threads == [threading.get_ident()]


def test_a_slow_read_does_not_hold_the_loop_and_shows_when_done(qloop, store, modes):
    florist, _ = modes
    controller = ChatController(FakeEngine(), store)
    shown = _shown(controller)
    store.gated_loads.add("florist")

    async def scenario():
        _switch(controller, florist)
        turns = 0
        for _ in range(50):  # the loop keeps turning while the worker waits
            await asyncio.sleep(0)
            turns += 1
        assert turns == 50 and shown == []
        store.gate.set()
        await _until(lambda: shown)

    qloop.run_until_complete(scenario())
    assert shown == [A_SAID] and controller.messages == A_SAID


def test_switching_again_before_the_read_ends_never_shows_the_first_mode(qloop, store, modes):
    florist, bank = modes
    controller = ChatController(FakeEngine(), store)
    shown = _shown(controller)
    store.gated_loads.add("florist")

    async def scenario():
        _switch(controller, florist)
        await _until(lambda: store.load_threads)  # a worker is reading the florist's file
        _switch(controller, bank)
        for _ in range(10):
            await asyncio.sleep(0)
        store.gate.set()  # the florist's read ends now: nobody wants it any more
        await _until(lambda: shown and "florist" in store.loaded)
        for _ in range(20):  # a result handed back late would show in these turns
            await asyncio.sleep(0.005)

    qloop.run_until_complete(scenario())
    assert shown == [B_SAID]
    assert controller.mode is bank and controller.messages == B_SAID


def test_a_b_a_with_the_save_of_a_queued_shows_a_latest(qloop, store, modes):
    florist, bank = modes
    controller = ChatController(FakeEngine(), store)
    _switch(controller, florist)  # no running loop: read now
    shown = _shown(controller)
    latest = ChatMessage("user", "one more thing")

    async def scenario():
        async with controller._saves.lock:  # another save is being written
            controller.add_message(latest)  # A's save is queued behind it
            _switch(controller, bank)
            await asyncio.sleep(0)
            _switch(controller, florist)
            for _ in range(10):
                await asyncio.sleep(0)
            assert shown == [] or shown == [B_SAID]  # A is not shown from its old file
        await _until(lambda: len(shown) == 1 + (shown[:1] == [B_SAID]))

    qloop.run_until_complete(scenario())
    assert shown[-1] == [*A_SAID, latest]
    assert controller.messages == [*A_SAID, latest] == store.load("florist")


def test_a_b_a_with_the_save_of_a_being_written_shows_a_latest(qloop, store, modes):
    florist, bank = modes
    controller = ChatController(FakeEngine(), store)
    _switch(controller, florist)
    shown = _shown(controller)
    latest = ChatMessage("user", "one more thing")
    store.gated_saves.add("florist")

    async def scenario():
        controller.add_message(latest)
        await _until(store.saving.is_set)  # a worker is writing A's file
        _switch(controller, bank)
        await asyncio.sleep(0)
        _switch(controller, florist)
        for _ in range(10):
            await asyncio.sleep(0)
        assert [*A_SAID] not in shown
        store.gate.set()
        await _until(lambda: shown and shown[-1] != B_SAID)
        await controller.shutdown()

    qloop.run_until_complete(scenario())
    assert shown[-1] == [*A_SAID, latest]
    assert controller.messages == [*A_SAID, latest] == store.load("florist")


def test_a_b_a_mid_reply_shows_the_reply_saved_as_it_ends(qloop, store, modes):
    florist, bank = modes
    class SlowToStop(FakeEngine):
        async def stream_chat(self, mode, history, message):
            try:
                yield TextDelta("part one ")
                await asyncio.sleep(10)
            finally:
                for _ in range(20):  # winds down over many loop turns before its save
                    await asyncio.sleep(0)

    controller = ChatController(SlowToStop(), store)
    _switch(controller, florist)
    shown = _shown(controller)
    deltas: list[str] = []
    controller.reply_delta.connect(deltas.append)

    async def scenario():
        task = controller.submit("tell me")
        await _until(lambda: deltas)  # the reply is streaming
        _switch(controller, bank)  # stops the reply; it saves A as it winds down
        _switch(controller, florist)
        await _until(lambda: shown and task.done())
        await controller.shutdown()

    qloop.run_until_complete(scenario())
    saved = store.load("florist")
    assert [m.content for m in saved[:3]] == [m.content for m in A_SAID] + ["tell me"]
    assert shown[-1] == saved == controller.messages


def test_a_read_that_fails_on_the_worker_is_read_again_on_the_loop(qloop, store, modes):
    florist, _ = modes
    controller = ChatController(FakeEngine(), store)
    shown = _shown(controller)
    loop_thread = threading.get_ident()
    load = store.load

    def broken_off_the_loop(mode_id: str) -> list[ChatMessage]:
        if threading.get_ident() != loop_thread:
            raise MemoryError("a worker's bad day")
        return load(mode_id)

    store.load = broken_off_the_loop  # type: ignore[method-assign]

    async def scenario():
        _switch(controller, florist)
        await _until(lambda: shown)

    qloop.run_until_complete(scenario())
    assert shown == [A_SAID]


def _act_while_florist_is_read(qloop, store, florist, act):
    """Switch to florist, run `act(controller)` while its read is stuck, let the read end."""
    controller = ChatController(FakeEngine(), store)
    shown = _shown(controller)
    store.gated_loads.add("florist")

    async def scenario():
        _switch(controller, florist)
        await _while_a_read_is_stuck(store, lambda: act(controller))
        await _until(lambda: "florist" in store.loaded)
        for _ in range(20):  # the read's result reaches the loop, if it is to be used
            await asyncio.sleep(0.005)
        await controller.shutdown()

    qloop.run_until_complete(scenario())
    return controller, shown


def test_a_message_added_while_the_read_runs_is_kept_and_shown(qloop, store, modes):
    typed = ChatMessage("user", "Presto-Change-O, you're a florist")
    controller, shown = _act_while_florist_is_read(
        qloop, store, modes[0], lambda controller: controller.add_message(typed))
    assert shown == [[*A_SAID, typed]]
    assert store.load("florist") == [*A_SAID, typed] == controller.messages


def test_new_conversation_while_the_read_runs_is_not_undone_by_it(qloop, store, modes):
    controller, shown = _act_while_florist_is_read(
        qloop, store, modes[0], lambda controller: controller.new_conversation())
    assert shown == [[]] and controller.messages == [] and store.load("florist") == []


def test_forget_conversations_while_the_read_runs_shows_it_empty(qloop, store, modes):
    controller, shown = _act_while_florist_is_read(
        qloop, store, modes[0], lambda controller: controller.forget_conversations(["florist"]))
    assert shown == [[]] and controller.messages == [] and store.load("florist") == []


def test_a_b_a_with_a_history_change_of_a_in_flight_shows_its_result(qloop, store, modes):
    florist, bank = modes
    controller = ChatController(FakeEngine(), store)
    _switch(controller, florist)
    shown = _shown(controller)
    reopened = [ChatMessage("user", "an older question"), ChatMessage("assistant", "Its answer.")]
    started = threading.Event()

    def change() -> None:  # a history change of A's files (Ctrl+N's Undo, History's Open)
        started.set()
        assert store.gate.wait(10)
        store.replace_current("florist", reopened, None)

    async def scenario():
        future = controller.run_change_off_loop("florist", change)
        await _until(started.is_set)
        _switch(controller, bank)
        await asyncio.sleep(0)
        _switch(controller, florist)
        for _ in range(10):
            await asyncio.sleep(0)
        assert A_SAID not in shown
        store.gate.set()
        await future
        await _until(lambda: shown and shown[-1] != B_SAID)
        await controller.shutdown()

    qloop.run_until_complete(scenario())
    assert shown[-1] == reopened == controller.messages == store.load("florist")
