"""Palette derivation: one seed colour becomes light and dark role sets that meet WCAG AA."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from presto_desktop.core.contrast import CONTRAST_RULES, contrast_ratio
from presto_desktop.core.models import HEX_PATTERN, Palette, PaletteRoles

_HEX = re.compile(HEX_PATTERN)
# Aim a little above each threshold so rounding to #rrggbb can never drop below it.
# The seed for a brand with no colour at all (a black-on-white logo): a quiet slate.
NEUTRAL_SEED = "#5b6170"
_MARGIN = 0.08
_STEPS = 14


def _oklch_to_hex_color(lightness: float, chroma: float, hue: float) -> str:
    """Oklch to '#rrggbb' through coloraide's Color (the reference for _oklch_to_hex)."""
    from coloraide import Color  # ~0.13 s: only when a palette is derived

    color = Color("oklch", [min(max(lightness, 0.0), 1.0), max(chroma, 0.0), hue])
    return color.convert("srgb").fit("srgb", method="clip").to_string(hex=True, fit=False)[:7]


# Spot checks of the fast path against Color: Oklch values across the gamut and outside it.
_CHECKS = ((0.0, 0.0, 0.0), (1.0, 0.0, 0.0), (0.62, 0.2, 29.0), (0.45, 0.31, 264.0),
           (0.87, 0.29, 142.0), (0.3, 0.05, 200.0))


@lru_cache(maxsize=1)
def _srgb_steps() -> tuple[Callable[..., Any], ...] | None:
    """coloraide's own Oklch -> Oklab -> XYZ -> linear sRGB -> sRGB steps, or None.

    They are not coloraide's documented API: if they moved, changed or disagree with Color
    on the spot checks, palettes take the (slower) Color path instead.
    """
    try:
        from coloraide.algebra import round_half_up
        from coloraide.spaces.lch import lch_to_lab
        from coloraide.spaces.oklab import oklab_to_xyz_d65
        from coloraide.spaces.srgb import inverse_eotf_srgb
        from coloraide.spaces.srgb_linear import xyz_to_lin_srgb

        steps = (lch_to_lab, oklab_to_xyz_d65, xyz_to_lin_srgb, inverse_eotf_srgb, round_half_up)
        if all(_fast_hex(steps, *check) == _oklch_to_hex_color(*check) for check in _CHECKS):
            return steps
    except Exception:  # noqa: BLE001 - any surprise in private code means: use Color
        pass
    return None


def _oklch_to_hex(lightness: float, chroma: float, hue: float) -> str:
    """Oklch to '#rrggbb', clipped to sRGB: the same maths and rounding as coloraide's Color.

    A palette takes ~140 of these; the Color objects made each ~17 us, so a new mode's
    palette cost 4-9 ms on the event loop. The bare steps take a third of that.
    """
    steps = _srgb_steps()
    if steps is None:  # pragma: no cover
        return _oklch_to_hex_color(lightness, chroma, hue)
    return _fast_hex(steps, lightness, chroma, hue)


def _fast_hex(steps: tuple[Callable[..., Any], ...], lightness: float, chroma: float,
              hue: float) -> str:
    """Oklch to '#rrggbb' through the bare conversion `steps`."""
    to_lab, to_xyz, to_linear, to_srgb, round_half_up = steps
    lab = to_lab([min(max(lightness, 0.0), 1.0), max(chroma, 0.0), hue])
    rgb = to_srgb(to_linear(to_xyz(lab)))
    return "#{:02x}{:02x}{:02x}".format(
        *(int(round_half_up(min(max(value, 0.0), 1.0) * 255.0)) for value in rgb))


def _to_oklch(hex_color: str) -> tuple[float, float, float]:
    from coloraide import Color

    lightness, chroma, hue = Color(hex_color).convert("oklch").coords()
    return lightness, chroma, 0.0 if hue is None or math.isnan(hue) else hue


def vary_colour(hex_color: str, seed: int) -> str:
    """A seeded neighbour of `hex_color` (hue +-20 deg, lightness +-0.06, chroma +-20 %).

    Businesses of one kind share a colour family but not one exact colour.
    """
    lightness, chroma, hue = _to_oklch(hex_color)
    hue = (hue + (seed % 41) - 20) % 360
    lightness = min(max(lightness + ((seed >> 6) % 13 - 6) / 100, 0.32), 0.78)
    chroma = max(chroma * (0.8 + ((seed >> 10) % 41) / 100), 0.03)
    return _oklch_to_hex(lightness, chroma, hue)


def oklch_colour(lightness: float, chroma: float, hue: float) -> str:
    """An Oklch colour as '#rrggbb', clipped to sRGB."""
    return _oklch_to_hex(lightness, chroma, hue)


