"""A mode's offline content: tab answers, the price list, what is popular, and its FAQs."""

from __future__ import annotations

import random

from presto_desktop.core.models import Metric, OfflineAnswer
from presto_desktop.engines.industry import Industry
from presto_desktop.engines.offline_answers import AnyPersona, answer_topic
from presto_desktop.engines.offline_reply import bar, money
from presto_desktop.engines.phrases import stable_seed

PRICE_LIST = "Price list"
SERVICES = "What people come for"  # the price list's chart where everything is free
POPULAR = "Popular this month"
_CATALOG_WORDS = ["price", "prices", "cost", "how much", "menu", "offer", "sell", "range",
                  "services", "products", "catalog", "what do you have"]
_POPULAR_WORDS = ["popular", "best seller", "bestseller", "trending", "recommend", "most loved",
                  "favourite this month", "what's hot"]


def fill(template: str, company: str) -> str:
    """A template with the company name in place of {company}."""
    return template.replace("{company}", company)


def price_text(industry: Industry, price: float) -> str:
    """A price as the business quotes it ("$65", "$120/hour", "4.10% APY")."""
    note = industry.price_note
    if industry.free or price == 0:
        return "free"
    if note.startswith("%"):
        return f"{price:.2f}{note}"
    amount = f"${price:,.0f}" if float(price).is_integer() else f"${price:,.2f}"
    return amount + (note if note.startswith("/") else (f" {note}" if note else ""))


def catalog_answer(industry: Industry, company: str, prompt: str) -> OfflineAnswer:
    """The price list as text and a bar chart (the chart labels are the item names)."""
    listed = ", ".join(f"{i.name} {price_text(industry, i.price)}" for i in industry.items)
    unit = "%" if industry.price_note.startswith("%") else "$"
    chart = bar(PRICE_LIST, [(i.name, i.price) for i in industry.items], unit=unit)
    if industry.free:  # nothing to price: how often each service is used instead
        rng = random.Random(stable_seed(f"{company}:services"))
        chart = bar(SERVICES, [(i.name, rng.randint(20, 400))
                                              for i in industry.items], unit=industry.noun[:16])
    text = (f"Everything here at {company} is free to you: {listed.replace(' free', '')}."
            if industry.free else f"Here's {company}'s price list: {listed}.")
    return OfflineAnswer(question=prompt[:200], keywords=_CATALOG_WORDS, answer=text[:2000],
                         chart=chart)


def popular_answer(industry: Industry, company: str, prompt: str, mode_id: str) -> OfflineAnswer:
    """What customers chose most this month (seeded per mode), as text and a chart."""
    rng = random.Random(stable_seed(f"{mode_id}:popular"))
    counts = sorted(((i.name, rng.randint(12, 240)) for i in industry.items),
                    key=lambda kv: -kv[1])
    top = ", ".join(name for name, _ in counts[:3])
    return OfflineAnswer(
        question=prompt[:200], keywords=_POPULAR_WORDS,
        answer=f"This month our customers' favourites at {company} are {top}."[:2000],
        chart=bar(POPULAR, counts, unit=industry.noun[:16]))


def metrics(industry: Industry, mode_id: str) -> list[Metric]:
    """The business-facing KPI cards, each seeded within its range per mode."""
    out = []
    for index, spec in enumerate(industry.metrics):
        low, high = spec.range
        fraction = (stable_seed(f"{mode_id}:{index}") % 1000) / 1000
        value = low + (high - low) * fraction
        whole = float(low).is_integer() and float(high).is_integer() and high - low >= 3
        value = float(round(value)) if whole or high > 100 else round(value, 1)
        out.append(Metric(label=spec.label, value=float(value), unit=spec.unit))
    return out


def offline_content(industry: Industry, persona: AnyPersona, company: str,
                    mode_id: str) -> list[OfflineAnswer]:
    """Every ready-made answer: one per tab first, then the FAQs, price list and popular."""
    content: list[OfflineAnswer] = []
    asked: set[str] = set()

    def add(answer: OfflineAnswer | None) -> None:
        if answer is not None and answer.question not in asked:
            asked.add(answer.question)
            content.append(answer)

    for tab in industry.tabs:
        add(_tab_answer(industry, tab.topic, tab.prompt, tab.label, persona, company, mode_id))
    for qa in industry.qa:
        add(OfflineAnswer(question=qa.question, keywords=qa.keywords[:16],
                          answer=fill(qa.answer, company)[:2000], chart=qa.chart))
    add(catalog_answer(industry, company, "What are your prices?"))
    add(popular_answer(industry, company, "What's popular right now?", mode_id))
    return content[:64]


def _tab_answer(industry: Industry, topic: str, prompt: str, label: str, persona: AnyPersona,
                company: str, mode_id: str) -> OfflineAnswer | None:
    label_words = [label.lower()]
    if topic.startswith("qa:"):
        qa = industry.qa[int(topic[3:])]
        return OfflineAnswer(question=prompt[:200],
                             keywords=list(dict.fromkeys(qa.keywords + label_words))[:16],
                             answer=fill(qa.answer, company)[:2000], chart=qa.chart)
    if topic == "catalog":
        return catalog_answer(industry, company, prompt)
    if topic == "popular":
        return popular_answer(industry, company, prompt, mode_id)
    reply = answer_topic(topic, persona, noun=industry.noun)
    if reply is None:
        return None
    # Typed questions on this topic are answered live from the persona (the words may ask for
    # savings rather than checking); the stored answer serves the tab's own prompt.
    keywords = label_words
    shown = [call.arguments.get("metrics", []) for call in reply.tool_calls
             if call.name == "show_metrics"]
    return OfflineAnswer(question=prompt[:200], keywords=keywords, answer=reply.text[:2000],
                         chart=reply.chart,
                         metrics=[Metric.model_validate(m) for m in (shown[0] if shown else [])])


__all__ = ["POPULAR", "PRICE_LIST", "catalog_answer", "fill", "metrics", "money",
           "offline_content", "popular_answer", "price_text"]
