"""Start-up's background work waits for the window's own start-up turns."""

from __future__ import annotations

from PySide6.QtCore import QObject

from presto_desktop.ui.common.mode_change import ModeChange, Step
from presto_desktop.ui.shell import quiet
from presto_desktop.ui.shell.quiet import when_quiet


def test_work_waits_while_busy_and_runs_once_quiet(qapp, qtbot):
    owner, ran, busy = QObject(), [], [True]
    when_quiet(owner, lambda: busy[0], lambda: ran.append("work"))
    qtbot.wait(3 * quiet.QUIET_POLL_MS)
    assert ran == []
    busy[0] = False
    qtbot.waitUntil(lambda: ran == ["work"], timeout=2000)


def test_a_window_that_stays_busy_does_not_hold_the_work_for_ever(qapp, qtbot, monkeypatch):
    monkeypatch.setattr(quiet, "QUIET_MAX_MS", 3 * quiet.QUIET_POLL_MS)
    owner, ran = QObject(), []
    when_quiet(owner, lambda: True, lambda: ran.append("work"))
    qtbot.waitUntil(lambda: ran == ["work"], timeout=2000)


def test_a_mode_change_is_busy_until_its_steps_ran(qapp, qtbot):
    change, ran = ModeChange(), []
    change.replace("content", [Step("content:persona", lambda: ran.append("persona"))])
    assert change.busy
    qtbot.waitUntil(lambda: not change.busy, timeout=2000)
    assert ran == ["persona"]
