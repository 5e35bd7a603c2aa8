"""Phrases: how requests are folded into words and the ways a request may name an entry."""

from __future__ import annotations

import hashlib
import re
import unicodedata

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
