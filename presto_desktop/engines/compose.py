"""Industries the knowledge base lacks, composed from what the phrase means.

"cocktail lounge" is read as a head (lounge: the kind of place and how customers deal with it)
and an object (cocktail: what it is about, which picks brand words, colour and icon). Names,
taglines, products and tabs come from the head's templates and the object's field, never from
echoing the request.
"""

from __future__ import annotations

import random
import re
import unicodedata

from presto_desktop.core.palette import oklch_colour
from presto_desktop.engines.industry import Industry
from presto_desktop.engines.phrases import (
    _ARTICLES,
    GENERIC_WORDS,
    QUALIFIERS,
    normalise_words,
    stable_seed,
)
from presto_desktop.engines.spelling import Speller

_TOPICS = {"history", "spend", "favourites", "catalog", "popular", "status", "profile",
           "summary"}
_EXTRA_TOPICS = {"booking": {"upcoming"}, "appointment": {"upcoming"}, "subscription": {"plan"},
                 "membership": {"plan", "upcoming"}, "case": {"upcoming"},
                 "enrolment": {"upcoming"}, "ticket": {"upcoming"}, "rental": {"upcoming"},
                 "stay": {"upcoming"}, "project": {"upcoming"}}


def _tokens(text: str) -> list[str]:
    """The words as typed (case kept), without a place ("in Paris") or a trailing 'called'."""
    flat = unicodedata.normalize("NFKC", text or "")
    flat = re.split(r"\s+(?:in|near|based in|around|outside)\s+", flat, maxsplit=1)[0]
    return re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", flat)[:8]


class Tables:
    """The fallback data's phrases, normalised once (a lookup then costs well under 1 ms)."""

    def __init__(self, data: dict) -> None:
        self.data = data
        self.heads: dict[tuple[str, ...], dict] = {}
        for head in data["heads"]:
            for phrase in head.get("words", []):
                self.heads.setdefault(tuple(normalise_words(phrase)), head)
        self.fields = [(field, {tuple(normalise_words(w)) for w in field.get("words", [])})
                       for field in data.get("fields", [])]


def _find_head(norm: list[str], tables: Tables,
               prefer: str | None = None) -> tuple[int, int, dict] | None:
    """(start, end, head) of the head phrase that ends the request, longest first.

    Several heads may end it ("grooming salon" is a pet groomer's, "salon" a hairdresser's);
    the one the object's field prefers wins ("beard grooming salon" is a salon).
    """
    for end in range(len(norm), 0, -1):
        found = [(start, end, tables.heads[tuple(norm[start:end])]) for start in range(
            max(end - 3, 0), end) if tuple(norm[start:end]) in tables.heads]
        if found:
            preferred = [f for f in found if f[2].get("id") == prefer]
            return (preferred or found)[0]
    return None


def _field(norm: list[str], tables: Tables) -> dict | None:
    """The word field the phrase is about; its last word (the activity or thing) counts double."""
    best, score = None, 0
    for field, words in tables.fields:
        hits = sum((2 if i + size == len(norm) else 1)
                   for size in (1, 2, 3) for i in range(len(norm) - size + 1)
                   if tuple(norm[i:i + size]) in words)
        if hits > score:
            best, score = field, hits
    return best


def _pick_head(norm: list[str], obj: list[str], field: dict | None, data: dict) -> dict:
    by_id = {h["id"]: h for h in data["heads"]}
    defaults = data.get("default_heads", {})
    last = obj[-1] if obj else ""
    wanted = None
    if last.endswith(("ist", "smith", "maker", "wright", "shaper", "builder")) or (
            last.endswith(("er", "or", "ian")) and len(last) > 5):
        wanted = defaults.get("profession")  # "surfboard shaper": someone who makes things
    if wanted is None and field is not None:
        wanted = field.get("head")
    if wanted is None and last.endswith(("ing", "ry")) and len(last) > 5:
        wanted = defaults.get("activity")
    return by_id.get(wanted or "", by_id.get(defaults.get("object", ""), data["heads"][0]))


class _Filler:
    """Fills {o} {O} {B} {B2} {P} templates for one composed industry."""

    def __init__(self, obj: str, rng: random.Random, brands: list[str], places: list[str]):
        self.obj = obj
        self.rng = rng
        self.brands = brands
        self.places = places

    def __call__(self, template: str) -> str:
        first, second = self.rng.sample(self.brands, 2) if len(self.brands) > 1 else (
            self.brands * 2 or ["North", "Vale"])[:2]
        out = (template.replace("{o}", self.obj.lower()).replace("{O}", _title(self.obj))
               .replace("{B2}", second).replace("{B}", first)
               .replace("{P}", self.rng.choice(self.places or ["Northgate"])))
        return out[:1].upper() + out[1:]


def _title(text: str) -> str:
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in text.split())


def _price(rng: random.Random, low: float, high: float) -> float:
    value = rng.uniform(min(low, high), max(low, high))
    if value >= 100:
        return float(round(value / 5) * 5)
    if value >= 10:
        return float(round(value))
    return round(value * 2) / 2 or 0.5


