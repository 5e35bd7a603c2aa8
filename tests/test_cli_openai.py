"""The command line against a loopback OpenAI-compatible server (real SDK, 127.0.0.1 only)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.modefile import parse_mode
from tests.engines.fake_openai_server import (
    MODEL,
    FakeOpenAI,
    Script,
    chunk,
    text_chunks,
    tool_chunks,
)

KEY = "sk-test-CLIKEY0123456789abcdef"
CHART = json.dumps({"type": "line", "title": "Spend", "unit": "$",
                    "points": [{"label": "Jan", "value": 1}, {"label": "Feb", "value": 2}]})


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return KEY


def test_generate_uses_the_server(capsys: pytest.CaptureFixture[str], data_dir: Path, key: str) -> None:
    with FakeOpenAI() as server:
        code = main(["--data-dir", str(data_dir), "modes", "generate", "florist",
                     "--base-url", server.base_url, "--model", MODEL])
    out, err = capsys.readouterr()
    assert code == 0, err
    mode = parse_mode(Path(out.strip()).read_bytes())
    assert mode.source.engine == "openai" and mode.source.model == MODEL
    assert mode.company_name == "Petal & Stem"
    assert key not in Path(out.strip()).read_text()
    logs = "".join(p.read_text() for p in (data_dir / "logs").glob("*.log*"))
    assert key not in logs


def test_offline_flag_wins(capsys: pytest.CaptureFixture[str], data_dir: Path, key: str) -> None:
    code = main(["--data-dir", str(data_dir), "--offline", "--base-url", "http://127.0.0.1:9/v1",
                 "modes", "generate", "florist"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert parse_mode(Path(out.strip()).read_bytes()).source.engine == "offline"


def test_fault_is_one_line_and_saves_nothing(
    capsys: pytest.CaptureFixture[str], data_dir: Path, key: str
) -> None:
    script = Script(always_status=(401, {}, {"error": {"message": f"bad key {KEY}"}}))
    with FakeOpenAI(script) as server:
        code = main(["--data-dir", str(data_dir), "modes", "generate", "florist",
                     "--base-url", server.base_url])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "401" in err and key not in err
    assert not [p for p in data_dir.glob("modes/*.json") if not p.name.startswith(".")]


def test_connection_refused_names_the_server(
    capsys: pytest.CaptureFixture[str], data_dir: Path, key: str
) -> None:
    code = main(["--data-dir", str(data_dir), "chat", "--mode", "banking",
                 "--base-url", "http://127.0.0.1:9/v1", "hello"])
    _, err = capsys.readouterr()
    assert code == 1 and "127.0.0.1:9" in err and err.count("\n") == 1


def test_chat_streams_text_and_tool_lines(
    capsys: pytest.CaptureFixture[str], data_dir: Path, key: str
) -> None:
    events = [*text_chunks("Here you go.", 4), *tool_chunks(0, "show_chart", CHART, 3),
              chunk({}, "tool_calls")]
    with FakeOpenAI(Script(stream_events=events)) as server:
        code = main(["--data-dir", str(data_dir), "chat", "--mode", "banking",
                     "--base-url", server.base_url, "--model", MODEL, "Show my spending"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith("Here you go.")
    tools = [json.loads(line[6:]) for line in out.splitlines() if line.startswith("tool: ")]
    assert tools == [{"name": "show_chart", "arguments": json.loads(CHART) | {
        "points": [{"label": "Jan", "value": 1.0}, {"label": "Feb", "value": 2.0}]}}]
