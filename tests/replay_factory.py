"""Recordings built at test time (for the window's replay, `demo play --screenshot-dir` and the
replay benchmarks): a scripted demo of N steps across two modes, with charts and chips."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from presto_desktop.core.chat import ToolCall
from presto_desktop.core.demo_events import ModeApplied, StepStarted
from presto_desktop.core.models import Mode
from presto_desktop.core.recording import Recording, save_recording
from presto_desktop.session.recording import Recorder
from tests.factories import make_mode

STEP_S = 0.4  # recorded seconds per step


class StepClock:
    """A clock moved by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def chart(step: int) -> ToolCall:
    """A bar chart whose values depend on the step (each picture differs)."""
    points = [{"label": f"Week {i + 1}", "value": float((step * 7 + i * 13) % 50 + 5)}
              for i in range(5)]
    return ToolCall("show_chart", {"type": "bar", "title": f"Orders, step {step}",
                                   "points": points})


def two_modes() -> tuple[Mode, Mode]:
    """A florist and a bank, different palettes."""
    return (make_mode("florist", company="Petal & Stem", primary="#c2185b"),
            make_mode("banking", industry="banking", company="First Harbor Bank",
                      primary="#0d47a1", kind="banking", request_key="banking|"))


def demo_recording(steps: int = 6, *, title: str = "Test demo") -> Recording:
    """A scripted recording: a trigger, questions with streamed replies, charts, chips, and a
    switch to the other mode every 5 steps (a step's time is STEP_S)."""
    florist, bank = two_modes()
    clock = StepClock()
    recorder = Recorder("offline", "Offline", clock=clock,
                        now=lambda: datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    recorder.mode_applied(florist, "applied")
    current = florist
    for index in range(1, steps + 1):
        clock.now = index * STEP_S
        if index % 5 == 0:
            target = bank if current is florist else florist
            text = f"Presto-Change-O, you're {target.company_name}"
            recorder.record(StepStarted(index, steps, "say", f"say: {text}"))
            recorder.user_message(text)
            clock.now += 0.05
            recorder.record(ModeApplied(target, "saved"))
            recorder.reply_done(target.welcome_message)
            current = target
            continue
        text = f"Question {index}: show my orders"
        recorder.record(StepStarted(index, steps, "say", f"say: {text}",
                                    note=f"note {index}"))
        recorder.user_message(text)
        for part in ("Here are ", f"your orders for step {index}", ", **as a chart**."):
            clock.now += 0.02
            recorder.reply_chunk(part)
        recorder.tool_call(chart(index))
        if index % 3 == 0:
            recorder.tool_call(ToolCall("suggest_prompts",
                                        {"prompts": [f"Next {index}", "Show my balance"]}))
        recorder.reply_done(f"Here are your orders for step {index}, **as a chart**.")
    return recorder.recording(title)


def write_demo(path: Path, steps: int = 6) -> Path:
    """`demo_recording(steps)` saved at `path`."""
    return save_recording(demo_recording(steps), path)
