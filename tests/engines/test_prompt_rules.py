"""The web version's prompt rules, checked on what the engine really sends to the loopback server."""

from __future__ import annotations

import json
from collections import deque

from presto_desktop.core.triggers import parse_trigger
from presto_desktop.engines.generated_mode import named_after_product
from tests.engines.fake_openai_server import (
    SAMPLE_GENERATION,
    FakeOpenAI,
    Script,
    chunk,
    text_chunks,
)
from tests.engines.test_openai_engine import chat, generate

FORBIDDEN = ("demo", "sample", "fictional", "hypothetical")


def _chat_request() -> dict:
    with FakeOpenAI(Script(stream_events=[*text_chunks("ok", 1), chunk({}, "stop")])) as server:
        chat(server, message="Show my spending")
        return server.bodies()[0]


def _rules_text(system: str) -> str:
    """The rules paragraph of the system prompt (after the mode's own prompt and figures)."""
    return system[system.index("Rules for every reply"):]


def test_chat_prompt_forbids_calling_the_data_demo_sample_fictional_or_hypothetical() -> None:
    system = _chat_request()["messages"][0]["content"]
    rules = _rules_text(system).lower()
    for word in FORBIDDEN:
        assert word in rules
    assert "never call them" in rules


def test_chat_prompt_asks_one_short_sentence_with_a_chart() -> None:
    body = _chat_request()
    rules = _rules_text(body["messages"][0]["content"])
    assert "chart, accompany it with one short sentence" in rules
    tools = {t["function"]["name"]: t["function"]["description"] for t in body["tools"]}
    assert "one short sentence" in tools["show_chart"]


def test_chat_prompt_keeps_figures_and_history_consistent_with_the_persona() -> None:
    body = _chat_request()
    system = body["messages"][0]["content"]
    rules = _rules_text(system)
    assert "matches the customer's figures above exactly" in rules
    assert "History stays consistent with the current values" in rules
    # The figures the rules point at are in the same prompt, before the rules.
    assert system.index("lifetime_spend:") < system.index("Rules for every reply")
    tools = {t["function"]["name"]: t["function"]["description"] for t in body["tools"]}
    assert "customer's figures" in tools["show_metrics"]
    assert "customer's own figures" in tools["show_chart"]


def test_generation_prompt_never_names_the_company_after_the_product() -> None:
    with FakeOpenAI() as server:
        generate(server)
        system = server.bodies()[0]["messages"][0]["content"]
    assert "Never name the company after this product" in system
    assert "Presto-Change-O" in system
    for word in FORBIDDEN:
        assert word in system.split("Never name the company", 1)[1]


def test_a_company_named_after_the_product_is_replaced() -> None:
    answer = {**SAMPLE_GENERATION, "company_name": "Presto Change-O Blooms",
              "mode_name": "PrestoChangeo Florists"}
    with FakeOpenAI(Script(contents=deque([json.dumps(answer)]))) as server:
        mode = generate(server)
    assert not named_after_product(mode.company_name)
    assert not named_after_product(mode.name)
    assert mode.company_name == "Florist"


def test_a_user_named_company_is_kept_even_if_it_sounds_like_the_product() -> None:
    request = parse_trigger("Presto-Change-O, you're a florist called Presto Petals")
    with FakeOpenAI() as server:
        mode = generate(server, request=request)
    assert mode.company_name == "Presto Petals"


def test_product_name_check_folds_case_and_punctuation() -> None:
    assert named_after_product("PRESTO-change-o")
    assert named_after_product("Change O Bank")
    assert not named_after_product("Petal & Stem")
