"""Presenter mode on the real window (fake engine and chat): entering makes the audience
window clean, larger and full screen and opens the console; leaving restores it exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from presto_desktop.core.paths import AppPaths
from presto_desktop.core.store import ModeStore
from presto_desktop.session.demo_state import DemoState
from presto_desktop.ui.composition import Composition
from presto_desktop.ui.presenter.console import DemoIntents
from tests.factories import assistant_mode, bank_mode, builtin_folder
from tests.ui.fakes import FakeChat, FakeEngine, FakePanel


class FakeStepper:
    """Stands in for the window's demo stepper: records the intents it is sent."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def next_step(self) -> None:
        self.calls.append("next")

    def toggle_auto(self) -> None:
        self.calls.append("auto")

    def reset(self) -> None:
        self.calls.append("reset")


@pytest.fixture
def comp(qapp, qloop, tmp_path: Path) -> Composition:
    folder = builtin_folder(tmp_path / "builtin", assistant_mode(), bank_mode())
    paths = AppPaths.resolve(tmp_path / "data")
    composition = Composition(qapp, paths, offline=True, persist=True,
                              store=ModeStore(paths, builtin_dir=folder), engine=FakeEngine(),
                              chat=FakeChat(), panel=FakePanel())
    composition.settings.theme = "light"
    composition.start(None, restore_geometry=False)
    composition.window.resize(640, 420)  # inside the offscreen screen (800 x 600)
    composition.window.show()
    return composition


def snapshot(comp: Composition) -> dict[str, object]:
    window, header = comp.window, comp.window.header
    return {"settings": header.settings_button.isVisible(), "more": header.more_button.isVisible(),
            "modes": header.library_button.isVisible(), "font": comp.theme.font_size,
            "app_font": QApplication.font().pointSize(), "state": window.windowState(),
            "full": window.isFullScreen(), "geometry": window.geometry().getRect(),
            "sink": window.error_sink,
            "settings_key": window.findChild(QShortcut, "Open settings").isEnabled()}


def test_presenter_mode_sits_in_the_more_menus_demo_section(comp):
    action = next(action for action in comp.window.app_menu.actions("demo")
                  if action.objectName() == "presenterModeAction")
    assert action.text() == "Presenter mode"
    assert action.shortcut().toString() == "F5"
    assert action.isCheckable() and not action.isChecked()
    action.trigger()
    assert comp.presenter_mode.active and action.isChecked()
    action.trigger()
    assert not comp.presenter_mode.active and not action.isChecked()


def test_entering_and_leaving_restores_the_window_exactly(comp):
    before = snapshot(comp)
    assert before["settings"] and before["more"] and not before["full"]
    mode = comp.presenter_mode
    mode.enter()
    window, header = comp.window, comp.window.header
    assert not header.settings_button.isVisible() and not header.more_button.isVisible()
    assert header.library_button.isVisible()
    assert comp.theme.font_size == comp.settings.presenter.font_size == 16
    assert QApplication.font().pointSize() == 16
    assert window.isFullScreen()  # the default: full screen on the window's own screen
    assert not window.findChild(QShortcut, "Open settings").isEnabled()
    console = mode.console
    assert console.isVisible() and console.isWindow()
    # Offscreen has one screen: the console floats, small and on top, over the audience.
    assert console.property("compact") is True
    assert console.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert console.width() <= 600
    mode.enter()  # twice is once
    mode.leave()
    assert snapshot(comp) == before
    assert not console.isVisible()
    mode.leave()  # leaving twice changes nothing
    assert snapshot(comp) == before


def test_leaving_keeps_a_window_that_was_full_screen_full_screen(comp):
    comp.settings.presenter.full_screen = False
    comp.window.showFullScreen()
    before = snapshot(comp)
    comp.presenter_mode.enter()
    assert comp.window.isFullScreen()
    comp.presenter_mode.leave()
    assert snapshot(comp) == before


def test_without_full_screen_the_window_keeps_its_size(comp):
    comp.settings.presenter.full_screen = False
    before = snapshot(comp)
    comp.presenter_mode.enter()
    assert not comp.window.isFullScreen()
    assert comp.window.geometry().getRect() == before["geometry"]
    comp.presenter_mode.console.full_screen.click()  # the console's choice, saved
    assert comp.window.isFullScreen()
    assert comp.settings.presenter.full_screen
    comp.presenter_mode.leave()
    assert snapshot(comp) == before
    assert comp.settings_store.load().presenter.full_screen  # remembered for next time


def test_errors_go_to_the_console_not_the_audience(comp):
    panel = comp.panel
    comp.presenter_mode.enter()
    comp.window.presenter.chat_failed("The server said <b>no</b>", True)
    assert panel.errors == []
    console = comp.presenter_mode.console
    assert console.error.text() == "⚠ The server said <b>no</b>"
    comp.presenter_mode.leave()
    comp.window.presenter.chat_failed("later", False)
    assert panel.errors == [("later", False)]


