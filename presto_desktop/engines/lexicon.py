"""The offline engine's industry knowledge base: loading, validation and careful lookup.

Lookup never maps on a shared surface word: a request matches an entry only by its whole
phrase, after articles, qualifiers ("small", "organic", "24 hour"), a trailing generic word
("shop", "company") and a place ("in Paris") are set aside, and after obvious misspellings are
corrected. Anything else is composed from what the phrase means (engines/compose.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from presto_desktop.core.errors import ResourceError
from presto_desktop.core.models import Chart, Slug
from presto_desktop.core.paths import resource_path
from presto_desktop.core.persona import Relationship
from presto_desktop.engines.spelling import Speller

if TYPE_CHECKING:
    from presto_desktop.engines.compose import Tables

HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9a-f]{6}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=80)]
# Words that say "a business" without saying which: "florist shop" is a florist.
GENERIC_WORDS = frozenset(
    ["shop", "store", "company", "business", "service", "co", "inc", "ltd", "llc", "corp",
     "corporation", "place", "firm", "provider", "outlet", "boutique", "emporium", "biz",
     "enterprise", "establishment", "operator", "specialist", "franchise"])
_ARTICLES = frozenset({"a", "an", "the", "some", "my", "our", "your", "one"})
# Words that describe a business without changing what it is ("organic bakery" is a bakery).
QUALIFIERS = frozenset("""
small big large tiny little huge local family run owned based independent indie boutique luxury
luxurious budget cheap affordable discount premium upscale high end highend fancy posh exclusive
organic eco friendly sustainable green ethical fair trade artisan
artisanal craft handmade gourmet specialty speciality modern traditional classic authentic
cozy cosy trendy hip chic quirky friendly award winning popular famous busy new old established
online mobile virtual digital 24 7 24h hour late night neighborhood neighbourhood downtown
uptown urban rural suburban city town village countryside seaside beachside coastal national
regional international global full premier elite top best leading professional certified
licensed high quality reliable fast quick express same day
women men woman man ladies gentleman unisex american british english italian french spanish
mexican chinese japanese korean thai indian greek turkish german irish scottish vietnamese
lebanese moroccan ethiopian brazilian peruvian caribbean mediterranean asian european african
nordic scandinavian russian polish portuguese cuban filipino hawaiian texan southern cajun
""".split())
_STOP = frozenset(["and", "of", "for", "in", "on", "at", "to", "with", "by", "from", "or"])
_PLACE_WORDS = frozenset({"in", "near", "at", "on", "around", "outside", "from"})
# People a business serves without changing what it is ("a dentist for kids").
_AUDIENCE = frozenset({"kid", "child", "children", "toddler", "teen", "teenager", "adult",
                       "senior", "family", "women", "men", "student", "beginner", "everyone",
                       "me", "us", "professional", "couple"})


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Model):
    """A product or service with its price (or rate)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    price: Annotated[float, Field(ge=0, le=1e7)]


class PersonaField(_Model):
    """A persona detail label and the values a seeded persona may pick from."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    choices: Annotated[list[Annotated[str, StringConstraints(max_length=120)]],
                       Field(min_length=1)]


class TabSpec(_Model):
    """A dashboard tab; `topic` names the offline answer ("qa:N" or a persona topic)."""

    id: Slug
    label: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    icon: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,32}$")]
    prompt: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    topic: Annotated[str, StringConstraints(min_length=1, max_length=40)]


class MetricSpec(_Model):
    """A business-facing KPI with a range its value is seeded from per mode."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    unit: Annotated[str, StringConstraints(max_length=16)] = ""
    range: tuple[float, float]


class QA(_Model):
    """A sample question with keywords, an answer template ({company}) and an optional chart."""

    question: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    keywords: Annotated[list[Annotated[str, StringConstraints(max_length=40)]],
                        Field(max_length=16)]
    answer: Text
    chart: Chart | None = None


