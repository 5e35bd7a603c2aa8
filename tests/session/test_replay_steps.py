"""A recording's steps (one picture each): script steps, else user turns and modes picked."""

from __future__ import annotations

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.demo_events import (
    ModeApplied,
    ReplyDelta,
    ReplyDone,
    StepFailed,
    StepStarted,
    ToolCalled,
    UserSaid,
)
from presto_desktop.core.recording import timed_events
from presto_desktop.session.replay_steps import step_count, step_starts
from tests.factories import make_mode
from tests.replay_factory import demo_recording

MODE = make_mode()
OTHER = make_mode("bank", industry="banking", company="Bank", primary="#0d47a1")


def test_script_steps_begin_steps_and_the_starting_mode_joins_the_first() -> None:
    events = [ModeApplied(MODE), StepStarted(1, 2, "say", "hi"), UserSaid("hi"),
              ReplyDelta("he"), ReplyDone("hello"), StepStarted(2, 2, "pause", "pause"),
              StepFailed("boom")]
    assert step_starts(events) == [0, 5]


def test_a_recording_from_the_window_steps_on_user_turns_and_picked_modes() -> None:
    events = [ModeApplied(MODE), ReplyDone("welcome"),  # a step of its own: the welcome
              UserSaid("q1"), ReplyDelta("a"), ToolCalled(ToolCall("show_metrics", {})),
              ReplyDone("a"),
              UserSaid("Presto-Change-O, you're a bank"), ModeApplied(OTHER), ReplyDone("hi"),
              ModeApplied(MODE), ReplyDone("Welcome back")]  # picked in the library
    assert step_starts(events) == [0, 2, 6, 9]


def test_a_first_turn_with_only_the_mode_before_it_is_the_first_step() -> None:
    assert step_starts([ModeApplied(MODE), UserSaid("q"), ReplyDone("a"), UserSaid("r")]) == [0, 3]
    assert step_starts([ModeApplied(MODE)]) == [0]
    assert step_starts([]) == []


def test_the_factory_recording_has_one_step_per_script_step() -> None:
    recording = demo_recording(7)
    assert step_count([event for _t, event in timed_events(recording)]) == 7
