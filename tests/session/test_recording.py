"""Recordings: record -> save -> load -> play gives the same events, at the recorded pace or
faster (an injected clock, no real waiting); hostile .presto files are refused in one line."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.atomic import TargetExistsError
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
from presto_desktop.core.errors import DemoFileError
from presto_desktop.core.modefile import dump_mode
from presto_desktop.core.recording import (
    MAX_EVENTS,
    MAX_RECORDING_BYTES,
    Recording,
    dump_recording,
    load_recording,
    parse_recording,
    save_recording,
)
from presto_desktop.session.recording import Player, Recorder
from tests.factories import make_mode

CHART = ToolCall("show_chart", {"type": "bar", "title": "Orders", "points": [{"label": "a", "value": 1.0}]})


class FakeTime:
    """A clock that only moves when slept on (or when told)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def session(time: FakeTime) -> tuple[Recorder, list[tuple[float, DemoEvent]]]:
    """A typed session fed the way the window would, with the time moving between events."""
    florist, bank = make_mode(), make_mode("banking", industry="banking", company="Meridian")
    recorder = Recorder("offline", "Offline", clock=time.clock,
                        now=lambda: datetime(2026, 3, 1, tzinfo=UTC))
    script: list[tuple[float, DemoEvent]] = [
        (0.0, StepStarted(1, 3, "say", "say: Presto-Change-O, you're a florist", "smile")),
        (0.0, UserSaid("Presto-Change-O, you're a florist")),
        (0.4, ModeApplied(florist, "generated")),
        (0.5, ReplyDone("Welcome to Petal & Stem!")),
        (2.0, UserSaid("Show my orders")),
        (2.25, ReplyDelta("Your ")),
        (2.5, ToolCalled(CHART)),
        (2.75, ReplyDelta("orders.")),
        (3.0, ReplyDone("Your orders.")),
        (5.0, ModeApplied(bank, "picked")),
        (6.0, ReplyDone("cut off", "incomplete")),
        (6.5, StepFailed("the server said 503")),
    ]
    for offset, event in script:
        time.now = 1000.0 + offset
        recorder.record(event)
    return recorder, script


def played(recording: Recording, time: FakeTime, speed: float | None) -> list[DemoEvent]:
    async def collect() -> list[DemoEvent]:
        return [event async for event in Player(recording, speed=speed, clock=time.clock,
                                                sleep=time.sleep).play()]

    return asyncio.run(collect())


def test_record_save_load_play_round_trips(tmp_path: Path) -> None:
    time = FakeTime()
    recorder, script = session(time)
    assert recorder.events == script
    recording = recorder.recording("Florist demo")
    path = save_recording(recording, tmp_path / "demo.presto")
    loaded = load_recording(path)
    assert loaded == recording
    assert [m.id for m in loaded.modes] == ["florist", "banking"]
    assert loaded.duration == 6.5 and loaded.engine.label == "Offline"
    assert played(loaded, FakeTime(), speed=None) == [event for _, event in script]


def test_play_keeps_the_recorded_pace_or_faster() -> None:
    recorder, script = session(FakeTime())
    recording = recorder.recording()
    time = FakeTime()
    start = time.now
    seen: list[tuple[float, DemoEvent]] = []

    async def collect(speed: float) -> None:
        async for event in Player(recording, speed=speed, clock=time.clock, sleep=time.sleep).play():
            seen.append((round(time.now - start, 6), event))

    asyncio.run(collect(1.0))
    assert seen == script  # every event exactly at its recorded offset
    assert sum(time.sleeps) == pytest.approx(6.5)
    time.sleeps.clear()
    asyncio.run(collect(4.0))
    assert sum(time.sleeps) == pytest.approx(6.5 / 4)


def test_a_slow_consumer_catches_up_instead_of_drifting() -> None:
    recorder, _ = session(FakeTime())
    time = FakeTime()

    async def collect() -> None:
        async for _event in Player(recorder.recording(), clock=time.clock, sleep=time.sleep).play():
            time.now += 1.0  # showing each event takes a second

    asyncio.run(collect())
    assert sum(time.sleeps) < 6.5  # no wait is added on top of the time already spent


def test_instant_play_never_sleeps() -> None:
    recorder, script = session(FakeTime())
    time = FakeTime()
    assert played(recorder.recording(), time, speed=None) == [e for _, e in script]
    assert time.sleeps == []
    with pytest.raises(ValueError, match="speed"):
        Player(recorder.recording(), speed=0)


def test_the_recorder_caps_streaming_chunks_but_keeps_whole_replies() -> None:
    recorder = Recorder("offline", "Offline", clock=lambda: 1.0)
    for _ in range(MAX_EVENTS + 10):
        recorder.record(ReplyDelta("x"))
    recorder.record(ReplyDone("whole"))
    events = [event for _, event in recorder.events]
    assert len(events) <= MAX_EVENTS and events[-1] == ReplyDone("whole")
    assert recorder.dropped > 0
    assert Recording.model_validate_json(dump_recording(recorder.recording())) is not None


def test_save_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    recording = session(FakeTime())[0].recording()
    path = save_recording(recording, tmp_path / "a.presto")
    with pytest.raises(TargetExistsError):
        save_recording(recording, path)
    save_recording(recording, path, overwrite=True)
    assert load_recording(path) == recording


