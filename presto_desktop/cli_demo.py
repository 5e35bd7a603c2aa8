"""`presto-desktop demo run|play` and `schema --demo`: headless, no Qt, no openai.

`demo run SCRIPT.json` steps through a script with the active engine and prints each step
(`step 1/4 say: ...`, `mode: ...`, `assistant: ...`, `tool: {json}`); a failed step is one line
on stderr and exit 1. Imported while the window's parser is built: asyncio and the models
load only when a demo command runs (the window's first frame comes before them).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from presto_desktop.core.demo_events import DemoEvent
    from presto_desktop.core.demo_script import DemoScript
    from presto_desktop.core.models import Mode
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.core.recording import Recording
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore
    from presto_desktop.engines.base import Engine
    from presto_desktop.session.recording import Recorder
    from presto_desktop.ui.replay.wiring import Composed

Services = Callable[[argparse.Namespace], "tuple[AppPaths, ModeStore, Settings]"]
EngineFactory = Callable[[argparse.Namespace, "Settings"], "Engine"]


def add_presenter_parsers(commands: argparse._SubParsersAction[Any],
                          common: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `demo` and `conversations` commands."""
    from presto_desktop.cli_conversations import add_conversations_parser

    add_demo_parser(commands, common)
    add_conversations_parser(commands, common)


def run_presenter(prog: str, args: argparse.Namespace, services: Services,
                  engine: EngineFactory) -> int:
    """Run `demo ...` or `conversations ...`: the exit code."""
    if args.command == "conversations":
        from presto_desktop.cli_conversations import run_conversations

        return run_conversations(args, services(args)[0])
    return run_demo(prog, args, services, engine)


