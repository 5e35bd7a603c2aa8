"""Where presenter mode puts its two windows, and what its console's timer says: plain Python.

No Qt here on purpose: the offscreen platform has one screen, so the two-screen choice is
tested with made-up screens (tests/ui/presenter/test_placement.py); console.py and mode.py
turn QScreens into ScreenInfo and apply the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

CONSOLE_SIZE = (1000, 680)  # px: the console on a screen of its own (at most, less if smaller)
FLOATING_SIZE = (520, 330)  # px: the console floating over the audience window on one screen
MARGIN = 24  # px between a floating console and the screen's edge


@dataclass(frozen=True)
class Rect:
    """A rectangle in virtual-desktop pixels."""

    x: int
    y: int
    width: int
    height: int

    def centered(self, width: int, height: int) -> Rect:
        """A `width` x `height` rectangle centred in this one (shrunk to fit)."""
        width, height = min(width, self.width), min(height, self.height)
        return Rect(self.x + (self.width - width) // 2, self.y + (self.height - height) // 2,
                    width, height)


@dataclass(frozen=True)
class ScreenInfo:
    """One screen as placement needs it: its name, full and available geometry."""

    name: str
    geometry: Rect
    available: Rect
    primary: bool = False


@dataclass(frozen=True)
class ConsolePlacement:
    """Where the console goes: which screen, its rectangle, and whether it floats on top."""

    screen: int  # index into the screens given
    rect: Rect
    floating: bool  # one screen: a small always-on-top window over the audience's


def audience_screen(screens: Sequence[ScreenInfo], wanted: str, current: int) -> int:
    """The audience window's screen: the one named `wanted` if present, else `current`."""
    for index, screen in enumerate(screens):
        if wanted and screen.name == wanted:
            return index
    return current if 0 <= current < len(screens) else 0


def console_placement(screens: Sequence[ScreenInfo], audience: int) -> ConsolePlacement:
    """The console on another screen than the audience's (the primary one first), centred;
    with one screen, small and floating in the audience screen's bottom-right corner."""
    if not screens:
        raise ValueError("no screens")
    others = [index for index in range(len(screens)) if index != audience]
    if others:
        # The laptop's own screen is usually the primary one; the projector is the other.
        chosen = next((index for index in others if screens[index].primary), others[0])
        return ConsolePlacement(chosen, screens[chosen].available.centered(*CONSOLE_SIZE),
                                floating=False)
    area = screens[audience if 0 <= audience < len(screens) else 0].available
    width, height = min(FLOATING_SIZE[0], area.width), min(FLOATING_SIZE[1], area.height)
    x = area.x + max(0, area.width - width - MARGIN)
    y = area.y + max(0, area.height - height - MARGIN)
    return ConsolePlacement(audience, Rect(x, y, width, height), floating=True)


def presenter_font_size(base: int, wanted: int) -> int:
    """The audience window's text size: the setting, and never smaller than the usual one."""
    return max(base, wanted)


def elapsed_text(seconds: float) -> str:
    """A timer reading: 'm:ss' under an hour, 'h:mm:ss' after (negative counts as 0)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def one_line(text: str, limit: int = 300) -> str:
    """An error as one line of at most `limit` characters (untrusted text, shown plain)."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
