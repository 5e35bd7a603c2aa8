"""The offline engine's industry knowledge base: loading, validation and careful lookup.

Lookup never maps on a shared surface word: a request matches an entry only by its whole
phrase, after articles, qualifiers ("small", "organic", "24 hour"), a trailing generic word
("shop", "company") and a place ("in Paris") are set aside, and after obvious misspellings are
corrected. Anything else is composed from what the phrase means (engines/compose.py).
"""

from __future__ import annotations

import json
import json.scanner
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from presto_desktop.core.errors import ResourceError
from presto_desktop.core.paths import resource_path
from presto_desktop.engines.industry import Brand, Industry
from presto_desktop.engines.phrases import (
    _ARTICLES,
    GENERIC_WORDS,
    QUALIFIERS,
    _strings,
    _variants,
    build_index,
    normalise_words,
    speller_words,
    stable_seed,
    strip_generic,
)
from presto_desktop.engines.spelling import Speller

__all__ = ["GENERIC_WORDS", "QUALIFIERS", "_ARTICLES", "build_index", "normalise_words",
           "speller_words", "stable_seed", "strip_generic"]

if TYPE_CHECKING:
    from presto_desktop.engines.compose import Tables

@dataclass(frozen=True)
class Match:
    """What a lookup found: the industry, how, and a brand name when one was named."""

    industry: Industry
    how: Literal["exact", "brand", "corrected", "partial", "composed"]
    brand: str | None = None


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
            raw = _parse(path.read_bytes())
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


def _one_line(exc: Exception) -> str:
    """A one-line reason: pydantic's first error with its location, else the message."""
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "top level"
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{where}: {first.get('msg', 'invalid')}{more}"
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def _parse(data: bytes) -> Any:
    """The knowledge base's JSON: off the main thread, with the pure-Python scanner.

    The C parser holds the GIL for the whole ~3 MB (~35 ms): in the warm-up thread that
    stalled the painted window's loop as long. The Python scanner (~110 ms of the worker's
    CPU) lets the loop have the GIL every switch interval; the main thread (the command
    line, no window) keeps the fast one.
    """
    if threading.current_thread() is threading.main_thread():
        return json.loads(data)
    decoder = json.JSONDecoder()
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    return decoder.decode(data.decode("utf-8"))
