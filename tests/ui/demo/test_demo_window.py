"""Demo scripts in the real window on the offline engine: open, keys, typing, failures, reset."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.demo_script import load_script
from presto_desktop.core.paths import AppPaths
from presto_desktop.engines.base import ChatEvent, ErrorEvent
from presto_desktop.session.demo_stepper import DemoStepper
from presto_desktop.ui.composition import Composition

FLORIST = "Presto-Change-O, you're a florist"


class FailingEngine:
    """The real offline engine, except that a message with "fail" gets an error reply."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner = inner
        self.label, self.kind = inner.label, inner.kind

    async def generate_mode(self, request):  # noqa: ANN001, ANN201
        return await self.inner.generate_mode(request)

    async def stream_chat(self, mode, history, message) -> AsyncIterator[ChatEvent]:  # noqa: ANN001
        if "fail" in message:
            yield ErrorEvent("the server said 503", retryable=True)
            return
        async for event in self.inner.stream_chat(mode, history, message):
            yield event

    async def aclose(self) -> None:
        await self.inner.aclose()


def write_script(folder: Path, steps: list[dict], title: str = "Florist demo") -> Path:
    path = folder / "demo.json"
    path.write_text(json.dumps({"title": title, "steps": steps}), encoding="utf-8")
    return path


@pytest.fixture
def short_beat(monkeypatch):  # noqa: ANN001, ANN201
    """Auto-play's beat between steps at 20 ms (0.8 s for an audience: ~6 s of waiting a test)."""
    monkeypatch.setattr("presto_desktop.ui.demo.controller.DemoStepper",
                        functools.partial(DemoStepper, auto_gap_s=0.02))


@pytest.fixture
def comp(qapp, qloop, tmp_path, data_dir):  # noqa: ANN001, ANN201
    paths = AppPaths.resolve(data_dir)
    comp = Composition(qapp, paths, offline=True, persist=False)
    comp.settings.theme = "light"
    comp.start(None)
    comp.window.show()
    comp.window.activateWindow()
    comp.window.chat_panel.composer.setFocus()
    qapp.processEvents()
    yield comp
    qloop.run_until_complete(comp.shutdown())
    comp.window.close()


def wait_until(condition, timeout: float = 20.0) -> None:  # noqa: ANN001
    """Run the qasync loop until `condition()` holds (the timeout only stops a hang)."""
    loop = asyncio.get_event_loop()

    async def poll() -> None:
        deadline = loop.time() + timeout
        while not condition():
            assert loop.time() < deadline, "timed out"
            await asyncio.sleep(0.005)

    loop.run_until_complete(poll())


def user_turns(comp) -> list[str]:  # noqa: ANN001
    return [m.content for m in comp.chat.messages if m.role == "user"]


def test_open_refuses_a_bad_script_in_one_line_and_loads_a_good_one(comp, tmp_path, qtbot):
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x", "steps": [{"pause": "2"}]}', encoding="utf-8")
    comp.demo_menu.ask_open_path = lambda: bad
    action = next(a for a in comp.window.app_menu.actions("demo")
                  if a.objectName() == "openDemoScript")
    action.trigger()
    text = comp.window.notice_bar.text.text()
    assert text.startswith("Demo script not opened: bad.json") and "\n" not in text
    assert "Traceback" not in text and not comp.demo.state.loaded
    good = write_script(tmp_path, [{"say": "hello"}])
    comp.demo_menu.ask_open_path = lambda: good
    action.trigger()
    assert comp.demo.state.loaded and comp.demo.state.title == "Florist demo"
    assert comp.demo.state.next_text() == "say: hello"


