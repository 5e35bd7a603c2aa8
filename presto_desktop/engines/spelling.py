"""Forgiving spelling: a word one typo away from exactly one known word is read as that word."""

from __future__ import annotations


class Speller:
    """Corrects words of five letters or more against a vocabulary (one edit or swap).

    `known` are the words to correct towards; `keep` are real words that must never be
    "corrected" (e.g. "falconry" is not a typo of anything). Building is cheap (words are only
    grouped by length); a correction compares the word with known words of about its length.
    """

    def __init__(self, known: set[str], keep: set[str] | frozenset[str] = frozenset()) -> None:
        self._keep = set(keep) | set(known)
        self._by_length: dict[int, list[str]] = {}
        for word in known:
            if word.isalpha() and len(word) >= 4:
                self._by_length.setdefault(len(word), []).append(word)

    def correct(self, word: str) -> str:
        """`word`, or the one known word it is a typo of."""
        if len(word) < 5 or word in self._keep or not word.isalpha():
            return word
        close = {known for size in (len(word) - 1, len(word), len(word) + 1)
                 for known in self._by_length.get(size, ()) if _one_edit(word, known)}
        return close.pop() if len(close) == 1 else word


def _one_edit(a: str, b: str) -> bool:
    """True when b is one insertion, deletion, substitution or adjacent swap from a."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    start = 0
    while start < len(short) and short[start] == long_[start]:
        start += 1
    return short[start:] == long_[start + 1:]
