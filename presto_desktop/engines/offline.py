"""The offline engine: deterministic modes from the knowledge base and replies from the mode."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Final

from presto_desktop.core.chat import ChatMessage, ToolCall
from presto_desktop.core.models import Brand, Mode, OfflineAnswer, Source, Tab
from presto_desktop.core.palette import derive_palette, vary_colour
from presto_desktop.core.persona import persona_seed
from presto_desktop.core.persona_maker import make_persona
from presto_desktop.core.triggers import ModeRequest, normalise, parse_trigger
from presto_desktop.engines.base import ChatEvent, Done, ErrorEvent, TextDelta
from presto_desktop.engines.industry import Industry
from presto_desktop.engines.labels import OFFLINE_LABEL, OFFLINE_NOTE
from presto_desktop.engines.lexicon import Lexicon
from presto_desktop.engines.offline_answers import INTENTS, answer_topic
from presto_desktop.engines.offline_content import PRICE_LIST, SERVICES, metrics, offline_content
from presto_desktop.engines.offline_reply import Reply
from presto_desktop.engines.phrases import normalise_words, stable_seed

_MAX_MESSAGE = 2000  # characters of a message considered for matching
_YIELD_EVERY = 4  # chunks between explicit yields to the event loop when not pacing
_GREETINGS = {"hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening",
              "yo", "howdy", "hi there", "hello there"}
_HELP = ("help", "what can you do", "what can i ask", "what do you know", "how doe this work",
         "what can you help")
_PRICE = ("how much", "price", "cost", "costs", "charge")
_RECOMMEND = ("recommend", "suggest", "should i try", "should i get", "what's good",
              "whats good", "something new")
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


def _pick(options: list[str], seed: int, avoid: set[str]) -> str:
    """The seed's choice among `options`, skipping names already taken (case-insensitive)."""
    order = options[seed % len(options):] + options[:seed % len(options)]
    return next((o for o in order if o.lower() not in avoid), order[0])


# What the warm-up builds (and throws away): any industry the lexicon knows will do.
WARM_UP_TRIGGER = "Presto-Change-O, you're a bakery"


class OfflineEngine:
    """Deterministic, instant engine: no network, no model; says so in its label."""

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        chunk_delay: float = 0.0,
        clock: Callable[[], datetime] | None = None,
        today: Callable[[], date] | None = None,
        taken_names: Callable[[], set[str]] | None = None,
    ) -> None:
        self._lexicon = lexicon if lexicon is not None else Lexicon()
        self._chunk_delay = max(float(chunk_delay), 0.0)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._today = today or date.today  # personas count back from this day
        self._taken = taken_names  # company names the library already uses

    @property
    def label(self) -> str:
        """Shown in the window's engine indicator."""
        return OFFLINE_LABEL

    @property
    def kind(self) -> str:
        """Engine kind."""
        return "offline"

    @property
    def lexicon(self) -> Lexicon:
        """The industry knowledge base this engine uses."""
        return self._lexicon

    def taken_names(self) -> set[str] | None:
        """The company names the library uses now (None: no library to ask)."""
        return self._taken() if self._taken is not None else None

    async def generate_mode(self, request: ModeRequest) -> Mode:
        """A complete mode for `request`, built on a worker thread (the GUI loop stays free)."""
        return await asyncio.to_thread(self.build_mode, request)

    async def prepare(self) -> None:
        """Pay the first generation's one-time costs now, on a worker thread.

        The first mode built in a process imports coloraide and Faker and fills the lexicon's
        and palette's caches (~0.4 s on a 2-core box, ~10 ms once warm): done right after the
        window's first paint, a user's first trigger then costs only its own work.
        """
        await asyncio.to_thread(self.warm)

    def warm(self) -> None:
        """Build (and drop) one mode: imports, lexicon and palette caches, in this thread."""
        request = parse_trigger(WARM_UP_TRIGGER)
        if request is not None and request.kind == "switch":
            self.build_mode(request, taken_names=set())

    async def aclose(self) -> None:
        """Nothing to release."""

    def build_mode(
        self,
        request: ModeRequest,
        *,
        mode_id: str | None = None,
        company: str | None = None,
        tagline: str | None = None,
        taken_names: set[str] | None = None,
    ) -> Mode:
        """Synthesise a mode; same request and day, same content (apart from `created_at`).

        `taken_names` are company names other modes in the library already use.
        """
        if request.kind != "switch":
            raise ValueError("a reset request has no mode to generate; load the default mode")
        match = self._lexicon.lookup(request.industry)
        industry = match.industry
        mode_id = mode_id or request.slug
        seed = stable_seed(request.key)
        named = (request.company or "").strip()[:80]
        if named and match.how in ("exact", "corrected") and normalise(named) == normalise(
                request.industry):
            named = ""  # "you're Florist": an industry, not a company called "Florist"
        if taken_names is None:
            taken_names = self.taken_names()
        avoid = {n.lower() for n in taken_names or set()}
        company = (company or named or match.brand
                   or _pick(industry.company_names, seed, avoid))[:80]
        tagline = tagline if tagline is not None else industry.taglines[
            (seed >> 8) % len(industry.taglines)]
        persona = make_persona(
            industry.persona_kind, persona_seed(mode_id),
            [(f.label, f.choices) for f in industry.persona_fields],
            [(i.name, i.price) for i in industry.items], relationship=industry.relationship,
            today=self._today(), noun=industry.noun, priced=not industry.free)
        primary = (industry.primary if industry.composed
                   else vary_colour(industry.primary, stable_seed(industry.key)))
        return Mode(
            schema_version=1, id=mode_id, industry=industry.label[:80],
            name=industry.label[:80], company_name=company, tagline=tagline[:160],
            palette=derive_palette(primary), personality=industry.personality,
            system_prompt=_system_prompt(industry, company, tagline, persona)[:8000],
            welcome_message=_welcome(industry, company, tagline, persona.kind)[:2000],
            tabs=[Tab(id=t.id, label=t.label, icon=t.icon, prompt=t.prompt)
                  for t in industry.tabs],
            metrics=metrics(industry, mode_id), persona=persona,
            suggested_prompts=_prompts(industry),
            offline_content=offline_content(industry, persona, company, mode_id),
            request_key=request.key, created_at=self._clock(),
            source=Source(engine="offline", model=None),
            brand=Brand(icon=industry.icon) if industry.icon != "circle" else None,
        )

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
    calls: tuple[ToolCall, ...] = (
        (ToolCall("show_chart", answer.chart.model_dump()),) if answer.chart else ())
    if answer.metrics:
        calls += (ToolCall("show_metrics", {"metrics": [m.model_dump() for m in
                                                        answer.metrics]}),)
    return Reply(answer.answer, calls, answer.chart)