def good_doc() -> dict[str, object]:
    return json.loads(dump_recording(session(FakeTime())[0].recording()))


def refused(data: bytes) -> str:
    with pytest.raises(DemoFileError) as info:
        parse_recording(data, "bad.presto")
    message = str(info.value)
    assert "\n" not in message and message.startswith("bad.presto: ")
    return message


def edited(**changes: object) -> bytes:
    doc = good_doc()
    doc.update(changes)
    return json.dumps(doc).encode()


def test_bad_recordings_are_one_line() -> None:
    doc = good_doc()
    bad_mode = dict(doc["modes"][0])  # type: ignore[index]
    bad_mode["palette"] = {**bad_mode["palette"], "primary": "red"}
    assert "modes.0.palette" in refused(edited(modes=[bad_mode, doc["modes"][1]]))  # type: ignore[index]
    assert "not a Presto-Change-O recording" in refused(edited(format="zip"))
    assert "newer than this app supports" in refused(edited(version=7))
    events = list(doc["events"])  # type: ignore[call-overload]
    assert "time goes backwards" in refused(edited(events=[*events, {**events[0], "t": 0.0}]))
    assert "is not in modes" in refused(edited(modes=[doc["modes"][0]]))  # type: ignore[index]
    assert "events.0" in refused(edited(events=[{"t": 0, "type": "jump"}]))
    assert "events.0" in refused(edited(events=[{"t": -1, "type": "user", "text": "x"}]))
    assert "events.0" in refused(edited(events=[{"t": 0, "type": "tool", "name": "rm_rf", "arguments": {}}]))
    big = {"t": 0, "type": "tool", "name": "show_chart", "arguments": {"x": "y" * 70_000}}
    assert "larger than" in refused(edited(events=[big]))
    assert "events.0.text" in refused(edited(events=[{"t": 0, "type": "user", "text": "x" * 70_000}]))
    assert "unknown field" in refused(edited(extra=1))


def test_hostile_bytes_are_one_line() -> None:
    assert "4,300 digits" in refused(b'{"format": "presto-recording", "version": ' + b"1" * 5000 + b"}")
    deep = b'{"t": 0, "type": "tool", "name": "show_chart", "arguments": ' + b'{"a":' * 200 + b"1" + b"}" * 200 + b"}"
    assert "nested too deeply" in refused(edited_raw_events(deep))
    assert "not UTF-8" in refused(b"\x89PNG\r\n\x1a\n")
    assert "truncated" in refused(dump_recording(session(FakeTime())[0].recording())[:-20])
    assert "top level must be a JSON object" in refused(b"[]")


def edited_raw_events(event: bytes) -> bytes:
    text = json.dumps({**good_doc(), "events": ["PLACEHOLDER"]}).encode()
    return text.replace(b'"PLACEHOLDER"', event)


def test_huge_fifo_and_folder_files_are_refused(tmp_path: Path) -> None:
    huge = tmp_path / "huge.presto"
    with huge.open("wb") as handle:
        handle.truncate(MAX_RECORDING_BYTES + 1)
    with pytest.raises(DemoFileError, match="file too large"):
        load_recording(huge)
    with pytest.raises(DemoFileError, match="not a regular file"):
        load_recording(tmp_path)
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.presto"
        os.mkfifo(fifo)
        with pytest.raises(DemoFileError, match="not a regular file"):
            load_recording(fifo)


def test_a_mode_file_is_not_a_recording(tmp_path: Path) -> None:
    path = tmp_path / "florist.presto"
    path.write_bytes(dump_mode(make_mode()))
    with pytest.raises(DemoFileError, match="not a Presto-Change-O recording"):
        load_recording(path)


def test_demo_run_record_then_play(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                   tmp_path: Path) -> None:
    script = tmp_path / "demo.json"
    script.write_text('{"title": "Bank", "steps": [{"mode": "banking"}, {"say": "What\'s my balance?"}]}',
                      "utf-8")
    out_file = tmp_path / "bank.presto"
    assert main(["--data-dir", str(data_dir), "--offline", "demo", "run", str(script),
                 "--record", str(out_file)]) == 0
    ran = capsys.readouterr().out.splitlines()
    assert ran[-1].startswith(f"recorded: {out_file} (")
    recording = load_recording(out_file)
    assert recording.engine.kind == "offline" and [m.id for m in recording.modes] == ["default", "banking"]
    assert main(["--data-dir", str(data_dir), "demo", "play", str(out_file), "--instant"]) == 0
    replayed = capsys.readouterr().out.splitlines()
    # The same lines as the run, after the recording's header and the starting mode.
    assert replayed[0].startswith("recording: Bank (") and replayed[1].startswith("mode: ")
    assert replayed[2:] == ran[1:-1]
    # An existing file is kept unless --force.
    assert main(["--data-dir", str(data_dir), "--offline", "demo", "run", str(script),
                 "--record", str(out_file)]) == 1
    assert "add --force" in capsys.readouterr().err


def test_demo_play_refuses_a_bad_file_in_one_line(capsys: pytest.CaptureFixture[str],
                                                  data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.presto"
    path.write_bytes(b"PK\x03\x04 not json")
    assert main(["--data-dir", str(data_dir), "demo", "play", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.presto" in err and "Traceback" not in err


def test_schema_recording(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--recording"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"format", "version", "modes", "events"} <= set(schema["properties"])
