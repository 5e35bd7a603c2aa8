"""Reply text for speaking: sentences as they stream in, without Markdown, and cut-off marks."""

from __future__ import annotations

import re

MIN_SENTENCE = 12  # shorter pieces ("Hi." "Yes.") join the next one: fewer, smoother requests
_END = re.compile(r"[.!?…](?:[\"')\]]*)\s+|\n+")
_MARKUP = re.compile(r"\*\*|__|`+|^#+\s*|^\s*[-*+]\s+|^\s*\d+\.\s+|\[([^\]]*)\]\([^)]*\)",
                     re.MULTILINE)
_NOTE = re.compile(r"\[(?:shown on the dashboard|skipped)[^\]]*\]")


class SentenceSplitter:
    """Cuts streamed text into sentences, each with the text's length at its end."""

    def __init__(self) -> None:
        self._text = ""
        self._start = 0  # where the next sentence begins in the whole text

    def feed(self, delta: str) -> list[tuple[str, int]]:
        """The sentences `delta` completed, as (sentence, end offset in the whole text)."""
        self._text += delta
        found: list[tuple[str, int]] = []
        for match in _END.finditer(self._text, self._start):
            piece = self._text[self._start:match.end()]
            if len(piece.strip()) < MIN_SENTENCE:
                continue
            found.append((piece.strip(), match.end()))
            self._start = match.end()
        return found

    def flush(self) -> list[tuple[str, int]]:
        """The rest of the text as a last sentence (when the reply ended)."""
        piece = self._text[self._start:]
        self._start = len(self._text)
        return [(piece.strip(), len(self._text))] if piece.strip() else []


def speakable(text: str) -> str:
    """`text` as it should be read aloud: no Markdown markers, links read by their text."""
    text = _NOTE.sub("", text)
    text = _MARKUP.sub(lambda m: m.group(1) or "", text)
    return " ".join(text.split())


def spoken_prefix(text: str, fraction: float) -> int:
    """Where to cut `text` so about `fraction` of it counts as spoken (at a word boundary)."""
    if fraction >= 1.0:
        return len(text)
    if fraction <= 0.0:
        return 0
    cut = int(len(text) * fraction)
    space = text.rfind(" ", 0, cut + 1)
    return space if space > 0 else cut


def mark_cut_off(text: str, spoken_end: int) -> str:
    """A reply interrupted after `spoken_end` characters: what was said, then the rest marked."""
    said, rest = text[:spoken_end].rstrip(), text[spoken_end:].strip()
    if not rest:
        return said
    return f"{said} … _(cut off; not spoken: {rest})_" if said else f"_(cut off; not spoken: {rest})_"


def mark_dropped(text: str) -> str:
    """A reply whose connection was lost mid-way: the partial text, marked."""
    return f"{text.rstrip()} … _(connection lost mid-reply)_" if text.strip() else \
        "_(connection lost before the reply)_"
