"""The offline engine's industry lexicon: loading, validation and forgiving lookup."""

from __future__ import annotations

import colorsys
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from presto_desktop.core.errors import ResourceError
from presto_desktop.core.models import Chart, Slug
from presto_desktop.core.paths import resource_path

HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9a-f]{6}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
# Words that say "a business" without saying which: "florist shop" is a florist.
GENERIC_WORDS = frozenset(
    ["shop", "shops", "store", "stores", "company", "companies", "business", "businesses", "service", "services", "co", "inc", "ltd", "llc", "corp", "corporation", "place", "firm", "agency", "provider", "outlet", "center", "centre"]
)
_ARTICLES = frozenset({"a", "an", "the", "some", "my", "our", "local"})
_STOP = frozenset(["and", "of", "for", "in", "on", "at", "to", "with", "by", "from", "or"])


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(_Model):
    """A product or service with its price (or rate)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    price: float


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
    """A KPI: a fixed value, a persona `source`, or a `range` seeded per mode."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    unit: Annotated[str, StringConstraints(max_length=16)] = ""
    value: float | None = None
    source: str | None = None
    range: tuple[float, float] | None = None


class QA(_Model):
    """A sample question with keywords, an answer template ({company}) and an optional chart."""

    question: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    keywords: Annotated[list[Annotated[str, StringConstraints(max_length=40)]],
                        Field(max_length=16)]
    answer: Text
    chart: Chart | None = None


class Industry(_Model):
    """One lexicon industry: everything needed to synthesise a mode."""

    key: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    label: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    synonyms: list[str]
    family: str
    color_family: str
    primary: HexColor
    persona_kind: Literal["banking", "insurance", "healthcare", "generic"]
    order_noun: str = "orders"
    persona_fields: Annotated[list[PersonaField], Field(max_length=12)]
    items: Annotated[list[Item], Field(min_length=1, max_length=12)]
    tabs: Annotated[list[TabSpec], Field(min_length=3, max_length=6)]
    metrics: Annotated[list[MetricSpec], Field(min_length=3, max_length=4)]
    qa: Annotated[list[QA], Field(min_length=3, max_length=6)]
    company_names: Annotated[list[str], Field(min_length=1)]
    taglines: Annotated[list[str], Field(min_length=1)]
    personality: Text


class FallbackQA(_Model):
    """A fallback Q&A template; `chart` names a chart built from the items."""

    question: str
    keywords: list[str]
    answer: str
    chart: Literal["popular", "prices"] | None = None


class Fallback(_Model):
    """Templates ({label}, {label_l}, ...) for industries the lexicon does not know."""

    tabs: list[TabSpec]
    items: list[str]
    suffixes: list[str]
    taglines: list[str]
    personality: str
    fields: list[PersonaField]
    metrics: list[MetricSpec]
    qa: list[FallbackQA]


class Brand(_Model):
    """A well-known company name and the industry it belongs to."""

    name: str
    industry: str


class LexiconData(_Model):
    """The lexicon file apart from its industries (those are validated when first used)."""

    version: Literal[1]
    icons: list[str]
    colors: dict[str, list[HexColor]]
    brands: list[Brand]
    fallback: Fallback


@dataclass(frozen=True)
class Match:
    """What a lookup found: the industry, how, and a brand name when one was named."""

    industry: Industry
    how: Literal["exact", "brand", "partial", "generic"]
    brand: str | None = None


def normalise_words(text: str) -> list[str]:
    """Lower-case ASCII words with naive singulars ("florists" -> "florist")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("&", " and ").replace("'", "")
    return [_singular(w) for w in re.findall(r"[a-z0-9]+", folded)]


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("sses"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _strip_generic(words: list[str]) -> list[str]:
    while words and words[0] in _ARTICLES:
        words = words[1:]
    while len(words) > 1 and words[-1] in GENERIC_WORDS:
        words = words[:-1]
    return words


def stable_seed(text: str) -> int:
    """A stable 63-bit seed for any text."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "replace")).digest()[:8], "big") >> 1