def compose_industry(text: str, tables: Tables, speller: Speller) -> Industry:
    """An industry for a phrase the knowledge base does not hold."""
    data = tables.data
    tokens = [t for t in _tokens(text) if t.lower() not in _ARTICLES]
    norm = [speller.correct(w) for w in normalise_words(" ".join(tokens))]
    found = _find_head(norm, tables, (_field(norm, tables) or {}).get("head"))
    if found is not None and found[0] == 0 and found[1] - found[0] > 1:
        found = (found[1] - 1, found[1], found[2])  # "film festival": film is the object
    obj_tokens = tokens if found is None else tokens[:found[0]]
    if found is not None and "for" in norm[found[1]:]:
        obj_tokens = tokens[norm.index("for", found[1]) + 1:]  # "school for dogs"
    obj_tokens = [t for t in obj_tokens if normalise_words(t) and normalise_words(t)[0]
                  not in QUALIFIERS and normalise_words(t)[0] not in GENERIC_WORDS]
    obj_norm = normalise_words(" ".join(obj_tokens))
    field = _field(obj_norm or norm, tables)
    head = found[2] if found is not None else _pick_head(norm, obj_norm, field, data)
    seed = stable_seed(" ".join(norm) or "business")
    rng = random.Random(seed)
    obj = " ".join(obj_tokens) or (found and " ".join(tokens[found[0]:found[1]])) or "craft"
    # With no head word the object is the whole request: templates that say it back would
    # echo the request, so names and taglines then come from those that do not.
    echo = found is None or not obj_tokens
    brands = list((field or {}).get("brands") or data.get("brands") or ["Northwind", "Juniper"])
    fill = _Filler(obj, rng, brands, list(data.get("places", [])))
    label = " ".join(tokens)[:60].strip() or "Business"
    label = label[:1].upper() + label[1:]
    return Industry.model_validate(_fields(head, field, fill, rng, seed, label, norm, echo))


def _taglines(fill: _Filler, rng: random.Random, templates: list[str], phrase: str) -> list[str]:
    """Three taglines, preferring those that do not say the whole request back."""
    filled = [fill(t)[:160] for t in rng.sample(templates, len(templates))]
    fresh = [t for t in filled if phrase not in " ".join(normalise_words(t))]
    return (fresh + [t for t in filled if t not in fresh])[:3]


def _without_object(templates: list[str], avoid: bool) -> list[str]:
    """`templates`, less those naming the object when that would echo the request."""
    kept = [t for t in templates if "{o}" not in t.lower()] if avoid else templates
    return kept if len(kept) >= 3 else templates


def _fields(head: dict, field: dict | None, fill: _Filler, rng: random.Random, seed: int,
            label: str, norm: list[str], echo: bool) -> dict:
    relationship = head["relationship"]
    allowed = _TOPICS | _EXTRA_TOPICS.get(relationship, set())
    qa = [{"question": fill(q)[:200], "keywords": k[:16], "answer": fill(a)[:2000]}
          for q, k, a in head["qa"]][:8]
    tabs, seen = [], set()
    # The first tab and a seeded three or four of the rest: neighbours of one head differ.
    rest = head["tabs"][1:]
    keep = sorted(rng.sample(range(len(rest)), min(rng.choice((3, 4)), len(rest))))
    for tab_label, icon, prompt, topic in head["tabs"][:1] + [rest[i] for i in keep]:
        ok = topic in allowed or (topic.startswith("qa:") and topic[3:].isdigit()
                                  and int(topic[3:]) < len(qa))
        tab_id = re.sub(r"[^a-z0-9]+", "-", tab_label.lower()).strip("-")[:40] or "tab"
        if ok and tab_id not in seen:
            seen.add(tab_id)
            tabs.append({"id": tab_id, "label": fill(tab_label)[:32], "icon": icon,
                         "prompt": fill(prompt)[:200], "topic": topic})
    kpis = head["kpis"]
    chosen = sorted(rng.sample(range(len(kpis)), min(4, len(kpis))))
    name_templates = _without_object(head["names"], echo)
    taglines = _without_object(head["taglines"], echo)
    names = [n for n in dict.fromkeys(fill(p) for p in rng.sample(
        name_templates, min(len(name_templates), 5))) if len(n) <= 40][:4]
    names = names or [fill("{B} & {B2}")]
    hue_low, hue_high = (field or {}).get("hue", [seed % 360, seed % 360 + 40])
    primary = oklch_colour(0.44 + rng.random() * 0.22, 0.08 + rng.random() * 0.11,
                           (rng.uniform(hue_low, hue_high) + rng.uniform(-12, 12)) % 360)
    return {
        "key": " ".join(norm)[:80] or "business", "label": label, "group": head["group"],
        "relationship": relationship, "persona_kind": "generic", "noun": head["noun"],
        "primary": primary, "icon": (field or {}).get("icon") or head.get("icon", "circle"),
        "items": [{"name": fill(n)[:60], "price": _price(rng, lo, hi)}
                  for n, lo, hi in head["items"]][:12],
        "tabs": tabs[:6],
        "metrics": [{"label": fill(kpis[i][0])[:40], "unit": kpis[i][1],
                     "range": (kpis[i][2], kpis[i][3])} for i in chosen],
        "persona_fields": [{"label": lb, "choices": [fill(c) for c in ch]}
                           for lb, ch in head["fields"]][:12],
        "qa": qa,
        "company_names": names,
        "taglines": _taglines(fill, rng, taglines, " ".join(norm)),
        "personality": fill(head["personality"])[:2000],
        "composed": True,
    }
