"""The OpenAI-compatible engine, driven through the real openai SDK against a loopback server."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import sys
import time
from collections import deque
from contextlib import closing

import pytest

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.errors import EngineError
from presto_desktop.core.triggers import ModeRequest, parse_trigger
from presto_desktop.engines import openai_engine as oe
from presto_desktop.engines.base import Done, ErrorEvent, TextDelta
from presto_desktop.engines.generated_mode import build_mode
from presto_desktop.engines.generation_schema import GeneratedMode
from presto_desktop.engines.openai_config import OpenAIConfig
from tests.engines.fake_openai_server import (
    MODEL,
    SAMPLE_GENERATION,
    FakeOpenAI,
    Script,
    chunk,
    text_chunks,
    tool_chunks,
)

FLORIST = parse_trigger("Presto-Change-O, you're a florist")
KEY = "sk-test-SECRETKEY0123456789"


def config(server: FakeOpenAI | None = None, **overrides: object) -> OpenAIConfig:
    """Small timeouts and backoffs so every fault case is quick."""
    values: dict = {"base_url": server.base_url if server else "http://127.0.0.1:9/v1",
                    "model": MODEL, "api_key": KEY, "connect_timeout_s": 1.0, "timeout_s": 5.0,
                    "refine_timeout_s": 0.5, "max_retries": 2, "backoff_s": 0.01,
                    "max_retry_wait_s": 1.0}
    values.update(overrides)
    return OpenAIConfig(**values)


def generate(server: FakeOpenAI, request=FLORIST, **overrides: object):
    """Run generate_mode once; returns the mode or the EngineError."""
    async def go():
        engine = oe.OpenAIEngine(config(server, **overrides))
        try:
            return await engine.generate_mode(request)
        except EngineError as exc:
            return exc
        finally:
            await engine.aclose()

    return asyncio.run(go())


def chat(server: FakeOpenAI, history=(), message="hi", **overrides: object) -> list:
    """All events of one streamed reply."""
    async def go():
        engine = oe.OpenAIEngine(config(server, **overrides))
        try:
            return [event async for event in engine.stream_chat(MODE, list(history), message)]
        finally:
            await engine.aclose()

    return asyncio.run(go())


MODE = build_mode(GeneratedMode.model_validate(SAMPLE_GENERATION), FLORIST, MODEL)


def text_of(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


# -- mode generation ----------------------------------------------------------------------

def test_structured_output_happy_path() -> None:
    with FakeOpenAI() as server:
        mode = generate(server)
        body = server.bodies()[0]
    assert not isinstance(mode, Exception), mode
    assert mode.id == "florist" and mode.request_key == FLORIST.key
    assert mode.company_name == "Petal & Stem" and mode.palette.primary == "#c2185b"
    assert mode.source.engine == "openai" and mode.source.model == MODEL
    assert [t.id for t in mode.tabs] == ["orders", "deliveries", "rewards"]
    assert mode.offline_content[0].chart is not None
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    schema = fmt["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])
    assert KEY not in mode.model_dump_json()


def test_same_seed_same_persona() -> None:
    with FakeOpenAI() as server:
        first, second = generate(server), generate(server)
    assert first.persona == second.persona


def test_rejected_json_schema_falls_back_to_json_object_and_is_remembered() -> None:
    async def go(server):
        engine = oe.OpenAIEngine(config(server))
        try:
            await engine.generate_mode(FLORIST)
            # The format the server last accepted (what the engine now knows it supports).
            level = (server.bodies()[-1].get("response_format") or {}).get("type")
            await engine.generate_mode(FLORIST)
            return level
        finally:
            await engine.aclose()

    with FakeOpenAI(Script(reject_formats={"json_schema"})) as server:
        level = asyncio.run(go(server))
        kinds = [(b.get("response_format") or {}).get("type") for b in server.bodies()]
    assert level == "json_object"
    assert kinds == ["json_schema", "json_object", "json_object"]
    assert "JSON" in server.bodies()[1]["messages"][-1]["content"]


def test_lmstudio_style_rejections_fall_back_to_prompt_only() -> None:
    with FakeOpenAI(Script(reject_formats={"json_schema"}, lmstudio=True)) as server:
        mode = generate(server)
        kinds = [(b.get("response_format") or {}).get("type") for b in server.bodies()]
    assert not isinstance(mode, Exception), mode
    assert kinds == ["json_schema", "json_object", None]


def test_lmstudio_accepts_json_schema_first_time() -> None:
    with FakeOpenAI(Script(lmstudio=True)) as server:
        assert not isinstance(generate(server), Exception)
        assert len(server.bodies()) == 1


def test_prose_first_answer_is_accepted() -> None:
    prose = "Sure! Here is your mode:\n```json\n" + json.dumps(SAMPLE_GENERATION) + "\n```\nEnjoy!"
    script = Script(reject_formats={"json_schema", "json_object"}, contents=deque([prose]))
    with FakeOpenAI(script) as server:
        mode = generate(server)
    assert not isinstance(mode, Exception), mode
    assert mode.company_name == "Petal & Stem"


def test_invalid_answer_is_repaired_once_with_the_validation_error() -> None:
    bad = dict(SAMPLE_GENERATION, primary_color="red")
    with FakeOpenAI(Script(contents=deque([json.dumps(bad)]))) as server:
        mode = generate(server)
        bodies = server.bodies()
    assert not isinstance(mode, Exception), mode
    assert len(bodies) == 2
    repair = bodies[1]["messages"][-1]["content"]
    assert "primary_color" in repair and "corrected" in repair


def test_invalid_twice_fails_cleanly() -> None:
    script = Script(contents=deque(["not json at all", '{"industry": 3}']))
    with FakeOpenAI(script) as server:
        error = generate(server)
    assert isinstance(error, EngineError) and "repair" in str(error)


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected", "retryable", "requests"),
    [
        (401, {}, {"error": {"message": f"Incorrect API key provided: {KEY}"}},
         "rejected the API key (401)", False, 1),
        (404, {}, {"error": {"message": "no such model"}}, f"Model '{MODEL}' was not found", False, 1),
        (429, {"Retry-After": "120"}, {"error": {"message": "slow down"}},
         "try again in 120 s", True, 1),
        (500, {}, {"error": {"message": "boom"}}, "failed (HTTP 500) after 3 attempts", True, 3),
        (503, {}, {"error": {"message": "busy"}}, "(HTTP 503) after 3 attempts", True, 3),
        (403, {}, {"error": {"message": "region blocked"}}, "Access denied (403)", False, 1),
    ],
)
def test_http_faults_map_to_one_clear_line(status, headers, body, expected, retryable,
                                           requests) -> None:
    with FakeOpenAI(Script(always_status=(status, headers, body))) as server:
        started = time.monotonic()
        error = generate(server)
        elapsed = time.monotonic() - started
        count = len(server.bodies())
    assert isinstance(error, EngineError), error
    assert expected in str(error) and "\n" not in str(error)
    assert error.retryable is retryable
    assert count == requests  # a long Retry-After is not waited for, nor hammered
    assert KEY not in str(error)
    assert elapsed < 5


def test_short_retry_after_is_honoured_then_succeeds() -> None:
    script = Script(statuses=deque([(429, {"Retry-After": "0.05"}, {"error": {"message": "x"}})]))
    with FakeOpenAI(script) as server:
        mode = generate(server)
        assert len(server.bodies()) == 2
    assert not isinstance(mode, Exception), mode


def test_insufficient_quota_is_not_retryable() -> None:
    body = {"error": {"message": "quota", "code": "insufficient_quota"}}
    with FakeOpenAI(Script(always_status=(429, {}, body))) as server:
        error = generate(server)
    assert isinstance(error, EngineError) and not error.retryable and "quota" in str(error)


def test_connection_refused_names_the_server() -> None:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"

    async def go():
        engine = oe.OpenAIEngine(config(None, base_url=url))
        try:
            await engine.generate_mode(FLORIST)
        except EngineError as exc:
            return exc

    error = asyncio.run(go())
    assert str(error) == f"Could not connect: is the server at {url} running?"


def test_connect_timeout() -> None:
    with closing(socket.socket()) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        fillers = []
        for _ in range(8):  # fill the accept queue so further SYNs go unanswered
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            fillers.append(filler)

        async def go():
            engine = oe.OpenAIEngine(config(None, base_url=f"http://127.0.0.1:{port}/v1",
                                            connect_timeout_s=0.3, max_retries=0))
            try:
                await engine.generate_mode(FLORIST)
            except EngineError as exc:
                return exc
            finally:
                await engine.aclose()

        error = asyncio.run(go())
        for filler in fillers:
            filler.close()
    assert "timed out after 0.3 s" in str(error)


def test_overall_time_limit() -> None:
    with FakeOpenAI(Script(delay_s=1.5)) as server:
        started = time.monotonic()
        error = generate(server, timeout_s=0.4, max_retries=0)
        elapsed = time.monotonic() - started
    assert isinstance(error, EngineError) and "0.4 s" in str(error)
    assert elapsed < 1.4


def test_finish_reason_length_mid_json() -> None:
    cut = json.dumps(SAMPLE_GENERATION)[:200]
    with FakeOpenAI(Script(finish_reason="length", contents=deque([cut]))) as server:
        error = generate(server)
    assert isinstance(error, EngineError) and "finish_reason=length" in str(error)


def test_refusal() -> None:
    with FakeOpenAI(Script(refusal="I can't help with that.")) as server:
        error = generate(server)
    assert isinstance(error, EngineError) and "refused: I can't help with that." in str(error)
    assert not error.retryable


def test_no_key_for_a_remote_server_makes_no_request() -> None:
    async def go():
        engine = oe.OpenAIEngine(OpenAIConfig(base_url="https://api.example.invalid/v1"))
        with pytest.raises(EngineError, match="No API key"):
            await engine.generate_mode(FLORIST)
        events = [e async for e in engine.stream_chat(MODE, [], "hi")]
        assert isinstance(events[-1], ErrorEvent) and "No API key" in events[-1].message

    asyncio.run(go())


def test_no_key_needed_for_localhost() -> None:
    with FakeOpenAI() as server:
        mode = generate(server, api_key="")
        auth = server.requests[0]["headers"].get("authorization", "")
    assert not isinstance(mode, Exception), mode
    assert auth == "Bearer not-needed"


# -- mode request detection ---------------------------------------------------------------

async def detect(engine: oe.OpenAIEngine, text: str) -> ModeRequest | None:
    """What the app does with typed text: the local parse, refined by the LLM when a switch."""
    request = parse_trigger(text)
    if request is None or request.kind != "switch":
        return request
    return await engine.refine_request(request)


def test_company_request_is_refined_by_the_llm() -> None:
    async def go(server):
        engine = oe.OpenAIEngine(config(server))
        try:
            return (await detect(engine, "Presto-Change-O, you're Wells Fargo"),
                    await detect(engine, "what's my balance?"),
                    await detect(engine, "Presto-Change-O, you're a florist"))
        finally:
            await engine.aclose()

    with FakeOpenAI() as server:
        company, plain, florist = asyncio.run(go(server))
        assert len(server.bodies()) == 1  # only the company-like request asked the LLM
    assert (company.industry, company.company) == ("banking", "Wells Fargo")
    assert company.slug == "banking-wells-fargo"
    assert plain is None and florist == FLORIST


def test_refinement_falls_back_to_local_parse_on_a_slow_server() -> None:
    async def go(server):
        engine = oe.OpenAIEngine(config(server, refine_timeout_s=0.2))
        try:
            started = time.monotonic()
            request = await detect(engine, "Presto, you're Wells Fargo")
            return request, time.monotonic() - started
        finally:
            await engine.aclose()

    with FakeOpenAI(Script(delay_s=1.0)) as server:
        request, elapsed = asyncio.run(go(server))
    assert request == parse_trigger("Presto, you're Wells Fargo")
    assert elapsed < 0.9


# -- chat -----------------------------------------------------------------------------------

CHART_ARGS = json.dumps({"type": "line", "title": "Spend", "unit": "$",
                         "points": [{"label": "Jan", "value": 10}, {"label": "Feb", "value": 12}]})
METRIC_ARGS = json.dumps({"metrics": [{"label": "Points", "value": 420, "unit": "pts"}]})


def test_streamed_text_and_fragmented_tool_calls() -> None:
    events = [*text_chunks("Here is your spending over time.", 8),
              *tool_chunks(0, "show_chart", CHART_ARGS, 7),
              *tool_chunks(1, "show_metrics", METRIC_ARGS, 5),
              chunk({}, "tool_calls")]
    with FakeOpenAI(Script(stream_events=events)) as server:
        result = chat(server)
        body = server.bodies()[0]
    assert text_of(result) == "Here is your spending over time."
    calls = [e for e in result if isinstance(e, ToolCall)]
    assert [c.name for c in calls] == ["show_chart", "show_metrics"]
    assert calls[0].arguments["points"][1] == {"label": "Feb", "value": 12.0}
    assert calls[1].arguments["metrics"][0]["value"] == 420
    assert result[-1] == Done("stop")
    assert body["stream"] is True
    assert {t["function"]["name"] for t in body["tools"]} == {"show_chart", "show_metrics"}


def test_bad_tool_calls_are_skipped_with_a_note() -> None:
    events = [*text_chunks("Sure.", 2),
              *tool_chunks(0, "show_chart", '{"type": "line", "title": ', 3),
              *tool_chunks(1, "rm_rf", "{}", 1),
              *tool_chunks(2, "show_chart", json.dumps({"type": "donut", "title": "x",
                                                        "points": [{"label": "a", "value": 1}]}), 2),
              chunk({}, "tool_calls")]
    with FakeOpenAI(Script(stream_events=events)) as server:
        result = chat(server)
    text = text_of(result)
    assert "not valid JSON" in text and "unknown tool call (rm_rf)" in text and "invalid" in text
    assert not any(isinstance(e, ToolCall) for e in result)
    assert result[-1] == Done("stop")


def test_system_prompt_carries_the_personas_exact_figures() -> None:
    with FakeOpenAI(Script(stream_events=[*text_chunks("ok", 1), chunk({}, "stop")])) as server:
        chat(server)
        system = server.bodies()[0]["messages"][0]["content"]
    assert system.startswith(MODE.system_prompt)
    assert MODE.persona.name in system
    assert f"lifetime_spend: {MODE.persona.lifetime_spend}" in system


def test_history_is_trimmed_to_a_budget() -> None:
    history = [ChatMessage(role="user" if i % 2 == 0 else "assistant", content="x" * 3000)
               for i in range(60)]
    with FakeOpenAI(Script(stream_events=[*text_chunks("ok", 1), chunk({}, "stop")])) as server:
        chat(server, history=history, message="latest question")
        messages = server.bodies()[0]["messages"]
    assert sum(len(m["content"]) for m in messages[1:]) <= 24_000
    assert messages[1]["role"] == "user" and messages[-1]["content"] == "latest question"


@pytest.mark.parametrize("end", ["cut", "abort"])
def test_stream_without_done_or_finish_reason_is_incomplete(end: str) -> None:
    with FakeOpenAI(Script(stream_events=text_chunks("Partial answer", 3), stream_end=end)) as s:
        result = chat(s)
    assert text_of(result) == "Partial answer"
    assert result[-1] == Done("incomplete")


def test_error_event_mid_stream() -> None:
    events = [*text_chunks("Starting", 2), {"error": {"message": "model overloaded"}}]
    with FakeOpenAI(Script(stream_events=events)) as server:
        result = chat(server)
    assert text_of(result) == "Starting"
    assert isinstance(result[-1], ErrorEvent) and "model overloaded" in result[-1].message


def test_finish_reason_length_marks_the_reply_incomplete() -> None:
    with FakeOpenAI(Script(stream_events=[*text_chunks("Long", 2), chunk({}, "length")])) as s:
        assert chat(s)[-1] == Done("incomplete")


def test_stream_http_error_becomes_an_error_event() -> None:
    with FakeOpenAI(Script(always_status=(401, {}, {"error": {"message": "bad key"}}))) as s:
        result = chat(s)
    assert len(result) == 1 and isinstance(result[0], ErrorEvent) and not result[0].retryable


def test_server_without_tools_is_retried_without_them() -> None:
    script = Script(reject_tools=True, stream_events=[*text_chunks("plain", 1), chunk({}, "stop")])
    with FakeOpenAI(script) as server:
        result = chat(server)
        bodies = server.bodies()
    assert text_of(result) == "plain" and "tools" not in bodies[-1]


def _hanging(server_events: int = 3) -> Script:
    return Script(stream_events=text_chunks("Thinking about it", server_events),
                  stream_end="hang", hang_limit_s=5.0)


def test_aclose_closes_the_http_stream() -> None:
    async def go(server):
        engine = oe.OpenAIEngine(config(server))
        stream = engine.stream_chat(MODE, [], "hi")
        first = await stream.__anext__()
        await stream.aclose()
        await engine.aclose()
        return first

    with FakeOpenAI(_hanging()) as server:
        first = asyncio.run(go(server))
        assert server.client_closed.wait(3)
    assert isinstance(first, TextDelta)


async def _stream_until_first_event(engine) -> tuple[asyncio.Task, list]:
    """Start consuming a reply in a task; return once its first event has arrived."""
    seen: list = []

    async def consume():
        async for event in engine.stream_chat(MODE, [], "hi"):
            seen.append(event)

    task = asyncio.create_task(consume())
    for _ in range(300):
        if seen:
            break
        await asyncio.sleep(0.01)
    return task, seen


def test_cancelling_the_task_closes_the_http_stream() -> None:
    async def go(server):
        engine = oe.OpenAIEngine(config(server))
        task, seen = await _stream_until_first_event(engine)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await engine.aclose()
        return seen

    with FakeOpenAI(_hanging()) as server:
        seen = asyncio.run(go(server))
        assert server.client_closed.wait(3)
    assert seen and not any(isinstance(e, Done) for e in seen)


def test_stop_chat_ends_with_done_stopped_and_closes_the_stream() -> None:
    async def go(server):
        engine = oe.OpenAIEngine(config(server))
        task, seen = await _stream_until_first_event(engine)
        engine.stop_chat()
        await asyncio.wait_for(task, 3)
        await engine.aclose()
        return seen

    with FakeOpenAI(_hanging()) as server:
        seen = asyncio.run(go(server))
        assert server.client_closed.wait(3)
    assert seen[-1] == Done("stopped")


def test_heartbeat_keeps_ticking_while_2000_chunks_stream() -> None:
    events = [*text_chunks("w " * 2000, 2000), chunk({}, "stop")]

    async def go(server):
        engine = oe.OpenAIEngine(config(server))
        ticks = 0
        done = False

        async def heartbeat():
            nonlocal ticks
            while not done:
                ticks += 1
                await asyncio.sleep(0)

        beat = asyncio.create_task(heartbeat())
        result = [e async for e in engine.stream_chat(MODE, [], "hi")]
        done = True
        await beat
        await engine.aclose()
        return result, ticks

    with FakeOpenAI(Script(stream_events=events)) as server:
        result, ticks = asyncio.run(go(server))
    assert text_of(result) == "w " * 2000 and result[-1] == Done("stop")
    assert ticks > 10
    assert len([e for e in result if isinstance(e, TextDelta)]) < 2000  # buffered per frame


# -- settings helpers, hygiene, imports ---------------------------------------------------

def test_list_models_and_test_connection() -> None:
    with FakeOpenAI() as server:
        models = asyncio.run(oe.list_models(config(server)))
        ok = asyncio.run(oe.test_connection(config(server)))
        unknown = asyncio.run(oe.test_connection(config(server, model="nope")))
    assert models == [MODEL, "other-model"] or models == sorted([MODEL, "other-model"])
    assert ok == (True, f"Connected to {server.base_url}: 2 models available.")
    assert unknown[0] and "does not list model 'nope'" in unknown[1]
    with FakeOpenAI(Script(always_status=(401, {}, {"error": {"message": "no"}}))) as server:
        failed = asyncio.run(oe.test_connection(config(server)))
    assert failed[0] is False and "401" in failed[1]


def test_key_never_reaches_the_log(tmp_path) -> None:
    from presto_desktop.core.logs import setup_logging
    from presto_desktop.core.paths import AppPaths

    paths = AppPaths.resolve(tmp_path)
    redactor = setup_logging(paths, level=logging.DEBUG)
    redactor.add_secret(KEY)
    try:
        body = {"error": {"message": f"Incorrect API key provided: {KEY}"}}
        with FakeOpenAI(Script(always_status=(401, {}, body))) as server:
            error = generate(server)
            logging.getLogger("test").warning("failed with %s using key %s", error, KEY)
            assert server.requests[0]["headers"]["authorization"] == f"Bearer {KEY}"
        with FakeOpenAI() as server:
            mode = generate(server)
    finally:
        for handler in [h for h in logging.getLogger().handlers if getattr(h, "_presto", False)]:
            logging.getLogger().removeHandler(handler)
            handler.close()
        logging.getLogger().setLevel(logging.WARNING)
    text = "\n".join(p.read_text() for p in paths.log_dir.iterdir())
    assert "failed with" in text and KEY not in text and "SECRETKEY" not in text
    assert KEY not in mode.model_dump_json()


def test_importing_the_engine_modules_does_not_import_openai() -> None:
    code = ("import sys; import presto_desktop.engines.openai_engine, "
            "presto_desktop.engines.factory, presto_desktop.engines.openai_config; "
            "print('openai' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