def test_notices_go_to_the_console_not_the_audience_and_come_back(comp):
    bar = comp.window.notice_bar
    retried: list[bool] = []
    bar.show_notice("save", "Conversation not saved: disk full", "Retry",
                    lambda: retried.append(True))
    assert bar.isVisible()
    comp.presenter_mode.enter()
    console = comp.presenter_mode.console
    assert not bar.isVisible()  # a notice already showing moves to the console
    assert console.notice.isVisible() and console.notice.text() == (
        "Conversation not saved: disk full")
    bar.clear("save")
    assert not console.notice.isVisible() and not bar.isVisible()
    bar.show_notice("export", "Exported to <b>notes</b>.html", "Dismiss", lambda: None)
    assert not bar.isVisible()  # a new one, while presenting, too
    assert console.notice.text() == "Exported to <b>notes</b>.html"
    assert console.notice.textFormat() == Qt.TextFormat.PlainText
    comp.presenter_mode.leave()
    assert bar.isVisible() and bar.text.text() == "Exported to <b>notes</b>.html"
    assert bar.button.isVisible()  # its Dismiss is back with it
    bar.clear("export")
    bar.show_notice("save", "Conversation not saved", "Retry", lambda: retried.append(True))
    assert bar.isVisible()  # after presenting, notices show in the window again
    bar.clear("save")
    comp.presenter_mode.enter()
    assert not comp.presenter_mode.console.notice.isVisible()  # no stale line from before
    comp.presenter_mode.leave()
    assert not bar.isVisible()


def test_console_intents_reach_the_stepper_and_states_reach_the_console(comp):
    stepper = FakeStepper()
    intents: DemoIntents = stepper  # the protocol the real stepper satisfies
    mode = comp.presenter_mode
    mode.use_stepper(intents)
    mode.show_state(DemoState(title="Early", total=2))  # before the console exists
    mode.enter()
    console = mode.console
    assert console.title.text() == "Early"
    console.next_requested.emit()
    console.auto_requested.emit()
    console.reset_requested.emit()
    assert stepper.calls == ["next", "auto", "reset"]
    mode.show_state(DemoState())
    assert console.pages.currentIndex() == 0  # no script: "Open a demo script…"
    page_down = next(key for key in console.findChildren(QShortcut)
                     if key.key().matches(QKeySequence(Qt.Key.Key_PageDown)) ==
                     QKeySequence.SequenceMatch.ExactMatch)
    page_down.activated.emit()  # the clicker (keys themselves: test_console.py)
    assert stepper.calls[-1] == "next"
    console.leave_requested.emit()
    assert not mode.active


def test_escape_in_the_audience_window_leaves(comp, qtbot):
    mode = comp.presenter_mode
    mode.enter()
    comp.window.activateWindow()
    qtbot.waitActive(comp.window)
    qtbot.keyClick(comp.window, Qt.Key.Key_Escape)
    assert not mode.active
    assert not comp.window.isFullScreen()


def test_engine_status_follows_the_engine(comp):
    comp.presenter_mode.enter()
    console = comp.presenter_mode.console
    assert console.engine.text() == "Engine: Fake · online"  # the fake engine's label
    console.set_engine("")
    comp.presenter_mode._show_engine()  # what the poll does each second
    assert console.engine.text() == "Engine: Fake · online"


def test_the_console_follows_the_modes_palette_and_the_larger_text(comp, qtbot):
    comp.presenter_mode.enter()
    console = comp.presenter_mode.console
    qtbot.waitExposed(console)
    assert console.styleSheet() == comp.theme.sheet  # the app's one QSS
    assert "font-size: 23pt" in console.styleSheet()  # {font_size_xl} of the larger text
    comp.window.route("Presto-Change-O, you're a bank")
    assert comp.modes.current.id == "banking"
    qtbot.waitUntil(lambda: console.styleSheet() == comp.theme.sheet)
    assert comp.modes.current.palette.light.primary.lower() in console.styleSheet().lower()


def test_closing_the_window_while_presenting_saves_the_window_as_it_was(comp):
    before = comp.window.geometry().getRect()
    comp.presenter_mode.enter()
    comp.window.close()
    assert not comp.presenter_mode.active
    comp.save_state()
    assert comp.settings_store.load().font_size == 11
    geometry = QByteArray.fromBase64(comp.settings.window_geometry.encode("ascii"))
    probe = QWidget()
    probe.restoreGeometry(geometry)
    assert not probe.isFullScreen()
    assert probe.geometry().size().toTuple() == before[2:]


def test_the_console_drives_the_windows_demo(comp):
    from presto_desktop.core.demo_script import parse_script

    script = parse_script(b'{"title": "Two steps", "steps": [{"pause": 30, "note": "breathe"},'
                          b' {"pause": 30}]}')
    comp.demo.load(script)
    comp.presenter_mode.enter()
    console = comp.presenter_mode.console
    assert console.title.text() == "Two steps"
    assert console.position.text() == "Ready: 2 steps"
    assert console.note.text() == "Note: breathe"
    console.next_requested.emit()  # the first pause starts
    assert comp.demo.state.current is not None
    assert console.now.text() == "pause: 30 s"
    assert console.state is comp.demo.state  # rendered as published, not copied
    console.auto_requested.emit()
    assert comp.demo.state.auto and console.auto_button.text() == "Stop auto-play"
    console.auto_requested.emit()
    assert not comp.demo.state.auto
    console.reset_requested.emit()
    assert comp.demo.state.current is None
    assert console.position.text() == "Ready: 2 steps"
