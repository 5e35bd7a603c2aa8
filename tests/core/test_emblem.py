"""The drawn emblem: deterministic, distinct, self-contained SVG in palette colours only."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from presto_desktop.core.contrast import contrast_ratio
from presto_desktop.core.emblem import (
    LAYOUTS,
    EmblemSpec,
    emblem_svg,
    initials,
    mode_emblem,
    mode_icon,
    mode_spec,
)
from presto_desktop.core.models import Brand
from tests.factories import make_mode

_NS = "{http://www.w3.org/2000/svg}"
PRIMARIES = ["#c2185b", "#1565c0", "#2e7d32", "#f9a825", "#6a1b9a", "#00838f", "#9e9e9e",
             "#ffeb3b", "#000000", "#ffffff"]


def _specs() -> list[EmblemSpec]:
    specs = []
    for index, primary in enumerate(PRIMARIES):
        mode = make_mode(f"co-{index}", company=f"Company {chr(65 + index)}x Ltd",
                         primary=primary)
        specs += [mode_spec(mode), mode_spec(mode, dark=True)]
    return specs


def test_same_mode_same_emblem_and_layouts_vary() -> None:
    mode = make_mode("florist", company="Petal & Stem")
    assert mode_emblem(mode) == mode_emblem(make_mode("florist", company="Petal & Stem"))
    assert mode_emblem(mode) != mode_emblem(mode, dark=True)
    companies = [f"{word} Flowers" for word in ("Petal", "Bloom", "Rose", "Fern", "Iris",
                                                "Lily", "Daisy", "Tulip", "Orchid", "Poppy")]
    layouts = {mode_spec(make_mode("florist", company=c)).layout for c in companies}
    assert len(layouts) >= 4


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_is_clean_svg_in_palette_colours(layout: str) -> None:
    for spec in _specs():
        svg = emblem_svg(spec, layout)
        root = ET.fromstring(svg)
        assert root.tag == f"{_NS}svg" and root.get("viewBox") == "0 0 64 64"
        lowered = svg.lower()
        for banned in ("<script", "href", "url(", "<!", "<image", "<foreignobject", "on"
                       "load", "data:", "<style"):
            assert banned not in lowered
        colours = set(re.findall(r"#[0-9a-f]{6}", svg))
        assert colours <= set(spec.roles.values())


@pytest.mark.parametrize("layout", LAYOUTS)
def test_text_and_icons_read_on_their_fill(layout: str) -> None:
    for spec in _specs():
        root = ET.fromstring(emblem_svg(spec, layout))
        fills = [e.get("fill") for e in root if e.get("fill") not in (None, "none")]
        inks = [e.get("fill") for e in root.iter(f"{_NS}text")]
        inks += [e.get("stroke") for e in root.iter(f"{_NS}g")]
        for ink in inks:
            assert ink is not None
            # Each ink sits on one of the shape fills; the split layout has two halves.
            assert max(contrast_ratio(ink, fill) for fill in fills if fill) >= 4.5


def test_initials_and_icon_choice() -> None:
    assert initials("Petal & Stem") == "PS"
    assert initials("<b>bold</b> co") == "BC"
    assert initials("  ") == "?"
    mode = make_mode("bank", industry="Banking")
    assert mode_icon(mode) == "bank"
    assert mode_icon(make_mode("x", industry="zzz unknown")) == "box"  # the first tab's
    branded = make_mode("x", industry="zzz").model_copy(update={"brand": Brand(icon="pie")})
    assert mode_icon(branded) == "pie-chart"


def test_company_text_is_escaped() -> None:
    spec = EmblemSpec("x", '<&"> co', "flower", mode_spec(make_mode()).roles)
    for layout in LAYOUTS:
        ET.fromstring(emblem_svg(spec, layout))


@pytest.mark.parametrize("text", ['<&"> co', "it's", 'both " and \'', "tab\tline\nreturn\r", ""])
def test_escaping_matches_the_standard_library(text: str) -> None:
    """The emblem's own escape/quoteattr (no xml.sax import before the first paint)."""
    from xml.sax.saxutils import escape as sax_escape
    from xml.sax.saxutils import quoteattr as sax_quoteattr

    from presto_desktop.core.emblem import escape, quoteattr

    assert escape(text) == sax_escape(text) and quoteattr(text) == sax_quoteattr(text)