def test_keys_step_typing_finishes_and_sends_as_enter(comp, tmp_path, qtbot):
    comp.demo_menu.open_path(write_script(tmp_path, [
        {"say": "Show my recent orders please"}, {"say": "And my balance?"}]))
    states = []
    comp.demo.state_changed.connect(states.append)
    composer = comp.window.chat_panel.composer
    qtbot.keyClick(composer, Qt.Key.Key_Right)
    # The reaction is in the same event: the first character and a running state.
    assert composer.toPlainText() == "S" and states[-1].running and states[-1].index == 1
    wait_until(lambda: composer.toPlainText().startswith("Show my"))
    assert composer.toPlainText() != "Show my recent orders please"  # still typing
    qtbot.keyClick(composer, Qt.Key.Key_PageDown)  # finish at once, then sent as Enter
    assert composer.toPlainText() == "" and comp.chat.busy  # sent: the reply is on its way
    wait_until(lambda: not comp.demo.state.running)
    assert user_turns(comp)[-1] == "Show my recent orders please"
    assert comp.chat.messages[-1].role == "assistant" and comp.chat.messages[-1].content
    qtbot.keyClick(composer, Qt.Key.Key_Space)  # a space where people type
    assert composer.toPlainText() == " " and comp.demo.state.index == 1
    composer.clear()
    comp.window.chat_panel.view.setFocus()
    qtbot.keyClick(comp.window.chat_panel.view, Qt.Key.Key_Space)  # elsewhere Space steps
    assert comp.demo.state.index == 2
    comp.demo.typing.finish()
    wait_until(lambda: comp.demo.state.done)
    assert user_turns(comp)[-2:] == ["Show my recent orders please", "And my balance?"]
    qtbot.keyClick(composer, Qt.Key.Key_Right)  # finished: the keys are the composer's again
    assert comp.demo.state.index == 2


def test_a_trigger_switches_the_mode_like_a_typed_one(comp, tmp_path, qtbot):
    comp.demo_menu.open_path(write_script(tmp_path, [{"say": FLORIST}]))
    comp.demo.next()
    comp.demo.next()  # finish typing
    wait_until(lambda: comp.demo.state.done)
    mode = comp.modes.current
    assert mode.industry == "florist" or "florist" in mode.id
    contents = [m.content for m in comp.chat.messages]
    assert contents[0] == FLORIST and mode.welcome_message in contents[1]


def test_failures_pause_the_script_with_one_line_and_no_dialog(comp, tmp_path, qtbot):
    comp.swap_engine(FailingEngine(comp.engine))
    comp.demo_menu.open_path(write_script(tmp_path, [
        {"say": "please fail now"}, {"mode": "no-such-mode"}, {"tab": "Nope"}, {"pause": 0}]))
    auto = next(a for a in comp.window.app_menu.actions("demo") if a.objectName() == "autoPlayDemo")
    auto.trigger()
    assert comp.demo.state.auto and auto.isChecked()
    comp.demo.typing.finish()
    wait_until(lambda: bool(comp.demo.state.error))
    state = comp.demo.state
    assert state.error == "the server said 503" and not state.auto and not auto.isChecked()
    assert state.index == 1 and not state.running
    comp.demo.next()
    assert "no-such-mode" in comp.demo.state.error and "\n" not in comp.demo.state.error
    wait_until(lambda: not comp.window.mode_change.pending("content"))
    comp.demo.next()
    assert "has no tab 'Nope'" in comp.demo.state.error
    comp.demo.next()
    wait_until(lambda: comp.demo.state.done)
    assert comp.demo.state.error == ""
    assert comp.window.findChildren(type(comp.window.notice_bar)) is not None
    from PySide6.QtWidgets import QApplication, QDialog

    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def test_reset_returns_to_the_first_mode_with_fresh_conversations(short_beat, comp, tmp_path, qtbot):
    first = comp.modes.current
    comp.demo_menu.open_path(write_script(tmp_path, [
        {"say": "What can you do?"}, {"say": FLORIST}, {"say": "Show my recent orders"},
        {"mode": "banking"}, {"tab": "Accounts"}]))
    comp.demo.set_auto(True)
    for _ in range(3):  # no need to watch the typing: finish each say at once
        wait_until(lambda: comp.demo.typing.active or comp.demo.state.done)
        comp.demo.typing.finish()
    wait_until(lambda: comp.demo.state.done)
    assert comp.modes.current.id == "banking"
    florist = comp.store.find_by_request("florist|")
    assert florist is not None
    touched = comp.demo.stepper.touched
    assert {first.id, florist.id, "banking"} <= touched
    generated: list[object] = []
    comp.modes.generation_started.connect(generated.append)
    reset = next(a for a in comp.window.app_menu.actions("demo") if a.objectName() == "resetDemo")
    assert reset.shortcut().toString() == "Ctrl+Shift+R"
    reset.trigger()
    state = comp.demo.state
    assert state.index == 0 and not state.running and state.started_at is None
    assert comp.modes.current.id == first.id
    wait_until(lambda: not comp.window.mode_change.pending("content"))
    # Fresh: only the welcome; the other modes' conversations are gone, their personas kept.
    assert [m.role for m in comp.chat.messages] == ["assistant"]
    for mode_id in (florist.id, "banking"):
        assert comp.chat._store.load(mode_id) == []
    assert comp.store.get(florist.id).persona == florist.persona
    # Playing again finds the saved florist: no generation.
    comp.demo.set_auto(True)
    for _ in range(2):  # as above: the first two says' typing need not be watched
        wait_until(lambda: comp.demo.typing.active)
        comp.demo.typing.finish()
    wait_until(lambda: comp.demo.state.index >= 3)
    comp.demo.typing.finish()
    wait_until(lambda: comp.modes.current.id == florist.id)
    assert generated == []


