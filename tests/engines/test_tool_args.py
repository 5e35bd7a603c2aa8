"""Tool calls from an LLM: absurd nesting is skipped with a note; schemas and prompts stay clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from presto_desktop.cli import main
from presto_desktop.core.chat import ToolCall, json_too_deep
from presto_desktop.engines.base import Done
from presto_desktop.engines.openai_chat import TOOLS, persona_facts, validate_tool_call
from tests.engines.fake_openai_server import (
    MODEL,
    FakeOpenAI,
    Script,
    chunk,
    text_chunks,
    tool_chunks,
)
from tests.engines.test_openai_engine import MODE, chat, text_of

DEEP = '{"metrics": ' + "[" * 20_000 + "]" * 20_000 + "}"


def test_depth_check() -> None:
    assert json_too_deep(DEEP, 8)
    assert not json_too_deep('{"title": "[[[[[[[[[[[[[[[[[[", "points": [{"a": 1}]}', 3)


def test_deep_arguments_are_skipped_not_raised() -> None:
    result = validate_tool_call("show_metrics", DEEP)
    assert isinstance(result, str) and "nested too deeply" in result


def test_deep_arguments_in_a_stream_become_a_note() -> None:
    events = [*text_chunks("Here.", 1), *tool_chunks(0, "show_metrics", DEEP, 4),
              chunk({}, "tool_calls")]
    with FakeOpenAI(Script(stream_events=events)) as server:
        result = chat(server)
    assert "nested too deeply" in text_of(result)
    assert not any(isinstance(e, ToolCall) for e in result) and result[-1] == Done("stop")


def test_deep_arguments_in_the_cli_chat(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    events = [*text_chunks("Here.", 1), *tool_chunks(0, "show_chart", DEEP, 4),
              chunk({}, "tool_calls")]
    with FakeOpenAI(Script(stream_events=events)) as server:
        code = main(["--data-dir", str(data_dir), "chat", "--mode", "banking",
                     "--base-url", server.base_url, "--model", MODEL, "Show me"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err and "nested too deeply" in out


def test_system_prompt_has_no_pydantic_internals() -> None:
    facts = persona_facts(MODE)
    for internal in ("model_extra", "model_fields_set", "model_computed_fields", "model_config"):
        assert internal not in facts
    assert f"lifetime_spend: {MODE.persona.lifetime_spend}" in facts
    assert "seed" not in [line.split(":")[0].strip("- ") for line in facts.splitlines()]


def test_tool_schemas_forbid_empty_lists() -> None:
    by_name = {t["function"]["name"]: t["function"]["parameters"] for t in TOOLS}
    assert by_name["show_metrics"]["properties"]["metrics"]["minItems"] == 1
    assert by_name["show_chart"]["properties"]["points"]["minItems"] == 1
    json.dumps(TOOLS)  # still plain JSON
