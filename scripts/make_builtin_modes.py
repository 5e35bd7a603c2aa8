"""Write resources/modes/{default,banking,insurance,healthcare}.json with the offline engine.

    .venv/bin/python scripts/make_builtin_modes.py

Names, taglines and the default mode's content are curated here; everything else (persona,
palette, tabs, charts) comes from the engine, so the files stay consistent with it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from presto_desktop.core.models import Chart, Metric, Mode, OfflineAnswer, Tab
from presto_desktop.core.palette import derive_palette
from presto_desktop.core.persona import persona_seed
from presto_desktop.core.persona_maker import make_persona
from presto_desktop.core.triggers import ModeRequest
from presto_desktop.engines.offline import OfflineEngine

OUT = Path(__file__).resolve().parent.parent / "resources" / "modes"
BUILT = datetime(2026, 12, 6, tzinfo=UTC)  # fixed, so regenerating gives identical files

CURATED = {
    # id: (lexicon industry, display name, company, tagline, request key industry)
    "banking": ("bank", "Banking", "Meridian Trust Bank",
                "Banking that keeps pace with your life.", "banking"),
    "insurance": ("insurance", "Insurance", "Evergreen Mutual Insurance",
                  "Covered today, confident tomorrow.", "insurance"),
    "healthcare": ("medical clinic", "Healthcare", "Cedar Grove Health",
                   "Care that starts with listening.", "healthcare"),
}


def _revalidate(mode: Mode) -> Mode:
    """model_copy skips validation: round-trip through JSON so the file is known good."""
    return Mode.model_validate_json(mode.model_dump_json())


def curated_mode(engine: OfflineEngine, mode_id: str) -> Mode:
    """A built-in industry mode with its curated company name and tagline."""
    industry, name, company, tagline, key_industry = CURATED[mode_id]
    mode = engine.build_mode(ModeRequest("switch", industry), mode_id=mode_id, company=company,
                             tagline=tagline)
    return _revalidate(mode.model_copy(update={
        "name": name, "industry": name,
        "request_key": ModeRequest("switch", key_industry).key,
    }))


def default_mode(engine: OfflineEngine) -> Mode:
    """The neutral Presto Assistant the window starts in."""
    base = engine.build_mode(ModeRequest("switch", "assistant"), mode_id="default",
                             company="Presto-Change-O",
                             tagline="Say the magic words and I become any business.")
    groups = Counter(i.group for i in engine.lexicon.industries)
    top = groups.most_common(7)
    families = dict(top) | {"other": sum(groups.values()) - sum(v for _, v in top)}
    known = len(engine.lexicon.keys)
    switch = ("Type \u201cPresto-Change-O, you're a florist\u201d (or a bank, a bakery, a "
              "dental clinic...). Add \u201ccalled Bloom & Co\u201d to pick the company name. "
              "\u201cPresto-Change-O, back to normal\u201d brings you back here.")
    content = [
        OfflineAnswer(
            question="What can you do?",
            keywords=["what can you do", "help", "about", "who are you"],
            answer="I'm Presto, a demo assistant that can turn into any business's customer "
                   "assistant: its name, colours, dashboard tabs, KPIs and a sample customer. "
                   + switch),
        OfflineAnswer(
            question="How do I switch modes?",
            keywords=["switch", "change", "mode", "modes", "presto", "transform", "become"],
            answer=switch),
        OfflineAnswer(
            question="Which businesses can you become?",
            keywords=["which", "business", "businesses", "industries", "industry", "examples",
                      "list"],
            answer=f"Offline I know {known} industries by name, from banks and insurers to "
                   "florists, breweries, dentists and dog groomers, and I can improvise "
                   "any other business from its name. The chart shows how they break down.",
            chart=Chart(type="pie", title="Industries known offline",
                        points=[{"label": k.title(), "value": float(v)}
                                for k, v in families.items()], unit="industries")),
        OfflineAnswer(
            question="Am I running offline?",
            keywords=["offline", "online", "engine", "internet", "network", "api", "key"],
            answer="The engine indicator in the header says which engine is active. Offline, "
                   "modes come from a built-in industry knowledge base and answers are ready-made; "
                   "configure an OpenAI-compatible server in Settings to generate modes with a "
                   "language model."),
        OfflineAnswer(
            question="How do I share a mode?",
            keywords=["share", "export", "import", "file", "library", "save"],
            answer="Every mode is saved as a JSON file. Open the mode library to search, "
                   "apply, export or import modes; an exported file works on any machine, "
                   "offline too."),
    ]
    tabs = [
        Tab(id="start", label="Start", icon="sparkles", prompt="What can you do?"),
        Tab(id="switch", label="Switch", icon="star", prompt="How do I switch modes?"),
        Tab(id="industries", label="Industries", icon="globe",
            prompt="Which businesses can you become?"),
        Tab(id="share", label="Share", icon="package", prompt="How do I share a mode?"),
    ]
    return _revalidate(base.model_copy(update={
        "industry": "General",
        "persona": make_persona(
            "generic", persona_seed("default"),
            [("Role", ["Solutions engineer", "Trainer", "Product designer", "Sales lead"]),
             ("Favourite demo", ["Banking", "Florist", "Coffee shop", "Dental clinic"])],
            ["Demo workshop", "Mode pack", "Training session", "Presentation kit"],
            today=BUILT.date()),
        "name": "Presto Assistant",
        "palette": derive_palette("#4f46e5"),
        "personality": "Friendly, upbeat and brief; a helpful guide to what the demo can do.",
        "system_prompt": "You are Presto, the neutral assistant of Presto-Change-O. Explain "
                         "briefly that saying \u201cPresto-Change-O, you're a <business>\u201d "
                         "turns you into that business's customer assistant. Keep replies "
                         "short and friendly. If asked, say you are an AI assistant.",
        "welcome_message": "Hi, I'm Presto! Say \u201cPresto-Change-O, you're a florist\u201d "
                           "(or any business) and I'll transform into its assistant. Running "
                           "offline? No problem: I know "
                           f"{known} industries by heart.",
        "tabs": tabs,
        "metrics": [Metric(label="Built-in modes", value=4.0, unit=""),
                    Metric(label="Industries offline", value=float(known), unit=""),
                    Metric(label="Time to transform", value=1.0, unit="s")],
        "suggested_prompts": ["Presto-Change-O, you're a florist",
                              "Presto-Change-O, you're a credit union",
                              "Presto-Change-O, you're a coffee shop called Bean There",
                              "What can you do?", "Which businesses can you become?"],
        "offline_content": content,
        "request_key": "",
    }))


def main() -> None:
    """Write the four built-in mode files."""
    engine = OfflineEngine(clock=lambda: BUILT, today=BUILT.date)
    modes = [default_mode(engine)] + [curated_mode(engine, m) for m in CURATED]
    OUT.mkdir(parents=True, exist_ok=True)
    for mode in modes:
        path = OUT / f"{mode.id}.json"
        path.write_text(mode.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(OUT.parent.parent)}: {mode.company_name}")
    # The first frame a fresh data dir paints is derived from the default mode: keep it in step.
    from presto_desktop.ui.shell.shipped_frame import main as write_shipped_frame

    write_shipped_frame()


if __name__ == "__main__":
    main()