def _fit(lch: tuple[float, float, float], against: str, ratio: float, darker: bool) -> str:
    """Move lightness (darker or lighter) the least needed to reach `ratio` against `against`."""
    lightness, chroma, hue = lch
    target = ratio + _MARGIN
    candidate = _oklch_to_hex(lightness, chroma, hue)
    if contrast_ratio(candidate, against) >= target:
        return candidate
    lo, hi = (0.0, lightness) if darker else (lightness, 1.0)
    best = "#000000" if darker else "#ffffff"
    for _ in range(_STEPS):
        mid = (lo + hi) / 2
        candidate = _oklch_to_hex(mid, chroma, hue)
        if contrast_ratio(candidate, against) >= target:
            best = candidate
            lo, hi = (mid, hi) if darker else (lo, mid)
        else:
            lo, hi = (lo, mid) if darker else (mid, hi)
    return best


def _on(background: str, hue: float, tint: float) -> str:
    """Readable text colour for `background`: a tinted near-white or near-black."""
    light = _fit((0.985, tint * 0.5, hue), background, 4.5, darker=False)
    dark = _fit((0.2, tint, hue), background, 4.5, darker=True)
    if contrast_ratio(light, background) >= 4.5 + _MARGIN:
        return light
    return dark if contrast_ratio(dark, background) >= contrast_ratio(light, background) else light


def _variant(seed: tuple[float, float, float], dark: bool) -> dict[str, str]:
    lightness, chroma, hue = seed
    chroma = min(chroma, 0.25)
    tint = min(chroma, 0.04) * 0.5
    if dark:
        background = _oklch_to_hex(0.18, tint, hue)
        surface = _oklch_to_hex(0.23, tint * 1.2, hue)
        # Lighten the accent until it stands out from the dark background and carries dark text.
        primary = _fit((max(lightness, 0.62), chroma, hue), "#000000", 6.0, darker=False)
        secondary = _fit((max(lightness, 0.62), chroma * 0.8, (hue + 40) % 360), "#000000", 6.0,
                         darker=False)
        text = _fit((0.95, tint, hue), surface, 4.5, darker=False)
        muted = _fit((0.78, tint * 2, hue), surface, 4.5, darker=False)
        border = _fit((0.5, tint * 2, hue), background, 3.0, darker=False)
        assistant = _oklch_to_hex(0.28, min(chroma, 0.05), hue)
    else:
        background = _oklch_to_hex(0.985, tint * 0.5, hue)
        surface = _oklch_to_hex(0.955, tint, hue)
        # Darken the accent until white text reads on it (which also clears the 3:1 background rule).
        primary = _fit((min(lightness, 0.6), chroma, hue), "#ffffff", 4.5, darker=True)
        secondary = _fit((min(lightness, 0.55), chroma * 0.8, (hue + 40) % 360), "#ffffff", 4.5,
                         darker=True)
        text = _fit((0.22, tint, hue), surface, 4.5, darker=True)
        muted = _fit((0.48, tint * 2, hue), surface, 4.5, darker=True)
        border = _fit((0.62, tint * 2, hue), background, 3.0, darker=True)
        assistant = _oklch_to_hex(0.93, min(chroma, 0.04), hue)
    on_primary = _on(primary, hue, tint)
    return {
        "primary": primary,
        "on_primary": on_primary,
        "secondary": secondary,
        "on_secondary": _on(secondary, hue, tint),
        "background": background,
        "surface": surface,
        "text": text,
        "text_muted": muted,
        "border": border,
        "user_bubble": primary,
        "on_user_bubble": on_primary,
        "assistant_bubble": assistant,
        "on_assistant_bubble": _on(assistant, hue, tint),
    }


def _repair(roles: dict[str, str]) -> dict[str, str]:
    """Last line of defence: force any failing foreground to black or white."""
    for _ in range(3):
        failing = [(fg, bg) for fg, bg, m in CONTRAST_RULES if contrast_ratio(roles[fg], roles[bg]) < m]
        for fg, bg in failing:
            roles[fg] = max(("#000000", "#ffffff"), key=lambda c: contrast_ratio(c, roles[bg]))
    return roles


@lru_cache(maxsize=256)
def derive_palette(primary: str) -> Palette:
    """Derive the full light and dark palettes from one '#rrggbb' seed colour."""
    seed_hex = primary.strip().lower()
    if not _HEX.match(seed_hex):
        raise ValueError(f"primary colour must be #rrggbb, got {primary[:20]!r}")
    seed = _to_oklch(seed_hex)
    light = PaletteRoles(**_repair(_variant(seed, dark=False)))
    dark = PaletteRoles(**_repair(_variant(seed, dark=True)))
    return Palette(primary=seed_hex, light=light, dark=dark)