class Industry(_Model):
    """One industry, from the knowledge base or composed: everything a mode is made from."""

    key: Short
    label: Short
    synonyms: list[str] = []
    group: str
    relationship: Relationship
    persona_kind: Literal["banking", "insurance", "healthcare", "generic"]
    noun: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    primary: HexColor
    icon: str = "circle"
    items: Annotated[list[Item], Field(min_length=1, max_length=12)]
    price_note: Annotated[str, StringConstraints(max_length=16)] = ""
    free: bool = False
    tabs: Annotated[list[TabSpec], Field(min_length=3, max_length=6)]
    metrics: Annotated[list[MetricSpec], Field(min_length=3, max_length=4)]
    persona_fields: Annotated[list[PersonaField], Field(max_length=12)]
    qa: Annotated[list[QA], Field(min_length=3, max_length=8)]
    company_names: Annotated[list[Short], Field(min_length=1)]
    taglines: Annotated[list[Annotated[str, StringConstraints(max_length=160)]],
                        Field(min_length=1)]
    personality: Text
    composed: bool = False


class Brand(_Model):
    """A well-known company name and the industry it belongs to."""

    name: str
    industry: str


@dataclass(frozen=True)
class Match:
    """What a lookup found: the industry, how, and a brand name when one was named."""

    industry: Industry
    how: Literal["exact", "brand", "corrected", "partial", "composed"]
    brand: str | None = None


def normalise_words(text: str) -> list[str]:
    """Lower-case ASCII words with naive singulars ("florists" -> "florist")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ").replace("'", "").replace("’", "")
    return [_singular(w) for w in re.findall(r"[a-z0-9]+", folded)]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def strip_generic(words: list[str]) -> list[str]:
    """Without leading articles and qualifiers and a trailing generic word."""
    while words and (words[0] in _ARTICLES or words[0] in QUALIFIERS or words[0] in _STOP):
        words = words[1:]
    while len(words) > 1 and words[-1] in GENERIC_WORDS:
        words = words[:-1]
    return words


def _without_generic(words: list[str]) -> list[str]:
    while len(words) > 1 and words[-1] in GENERIC_WORDS:
        words = words[:-1]
    return words


def stable_seed(text: str) -> int:
    """A stable 63-bit seed for any text."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "replace")).digest()[:8], "big") >> 1


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "tab"


def industry_from_entry(entry: dict) -> dict:
    """A knowledge-base entry (docs/KNOWLEDGE_BASE.md) as Industry fields."""
    tabs, seen = [], set()
    for label, icon, prompt, topic in entry["tabs"]:
        tab_id = _slug(label)
        while tab_id in seen:
            tab_id = f"{tab_id}-2"[:40]
        seen.add(tab_id)
        tabs.append({"id": tab_id, "label": label, "icon": icon, "prompt": prompt,
                     "topic": topic})
    return {
        "key": entry["key"], "label": entry["label"], "synonyms": entry["synonyms"],
        "group": entry["group"], "relationship": entry["relationship"],
        "persona_kind": entry.get("persona", "generic"), "noun": entry["noun"],
        "primary": entry["color"], "icon": entry["icon"],
        "items": [{"name": n, "price": p} for n, p in entry["items"]],
        "price_note": entry.get("price_note", ""), "free": entry.get("free", False),
        "tabs": tabs,
        "metrics": [{"label": lb, "unit": u, "range": (lo, hi)} for lb, u, lo, hi in
                    entry["kpis"]],
        "persona_fields": [{"label": lb, "choices": c} for lb, c in entry["fields"]],
        "qa": [{"question": q, "keywords": k, "answer": a} for q, k, a in entry["qa"]],
        "company_names": entry["names"], "taglines": entry["taglines"],
        "personality": entry["personality"],
    }


