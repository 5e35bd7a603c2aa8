"""Offline chat for any industry: a dozen kinds of question answered from the persona and mode."""

from __future__ import annotations

from datetime import date

import pytest

from presto_desktop.core.triggers import ModeRequest
from presto_desktop.engines.lexicon import Lexicon
from presto_desktop.engines.offline import OfflineEngine, compose_reply

TODAY = date(2026, 12, 6)


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine(Lexicon(), today=lambda: TODAY)


def _sample(engine: OfflineEngine) -> list[str]:
    keys = [k for k in engine.lexicon.keys if engine.lexicon.get(k).persona_kind == "generic"]
    return keys[::max(len(keys) // 40, 1)] + ["falconry school", "cocktail lounge"]


def _questions(mode: object) -> list[str]:
    noun = mode.persona.noun or "orders"  # type: ignore[attr-defined]
    item = next(a.chart.points[0].label for a in mode.offline_content  # type: ignore[attr-defined]
                if a.chart is not None and a.chart.title in ("Price list",
                                                              "What people come for"))
    asked = [f"Show my recent {noun}", "How much have I spent over the last year?",
             "How much have I spent in total since I joined?", "What do I choose most often?",
             "What are your prices?", "What's popular right now?", f"How much is {item}?",
             "What do you recommend?", "What's my status?", "What do you have on file for me?",
             "How am I doing?"]
    return asked + [q.question for q in mode.offline_content[-8:]]  # type: ignore[attr-defined]


def test_a_dozen_kinds_of_question_per_industry(engine: OfflineEngine) -> None:
    for key in _sample(engine):
        mode = engine.build_mode(ModeRequest("switch", key))
        answers = set()
        for question in _questions(mode):
            reply = compose_reply(mode, question)
            assert "I don't have an offline answer" not in reply.text, (key, question)
            answers.add(reply.text)
        assert len(answers) >= 12, key


def test_unanswerable_questions_offer_chips_not_prose(engine: OfflineEngine) -> None:
    mode = engine.build_mode(ModeRequest("switch", "florist"))
    reply = compose_reply(mode, "Tell me a joke about zebras")
    calls = [c for c in reply.tool_calls if c.name == "suggest_prompts"]
    assert calls and calls[0].arguments["prompts"] == mode.suggested_prompts[:6]
    assert mode.suggested_prompts[0] not in reply.text


def test_lists_and_charts_share_one_time_order_ending_this_month(engine: OfflineEngine) -> None:
    mode = engine.build_mode(ModeRequest("switch", "florist"))
    history = compose_reply(mode, "Show my recent orders")
    dates = [line[2:12] for line in history.text.splitlines() if line.startswith("- ")]
    assert dates == sorted(dates)
    labels = [p.label[:5] for p in history.chart.points]
    assert labels == [d[5:] for d in dates]
    spend = compose_reply(mode, "Show my spending over the last year")
    assert spend.chart.points[-1].label == "Dec 2026"
    assert spend.chart.points[-1].value == mode.persona.year_spend


def test_item_prices_come_from_the_price_list(engine: OfflineEngine) -> None:
    mode = engine.build_mode(ModeRequest("switch", "florist"))
    prices = next(a.chart for a in mode.offline_content if a.chart and a.chart.title ==
                  "Price list")
    point = prices.points[1]
    reply = compose_reply(mode, f"how much is the {point.label.lower()}?")
    assert f"${point.value:,.0f}" in reply.text
    listed = {p.label: p.value for p in prices.points}
    for order in mode.persona.orders:
        for line in order.lines:
            assert listed[line.name] == line.price
