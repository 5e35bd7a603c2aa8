"""Recorded demos in the window: the More menu's actions, a replay into the real window (modes
restyle, bubbles, charts, chips; no engine), back to live, refusals in one line, and a session
recorded in the window replaying to the same bubbles."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from PySide6.QtGui import QPalette

from presto_desktop.core.paths import AppPaths
from presto_desktop.core.recording import dump_recording, load_recording
from presto_desktop.core.store import ModeStore
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.replay.runner import settle
from presto_desktop.ui.shell.selftest import type_into_composer
from tests.factories import assistant_mode, builtin_folder
from tests.replay_factory import demo_recording, two_modes, write_demo
from tests.ui.fakes import FakeEngine


class CountingEngine(FakeEngine):
    """The fake engine, counting the replies it was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.chats = 0

    async def stream_chat(self, mode, history, message):  # noqa: ANN001, ANN201
        self.chats += 1
        async for event in super().stream_chat(mode, history, message):
            yield event


@pytest.fixture
def builtin_dir(tmp_path: Path) -> Path:
    _florist, banking = two_modes()
    return builtin_folder(tmp_path / "builtin", assistant_mode(), banking)


def _window(qapp, tmp_path: Path, builtin_dir: Path, engine: FakeEngine) -> Composition:
    """The real window (chat panel and controller) on a fake engine."""
    paths = AppPaths.resolve(tmp_path / "data")
    comp = Composition(qapp, paths, offline=True, persist=False,
                       store=ModeStore(paths, builtin_dir=builtin_dir), engine=engine)
    comp.settings.theme = "light"
    comp.start("default")
    comp.window.resize(1280, 800)
    comp.window.show()
    return comp


def _rows(comp: Composition) -> list[tuple[str, str]]:
    model = comp.panel.model
    return [(model.message(r).role, model.message(r).content) for r in range(model.rowCount())]


def _background(comp: Composition) -> str:
    return comp.window.palette().color(QPalette.ColorRole.Window).name()


