"""Demo scripts: the documented format loads; hostile files are refused in one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.chat import ChatMessage
from presto_desktop.core.demo_script import (
    MAX_SCRIPT_BYTES,
    DemoScript,
    ModeStep,
    PauseStep,
    SayStep,
    TabStep,
    WaitStep,
    describe,
    dump_script,
    load_script,
    parse_script,
    script_from_messages,
)
from presto_desktop.core.errors import DemoFileError

EXAMPLE = {
    "title": "Florist in three steps",
    "steps": [
        {"say": "Presto-Change-O, you're a florist"},
        {"say": "Show my recent orders", "note": "point at the chart"},
        {"pause": 2.0},
        {"mode": "banking"},
        {"tab": "Accounts"},
        {"say": "What's my balance?", "wait": False},
        {"wait": "reply", "timeout": 30},
    ],
}


def write(tmp_path: Path, doc: object) -> Path:
    path = tmp_path / "script.json"
    path.write_text(json.dumps(doc), "utf-8")
    return path


def refused(data: bytes) -> str:
    with pytest.raises(DemoFileError) as info:
        parse_script(data, "bad.json")
    message = str(info.value)
    assert "\n" not in message and message.startswith("bad.json: ")
    return message


def test_the_documented_example_loads(tmp_path: Path) -> None:
    script = load_script(write(tmp_path, EXAMPLE))
    kinds = [type(step) for step in script.steps]
    assert kinds == [SayStep, SayStep, PauseStep, ModeStep, TabStep, SayStep, WaitStep]
    assert script.steps[1].note == "point at the chart"
    assert [describe(s) for s in script.steps][2:5] == ["pause: 2 s", "mode: banking", "tab: Accounts"]
    assert isinstance(script.steps[5], SayStep) and script.steps[5].wait is False


def test_dump_round_trips(tmp_path: Path) -> None:
    script = load_script(write(tmp_path, EXAMPLE))
    assert parse_script(dump_script(script)) == script
    assert json.loads(dump_script(script))["steps"][0] == {"say": "Presto-Change-O, you're a florist"}


def test_a_pause_may_be_written_as_an_integer() -> None:
    script = parse_script(b'{"title": "t", "steps": [{"pause": 2}]}')
    assert script.steps == [PauseStep(pause=2.0)]


@pytest.mark.parametrize(("doc", "phrase"), [
    ({"title": "t", "steps": [{"note": "only a note"}]}, "a step needs one of"),
    ({"title": "t", "steps": [{"say": "x", "pause": 1}]}, "unknown field steps.0.pause"),
    ({"title": "t", "steps": [{"pause": True}]}, "wrong type at steps.0.pause"),
    ({"title": "t", "steps": [{"pause": -1}]}, "steps.0.pause"),
    ({"title": "t", "steps": [{"pause": 1e9}]}, "steps.0.pause"),
    ({"title": "t", "steps": [{"wait": "forever"}]}, "steps.0.wait"),
    ({"title": "t", "steps": [{"mode": "../../etc/passwd"}]}, "steps.0.mode"),
    ({"title": "t", "steps": []}, "steps"),
    ({"steps": [{"say": "x"}]}, "missing field title"),
    ({"title": "t", "steps": [{"say": "x"}], "version": 9}, "newer than this app supports"),
    ({"title": "t", "steps": [{"say": "x" * 5000}]}, "steps.0.say"),
    ({"title": "t", "steps": [{"say": "x"}] * 501}, "steps"),
    (["a", "list"], "top level must be a JSON object"),
])
def test_bad_scripts_are_one_line(doc: object, phrase: str) -> None:
    assert phrase in refused(json.dumps(doc).encode())


def test_hostile_bytes_are_one_line() -> None:
    assert "4,300 digits" in refused(b'{"title": "t", "steps": [{"pause": ' + b"9" * 5000 + b"}]}")
    assert "nested too deeply" in refused(b'{"title": "t", "steps": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    assert "not UTF-8" in refused(b'{"title": "\xff"}')
    assert "empty" in refused(b"   ")
    assert "truncated" in refused(b'{"title": "t", "steps": [{"say": "x"')
    assert "plain text" in refused(b"Presto-Change-O, you're a florist")
    assert "finite" in refused(b'{"title": "t", "steps": [{"pause": NaN}]}')


def test_huge_files_are_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(MAX_SCRIPT_BYTES + 1)  # sparse: no disk used
    with pytest.raises(DemoFileError, match="file too large"):
        load_script(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
@pytest.mark.timeout(20)
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "script.json"
    os.mkfifo(path)
    with pytest.raises(DemoFileError, match="not a regular file"):
        load_script(path)


def test_a_folder_or_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(DemoFileError, match="not a regular file"):
        load_script(tmp_path)
    with pytest.raises(DemoFileError, match="cannot read"):
        load_script(tmp_path / "missing.json")


def test_a_conversation_becomes_a_script() -> None:
    messages = [ChatMessage("user", "Presto-Change-O, you're a bakery"), ChatMessage("assistant", "Hi"),
                ChatMessage("user", "Show my orders"), ChatMessage("user", "   ")]
    script = script_from_messages("Bakery", messages)
    assert script == DemoScript(title="Bakery", steps=[SayStep(say="Presto-Change-O, you're a bakery"),
                                                        SayStep(say="Show my orders")])


def test_schema_demo_prints_the_script_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--demo"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Presto-Change-O demo script"
    assert {"title", "steps"} <= set(schema["properties"])
    assert {"SayStep", "PauseStep", "ModeStep", "TabStep", "WaitStep"} <= set(schema["$defs"])
