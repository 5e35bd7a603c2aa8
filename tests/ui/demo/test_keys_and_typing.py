"""StepKeys in any watched window (the presenter console too), and the typing animation alone."""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from presto_desktop.ui.demo.keys import StepKeys
from presto_desktop.ui.demo.typing import TypingAnimation


def _window(qtbot) -> tuple[QWidget, QLineEdit, QPushButton]:  # noqa: ANN001
    window = QWidget()
    qtbot.addWidget(window)
    field, button = QLineEdit(window), QPushButton("Go", window)
    layout = QVBoxLayout(window)
    layout.addWidget(field)
    layout.addWidget(button)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # keys go where the focus is, as on a desktop
    return window, field, button


def test_step_keys_work_in_every_watched_window_and_only_while_active(qapp, qtbot):
    active = [True]
    keys = StepKeys(lambda: active[0])
    steps: list[int] = []
    keys.step.connect(lambda: steps.append(1))
    console, field, button = _window(qtbot)
    keys.watch(console)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Right)
    qtbot.keyClick(field, Qt.Key.Key_PageDown)
    qtbot.keyClick(field, Qt.Key.Key_Space)  # a space where people type
    assert len(steps) == 2 and field.text() == " "
    clicked: list[bool] = []
    button.clicked.connect(lambda: clicked.append(True))
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)  # on a button Space steps (and does not click)
    assert len(steps) == 3 and clicked == []
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # selection
    assert len(steps) == 3
    active[0] = False
    qtbot.keyClick(field, Qt.Key.Key_Right)
    assert len(steps) == 3
    other, other_field, _ = _window(qtbot)  # not watched: its keys are its own
    active[0] = True
    other_field.setFocus()
    qtbot.keyClick(other_field, Qt.Key.Key_Right)
    assert len(steps) == 3


def test_typing_types_everything_then_says_so(qapp, qtbot):
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    typing = TypingAnimation(editor, rng=random.Random(3))
    editor.setPlainText("left over")
    with qtbot.waitSignal(typing.finished, timeout=5000):
        typing.start("Hello, florist")
        assert editor.toPlainText() == "H" and typing.active
    assert editor.toPlainText() == "Hello, florist" and not typing.active
    typing.start("Another one")
    with qtbot.waitSignal(typing.finished, timeout=1000):
        typing.finish()
    assert editor.toPlainText() == "Another one"
    typing.start("Cancelled")
    typing.cancel()
    assert editor.toPlainText() == "" and not typing.active


def test_enter_while_typing_finishes_the_text_instead_of_sending_part_of_it(qapp, qtbot):
    from presto_desktop.ui.chat.composer import Composer

    composer = Composer()
    qtbot.addWidget(composer)
    sent: list[str] = []
    composer.send_requested.connect(lambda: sent.append(composer.toPlainText()))
    typing = TypingAnimation(composer, rng=random.Random(5))
    typing.finished.connect(composer.send_requested)  # as the stepper sends once typed
    typing.start("Show my recent orders")
    qtbot.keyClick(composer, Qt.Key.Key_X)  # a stray key waits; it does not mix in
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == ["Show my recent orders"] and not typing.active
    qtbot.keyClick(composer, Qt.Key.Key_Return)  # once typed, Enter is Enter again
    assert len(sent) == 2
