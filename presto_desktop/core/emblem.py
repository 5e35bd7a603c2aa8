"""The offline emblem: a logo mark drawn in code from the company name, icon and palette.

A small SVG (viewBox 0 0 64 64, no scripts, no links, no external references) in one of
several layouts picked from the mode's id and company name, so one mode always gets the
same mark and two companies rarely share one. Every colour is a palette role; text and
icons sit only on fills whose role pair meets 4.5:1 (core/contrast.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from presto_desktop.core.contrast import contrast_ratio
from presto_desktop.core.icon_names import icon_path_name, industry_icon
from presto_desktop.core.paths import resource_path

if TYPE_CHECKING:
    from presto_desktop.core.models import Mode


# Not xml.sax.saxutils: it imports urllib.request (http, email, ssl, socket), ~40 ms of the
# window's first paint for two string replacements.
def escape(text: str) -> str:
    """`text` safe as XML character data (&, <, > escaped)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """`text` escaped and quoted as an XML attribute value (as xml.sax.saxutils.quoteattr)."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    if "'" not in text:
        return f"'{text}'"
    return '"{}"'.format(text.replace('"', "&quot;"))


LAYOUTS = ("badge", "shield", "square", "ring", "split", "hexagon")
_FONT = 'font-family="sans-serif" font-weight="700" text-anchor="middle"'
_INNER = re.compile(r"<svg[^>]*>(.*)</svg>", re.S)


@dataclass(frozen=True)
class EmblemSpec:
    """What an emblem is made of: which mode (id), who, which icon, which colours."""

    key: str
    company: str
    icon: str
    roles: Mapping[str, str]

    @property
    def layout(self) -> str:
        """The layout this company always gets (the first frame, without the mode, agrees)."""
        digest = hashlib.sha256(self.company.strip().lower().encode()).digest()
        return LAYOUTS[int.from_bytes(digest[:4], "big") % len(LAYOUTS)]


def initials(company: str) -> str:
    """Up to two initials from the company's words (letters and digits only)."""
    # Markup-looking parts ("<b>") are not letters of the name.
    words = ["".join(ch for ch in word if ch.isalnum())
             for word in re.sub(r"<[^>]*>", " ", company).split()]
    letters = [word[0] for word in words if word]
    if not letters:
        return "?"
    return (letters[0] + (letters[1] if len(letters) > 1 else "")).upper()


def mode_icon(mode: Mode) -> str:
    """The industry's icon: the stored one, else the industry's word, else the first tab's."""
    stored = mode.brand.icon if mode.brand is not None else None
    return industry_icon(stored, mode.industry, mode.tabs[0].icon)


def mode_spec(mode: Mode, *, dark: bool = False) -> EmblemSpec:
    """The emblem inputs of `mode` in its light or dark variant."""
    roles = (mode.palette.dark if dark else mode.palette.light).model_dump()
    return EmblemSpec(mode.id, mode.company_name, mode_icon(mode), roles)


@lru_cache(maxsize=128)
def _icon_body(name: str) -> str:
    """The drawing inside a bundled icon's <svg> (our own files: plain paths and shapes)."""
    text = resource_path("icons", f"{icon_path_name(name)}.svg").read_text(encoding="utf-8")
    match = _INNER.search(text)
    return match.group(1) if match else ""


def _ink(spec: EmblemSpec, fill: str) -> str:
    """The palette's readable colour on `fill`: its on_ role, else the best role that reads."""
    pairs = {"primary": "on_primary", "secondary": "on_secondary"}
    preferred = [spec.roles[on] for role, on in pairs.items() if spec.roles[role] == fill]
    candidates = preferred + [spec.roles[r] for r in ("on_primary", "text", "background")]
    for colour in candidates:
        if contrast_ratio(colour, fill) >= 4.5:
            return colour
    return max(candidates, key=lambda colour: contrast_ratio(colour, fill))


def _icon(spec: EmblemSpec, cx: float, cy: float, size: float, colour: str) -> str:
    """The industry icon centred at (cx, cy), `size` units wide, stroked in `colour`."""
    scale = size / 24
    return (f'<g transform="translate({cx - size / 2:.2f} {cy - size / 2:.2f}) '
            f'scale({scale:.4f})" fill="none" stroke="{colour}" stroke-width="2" '
            f'stroke-linecap="round" stroke-linejoin="round">{_icon_body(spec.icon)}</g>')


