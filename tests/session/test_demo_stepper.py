"""DemoStepper: what a clicker press does at each point of a script, against a fake stage; no Qt."""

from __future__ import annotations

import random

import pytest

from presto_desktop.core.demo_script import parse_script
from presto_desktop.core.errors import ModeNotFoundError
from presto_desktop.session.demo_state import DemoState
from presto_desktop.session.demo_stepper import Activity, DemoStepper
from presto_desktop.session.typing_plan import CAP_S, plan_duration, typing_plan
from tests.factories import make_mode


class FakeStage:
    """Records what the stepper asks; the test plays the window (busy, typing done, timers)."""

    def __init__(self) -> None:
        self.mode = make_mode("default", company="Presto Assistant")
        self.modes = {"default": self.mode, "banking": make_mode("banking", company="Bank")}
        self.is_busy = False
        self.calls: list[tuple[str, object]] = []
        self.states: list[DemoState] = []
        self.timer: float | None = None
        self.watching = False

    def _log(self, name: str, value: object = None) -> None:
        self.calls.append((name, value))

    def busy(self) -> bool:
        return self.is_busy

    def current_mode(self):  # noqa: ANN201
        return self.mode

    def type_text(self, text: str) -> None:
        self._log("type", text)

    def finish_typing(self) -> None:
        self._log("finish")

    def cancel_typing(self) -> None:
        self._log("cancel")

    def send(self) -> None:
        self._log("send")

    def open_mode(self, mode_id: str) -> None:
        if mode_id not in self.modes:
            raise ModeNotFoundError(f"no mode {mode_id!r}")
        self.mode = self.modes[mode_id]
        self._log("open", mode_id)

    def click_tab(self, index: int) -> None:
        self._log("tab", index)

    def start_timer(self, seconds: float) -> None:
        self.timer = seconds

    def stop_timer(self) -> None:
        self.timer = None

    def watch(self, on: bool) -> None:
        self.watching = on

    def stop_activity(self) -> None:
        self._log("stop")

    def fresh_conversations(self, mode_ids: set[str]) -> None:
        self._log("fresh", sorted(mode_ids))

    def show_mode(self, mode_id: str) -> None:
        self.mode = self.modes[mode_id]
        self._log("show", mode_id)

    def publish(self, state: DemoState) -> None:
        self.states.append(state)

    def names(self) -> list[str]:
        return [name for name, _ in self.calls]


SCRIPT = parse_script(b'{"title": "T", "steps": [{"say": "Hello there"}, {"pause": 2},'
                      b' {"mode": "banking"}, {"tab": "orders"}, {"wait": "reply", "timeout": 5}]}')


@pytest.fixture
def stage() -> FakeStage:
    return FakeStage()


def test_a_say_is_typed_then_sent_then_waits_for_the_reply(stage):
    stepper = DemoStepper(stage, clock=lambda: 100.0)
    stepper.load(SCRIPT)
    assert stage.states[-1].loaded and stage.states[-1].index == 0
    stepper.advance()
    assert stage.calls == [("type", "Hello there")]
    assert stage.states[-1].running and stage.states[-1].index == 1
    assert stage.states[-1].started_at == 100.0
    stepper.advance()  # a second press finishes the typing at once
    assert stage.names()[-1] == "finish"
    stage.is_busy = True  # sending starts the reply
    stepper.typed()
    assert stage.names()[-1] == "send" and stepper.activity is Activity.WAITING and stage.watching
    stepper.advance()  # a reply cannot be hurried
    assert stepper.activity is Activity.WAITING
    stepper.settled()
    assert stepper.activity is Activity.WAITING
    stage.is_busy = False
    stepper.settled()
    assert stepper.activity is Activity.IDLE and not stage.watching
    assert not stage.states[-1].running and stage.states[-1].next_text() == "pause: 2 s"


def test_a_pause_ends_on_its_timer_or_on_a_press(stage):
    stepper = DemoStepper(stage)
    stepper.load(parse_script(b'{"title": "T", "steps": [{"pause": 2}, {"pause": 3}]}'))
    stepper.advance()
    assert stage.timer == 2 and stage.states[-1].running
    stepper.timer_fired()
    assert not stage.states[-1].running and stage.states[-1].index == 1
    stepper.advance()
    assert stage.timer == 3
    stepper.advance()  # ends the pause early
    assert stage.timer is None and stage.states[-1].done