def test_the_demo_menu_has_record_save_and_play(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    names = [a.objectName() for a in comp.window.app_menu.actions("demo")]
    assert names[:3] == ["recordDemo", "saveRecording", "playRecording"]
    assert comp.replay.record_action.isCheckable()
    assert not comp.replay.live_action.isEnabled()


def test_a_replay_restyles_shows_bubbles_and_charts_without_the_engine(qapp, qloop, tmp_path,
                                                                        builtin_dir):
    engine = CountingEngine()
    comp = _window(qapp, tmp_path, builtin_dir, engine)
    qloop.run_until_complete(settle(comp.window))
    live_rows = _rows(comp)
    recording = demo_recording(6)
    bank = recording.modes[1]
    assert qloop.run_until_complete(comp.replay.play(recording, speed=None)) is True
    qloop.run_until_complete(settle(comp.window))
    window = comp.window
    assert window.header.company.text() == bank.company_name
    assert _background(comp) == bank.palette.light.background
    assert window.header.engine.text() == "Replay · Offline"
    # Step 5's trigger moved into the bank's conversation, as the window posts it there.
    assert _rows(comp) == [("user", "Presto-Change-O, you're First Harbor Bank"),
                           ("assistant", bank.welcome_message),
                           ("user", "Question 6: show my orders"),
                           ("assistant", "Here are your orders for step 6, **as a chart**.")]
    shown = window.dashboard.chart.chart
    assert shown is not None and shown.title == "Orders, step 6"
    assert engine.chats == 0 and engine.requests == []
    # Nothing typed reaches the engine while the replay is on screen.
    assert comp.panel.composer.isReadOnly()
    comp.panel.chip_bar.chosen.emit("Show my balance")
    comp.window.dashboard.tab_requested.emit("Show me Accounts")
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert engine.chats == 0 and _rows(comp)[-1][1].startswith("Here are your orders")
    comp.replay.back_to_live()
    qloop.run_until_complete(settle(window))
    assert window.header.company.text() == "Presto Assistant"
    assert window.header.engine.text() == comp.engine.label
    assert _rows(comp) == live_rows
    assert not comp.panel.composer.isReadOnly()
    assert not comp.replay.live_action.isEnabled()


def test_a_mode_picked_live_ends_the_replay(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())

    async def play_then_pick() -> None:
        task = comp.replay.play(demo_recording(8), speed=1.0)  # the recorded pace: still playing
        await asyncio.sleep(0.3)
        assert comp.replay.runner.playing
        comp.modes.switch_to("banking")
        await asyncio.gather(task, return_exceptions=True)

    qloop.run_until_complete(play_then_pick())
    assert not comp.replay.runner.on_screen
    assert not comp.panel.composer.isReadOnly()
    assert comp.window.header.engine.text() == comp.engine.label


def test_a_recording_with_a_bad_mode_is_refused_in_one_line(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    raw = json.loads(dump_recording(demo_recording(3)))
    raw["modes"][0]["id"] = "../escape"
    bad = tmp_path / "bad.presto"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    before = comp.window.header.company.text()
    assert qloop.run_until_complete(comp.replay.open_file(bad)) is False
    text = comp.window.notice_bar.text.text()
    assert text.startswith("Recording refused: bad.presto") and "\n" not in text
    assert comp.window.header.company.text() == before
    assert not comp.replay.runner.on_screen


def test_a_recording_file_plays_from_the_command_line_path(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    path = write_demo(tmp_path / "demo.presto", 3)

    async def play() -> bool:
        opened = await comp.replay.open_file(path, speed=None)
        while comp.replay.runner.playing:
            await asyncio.sleep(0.01)
        return opened

    assert qloop.run_until_complete(play()) is True
    assert comp.window.notice_bar.text.text() == "Replay finished."
    assert _rows(comp)[-1] == ("assistant", "Here are your orders for step 3, **as a chart**.")


def test_a_session_recorded_in_the_window_replays_to_the_same_window(qapp, qloop, tmp_path,
                                                                     builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    window = comp.window
    qloop.run_until_complete(settle(window))
    comp.replay.record_action.trigger()  # More ▸ Record demo
    assert comp.replay.recorder.active and comp.replay.record_action.isChecked()

    async def session() -> None:
        finished = asyncio.get_running_loop().create_future()
        comp.chat.reply_finished.connect(
            lambda m: finished.done() or finished.set_result(m))
        type_into_composer(comp.panel, "What can you do?")
        await finished
        type_into_composer(comp.panel, "Presto-Change-O, you're a bank")
        await settle(window)
        await asyncio.sleep(0.05)
        await settle(window)

    qloop.run_until_complete(session())
    live = _rows(comp)
    live_company = window.header.company.text()
    assert live_company == "First Harbor Bank" and live[-1][0] == "assistant"
    comp.replay.record_action.trigger()  # off again
    assert not comp.replay.recorder.active
    path = tmp_path / "session.presto"
    assert qloop.run_until_complete(comp.replay.save_to(path)) is True
    recording = load_recording(path)
    assert [m.id for m in recording.modes] == ["default", "banking"]
    kinds = [e.type for e in recording.events]
    assert kinds[0] == "mode" and "user" in kinds and "delta" in kinds and "reply" in kinds
    # Played back into a fresh window, the last screen is the same.
    other = _window(qapp, tmp_path / "other", builtin_dir, FakeEngine())
    assert qloop.run_until_complete(other.replay.play(recording, speed=None)) is True
    qloop.run_until_complete(settle(other.window))
    assert other.window.header.company.text() == live_company
    assert _rows(other) == live
    assert _background(other) == _background(comp)


def test_save_without_a_recording_says_so(qapp, qloop, tmp_path, builtin_dir):
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    comp.replay.ask_save()  # no dialog: nothing to save
    assert comp.window.notice_bar.text.text().startswith("Nothing recorded yet")


def test_the_command_line_file_plays_a_recording_and_hands_scripts_on(qapp, qloop, tmp_path,
                                                                       builtin_dir, monkeypatch):
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    opened: list[Path] = []
    monkeypatch.setattr(comp.demo_menu, "open_path", opened.append)
    comp.replay.open_path(tmp_path / "demo.json")  # --demo SCRIPT.json: the demo menu's
    assert opened == [tmp_path / "demo.json"]
    recording = write_demo(tmp_path / "demo.presto", 2)

    async def play() -> None:
        comp.replay.open_path(recording)
        while not comp.replay.runner.on_screen or comp.replay.runner.playing:
            await asyncio.sleep(0.01)

    qloop.run_until_complete(asyncio.wait_for(play(), 30))
    assert opened == [tmp_path / "demo.json"]
    assert comp.window.header.engine.text() == "Replay · Offline"


def test_a_file_a_second_start_forwards_is_opened_like_the_command_line_one(
        qapp, qloop, tmp_path, builtin_dir, monkeypatch):
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFileOpenEvent

    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    opened: list[Path] = []
    monkeypatch.setattr(comp.replay, "open_path", opened.append)
    # What ui/app.py posts when a second start (e.g. a double-clicked .presto) forwards a file.
    QCoreApplication.postEvent(comp.window, QFileOpenEvent(str(tmp_path / "demo.presto")))
    qloop.run_until_complete(asyncio.sleep(0.05))
    assert opened == [tmp_path / "demo.presto"]


def test_the_presenter_console_follows_a_replay(qapp, qloop, tmp_path, builtin_dir):
    """In presenter mode a replay's steps, next step and note show on the console, as a live
    script's do; its Next / Auto-play / Reset buttons (a script's) are off meanwhile."""
    comp = _window(qapp, tmp_path, builtin_dir, FakeEngine())
    mode = comp.presenter_mode
    mode.enter()
    console = mode.console
    seen: list[tuple[int, str, str, str]] = []
    shown = console.show_state

    def spy(state) -> None:  # noqa: ANN001
        seen.append((state.index, state.current_text(), state.next_text(), state.next_note()))
        shown(state)

    console.show_state = spy
    try:
        recording = demo_recording(6, title="Stage demo")
        assert qloop.run_until_complete(comp.replay.play(recording, speed=None)) is True
        assert seen[0] == (0, "", "say: Question 1: show my orders", "note 1")
        assert (2, "say: Question 2: show my orders", "say: Question 3: show my orders",
                "note 3") in seen
        assert console.title.text() == "Replay: Stage demo"
        assert console.position.text() == "Done: all 6 steps performed"
        assert not (console.next_button.isEnabled() or console.auto_button.isEnabled()
                    or console.reset_button.isEnabled())
    finally:
        mode.leave()
        comp.replay.back_to_live()
