"""How a demo script's `say` text is typed into the composer: when each character appears.

Qt-free: the window's typing animation (ui/demo/typing.py) runs the plan on a timer. People
type unevenly (a little jitter, a beat after a word or a sentence), and an audience waits for
no one: a long text is sped up so the whole of it takes at most `cap_s`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

CHAR_S = 0.045  # a brisk typist: ~22 characters a second
JITTER = 0.35  # each delay varies by up to this fraction either way
WORD_BEAT_S = 0.03  # after a space
SENTENCE_BEAT_S = 0.12  # after . , ! ? : ;
CAP_S = 1.6  # the whole text, however long
FRAME_S = 1 / 60  # nothing shows faster than a frame: more characters per tick instead

# (characters shown after this tick, seconds to wait before it)
Tick = tuple[int, float]


def _delay(previous: str, rng: random.Random) -> float:
    """The pause before the next character, given the one just typed."""
    base = CHAR_S * (1.0 + rng.uniform(-JITTER, JITTER))
    if previous == " ":
        base += WORD_BEAT_S
    elif previous in ".,!?:;":
        base += SENTENCE_BEAT_S
    return base


def typing_plan(text: str, rng: random.Random | None = None, *, cap_s: float = CAP_S) -> list[Tick]:
    """The ticks that type `text`: the first character at once, the whole within `cap_s`."""
    if not text:
        return []
    rng = rng or random.Random()
    delays = [0.0] + [_delay(text[i - 1], rng) for i in range(1, len(text))]
    total = sum(delays)
    if total > cap_s:
        delays = [d * cap_s / total for d in delays]
    return _group(delays)


def _group(delays: Sequence[float]) -> list[Tick]:
    """Characters whose delays add up to less than a frame appear together."""
    ticks: list[Tick] = [(1, 0.0)]
    waited = 0.0
    for index in range(1, len(delays)):
        waited += delays[index]
        if waited >= FRAME_S or index == len(delays) - 1:
            ticks.append((index + 1, waited))
            waited = 0.0
    return ticks


def plan_duration(plan: Sequence[Tick]) -> float:
    """Seconds the plan takes from its first character to its last."""
    return sum(delay for _count, delay in plan)


__all__ = ["CAP_S", "Tick", "plan_duration", "typing_plan"]
