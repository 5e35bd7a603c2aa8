"""ui/common/mode_change.py: one ordered list of named steps per mode change, groups superseded."""

from __future__ import annotations

from presto_desktop.ui.common.mode_change import ModeChange, Step


def _steps(group: str, names: list[str], ran: list[str]) -> list[Step]:
    return [Step(f"{group}:{name}", lambda name=name: ran.append(name)) for name in names]


def idle(change: ModeChange) -> bool:
    return not change.pending("content") and not change.pending("restyle")


def test_steps_run_in_order_on_later_turns(qapp, qtbot):
    change, ran = ModeChange(), []
    change.replace("content", _steps("content", ["persona", "tabs"], ran))
    change.replace("restyle", _steps("restyle", ["announce", "repaint"], ran))
    assert ran == [] and change.pending("content:tabs") and change.pending("restyle")
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == ["persona", "announce", "tabs", "repaint"]  # the groups take turns
    assert not change.pending("content")


def test_a_newer_change_replaces_only_its_own_group(qapp, qtbot):
    change, ran = ModeChange(), []
    change.replace("content", _steps("content", ["old"], ran))
    change.replace("restyle", _steps("restyle", ["repaint"], ran))
    change.replace("content", _steps("content", ["new"], ran))
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == ["repaint", "new"]  # the restyle that began still ends with its repaint


def test_a_step_may_queue_more(qapp, qtbot):
    change, ran = ModeChange(), []
    more = _steps("restyle", ["late"], ran)
    change.replace("content", [Step("content:first", lambda: change.replace("restyle", more))])
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == ["late"]
