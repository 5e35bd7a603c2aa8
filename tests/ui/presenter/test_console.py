"""The presenter console renders DemoState snapshots (empty, running, error, done) and the
engine's status, runs a timer since the first step, and turns buttons and clicker keys into
intents."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from presto_desktop.core.demo_script import parse_script
from presto_desktop.session.demo_state import DemoState
from presto_desktop.ui.presenter.console import EMPTY_TEXT, PresenterConsole

SCRIPT = (b'{"title": "Florist <b>demo</b>", "steps": ['
          b'{"say": "Presto-Change-O, you\'re a florist"},'
          b'{"say": "Show my recent orders", "note": "point at the <i>chart</i>"},'
          b'{"pause": 2.0}]}')


class Clock:
    """A clock the test moves by hand (no waiting in tests)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def steps():
    return parse_script(SCRIPT).steps


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def console(qtbot, clock):
    widget = PresenterConsole(clock=clock)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def running(steps, clock, **changes) -> DemoState:
    state = DemoState(title="Florist <b>demo</b>", index=1, total=len(steps), current=steps[0],
                      next=steps[1], started_at=clock.now)
    from dataclasses import replace

    return replace(state, **changes)


def test_empty_state_invites_a_script(console):
    assert console.pages.currentIndex() == 0
    assert console.empty.text() == EMPTY_TEXT
    assert console.position.text() == "No script loaded"
    assert console.timer.text() == "0:00"
    for button in (console.next_button, console.auto_button, console.reset_button):
        assert not button.isEnabled()
    assert console.leave_button.isEnabled()
    assert console.error.isHidden()


def test_renders_current_and_next_step_with_its_note_as_plain_text(console, steps, clock):
    console.show_state(running(steps, clock))
    assert console.pages.currentIndex() == 1
    assert console.title.text() == "Florist <b>demo</b>"
    assert console.position.text() == "Step 1 of 3"
    assert console.now.text() == "say: Presto-Change-O, you're a florist"
    assert console.next.text() == "say: Show my recent orders"
    assert console.note.text() == "Note: point at the <i>chart</i>"
    assert console.note.isVisibleTo(console)
    # Script text is untrusted: every label shows it literally, never as rich text.
    for label in console.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert console.next_button.isEnabled() and console.reset_button.isEnabled()


def test_before_the_first_step_and_while_running(console, steps, clock):
    console.show_state(DemoState(title="t", total=3, next=steps[0]))
    assert console.position.text() == "Ready: 3 steps"
    assert console.now.text().startswith("Not started")
    assert console.timer.text() == "0:00"
    console.show_state(running(steps, clock, running=True, auto=True))
    assert console.position.text() == "Step 1 of 3 (running…) · auto-play"
    assert console.auto_button.text() == "Stop auto-play"
    assert console.auto_button.property("active") is True
    # A step without a note hides the note.
    console.show_state(running(steps, clock, index=2, current=steps[1], next=steps[2]))
    assert not console.note.isVisibleTo(console)
    assert console.auto_button.text() == "Auto-play"


def test_error_shows_as_one_line_and_a_window_error_clears_a_step_later(console, steps, clock):
    state = running(steps, clock).with_error("LLM failed:\n  rate <b>limited</b>")
    console.show_state(state)
    assert console.error.isVisibleTo(console)
    assert console.error.text() == "⚠ LLM failed: rate <b>limited</b>"
    console.show_state(running(steps, clock))
    assert console.error.isHidden()
    console.show_error("The new mode could not be created: timeout")
    assert console.error.text() == "⚠ The new mode could not be created: timeout"
    console.show_state(running(steps, clock, running=True))  # the same step: still there
    assert console.error.isVisibleTo(console)
    console.show_state(running(steps, clock, index=2, current=steps[1], next=steps[2]))
    assert console.error.isHidden()


def test_done_state_and_the_timer(console, steps, clock):
    started = clock.now
    console.show_state(running(steps, clock))
    assert console.timer.text() == "0:00"
    clock.now += 75
    console.tick()
    assert console.timer.text() == "1:15"
    clock.now += 10
    done = DemoState(title="t", index=3, total=3, current=steps[2], next=None,
                     started_at=started)
    assert done.done
    console.show_state(done)
    assert console.position.text() == "Done: all 3 steps performed"
    assert console.next.text() == "End of the script"
    assert not console.next_button.isEnabled() and not console.auto_button.isEnabled()
    assert console.reset_button.isEnabled()
    assert console.timer.text() == "1:25"
    clock.now += 600
    console.tick()
    assert console.timer.text() == "1:25"  # stopped when the script finished
    console.show_state(DemoState(title="t", total=3, next=steps[0]))  # reset
    assert console.timer.text() == "0:00"


def test_engine_status(console):
    assert console.engine.text() == "Engine: offline"
    console.set_engine("Offline")
    assert console.engine.text() == "Engine: offline"
    assert console.engine.property("kind") == "offline"
    console.set_engine("gpt-4o-mini")
    assert console.engine.text() == "Engine: gpt-4o-mini · online"
    assert console.engine.property("kind") == "online"


def test_screens_choice(console, qtbot):
    console.set_screens(["Laptop"], "Laptop", True)
    assert console.screens.isHidden()  # one screen: nothing to choose
    assert console.full_screen.isChecked()
    console.set_screens(["Laptop", "Projector"], "Projector", False)
    assert console.screens.isVisibleTo(console)
    assert console.screens.currentData() == "Projector"
    with qtbot.waitSignal(console.full_screen_toggled) as toggled:
        console.full_screen.click()
    assert toggled.args == [True]
    with qtbot.waitSignal(console.screen_chosen) as chosen:
        console.screens.activated.emit(0)
    assert chosen.args == ["Laptop"]
    console.set_compact(True)
    assert console.screen_row.isHidden()
    console.set_compact(False)
    assert console.screen_row.isVisibleTo(console)


def test_buttons_emit_intents(console, steps, clock, qtbot):
    console.show_state(running(steps, clock))
    for button, signal in ((console.next_button, console.next_requested),
                           (console.auto_button, console.auto_requested),
                           (console.reset_button, console.reset_requested),
                           (console.leave_button, console.leave_requested)):
        with qtbot.waitSignal(signal, timeout=1000):
            button.click()


@pytest.mark.parametrize("key", [Qt.Key.Key_Right, Qt.Key.Key_PageDown, Qt.Key.Key_Space])
def test_clicker_keys_step(console, steps, clock, qtbot, key):
    console.show_state(running(steps, clock))
    console.activateWindow()
    qtbot.waitActive(console)
    with qtbot.waitSignal(console.next_requested, timeout=1000):
        qtbot.keyClick(console, key)


@pytest.mark.parametrize("key", [Qt.Key.Key_Escape, Qt.Key.Key_F5])
def test_escape_and_f5_leave(console, qtbot, key):
    console.activateWindow()
    qtbot.waitActive(console)
    with qtbot.waitSignal(console.leave_requested, timeout=1000):
        qtbot.keyClick(console, key)


def test_closing_the_console_asks_to_leave(console, qtbot):
    with qtbot.waitSignal(console.leave_requested, timeout=1000):
        console.close()