def test_a_step_that_fails_pauses_the_script_and_the_next_press_goes_on(stage):
    stepper = DemoStepper(stage)
    script = parse_script(b'{"title": "T", "steps": [{"mode": "nowhere"}, {"tab": "Nope"},'
                          b' {"say": "hi"}]}')
    stepper.load(script)
    stepper.set_auto(True)  # auto-play stops at the failure
    state = stage.states[-1]
    assert "nowhere" in state.error and not state.auto and not state.running
    assert state.index == 1
    stepper.advance()
    assert "has no tab 'Nope'" in stage.states[-1].error and "Orders" in stage.states[-1].error
    stepper.advance()
    assert stage.states[-1].error == "" and stage.calls[-1] == ("type", "hi")
    stage.is_busy = True
    stepper.typed()
    stepper.failed("The server said 503\nretry later")
    assert stage.states[-1].error == "The server said 503 retry later"
    assert stepper.activity is Activity.IDLE


def test_a_failure_nobody_asked_for_is_not_the_scripts(stage):
    stepper = DemoStepper(stage)
    stepper.load(SCRIPT)
    stepper.failed("someone typed and it failed")
    assert stage.states[-1].error == ""


def test_a_step_waits_for_the_window_before_it_types(stage):
    stepper = DemoStepper(stage)
    stepper.load(SCRIPT)
    stage.is_busy = True
    stepper.advance()
    assert stepper.activity is Activity.BLOCKED and stage.calls == [] and stage.watching
    stage.is_busy = False
    stepper.settled()
    assert stage.calls == [("type", "Hello there")]


def test_auto_play_runs_every_step_with_a_beat_between(stage):
    stepper = DemoStepper(stage, auto_gap_s=0.5)
    stepper.load(SCRIPT)
    stepper.set_auto(True)
    stepper.typed()  # nothing streams: the say is done at once
    assert stepper.activity is Activity.GAP and stage.timer == 0.5
    stepper.timer_fired()
    assert stage.timer == 2  # the pause
    stepper.timer_fired()
    stepper.timer_fired()  # the beat; the mode step is done at once
    assert ("open", "banking") in stage.calls
    stepper.timer_fired()  # the beat; the tab: "orders" is make_mode's one tab
    assert stage.calls[-1] == ("tab", 0)
    stepper.timer_fired()  # the beat; nothing to wait for
    assert stage.states[-1].done and stage.states[-1].auto


def test_a_wait_times_out_with_one_line(stage):
    stepper = DemoStepper(stage)
    stepper.load(parse_script(b'{"title": "T", "steps": [{"wait": "reply", "timeout": 5}]}'))
    stage.is_busy = True
    stepper.advance()
    assert stage.timer == 5
    stepper.timer_fired()
    assert stage.states[-1].error == "no reply within 5 s"


def test_reset_returns_to_the_first_mode_with_fresh_conversations(stage):
    stepper = DemoStepper(stage)
    stepper.load(SCRIPT)
    stepper.advance()
    stepper.typed()
    stepper.advance()
    stepper.advance()  # end the pause
    stepper.advance()  # mode: banking
    stepper.mode_shown("banking")
    assert stage.mode.id == "banking"
    stepper.reset()
    assert ("fresh", ["banking", "default"]) in stage.calls
    assert stage.calls[-1] == ("show", "default")
    state = stage.states[-1]
    assert state.index == 0 and state.started_at is None and not state.running
    assert stepper.touched == set()


def test_reset_waits_for_stopped_work_to_end(stage):
    stepper = DemoStepper(stage)
    stepper.load(SCRIPT)
    stepper.advance()
    stage.is_busy = True
    stepper.typed()
    stepper.reset()
    assert stage.names()[-1] == "stop" and stepper.activity is Activity.RESETTING
    stepper.failed("cancelled")  # the stopped work's own news is not an error
    stage.is_busy = False
    stepper.settled()
    assert stage.calls[-1] == ("show", "default") and stage.states[-1].error == ""


def test_typing_plan_starts_at_once_and_is_capped():
    short = typing_plan("Hi there", random.Random(1))
    assert short[0] == (1, 0.0) and short[-1][0] == len("Hi there")
    assert 0.2 < plan_duration(short) < 0.6
    long = typing_plan("word " * 300, random.Random(2))
    assert plan_duration(long) <= CAP_S + 1e-9
    assert all(delay >= 1 / 60 - 1e-9 for _count, delay in long[1:-1])  # never faster than a frame
    assert [count for count, _ in long] == sorted(count for count, _ in long)
    assert typing_plan("") == []
