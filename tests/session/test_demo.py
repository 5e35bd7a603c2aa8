"""DemoRunner: a script stepped against ModeService and an engine, as events; no Qt."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.demo_events import (
    DemoEvent,
    ModeApplied,
    ReplyDelta,
    ReplyDone,
    StepFailed,
    StepStarted,
    ToolCalled,
    UserSaid,
)
from presto_desktop.core.demo_script import DemoScript, parse_script
from presto_desktop.core.models import Mode
from presto_desktop.core.store import ModeStore
from presto_desktop.core.triggers import ASK_REPLY, ModeRequest
from presto_desktop.engines.base import ChatEvent, Done, ErrorEvent, TextDelta
from presto_desktop.session.demo import DemoRunner
from presto_desktop.session.modes import ModeService
from tests.factories import make_mode, store_with_default

CHART = ToolCall("show_chart", {"type": "bar", "title": "Orders", "points": [{"label": "a", "value": 1.0}]})


class ScriptedEngine:
    """Answers every message with "re: <message>" in two chunks and a chart; can fail on a word."""

    kind = "offline"
    label = "Scripted"

    def __init__(self, fail_on: str | None = None, gate: asyncio.Event | None = None) -> None:
        self.fail_on, self.gate = fail_on, gate
        self.calls: list[tuple[str, list[ChatMessage], str]] = []

    async def generate_mode(self, request: ModeRequest) -> Mode:
        return make_mode(request.slug, industry=request.industry, company="Bloom & Co", request_key="")

    async def stream_chat(self, mode: Mode, history: list[ChatMessage],
                          message: str) -> AsyncIterator[ChatEvent]:
        self.calls.append((mode.id, list(history), message))
        if self.gate is not None:
            await self.gate.wait()
        if self.fail_on and self.fail_on in message:
            yield ErrorEvent("the server said 503", retryable=True)
            return
        yield TextDelta("re: ")
        yield CHART
        yield TextDelta(message)
        yield Done()

    async def aclose(self) -> None:
        return None


def script(*steps: dict[str, object]) -> DemoScript:
    import json

    return parse_script(json.dumps({"title": "Test", "steps": list(steps)}).encode())


def runner(tmp_path: Path, demo: DemoScript, engine: ScriptedEngine,
           sleeps: list[float] | None = None) -> tuple[DemoRunner, list[DemoEvent], ModeStore]:
    store = store_with_default(tmp_path)
    store.save(make_mode("banking", industry="banking", company="Meridian Bank"))
    events: list[DemoEvent] = []

    async def sleep(seconds: float) -> None:
        (sleeps if sleeps is not None else []).append(seconds)

    run = DemoRunner(demo, ModeService(store, engine), store, store.default_mode(), events.append,
                     sleep=sleep)
    return run, events, store


def test_a_trigger_switches_and_welcomes_then_chat_streams(tmp_path: Path) -> None:
    engine = ScriptedEngine()
    run, events, store = runner(tmp_path, script({"say": "Presto-Change-O, you're a florist"},
                                                 {"say": "Show my orders", "note": "chart!"}), engine)
    assert asyncio.run(run.run()) is True
    florist = store.get("florist")
    assert events == [
        StepStarted(1, 2, "say", "say: Presto-Change-O, you're a florist"),
        UserSaid("Presto-Change-O, you're a florist"),
        ModeApplied(florist, "generated"),
        ReplyDone("Welcome to Bloom & Co!"),
        StepStarted(2, 2, "say", "say: Show my orders", "chart!"),
        UserSaid("Show my orders"),
        ReplyDelta("re: "), ToolCalled(CHART), ReplyDelta("Show my orders"),
        ReplyDone("re: Show my orders"),
    ]
    # The engine saw the trigger and the welcome as history, in the new mode.
    mode_id, history, message = engine.calls[0]
    assert mode_id == "florist" and message == "Show my orders"
    assert [m.content for m in history] == ["Presto-Change-O, you're a florist", "Welcome to Bloom & Co!"]
    assert run.current == florist and run.done


def test_mode_tab_pause_and_back_to_normal(tmp_path: Path) -> None:
    sleeps: list[float] = []
    run, events, _ = runner(tmp_path, script({"mode": "banking"}, {"tab": "orders"}, {"pause": 1.5},
                                             {"say": "Presto-Change-O, back to normal"},
                                             {"mode": "banking"}), ScriptedEngine(), sleeps)
    assert asyncio.run(run.run()) is True
    assert sleeps == [1.5]
    kinds = [(type(e).__name__, getattr(e, "text", getattr(e, "how", ""))) for e in events
             if not isinstance(e, (StepStarted, ReplyDelta, ToolCalled))]
    assert kinds == [
        ("ModeApplied", "picked"), ("ReplyDone", "Welcome to Meridian Bank!"),
        ("UserSaid", "Show my orders"), ("ReplyDone", "re: Show my orders"),
        ("UserSaid", "Presto-Change-O, back to normal"), ("ModeApplied", "reset"),
        ("ReplyDone", "Welcome to Petal & Stem!"),
        ("ModeApplied", "picked"),  # banking's conversation goes on: no second welcome
    ]


def test_a_trigger_naming_no_business_asks(tmp_path: Path) -> None:
    run, events, _ = runner(tmp_path, script({"say": "Presto-Change-O, you're a"}), ScriptedEngine())
    assert asyncio.run(run.run()) is True
    assert events[-1] == ReplyDone(ASK_REPLY)


def test_the_same_mode_again_says_welcome_back(tmp_path: Path) -> None:
    trigger = {"say": "Presto-Change-O, you're a florist"}
    run, events, _ = runner(tmp_path, script(trigger, trigger), ScriptedEngine())
    assert asyncio.run(run.run()) is True
    assert events[-1] == ReplyDone("Welcome back to Bloom & Co.")


@pytest.mark.parametrize(("step", "phrase"), [
    ({"tab": "nope"}, "has no tab 'nope' (tabs: Orders)"),
    ({"mode": "missing"}, "missing"),
    ({"say": "please fail"}, "the server said 503"),
])
def test_a_failed_step_stops_the_script_with_one_message(tmp_path: Path, step: dict[str, object],
                                                         phrase: str) -> None:
    run, events, _ = runner(tmp_path, script(step, {"say": "never"}), ScriptedEngine(fail_on="fail"))
    assert asyncio.run(run.run()) is False
    assert isinstance(events[-1], StepFailed) and phrase in events[-1].message
    assert run.position == 1 and not run.done  # the script pauses at the failed step


def test_say_without_wait_streams_until_a_wait_step(tmp_path: Path) -> None:
    async def scenario() -> list[DemoEvent]:
        gate = asyncio.Event()
        run, events, _ = runner(tmp_path, script({"say": "slow one", "wait": False}, {"pause": 0},
                                                 {"wait": "reply"}), ScriptedEngine(gate=gate))
        assert await run.run_step() and await run.run_step()
        assert not any(isinstance(e, ReplyDone) for e in events)  # still streaming
        gate.set()
        assert await run.run_step()
        return events

    events = asyncio.run(scenario())
    assert events[-1] == ReplyDone("re: slow one")


def test_a_wait_step_times_out(tmp_path: Path) -> None:
    async def scenario() -> list[DemoEvent]:
        run, events, _ = runner(tmp_path, script({"say": "slow", "wait": False},
                                                 {"wait": "reply", "timeout": 0.01}),
                                ScriptedEngine(gate=asyncio.Event()))
        assert await run.run() is False
        await run.aclose()
        return events

    events = asyncio.run(scenario())
    assert events[-1] == StepFailed("no reply within 0.01 s")


def test_demo_run_prints_each_step(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                   tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    path.write_text('{"title": "Bank", "steps": [{"mode": "banking"}, {"pause": 0},'
                    ' {"say": "What\'s my balance?"}, {"tab": "nope"}]}', "utf-8")
    code = main(["--data-dir", str(data_dir), "--offline", "demo", "run", str(path), "--no-pauses"])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == "demo: Bank (4 steps, engine: Offline)"
    assert lines[1:4] == ["step 1/4 mode: banking", "mode: Meridian Trust Bank (banking, picked)",
                          lines[3]] and lines[3].startswith("assistant: Welcome to Meridian")
    assert "step 3/4 say: What's my balance?" in lines
    assert any(line.startswith('tool: {"name": "show_chart"') for line in lines)
    assert err.count("\n") == 1 and "step 4 failed: Meridian Trust Bank has no tab 'nope'" in err


def test_demo_run_refuses_a_bad_script_in_one_line(capsys: pytest.CaptureFixture[str],
                                                   data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"title": "x", "steps": [{"jump": 1}]}', "utf-8")
    assert main(["--data-dir", str(data_dir), "demo", "run", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.json: steps.0: a step needs one of" in err


def test_demo_run_imports_no_qt_or_openai(data_dir: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "demo.json"
    path.write_text('{"title": "t", "steps": [{"say": "Presto-Change-O, you\'re a bakery"},'
                    ' {"say": "hello"}]}', "utf-8")
    code = (
        "import sys; from presto_desktop.cli import main\n"
        f"assert main(['--data-dir', {str(data_dir)!r}, '--offline', 'demo', 'run', {str(path)!r}]) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync', 'openai')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
