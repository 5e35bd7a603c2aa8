"""WCAG 2 contrast maths in pure Python (no colour library needed at start-up)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

# (foreground role, background role, minimum ratio) every palette variant must meet.
CONTRAST_RULES: tuple[tuple[str, str, float], ...] = (
    ("on_primary", "primary", 4.5),
    ("on_secondary", "secondary", 4.5),
    ("on_user_bubble", "user_bubble", 4.5),
    ("on_assistant_bubble", "assistant_bubble", 4.5),
    ("text", "background", 4.5),
    ("text", "surface", 4.5),
    ("text_muted", "background", 4.5),
    ("text_muted", "surface", 4.5),
    ("border", "background", 3.0),
    ("primary", "background", 3.0),
)


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """Parse '#rrggbb' into 0-255 channels."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


@lru_cache(maxsize=4096)  # deriving a palette asks for the same few colours ~500 times
def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of '#rrggbb'."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in hex_to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """Unrounded WCAG 2 contrast ratio between two '#rrggbb' colours."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def check_palette_contrast(roles: Mapping[str, str]) -> str | None:
    """Return the first failing rule as a sentence, or None when all pass."""
    for fg, bg, minimum in CONTRAST_RULES:
        ratio = contrast_ratio(roles[fg], roles[bg])
        if ratio < minimum:
            return f"{fg}/{bg} contrast {ratio:.2f}:1 is below {minimum}:1"
    return None


# What sits on the window's background must still read on anything drawn behind it
# (core/hero.py): the same minimums as on the plain background, plus a little room.
# Borders (3:1) are kept on the gradient, which cards and buttons sit on; the pattern's thin
# lines keep the text rules only.
TEXT_ON_BACKDROP: tuple[tuple[str, float], ...] = (("text", 4.5), ("text_muted", 4.5),
                                                   ("primary", 3.0))
BACKDROP_RULES = (*TEXT_ON_BACKDROP, ("border", 3.0))
BACKDROP_MARGIN = 0.15


def mix(a: str, b: str, amount: float) -> str:
    """'#rrggbb' `amount` (0-1) of the way from `a` to `b`, channel by channel."""
    pa, pb = hex_to_rgb(a), hex_to_rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(pa, pb, strict=True))


def backdrop_ok(roles: Mapping[str, str], colour: str,
                rules: tuple[tuple[str, float], ...] = BACKDROP_RULES) -> bool:
    """Whether every role of `rules` still reads on `colour` (with BACKDROP_MARGIN, or as
    well as on the plain background when that has less room)."""
    background = roles["background"]
    return all(contrast_ratio(roles[role], colour)
               >= max(minimum, min(minimum + BACKDROP_MARGIN,
                                   contrast_ratio(roles[role], background)))
               for role, minimum in rules)


def strongest_tint(roles: Mapping[str, str], toward: str, limit: float,
                   rules: tuple[tuple[str, float], ...] = BACKDROP_RULES) -> float:
    """How far (at most `limit`) the background may move toward `toward` and still read."""
    background, steps = roles["background"], 40
    for step in range(steps, 0, -1):
        amount = limit * step / steps
        if backdrop_ok(roles, mix(background, toward, amount), rules):
            return amount
    return 0.0
