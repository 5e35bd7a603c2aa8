"""Trigger parsing: "Presto-Change-O, you're a florist" and friends, plus slugs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from presto_desktop.core.patterns import SLUG_PATTERN

DEFAULT_MODE_ID = "default"
MAX_FIELD = 80
_SLUG_RE = re.compile(SLUG_PATTERN)

# "presto", "presto!", "presto change-o", "presto-changeo", "presto chango" ...
_PREFIX = re.compile(
    r"^\W*presto(?:[\s_\-–—,.!:;]*change[\s_\-–—]*o\b|[\s_\-–—,.!:;]*chang(?:e)?o\b)?[\W_]*",
    re.IGNORECASE,
)
_RESET = re.compile(
    r"^(?:(?:go|come|change|switch|turn|return)\s+)?(?:back\s+)?(?:to\s+)?"
    r"(?:normal|default|reset|neutral)(?:\s+mode)?\W*$|^reset\W*$|^back\s+to\s+normal\W*$",
    re.IGNORECASE,
)
_VERB = re.compile(
    r"^(?:(?:now|please|ok|okay)\s*[,]?\s+)*(?:you\s*'?\s*re|youre|you\s+are|you\s+become|become|"
    r"be|turn\s+into|transform\s+into|change\s+into|switch\s+to|make\s+yourself(?:\s+into)?)\b\s*",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:a|an|the|some)\s+", re.IGNORECASE)
_BARE_ARTICLE = re.compile(r"^(?:(?:a|an|the|some)\b)?[\W_]*$", re.IGNORECASE)
_NAMED = re.compile(r"\s*[,;]?\s+(?:called|named)\s+", re.IGNORECASE)
# Sentence punctuation and quotes around a name, but not < > or leading dots: "<b>x</b>" and
# "../etc" stay as typed (shown literally; the slug makes them safe).
_TRAILING = " \t\r\n.,;:!?\"'`)]}»“”‘’-–—"
_LEADING = " \t\r\n\"'`([{«“”‘’-–—"


# What the window says to a trigger that names no business ("Presto-Change-O, you're a").
ASK_REPLY = ("Which business should I become? Say \"Presto-Change-O, you're a\" and the kind "
             "of business, for example a florist or a bike repair shop, or pick one below.")
ASK_EXAMPLES = ("Presto-Change-O, you're a florist", "Presto-Change-O, you're a bike repair shop",
                "Presto-Change-O, you're a dental clinic",
                "Presto-Change-O, you're a cocktail lounge")


@dataclass(frozen=True)
class ModeRequest:
    """What a trigger asks for: a reset, or an industry with an optional company name."""

    kind: Literal["switch", "reset", "ask"]  # ask: a trigger that names no business
    industry: str = ""
    company: str | None = None
    raw: str = ""

    @property
    def key(self) -> str:
        """Normalised request key: the same request reuses the same saved mode."""
        return request_key(self.industry, self.company)

    @property
    def slug(self) -> str:
        """A valid mode id for this request."""
        if self.kind != "switch":
            return DEFAULT_MODE_ID
        company = self.company or ""
        if normalise(company) == normalise(self.industry):
            company = ""  # "you're Wells Fargo": the name is the whole request, once
        return slugify(f"{self.industry} {company}")


def normalise(text: str) -> str:
    """Lower-case, ASCII-fold and collapse whitespace for matching."""
    folded = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    return " ".join(folded.lower().split())


def request_key(industry: str, company: str | None) -> str:
    """Key used to reuse a mode for the same industry and company."""
    return f"{normalise(industry)}|{normalise(company or '')}"[:200]


def split_request_key(key: str) -> tuple[str, str]:
    """The (industry, company) parts of a request key; company is '' when none was named."""
    industry, _, company = key.partition("|")
    return industry, company


def slugify(text: str) -> str:
    """Turn any text into a slug matching ^[a-z0-9][a-z0-9-]{0,63}$ (never raises)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].rstrip("-")
    if not slug:
        slug = "mode-" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:8]
    assert _SLUG_RE.match(slug), slug
    return slug


def _clean(text: str) -> str:
    text = " ".join(text.lstrip(_LEADING).rstrip(_TRAILING).split())
    return text[:MAX_FIELD].rstrip(_TRAILING)


def parse_trigger(text: str) -> ModeRequest | None:
    """Parse a trigger phrase; None means ordinary chat. Never raises."""
    if not isinstance(text, str) or len(text) > 2000:
        return None
    flat = " ".join(unicodedata.normalize("NFKC", text).replace("’", "'").split())
    prefix = _PREFIX.match(flat)
    if not prefix or not re.match(r"^\W*presto", flat, re.IGNORECASE):
        return None
    rest = flat[prefix.end():]
    if _RESET.match(rest.strip(_LEADING + _TRAILING)):
        return ModeRequest(kind="reset", raw=text)
    verb = _VERB.match(rest)
    body = rest[verb.end():] if verb else rest
    article = _ARTICLE.match(body)
    if not verb and not article:
        return None
    if verb and _BARE_ARTICLE.match(body):
        return ModeRequest(kind="ask", raw=text)  # "you're a" with nothing after it
    if article:
        body = body[article.end():]
    company: str | None = None
    named = _NAMED.search(body)
    if named:
        company = _clean(body[named.end():]) or None
        body = body[: named.start()]
    subject = _clean(body)
    if not subject:
        if company is None:
            return ModeRequest(kind="ask", raw=text) if verb else None
        return ModeRequest("switch", "business", company, text)
    if not article and company is None and subject[:1].isupper():
        # "you're Wells Fargo": a company name; the industry is inferred later.
        return ModeRequest(kind="switch", industry=normalise(subject), company=subject, raw=text)
    return ModeRequest(kind="switch", industry=normalise(subject), company=company, raw=text)


# Words that ask for a built-in mode rather than a newly generated one.
BUILTIN_ALIASES = {
    "bank": "banking",
    "banking": "banking",
    "a bank": "banking",
    "insurance": "insurance",
    "insurer": "insurance",
    "insurance company": "insurance",
    "healthcare": "healthcare",
    "health care": "healthcare",
    "healthcare provider": "healthcare",
    "default": DEFAULT_MODE_ID,
}
