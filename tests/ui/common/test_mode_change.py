"""ui/common/mode_change.py: one ordered list of named steps per mode change, groups superseded."""

from __future__ import annotations

import time

from presto_desktop.ui.common.mode_change import TURN_BUDGET_S, ModeChange, Step


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


def _turns(change: ModeChange, monkeypatch) -> list[int]:
    """A list that gets one entry per loop turn the change runs (its length counts them)."""
    turns: list[int] = []
    real = ModeChange._turn

    def counted(self: ModeChange, token: int) -> None:
        if token == self._token:
            turns.append(token)
        real(self, token)

    monkeypatch.setattr(ModeChange, "_turn", counted)
    return turns


def test_a_step_expected_to_be_costly_gets_a_turn_of_its_own(qapp, qtbot, monkeypatch):
    change, ran = ModeChange(), []
    turns = _turns(change, monkeypatch)
    change._cost["restyle:repaint"] = 1.0  # as measured last time (CPU seconds)
    change.replace("restyle", _steps("restyle", ["announce", "repaint", "hidden"], ran))
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == ["announce", "repaint", "hidden"]
    # announce alone (the repaint would not fit), then the repaint with the cheap step after
    # it (a turn always runs one step; `hidden` was never timed and fits the rest).
    assert len(turns) == 2


def test_cheap_steps_share_a_turn(qapp, qtbot, monkeypatch):
    change, ran = ModeChange(), []
    turns = _turns(change, monkeypatch)
    names = ["persona", "metrics", "tabs", "chat"]
    change._cost.update({f"content:{name}": 0.0001 for name in names})
    change.replace("content", _steps("content", names, ran))
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == names and len(turns) == 1


def test_appended_steps_come_after_everything_queued(qapp, qtbot):
    change, ran = ModeChange(), []
    change.replace("restyle", _steps("restyle", ["root"], ran))
    change.replace("content", _steps("content", ["persona", "tabs", "chat"], ran))
    change.append(_steps("restyle", ["repaint"], ran))
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == ["root", "persona", "tabs", "chat", "repaint"]


def test_a_repeating_step_runs_until_it_is_done(qapp, qtbot):
    change, ran = ModeChange(), []
    pieces = iter(range(3))

    def piece() -> bool:
        ran.append(f"piece {next(pieces)}")
        return len(ran) < 4  # "first" ran before: three pieces, the last says it is done

    change.replace("restyle", [Step("restyle:first", lambda: ran.append("first")),
                               Step("restyle:ahead", piece, repeat=True),
                               Step("restyle:repaint", lambda: ran.append("repaint"))])
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == ["first", "piece 0", "piece 1", "piece 2", "repaint"]


def test_a_step_that_is_not_repeating_runs_once_whatever_it_returns(qapp, qtbot):
    change, ran = ModeChange(), []
    change.replace("restyle", [Step("restyle:announce", lambda: ran.append("x") or True)])
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert ran == ["x"]  # a signal's emit() returns True: that is no request to run again


def test_a_repeating_step_shares_the_turn_budget(qapp, qtbot, monkeypatch):
    """Pieces expected to cost a whole turn each run one per turn."""
    change = ModeChange()
    turns = _turns(change, monkeypatch)
    left = [3]

    def piece() -> bool:
        ends = time.thread_time() + TURN_BUDGET_S * 1.2  # more CPU than a turn's budget
        while time.thread_time() < ends:
            pass
        left[0] -= 1
        return left[0] > 0

    change.replace("restyle", [Step("restyle:ahead", piece, repeat=True)])
    qtbot.waitUntil(lambda: idle(change), timeout=2000)
    assert left == [0] and len(turns) == 3
