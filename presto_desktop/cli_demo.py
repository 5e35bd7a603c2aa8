"""`presto-desktop demo run|play` and `schema --demo`: headless, no Qt, no openai.

`demo run SCRIPT.json` steps through a script with the active engine and prints each step
(`step 1/4 say: ...`, `mode: ...`, `assistant: ...`, `tool: {json}`); a failed step is one line
on stderr and exit 1.
"""

from __future__ import annotations

import argparse
import asyncio
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
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore
    from presto_desktop.engines.base import Engine

Services = Callable[[argparse.Namespace], "tuple[AppPaths, ModeStore, Settings]"]
EngineFactory = Callable[[argparse.Namespace, "Settings"], "Engine"]


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


def print_schema() -> int:
    """Print the JSON Schema of a demo script."""
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
    """`demo run`: the exit code."""
    from presto_desktop.core.demo_script import load_script

    script = load_script(Path(args.script))  # refused in one line before anything starts
    _paths, store, settings = services(args)
    start = store.get(args.mode or settings.last_mode or "default")
    return asyncio.run(_run(prog, args, script, store, start, engine(args, settings)))


async def _skip(_seconds: float) -> None:
    """`--no-pauses`: a pause step only yields."""
    await asyncio.sleep(0)


async def _run(prog: str, args: argparse.Namespace, script: DemoScript, store: ModeStore,
               start: Mode, chat: Engine) -> int:
    from presto_desktop.session.demo import DemoRunner
    from presto_desktop.session.modes import ModeService

    printer = _Printer(prog)
    print(f"demo: {_one_line(script.title)} ({len(script.steps)} steps, engine: {chat.label})",
          flush=True)
    runner = DemoRunner(script, ModeService(store, chat), store, start, printer,
                        sleep=_skip if args.no_pauses else asyncio.sleep)
    try:
        ok = await runner.run()
    finally:
        await runner.aclose()
        await chat.aclose()
    return 0 if ok else 1
