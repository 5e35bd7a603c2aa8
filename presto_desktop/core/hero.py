"""Hero imagery: a soft gradient with a faint geometric pattern behind the dashboard, offline.

Made from the palette variant on screen and the emblem's seed (the company name): the same
mode always gets the same picture, and the pattern follows the emblem's layout (a badge gets
dots, a hexagon hexagons...). Every colour is the background moved a little toward the
primary or secondary role, never further than text, muted text and the primary still read
on it (core/contrast.py's TEXT_ON_BACKDROP, with a margin): text keeps its contrast wherever it
sits. The gradient, which cards and buttons sit on, also keeps borders at 3:1. ui/theme/hero.py paints it, once per size, on a worker thread.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from presto_desktop.core.contrast import TEXT_ON_BACKDROP, backdrop_ok, mix, strongest_tint

# The emblem's layout -> the pattern behind the dashboard (core/emblem.py LAYOUTS).
PATTERNS = {"badge": "dots", "shield": "chevrons", "square": "grid", "ring": "rings",
            "split": "diagonals", "hexagon": "hexagons"}
MAX_TINT = 0.16  # the furthest the background moves toward a role: subtle, never loud


@dataclass(frozen=True)
class Hero:
    """One backdrop: gradient from `top` (top left) to `bottom`, pattern in `ink`."""

    top: str
    bottom: str
    ink: str
    pattern: str
    tile: int  # px between pattern repeats
    angle: int  # degrees the gradient runs at
    offset: int  # px the pattern is shifted by (0 .. tile-1)

    def colours(self) -> tuple[str, str, str]:
        """Every colour the backdrop is painted with (the rest are blends of these)."""
        return (self.top, self.bottom, self.ink)


def _seed(company: str) -> int:
    return int.from_bytes(hashlib.sha256(company.strip().lower().encode()).digest()[:4], "big")


def _layout(company: str) -> str:
    from presto_desktop.core.emblem import EmblemSpec

    return EmblemSpec("", company, "", {}).layout


@lru_cache(maxsize=64)
def _hero(company: str, roles: tuple[tuple[str, str], ...]) -> Hero:
    table = dict(roles)
    background = table["background"]
    primary, secondary = table["primary"], table["secondary"]
    seed = _seed(company)
    tile = 26 + (seed >> 8) % 4 * 4
    hero = Hero(top=mix(background, primary, strongest_tint(table, primary, MAX_TINT)),
                bottom=mix(background, secondary, strongest_tint(table, secondary, MAX_TINT)),
                ink=mix(background, primary,
                        strongest_tint(table, primary, MAX_TINT, TEXT_ON_BACKDROP)),
                pattern=PATTERNS[_layout(company)], tile=tile, angle=20 + seed % 50,
                offset=(seed >> 16) % tile)
    if not (backdrop_ok(table, hero.top) and backdrop_ok(table, hero.bottom)
            and backdrop_ok(table, hero.ink, TEXT_ON_BACKDROP)):
        # Rounding moved a colour over the line: the plain background, which always reads.
        return Hero(background, background, background, hero.pattern, tile, hero.angle, 0)
    return hero


def hero_for(company: str, roles: Mapping[str, str]) -> Hero:
    """The backdrop of `company`'s mode in these palette roles."""
    return _hero(company, tuple(sorted(roles.items())))
