"""The window's side of offline fidelity: "you're a" asks, unanswered questions offer chips."""

from __future__ import annotations

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.triggers import ASK_EXAMPLES, ASK_REPLY
from tests.ui.fakes import FakeChat, FakeEngine
from tests.ui.shell.test_window import build, builtin_dir  # noqa: F401 - the fixture


def test_a_trigger_without_a_business_asks_and_does_not_switch(qapp, qloop, tmp_path,
                                                               builtin_dir):  # noqa: F811
    engine = FakeEngine()
    comp = build(qapp, tmp_path, builtin_dir, engine=engine)
    comp.start(None)
    before = comp.modes.current
    # As the real composer does: it draws the typed text, then the window routes it.
    comp.panel.append_message(ChatMessage(role="user", content="Presto-Change-O, you're a"))
    comp.window.route("Presto-Change-O, you're a")
    assert comp.modes.current is before and not comp.modes.busy
    assert engine.requests == []
    assert [m.content for m in comp.panel.messages[-3:]] == [
        comp.modes.current.welcome_message, "Presto-Change-O, you're a", ASK_REPLY]
    assert comp.panel.suggestions == list(ASK_EXAMPLES)


def test_suggested_prompts_from_a_reply_become_chips(qapp, qloop, tmp_path,
                                                     builtin_dir):  # noqa: F811
    chat = FakeChat()
    comp = build(qapp, tmp_path, builtin_dir, chat=chat)
    comp.start(None)
    chat.tool_called.emit(ToolCall("suggest_prompts", {"prompts": ["Show my orders", 7]}))
    assert comp.panel.suggestions == ["Show my orders", "7"]
    chat.tool_called.emit(ToolCall("suggest_prompts", {"prompts": "not a list"}))
    assert comp.panel.suggestions == ["Show my orders", "7"]
