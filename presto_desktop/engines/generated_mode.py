"""Turns what the LLM proposed (GeneratedMode) into a complete, validated Mode, locally."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from pydantic import ValidationError

from presto_desktop.core.errors import EngineError
from presto_desktop.core.models import Mode
from presto_desktop.core.persona import Item, persona_seed
from presto_desktop.core.persona_maker import make_persona
from presto_desktop.core.triggers import ModeRequest, slugify
from presto_desktop.engines.generation_schema import GenChart, GeneratedMode, RefinedRequest

# The web version's rules: the company is never named after this product, and nothing the
# customer reads calls the business or its data demo, sample, fictional or hypothetical.
PRODUCT_WORDS = ("presto", "changeo")
GENERATION_RULES = (
    "Never name the company after this product (not Presto, Presto-Change-O or Change-O). "
    "The system prompt, welcome message and answers treat the company and the customer's "
    "records as real: never call them demo, sample, fictional or hypothetical. An answer "
    "that comes with a chart is one short sentence. Figures agree with each other and "
    "history ends at the current values."
)

GENERATION_SYSTEM = (
    "You design demo personas for a chat assistant that turns itself into a business's "
    "customer assistant. Invent a fictional but plausible company (never a real trademark "
    "unless the user named it), a short tagline, ONE brand primary colour as #rrggbb, a "
    "personality, a system prompt for the assistant (it speaks to one customer whose exact "
    "figures are appended later; never invent account numbers), a welcome message, 3-6 "
    "dashboard tabs (label, a one-word icon name, the question a click asks), 3-6 KPI metrics "
    "(label, number, unit), the persona kind (banking, insurance, healthcare or generic), "
    "industry-specific persona details (label with 3-6 plausible values) and product names, "
    "4-6 suggested customer prompts, and 6-10 sample customer questions with helpful answers, "
    "keywords and, for numeric questions, a small chart (4-12 points). Plain text only: no "
    "HTML, no Markdown images, no links. " + GENERATION_RULES
)

REFINE_SYSTEM = (
    "Classify a chat message sent to a shape-shifting demo assistant. If it asks the assistant "
    "to become a business, return the industry as a short common noun phrase (e.g. 'banking', "
    "'florist', 'airline') and the company name if one was given or implied (e.g. 'you're "
    "Wells Fargo' -> industry 'banking', company 'Wells Fargo'); else company null."
)


def generation_prompt(request: ModeRequest) -> str:
    """The user message asking for a mode."""
    company = f" The company is called {request.company!r}." if request.company else ""
    return (
        f"Create the mode for this industry: {request.industry!r}.{company} "
        f"The user's words were: {request.raw[:300]!r}."
    )


def named_after_product(name: str) -> bool:
    """True when `name` borrows this product's name (Presto, Presto-Change-O, Change-O)."""
    folded = "".join(ch for ch in name.lower() if ch.isalnum())
    return any(word in folded for word in PRODUCT_WORDS)


def refined(request: ModeRequest, answer: RefinedRequest) -> ModeRequest:
    """Merge the LLM's reading into the local parse (the local parse wins on doubt)."""
    if not answer.is_mode_request or not answer.industry.strip():
        return request
    industry = " ".join(answer.industry.lower().split())[:80]
    company = request.company
    if answer.company and answer.company.strip():
        company = answer.company.strip()[:80]
    return ModeRequest(kind="switch", industry=industry, company=company, raw=request.raw)


def _chart(chart: GenChart | None) -> dict | None:
    if chart is None:
        return None
    points = [
        {"label": p.label[:40], "value": float(p.value)}
        for p in chart.points
        if math.isfinite(p.value)
    ][:500]
    if not points:
        return None
    return {"type": chart.type, "title": chart.title[:120], "points": points,
            "unit": chart.unit[:16]}


def _tabs(gen: GeneratedMode) -> list[dict]:
    tabs, seen = [], set()
    for tab in gen.tabs:
        label = tab.label[:32].strip()
        tab_id = slugify(label)[:32].rstrip("-") or "tab"
        if not label or tab_id in seen:
            continue
        seen.add(tab_id)
        icon = slugify(tab.icon)[:32].rstrip("-") or "circle"
        tabs.append({"id": tab_id, "label": label, "icon": icon, "prompt": tab.prompt[:200]})
    return tabs or [{"id": "overview", "label": "Overview", "icon": "home",
                     "prompt": "Give me an overview of my account."}]


def build_mode(gen: GeneratedMode, request: ModeRequest, model: str, *,
               shape: tuple[str, str] = ("purchase", "")) -> Mode:
    """A complete Mode: palette derived, persona made and seeded locally; raises EngineError.

    `shape` is the customer relationship and its noun (from the knowledge base when it knows
    the industry), so the persona follows the same rules as an offline one: dated back from
    today, totals from their parts, one price per product.
    """
    from presto_desktop.core.palette import derive_palette  # coloraide: only when needed

    if request.kind != "switch":
        raise EngineError("Nothing to generate for a reset request.", retryable=False)
    mode_id = request.slug
    details = [(d.label, list(d.choices)) for d in gen.persona_details if d.label and d.choices]
    items: list[Item] | None = [item for item in gen.persona_items if item] or None
    relationship, noun = shape
    persona = make_persona(gen.persona_kind, persona_seed(mode_id), details, items,
                           relationship=relationship, noun=noun)
    proposed = "" if named_after_product(gen.company_name) else gen.company_name
    company = (request.company or proposed or request.industry.title())[:80]
    industry = (request.industry or gen.industry)[:80]
    payload = {
        "schema_version": 1,
        "id": mode_id,
        "industry": industry or "business",
        "name": (gen.mode_name if proposed and not named_after_product(gen.mode_name)
                 else company)[:80],
        "company_name": company,
        "tagline": gen.tagline[:160],
        "palette": derive_palette(gen.primary_color),
        "personality": gen.personality[:2000],
        "system_prompt": gen.system_prompt[:8000],
        "welcome_message": gen.welcome_message[:2000],
        "tabs": _tabs(gen)[:8],
        "metrics": [{"label": m.label[:40], "value": float(m.value), "unit": m.unit[:16]}
                    for m in gen.metrics if m.label][:8],
        "persona": persona,
        "suggested_prompts": [p for p in gen.suggested_prompts if p][:8],
        "offline_content": [
            {"question": a.question[:200], "keywords": [k[:40] for k in a.keywords][:16],
             "answer": a.answer[:2000], "chart": _chart(a.chart)}
            for a in gen.offline_content if a.question and a.answer
        ][:64],
        "request_key": request.key,
        "created_at": datetime.now(UTC),
        "source": {"engine": "openai", "model": model[:120] or None},
    }
    try:
        return Mode.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise EngineError(f"The generated mode was invalid ({where}: {first['msg']}).") from exc