SUGGEST: Final = "suggest_prompts"  # a tool call the window shows as clickable chips


def help_reply(mode: Mode, opening: str = "") -> Reply:
    """What the offline engine can answer; the mode's suggested prompts come as chips."""
    kind = mode.persona.kind
    noun = getattr(mode.persona, "noun", "") or "orders"
    topics = _TOPICS.get(kind, f"your {noun}, spending and profile, plus our prices and "
                               "what's popular")
    text = (f"{opening}I'm running offline, so I answer from {mode.company_name}'s ready-made "
            f"answers and your account: {topics}.")
    prompts = list(mode.suggested_prompts[:6])
    if prompts:
        text += " Pick one of the suggestions below to start."
        return Reply(text, (ToolCall(SUGGEST, {"prompts": prompts}),))
    return Reply(text)


def _item_reply(mode: Mode, words: str) -> Reply | None:
    """A price for an item the message names, or a recommendation from the price list."""
    prices = next((a.chart for a in mode.offline_content
                   if a.chart is not None and a.chart.title in (PRICE_LIST, SERVICES)), None)
    if prices is None:
        return None
    named = [p for p in prices.points if _hits(words, [p.label])]
    if named and _hits(words, _PRICE):
        point = max(named, key=lambda p: len(p.label))
        if prices.title == SERVICES:
            return Reply(f"{point.label} is free at {mode.company_name}.")
        unit = prices.unit
        value = (f"{point.value:.2f}{unit}" if unit == "%" else
                 f"${point.value:,.0f}" if float(point.value).is_integer() else
                 f"${point.value:,.2f}")
        return Reply(f"{point.label} is {value} at {mode.company_name}.")
    if _hits(words, _RECOMMEND):
        bought = {line.name for t in getattr(mode.persona, "orders", [])
                  for line in getattr(t, "lines", [])}
        fresh = [p for p in prices.points if p.label not in bought] or list(prices.points)
        pick = fresh[stable_seed(mode.id) % len(fresh)]
        return Reply(f"You haven't tried our {pick.label.lower()} yet; it's a customer "
                     f"favourite here at {mode.company_name}. Want me to tell you more?")
    return None


def _order_noun(mode: Mode) -> str:
    """The word this mode uses for orders ("jobs", "sessions"...)."""
    noun = getattr(mode.persona, "noun", "")
    if noun:
        return str(noun)
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
    item = _item_reply(mode, words)
    if item is not None:
        return item
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


def _label_lower(industry: Industry) -> str:
    return industry.label if industry.label.isupper() else industry.label.lower()


def _system_prompt(industry: Industry, company: str, tagline: str, persona: object) -> str:
    return (f"You are the customer assistant for {company}, a {_label_lower(industry)} "
            f"business. Tagline: {tagline}\nPersonality: {industry.personality}\n"
            f"You are helping {getattr(persona, 'name', '')}, a customer since "
            f"{getattr(persona, 'customer_since', '')}. Their account data is in the persona; "
            "quote it exactly and never invent figures. Use the show_chart tool (line, bar, pie "
            "or area) for trends and breakdowns and show_metrics for a summary. Keep replies "
            "short, friendly and in plain language. If asked, say you are an AI assistant.")


def _welcome(industry: Industry, company: str, tagline: str, kind: str) -> str:
    offer = "what we offer" if industry.free else "our prices"
    topics = _TOPICS.get(kind, f"your {industry.noun}, {offer} and what's popular")
    if tagline and tagline[-1] not in ".!?":
        tagline += "."
    return (f"Welcome to {company}! {tagline} I'm the {_label_lower(industry)} assistant"
            f"{OFFLINE_NOTE} Ask me about {topics}, or pick a tab below.")


def _prompts(industry: Industry) -> list[str]:
    prompts = [t.prompt for t in industry.tabs][:4]
    prompts += [q.question for q in industry.qa if q.question not in prompts]
    return [p[:200] for p in prompts[:6] + ["How am I doing?"]][:8]
