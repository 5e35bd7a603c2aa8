"""The offline engine: deterministic modes from the lexicon and replies from the mode's data."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from functools import lru_cache

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.models import Metric, Mode, OfflineAnswer, Source, Tab
from presto_desktop.core.palette import derive_palette
from presto_desktop.core.persona import make_persona, persona_seed
from presto_desktop.core.triggers import ModeRequest, normalise, parse_trigger
from presto_desktop.engines.base import ChatEvent, Done, ErrorEvent, TextDelta
from presto_desktop.engines.lexicon import Industry, Lexicon, normalise_words, stable_seed
from presto_desktop.engines.offline_answers import (
    INTENTS,
    TOPIC_KEYWORDS,
    AnyPersona,
    Reply,
    answer_topic,
    persona_value,
)

_MAX_MESSAGE = 2000  # characters of a message considered for matching
_YIELD_EVERY = 4  # chunks between explicit yields to the event loop when not pacing
_GREETINGS = {"hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening",
              "yo", "howdy", "hi there", "hello there"}
_HELP = ("help", "what can you do", "what can i ask", "what do you know", "how doe this work",
         "what can you help")
_TOPICS = {
    "banking": "your balances, transactions, spending and credit",
    "insurance": "your policies, premiums, claims and coverage",
    "healthcare": "your deductible, visits, prescriptions and costs",
}


@lru_cache(maxsize=4096)
def _term(text: str) -> str:
    return " ".join(normalise_words(text))


def _words(text: str) -> str:
    """Space-padded normalised words, so ' term ' matches whole words and phrases."""
    return " " + " ".join(normalise_words(text[:_MAX_MESSAGE])) + " "


def _hits(words: str, terms: tuple[str, ...] | list[str]) -> int:
    """How many distinct terms (after normalising: "trends" == "trend") occur in `words`."""
    return sum(1 for t in {_term(t) for t in terms} if t and f" {t} " in words)


def _fill(template: str, company: str) -> str:
    return template.replace("{company}", company)


class OfflineEngine:
    """Deterministic, instant engine: no network, no model; says so in its label."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        chunk_delay: float = 0.0,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._lexicon = lexicon if lexicon is not None else Lexicon()
        self._chunk_delay = max(float(chunk_delay), 0.0)
        self._clock = clock or (lambda: datetime.now(UTC))

    @property
    def label(self) -> str:
        """Shown in the window's engine indicator."""
        return "Offline"

    @property
    def kind(self) -> str:
        """Engine kind."""
        return "offline"

    @property
    def lexicon(self) -> Lexicon:
        """The industry lexicon this engine uses."""
        return self._lexicon

    async def detect_mode_request(self, text: str) -> ModeRequest | None:
        """A trigger phrase in `text`, or None for ordinary chat."""
        return parse_trigger(text)

    async def generate_mode(self, request: ModeRequest) -> Mode:
        """A complete mode for `request` (a reset raises ValueError: load the default mode)."""
        return self.build_mode(request)

    async def aclose(self) -> None:
        """Nothing to release."""

    def build_mode(
        self,
        request: ModeRequest,
        *,
        mode_id: str | None = None,
        company: str | None = None,
        tagline: str | None = None,
    ) -> Mode:
        """Synthesise a mode; same request, same content (apart from `created_at`)."""
        if request.kind != "switch":
            raise ValueError("a reset request has no mode to generate; load the default mode")
        match = self._lexicon.lookup(request.industry)
        industry = match.industry
        mode_id = mode_id or request.slug
        seed = stable_seed(request.key)
        named = (request.company or "").strip()[:80]
        if named and match.how in ("exact", "partial") and normalise(named) == normalise(
                request.industry):
            named = ""  # "you're Florist": an industry, not a company called "Florist"
        company = (company or named or match.brand
                   or industry.company_names[seed % len(industry.company_names)])[:80]
        tagline = tagline if tagline is not None else industry.taglines[
            (seed >> 8) % len(industry.taglines)]
        persona = make_persona(
            industry.persona_kind, persona_seed(mode_id),
            [(f.label, f.choices) for f in industry.persona_fields],
            [i.name for i in industry.items])
        tabs = [Tab(id=t.id, label=t.label, icon=t.icon, prompt=t.prompt) for t in industry.tabs]
        content = self._offline_content(industry, persona, company)
        prompts = [t.prompt for t in industry.tabs][:4]
        prompts += [q.question for q in industry.qa if q.question not in prompts]
        prompts = prompts[:6] + ["How am I doing?"]
        label_l = industry.label if industry.label.isupper() else industry.label.lower()
        topics = _TOPICS.get(persona.kind,
                             f"your {industry.order_noun}, spending and rewards, and what we offer")
        return Mode(
            schema_version=1,
            id=mode_id,
            industry=industry.label[:80],
            name=industry.label[:80],
            company_name=company,
            tagline=tagline[:160],
            palette=derive_palette(industry.primary),
            personality=industry.personality,
            system_prompt=(
                f"You are the customer assistant for {company}, a {label_l} business. "
                f"Tagline: {tagline}\nPersonality: {industry.personality}\n"
                f"You are helping {persona.name}, a customer since {persona.customer_since}. "
                "Their account data is in the persona; quote it exactly and never invent "
                "figures. Use the show_chart tool (line, bar, pie or area) for trends and "
                "breakdowns and show_metrics for a summary. Keep replies short, friendly and "
                "in plain language. If asked, say you are an AI assistant.")[:8000],
            welcome_message=(
                f"Welcome to {company}! {tagline} I'm the {label_l} assistant, running "
                f"offline with ready-made answers. Ask me about {topics}, or pick a tab "
                "below.")[:2000],
            tabs=tabs,
            metrics=self._metrics(industry, persona, mode_id),
            persona=persona,
            suggested_prompts=[p[:200] for p in prompts][:8],
            offline_content=content,
            request_key=request.key,
            created_at=self._clock(),
            source=Source(engine="offline", model=None),
        )

    @staticmethod
    def _metrics(industry: Industry, persona: AnyPersona, mode_id: str) -> list[Metric]:
        metrics = []
        for index, spec in enumerate(industry.metrics):
            value = spec.value
            if value is None and spec.source:
                value = persona_value(persona, spec.source)
            if value is None and spec.range:
                low, high = spec.range
                fraction = (stable_seed(f"{mode_id}:{index}") % 1000) / 1000
                value = low + (high - low) * fraction
                value = round(value, 1) if high <= 10 else float(round(value))
            metrics.append(Metric(label=spec.label, value=float(value or 0.0), unit=spec.unit))
        return metrics

    @staticmethod
    def _offline_content(industry: Industry, persona: AnyPersona,
                         company: str) -> list[OfflineAnswer]:
        content: list[OfflineAnswer] = []
        for tab in industry.tabs:
            label_words = [tab.label.lower()]
            if tab.topic.startswith("qa:"):
                qa = industry.qa[int(tab.topic[3:])]
                keywords = list(dict.fromkeys(qa.keywords + label_words))[:16]
                content.append(OfflineAnswer(question=tab.prompt, keywords=keywords,
                                             answer=_fill(qa.answer, company), chart=qa.chart))
                continue
            reply = answer_topic(tab.topic, persona, noun=industry.order_noun)
            if reply is None:
                continue
            keywords = list(dict.fromkeys(TOPIC_KEYWORDS.get(tab.topic, []) + label_words))
            content.append(OfflineAnswer(question=tab.prompt, keywords=keywords[:16],
                                         answer=reply.text[:2000], chart=reply.chart))
        asked = {c.question for c in content}
        for qa in industry.qa:
            if qa.question not in asked:
                content.append(OfflineAnswer(question=qa.question, keywords=qa.keywords[:16],
                                             answer=_fill(qa.answer, company), chart=qa.chart))
        return content[:64]

    async def stream_chat(
        self, mode: Mode, history: list[ChatMessage], message: str
    ) -> AsyncIterator[ChatEvent]:
        """Stream the reply in word chunks, then its tool calls, then Done; never raises."""
        try:
            reply = compose_reply(mode, message if isinstance(message, str) else "")
            chunks = re.findall(r"\s*\S+\s*", reply.text) or [reply.text]
        except Exception as exc:  # noqa: BLE001 - turned into an event, never raised
            yield ErrorEvent(f"The offline engine could not answer ({type(exc).__name__}).",
                             retryable=False)
            return
        for index, chunk in enumerate(chunks):
            yield TextDelta(chunk)
            if self._chunk_delay:
                await asyncio.sleep(self._chunk_delay)
            elif index % _YIELD_EVERY == _YIELD_EVERY - 1:
                await asyncio.sleep(0)  # let a GUI loop breathe even without pacing
        for call in reply.tool_calls:
            yield call
        yield Done()


