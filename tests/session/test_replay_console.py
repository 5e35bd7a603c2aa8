"""session/replay_console.py: a replay's steps as the presenter console's snapshots."""

from __future__ import annotations

from presto_desktop.core.demo_events import StepStarted, UserSaid
from presto_desktop.session.replay_console import replay_state, replay_steps

STEPS = [StepStarted(1, 3, "say", "say: hello", note="smile"),
         StepStarted(2, 3, "pause", "pause 2 s"),
         StepStarted(3, 3, "say", "say: bye", note="wave")]


def test_a_recording_typed_in_the_window_has_no_steps() -> None:
    assert replay_steps([UserSaid("hi")]) == []
    assert replay_steps([UserSaid("hi"), *STEPS]) == STEPS


def test_before_during_and_after_the_steps() -> None:
    ready = replay_state("Replay: Demo", STEPS, 0, started_at=5.0)
    assert ready.loaded and ready.replaying and not ready.started and not ready.done
    assert (ready.current_text(), ready.next_text(), ready.next_note()) == (
        "", "say: hello", "smile")
    second = replay_state("Replay: Demo", STEPS, 2, started_at=5.0)
    assert (second.index, second.total, second.running) == (2, 3, True)
    assert (second.current_text(), second.next_text(), second.next_note()) == (
        "pause 2 s", "say: bye", "wave")
    last = replay_state("Replay: Demo", STEPS, 3, started_at=5.0)
    assert last.next_text() == "" and not last.done  # the last step still plays
    done = replay_state("Replay: Demo", STEPS, 3, started_at=5.0, finished=True)
    assert done.done and done.index == 3 and done.current_text() == "say: bye"
    failed = replay_state("Replay: Demo", STEPS, 2, started_at=5.0, error="no network")
    assert failed.error == "no network" and failed.started_at == 5.0


def test_no_steps_gives_a_title_only() -> None:
    state = replay_state("Replay: typed", [], 0, started_at=None)
    assert not state.loaded and state.title == "Replay: typed" and state.replaying