class Lexicon:
    """The parsed lexicon with a lookup index; load once and keep it (the engine holds it).

    Loading parses the JSON and validates the header; each industry is validated with
    pydantic the first time it is used (all of them by `industries`), which keeps start-up
    well under 20 ms.
    """

    def __init__(self, path: Path | None = None) -> None:
        self._path = path
        self._data: LexiconData | None = None
        self._raw: dict[str, dict] = {}
        self._parsed: dict[str, Industry] = {}
        self._index: dict[str, str] = {}
        self._brands: dict[str, Brand] = {}

    @property
    def data(self) -> LexiconData:
        """The validated lexicon header, parsed on first use."""
        if self._data is None:
            self._load()
        assert self._data is not None
        return self._data

    @property
    def keys(self) -> list[str]:
        """Every industry key, in lexicon order."""
        _ = self.data  # loads on first use
        return list(self._raw)

    @property
    def industries(self) -> list[Industry]:
        """Every known industry, each validated."""
        return [self.get(key) for key in self.keys]

    def _load(self) -> None:
        path = self._path or resource_path("lexicon.json")
        try:
            raw = json.loads(path.read_bytes())
            entries = raw.pop("industries")
            data = LexiconData.model_validate(raw)
            if not isinstance(entries, list) or not entries:
                raise ValueError("no industries")
            for entry in entries:
                key, synonyms = entry["key"], entry["synonyms"]
                if not isinstance(key, str) or not all(isinstance(s, str) for s in synonyms):
                    raise ValueError(f"bad key or synonyms in {key!r}")
                if key in self._raw:
                    raise ValueError(f"duplicate industry {key!r}")
                self._raw[key] = entry
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self._raw = {}
            raise ResourceError(
                f"industry lexicon is damaged ({path.name}): {_one_line(exc)}") from exc
        index: dict[str, str] = {}
        # Keys first, then synonyms, then their generic-stripped forms: earlier wins.
        for level in range(3):
            for key, entry in self._raw.items():
                for name in [key] if level == 0 else entry["synonyms"]:
                    words = normalise_words(name)
                    if level == 2:
                        words = _strip_generic(words)
                    index.setdefault(" ".join(words), key)
        index.pop("", None)
        self._brands = {" ".join(normalise_words(b.name)): b for b in data.brands}
        self._index = index
        self._data = data

    def get(self, key: str) -> Industry:
        """The validated industry with exactly this key (KeyError if absent)."""
        found = self._parsed.get(key)
        if found is None:
            _ = self.data  # loads on first use
            try:
                found = Industry.model_validate(self._raw[key])
            except ValueError as exc:
                raise ResourceError(f"industry lexicon entry {key!r} is damaged (lexicon.json): "
                                    f"{_one_line(exc)}") from exc
            self._parsed[key] = found
        return found

    def lookup(self, text: str) -> Match:
        """Find the industry for free text; unknown words get a generic, name-seeded entry."""
        _ = self.data  # loads on first use
        words = normalise_words(text or "")[:12]
        phrase = " ".join(words)
        brand = self._brands.get(phrase)
        if brand:
            return Match(self.get(brand.industry), "brand", brand.name)
        for candidate in (words, _strip_generic(words)):
            hit = self._index.get(" ".join(candidate))
            if hit:
                return Match(self.get(hit), "exact")
        core = [w for w in _strip_generic(words)]
        # Longest sub-phrase first; for equal length prefer the later (head noun) one.
        for size in range(len(core) - 1, 0, -1):
            for start in range(len(core) - size, -1, -1):
                piece = core[start:start + size]
                if piece[0] in _STOP or piece[-1] in _STOP:
                    continue
                joined = " ".join(piece)
                if joined in self._index:
                    return Match(self.get(self._index[joined]), "partial")
                if joined in self._brands:
                    found = self._brands[joined]
                    return Match(self.get(found.industry), "brand", found.name)
        return Match(self._generic(text, core), "generic")

    def _generic(self, text: str, words: list[str]) -> Industry:
        """An industry entry built from unknown words, seeded by them."""
        fb = self.data.fallback
        raw = [w for w in re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text or ""))
               if w.lower() not in _ARTICLES][:6]
        while len(raw) > 1 and _singular(raw[-1].lower()) in GENERIC_WORDS:
            raw = raw[:-1]
        label = " ".join(raw)[:60].strip() or "Business"
        label = label[:1].upper() + label[1:]
        label_l = label if label.isupper() else label.lower()
        seed = stable_seed(" ".join(words) or label.lower())
        ctx = {"label": label, "label_l": label_l}
        items = [Item(name=_fill(t, ctx)[:60], price=float(20 + (seed >> (i * 5)) % 40 * 5))
                 for i, t in enumerate(fb.items)]
        title = " ".join(w[:1].upper() + w[1:] for w in label.split()[:3])[:50]
        suffixes = fb.suffixes
        names = [f"{title} {suffixes[(seed + k) % len(suffixes)]}" for k in range(3)]
        taglines = [_fill(fb.taglines[(seed + k) % len(fb.taglines)], ctx) for k in range(3)]
        popular = sorted(items, key=lambda it: -((seed >> len(it.name)) % 300))
        ctx.update({
            "items3": ", ".join(i.name.lower() for i in popular[:2]) + " and "
            + popular[2].name.lower(),
            "price_list": ", ".join(f"{i.name.lower()} ${i.price:,.0f}" for i in items),
        })
        qa = []
        for template in fb.qa:
            chart = None
            if template.chart == "popular":
                chart = Chart(type="bar", title="Most popular this month", unit="orders",
                              points=[{"label": i.name[:40], "value": float(
                                  40 + (seed >> len(i.name)) % 300)} for i in popular])
            elif template.chart == "prices":
                chart = Chart(type="bar", title="Price guide", unit="$",
                              points=[{"label": i.name[:40], "value": i.price} for i in items])
            qa.append(QA(question=_fill(template.question, ctx)[:200],
                         keywords=template.keywords, answer=_fill(template.answer, ctx),
                         chart=chart))
        tabs = [tab.model_copy(update={"prompt": _fill(tab.prompt, ctx)[:200]}) for tab in fb.tabs]
        return Industry(
            key=label_l[:80], label=label, synonyms=[], family="generic",
            color_family="generated", primary=_seeded_colour(seed), persona_kind="generic",
            persona_fields=fb.fields, items=items, tabs=tabs, metrics=fb.metrics, qa=qa,
            company_names=names, taglines=taglines,
            personality=_fill(fb.personality, ctx),
        )


def _one_line(exc: Exception) -> str:
    """A one-line reason: pydantic's first error with its location, else the message."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "top level"
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {first.get('msg', 'invalid')}{more}"
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _fill(template: str, ctx: dict[str, str]) -> str:
    for name, value in ctx.items():
        template = template.replace("{" + name + "}", value)
    return template


def _seeded_colour(seed: int) -> str:
    """A pleasant mid-tone colour with a seeded hue (distinct words, distinct colours)."""
    hue = (seed % 3600) / 3600
    lightness = 0.40 + ((seed >> 12) % 100) / 1000
    saturation = 0.55 + ((seed >> 20) % 300) / 1000
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