def test_kiosk_resets_and_plays_after_idle_time(short_beat, comp, tmp_path, qtbot):
    comp.demo_menu.open_path(write_script(tmp_path, [{"say": "Hello"}, {"pause": 0}]))
    comp.demo.next()
    comp.demo.typing.finish()
    wait_until(lambda: not comp.demo.state.running)
    before = len(comp.chat.messages)
    assert before >= 3  # welcome, hello, reply
    states = []
    comp.demo.state_changed.connect(states.append)
    # Settings' value (minutes), as the Settings dialog's OK hands it over: 120 ms here.
    comp.window.settings_changed.emit(comp.settings.model_copy(update={"demo_idle_minutes": 0.002}))
    assert comp.demo.idle.interval_ms == 120
    wait_until(lambda: any(s.index == 0 and not s.running for s in states))
    wait_until(lambda: comp.demo.state.done)
    assert any(s.auto for s in states)
    assert user_turns(comp) == ["Hello"]  # the old turn was reset away, the new one played
    comp.demo.set_idle_minutes(0)
    assert comp.demo.idle.interval_ms == 0


def test_save_this_conversation_writes_a_script_that_loads_back(comp, tmp_path, qtbot):
    menu = comp.demo_menu
    target = tmp_path / "saved.json"
    menu.ask_save_path = lambda suggested: target
    assert menu.save_conversation() is None  # nothing of the user's yet
    assert "Nothing to save" in comp.window.notice_bar.text.text()
    comp.window.chat_panel.composer.setPlainText("Show my recent orders")
    comp.window.chat_panel.composer.send_requested.emit()
    wait_until(lambda: not comp.chat.busy)
    action = next(a for a in comp.window.app_menu.actions("demo")
                  if a.objectName() == "saveDemoScript")
    action.trigger()
    script = load_script(target)
    assert [s.model_dump(exclude_defaults=True) for s in script.steps] == [
        {"mode": comp.modes.current.id}, {"say": "Show my recent orders"}]
    assert script.title.endswith("demo")
    comp.chat.add_message(ChatMessage("user", FLORIST))
    assert menu.save_conversation() == target


def test_cli_refuses_a_bad_demo_script_before_any_window(tmp_path, capsys, data_dir):
    from presto_desktop.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2", encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "--demo", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.json" in err and "Traceback" not in err