def _content_reply(answer: OfflineAnswer) -> Reply:
    calls = (ToolCall("show_chart", answer.chart.model_dump()),) if answer.chart else ()
    return Reply(answer.answer, calls, answer.chart)


def help_reply(mode: Mode, opening: str = "") -> Reply:
    """What the offline engine can answer, with the mode's suggested prompts."""
    kind = mode.persona.kind
    topics = _TOPICS.get(kind, "your orders, spending, rewards and profile, plus what we offer")
    prompts = "\n".join(f"- {p}" for p in mode.suggested_prompts[:6])
    text = (f"{opening}I'm running offline, so I answer from {mode.company_name}'s ready-made "
            f"answers and your account: {topics}.")
    if prompts:
        text += f" Try one of these:\n{prompts}"
    return Reply(text)


def _order_noun(mode: Mode) -> str:
    """The word this mode uses for orders ("jobs", "sessions"...), read from its orders answer."""
    for answer in mode.offline_content:
        found = re.match(r"Your recent ([a-z][a-z ]{0,30}) \(", answer.answer)
        if found:
            return found.group(1)
    return "orders"


def compose_reply(mode: Mode, message: str) -> Reply:
    """Pick the best offline answer for `message` (never echoes the message back)."""
    words = _words(message)
    if not words.strip():
        return help_reply(mode, "Ask me anything about your account. ")
    flat = words.strip()
    for answer in mode.offline_content:
        if _words(answer.question).strip() == flat:
            return _content_reply(answer)
    if flat in {_term(g) for g in _GREETINGS}:
        return help_reply(mode, f"Hello {mode.persona.name.split()[0]}! ")
    if _hits(words, _HELP):
        return help_reply(mode)
    persona = mode.persona
    best: tuple[int, Reply] | None = None
    for intent in INTENTS:
        if intent.kind not in ("*", persona.kind):
            continue
        if not all(_hits(words, group) for group in intent.groups):
            continue
        score = sum(_hits(words, group) for group in intent.groups) + _hits(words, intent.extra)
        if best is None or score > best[0]:
            reply = answer_topic(intent.topic, persona, words, _order_noun(mode))
            if reply is not None:
                best = (score, reply)
    if persona.kind == "generic":
        for detail in persona.details:
            label_words = _term(detail.label).split()
            score = _hits(words, [_term(detail.label)] + label_words[-1:])
            if score and (best is None or score > best[0]):
                reply = answer_topic(f"detail:{detail.label}", persona, words)
                if reply is not None:
                    best = (score, reply)
    for answer in mode.offline_content:
        score = _hits(words, answer.keywords)
        if score and (best is None or score > best[0]):
            best = (score, _content_reply(answer))
    if best is not None:
        return best[1]
    return help_reply(mode, "I don't have an offline answer for that one. ")
