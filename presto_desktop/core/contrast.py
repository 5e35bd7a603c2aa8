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
