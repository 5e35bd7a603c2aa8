"""The offline engine: deterministic modes, persona-true answers, charts and safe streaming."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presto_desktop.core.contrast import check_palette_contrast
from presto_desktop.core.models import Mode
from presto_desktop.core.paths import resource_path
from presto_desktop.core.triggers import ModeRequest, parse_trigger
from presto_desktop.engines import offline
from presto_desktop.engines.base import (
    Done,
    Engine,
    ErrorEvent,
    Preparer,
    RequestRefiner,
    TextDelta,
    ToolCall,
)
from presto_desktop.engines.lexicon import Lexicon
from presto_desktop.engines.offline import OfflineEngine, compose_reply

FIXED = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
HOSTILE = [
    "<img src=file:///etc/passwd>",
    "![x](file:///etc/passwd) [click](javascript:alert(1))",
    "QWidget { background-image: url(file:///etc/passwd) }",
    "<table>" * 30 + "</table>" * 30,
    "{company} {label} %s %(x)s {0}",
]


@pytest.fixture(scope="module")
def engine() -> OfflineEngine:
    return OfflineEngine(Lexicon(), clock=lambda: FIXED)


def _generate(engine: OfflineEngine, industry: str, company: str | None = None) -> Mode:
    return asyncio.run(engine.generate_mode(ModeRequest("switch", industry, company)))


def _chat(engine: OfflineEngine, mode: Mode, message: str) -> list:
    async def collect() -> list:
        return [event async for event in engine.stream_chat(mode, [], message)]

    return asyncio.run(collect())


def _text(events: list) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def _tools(events: list) -> list[ToolCall]:
    return [e for e in events if isinstance(e, ToolCall)]


def _builtin(mode_id: str) -> Mode:
    return Mode.model_validate_json(resource_path("modes", f"{mode_id}.json").read_bytes())


def test_implements_the_engine_protocol(engine: OfflineEngine) -> None:
    assert isinstance(engine, Engine)
    assert (engine.label, engine.kind) == ("Offline", "offline")
    text = "Presto-Change-O, you're a florist called Bloom & Co"
    # Triggers are parsed by core.triggers for every engine; offline refines nothing itself.
    assert parse_trigger(text) is not None and parse_trigger("what's my balance?") is None
    assert isinstance(engine, Preparer) and not isinstance(engine, RequestRefiner)
    asyncio.run(engine.aclose())


def test_generated_mode_fields(engine: OfflineEngine) -> None:
    request = parse_trigger("Presto-Change-O, you're a florist")
    assert request is not None
    mode = asyncio.run(engine.generate_mode(request))
    assert mode.id == request.slug == "florist"
    assert mode.request_key == request.key
    assert (mode.source.engine, mode.source.model) == ("offline", None)
    assert mode.created_at == FIXED
    assert mode.persona.kind == "generic"
    assert 3 <= len(mode.tabs) <= 6 and 3 <= len(mode.metrics) <= 4
    assert "offline" in mode.welcome_message.lower()
    assert Mode.model_validate_json(mode.model_dump_json()) == mode


def test_generation_is_deterministic_apart_from_created_at() -> None:
    request = ModeRequest("switch", "dental clinic", "Smile Studio")
    one = OfflineEngine(clock=lambda: FIXED).build_mode(request)
    two = OfflineEngine(clock=lambda: datetime(2030, 1, 1, tzinfo=UTC)).build_mode(request)
    assert one.model_dump(exclude={"created_at"}) == two.model_dump(exclude={"created_at"})
    assert one.company_name == "Smile Studio"


def test_reset_request_raises(engine: OfflineEngine) -> None:
    with pytest.raises(ValueError):
        asyncio.run(engine.generate_mode(ModeRequest("reset")))


# Four shards of the whole knowledge base, so the suite's workers can share the ~10 s.
@pytest.mark.parametrize("shard", range(4))
def test_every_lexicon_industry_makes_a_valid_mode_with_answered_tabs(
        engine: OfflineEngine, shard: int) -> None:
    for key in sorted(engine.lexicon.keys)[shard::4]:
        mode = engine.build_mode(ModeRequest("switch", key))
        for variant in (mode.palette.light, mode.palette.dark):
            assert check_palette_contrast(variant.model_dump()) is None, key
        questions = {a.question for a in mode.offline_content}
        for tab in mode.tabs:
            assert tab.prompt in questions, (key, tab.prompt)
            reply = compose_reply(mode, tab.prompt)
            stored = next(a for a in mode.offline_content if a.question == tab.prompt)
            assert reply.text == stored.answer
            assert "{" not in reply.text, (key, reply.text)
        # Tabs that open a written FAQ (qa:N in the knowledge base) answer in words; every
        # other tab but one draws a chart.
        faq = {t.prompt for t in engine.lexicon.get(key).tabs if t.topic.startswith("qa:")}
        data_tabs = [tab for tab in mode.tabs if tab.prompt not in faq]
        charted = sum(1 for tab in data_tabs if compose_reply(mode, tab.prompt).tool_calls)
        assert charted >= len(data_tabs) - 1, key


def test_persona_kinds_by_family(engine: OfflineEngine) -> None:
    assert _generate(engine, "credit union").persona.kind == "banking"
    assert _generate(engine, "pet insurance").persona.kind == "insurance"
    assert _generate(engine, "dental clinic").persona.kind == "healthcare"
    assert _generate(engine, "brewery").persona.kind == "generic"


def test_unknown_industries_are_distinct(engine: OfflineEngine) -> None:
    one = _generate(engine, "quantum widget repair")
    two = _generate(engine, "artisanal ice sculpture")
    assert one.company_name != two.company_name
    assert one.palette.primary != two.palette.primary
    assert one.industry == "Quantum widget repair"
    assert one.id == "quantum-widget-repair"


def test_names_come_from_request_or_brand(engine: OfflineEngine) -> None:
    named = engine.build_mode(parse_trigger("Presto-Change-O, you're a bakery named Crumbs"))
    assert named.company_name == "Crumbs"
    brand = engine.build_mode(parse_trigger("Presto-Change-O, you're Wells Fargo"))
    assert brand.company_name == "Wells Fargo" and brand.persona.kind == "banking"
    plain = engine.build_mode(parse_trigger("presto, you're Florist"))
    assert plain.company_name != "Florist"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_company_names_are_data(engine: OfflineEngine, hostile: str) -> None:
    mode = engine.build_mode(ModeRequest("switch", "florist", hostile[:80]))
    assert mode.company_name == hostile[:80]
    assert Mode.model_validate_json(mode.model_dump_json()) == mode
    events = _chat(engine, mode, "What are your best sellers?")
    assert isinstance(events[-1], Done)
    assert hostile[:80] in _text(events)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_messages_are_never_echoed_or_executed(engine: OfflineEngine,
                                                       hostile: str) -> None:
    mode = _builtin("banking")
    events = _chat(engine, mode, hostile)
    assert isinstance(events[-1], Done)
    assert not any(isinstance(e, ErrorEvent) for e in events)
    assert hostile not in _text(events)
    for call in _tools(events):
        assert hostile not in json.dumps(call.arguments)


def test_builtin_modes_validate() -> None:
    kinds = {"default": "generic", "banking": "banking", "insurance": "insurance",
             "healthcare": "healthcare"}
    for mode_id, kind in kinds.items():
        mode = _builtin(mode_id)
        assert mode.id == mode_id and mode.persona.kind == kind
        questions = {a.question for a in mode.offline_content}
        assert all(tab.prompt in questions for tab in mode.tabs), mode_id
    assert _builtin("default").name == "Presto Assistant"


@pytest.mark.parametrize("mode_id", ["banking", "fresh"])
def test_checking_balance_answer_uses_the_persona(engine: OfflineEngine, mode_id: str) -> None:
    mode = _builtin("banking") if mode_id == "banking" else _generate(engine, "credit union")
    text = _text(_chat(engine, mode, "What's my checking balance?"))
    assert f"${mode.persona.checking_balance:,.2f}" in text
    assert "savings" not in text.lower()


def test_balance_history_chart_ends_at_current_balance(engine: OfflineEngine) -> None:
    mode = _builtin("banking")
    events = _chat(engine, mode, "Show my balance history")
    calls = _tools(events)
    assert len(calls) == 1 and calls[0].name == "show_chart"
    args = calls[0].arguments
    assert args["type"] == "line" and args["title"] and args["unit"] == "$"
    assert len(args["points"]) == 12
    assert args["points"][-1]["value"] == mode.persona.checking_balance
    # The chart ends at the month the persona is dated to (the built-in file's day).
    assert args["points"][-1]["label"] == mode.persona.reference_day.strftime("%b %Y")
    assert _tools(_chat(engine, mode, "show my balance history")) == calls  # deterministic
    savings = _tools(_chat(engine, mode, "savings balance trend"))[0].arguments
    assert savings["points"][-1]["value"] == mode.persona.savings_balance
    assert isinstance(events[-1], Done)
    assert events.index(calls[0]) > max(i for i, e in enumerate(events)
                                        if isinstance(e, TextDelta))


@pytest.mark.parametrize(("mode_id", "question", "expected"), [
    ("banking", "How much is in my savings?", "savings_balance"),
    ("banking", "What's my total balance?", "total_balance"),
    ("banking", "What's my credit score?", "credit_score"),
    ("insurance", "How much do I pay in premiums?", "total_premium_monthly"),
    ("insurance", "How much coverage do I have?", "total_coverage"),
    ("healthcare", "How much of my deductible is left?", "deductible_remaining"),
    ("healthcare", "What's my out of pocket spending?", "out_of_pocket_spent"),
    ("default", "What's my lifetime spend?", "lifetime_spend"),
])
def test_persona_figures_in_answers(engine: OfflineEngine, mode_id: str, question: str,
                                    expected: str) -> None:
    mode = _builtin(mode_id)
    value = getattr(mode.persona, expected)
    figure = f"{value}" if isinstance(value, int) else f"${value:,.2f}"
    assert figure in _text(_chat(engine, mode, question))


def test_spending_chart_sums_to_debits(engine: OfflineEngine) -> None:
    mode = _builtin("banking")
    args = _tools(_chat(engine, mode, "Break down my spending by category"))[0].arguments
    assert args["type"] in ("pie", "bar")
    debits = -sum(t.amount for t in mode.persona.transactions if t.amount < 0)
    assert sum(p["value"] for p in args["points"]) == pytest.approx(debits, abs=0.05)


def test_generic_spend_chart_ends_at_the_12_month_spend(engine: OfflineEngine) -> None:
    # The chart covers the last 12 months; lifetime spend also counts the years before.
    mode = _generate(engine, "bakery")
    args = _tools(_chat(engine, mode, "Show my spending over the last year"))[0].arguments
    assert args["points"][-1]["value"] == mode.persona.year_spend
    assert mode.persona.lifetime_spend >= mode.persona.year_spend


@pytest.mark.parametrize("mode_id", ["banking", "insurance", "healthcare", "default"])
def test_summary_uses_show_metrics(engine: OfflineEngine, mode_id: str) -> None:
    calls = _tools(_chat(engine, _builtin(mode_id), "How am I doing?"))
    assert [c.name for c in calls] == ["show_metrics"]
    metrics = calls[0].arguments["metrics"]
    assert metrics and all(set(m) == {"label", "value", "unit"} for m in metrics)


def test_unanswerable_question_offers_suggested_prompts(engine: OfflineEngine) -> None:
    mode = _builtin("healthcare")
    events = _chat(engine, mode, "Tell me a joke about zebras")
    text = _text(events)
    assert "offline" in text.lower()
    # Offered as clickable chips (a suggest_prompts call), not as prose.
    chips = [c for c in _tools(events) if c.name == "suggest_prompts"]
    assert chips and mode.suggested_prompts[0] in chips[0].arguments["prompts"]
    assert mode.suggested_prompts[0] not in text


def test_stream_yields_to_the_event_loop() -> None:
    engine = OfflineEngine()
    mode = _builtin("banking")

    async def run() -> tuple[int, int]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        start = ticks
        chunks = 0
        async for event in engine.stream_chat(mode, [], "Show my recent transactions"):
            chunks += isinstance(event, TextDelta)
        task.cancel()
        return ticks - start, chunks

    ticks, chunks = asyncio.run(run())
    assert chunks > 8
    assert ticks >= chunks // 4 - 1


def test_chunk_delay_paces_the_stream() -> None:
    engine = OfflineEngine(chunk_delay=0.001)
    events = _chat(engine, _builtin("default"), "What can you do?")
    assert sum(isinstance(e, TextDelta) for e in events) > 10
    assert isinstance(events[-1], Done)


def test_internal_errors_become_error_events(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(mode: Mode, message: str) -> None:
        raise RuntimeError("broken")

    monkeypatch.setattr(offline, "compose_reply", boom)
    events = _chat(OfflineEngine(), _builtin("banking"), "hello")
    assert len(events) == 1 and isinstance(events[0], ErrorEvent)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_stream_never_raises_on_any_text(text: str) -> None:
    engine = OfflineEngine()
    for mode_id in ("banking", "default"):
        events = _chat(engine, _builtin(mode_id), text)
        assert isinstance(events[-1], Done)
        assert not any(isinstance(e, ErrorEvent) for e in events)
        assert _text(events).strip()


def test_huge_and_non_string_messages() -> None:
    engine = OfflineEngine()
    mode = _builtin("insurance")
    assert isinstance(_chat(engine, mode, "claims " * 200_000)[-1], Done)
    assert isinstance(_chat(engine, mode, None)[-1], Done)  # type: ignore[arg-type]
