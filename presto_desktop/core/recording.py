"""`.presto` recordings: one JSON file holding the modes used, the events and their times.

The format is documented in docs/RECORDINGS.md; `presto-desktop schema --recording` prints its
JSON Schema. A recording is an untrusted file: size-capped, strict, every embedded mode
validated like an imported mode file, refused in one line.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from presto_desktop.core.atomic import atomic_create_bytes, atomic_write_bytes, shareable_mode
from presto_desktop.core.chat import ToolCall
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
from presto_desktop.core.errors import DemoFileError, StoreError
from presto_desktop.core.models import Mode
from presto_desktop.core.strict import StrictModel
from presto_desktop.core.summary import Slug
from presto_desktop.core.untrusted_json import check_version, parse_untrusted, read_untrusted

RECORDING_FORMAT: Literal["presto-recording"] = "presto-recording"
RECORDING_VERSION: Literal[1] = 1
MAX_RECORDING_BYTES = 32 * 1024 * 1024
MAX_EVENTS = 50_000
MAX_MODES = 32
MAX_TEXT = 65_536  # characters of one message or chunk (a conversation file keeps 64 KiB)
MAX_TOOL_ARGS_BYTES = 64 * 1024
MAX_DURATION_S = 24 * 3600.0
EVENT_TYPES = ("step", "mode", "user", "delta", "tool", "reply", "failure")

Offset = Annotated[float, Field(ge=0.0, le=MAX_DURATION_S, allow_inf_nan=False)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Short = Annotated[str, StringConstraints(max_length=2000)]


class _Event(StrictModel):
    """Every event: `t`, seconds since the recording started."""

    t: Offset


class StepEvent(_Event):
    """A script step began."""

    type: Literal["step"]
    index: Annotated[int, Field(ge=1, le=10_000)]
    total: Annotated[int, Field(ge=1, le=10_000)]
    kind: Literal["say", "pause", "mode", "tab", "wait"]
    text: Annotated[str, StringConstraints(max_length=4200)]
    note: Short | None = None


class ModeEvent(_Event):
    """A mode was applied (one of the recording's `modes`)."""

    type: Literal["mode"]
    mode_id: Slug
    how: Literal["reset", "saved", "generated", "refined-known", "picked", "applied"]


class UserEvent(_Event):
    """The user's turn."""

    type: Literal["user"]
    text: Text


class DeltaEvent(_Event):
    """A chunk of the streaming reply."""

    type: Literal["delta"]
    text: Text


class ToolEvent(_Event):
    """A tool call: a chart, metrics or suggested prompts (drawn again from its arguments)."""

    type: Literal["tool"]
    name: Literal["show_chart", "show_metrics", "suggest_prompts"]
    arguments: dict[str, Any]

    @field_validator("arguments")
    @classmethod
    def _small(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(json.dumps(value, ensure_ascii=False)) > MAX_TOOL_ARGS_BYTES:
            raise ValueError(f"tool arguments larger than {MAX_TOOL_ARGS_BYTES:,} bytes")
        return value


class ReplyEvent(_Event):
    """The assistant's finished message."""

    type: Literal["reply"]
    text: Text
    status: Literal["stop", "stopped", "incomplete", "error"] = "stop"


class FailureEvent(_Event):
    """A step failed (shown on the console only)."""

    type: Literal["failure"]
    message: Short


Event = Annotated[StepEvent | ModeEvent | UserEvent | DeltaEvent | ToolEvent | ReplyEvent
                  | FailureEvent, Field(discriminator="type")]


class EngineInfo(StrictModel):
    """The engine that answered while recording."""

    kind: Annotated[str, StringConstraints(max_length=32)]
    label: Annotated[str, StringConstraints(max_length=200)]


class Recording(StrictModel):
    """A `.presto` file: metadata, the modes used and the timed events."""

    format: Literal["presto-recording"] = RECORDING_FORMAT
    version: Literal[1] = RECORDING_VERSION
    title: Annotated[str, StringConstraints(max_length=200)] = ""
    created_at: datetime
    app_version: Annotated[str, StringConstraints(max_length=64)] = ""
    engine: EngineInfo
    modes: Annotated[list[Mode], Field(max_length=MAX_MODES)]
    events: Annotated[list[Event], Field(max_length=MAX_EVENTS)]

    @model_validator(mode="after")
    def _consistent(self) -> Recording:
        ids = [mode.id for mode in self.modes]
        if len(set(ids)) != len(ids):
            raise ValueError("modes: two modes have the same id")
        last = 0.0
        for number, event in enumerate(self.events):
            if event.t < last:
                raise ValueError(f"events.{number}: time goes backwards ({event.t:g} < {last:g})")
            last = event.t
            if isinstance(event, ModeEvent) and event.mode_id not in ids:
                raise ValueError(f"events.{number}: mode {event.mode_id!r} is not in modes")
        return self

    @property
    def duration(self) -> float:
        """Seconds from the start to the last event."""
        return self.events[-1].t if self.events else 0.0


def event_record(t: float, event: DemoEvent) -> Event:
    """A demo event at offset `t` as its file form (texts cut to the caps)."""
    if isinstance(event, StepStarted):
        return StepEvent(t=t, type="step", index=event.index, total=event.total,
                         kind=event.kind, text=event.text[:4200],  # type: ignore[arg-type]
                         note=None if event.note is None else event.note[:2000])
    if isinstance(event, ModeApplied):
        return ModeEvent(t=t, type="mode", mode_id=event.mode.id, how=event.how)  # type: ignore[arg-type]
    if isinstance(event, UserSaid):
        return UserEvent(t=t, type="user", text=event.text[:MAX_TEXT])
    if isinstance(event, ReplyDelta):
        return DeltaEvent(t=t, type="delta", text=event.text[:MAX_TEXT])
    if isinstance(event, ToolCalled):
        return ToolEvent(t=t, type="tool", name=event.call.name, arguments=event.call.arguments)
    if isinstance(event, ReplyDone):
        return ReplyEvent(t=t, type="reply", text=event.text[:MAX_TEXT],
                          status=event.status)  # type: ignore[arg-type]
    return FailureEvent(t=t, type="failure", message=event.message[:2000])


def demo_event(record: Event, modes: dict[str, Mode]) -> DemoEvent:
    """The demo event a file event stands for (`modes` by id)."""
    if isinstance(record, StepEvent):
        return StepStarted(record.index, record.total, record.kind, record.text, record.note)
    if isinstance(record, ModeEvent):
        return ModeApplied(modes[record.mode_id], record.how)
    if isinstance(record, UserEvent):
        return UserSaid(record.text)
    if isinstance(record, DeltaEvent):
        return ReplyDelta(record.text)
    if isinstance(record, ToolEvent):
        return ToolCalled(ToolCall(record.name, record.arguments))
    if isinstance(record, ReplyEvent):
        return ReplyDone(record.text, record.status)
    return StepFailed(record.message)


def timed_events(recording: Recording) -> list[tuple[float, DemoEvent]]:
    """The recording's events with their offsets, as demo events."""
    modes = {mode.id: mode for mode in recording.modes}
    return [(record.t, demo_event(record, modes)) for record in recording.events]


def _check(origin: str) -> Any:
    def check(raw: Any) -> None:
        check_version(raw, "version", RECORDING_VERSION, origin, "recording")
        if raw.get("format") != RECORDING_FORMAT:
            raise DemoFileError(f"{origin}: not a Presto-Change-O recording "
                                f"(no \"format\": \"{RECORDING_FORMAT}\")")
    return check


def parse_recording(data: bytes, origin: str = "recording") -> Recording:
    """Validate raw bytes as a recording (DemoFileError with one line on any problem)."""
    return parse_untrusted(Recording, data, origin, MAX_RECORDING_BYTES, _check(origin),
                           EVENT_TYPES)


def load_recording(path: Path) -> Recording:
    """Read and validate the `.presto` file at `path` (DemoFileError with one line)."""
    return parse_recording(read_untrusted(path, MAX_RECORDING_BYTES), path.name)


def dump_recording(recording: Recording) -> bytes:
    """The recording as compact UTF-8 JSON (raises StoreError above the size cap)."""
    data = recording.model_dump_json(exclude_none=True).encode("utf-8")
    if len(data) > MAX_RECORDING_BYTES:
        raise StoreError(f"the recording is too large to save ({len(data):,} bytes; "
                         f"the limit is {MAX_RECORDING_BYTES:,})")
    return data


def save_recording(recording: Recording, path: Path, *, overwrite: bool = False) -> Path:
    """Write `recording` to `path` atomically, readable by others (TargetExistsError if kept)."""
    if not path.parent.is_dir():
        raise StoreError(f"cannot save to {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise StoreError(f"cannot save to {path}: it is a folder")
    data = dump_recording(recording)
    write = atomic_write_bytes if overwrite else atomic_create_bytes
    write(path, data, mode=shareable_mode(), make_parents=False)
    return path


def recording_schema() -> dict[str, Any]:
    """The JSON Schema of a `.presto` file."""
    schema = Recording.model_json_schema()
    schema["title"] = "Presto-Change-O recording (.presto)"
    return schema


__all__ = ["MAX_EVENTS", "MAX_RECORDING_BYTES", "EngineInfo", "Event", "Recording", "demo_event",
           "dump_recording", "event_record", "load_recording", "parse_recording",
           "recording_schema", "save_recording", "timed_events"]
