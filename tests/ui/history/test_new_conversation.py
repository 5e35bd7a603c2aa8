"""Ctrl+N keeps the old conversation: the chat's in-memory conversation is replaced before its
next save, so no snapshot of the old one (queued, in flight, or a reply winding down) is ever
written over the new one."""

from __future__ import annotations

import asyncio

import pytest

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.conversations import ConversationStore
from presto_desktop.core.paths import AppPaths
from presto_desktop.ui.chat.controller import ChatController
from tests.factories import make_mode
from tests.ui.fake_engine import FakeEngine


@pytest.fixture
def store(tmp_path):
    return ConversationStore(AppPaths.resolve(tmp_path))


def _controller(store, chunks=None, delay=0.0):
    controller = ChatController(FakeEngine(chunks or ["fine"], delay=delay), store)
    controller.set_mode(make_mode("florist"))
    return controller


def _settle(qloop, controller):
    qloop.run_until_complete(controller.shutdown())


def test_start_new_keeps_the_old_one_and_the_new_one_starts_empty(qtbot, qloop, store):
    controller = _controller(store)
    qloop.run_until_complete(controller.send("roses?"))
    old = controller.messages
    with qtbot.waitSignal(controller.conversation_loaded) as shown:
        kept = controller.start_new()
    assert shown.args[0] == [] and controller.messages == []
    assert kept is not None
    assert controller.history.messages("florist", kept) == old
    assert store.load("florist") == []
    controller.add_message(ChatMessage("user", "tulips?"))
    _settle(qloop, controller)
    assert [m.content for m in store.load("florist")] == ["tulips?"]
    assert controller.history.messages("florist", kept) == old  # untouched by the new one


def test_a_snapshot_queued_before_ctrl_n_is_never_written_over_the_new_one(qloop, store):
    controller = _controller(store)
    qloop.run_until_complete(controller.send("roses?"))

    async def scenario() -> str | None:
        # A save is scheduled (the welcome joined the conversation) but has not run yet.
        controller.add_message(ChatMessage("assistant", "one more thing"))
        kept = controller.start_new()  # before that save runs
        await controller.shutdown()
        return kept

    kept = qloop.run_until_complete(scenario())
    assert store.load("florist") == []  # the old snapshot did not come back
    assert [m.content for m in controller.history.messages("florist", kept)] == [
        "roses?", "fine", "one more thing"]  # and nothing of it was lost


def test_a_write_already_in_flight_does_not_overwrite_the_new_conversation(qloop, store):
    controller = _controller(store)
    qloop.run_until_complete(controller.send("roses?"))
    saves = controller._saves
    old = controller.messages + [ChatMessage("assistant", "late")]

    async def scenario() -> str | None:
        with store.transaction():  # the worker's write waits here, past the first check
            task = asyncio.ensure_future(saves.save("florist", old, saves.next_seq()))
            for _ in range(3):
                await asyncio.sleep(0)
            assert saves.lock.locked()  # the save is under way
            kept = controller.start_new()
        await task
        await controller.shutdown()
        return kept

    kept = qloop.run_until_complete(scenario())
    assert store.load("florist") == []
    assert kept is not None and controller.history.messages("florist", kept)[-1].content == "fine"


def test_a_reply_winding_down_stays_out_of_the_new_conversation(qtbot, qloop, store):
    controller = _controller(store, chunks=[f"w{i} " for i in range(300)], delay=0.002)
    engine = controller._engine

    async def scenario() -> str | None:
        task = controller.submit("tell me everything")
        await engine.started.wait()
        kept = controller.start_new()
        await task
        await controller.shutdown()
        return kept

    kept = qloop.run_until_complete(scenario())
    assert controller.messages == [] and store.load("florist") == []
    assert controller.history.messages("florist", kept)[0].content == "tell me everything"


def test_undo_reopens_and_drops_a_welcome_only_new_conversation(qtbot, qloop, store):
    controller = _controller(store)
    qloop.run_until_complete(controller.send("roses?"))
    old = controller.messages
    kept = controller.start_new()
    controller.add_message(ChatMessage("assistant", "Welcome!"))  # what the window greets with
    with qtbot.waitSignal(controller.conversation_loaded) as shown:
        controller.reopen(kept)
    assert shown.args[0] == old and controller.messages == old
    _settle(qloop, controller)
    assert store.load("florist") == old
    infos = controller.history.history.list_conversations("florist")
    assert [(i.current, i.message_count) for i in infos] == [(True, 2)]  # no welcome-only leftover


def test_a_welcome_only_conversation_is_not_kept(qloop, store):
    controller = _controller(store)
    controller.add_message(ChatMessage("assistant", "Welcome!"))
    assert controller.start_new() is None
    _settle(qloop, controller)
    assert controller.history.history.list_conversations("florist") == []


def test_a_failed_save_changes_nothing(qloop, store, monkeypatch):
    from presto_desktop.core.errors import StoreError

    controller = _controller(store)
    qloop.run_until_complete(controller.send("roses?"))
    before = controller.messages

    def broken(*_args, **_kwargs):
        raise StoreError("disk full")

    monkeypatch.setattr(store, "save", broken)
    with pytest.raises(StoreError):
        controller.start_new()
    assert controller.messages == before
    monkeypatch.undo()
    _settle(qloop, controller)
    assert store.load("florist") == before


def test_ctrl_n_that_cannot_save_says_so_and_offers_no_undo(qtbot):
    from PySide6.QtWidgets import QWidget

    from presto_desktop.core.errors import StoreError
    from presto_desktop.ui.chat.notice import NewConversation
    from tests.ui.fakes import FakeChat, FakePanel

    class Full(FakeChat):
        def start_new(self) -> str | None:
            raise StoreError("No space left on device")

    chat, panel, parent = Full(), FakePanel(), QWidget()
    qtbot.addWidget(panel)
    qtbot.addWidget(parent)
    chat.set_mode(make_mode("florist"))
    NewConversation(chat, panel, parent).request()
    assert panel.errors == [("No new conversation: No space left on device", False)]
    assert panel.undo_offers == []