class Lexicon:
    """The parsed knowledge base with a lookup index; load once and keep it (the engine does).

    Loading parses the JSON and builds the phrase index; each entry is validated with pydantic
    the first time it is used (all of them by `industries`). Safe to use from a worker thread.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._lock = threading.RLock()
        self._loaded = False
        self._raw: dict[str, dict | str] = {}
        self._parsed: dict[str, Industry] = {}
        self._index: dict[str, str] = {}
        self._brands: dict[str, Brand] = {}
        self._fallback: dict = {}
        self._speller: Speller | None = None
        self._vocab: dict[str, set[str]] = {}
        self._tables: Tables | None = None  # the compositional fallback's, built on first use

    @property
    def keys(self) -> list[str]:
        """Every industry key, in knowledge-base order."""
        self._ensure()
        return list(self._raw)

    @property
    def industries(self) -> list[Industry]:
        """Every known industry, each validated."""
        return [self.get(key) for key in self.keys]

    @property
    def fallback(self) -> dict:
        """The compositional fallback's data (heads, fields, brand words)."""
        self._ensure()
        return self._fallback

    def _ensure(self) -> None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._load()
                    self._loaded = True

    def _load(self) -> None:
        path = self._path or resource_path("lexicon.json")
        try:
            raw = json.loads(path.read_bytes())
            entries, index = raw["entries"], raw["index"]
            if raw.get("version") != 2 or not isinstance(entries, dict) or not entries:
                raise ValueError("not a version 2 knowledge base")
            if not isinstance(index, dict) or not all(v in entries for v in index.values()):
                raise ValueError("the index names industries that are not there")
            brands = [Brand.model_validate(b) for b in raw["brands"]]
            fallback = raw["fallback"]
            if not isinstance(fallback, dict) or not fallback.get("heads"):
                raise ValueError("the fallback has no heads")
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ResourceError(
                f"industry knowledge base is damaged ({path.name}): {_one_line(exc)}") from exc
        self._raw = entries
        # A brand names its industry by any phrase the index knows ("bank", "coffee shop").
        resolved = [(b, index.get(" ".join(normalise_words(b.industry)))) for b in brands]
        self._brands = {" ".join(normalise_words(b.name)): Brand(name=b.name, industry=key)
                        for b, key in resolved if key}
        self._index = index
        self._fallback = fallback
        words = raw.get("words")
        self._words: dict[str, list[str]] = words if isinstance(words, dict) else {}

    def _entry(self, key: str) -> dict:
        """The raw entry (parsed from its JSON string on first use)."""
        entry = self._raw[key]
        if isinstance(entry, str):
            entry = json.loads(entry)
            if not isinstance(entry, dict):
                raise ValueError("an entry is not an object")
            self._raw[key] = entry
        return entry

    def get(self, key: str) -> Industry:
        """The validated industry with exactly this key (KeyError if absent)."""
        found = self._parsed.get(key)
        if found is None:
            self._ensure()
            try:
                found = Industry.model_validate(industry_from_entry(self._entry(key)))
            except (ValueError, TypeError, KeyError) as exc:
                raise ResourceError(f"industry entry {key!r} is damaged (lexicon.json): "
                                    f"{_one_line(exc)}") from exc
            self._parsed[key] = found
        return found

    def find(self, text: str) -> tuple[str, str] | None:
        """(key, how) of the entry `text` names, or None.

        The whole phrase first (as typed, then without qualifiers, generic words and a place),
        then the head noun with modifiers the entry itself speaks of ("wedding florist" is a
        florist; "blood bank" is no bank: no bank's entry mentions blood).
        """
        self._ensure()
        words = normalise_words(text or "")[:12]
        for candidate in _variants(words):
            hit = self._index.get(" ".join(candidate))
            if hit:
                return hit, "exact"
        speller = self._spelling()  # built on the first request that is not found as typed
        fixed = [speller.correct(w) for w in words]
        for candidate in _variants(fixed) if fixed != words else []:
            hit = self._index.get(" ".join(candidate))
            if hit:
                return hit, "corrected"
        variants = _variants(fixed)
        core = variants[-1] if variants else []
        for start in range(1, len(core)):
            hit = self._index.get(" ".join(core[start:]))
            if hit and all(w in QUALIFIERS or w in self._vocabulary(hit) for w in core[:start]):
                return hit, "partial"
        return None

    def _vocabulary(self, key: str) -> set[str]:
        """Every word an entry uses anywhere (its modifiers are the words it speaks of)."""
        with self._lock:
            found = self._vocab.get(key)
            if found is None:
                entry = {k: v for k, v in self._entry(key).items() if k not in ("tabs", "kpis")}
                found = set(normalise_words(" ".join(_strings(entry))))
                self._vocab[key] = found
            return found

    def lookup(self, text: str) -> Match:
        """Find the industry for free text; unknown phrases get a composed industry."""
        self._ensure()
        words = normalise_words(text or "")[:12]
        brand = self._brands.get(" ".join(words)) or self._brands.get(
            " ".join(strip_generic(words)))
        if brand:
            return Match(self.get(brand.industry), "brand", brand.name)
        found = self.find(text)
        if found:
            return Match(self.get(found[0]), found[1])  # type: ignore[arg-type]
        from presto_desktop.engines.compose import Tables, compose_industry

        with self._lock:
            if self._tables is None:
                self._tables = Tables(self._fallback)
        return Match(compose_industry(text, self._tables, self._spelling()), "composed")

    def _spelling(self) -> Speller:
        with self._lock:
            if self._speller is None:
                self._speller = Speller(set(self._words.get("known", [])),
                                        set(self._words.get("keep", [])))
            return self._speller


