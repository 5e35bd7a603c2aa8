"""`presto-desktop voice --input Q.wav [--output R.wav]`: one spoken turn, headless (no Qt).

Prints `you: ...`, `assistant: ...` and `tool: {json}` lines; notes go to stderr. Offline,
voice needs a transcription endpoint (Settings > Voice) and writes a WAV only when a speech
endpoint is configured too (the window speaks offline replies with the system voice).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from presto_desktop.core.errors import PrestoError

if TYPE_CHECKING:
    from presto_desktop.core.chat import ChatMessage, ToolCall
    from presto_desktop.core.models import Mode
    from presto_desktop.core.settings import Settings
    from presto_desktop.core.store import ModeStore
    from presto_desktop.engines.base import Engine
    from presto_desktop.session.voice import VoiceState

NO_WAV = "no speech endpoint is configured, so no spoken reply was written (no WAV)"
MIN_TURN_S = 60.0


class _PrintSink:
    """A VoiceSink that prints turns as lines and remembers failures."""

    def __init__(self, prog: str) -> None:
        self.prog = prog
        self.failures: list[str] = []

    def level(self, value: float) -> None:
        """No meter on a terminal."""

    def state_changed(self, state: VoiceState) -> None:
        """Not shown."""

    def user_partial(self, text: str) -> None:
        """Only final transcripts are printed."""

    def assistant_partial(self, delta: str) -> None:
        """The whole reply is printed when the turn ends."""

    def message(self, message: ChatMessage) -> None:
        """`you: ...` or `assistant: ...`."""
        who = "you" if message.role == "user" else "assistant"
        print(f"{who}: {' '.join(message.content.split())}", flush=True)

    def tool_call(self, call: ToolCall) -> None:
        """`tool: {json}`."""
        print(f"tool: {json.dumps({'name': call.name, 'arguments': call.arguments})}", flush=True)

    def notice(self, text: str) -> None:
        """A note on stderr."""
        sys.stderr.write(f"{self.prog}: note: {text}\n")

    def error(self, message: str, retryable: bool) -> None:
        """Remembered; the exit code says it failed."""
        self.failures.append(message)
        sys.stderr.write(f"{self.prog}: {message}\n")


async def run_voice(prog: str, args: argparse.Namespace, store: ModeStore, settings: Settings,
                    chat: Engine, switch: Callable[[str], Awaitable[int]]) -> int:
    """One spoken question from `args.input` (a WAV file); returns the exit code."""
    try:
        mode = store.get(args.mode or settings.last_mode or "default")
        return await _converse(prog, args.input, args.output, mode, settings, chat, switch,
                               _api_key(args))
    finally:
        await chat.aclose()


def _api_key(args: argparse.Namespace) -> str:
    """The key for audio endpoints when the chat engine is offline."""
    from presto_desktop.core.secrets import KeyStore

    return os.environ.get("OPENAI_API_KEY") or KeyStore(args.paths).get() or ""


async def _converse(prog: str, input_path: str, output_path: str | None, mode: Mode,
                    settings: Settings, chat: Engine, switch: Callable[[str], Awaitable[int]],
                    api_key: str) -> int:
    """Open the voice engine, run the session over the file, print, save."""
    from presto_desktop.core.audio.devices import FileInput, FileOutput, TextSpeaker
    from presto_desktop.engines.voice_factory import open_voice
    from presto_desktop.session.voice import VoiceSession

    microphone = FileInput(input_path)  # refuses non-PCM, corrupt or huge files in one line
    if output_path and os.path.isdir(output_path):
        raise PrestoError(f"{output_path}: is a folder; give a .wav file name")
    engine = await open_voice(settings.voice, chat, mode, [], api_key=api_key)
    sink = _PrintSink(prog)
    fmt = engine.output_format
    output = FileOutput(fmt) if fmt is not None else None
    triggers: list[str] = []

    def trigger(text: str) -> None:
        print(f"you: {text}", flush=True)
        triggers.append(text)

    session = VoiceSession(engine, microphone, sink, output=output, speaker=TextSpeaker(),
                           on_trigger=trigger)
    limit = max(MIN_TURN_S, settings.openai.timeout_s * 2)
    try:
        async with asyncio.timeout(limit):
            await session.run(until_input_ends=True)
    except TimeoutError:
        sink.error(f"no answer within {limit:g} s", True)
    if triggers:
        return await switch(triggers[0])
    _save(prog, output, output_path)
    return 1 if sink.failures else 0


def _save(prog: str, output: object, output_path: str | None) -> None:
    """Write the spoken reply when asked (and there is one); else say why not."""
    from presto_desktop.core.audio.devices import FileOutput

    if not output_path:
        return
    if not isinstance(output, FileOutput):
        sys.stderr.write(f"{prog}: note: {NO_WAV}\n")
        return
    if not output.played:
        sys.stderr.write(f"{prog}: note: the reply had no audio; no WAV written\n")
        return
    output.save(Path(output_path))
    sys.stderr.write(f"{prog}: note: wrote {output_path}\n")