def add_demo_parser(commands: argparse._SubParsersAction[Any],
                    common: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `demo` command and its actions."""
    demo = commands.add_parser("demo", help="run a demo script headless")
    common(demo)
    actions = demo.add_subparsers(dest="action", required=True,
                                  parser_class=type(demo))
    run = actions.add_parser("run", help="run a demo script with the active engine, printing "
                             "each step")
    common(run)
    run.add_argument("script", metavar="SCRIPT.json")
    run.add_argument("--mode", metavar="ID", help="mode to start in (default: the last mode)")
    run.add_argument("--no-pauses", action="store_true", help="skip the script's pauses")
    run.add_argument("--record", metavar="OUT.presto", help="record the run into a .presto file")
    run.add_argument("--force", action="store_true", help="overwrite OUT.presto if it exists")
    play = actions.add_parser("play", help="replay a .presto recording (no network, no key), "
                              "printing each step")
    common(play)
    play.add_argument("recording", metavar="FILE.presto")
    pace = play.add_mutually_exclusive_group()
    pace.add_argument("--speed", type=float, default=1.0, metavar="X",
                      help="play X times faster (default 1: the recorded pace)")
    pace.add_argument("--instant", action="store_true", help="no waiting between events")
    play.add_argument("--screenshot-dir", metavar="DIR",
                      help="replay into the window offscreen and write one PNG per step there "
                      "(step-001.png, ...); the same recording gives the same pictures")


# Options of the window's command line that take a value (the word after is not a file).
VALUE_OPTIONS = ("--data-dir", "--base-url", "--model", "--mode", "--screenshot", "--demo")


def split_recording(argv: list[str]) -> tuple[list[str], Path | None]:
    """`presto-desktop [options] FILE.presto`: the arguments without the recording, and it.

    Only when the first word that is not an option is a `.presto` file (a subcommand's own
    arguments are left alone), so the window's `.desktop` entry can pass `%f`.
    """
    skip = False
    for index, word in enumerate(argv):
        if skip or word == "--":
            skip = False
            continue
        if word in VALUE_OPTIONS:
            skip = True
        elif not word.startswith("-"):
            if word.lower().endswith(".presto"):
                return argv[:index] + argv[index + 1:], Path(word).expanduser().resolve()
            break
    return argv, None


def print_schema(*, recording: bool = False) -> int:
    """Print the JSON Schema of a demo script (or of a .presto recording)."""
    if recording:
        from presto_desktop.core.recording import recording_schema

        print(json.dumps(recording_schema(), indent=2))
        return 0
    from presto_desktop.core.demo_script import schema_text

    print(schema_text())
    return 0


class _Printer:
    """Prints demo events as lines; remembers a failure."""

    def __init__(self, prog: str) -> None:
        self.prog = prog
        self.failure: str | None = None
        self._step = 0
        self._kind = ""

    def __call__(self, event: DemoEvent) -> None:
        """One event, printed (deltas are printed whole with their reply)."""
        from presto_desktop.core import demo_events as ev

        if isinstance(event, ev.StepStarted):
            self._step, self._kind = event.index, event.kind
            print(f"step {event.index}/{event.total} {_one_line(event.text)}", flush=True)
        elif isinstance(event, ev.UserSaid) and self._kind == "tab":
            print(f"you: {_one_line(event.text)}", flush=True)
        elif isinstance(event, ev.ModeApplied):
            print(f"mode: {event.mode.company_name} ({event.mode.id}, {event.how})", flush=True)
        elif isinstance(event, ev.ToolCalled):
            call = {"name": event.call.name, "arguments": event.call.arguments}
            print(f"tool: {json.dumps(call)}", flush=True)
        elif isinstance(event, ev.ReplyDone):
            print(f"assistant: {event.text}", flush=True)
        elif isinstance(event, ev.StepFailed):
            self.failure = f"step {self._step} failed: {event.message}"
            sys.stderr.write(f"{self.prog}: {self.failure}\n")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def run_demo(prog: str, args: argparse.Namespace, services: Services,
             engine: EngineFactory) -> int:
    """`demo run` or `demo play`: the exit code."""
    if args.action == "play":
        return play_recording(prog, args)
    import asyncio

    from presto_desktop.core.demo_script import load_script

    script = load_script(Path(args.script))  # refused in one line before anything starts
    if args.record:
        _check_target(Path(args.record), args.force)
    _paths, store, settings = services(args)
    start = store.get(args.mode or settings.last_mode or "default")
    return asyncio.run(_run(prog, args, script, store, start, engine(args, settings)))


async def _skip(_seconds: float) -> None:
    """`--no-pauses`: a pause step only yields."""
    import asyncio

    await asyncio.sleep(0)


async def _run(prog: str, args: argparse.Namespace, script: DemoScript, store: ModeStore,
               start: Mode, chat: Engine) -> int:
    import asyncio

    from presto_desktop.session.demo import DemoRunner
    from presto_desktop.session.modes import ModeService
    from presto_desktop.session.recording import Recorder

    printer = _Printer(prog)
    recorder = Recorder(chat.kind, chat.label)
    print(f"demo: {_one_line(script.title)} ({len(script.steps)} steps, engine: {chat.label})",
          flush=True)

    def sink(event: DemoEvent) -> None:
        printer(event)
        recorder.record(event)

    recorder.mode_applied(start, "applied")  # a replay starts where the run started
    runner = DemoRunner(script, ModeService(store, chat), store, start, sink,
                        sleep=_skip if args.no_pauses else asyncio.sleep)
    try:
        ok = await runner.run()
    finally:
        await runner.aclose()
        await chat.aclose()
    if args.record:
        _save(recorder, script.title, Path(args.record), args.force)
    return 0 if ok else 1


def _check_target(path: Path, force: bool) -> None:
    """Refuse a recording target that cannot be written, before the run starts."""
    from presto_desktop.core.errors import PrestoError

    if not path.parent.is_dir():
        raise PrestoError(f"cannot record to {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise PrestoError(f"cannot record to {path}: it is a folder")
    if path.exists() and not force:
        raise PrestoError(f"{path} already exists; add --force to overwrite it")


def _save(recorder: Recorder, title: str, path: Path, force: bool) -> None:
    """Write the recording (a failed step is recorded too: the replay shows it on the console)."""
    from presto_desktop.core.recording import save_recording

    recording = recorder.recording(title)
    save_recording(recording, path, overwrite=force)
    print(f"recorded: {path} ({len(recording.events)} events, {recording.duration:.1f} s)",
          flush=True)


def play_recording(prog: str, args: argparse.Namespace) -> int:
    """`demo play FILE.presto`: the recorded events, printed at the recorded pace."""
    import asyncio

    from presto_desktop.core.recording import load_recording
    from presto_desktop.session.recording import Player

    recording = load_recording(Path(args.recording))
    if not args.instant and not 0 < args.speed <= 1000:
        from presto_desktop.core.errors import PrestoError

        raise PrestoError("--speed must be above 0 and at most 1000")
    print(f"recording: {_one_line(recording.title)} ({len(recording.events)} events, "
          f"{recording.duration:.1f} s, recorded with {recording.engine.label})", flush=True)
    if args.screenshot_dir:
        return play_pictures(recording, Path(args.screenshot_dir).resolve(),
                             speed=None if args.instant else args.speed)
    player = Player(recording, speed=None if args.instant else args.speed)
    printer = _Printer(prog)

    async def play() -> None:
        async for event in player.play():
            printer(event)

    asyncio.run(play())
    return 0  # a recorded failure is part of the demo, replayed like the rest


def play_pictures(recording: Recording, out_dir: Path, *, speed: float | None) -> int:
    """Replay into the real window offscreen (Qt only here), one PNG per step in `out_dir`.

    A fresh data dir (default settings, no saved conversations, nothing of the user's) and
    the offline engine, which the replay never asks: the pictures depend on the recording only.
    """
    import os
    import tempfile

    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a shown window would not give the same bytes
    from presto_desktop.core.paths import AppPaths
    from presto_desktop.ui.app import run_gui

    async def pictures(comp: Composed) -> int:
        from presto_desktop.ui.replay.offscreen import take_replay_pictures

        code, line = await take_replay_pictures(comp.window, comp.replay.runner, recording,
                                                out_dir, speed=speed)
        print(line, file=sys.stderr if code else sys.stdout, flush=True)
        return code

    with tempfile.TemporaryDirectory(prefix="presto-replay-") as data:
        return run_gui(paths=AppPaths.resolve(data), offline=True, mode_id=None,
                       screenshot=None, self_test=False, task=pictures)