def _text(letters: str, cx: float, cy: float, size: float, colour: str) -> str:
    """Letters centred on (cx, cy): the baseline sits ~0.36 em below the middle."""
    return (f'<text x="{cx:.2f}" y="{cy + size * 0.36:.2f}" font-size="{size:.1f}" {_FONT} '
            f'fill="{colour}">{escape(letters)}</text>')


def _mono_size(letters: str, big: float) -> float:
    return big if len(letters) < 2 else big * 0.8


def _badge(spec: EmblemSpec) -> str:
    p, s = spec.roles["primary"], spec.roles["secondary"]
    ink, letters = _ink(spec, p), initials(spec.company)
    return (f'<circle cx="32" cy="32" r="30" fill="{p}"/>'
            f'<circle cx="32" cy="32" r="30" fill="none" stroke="{s}" stroke-width="3"/>'
            f'<circle cx="32" cy="32" r="24" fill="none" stroke="{ink}" stroke-width="1.2"/>'
            + _text(letters, 32, 32, _mono_size(letters, 26), ink))


def _shield(spec: EmblemSpec) -> str:
    p, s = spec.roles["primary"], spec.roles["secondary"]
    ink, letters = _ink(spec, p), initials(spec.company)
    outline = "M32 2 L58 10 V30 C58 46 46 56 32 62 C18 56 6 46 6 30 V10 Z"
    return (f'<path d="{outline}" fill="{p}" stroke="{s}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>' + _icon(spec, 32, 20, 18, ink)
            + _text(letters, 32, 42, _mono_size(letters, 19), ink))


def _square(spec: EmblemSpec) -> str:
    p, s = spec.roles["primary"], spec.roles["secondary"]
    ink, letters = _ink(spec, p), initials(spec.company)
    return (f'<rect x="2" y="2" width="60" height="60" rx="14" fill="{p}"/>'
            f'<rect x="12" y="49" width="40" height="4" rx="2" fill="{s}"/>'
            + _text(letters, 32, 29, _mono_size(letters, 28), ink))


def _ring(spec: EmblemSpec) -> str:
    p, s = spec.roles["primary"], spec.roles["secondary"]
    return (f'<circle cx="32" cy="32" r="30" fill="{s}"/>'
            f'<circle cx="32" cy="32" r="23" fill="{p}"/>'
            + _icon(spec, 32, 32, 26, _ink(spec, p)))


def _split(spec: EmblemSpec) -> str:
    p, s = spec.roles["primary"], spec.roles["secondary"]
    letters = initials(spec.company)
    left = f'<path d="M32 2 A30 30 0 0 0 32 62 Z" fill="{p}"/>'
    right = f'<path d="M32 2 A30 30 0 0 1 32 62 Z" fill="{s}"/>'
    first = _text(letters[0], 19, 32, 24, _ink(spec, p))
    second = (_text(letters[1], 45, 32, 24, _ink(spec, s)) if len(letters) > 1
              else _icon(spec, 45, 32, 18, _ink(spec, s)))
    return left + right + first + second


def _hexagon(spec: EmblemSpec) -> str:
    p, s = spec.roles["primary"], spec.roles["secondary"]
    ink, letters = _ink(spec, p), initials(spec.company)
    points = "32,2 58,17 58,47 32,62 6,47 6,17"
    return (f'<polygon points="{points}" fill="{p}" stroke="{s}" stroke-width="3" '
            f'stroke-linejoin="round"/>' + _icon(spec, 32, 20, 17, ink)
            + _text(letters, 32, 42, _mono_size(letters, 19), ink))


_DRAW: dict[str, Callable[[EmblemSpec], str]] = {
    "badge": _badge, "shield": _shield, "square": _square, "ring": _ring, "split": _split,
    "hexagon": _hexagon,
}


def emblem_svg(spec: EmblemSpec, layout: str | None = None) -> str:
    """The emblem as a standalone SVG document (`layout` overrides the mode's own)."""
    body = _DRAW[layout or spec.layout](spec)
    label = quoteattr(f"{spec.company} emblem")
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" '
            f'viewBox="0 0 64 64" role="img" aria-label={label}>{body}</svg>')


def mode_emblem(mode: Mode, *, dark: bool = False) -> str:
    """The drawn emblem of `mode` as SVG text."""
    return emblem_svg(mode_spec(mode, dark=dark))
