"""Demo scripts: a title and steps (say, pause, pick a mode, click a tab, wait for the reply).

A script is an untrusted JSON file (docs/DEMO_SCRIPTS.md): strict, size-capped, refused in one
line. `presto-desktop schema --demo` prints its JSON Schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, StringConstraints, Tag

from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.strict import StrictModel
from presto_desktop.core.summary import Slug
from presto_desktop.core.untrusted_json import check_version, parse_untrusted, read_untrusted

SCRIPT_VERSION: Literal[1] = 1
MAX_SCRIPT_BYTES = 1_000_000
MAX_STEPS = 500
MAX_PAUSE_S = 600.0
MAX_WAIT_S = 3600.0
STEP_KINDS = ("say", "pause", "mode", "tab", "wait")

Note = Annotated[str, StringConstraints(max_length=2000)]
Said = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Seconds = Annotated[float, Field(ge=0.0, le=MAX_PAUSE_S, allow_inf_nan=False)]


class _Step(StrictModel):
    """What every step may carry: a note for the presenter console (never shown to the audience)."""

    note: Note | None = None


class SayStep(_Step):
    """Type `say` into the composer and send it (a trigger switches mode, as when typed)."""

    say: Said
    wait: bool = True  # wait for the reply before the next step (False: a later `wait` step)


class PauseStep(_Step):
    """Wait `pause` seconds."""

    pause: Seconds


class ModeStep(_Step):
    """Apply the saved or built-in mode with id `mode`."""

    mode: Slug


class TabStep(_Step):
    """Click the current mode's dashboard tab `tab` (its id or its label)."""

    tab: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class WaitStep(_Step):
    """Wait for the reply in progress to finish (at most `timeout` seconds)."""

    wait: Literal["reply"]
    timeout: Annotated[float, Field(gt=0.0, le=MAX_WAIT_S, allow_inf_nan=False)] = 120.0


def step_kind(value: Any) -> str | None:
    """Which kind of step a raw step (or a model) is, by the key it carries; None if none."""
    if isinstance(value, _Step):
        return kind_of(value)
    if not isinstance(value, dict):
        return None
    for kind in STEP_KINDS[:-1]:  # `say` may carry `wait: false`, so its key decides first
        if kind in value:
            return kind
    return "wait" if "wait" in value else None


Step = Annotated[
    Annotated[SayStep, Tag("say")] | Annotated[PauseStep, Tag("pause")]
    | Annotated[ModeStep, Tag("mode")] | Annotated[TabStep, Tag("tab")]
    | Annotated[WaitStep, Tag("wait")],
    Discriminator(step_kind, custom_error_type="step_kind",
                  custom_error_message="a step needs one of say, pause, mode, tab or wait"),
]


class DemoScript(StrictModel):
    """A demo script: `title` and 1-500 steps."""

    version: Literal[1] = SCRIPT_VERSION
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    description: Note = ""
    steps: Annotated[list[Step], Field(min_length=1, max_length=MAX_STEPS)]


def kind_of(step: _Step) -> str:
    """`say`, `pause`, `mode`, `tab` or `wait`."""
    kinds = {SayStep: "say", PauseStep: "pause", ModeStep: "mode", TabStep: "tab",
             WaitStep: "wait"}
    return kinds[type(step)]


def describe(step: _Step) -> str:
    """The step in a few words, as the console and `demo run` show it (`say: Hello`)."""
    if isinstance(step, SayStep):
        return f"say: {step.say}" + ("" if step.wait else " (no wait)")
    if isinstance(step, PauseStep):
        return f"pause: {step.pause:g} s"
    if isinstance(step, ModeStep):
        return f"mode: {step.mode}"
    if isinstance(step, TabStep):
        return f"tab: {step.tab}"
    return "wait: reply"


def parse_script(data: bytes, origin: str = "demo script") -> DemoScript:
    """Validate raw bytes as a demo script (DemoFileError with one line on any problem)."""

    def check(raw: Any) -> None:
        check_version(raw, "version", SCRIPT_VERSION, origin, "script")

    return parse_untrusted(DemoScript, data, origin, MAX_SCRIPT_BYTES, check, STEP_KINDS)


def load_script(path: Path) -> DemoScript:
    """Read and validate the demo script at `path` (DemoFileError with one line)."""
    return parse_script(read_untrusted(path, MAX_SCRIPT_BYTES), path.name)


def dump_script(script: DemoScript) -> bytes:
    """The script as pretty JSON, defaults left out (what a person would write)."""
    return (script.model_dump_json(indent=2, exclude_defaults=True) + "\n").encode("utf-8")


def script_from_messages(title: str, messages: list[ChatMessage]) -> DemoScript:
    """"Save this conversation as a demo script": each user turn becomes a `say` step."""
    steps: list[Step] = [SayStep(say=m.content[:4000]) for m in messages
                         if m.role == "user" and m.content.strip()]
    return DemoScript(title=title[:200] or "Demo", steps=steps[:MAX_STEPS])


def script_schema() -> dict[str, Any]:
    """The JSON Schema of a demo script file."""
    schema = DemoScript.model_json_schema()
    schema["title"] = "Presto-Change-O demo script"
    return schema


def schema_text() -> str:
    """The schema as indented JSON text."""
    return json.dumps(script_schema(), indent=2)


__all__ = ["MAX_SCRIPT_BYTES", "DemoScript", "ModeStep", "PauseStep", "SayStep", "Step", "TabStep",
           "WaitStep", "describe", "dump_script", "kind_of", "load_script", "parse_script",
           "schema_text", "script_from_messages", "script_schema"]
