"""The headless commands that run an engine: `modes generate`, `chat` and `voice` (no Qt)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from presto_desktop.core.errors import PrestoError

if TYPE_CHECKING:  # types only: each command imports its modules where first used
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore
    from presto_desktop.core.triggers import ModeRequest
    from presto_desktop.engines.base import Engine
    from presto_desktop.session.modes import Answer, ModeResult

PROG = "presto-desktop"


def fail(message: str, code: int = 1) -> int:
    """One line on stderr, the exit code back."""
    sys.stderr.write(f"{PROG}: {message}\n")
    return code


def engine_for(args: argparse.Namespace, settings: Settings) -> Engine:
    from presto_desktop.core.secrets import KeyStore
    from presto_desktop.core.store import ModeStore
    from presto_desktop.engines.factory import make_engine

    def taken_names() -> set[str]:
        return {summary.company_name for summary in ModeStore(args.paths).list_modes()}

    return make_engine(settings, force_offline=args.offline, base_url=args.base_url,
                       model=args.model, keys=KeyStore(args.paths), taken_names=taken_names)


async def generate(args: argparse.Namespace, store: ModeStore, settings: Settings) -> int:
    from presto_desktop.core.triggers import ModeRequest, normalise
    from presto_desktop.session.modes import ModeResult

    request = ModeRequest(kind="switch", industry=normalise(args.industry)[:80],
                          company=(args.company or None), raw=args.industry)
    result, _ = await resolve(args, store, settings, request)
    if not isinstance(result, ModeResult):  # a "switch" request always resolves to a mode
        return fail(f"no mode for {args.industry!r}")
    mode = result.mode
    print(f"{mode.id} (built-in mode reused)" if store.is_builtin(mode.id) else store.path_of(mode.id))
    return 0


async def resolve(args: argparse.Namespace, store: ModeStore, settings: Settings,
                   request: ModeRequest) -> tuple[ModeResult | Answer, str]:
    """The window's mode pipeline (session.modes), and the kind of engine that ran it."""
    from presto_desktop.session.modes import ModeService

    engine = engine_for(args, settings)
    try:
        return await ModeService(store, engine).resolve(request), engine.kind
    finally:
        await engine.aclose()


async def switch(args: argparse.Namespace, store: ModeStore, settings: Settings,
                  request: ModeRequest) -> int:
    """A trigger typed to `chat`: transform as the window does and remember the mode."""
    from presto_desktop.core.settings import SettingsStore
    from presto_desktop.engines.labels import welcome_for
    from presto_desktop.session.modes import Answer

    result, kind = await resolve(args, store, settings, request)
    if isinstance(result, Answer):  # "you're a" with nothing after it: ask which business
        print(result.text)
        for example in result.examples:
            print(f"  {example}")
        return 0
    mode = result.mode
    # The window remembers every mode it applies; a following `chat` continues in it.
    settings.last_mode = mode.id
    try:
        SettingsStore(args.paths).save(settings)
    except (PrestoError, OSError) as exc:
        sys.stderr.write(f"{PROG}: note: last mode not remembered: {exc}\n")
    print(f"switched to {mode.company_name} ({mode.id})")
    print(welcome_for(mode.welcome_message, offline=kind == "offline"))
    return 0


async def chat(args: argparse.Namespace, store: ModeStore, settings: Settings) -> int:
    from presto_desktop.core.triggers import parse_trigger
    from presto_desktop.engines.base import Done, ErrorEvent, TextDelta, ToolCall

    request = parse_trigger(args.message)
    if request is not None:
        return await switch(args, store, settings, request)
    mode = store.get(args.mode or settings.last_mode or "default")
    engine = engine_for(args, settings)
    failed: str | None = None
    try:
        async for event in engine.stream_chat(mode, [], args.message):
            if isinstance(event, TextDelta):
                sys.stdout.write(event.text)
                sys.stdout.flush()
            elif isinstance(event, ToolCall):
                sys.stdout.write(f"\ntool: {json.dumps({'name': event.name, 'arguments': event.arguments})}\n")
            elif isinstance(event, ErrorEvent):
                failed = event.message
            elif isinstance(event, Done) and event.finish_reason == "incomplete":
                failed = "the reply was cut off (incomplete)"
    finally:
        await engine.aclose()
    sys.stdout.write("\n")
    return fail(failed) if failed else 0


async def voice(args: argparse.Namespace, store: ModeStore, settings: Settings) -> int:
    """One spoken turn (presto_desktop.cli_voice); a spoken trigger switches like `chat`."""
    from presto_desktop.cli_voice import run_voice
    from presto_desktop.core.triggers import parse_trigger

    async def spoken(text: str) -> int:
        request = parse_trigger(text)
        return await switch(args, store, settings, request) if request else 0

    return await run_voice(PROG, args, store, settings, engine_for(args, settings), spoken)