def speller_words(entries: list[dict], fallback: dict) -> dict[str, list[str]]:
    """Words to correct towards (keys, synonyms) and real words never to correct."""
    known = {w for e in entries for phrase in [e["key"], *e.get("synonyms", [])]
             for w in normalise_words(phrase)}
    keep = {w for group in ("fields", "heads") for item in fallback.get(group, [])
            for phrase in item.get("words", []) for w in normalise_words(phrase)}
    return {"known": sorted(known), "keep": sorted(keep | QUALIFIERS | GENERIC_WORDS)}


def build_index(entries: list[dict]) -> dict[str, str]:
    """Phrase -> key: keys first, then synonyms and misspellings, then generic-stripped forms."""
    index: dict[str, str] = {}
    for level in range(3):
        for entry in entries:
            names = [entry["key"]] if level == 0 else [*entry.get("synonyms", []),
                                                       *entry.get("misspellings", [])]
            for name in names:
                words = normalise_words(name)
                index.setdefault(" ".join(strip_generic(words) if level == 2 else words),
                                 entry["key"])
    index.pop("", None)
    return index


def _strings(value: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _variants(words: list[str]) -> list[list[str]]:
    """The ways a request may name an entry, most literal first.

    As typed; then without a trailing place ("in Paris", "near me": tried from the last place
    word back, so "walk in clinic" survives) or audience ("for kids"); then with leading
    articles and qualifiers dropped one at a time ("authentic mexican restaurant" is a
    mexican restaurant before it is a restaurant) and a trailing generic word.
    """
    bases = [words]
    rest = words
    while rest and (rest[0] in _ARTICLES or rest[0] in QUALIFIERS or rest[0] in _STOP):
        rest = rest[1:]
        bases.append(rest)
    out: list[list[str]] = []
    for base in bases:
        for trimmed in _trims(base):
            out += [trimmed, _without_generic(trimmed)]
    out.append(strip_generic(words))
    return [v for v in out if v]


def _trims(words: list[str]) -> list[list[str]]:
    """`words`, then without a trailing audience or place."""
    out = [words]
    if len(words) > 2 and words[-2] == "for" and words[-1] in _AUDIENCE:
        out.append(words[:-2])
    for cut in range(len(words) - 2, 0, -1):
        if words[cut] in _PLACE_WORDS:
            out.append(words[:cut])
    return out


def _one_line(exc: Exception) -> str:
    """A one-line reason: pydantic's first error with its location, else the message."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "top level"
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {first.get('msg', 'invalid')}{more}"
    return " ".join(str(exc).split())[:300] or type(exc).__name__
